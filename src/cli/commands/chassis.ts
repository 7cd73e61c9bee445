// `chassis status|power|identify|bootdev|bootparam|poh|restart_cause|policy|selftest`
// (ipmitool lib/ipmi_chassis.c syntax and text).

import { Argument, Command } from 'commander';
import {
  BootParam,
  bootFlagsCodec,
  chassisIdentify,
  getChassisStatus,
  getPohCounter,
  getSystemBootOptions,
  getSystemRestartCause,
  setPowerRestorePolicy,
  setSystemBootOptions,
} from '../../ipmi/commands/chassis.js';
import { getSelfTestResults } from '../../ipmi/commands/app.js';
import { decodeWith } from '../../ipmi/spec.js';
import type { LanClient } from '../../client/lan-client.js';
import { IpmiCompletionError, UsageError } from '../../client/errors.js';
import type { CliContext, Output } from '../context.js';
import { call, callCc, ccText, hexText, parseCNumber, parseUchar } from '../ipmitool.js';
import { formatBootParam, formatChassisSelfTest, formatChassisStatus, formatIdentify, formatPoh, formatPolicy, policyCodes, pohParts, restartCauseName } from '../output/chassis.js';
import { powerCommand } from './power.js';
import { addReadLeaf } from './leaf.js';

/** ipmitool's wording of the boot option completion codes. */
const GET_BOOTPARAM_CC = { 0x80: 'Unsupported parameter' };
const SET_BOOTPARAM_CC = { 0x80: 'Unsupported parameter', 0x81: "Attempt to set 'in progress' while not in 'complete' state", 0x82: 'Parameter is read-only' };

// ---- boot devices and boot flag options --------------------------------------------------

/** bootdev device names (each also with a force_ prefix) and their selector values. */
const BOOT_DEVICES: Readonly<Record<string, number>> = { none: 0x0, pxe: 0x1, disk: 0x2, safe: 0x3, diag: 0x4, cdrom: 0x5, bios: 0x6, floppy: 0xf };
export const BOOT_DEVICE_NAMES = [...Object.keys(BOOT_DEVICES), ...Object.keys(BOOT_DEVICES).filter((d) => d !== 'none').map((d) => `force_${d}`)];

function bootDevice(name: string): number {
  const d = BOOT_DEVICES[name.replace(/^force_/, '')];
  if (d === undefined || name === 'force_none') throw new UsageError(`Invalid argument: ${name}`);
  return d;
}

/** `options=` of bootdev: [byte index, mask, value, description] (parameter 5 data bytes 1-3). */
const BOOT_OPTIONS: readonly (readonly [string, number, number, number, string])[] = [
  ['valid', 0, 0x80, 0x80, 'Boot flags valid'],
  ['persistent', 0, 0x40, 0x40, 'Changes are persistent for all future boots'],
  ['efiboot', 0, 0x20, 0x20, 'Extensible Firmware Interface Boot (EFI)'],
  ['clear-cmos', 1, 0x80, 0x80, 'CMOS clear'],
  ['lockkbd', 1, 0x40, 0x40, 'Lock Keyboard'],
  ['screenblank', 1, 0x02, 0x02, 'Screen Blank'],
  ['lockoutreset', 1, 0x01, 0x01, 'Lock out Reset buttons'],
  ['lockout_power', 2, 0x80, 0x80, 'Lock out (power off/sleep request) via Power Button'],
  ['verbose=default', 2, 0x60, 0x00, 'Request quiet BIOS display'],
  ['verbose=no', 2, 0x60, 0x20, 'Request quiet BIOS display'],
  ['verbose=yes', 2, 0x60, 0x40, 'Request verbose BIOS display'],
  ['force_pet', 2, 0x10, 0x10, 'Force progress event traps'],
  ['upw_bypass', 2, 0x08, 0x08, 'User password bypass'],
  ['lockout_sleep', 2, 0x04, 0x04, 'Lock out the Sleep button'],
  ['cons_redirect=default', 2, 0x03, 0x00, 'Console redirection occurs per BIOS configuration setting'],
  ['cons_redirect=skip', 2, 0x03, 0x01, 'Suppress (skip) console redirection if enabled'],
  ['cons_redirect=enable', 2, 0x03, 0x02, 'Request console redirection be enabled'],
];

