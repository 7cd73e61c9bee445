// ComputerSystem: power and boot override, acting through the same chassis model as IPMI's
// Chassis Control and Set System Boot Options, so ipmitool sees each change at once and a VM
// restart uses the override (-boot once=n for Pxe, src/qemu/boot.ts).
//
// ResetType → Chassis Control (IPMI v2.0 §28.3):
//   On → power up; ForceOff → power down; ForceRestart → hard reset; PowerCycle → power cycle;
//   Nmi → pulse diagnostic interrupt; GracefulShutdown → soft shutdown (ACPI), a task that ends
//   when the system is off; GracefulRestart → soft shutdown, then power up once off (a task).
// Boot override → boot options parameter 5 (Table 28-14): Enabled Once/Continuous = valid bit
// with persistent clear/set, Disabled = valid bit clear; Mode UEFI = the EFI bit; the target is
// the device selector. Continuous also sets parameter 3 bit 3, which stops the BMC clearing the
// valid bit 60 s after the write (IPMI §28.12); Once clears it again, so a next-boot override
// keeps IPMI's 60-second rule.

import type { BmcCore } from '../../bmc/core.js';
import { ChassisAction, BootParam, ValidBitClearing } from '../../ipmi/commands/chassis.js';
import { CC } from '../../protocol/completion-codes.js';
import { requirePrivilege } from '../auth.js';
import { checkAction, checkProperties, type ObjectSchema } from '../body.js';
import { notFound, RedfishError } from '../errors.js';
import { defined, fieldText, fru0 } from '../inventory.js';
import { CHASSIS_URI, collection, link, MANAGER_URI, resource, ROOT, SYSTEM_ID, SYSTEM_URI, uuidText } from '../odata.js';
import type { Ctx, Doc, Reply, Route } from '../routes.js';
import { acceptedReply, waitUntil } from '../tasks.js';

const SYSTEM_TYPE = 'ComputerSystem.v1_27_0.ComputerSystem';
const RESET_URI = `${SYSTEM_URI}/Actions/ComputerSystem.Reset`;

export const RESET_TYPES = ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'Nmi', 'PowerCycle'] as const;
type ResetType = (typeof RESET_TYPES)[number];

/** Targets an IPMI boot device selector can express, and their selectors. */
const TARGET_SELECTOR = { None: 0x0, Pxe: 0x1, Hdd: 0x2, Diags: 0x4, Cd: 0x5, BiosSetup: 0x6, Floppy: 0xf } as const;
type Target = keyof typeof TARGET_SELECTOR;
export const BOOT_TARGETS = Object.keys(TARGET_SELECTOR) as Target[];
/** Selector → target when reading back: safe mode is a hard disk boot, remote media as local. */
const SELECTOR_TARGET: Readonly<Record<number, string>> = { 0x0: 'None', 0x1: 'Pxe', 0x2: 'Hdd', 0x3: 'Hdd', 0x4: 'Diags', 0x5: 'Cd', 0x6: 'BiosSetup', 0x7: 'Floppy', 0x8: 'RemoteDrive', 0x9: 'Cd', 0xb: 'Hdd', 0xf: 'Floppy' };
const ENABLED = ['Disabled', 'Once', 'Continuous'] as const;
const MODES = ['UEFI', 'Legacy'] as const;

const PATCH_SCHEMA: ObjectSchema = {
  type: 'object',
  properties: {
    Boot: {
      type: 'object',
      properties: {
        BootSourceOverrideTarget: { type: 'string', enum: BOOT_TARGETS },
        BootSourceOverrideEnabled: { type: 'string', enum: ENABLED },
        BootSourceOverrideMode: { type: 'string', enum: MODES },
      },
    },
    LocationIndicatorActive: { type: 'boolean' },
  },
};

interface BootState {
  enabled: (typeof ENABLED)[number];
  target: string;
  mode: (typeof MODES)[number];
}

export function bootState(bmc: BmcCore): BootState {
  const f = bmc.chassis.boot.flags;
  const b0 = f[0]!;
  return {
    enabled: b0 & 0x80 ? (b0 & 0x40 ? 'Continuous' : 'Once') : 'Disabled',
    target: SELECTOR_TARGET[(f[1]! >> 2) & 0x0f] ?? 'None',
    mode: b0 & 0x20 ? 'UEFI' : 'Legacy',
  };
}

