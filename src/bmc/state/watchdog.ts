// BMC watchdog timer (IPMI v2.0 §27). Owner: chassis. Counts in 100 ms units on the
// injected clock; expiry logs a Watchdog 2 (sensor type 0x23) event and acts on the chassis.
//
// Behaviour, where QEMU's and OpenIPMI's BMCs differ from the spec the spec wins:
// * Reset before any Set answers 0x80; afterwards it restarts the countdown from the initial
//   value, even when the timeout action is "none" (the expiry is then only logged and
//   flagged). After the pre-timeout point a Reset no longer restarts the timer: only Set does.
// * Set stops a running timer, unless "don't stop" is given, in which case the countdown
//   continues from the new initial value. Set always clears the pre-timeout message flag.
// * Pre-timeout: message flag bit 3 for every interrupt type; NMI goes to the Platform; the
//   messaging interrupt is that flag (it raises ATN); SMI has no Platform counterpart. A
//   "timer interrupt" event (offset 8) is logged unless "don't log".
// * Expiry: the timer stops, the expiration flag of the timer use is set, an event with the
//   action's offset is logged unless "don't log", then the action runs (the restart cause
//   becomes "watchdog"). Every expiry logs; no latched sensor state swallows later ones.
// * A system power-off or hard reset stops the timer and clears the pre-timeout flag; a BMC
//   cold reset also forgets the settings.

import { CC } from '../../protocol/completion-codes.js';
import { MessageFlag, PreTimeoutInterrupt, TimerUse, WatchdogAction, type WatchdogSettings, type WatchdogStatus } from '../../ipmi/commands/app.js';
import type { TimerHandle } from '../clock.js';
import type { PlatformAction } from '../platform.js';
import type { BmcCore } from '../core.js';

export interface WatchdogConfig {
  /** Sensor number of the Watchdog 2 sensor the expiry events name. */
  sensorNumber: number;
}

/** Watchdog 2 sensor number when the config names none (QEMU's and OpenIPMI's choice). */
export const DEFAULT_WATCHDOG_SENSOR_NUMBER = 0x00;
export const defaultWatchdogConfig = (): WatchdogConfig => ({ sensorNumber: DEFAULT_WATCHDOG_SENSOR_NUMBER });

export const WATCHDOG2_SENSOR_TYPE = 0x23;
/** Sensor-specific offsets of sensor type 0x23 (IPMI v2.0 Table 42-3). */
export const WatchdogOffset = { TimerExpired: 0, HardReset: 1, PowerDown: 2, PowerCycle: 3, TimerInterrupt: 8 } as const;

const TICK_MS = 100;
/** Expiration flag bits a Set may clear: one per timer use 1-5. */
const EXPIRATION_FLAG_MASK = 0x3e;

