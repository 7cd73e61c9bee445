// Chassis netFn (0x00) commands (IPMI v2.0 §28). Privileges follow Appendix G.

import { Writer } from '../../protocol/bytes.js';
import { Privilege, defineCommand, EMPTY, NetFn, type AnySpec, type Codec } from '../spec.js';

const { User, Operator, Administrator } = Privilege;

type Empty = Record<string, never>;

/** The request part of a spec for a command without request data. */
const NO_DATA = { minRequestLength: 0, maxRequestLength: 0, request: EMPTY } as const;

// ---- capabilities and status (§28.1, §28.2) -------------------------------------------------

export interface ChassisCapabilities {
  intrusionSensor: boolean;
  frontPanelLockout: boolean;
  diagnosticInterrupt: boolean;
  powerInterlock: boolean;
  fruDeviceAddress: number;
  sdrDeviceAddress: number;
  selDeviceAddress: number;
  systemManagementDeviceAddress: number;
  /** Optional sixth byte. */
  bridgeDeviceAddress?: number;
}

export const getChassisCapabilities = defineCommand<Empty, ChassisCapabilities>({
  name: 'Get Chassis Capabilities',
  netFn: NetFn.Chassis,
  cmd: 0x00,
  access: User,
  ...NO_DATA,
  response: {
    encode(w, v) {
      w.u8((v.powerInterlock ? 0x08 : 0) | (v.diagnosticInterrupt ? 0x04 : 0) | (v.frontPanelLockout ? 0x02 : 0) | (v.intrusionSensor ? 0x01 : 0));
      w.u8(v.fruDeviceAddress).u8(v.sdrDeviceAddress).u8(v.selDeviceAddress).u8(v.systemManagementDeviceAddress);
      if (v.bridgeDeviceAddress !== undefined) w.u8(v.bridgeDeviceAddress);
    },
    decode(r) {
      const f = r.u8();
      const out: ChassisCapabilities = {
        intrusionSensor: (f & 0x01) !== 0,
        frontPanelLockout: (f & 0x02) !== 0,
        diagnosticInterrupt: (f & 0x04) !== 0,
        powerInterlock: (f & 0x08) !== 0,
        fruDeviceAddress: r.u8(),
        sdrDeviceAddress: r.u8(),
        selDeviceAddress: r.u8(),
        systemManagementDeviceAddress: r.u8(),
      };
      if (r.remaining > 0) out.bridgeDeviceAddress = r.u8();
      return out;
    },
  },
});

/** Power restore policy codes (Get Chassis Status byte 2 bits 6:5, Set Power Restore Policy). */
export const RestorePolicyCode = { AlwaysOff: 0, Previous: 1, AlwaysOn: 2, Unknown: 3, NoChange: 3 } as const;

/** Last power event bits (Get Chassis Status byte 3). */
export const LastPowerEvent = { AcFailed: 0x01, Overload: 0x02, Interlock: 0x04, Fault: 0x08, PowerOnViaIpmi: 0x10 } as const;

/** Chassis identify state (Get Chassis Status byte 4 bits 5:4). */
export const IdentifyState = { Off: 0, Timed: 1, Indefinite: 2 } as const;

/** Front panel button bits: Set Front Panel Enables byte 1 and Get Chassis Status byte 5 (low nibble disabled, high nibble "disable allowed"). */
export const FrontPanelButton = { PowerOff: 0x01, Reset: 0x02, DiagnosticInterrupt: 0x04, Standby: 0x08 } as const;

export interface ChassisStatus {
  powerOn: boolean;
  powerOverload: boolean;
  interlock: boolean;
  powerFault: boolean;
  powerControlFault: boolean;
  /** RestorePolicyCode. */
  restorePolicy: number;
  /** LastPowerEvent bits. */
  lastPowerEvent: number;
  intrusion: boolean;
  frontPanelLockout: boolean;
  driveFault: boolean;
  fanFault: boolean;
  /** IdentifyState. */
  identifyState: number;
  identifySupported: boolean;
  /** Optional byte 5: FrontPanelButton bits that are disabled / whose disabling is allowed. */
  frontPanel?: { disabled: number; disableAllowed: number };
}

