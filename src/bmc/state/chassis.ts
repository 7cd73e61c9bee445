// Chassis state (IPMI v2.0 §28): power, restore policy, restart cause, identify, boot
// options, power-on hours, front panel. Owner: chassis. Power actions go through the
// Platform; the bookkeeping follows the platform's onPowerChange/onReset reports, so that a
// VM that stops or reboots on its own is accounted for like a commanded one.

import { CC } from '../../protocol/completion-codes.js';
import {
  ChassisAction,
  IdentifyState,
  LastPowerEvent,
  RestartCause,
  RestorePolicyCode,
  type ChassisCapabilities,
  type ChassisStatus,
} from '../../ipmi/commands/chassis.js';
import { WatchdogAction } from '../../ipmi/commands/app.js';
import type { TimerHandle } from '../clock.js';
import type { BootRequest, PlatformAction, PowerChangeCause } from '../platform.js';
import { BootOptions } from './boot-options.js';
import { defaultWatchdogConfig, type WatchdogConfig } from './watchdog.js';
import type { BmcCore } from '../core.js';

export type RestorePolicy = 'always-off' | 'previous' | 'always-on';
export const RESTORE_POLICIES: readonly RestorePolicy[] = ['always-off', 'previous', 'always-on'];

export interface ChassisConfig {
  /**
   * Power state before the first start (no saved state); the "previous" policy restores it.
   * Unset: the platform's default (a VM stays off until asked), else on.
   */
  initialPower?: 'on' | 'off';
  /** Applied when the BMC starts; Set Power Restore Policy changes (and persists) it. */
  restorePolicy: RestorePolicy;
  /** Seconds the system stays off during a power cycle (Set Power Cycle Interval changes it). */
  powerCycleInterval: number;
  /** Seconds Chassis Identify lights the LED when the request gives no interval. */
  identifyDefault: number;
  watchdog: WatchdogConfig;
}

export const defaultChassisConfig = (): ChassisConfig => ({
  restorePolicy: 'previous',
  powerCycleInterval: 1,
  identifyDefault: 15,
  watchdog: defaultWatchdogConfig(),
});

/** Get POH Counter's unit. One minute per count keeps ipmitool and FreeIPMI (which divides
 * where it should multiply) in agreement. */
export const POH_MINUTES_PER_COUNT = 1;
const MINUTE_MS = 60_000;
const STORE_KEY = 'chassis';
/** BMC address for the Get Chassis Capabilities device addresses. */
const BMC_ADDRESS = 0x20;

/** ACPI power states (Set/Get ACPI Power State, IPMI v2.0 §20.6). */
export const AcpiSystemState = { S0: 0x00, S5: 0x05, Unknown: 0x2a, NoChange: 0x7f } as const;
export const AcpiDeviceState = { D0: 0x00, D3: 0x03, Unknown: 0x2a, NoChange: 0x7f } as const;
const ACPI_SYSTEM_STATES = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x20, 0x21, 0x2a]);
const ACPI_DEVICE_STATES = new Set([0x00, 0x01, 0x02, 0x03, 0x2a]);

interface Saved {
  v: 1;
  power: boolean;
  restorePolicy: RestorePolicy;
  powerCycleInterval: number;
  pohMs: number;
  frontPanelDisabled: number;
  lastPowerEvent: number;
  restartCause: number;
  restartChannel: number;
}