function bootOptionsHelp(): string {
  return ['Legal options settings are:', `  ${'help'.padEnd(22)}: print this message`, ...BOOT_OPTIONS.map(([n, , , , d]) => `  ${n.padEnd(22)}: ${d}`)].join('\n');
}

/** Parses the comma list of `options=`; returns the five parameter 5 bytes (valid bit not yet set). */
export function parseBootOptions(list: string): Uint8Array {
  const flags = new Uint8Array(5);
  const errors: string[] = [];
  for (const token of list.split(',').filter((t) => t !== '')) {
    if (token === 'help') throw new UsageError(bootOptionsHelp());
    const opt = BOOT_OPTIONS.find(([n]) => n === token);
    if (!opt) {
      errors.push(`Invalid option: ${token}`);
      continue;
    }
    const [, i, mask, value] = opt;
    flags[i] = (flags[i]! & ~mask) | value;
  }
  if (errors.length) throw new UsageError(`${errors.join('\n')}\n${bootOptionsHelp()}`);
  return flags;
}

/** `bootparam set bootflag … options=` names for parameter 3 (valid bit clearing). */
const VALID_BIT_OPTIONS: readonly (readonly [string, number, string])[] = [
  ['PEF', 0x10, 'Clear valid bit on reset/power cycle cause by PEF'],
  ['timeout', 0x08, 'Automatically clear boot flag valid bit on timeout'],
  ['watchdog', 0x04, 'Clear valid bit on reset/power cycle cause by watchdog'],
  ['reset', 0x02, 'Clear valid bit on push button reset/soft reset'],
  ['power', 0x01, 'Clear valid bit on power up via power push button or wake event'],
];

/**
 * Parameter 3 bits to clear (NAME: the BMC clears the valid bit on that event) and to set
 * (no-NAME: it keeps it). ipmitool 1.8.19 compares the whole token with "no-", so its no-
 * prefix never matches; here it works as its help text says.
 */
export function parseValidBitOptions(arg: string): { set: number; clear: number } {
  if (!arg.startsWith('options=')) throw new UsageError(`No options= keyword found "${arg}"`);
  let set = 0;
  let clear = 0;
  const errors: string[] = [];
  for (const token of arg.slice(8).split(',').filter((t) => t !== '')) {
    if (token === 'help') {
      errors.push('');
      break;
    }
    const neg = token.startsWith('no-');
    const opt = VALID_BIT_OPTIONS.find(([n]) => n === (neg ? token.slice(3) : token));
    if (!opt) {
      errors.push(`Invalid option: ${token}`);
      continue;
    }
    if (neg) set |= opt[1];
    else clear |= opt[1];
  }
  if (errors.length) {
    const legal = [' Legal options are:', `  ${'help'.padEnd(8)}: print this message`, ...VALID_BIT_OPTIONS.map(([n, , d]) => `  ${n.padEnd(8)}: ${d}`), ' Any Option may be prepended with no- to invert sense of operation'];
    throw new UsageError([...errors.filter((e) => e !== ''), ...legal].join('\n'));
  }
  return { set, clear };
}

/**
 * Writes boot parameters the way ipmitool does: "set in progress", clear the BIOS/POST
 * acknowledge, write, "commit write", "set complete". A BMC that refuses the set-in-progress
 * parameter is not asked again in this run.
 */
class BootParamWriter {
  private useProgress = true;
  private readonly client: LanClient;
  private readonly out: Output;
  constructor(client: LanClient, out: Output) {
    this.client = client;
    this.out = out;
  }

  /** Set System Boot Options; returns the completion code (0 = ok). */
  private async set(parameter: number, data: Uint8Array): Promise<number> {
    return (await callCc(this.client, setSystemBootOptions, { parameter, invalid: false, data })).cc;
  }