export const getChassisStatus = defineCommand<Empty, ChassisStatus>({
  name: 'Get Chassis Status',
  netFn: NetFn.Chassis,
  cmd: 0x01,
  access: User,
  ...NO_DATA,
  response: {
    encode(w, v) {
      w.u8(
        (v.powerOn ? 0x01 : 0) |
          (v.powerOverload ? 0x02 : 0) |
          (v.interlock ? 0x04 : 0) |
          (v.powerFault ? 0x08 : 0) |
          (v.powerControlFault ? 0x10 : 0) |
          ((v.restorePolicy & 3) << 5),
      );
      w.u8(v.lastPowerEvent & 0x1f);
      w.u8(
        (v.intrusion ? 0x01 : 0) |
          (v.frontPanelLockout ? 0x02 : 0) |
          (v.driveFault ? 0x04 : 0) |
          (v.fanFault ? 0x08 : 0) |
          ((v.identifyState & 3) << 4) |
          (v.identifySupported ? 0x40 : 0),
      );
      if (v.frontPanel) w.u8(((v.frontPanel.disableAllowed & 0x0f) << 4) | (v.frontPanel.disabled & 0x0f));
    },
    decode(r) {
      const p = r.u8();
      const e = r.u8();
      const m = r.u8();
      const out: ChassisStatus = {
        powerOn: (p & 0x01) !== 0,
        powerOverload: (p & 0x02) !== 0,
        interlock: (p & 0x04) !== 0,
        powerFault: (p & 0x08) !== 0,
        powerControlFault: (p & 0x10) !== 0,
        restorePolicy: (p >> 5) & 3,
        lastPowerEvent: e & 0x1f,
        intrusion: (m & 0x01) !== 0,
        frontPanelLockout: (m & 0x02) !== 0,
        driveFault: (m & 0x04) !== 0,
        fanFault: (m & 0x08) !== 0,
        identifyState: (m >> 4) & 3,
        identifySupported: (m & 0x40) !== 0,
      };
      if (r.remaining > 0) {
        const f = r.u8();
        out.frontPanel = { disabled: f & 0x0f, disableAllowed: f >> 4 };
      }
      return out;
    },
  },
});

// ---- control (§28.3-28.6) --------------------------------------------------------------------

export const ChassisAction = { PowerDown: 0, PowerUp: 1, PowerCycle: 2, HardReset: 3, DiagnosticInterrupt: 4, SoftShutdown: 5 } as const;

export const chassisControl = defineCommand<{ action: number }, Empty>({
  name: 'Chassis Control',
  netFn: NetFn.Chassis,
  cmd: 0x02,
  access: Operator,
  minRequestLength: 1,
  maxRequestLength: 1,
  // The whole byte: bits 7:4 are reserved, so a non-zero high nibble is a bad field.
  request: { encode: (w, v) => void w.u8(v.action), decode: (r) => ({ action: r.u8() }) },
  response: EMPTY,
});

export interface ChassisIdentifyRequest {
  /** Seconds; undefined = the BMC's default (15 s); 0 = off. */
  interval?: number;
  /** Turn identify on until told otherwise (optional byte 2; overrides the interval). */
  force?: boolean;
}
export const chassisIdentify = defineCommand<ChassisIdentifyRequest, Empty>({
  name: 'Chassis Identify',
  netFn: NetFn.Chassis,
  cmd: 0x04,
  access: Operator,
  minRequestLength: 0,
  maxRequestLength: 2,
  request: {
    encode(w, v) {
      if (v.force) w.u8(v.interval ?? 0).u8(1);
      else if (v.interval !== undefined) w.u8(v.interval);
    },
    decode(r) {
      const out: ChassisIdentifyRequest = {};
      if (r.remaining > 0) out.interval = r.u8();
      if (r.remaining > 0) out.force = (r.u8() & 0x01) !== 0;
      return out;
    },
  },
  response: EMPTY,
});

export const setPowerRestorePolicy = defineCommand<{ policy: number }, { supported: number }>({
  name: 'Set Power Restore Policy',
  netFn: NetFn.Chassis,
  cmd: 0x06,
  access: Operator,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.policy), decode: (r) => ({ policy: r.u8() }) },
  // Bit n set = RestorePolicyCode n supported.
  response: { encode: (w, v) => void w.u8(v.supported), decode: (r) => ({ supported: r.u8() }) },
});

export const RestartCause = {
  Unknown: 0x0,
  ChassisControl: 0x1,
  ResetButton: 0x2,
  PowerButton: 0x3,
  Watchdog: 0x4,
  Oem: 0x5,
  AlwaysRestorePolicy: 0x6,
  RestorePreviousPolicy: 0x7,
  PefReset: 0x8,
  PefPowerCycle: 0x9,
  SoftReset: 0xa,
  RtcWakeup: 0xb,
} as const;

