// System boot options (IPMI v2.0 §28.12-28.13, Table 28-14), parameters 0-7. Owner: chassis.
//
// The boot flags (parameter 5) are a request from a remote console to the BIOS. Their valid
// bit is cleared by the BMC:
// * 60 s after it was set, unless a system restart came first (parameter 3 bit 3 disables this);
// * on a restart the remote console did not ask for (power button or wake, reset button or
//   soft reset, watchdog, PEF), so that the override does not hit an unrelated boot, unless
//   the matching parameter 3 bit says not to;
// * after the boot that used them, when they were for the next boot only. On real hardware
//   the BIOS does that; here no BIOS reads them, so the BMC does it when it learns of the
//   power-on or reset.

import { CC } from '../../protocol/completion-codes.js';
import { decodeWith } from '../../ipmi/spec.js';
import {
  BOOT_OPTIONS_PARAMETER_VERSION,
  BootDevice,
  BootParam,
  bootFlagsCodec,
  ValidBitClearing,
  type BootOption,
} from '../../ipmi/commands/chassis.js';
import type { TimerHandle } from '../clock.js';
import type { BootDeviceName, BootRequest, PowerChangeCause } from '../platform.js';
import { bytesOf, hexOf } from '../store.js';
import type { BmcCore } from '../core.js';

/** Mailbox size: 16 blocks of 16 bytes (the spec asks for at least 80 bytes). */
export const MAILBOX_BLOCKS = 16;
const BLOCK = 16;
/** The boot flags valid bit lives this long without a restart (§28.12: 60 s). */
export const BOOT_FLAGS_VALID_MS = 60_000;
const STORE_KEY = 'boot-options';

/** Data length of each writable parameter; the mailbox (7) is a block number plus 1-16 bytes. */
const SET_LENGTH: Record<number, number> = { 0: 1, 1: 1, 2: 1, 3: 1, 4: 2, 5: 5, 6: 9 };

const DEVICE_NAMES: Record<number, BootDeviceName> = {
  [BootDevice.None]: 'none',
  [BootDevice.Pxe]: 'pxe',
  [BootDevice.Disk]: 'disk',
  [BootDevice.DiskSafeMode]: 'safe',
  [BootDevice.DiagnosticPartition]: 'diag',
  [BootDevice.Cdrom]: 'cdrom',
  [BootDevice.BiosSetup]: 'bios',
  [BootDevice.RemoteFloppy]: 'remote-floppy',
  [BootDevice.RemoteCdrom]: 'remote-cdrom',
  [BootDevice.RemotePrimaryMedia]: 'remote-primary',
  [BootDevice.RemoteDisk]: 'remote-disk',
  [BootDevice.Floppy]: 'floppy',
};

/** Kinds of restart the valid-bit rules distinguish. */
export type RestartKind = 'power-on' | 'reset';

interface Saved {
  v: 1;
  invalid: number;
  servicePartition: number;
  scan: number;
  clearing: number;
  ack: number;
  flags: string;
  initiator: string;
  mailbox: string;
}