  private failure(parameter: number, cc: number, extra = ''): IpmiCompletionError {
    const { netFn, cmd, name } = setSystemBootOptions;
    return new IpmiCompletionError(cc, netFn, cmd, name, SET_BOOTPARAM_CC, `Set Chassis Boot Parameter ${parameter} failed: ${ccText(cc, SET_BOOTPARAM_CC)}${extra}`);
  }

  /** Parameter 0; failures are silent, and a refused "set in progress" is not retried this run. */
  async progress(state: 0 | 1 | 2): Promise<void> {
    if (!this.useProgress) return;
    const cc = await this.set(BootParam.SetInProgress, Uint8Array.of(state));
    if (cc !== 0 && state === 1) this.useProgress = false;
  }

  /** Clears the "BIOS/POST has handled boot info" acknowledge (parameter 4: mask, value). */
  async clearAck(): Promise<number> {
    return this.set(BootParam.BootInfoAcknowledge, Uint8Array.of(0x01, 0x01));
  }

  /** Writes parameter 5; throws (exit 1) when the BMC refuses it. */
  async bootFlags(flags: Uint8Array): Promise<void> {
    await this.progress(1);
    try {
      // Like ipmitool: a BMC without parameter 4 gets a complaint, and the write goes ahead.
      const ack = await this.clearAck();
      if (ack !== 0 && !this.out.json) this.out.note(`${this.failure(BootParam.BootInfoAcknowledge, ack).message}\n`);
      const cc = await this.set(BootParam.BootFlags, flags);
      if (cc !== 0) throw this.failure(BootParam.BootFlags, cc);
      await this.progress(2);
    } finally {
      await this.progress(0);
    }
  }

  /** Parameter 3: read, change the given bits, write. */
  async validBitClearing(set: number, clear: number): Promise<void> {
    await this.progress(1);
    try {
      const ack = await this.clearAck();
      if (ack !== 0) throw this.failure(BootParam.BootInfoAcknowledge, ack);
      const cur = await callCc(this.client, getSystemBootOptions, { parameter: BootParam.ValidBitClearing, setSelector: 0, blockSelector: 0 });
      if (cur.cc !== 0) {
        const { netFn, cmd, name } = getSystemBootOptions;
        throw new IpmiCompletionError(cur.cc, netFn, cmd, name, GET_BOOTPARAM_CC, `Get Chassis Boot Parameter 3 failed: ${ccText(cur.cc, GET_BOOTPARAM_CC)}\nFailed to read boot valid flag`);
      }
      const value = ((cur.value?.data[0] ?? 0) & ~clear) | set;
      const cc = await this.set(BootParam.ValidBitClearing, Uint8Array.of(value & 0xff));
      if (cc !== 0) throw this.failure(BootParam.ValidBitClearing, cc);
      await this.progress(2);
    } finally {
      await this.progress(0);
    }
  }
}

/** bootdev's optional third word: clear-cmos=yes (exclusive) or options=a,b,… */
function bootdevFlags(arg: string | undefined): Uint8Array {
  if (arg === 'clear-cmos=yes') return parseBootOptions('clear-cmos');
  if (arg?.startsWith('options=')) return parseBootOptions(arg.slice(8));
  return new Uint8Array(5);
}

function bootdevRequest(device: string, arg: string | undefined): Uint8Array {
  const flags = bootdevFlags(arg);
  flags[1] = flags[1]! | (bootDevice(device) << 2);
  flags[0] = flags[0]! | 0x80;
  return flags;
}

function bootOptionJson(o: { version: number; parameter: number; invalid: boolean; data: Uint8Array }): Record<string, unknown> {
  const doc: Record<string, unknown> = { version: o.version, parameter: o.parameter, invalid: o.invalid, data: hexText(o.data) };
  if (o.parameter === BootParam.BootFlags && o.data.length >= 5) doc.bootFlags = decodeWith(bootFlagsCodec, o.data);
  return doc;
}

// ---- the command tree ------------------------------------------------------------------------