export const getSystemRestartCause = defineCommand<Empty, { cause: number; channel: number }>({
  name: 'Get System Restart Cause',
  netFn: NetFn.Chassis,
  cmd: 0x07,
  access: User,
  ...NO_DATA,
  response: {
    encode: (w, v) => void w.u8(v.cause & 0x0f).u8(v.channel & 0x0f),
    decode: (r) => ({ cause: r.u8() & 0x0f, channel: r.optU8(0) & 0x0f }),
  },
});

export const setFrontPanelEnables = defineCommand<{ disable: number }, Empty>({
  name: 'Set Front Panel Enables',
  netFn: NetFn.Chassis,
  cmd: 0x0a,
  access: Administrator,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.disable), decode: (r) => ({ disable: r.u8() }) },
  response: EMPTY,
});

export const setPowerCycleInterval = defineCommand<{ seconds: number }, Empty>({
  name: 'Set Power Cycle Interval',
  netFn: NetFn.Chassis,
  cmd: 0x0b,
  access: Administrator,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.seconds), decode: (r) => ({ seconds: r.u8() }) },
  response: EMPTY,
});

export const getPohCounter = defineCommand<Empty, { minutesPerCount: number; counter: number }>({
  name: 'Get POH Counter',
  netFn: NetFn.Chassis,
  cmd: 0x0f,
  access: User,
  ...NO_DATA,
  response: {
    encode: (w, v) => void w.u8(v.minutesPerCount).u32(v.counter >>> 0),
    decode: (r) => ({ minutesPerCount: r.u8(), counter: r.u32() }),
  },
});

// ---- system boot options (§28.12, §28.13, Table 28-14) -----------------------------------------

export const BootParam = {
  SetInProgress: 0,
  ServicePartitionSelector: 1,
  ServicePartitionScan: 2,
  ValidBitClearing: 3,
  BootInfoAcknowledge: 4,
  BootFlags: 5,
  BootInitiatorInfo: 6,
  BootInitiatorMailbox: 7,
} as const;

/** Parameter 3 bits: set = the BMC does NOT clear the boot flags valid bit on that event. */
export const ValidBitClearing = { PowerButton: 0x01, ResetButton: 0x02, Watchdog: 0x04, Timeout: 0x08, Pef: 0x10 } as const;

export const BOOT_OPTIONS_PARAMETER_VERSION = 0x01;

export interface SetBootOptionRequest {
  parameter: number;
  /** Bit 7 of byte 1: mark the parameter invalid/locked. */
  invalid: boolean;
  data: Uint8Array;
}
export const setSystemBootOptions = defineCommand<SetBootOptionRequest, Empty>({
  name: 'Set System Boot Options',
  netFn: NetFn.Chassis,
  cmd: 0x08,
  access: Operator,
  minRequestLength: 1,
  request: {
    encode: (w, v) => void w.u8((v.invalid ? 0x80 : 0) | (v.parameter & 0x7f)).bytes(v.data),
    decode(r) {
      const b = r.u8();
      return { parameter: b & 0x7f, invalid: (b & 0x80) !== 0, data: r.rest().slice() };
    },
  },
  response: EMPTY,
  completionCodes: {
    0x80: 'parameter not supported',
    0x81: "attempt to set the 'set in progress' value when not in the 'set complete' state",
    0x82: 'attempt to write a read-only parameter',
  },
});

export interface GetBootOptionRequest {
  parameter: number;
  setSelector: number;
  blockSelector: number;
}
export interface BootOption {
  version: number;
  parameter: number;
  /** Bit 7 of byte 2: the parameter is marked invalid/locked. */
  invalid: boolean;
  data: Uint8Array;
}
export const getSystemBootOptions = defineCommand<GetBootOptionRequest, BootOption>({
  name: 'Get System Boot Options',
  netFn: NetFn.Chassis,
  cmd: 0x09,
  access: Operator,
  minRequestLength: 3,
  maxRequestLength: 3,
  request: {
    encode: (w, v) => void w.u8(v.parameter & 0x7f).u8(v.setSelector).u8(v.blockSelector),
    decode: (r) => ({ parameter: r.u8() & 0x7f, setSelector: r.u8(), blockSelector: r.u8() }),
  },
  response: {
    encode: (w, v) => void w.u8(v.version & 0x0f).u8((v.invalid ? 0x80 : 0) | (v.parameter & 0x7f)).bytes(v.data),
    decode(r) {
      const version = r.u8() & 0x0f;
      const b = r.u8();
      return { version, parameter: b & 0x7f, invalid: (b & 0x80) !== 0, data: r.rest().slice() };
    },
  },
  completionCodes: { 0x80: 'parameter not supported' },
});