export class Watchdog {
  private readonly bmc: BmcCore;
  /** Undefined until the first Set since the BMC started (Reset then answers 0x80). */
  private settings: WatchdogSettings | undefined;
  private running = false;
  /** While running: clock time of the timeout. */
  private deadline = 0;
  /** While stopped: the countdown the timer holds, in 100 ms units. */
  private counter = 0;
  private preTimeoutDone = false;
  private timer: TimerHandle | undefined;
  /** Bit n = expired while used as timer use n (kept across system resets). */
  expirationFlags = 0;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
  }

  get initialized(): boolean {
    return this.settings !== undefined;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get sensorNumber(): number {
    return this.bmc.config.chassis.watchdog.sensorNumber;
  }

  /** Set Watchdog Timer: CC.Ok or the completion code. */
  set(s: WatchdogSettings): number {
    if (s.timerUse < TimerUse.BiosFrb2 || s.timerUse > TimerUse.Oem) return CC.InvalidDataField;
    if (s.timeoutAction > WatchdogAction.PowerCycle || s.preTimeoutInterrupt > PreTimeoutInterrupt.Messaging) return CC.InvalidDataField;
    if (!this.platformCan(s)) return CC.InvalidDataField;
    // A pre-timeout earlier than the start of the countdown cannot be honoured.
    if (s.preTimeoutInterrupt !== PreTimeoutInterrupt.None && s.preTimeoutInterval * 10 > s.initialCountdown) return CC.InvalidDataField;
    const keepRunning = this.running && s.dontStop;
    this.settings = { ...s, dontStop: false };
    this.expirationFlags &= ~(s.expirationFlagsClear & EXPIRATION_FLAG_MASK);
    this.clearPreTimeoutFlag();
    if (keepRunning) this.start();
    else {
      this.stop();
      this.counter = s.initialCountdown;
    }
    return CC.Ok;
  }

  /** Reset Watchdog Timer: CC.Ok or 0x80 when never set. */
  reset(): number {
    if (!this.settings) return 0x80;
    if (this.running && this.preTimeoutDone) return CC.Ok;
    this.start();
    return CC.Ok;
  }

  status(): WatchdogStatus {
    const s = this.settings;
    return {
      timerUse: s?.timerUse ?? 0,
      dontLog: s?.dontLog ?? false,
      running: this.running,
      preTimeoutInterrupt: s?.preTimeoutInterrupt ?? 0,
      timeoutAction: s?.timeoutAction ?? 0,
      preTimeoutInterval: s?.preTimeoutInterval ?? 0,
      expirationFlags: this.expirationFlags,
      initialCountdown: s?.initialCountdown ?? 0,
      presentCountdown: this.presentCountdown(),
    };
  }

  /** Present countdown in 100 ms units, rounded up (a just-started timer shows its initial value). */
  presentCountdown(): number {
    if (!this.running) return this.counter;
    return Math.max(0, Math.ceil((this.deadline - this.bmc.clock.now()) / TICK_MS));
  }

  /** The system powered off or was reset: the timer stops where it was. */
  systemStopped(): void {
    if (this.running) {
      this.bmc.log.debug('watchdog stopped by a system power change');
      this.counter = this.presentCountdown();
    }
    this.stop();
    this.clearPreTimeoutFlag();
  }

  /** BMC cold reset: the watchdog is as after power-on of the BMC. */
  bmcReset(): void {
    this.stop();
    this.settings = undefined;
    this.counter = 0;
    this.expirationFlags = 0;
  }

  private platformCan(s: WatchdogSettings): boolean {
    const p = this.bmc.platform;
    const can = (a: PlatformAction) => p.supports?.(a) ?? true;
    if (s.timeoutAction === WatchdogAction.HardReset && !can('hard-reset')) return false;
    if (s.timeoutAction === WatchdogAction.PowerDown && !can('power-off')) return false;
    if (s.timeoutAction === WatchdogAction.PowerCycle && !(can('power-off') && can('power-on'))) return false;
    if (s.preTimeoutInterrupt === PreTimeoutInterrupt.Nmi && !can('diagnostic-interrupt')) return false;
    return true;
  }

  private start(): void {
    const s = this.settings!;
    this.running = true;
    this.preTimeoutDone = false;
    this.deadline = this.bmc.clock.now() + s.initialCountdown * TICK_MS;
    this.schedule();
  }

  private stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.running = false;
  }

  private schedule(): void {
    this.timer?.cancel();
    const s = this.settings!;
    const now = this.bmc.clock.now();
    let at = this.deadline;
    let fn = () => this.expire();
    if (!this.preTimeoutDone && s.preTimeoutInterrupt !== PreTimeoutInterrupt.None) {
      at = this.deadline - s.preTimeoutInterval * 1000;
      fn = () => this.preTimeout();
    }
    this.timer = this.bmc.clock.setTimer(Math.max(0, at - now), fn);
  }

  private preTimeout(): void {
    const s = this.settings!;
    this.preTimeoutDone = true;
    this.bmc.setMessageFlags(this.bmc.messageFlags | MessageFlag.WatchdogPreTimeout);
    if (s.preTimeoutInterrupt === PreTimeoutInterrupt.Nmi && this.bmc.platform.poweredOn) {
      this.bmc.chassis.runPlatform(this.bmc.platform.diagnosticInterrupt(), 'watchdog NMI');
    }
    const sel = this.logEvent(WatchdogOffset.TimerInterrupt);
    this.bmc.log.info('watchdog pre-timeout', { interrupt: ['none', 'SMI', 'NMI', 'messaging'][s.preTimeoutInterrupt], use: s.timerUse, sel });
    this.schedule();
  }

  private expire(): void {
    const s = this.settings!;
    this.timer = undefined;
    this.running = false;
    this.counter = 0;
    this.expirationFlags |= 1 << s.timerUse;
    const offset = [WatchdogOffset.TimerExpired, WatchdogOffset.HardReset, WatchdogOffset.PowerDown, WatchdogOffset.PowerCycle][s.timeoutAction]!;
    const sel = this.logEvent(offset);
    this.bmc.log.info('watchdog expired', { use: s.timerUse, action: ['none', 'hard reset', 'power down', 'power cycle'][s.timeoutAction], sel });
    this.bmc.chassis.watchdogAction(s.timeoutAction);
  }

  /**
   * A Watchdog 2 event: data 2 = interrupt type (7:4) and timer use (3:0); data 3 unspecified.
   * Returns the SEL record ID, or what happened instead, for the log line.
   */
  private logEvent(offset: number): number | string {
    const s = this.settings!;
    if (s.dontLog) return "not logged (don't log)";
    const id = this.bmc.events.log({
      sensorType: WATCHDOG2_SENSOR_TYPE,
      sensorNumber: this.sensorNumber,
      eventType: 0x6f,
      deassertion: false,
      data1: 0xc0 | offset,
      data2: ((s.preTimeoutInterrupt & 0x0f) << 4) | (s.timerUse & 0x0f),
      data3: 0xff,
    });
    return id ?? 'not in the SEL';
  }

  private clearPreTimeoutFlag(): void {
    if (this.bmc.messageFlags & MessageFlag.WatchdogPreTimeout) this.bmc.setMessageFlags(this.bmc.messageFlags & ~MessageFlag.WatchdogPreTimeout);
  }
}