/** Writes parameter 5 as a console would (and parameter 3's timeout bit, see the top). */
function writeBoot(bmc: BmcCore, s: { enabled: BootState['enabled']; target: Target; mode: BootState['mode'] }): void {
  const boot = bmc.chassis.boot;
  const flags = new Uint8Array(5);
  flags[0] = (s.enabled !== 'Disabled' ? 0x80 : 0) | (s.enabled === 'Continuous' ? 0x40 : 0) | (s.mode === 'UEFI' ? 0x20 : 0);
  flags[1] = TARGET_SELECTOR[s.target] << 2;
  if (s.enabled !== 'Disabled') {
    const clearing = s.enabled === 'Continuous' ? boot.clearing | ValidBitClearing.Timeout : boot.clearing & ~ValidBitClearing.Timeout;
    if (clearing !== boot.clearing) boot.set(BootParam.ValidBitClearing, false, Uint8Array.of(clearing));
  }
  const cc = boot.set(BootParam.BootFlags, false, flags);
  if (cc !== CC.Ok) throw new RedfishError(500, 'InternalError');
}

function allowedResets(bmc: BmcCore): ResetType[] {
  const can = (a: Parameters<NonNullable<BmcCore['platform']['supports']>>[0]) => bmc.platform.supports?.(a) ?? true;
  return RESET_TYPES.filter((t) => {
    switch (t) {
      case 'On':
        return can('power-on');
      case 'ForceOff':
        return can('power-off');
      case 'GracefulShutdown':
        return can('soft-off');
      case 'GracefulRestart':
        return can('soft-off') && can('power-on');
      case 'ForceRestart':
        return can('hard-reset');
      case 'Nmi':
        return can('diagnostic-interrupt');
      case 'PowerCycle':
        return can('power-off') && can('power-on');
    }
  });
}

function systemDoc(bmc: BmcCore): Doc {
  const fru = fru0(bmc);
  const p = fru.product;
  const boot = bootState(bmc);
  const on = bmc.chassis.poweredOn;
  const identify = bmc.chassis.status().identifyState !== 0;
  return resource(SYSTEM_URI, SYSTEM_TYPE, SYSTEM_ID, bmc.config.identity.systemName || 'Computer system', {
    SystemType: 'Physical',
    ...defined({
      Manufacturer: fieldText(p?.manufacturer) ?? fieldText(fru.board?.manufacturer),
      Model: fieldText(p?.name) ?? fieldText(fru.board?.productName),
      SerialNumber: fieldText(p?.serialNumber),
      PartNumber: fieldText(p?.partNumber),
      AssetTag: fieldText(p?.assetTag),
    }),
    UUID: uuidText(bmc.config.identity.systemGuid),
    PowerState: on ? 'On' : 'Off',
    LocationIndicatorActive: identify,
    Status: { State: on ? 'Enabled' : 'StandbyOffline', Health: 'OK' },
    Boot: {
      BootSourceOverrideEnabled: boot.enabled,
      BootSourceOverrideTarget: boot.target,
      'BootSourceOverrideTarget@Redfish.AllowableValues': BOOT_TARGETS,
      BootSourceOverrideMode: boot.mode,
      'BootSourceOverrideMode@Redfish.AllowableValues': MODES,
    },
    LogServices: link(`${SYSTEM_URI}/LogServices`),
    Links: { Chassis: [link(CHASSIS_URI)], ManagedBy: [link(MANAGER_URI)] },
    Actions: {
      '#ComputerSystem.Reset': { target: RESET_URI, 'ResetType@Redfish.AllowableValues': allowedResets(bmc) },
    },
  });
}

/** A Chassis Control request as IPMI makes it (on the LAN channel: Redfish comes over the BMC's LAN). */
function control(bmc: BmcCore, action: number, type: string): void {
  const cc = bmc.chassis.control(action, bmc.config.lan.channel);
  if (cc === CC.Ok) return;
  if (cc === CC.NotSupportedInPresentState) throw new RedfishError(409, 'ResourceInStandby');
  throw new RedfishError(400, 'ActionParameterValueNotInList', [type, 'ResetType', 'ComputerSystem.Reset'], { related: ['#/ResetType'] });
}