export class Chassis {
  private readonly bmc: BmcCore;
  readonly boot: BootOptions;
  restorePolicy: RestorePolicy;
  /** Seconds. */
  powerCycleInterval: number;
  /** LastPowerEvent bits. */
  lastPowerEvent = 0;
  restartCause: number = RestartCause.Unknown;
  restartChannel = 0;
  /** FrontPanelButton bits that are disabled. */
  frontPanelDisabled = 0;
  /** Chassis intrusion (Get Chassis Status byte 4 bit 0); a sensor may drive it. */
  intrusion = false;
  acpiSystemState: number = AcpiSystemState.Unknown;
  acpiDeviceState: number = AcpiDeviceState.Unknown;
  private identifyState: number = IdentifyState.Off;
  private identifyTimer: TimerHandle | undefined;
  private pohMs = 0;
  /** Clock time of the last power-on while on (power-on hours). */
  private onSince: number | undefined;
  private pohTimer: TimerHandle | undefined;
  /** A power cycle between its off and on halves. */
  private cycle: { cause: PowerChangeCause; timer?: TimerHandle } | undefined;
  /** Channel of the last Chassis Control, for Get System Restart Cause. */
  private commandChannel = 0;
  private readonly savedAtStart: Saved | undefined;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    const c = bmc.config.chassis;
    this.restorePolicy = c.restorePolicy;
    this.powerCycleInterval = c.powerCycleInterval;
    const s = bmc.store.load(STORE_KEY) as Partial<Saved> | undefined;
    this.savedAtStart = s && s.v === 1 ? (s as Saved) : undefined;
    if (this.savedAtStart) {
      const v = this.savedAtStart;
      if (RESTORE_POLICIES.includes(v.restorePolicy)) this.restorePolicy = v.restorePolicy;
      if (Number.isInteger(v.powerCycleInterval)) this.powerCycleInterval = v.powerCycleInterval & 0xff;
      this.pohMs = Number.isFinite(v.pohMs) && v.pohMs > 0 ? v.pohMs : 0;
      this.frontPanelDisabled = (v.frontPanelDisabled ?? 0) & 0x0f;
      this.lastPowerEvent = (v.lastPowerEvent ?? 0) & 0x1f;
      this.restartCause = (v.restartCause ?? 0) & 0x0f;
      this.restartChannel = (v.restartChannel ?? 0) & 0x0f;
    }
    this.boot = new BootOptions(bmc);
    const p = bmc.platform;
    p.onPowerChange = (on, cause) => this.powerChanged(on, cause);
    p.onReset = (cause) => this.systemReset(cause);
    p.bootRequest = () => this.boot.request();
  }

  /**
   * Applies the power restore policy: the BMC has just got power (or restarted). Called once
   * every subsystem exists. The policy only ever powers on: a platform that is already on
   * (a VM started outside the BMC) is left alone.
   */
  start(): void {
    const p = this.bmc.platform;
    const saved = this.savedAtStart;
    // Between two runs the BMC lost its own power: that is an AC failure to the chassis.
    if (saved) this.lastPowerEvent = (this.lastPowerEvent & LastPowerEvent.PowerOnViaIpmi) | LastPowerEvent.AcFailed;
    if (p.poweredOn) {
      this.startPoh();
      this.acpiSystemState = AcpiSystemState.S0;
      this.acpiDeviceState = AcpiDeviceState.D0;
    } else {
      const wasOn = saved ? saved.power : (this.bmc.config.chassis.initialPower ?? p.defaultPower ?? 'on') === 'on';
      const on = this.restorePolicy === 'always-on' || (this.restorePolicy === 'previous' && wasOn);
      this.acpiSystemState = AcpiSystemState.S5;
      this.acpiDeviceState = AcpiDeviceState.D3;
      if (on) this.powerOn('restore-policy');
    }
    this.save();
  }

  get poweredOn(): boolean {
    return this.bmc.platform.poweredOn;
  }

  /** `serve --power-on-at-start` (ipmi_sim's startnow): power on now, as a restore policy would. */
  powerOnAtStart(): void {
    if (!this.bmc.platform.poweredOn) this.powerOn('restore-policy');
  }

  private can(action: PlatformAction): boolean {
    return this.bmc.platform.supports?.(action) ?? true;
  }

  /** Runs a platform call; a failure of an asynchronous action is logged (the reply has gone). */
  runPlatform(result: void | Promise<void>, what: string): void {
    if (result instanceof Promise) result.catch((e: unknown) => this.bmc.log.warn(`platform: ${what} failed`, { error: e instanceof Error ? e.message : String(e) }));
  }

  // ---- commands --------------------------------------------------------------------------

  capabilities(): ChassisCapabilities {
    return {
      intrusionSensor: false,
      frontPanelLockout: true,
      diagnosticInterrupt: this.can('diagnostic-interrupt'),
      powerInterlock: false,
      fruDeviceAddress: BMC_ADDRESS,
      sdrDeviceAddress: BMC_ADDRESS,
      selDeviceAddress: BMC_ADDRESS,
      systemManagementDeviceAddress: BMC_ADDRESS,
    };
  }

  status(): ChassisStatus {
    const d = this.frontPanelDisabled;
    return {
      powerOn: this.poweredOn,
      powerOverload: false,
      interlock: false,
      powerFault: false,
      powerControlFault: false,
      restorePolicy: RESTORE_POLICIES.indexOf(this.restorePolicy),
      lastPowerEvent: this.lastPowerEvent,
      intrusion: this.intrusion,
      // Lockout = both the power and the reset button are disabled.
      frontPanelLockout: (d & 0x03) === 0x03,
      driveFault: false,
      fanFault: false,
      identifyState: this.identifyState,
      identifySupported: true,
      frontPanel: { disabled: d, disableAllowed: 0x0f },
    };
  }

  /** Chassis Control (§28.3): CC.Ok, 0xCC for an unknown or unsupported action, 0xD5 when off. */
  control(action: number, channel: number): number {
    const p = this.bmc.platform;
    switch (action) {
      case ChassisAction.PowerDown:
        if (!this.can('power-off')) return CC.InvalidDataField;
        this.cancelCycle();
        this.commandChannel = channel;
        if (p.poweredOn) this.runPlatform(p.powerOff('command'), 'power off');
        return CC.Ok;
      case ChassisAction.PowerUp:
        if (!this.can('power-on')) return CC.InvalidDataField;
        this.cancelCycle();
        this.commandChannel = channel;
        if (!p.poweredOn) this.powerOn('command');
        return CC.Ok;
      case ChassisAction.PowerCycle:
        if (!this.can('power-off') || !this.can('power-on')) return CC.InvalidDataField;
        // A power cycle acts on a running system; it does not power up one that is off.
        if (!p.poweredOn) return CC.NotSupportedInPresentState;
        this.commandChannel = channel;
        this.powerCycle('command');
        return CC.Ok;
      case ChassisAction.HardReset:
        if (!this.can('hard-reset')) return CC.InvalidDataField;
        if (!p.poweredOn) return CC.NotSupportedInPresentState;
        this.commandChannel = channel;
        this.hardReset('command');
        return CC.Ok;
      case ChassisAction.DiagnosticInterrupt:
        if (!this.can('diagnostic-interrupt')) return CC.InvalidDataField;
        if (!p.poweredOn) return CC.NotSupportedInPresentState;
        this.runPlatform(p.diagnosticInterrupt(), 'diagnostic interrupt');
        return CC.Ok;
      case ChassisAction.SoftShutdown:
        if (!this.can('soft-off')) return CC.InvalidDataField;
        if (!p.poweredOn) return CC.NotSupportedInPresentState;
        this.commandChannel = channel;
        this.runPlatform(p.softOff(), 'soft off');
        return CC.Ok;
      default:
        return CC.InvalidDataField;
    }
  }

  /** The watchdog's timeout action; the restart cause becomes "watchdog". */
  watchdogAction(action: number): void {
    const p = this.bmc.platform;
    if (!p.poweredOn) return;
    switch (action) {
      case WatchdogAction.HardReset:
        this.hardReset('watchdog');
        break;
      case WatchdogAction.PowerDown:
        this.cancelCycle();
        this.runPlatform(p.powerOff('watchdog'), 'watchdog power down');
        break;
      case WatchdogAction.PowerCycle:
        this.powerCycle('watchdog');
        break;
    }
  }

  /** Chassis Identify (§28.5): undefined interval = the default; force = until told otherwise. */
  identify(interval: number | undefined, force: boolean): void {
    this.identifyTimer?.cancel();
    this.identifyTimer = undefined;
    if (force) {
      this.identifyState = IdentifyState.Indefinite;
      return;
    }
    const seconds = interval ?? this.bmc.config.chassis.identifyDefault;
    if (seconds === 0) {
      this.identifyState = IdentifyState.Off;
      return;
    }
    this.identifyState = IdentifyState.Timed;
    this.identifyTimer = this.bmc.clock.setTimer(seconds * 1000, () => {
      this.identifyTimer = undefined;
      this.identifyState = IdentifyState.Off;
    });
  }

  /** Set Power Restore Policy (§28.8): returns the supported-policies mask or a completion code. */
  setRestorePolicy(code: number): { supported: number } | number {
    if (code > RestorePolicyCode.NoChange) return CC.InvalidDataField;
    if (code !== RestorePolicyCode.NoChange) {
      this.restorePolicy = RESTORE_POLICIES[code]!;
      this.save();
    }
    return { supported: 0x07 };
  }

  setPowerCycleInterval(seconds: number): void {
    this.powerCycleInterval = seconds;
    this.save();
  }

  /** Set Front Panel Enables (§28.6): bits 3:0 disable standby, diag, reset, power off. */
  setFrontPanelDisables(bits: number): number {
    if (bits & 0xf0) return CC.InvalidDataField;
    this.frontPanelDisabled = bits;
    this.save();
    return CC.Ok;
  }

  /** Whole minutes the system has been on, counted on the injected clock. */
  pohMinutes(): number {
    return Math.floor(this.pohTotalMs() / MINUTE_MS);
  }

  /** Set ACPI Power State (§20.6): 0x7F = leave as is. */
  setAcpiPowerState(system: number | undefined, device: number | undefined): number {
    if (system !== undefined && system !== AcpiSystemState.NoChange && !ACPI_SYSTEM_STATES.has(system)) return CC.InvalidDataField;
    if (device !== undefined && device !== AcpiDeviceState.NoChange && !ACPI_DEVICE_STATES.has(device)) return CC.InvalidDataField;
    if (system !== undefined && system !== AcpiSystemState.NoChange) this.acpiSystemState = system;
    if (device !== undefined && device !== AcpiDeviceState.NoChange) this.acpiDeviceState = device;
    return CC.Ok;
  }

  /** BMC cold reset: volatile chassis state returns to its defaults; power is not touched. */
  bmcReset(): void {
    this.boot.bmcReset();
  }

  // ---- power state machine ------------------------------------------------------------------

  private powerOn(cause: PowerChangeCause): void {
    this.boot.beforeRestart(cause, 'power-on');
    this.runPlatform(this.bmc.platform.powerOn(cause), 'power on');
  }

  private hardReset(cause: PowerChangeCause): void {
    this.cancelCycle();
    this.boot.beforeRestart(cause, 'reset');
    this.runPlatform(this.bmc.platform.hardReset(cause), 'hard reset');
  }

  /** Off, then on again powerCycleInterval seconds after the platform reports it off. */
  private powerCycle(cause: PowerChangeCause): void {
    this.cancelCycle();
    this.cycle = { cause };
    const p = this.bmc.platform;
    this.runPlatform(p.powerOff(cause), 'power cycle (off)');
    if (!p.poweredOn) this.armCycle();
  }

  private armCycle(): void {
    const c = this.cycle;
    if (!c || c.timer) return;
    c.timer = this.bmc.clock.setTimer(this.powerCycleInterval * 1000, () => {
      this.cycle = undefined;
      if (!this.bmc.platform.poweredOn) this.powerOn(c.cause);
    });
  }

  private cancelCycle(): void {
    this.cycle?.timer?.cancel();
    this.cycle = undefined;
  }

  private powerChanged(on: boolean, cause: PowerChangeCause): void {
    let boot: BootRequest | undefined;
    if (on) {
      this.cancelCycle();
      this.startPoh();
      this.setRestartCause(powerUpCause(cause, this.restorePolicy), cause);
      if (cause === 'command') this.lastPowerEvent |= LastPowerEvent.PowerOnViaIpmi;
      else this.lastPowerEvent &= ~LastPowerEvent.PowerOnViaIpmi;
      this.acpiSystemState = AcpiSystemState.S0;
      this.acpiDeviceState = AcpiDeviceState.D0;
      boot = this.boot.afterRestart(cause, 'power-on');
    } else {
      this.stopPoh();
      // No fault, overload or interlock is simulated: every power-down is a clean one.
      this.lastPowerEvent &= LastPowerEvent.PowerOnViaIpmi;
      this.acpiSystemState = AcpiSystemState.S5;
      this.acpiDeviceState = AcpiDeviceState.D3;
      this.bmc.watchdog.systemStopped();
      if (this.cycle) this.armCycle();
    }
    this.bmc.log.info(on ? 'system powered on' : 'system powered off', on ? { cause, boot: describeBoot(boot) } : { cause });
    this.save();
  }

  private systemReset(cause: PowerChangeCause): void {
    this.setRestartCause(resetCause(cause), cause);
    this.acpiSystemState = AcpiSystemState.S0;
    this.acpiDeviceState = AcpiDeviceState.D0;
    this.bmc.watchdog.systemStopped();
    const boot = this.boot.afterRestart(cause, 'reset');
    this.bmc.log.info('system reset', { cause, boot: describeBoot(boot) });
    this.save();
  }

  private setRestartCause(code: number, cause: PowerChangeCause): void {
    this.restartCause = code;
    this.restartChannel = cause === 'command' ? this.commandChannel : 0;
  }

  // ---- power-on hours ----------------------------------------------------------------------

  private pohTotalMs(): number {
    return this.pohMs + (this.onSince !== undefined ? this.bmc.clock.now() - this.onSince : 0);
  }

  private startPoh(): void {
    if (this.onSince !== undefined) return;
    this.onSince = this.bmc.clock.now();
    this.armPohTimer();
  }

  private stopPoh(): void {
    this.pohMs = this.pohTotalMs();
    this.onSince = undefined;
    this.pohTimer?.cancel();
    this.pohTimer = undefined;
  }

  /** Persists the count at each minute boundary, so a crash loses less than a minute. */
  private armPohTimer(): void {
    const next = MINUTE_MS - (this.pohTotalMs() % MINUTE_MS);
    this.pohTimer = this.bmc.clock.setTimer(next, () => {
      this.save();
      this.armPohTimer();
    });
  }

  private save(): void {
    const s: Saved = {
      v: 1,
      power: this.poweredOn,
      restorePolicy: this.restorePolicy,
      powerCycleInterval: this.powerCycleInterval,
      pohMs: this.pohTotalMs(),
      frontPanelDisabled: this.frontPanelDisabled,
      lastPowerEvent: this.lastPowerEvent,
      restartCause: this.restartCause,
      restartChannel: this.restartChannel,
    };
    this.bmc.store.save(STORE_KEY, s);
  }
}

/** For log lines: the boot override a restart used. */
function describeBoot(b: BootRequest | undefined): string {
  if (!b || b.device === 'none') return 'default';
  return `${b.device}${b.efi ? ' (EFI)' : ''}${b.persistent ? ', persistent' : ''}`;
}

function powerUpCause(cause: PowerChangeCause, policy: RestorePolicy): number {
  switch (cause) {
    case 'command':
      return RestartCause.ChassisControl;
    case 'watchdog':
      return RestartCause.Watchdog;
    case 'restore-policy':
      return policy === 'always-on' ? RestartCause.AlwaysRestorePolicy : RestartCause.RestorePreviousPolicy;
    case 'button':
      return RestartCause.PowerButton;
    default:
      return RestartCause.Unknown;
  }
}

function resetCause(cause: PowerChangeCause): number {
  switch (cause) {
    case 'command':
      return RestartCause.ChassisControl;
    case 'watchdog':
      return RestartCause.Watchdog;
    case 'button':
      return RestartCause.ResetButton;
    case 'guest':
      return RestartCause.SoftReset;
    default:
      return RestartCause.Unknown;
  }
}