export class BootOptions {
  private readonly bmc: BmcCore;
  /** Parameter 0: 0 set complete, 1 set in progress, 2 commit write. Volatile. */
  setInProgress = 0;
  /** Bit n set = parameter n marked invalid/locked by Set System Boot Options bit 7. */
  private invalidMask = 0;
  servicePartition = 0;
  scan = 0;
  /** Parameter 3: ValidBitClearing bits (set = don't clear). */
  clearing = 0;
  /** Parameter 4 data byte 2. */
  acknowledge = 0;
  flags = new Uint8Array(5);
  initiatorInfo = new Uint8Array(9);
  readonly mailbox = new Uint8Array(MAILBOX_BLOCKS * BLOCK);
  private validTimer: TimerHandle | undefined;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    this.load();
    if (this.valid) this.armValidTimer();
  }

  get valid(): boolean {
    return (this.flags[0]! & 0x80) !== 0;
  }

  get persistent(): boolean {
    return (this.flags[0]! & 0x40) !== 0;
  }

  /** Get System Boot Options: the parameter, or a completion code. */
  get(parameter: number, setSelector: number): BootOption | number {
    let data: Uint8Array;
    switch (parameter) {
      case BootParam.SetInProgress:
        data = Uint8Array.of(this.setInProgress);
        break;
      case BootParam.ServicePartitionSelector:
        data = Uint8Array.of(this.servicePartition);
        break;
      case BootParam.ServicePartitionScan:
        data = Uint8Array.of(this.scan);
        break;
      case BootParam.ValidBitClearing:
        data = Uint8Array.of(this.clearing);
        break;
      case BootParam.BootInfoAcknowledge:
        data = Uint8Array.of(0x00, this.acknowledge);
        break;
      case BootParam.BootFlags:
        data = this.flags.slice();
        break;
      case BootParam.BootInitiatorInfo:
        data = this.initiatorInfo.slice();
        break;
      case BootParam.BootInitiatorMailbox: {
        if (setSelector >= MAILBOX_BLOCKS) return CC.ParameterOutOfRange;
        data = new Uint8Array(1 + BLOCK);
        data[0] = setSelector;
        data.set(this.mailbox.subarray(setSelector * BLOCK, (setSelector + 1) * BLOCK), 1);
        break;
      }
      default:
        return 0x80;
    }
    return { version: BOOT_OPTIONS_PARAMETER_VERSION, parameter, invalid: (this.invalidMask & (1 << parameter)) !== 0, data };
  }

  /** Set System Boot Options: CC.Ok or the completion code. */
  set(parameter: number, invalid: boolean, data: Uint8Array): number {
    if (parameter > BootParam.BootInitiatorMailbox) return 0x80;
    if (parameter === BootParam.BootInitiatorMailbox) {
      if (data.length < 2 || data.length > 1 + BLOCK) return CC.RequestDataLengthInvalid;
    } else if (data.length !== SET_LENGTH[parameter]) {
      return CC.RequestDataLengthInvalid;
    }
    const b = data[0]!;
    switch (parameter) {
      case BootParam.SetInProgress: {
        const state = b & 3;
        if (state === 3) return CC.InvalidDataField;
        if (state === 1 && this.setInProgress !== 0) return 0x81;
        // Writes take effect as they arrive, so a commit has nothing left to do.
        this.setInProgress = state === 2 ? 0 : state;
        break;
      }
      case BootParam.ServicePartitionSelector:
        this.servicePartition = b;
        break;
      case BootParam.ServicePartitionScan:
        this.scan = b & 0x03;
        break;
      case BootParam.ValidBitClearing:
        this.clearing = b & 0x1f;
        if (this.clearing & ValidBitClearing.Timeout) this.cancelValidTimer();
        else if (this.valid && !this.validTimer) this.armValidTimer();
        break;
      case BootParam.BootInfoAcknowledge: {
        const mask = b & 0x1f;
        this.acknowledge = (this.acknowledge & ~mask) | (data[1]! & mask);
        break;
      }
      case BootParam.BootFlags:
        this.flags = data.slice();
        if (this.valid) this.armValidTimer();
        else this.cancelValidTimer();
        break;
      case BootParam.BootInitiatorInfo:
        this.initiatorInfo = data.slice();
        break;
      case BootParam.BootInitiatorMailbox:
        if (b >= MAILBOX_BLOCKS) return CC.ParameterOutOfRange;
        this.mailbox.set(data.subarray(1), b * BLOCK);
        break;
    }
    this.invalidMask = invalid ? this.invalidMask | (1 << parameter) : this.invalidMask & ~(1 << parameter);
    if (parameter !== BootParam.SetInProgress) this.save();
    return CC.Ok;
  }

  /** The override the next boot should use (Platform.bootRequest). */
  request(): BootRequest | undefined {
    if (!this.valid) return undefined;
    const f = decodeWith(bootFlagsCodec, this.flags);
    return {
      device: DEVICE_NAMES[f.device] ?? 'none',
      efi: f.efi,
      persistent: f.persistent,
      cmosClear: f.cmosClear,
      deviceInstance: f.deviceInstance,
      flags: this.flags.slice(),
    };
  }

  /** Whether a restart of this origin must not use the flags (parameter 3 rules). */
  private discards(cause: PowerChangeCause, kind: RestartKind): boolean {
    switch (cause) {
      case 'watchdog':
        return !(this.clearing & ValidBitClearing.Watchdog);
      case 'button':
      case 'guest':
        return !(this.clearing & (kind === 'power-on' ? ValidBitClearing.PowerButton : ValidBitClearing.ResetButton));
      case 'reset':
        return !(this.clearing & ValidBitClearing.ResetButton);
      default:
        // Chassis Control and power applied by the restore policy are the restarts the
        // remote console meant.
        return false;
    }
  }

  /** Called by the chassis just before it asks the platform for a restart. */
  beforeRestart(cause: PowerChangeCause, kind: RestartKind): void {
    if (this.valid && this.discards(cause, kind)) this.clearValid(`${kind} by ${cause}`);
  }

  /**
   * Called when the system has powered on or reset, whoever asked for it. Returns the
   * override that boot used, if any.
   */
  afterRestart(cause: PowerChangeCause, kind: RestartKind): BootRequest | undefined {
    if (!this.valid) return undefined;
    // A restart happened: the 60-second rule is satisfied either way.
    this.cancelValidTimer();
    if (this.discards(cause, kind)) {
      this.clearValid(`${kind} by ${cause}`);
      return undefined;
    }
    const used = this.request();
    if (!this.persistent) this.clearValid('used by the boot (next boot only)');
    return used;
  }

  /** BMC cold reset: the volatile parameter returns to its default. */
  bmcReset(): void {
    this.setInProgress = 0;
  }

  private clearValid(why: string): void {
    this.flags[0] = this.flags[0]! & ~0x80;
    this.cancelValidTimer();
    this.bmc.log.debug('boot flags valid bit cleared', { why });
    this.save();
  }

  private armValidTimer(): void {
    this.cancelValidTimer();
    if (this.clearing & ValidBitClearing.Timeout) return;
    this.validTimer = this.bmc.clock.setTimer(BOOT_FLAGS_VALID_MS, () => {
      this.validTimer = undefined;
      if (this.valid) this.clearValid('no restart within 60 s');
    });
  }

  private cancelValidTimer(): void {
    this.validTimer?.cancel();
    this.validTimer = undefined;
  }

  private save(): void {
    const s: Saved = {
      v: 1,
      invalid: this.invalidMask,
      servicePartition: this.servicePartition,
      scan: this.scan,
      clearing: this.clearing,
      ack: this.acknowledge,
      flags: hexOf(this.flags),
      initiator: hexOf(this.initiatorInfo),
      mailbox: hexOf(this.mailbox),
    };
    this.bmc.store.save(STORE_KEY, s);
  }

  private load(): void {
    const s = this.bmc.store.load(STORE_KEY) as Partial<Saved> | undefined;
    if (!s || s.v !== 1) return;
    this.invalidMask = (s.invalid ?? 0) & 0xff;
    this.servicePartition = (s.servicePartition ?? 0) & 0xff;
    this.scan = (s.scan ?? 0) & 0x03;
    this.clearing = (s.clearing ?? 0) & 0x1f;
    this.acknowledge = (s.ack ?? 0) & 0x1f;
    const fixed = (hex: string | undefined, n: number) => {
      const out = new Uint8Array(n);
      if (typeof hex === 'string') out.set(bytesOf(hex).subarray(0, n));
      return out;
    };
    this.flags = fixed(s.flags, 5);
    this.initiatorInfo = fixed(s.initiator, 9);
    this.mailbox.set(fixed(s.mailbox, this.mailbox.length));
  }
}