/** How long a graceful shutdown may take: the VM's staged stop, plus a margin. */
function shutdownWaitMs(bmc: BmcCore): number {
  const vm = bmc.config.vm;
  return ((vm ? vm.powerOffWait + vm.killWait : 0) + 60) * 1000;
}

function reset(c: Ctx, type: ResetType): Reply {
  const { bmc, tasks } = c.svc;
  if (!allowedResets(bmc).includes(type)) throw new RedfishError(400, 'ActionParameterValueNotInList', [type, 'ResetType', 'ComputerSystem.Reset'], { related: ['#/ResetType'] });
  bmc.log.info('Redfish reset', { type, user: c.principal.username });
  const off = () => !bmc.chassis.poweredOn;
  const timeout = () => new RedfishError(500, 'InternalError');
  switch (type) {
    case 'On':
      control(bmc, ChassisAction.PowerUp, type);
      return { status: 204 };
    case 'ForceOff':
      control(bmc, ChassisAction.PowerDown, type);
      return { status: 204 };
    case 'ForceRestart':
      control(bmc, ChassisAction.HardReset, type);
      return { status: 204 };
    case 'PowerCycle':
      control(bmc, ChassisAction.PowerCycle, type);
      return { status: 204 };
    case 'Nmi':
      control(bmc, ChassisAction.DiagnosticInterrupt, type);
      return { status: 204 };
    case 'GracefulShutdown': {
      control(bmc, ChassisAction.SoftShutdown, type);
      return acceptedReply(tasks.start('Graceful shutdown', c.principal.userId, () => waitUntil(bmc.clock, off, shutdownWaitMs(bmc), timeout)));
    }
    case 'GracefulRestart': {
      control(bmc, ChassisAction.SoftShutdown, type);
      const task = tasks.start('Graceful restart', c.principal.userId, async () => {
        await waitUntil(bmc.clock, off, shutdownWaitMs(bmc), timeout);
        control(bmc, ChassisAction.PowerUp, type);
        await waitUntil(bmc.clock, () => bmc.chassis.poweredOn, 60_000, timeout);
      });
      return acceptedReply(task);
    }
  }
}

export const systemRoutes: Route[] = [
  {
    pattern: `${ROOT}/Systems`,
    get: () => collection(`${ROOT}/Systems`, 'ComputerSystemCollection', 'Computer systems', [SYSTEM_URI]),
  },
  {
    pattern: `${ROOT}/Systems/{id}`,
    get: ({ svc, params, path }) => {
      if (params.id !== SYSTEM_ID) throw notFound(path);
      return systemDoc(svc.bmc);
    },
    patch: (c, body, current) => {
      if (c.params.id !== SYSTEM_ID) throw notFound(c.path);
      requirePrivilege(c.principal, 'ConfigureComponents');
      const b = checkProperties(body, PATCH_SCHEMA, current);
      const bmc = c.svc.bmc;
      const boot = b.Boot as Partial<Record<string, string>> | undefined;
      if (boot && Object.keys(boot).some((k) => !k.startsWith('@'))) {
        const now = bootState(bmc);
        const target = (boot.BootSourceOverrideTarget ?? (now.target in TARGET_SELECTOR ? now.target : 'None')) as Target;
        writeBoot(bmc, {
          enabled: (boot.BootSourceOverrideEnabled ?? now.enabled) as BootState['enabled'],
          target,
          mode: (boot.BootSourceOverrideMode ?? now.mode) as BootState['mode'],
        });
        bmc.log.info('Redfish boot override', { ...bootState(bmc), user: c.principal.username });
      }
      if (typeof b.LocationIndicatorActive === 'boolean') identify(bmc, b.LocationIndicatorActive);
    },
  },
  {
    pattern: RESET_URI,
    post: (c, body) => {
      requirePrivilege(c.principal, 'ConfigureComponents');
      const args = checkAction(body, 'ComputerSystem.Reset', { ResetType: { type: 'string', enum: RESET_TYPES, required: true } });
      return reset(c, args.ResetType as ResetType);
    },
  },
];

/** The identify LED (Chassis Identify, §28.5): on until turned off, or off. */
export function identify(bmc: BmcCore, on: boolean): void {
  bmc.chassis.identify(on ? undefined : 0, on);
}