/** Boot device selector (parameter 5, data byte 2 bits 5:2). */
export const BootDevice = {
  None: 0x0,
  Pxe: 0x1,
  Disk: 0x2,
  DiskSafeMode: 0x3,
  DiagnosticPartition: 0x4,
  Cdrom: 0x5,
  BiosSetup: 0x6,
  RemoteFloppy: 0x7,
  RemoteCdrom: 0x8,
  RemotePrimaryMedia: 0x9,
  RemoteDisk: 0xb,
  Floppy: 0xf,
} as const;

/** The five data bytes of boot option parameter 5. */
export interface BootFlags {
  valid: boolean;
  /** false = next boot only. */
  persistent: boolean;
  /** false = PC compatible (legacy) boot. */
  efi: boolean;
  cmosClear: boolean;
  lockKeyboard: boolean;
  /** BootDevice. */
  device: number;
  screenBlank: boolean;
  lockResetButton: boolean;
  lockPowerButton: boolean;
  /** 0 default, 1 quiet, 2 verbose. */
  verbosity: number;
  forceProgressEventTraps: boolean;
  passwordBypass: boolean;
  lockSleepButton: boolean;
  /** 0 BIOS setting, 1 suppress, 2 enable. */
  consoleRedirection: number;
  biosSharedModeOverride: boolean;
  /** 0 recommended, 1 force to BMC, 2 force to system. */
  biosMuxControl: number;
  deviceInstance: number;
}

export const bootFlagsCodec: Codec<BootFlags> = {
  encode(w, f) {
    w.u8((f.valid ? 0x80 : 0) | (f.persistent ? 0x40 : 0) | (f.efi ? 0x20 : 0));
    w.u8((f.cmosClear ? 0x80 : 0) | (f.lockKeyboard ? 0x40 : 0) | ((f.device & 0x0f) << 2) | (f.screenBlank ? 0x02 : 0) | (f.lockResetButton ? 0x01 : 0));
    w.u8(
      (f.lockPowerButton ? 0x80 : 0) |
        ((f.verbosity & 3) << 5) |
        (f.forceProgressEventTraps ? 0x10 : 0) |
        (f.passwordBypass ? 0x08 : 0) |
        (f.lockSleepButton ? 0x04 : 0) |
        (f.consoleRedirection & 3),
    );
    w.u8((f.biosSharedModeOverride ? 0x08 : 0) | (f.biosMuxControl & 7));
    w.u8(f.deviceInstance & 0x1f);
  },
  decode(r) {
    const b1 = r.u8();
    const b2 = r.u8();
    const b3 = r.u8();
    const b4 = r.u8();
    const b5 = r.u8();
    return {
      valid: (b1 & 0x80) !== 0,
      persistent: (b1 & 0x40) !== 0,
      efi: (b1 & 0x20) !== 0,
      cmosClear: (b2 & 0x80) !== 0,
      lockKeyboard: (b2 & 0x40) !== 0,
      device: (b2 >> 2) & 0x0f,
      screenBlank: (b2 & 0x02) !== 0,
      lockResetButton: (b2 & 0x01) !== 0,
      lockPowerButton: (b3 & 0x80) !== 0,
      verbosity: (b3 >> 5) & 3,
      forceProgressEventTraps: (b3 & 0x10) !== 0,
      passwordBypass: (b3 & 0x08) !== 0,
      lockSleepButton: (b3 & 0x04) !== 0,
      consoleRedirection: b3 & 3,
      biosSharedModeOverride: (b4 & 0x08) !== 0,
      biosMuxControl: b4 & 7,
      deviceInstance: b5 & 0x1f,
    };
  },
};

export function encodeBootFlags(f: BootFlags): Uint8Array {
  const w = new Writer(5);
  bootFlagsCodec.encode(w, f);
  return w.finish();
}

export const chassisCommands: readonly AnySpec[] = [
  getChassisCapabilities,
  getChassisStatus,
  chassisControl,
  chassisIdentify,
  setPowerRestorePolicy,
  getSystemRestartCause,
  setSystemBootOptions,
  getSystemBootOptions,
  setFrontPanelEnables,
  setPowerCycleInterval,
  getPohCounter,
];
