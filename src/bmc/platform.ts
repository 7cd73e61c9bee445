// The machine behind the BMC. Chassis control, the watchdog and power restore act through
// this interface; the standalone platform only keeps state, the QEMU platforms start, stop,
// reset and interrupt a VM. Actions may complete after the call returns (IPMI v2.0 §28.3:
// "the command may return before the action completes"): a method may return a promise, and
// the platform reports every power change and reset, requested or not, through onPowerChange
// and onReset. The BMC's bookkeeping (restart cause, last power event, power-on hours, boot
// flags, watchdog) runs off those two callbacks only.

/** Why power changed or the system restarted. */
export type PowerChangeCause =
  /** Chassis Control (or another IPMI request). */
  | 'command'
  /** The watchdog's timeout action. */
  | 'watchdog'
  /** Power applied when the BMC started (power restore policy). */
  | 'restore-policy'
  /** A front-panel button press (power or reset). */
  | 'button'
  /** The operating system: ACPI shutdown, reboot, wake event. */
  | 'guest'
  /** The machine went away on its own (the VM process exited). */
  | 'exited'
  /** A reset whose origin the platform cannot tell. */
  | 'reset';

export type PlatformAction = 'power-on' | 'power-off' | 'soft-off' | 'hard-reset' | 'diagnostic-interrupt';

/** Boot device override (boot option parameter 5 device selector), by ipmitool's names. */
export type BootDeviceName =
  | 'none'
  | 'pxe'
  | 'disk'
  | 'safe'
  | 'diag'
  | 'cdrom'
  | 'bios'
  | 'remote-floppy'
  | 'remote-cdrom'
  | 'remote-primary'
  | 'remote-disk'
  | 'floppy';

/** What the next boot should do, from valid boot flags (boot option parameter 5). */
export interface BootRequest {
  device: BootDeviceName;
  efi: boolean;
  /** Applies to every boot, not only the next one. */
  persistent: boolean;
  cmosClear: boolean;
  /** Device instance selector (0 = unspecified). */
  deviceInstance: number;
  /** The five data bytes of parameter 5, for anything not decoded above. */
  flags: Uint8Array;
}

export interface Platform {
  /** Current power state. */
  readonly poweredOn: boolean;
  /**
   * Optional: the power state before the BMC's first start when the config does not give one
   * (chassis.power), for the "previous" restore policy. Default on (a simulated server); a VM
   * stays off until something powers it on.
   */
  readonly defaultPower?: 'on' | 'off';
  /** Optional: false for actions the machine cannot perform (the BMC then answers 0xCC / 0xD5). */
  supports?(action: PlatformAction): boolean;
  powerOn(cause: PowerChangeCause): void | Promise<void>;
  /** Hard power off. */
  powerOff(cause: PowerChangeCause): void | Promise<void>;
  /** Soft shutdown via ACPI (the guest decides). */
  softOff(): void | Promise<void>;
  hardReset(cause: PowerChangeCause): void | Promise<void>;
  /** Pulse diagnostic interrupt (NMI); also the watchdog's NMI pre-timeout interrupt. */
  diagnosticInterrupt(): void | Promise<void>;
  /** Installed by the BMC: the platform calls it whenever power changes, on its own or by a request. */
  onPowerChange: (on: boolean, cause: PowerChangeCause) => void;
  /** Installed by the BMC: called on a reset of a running system (restart cause bookkeeping). */
  onReset: (cause: PowerChangeCause) => void;
  /**
   * Installed by the BMC: the boot override the system should use now, or undefined for the
   * normal boot order. A platform that chooses the boot device itself (QEMU's -boot / bootindex)
   * reads it just before it powers on or resets; the BMC clears a one-time override when it
   * is told about the power-on or reset.
   */
  bootRequest: () => BootRequest | undefined;
}

/** A platform that is only state: power flips immediately, resets and NMIs are recorded. */
export class StandalonePlatform implements Platform {
  poweredOn: boolean;
  resets = 0;
  nmis = 0;
  softOffRequests = 0;
  /** Actions to refuse, to stand in for a machine that cannot do everything. */
  readonly unsupported = new Set<PlatformAction>();
  /** The boot request seen at the latest power-ons and resets, newest last (for tests). */
  readonly boots: (BootRequest | undefined)[] = [];
  onPowerChange: Platform['onPowerChange'] = () => {};
  onReset: Platform['onReset'] = () => {};
  bootRequest: Platform['bootRequest'] = () => undefined;

  constructor(initiallyOn = false) {
    this.poweredOn = initiallyOn;
  }

  supports(action: PlatformAction): boolean {
    return !this.unsupported.has(action);
  }

  powerOn(cause: PowerChangeCause): void {
    if (this.poweredOn) return;
    this.noteBoot();
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
    this.powerOff('guest');
  }

  hardReset(cause: PowerChangeCause): void {
    if (!this.poweredOn) return;
    this.resets++;
    this.noteBoot();
    this.onReset(cause);
  }

  diagnosticInterrupt(): void {
    if (this.poweredOn) this.nmis++;
  }

  private noteBoot(): void {
    this.boots.push(this.bootRequest());
    if (this.boots.length > 32) this.boots.shift();
  }
}