export function chassisCommand(ctx: CliContext): Command {
  const chassis = new Command('chassis')
    .description('chassis status, power, identify, boot device, restore policy')
    .addHelpText('after', '\nExamples:\n  ipmi-sim chassis status\n  ipmi-sim chassis bootdev pxe options=efiboot\n  ipmi-sim chassis power cycle --wait\n');
  addReadLeaf(ctx, chassis, {
    name: 'status',
    description: 'print the chassis status (Get Chassis Status)',
    example: 'ipmi-sim chassis status',
    fetch: (client) => call(client, getChassisStatus, {}, (cc) => `Error sending Chassis Status command: ${cc}`),
    text: formatChassisStatus,
  });

  chassis.addCommand(powerCommand(ctx, 'ipmi-sim chassis power status'));

  chassis
    .command('identify')
    .description('turn the chassis identify light on for SECONDS (default 15, 0 = off) or until turned off (force)')
    .argument('[seconds|force]', 'interval in seconds (0-255), or force')
    .addHelpText('after', '\nExamples:\n  ipmi-sim chassis identify 30\n  ipmi-sim chassis identify force\n  ipmi-sim chassis identify 0\n')
    .action(async (arg: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(
        cmd,
        () => {
          if (arg === undefined) return {};
          if (arg === 'force') return { force: true };
          const n = parseCNumber(arg);
          if (n === undefined) throw new UsageError('Invalid interval given.');
          if (n > 255) throw new UsageError('Given interval is too big.');
          return { interval: n };
        },
        async (client, out, req) => {
          try {
            await call(client, chassisIdentify, req, (cc) => `Set Chassis Identify failed: ${cc}`);
          } catch (e) {
            if (e instanceof IpmiCompletionError && req.force) e.message += '\nChassis may not support Force Identify On\n';
            throw e;
          }
          if (out.json) return out.json({ interval: req.interval ?? (req.force ? null : 15), force: !!req.force });
          out.text(formatIdentify(req.interval, !!req.force));
        },
      );
    });

  chassis
    .command('bootdev')
    .description('set the boot device for the next boot (or every boot with options=persistent)')
    .addArgument(new Argument('<device>', 'boot device').choices(BOOT_DEVICE_NAMES))
    .argument('[options]', 'clear-cmos=yes|no, or options=persistent,efiboot,… (options=help lists them)')
    .addHelpText(
      'after',
      `
Devices: none (no override), pxe, disk, safe (disk, safe mode), diag, cdrom, bios (BIOS setup), floppy
Examples:
  ipmi-sim chassis bootdev pxe
  ipmi-sim chassis bootdev disk options=persistent,efiboot
  ipmi-sim chassis bootdev cdrom clear-cmos=yes
`,
    )
    .action(async (device: string, arg: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => bootdevRequest(device, arg), async (client, out, flags) => {
        await new BootParamWriter(client, out).bootFlags(flags);
        if (out.json) return out.json({ device, bootFlags: decodeWith(bootFlagsCodec, flags) });
        out.text(`Set Boot Device to ${device}\n`);
      });
    });

  const bootparam = chassis
    .command('bootparam')
    .description('read or write a system boot option parameter')
    .addHelpText('after', '\nExamples:\n  ipmi-sim chassis bootparam get 5\n  ipmi-sim chassis bootparam set bootflag force_pxe\n');
  bootparam
    .command('get')
    .description('print boot option parameter N (0-7; 5 = boot flags)')
    .argument('<parameter>', 'parameter number')
    .argument('[set-selector]', 'set selector (e.g. the mailbox block of parameter 7)')
    .addHelpText('after', '\nExample:\n  ipmi-sim chassis bootparam get 5\n')
    .action(async (paramText: string, setText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(
        cmd,
        () => {
          const parameter = parseUchar(paramText);
          if (parameter === undefined) throw new UsageError(`Invalid parameter '${paramText}' given instead of bootparam.`);
          const setSelector = setText === undefined ? 0 : parseUchar(setText);
          if (setSelector === undefined) throw new UsageError(`Invalid argument '${setText}' given to bootparam ${parameter}`);
          return { parameter: parameter & 0x7f, setSelector, blockSelector: 0 };
        },
        async (client, out, req) => {
          const o = await call(client, getSystemBootOptions, req, (cc) => `Get Chassis Boot Parameter ${req.parameter} failed: ${cc}`, GET_BOOTPARAM_CC);
          if (out.json) return out.json(bootOptionJson(o));
          out.text(formatBootParam(o, ctx.io.env));
        },
      );
    });
  bootparam
    .command('set')
    .description('set the boot flags: bootflag DEVICE [options=PEF,timeout,watchdog,reset,power,no-…]')
    .addArgument(new Argument('<what>', 'what to set').choices(['bootflag']))
    .addArgument(new Argument('<device>', 'boot device').choices(BOOT_DEVICE_NAMES))
    .argument('[options]', 'options=… for parameter 3: NAME clears the valid bit on that event, no-NAME keeps it')
    .addHelpText('after', '\nExamples:\n  ipmi-sim chassis bootparam set bootflag force_pxe\n  ipmi-sim chassis bootparam set bootflag force_disk options=no-timeout\n')
    .action(async (_what: string, device: string, optArg: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => ({ flags: bootdevRequest(device, undefined), valid: optArg === undefined ? undefined : parseValidBitOptions(optArg) }), async (client, out, parsed) => {
        const w = new BootParamWriter(client, out);
        await w.bootFlags(parsed.flags);
        if (!out.json) out.text(`Set Boot Device to ${device}\n`);
        if (parsed.valid && (parsed.valid.set || parsed.valid.clear)) await w.validBitClearing(parsed.valid.set, parsed.valid.clear);
        if (out.json) out.json({ device, bootFlags: decodeWith(bootFlagsCodec, parsed.flags), ...(parsed.valid ? { validBitClearing: parsed.valid } : {}) });
      });
    });

  addReadLeaf(ctx, chassis, {
    name: 'poh',
    description: 'print the power-on hours counter (Get POH Counter)',
    example: 'ipmi-sim chassis poh',
    fetch: (client) => call(client, getPohCounter, {}, (cc) => `Get Chassis Power-On-Hours failed: ${cc}`),
    text: (p) => formatPoh(p.minutesPerCount, p.counter),
    json: (p) => ({ ...p, ...pohParts(p.minutesPerCount, p.counter) }),
  });

  addReadLeaf(ctx, chassis, {
    name: 'restart_cause',
    description: 'print why the system last restarted (Get System Restart Cause)',
    example: 'ipmi-sim chassis restart_cause',
    fetch: (client) => call(client, getSystemRestartCause, {}, (cc) => `Get Chassis Restart Cause failed: ${cc}`),
    text: (r) => `System restart cause: ${restartCauseName(r.cause)}\n`,
    json: (r) => ({ ...r, causeName: restartCauseName(r.cause) }),
  });

  chassis
    .command('policy')
    .description('list the supported power restore policies, or set one')
    .addArgument(new Argument('<policy>', 'list, or the policy to set').choices(['list', 'always-on', 'previous', 'always-off']))
    .addHelpText('after', '\nExamples:\n  ipmi-sim chassis policy list\n  ipmi-sim chassis policy always-on\n')
    .action(async (policyName: string, _o, cmd: Command) => {
      const policy = policyCodes[policyName]!;
      await ctx.run(cmd, async (client, out) => {
        const r = await call(client, setPowerRestorePolicy, { policy }, (cc) => `Power Restore Policy command failed: ${cc}`);
        if (out.json) {
          const supported = ['always-off', 'previous', 'always-on'].filter((_, i) => r.supported & (1 << i));
          return out.json(policy === 3 ? { supported: r.supported, supportedPolicies: supported } : { policy: policyName, supported: r.supported });
        }
        out.text(formatPolicy(policy, r.supported));
      });
    });

  addReadLeaf(ctx, chassis, {
    name: 'selftest',
    description: 'print the BMC self test result (Get Self Test Results)',
    example: 'ipmi-sim chassis selftest',
    fetch: (client) => call(client, getSelfTestResults, {}, (cc) => `Error sending Get Self Test command: ${cc}`),
    text: (r) => formatChassisSelfTest(r.result, r.detail),
  });
  return chassis;
}
