// The machine behind the BMC. Chassis control, the watchdog and power restore act through
// this interface; the standalone platform only keeps state, the QEMU platforms start, stop,
// reset and interrupt a VM. Actions may complete after the call returns (IPMI v2.0 §28.3:
// "the command may return before the action completes"): the platform reports power
// changes through onPowerChange.

export type PowerChangeCause = 'command' | 'watchdog' | 'restore-policy' | 'guest' | 'exited' | 'reset';

export interface Platform {
  /** Current power state. */
  readonly poweredOn: boolean;
  powerOn(cause: PowerChangeCause): void;
  /** Hard power off. */
  powerOff(cause: PowerChangeCause): void;
  /** Soft shutdown via ACPI (the guest decides). */
  softOff(): void;
  hardReset(cause: PowerChangeCause): void;
  /** Pulse diagnostic interrupt (NMI). */
  diagnosticInterrupt(): void;
  /** Installed by the BMC: the platform calls it whenever power changes on its own or by a request. */
  onPowerChange: (on: boolean, cause: PowerChangeCause) => void;
  /** Installed by the BMC: called on a reset of a running system (restart cause bookkeeping). */
  onReset: (cause: PowerChangeCause) => void;
}

/** A platform that is only state: power flips immediately, resets and NMIs are recorded. */
export class StandalonePlatform implements Platform {
  poweredOn: boolean;
  resets = 0;
  nmis = 0;
  softOffRequests = 0;
  onPowerChange: Platform['onPowerChange'] = () => {};
  onReset: Platform['onReset'] = () => {};

  constructor(initiallyOn = true) {
    this.poweredOn = initiallyOn;
  }

  powerOn(cause: PowerChangeCause): void {
    if (this.poweredOn) return;
    this.poweredOn = true;
    this.onPowerChange(true, cause);
  }

  powerOff(cause: PowerChangeCause): void {
    if (!this.poweredOn) return;
    this.poweredOn = false;
    this.onPowerChange(false, cause);
  }

  /** Without an OS to ask, a soft shutdown behaves like an orderly power off. */
  softOff(): void {
    this.softOffRequests++;
    this.powerOff('command');
  }

  hardReset(cause: PowerChangeCause): void {
    if (!this.poweredOn) return;
    this.resets++;
    this.onReset(cause);
  }

  diagnosticInterrupt(): void {
    if (this.poweredOn) this.nmis++;
  }
}
