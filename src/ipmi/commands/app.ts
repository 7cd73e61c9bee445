// Application netFn (0x06) commands: device identity, sessions, channels, users, BMC
// enables/messages (IPMI v2.0 §20-22). Privileges follow Appendix G.

import { Reader, Writer } from '../../protocol/bytes.js';
import { Privilege, defineCommand, EMPTY, NetFn, rawField, type Codec } from '../spec.js';

const { User, Operator, Administrator, Callback } = Privilege;

// ---- device (§20) --------------------------------------------------------------------------

export interface DeviceId {
  deviceId: number;
  deviceRevision: number;
  providesDeviceSdrs: boolean;
  /** false while a firmware update is in progress (bit 7 of byte 4 set). */
  deviceAvailable: boolean;
  firmwareMajor: number;
  /** Minor firmware revision as the raw BCD byte. */
  firmwareMinor: number;
  /** BCD: 0x02 = 2.0, 0x51 = 1.5. */
  ipmiVersion: number;
  /** Bit 0 sensor, 1 SDR repository, 2 SEL, 3 FRU, 4 IPMB event receiver, 5 event generator, 6 bridge, 7 chassis. */
  additionalDeviceSupport: number;
  manufacturerId: number;
  productId: number;
  /** 4 bytes when present (optional in the spec). */
  auxFirmwareRevision: Uint8Array | undefined;
}

export const getDeviceId = defineCommand<Record<string, never>, DeviceId>({
  name: 'Get Device ID',
  netFn: NetFn.App,
  cmd: 0x01,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: {
    encode(w, v) {
      w.u8(v.deviceId);
      w.u8((v.providesDeviceSdrs ? 0x80 : 0) | (v.deviceRevision & 0x0f));
      w.u8((v.deviceAvailable ? 0 : 0x80) | (v.firmwareMajor & 0x7f));
      w.u8(v.firmwareMinor).u8(v.ipmiVersion).u8(v.additionalDeviceSupport);
      w.u24(v.manufacturerId & 0x0fffff).u16(v.productId);
      if (v.auxFirmwareRevision) w.padded(v.auxFirmwareRevision, 4);
    },
    decode(r) {
      const deviceId = r.u8();
      const b2 = r.u8();
      const b3 = r.u8();
      const firmwareMinor = r.u8();
      const ipmiVersion = r.u8();
      const additionalDeviceSupport = r.u8();
      const manufacturerId = r.u24() & 0x0fffff;
      const productId = r.u16();
      const auxFirmwareRevision = r.remaining >= 4 ? r.bytes(4).slice() : undefined;
      return {
        deviceId,
        deviceRevision: b2 & 0x0f,
        providesDeviceSdrs: (b2 & 0x80) !== 0,
        deviceAvailable: (b3 & 0x80) === 0,
        firmwareMajor: b3 & 0x7f,
        firmwareMinor,
        ipmiVersion,
        additionalDeviceSupport,
        manufacturerId,
        productId,
        auxFirmwareRevision,
      };
    },
  },
});

export const coldReset = defineCommand({ name: 'Cold Reset', netFn: NetFn.App, cmd: 0x02, access: Administrator, minRequestLength: 0, request: EMPTY, response: EMPTY });
export const warmReset = defineCommand({ name: 'Warm Reset', netFn: NetFn.App, cmd: 0x03, access: Administrator, minRequestLength: 0, request: EMPTY, response: EMPTY });

export interface SelfTestResult {
  /** 0x55 passed, 0x56 not implemented, 0x57 corrupted/inaccessible, 0x58 fatal. */
  result: number;
  detail: number;
}
export const getSelfTestResults = defineCommand<Record<string, never>, SelfTestResult>({
  name: 'Get Self Test Results',
  netFn: NetFn.App,
  cmd: 0x04,
  access: User,
  minRequestLength: 0,
  request: EMPTY,
  response: {
    encode: (w, v) => void w.u8(v.result).u8(v.detail),
    decode: (r) => ({ result: r.u8(), detail: r.optU8(0) }),
  },
});

export interface AcpiPowerState {
  systemState: number;
  deviceState: number;
}
export const setAcpiPowerState = defineCommand<{ systemState?: number; deviceState?: number }, Record<string, never>>({
  name: 'Set ACPI Power State',
  netFn: NetFn.App,
  cmd: 0x06,
  access: Administrator,
  minRequestLength: 2,
  request: {
    encode(w, v) {
      w.u8(v.systemState === undefined ? 0x7f : 0x80 | v.systemState).u8(v.deviceState === undefined ? 0x7f : 0x80 | v.deviceState);
    },
    decode(r) {
      const s = r.u8();
      const d = r.u8();
      const out: { systemState?: number; deviceState?: number } = {};
      if (s & 0x80) out.systemState = s & 0x7f;
      if (d & 0x80) out.deviceState = d & 0x7f;
      return out;
    },
  },
  response: EMPTY,
});
export const getAcpiPowerState = defineCommand<Record<string, never>, AcpiPowerState>({
  name: 'Get ACPI Power State',
  netFn: NetFn.App,
  cmd: 0x07,
  access: User,
  minRequestLength: 0,
  request: EMPTY,
  response: {
    encode: (w, v) => void w.u8(v.systemState & 0x7f).u8(v.deviceState & 0x7f),
    decode: (r) => ({ systemState: r.u8() & 0x7f, deviceState: r.u8() & 0x7f }),
  },
});

const guidResponse = rawField('guid');
export const getDeviceGuid = defineCommand({ name: 'Get Device GUID', netFn: NetFn.App, cmd: 0x08, access: User, minRequestLength: 0, request: EMPTY, response: guidResponse });
export const getSystemGuid = defineCommand({ name: 'Get System GUID', netFn: NetFn.App, cmd: 0x37, access: 'sessionless', minRequestLength: 0, request: EMPTY, response: guidResponse });

// ---- watchdog timer (§27) -------------------------------------------------------------------
// Owner: chassis. Set and Get share most fields; bit 6 of the use byte means "don't stop" in
// Set and "running" in Get.

export const TimerUse = { Reserved: 0, BiosFrb2: 1, BiosPost: 2, OsLoad: 3, SmsOs: 4, Oem: 5 } as const;
export const WatchdogAction = { None: 0, HardReset: 1, PowerDown: 2, PowerCycle: 3 } as const;
export const PreTimeoutInterrupt = { None: 0, Smi: 1, Nmi: 2, Messaging: 3 } as const;

export interface WatchdogSettings {
  /** TimerUse (bits 2:0 of byte 1). */
  timerUse: number;
  dontLog: boolean;
  /** Set only: keep a running timer running with the new countdown. */
  dontStop: boolean;
  /** PreTimeoutInterrupt (bits 6:4 of byte 2). */
  preTimeoutInterrupt: number;
  /** WatchdogAction (bits 2:0 of byte 2). */
  timeoutAction: number;
  /** Seconds before expiry. */
  preTimeoutInterval: number;
  /** Set: expiration flags to clear (bit n = TimerUse n). */
  expirationFlagsClear: number;
  /** 100 ms units. */
  initialCountdown: number;
}

export interface WatchdogStatus {
  timerUse: number;
  dontLog: boolean;
  running: boolean;
  preTimeoutInterrupt: number;
  timeoutAction: number;
  preTimeoutInterval: number;
  /** Bit n = the timer expired while used as TimerUse n. */
  expirationFlags: number;
  initialCountdown: number;
  /** Undefined when the BMC leaves it out (OpenIPMI's ipmi_sim answers with 6 of the 8 bytes). */
  presentCountdown: number | undefined;
}

/** The six bytes Set sends and Get returns first; `bit6` is "don't stop" in Set, "running" in Get. */
interface WatchdogFields {
  timerUse: number;
  dontLog: boolean;
  bit6: boolean;
  preTimeoutInterrupt: number;
  timeoutAction: number;
  preTimeoutInterval: number;
  flags: number;
  initialCountdown: number;
}
const watchdogFields: Codec<WatchdogFields> = {
  encode(w, v) {
    w.u8((v.dontLog ? 0x80 : 0) | (v.bit6 ? 0x40 : 0) | (v.timerUse & 7)).u8(((v.preTimeoutInterrupt & 7) << 4) | (v.timeoutAction & 7));
    w.u8(v.preTimeoutInterval).u8(v.flags).u16(v.initialCountdown);
  },
  decode(r) {
    const use = r.u8();
    const actions = r.u8();
    return {
      timerUse: use & 7,
      dontLog: (use & 0x80) !== 0,
      bit6: (use & 0x40) !== 0,
      preTimeoutInterrupt: (actions >> 4) & 7,
      timeoutAction: actions & 7,
      preTimeoutInterval: r.u8(),
      flags: r.u8(),
      initialCountdown: r.u16(),
    };
  },
};

export const resetWatchdogTimer = defineCommand({
  name: 'Reset Watchdog Timer',
  netFn: NetFn.App,
  cmd: 0x22,
  access: Operator,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: EMPTY,
  completionCodes: { 0x80: 'attempt to start un-initialized watchdog' },
});

export const setWatchdogTimer = defineCommand<WatchdogSettings, Record<string, never>>({
  name: 'Set Watchdog Timer',
  netFn: NetFn.App,
  cmd: 0x24,
  access: Operator,
  minRequestLength: 6,
  maxRequestLength: 6,
  request: {
    encode: (w, { dontStop, expirationFlagsClear, ...v }) => watchdogFields.encode(w, { ...v, bit6: dontStop, flags: expirationFlagsClear }),
    decode(r) {
      const { bit6, flags, ...v } = watchdogFields.decode(r);
      return { ...v, dontStop: bit6, expirationFlagsClear: flags };
    },
  },
  response: EMPTY,
});

export const getWatchdogTimer = defineCommand<Record<string, never>, WatchdogStatus>({
  name: 'Get Watchdog Timer',
  netFn: NetFn.App,
  cmd: 0x25,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: {
    encode(w, { running, expirationFlags, presentCountdown, ...v }) {
      watchdogFields.encode(w, { ...v, bit6: running, flags: expirationFlags });
      if (presentCountdown !== undefined) w.u16(presentCountdown);
    },
    decode(r) {
      const { bit6, flags, ...v } = watchdogFields.decode(r);
      return { ...v, running: bit6, expirationFlags: flags, presentCountdown: r.remaining >= 2 ? r.u16() : undefined };
    },
  },
});

// ---- BMC enables and message flags (§22.1-22.10) ------------------------------------------

export const GlobalEnable = {
  ReceiveMessageQueueInterrupt: 0x01,
  EventMessageBufferFullInterrupt: 0x02,
  EventMessageBuffer: 0x04,
  SystemEventLogging: 0x08,
  Oem0: 0x20,
  Oem1: 0x40,
  Oem2: 0x80,
} as const;

const enablesCodec: Codec<{ enables: number }> = { encode: (w, v) => void w.u8(v.enables), decode: (r) => ({ enables: r.u8() }) };
export const setBmcGlobalEnables = defineCommand({ name: 'Set BMC Global Enables', netFn: NetFn.App, cmd: 0x2e, access: Administrator, minRequestLength: 1, maxRequestLength: 1, request: enablesCodec, response: EMPTY });
export const getBmcGlobalEnables = defineCommand({ name: 'Get BMC Global Enables', netFn: NetFn.App, cmd: 0x2f, access: User, minRequestLength: 0, request: EMPTY, response: enablesCodec });

export const MessageFlag = { ReceiveMessageAvailable: 0x01, EventMessageBufferFull: 0x02, WatchdogPreTimeout: 0x08, Oem0: 0x20, Oem1: 0x40, Oem2: 0x80 } as const;
const flagsCodec: Codec<{ flags: number }> = { encode: (w, v) => void w.u8(v.flags), decode: (r) => ({ flags: r.u8() }) };
export const clearMessageFlags = defineCommand({ name: 'Clear Message Flags', netFn: NetFn.App, cmd: 0x30, access: 'system', minRequestLength: 1, request: flagsCodec, response: EMPTY });
export const getMessageFlags = defineCommand({ name: 'Get Message Flags', netFn: NetFn.App, cmd: 0x31, access: 'system', minRequestLength: 0, request: EMPTY, response: flagsCodec });
export const getMessage = defineCommand({
  name: 'Get Message',
  netFn: NetFn.App,
  cmd: 0x33,
  access: 'system',
  minRequestLength: 0,
  request: EMPTY,
  response: rawField('message'),
  completionCodes: { 0x80: 'data not available (queue empty)' },
});
export const readEventMessageBuffer = defineCommand({
  name: 'Read Event Message Buffer',
  netFn: NetFn.App,
  cmd: 0x35,
  access: 'system',
  minRequestLength: 0,
  request: EMPTY,
  response: rawField('event'),
  completionCodes: { 0x80: 'data not available (queue / buffer empty)' },
});

// ---- sessions (§22.13-22.20) ---------------------------------------------------------------

export interface ChannelAuthCapsRequest {
  /** Request v2.0 extended data (bit 7 of byte 1). */
  extendedData: boolean;
  channel: number;
  requestedPrivilege: number;
}
export interface ChannelAuthCaps {
  channel: number;
  /** Bit 7 set when extended (v2.0) capabilities follow; bits 5,4,2,1,0 = OEM, password, MD5, MD2, none. */
  authTypeSupport: number;
  /** Bit 5 K_G non-zero, 4 per-message auth disabled, 3 user-level auth disabled, 2 non-null usernames, 1 null username, 0 anonymous. */
  authStatus: number;
  /** Bit 1 IPMI v2.0 connections, bit 0 v1.5. */
  extendedCapabilities: number;
  oemId: number;
  oemAuxData: number;
}
export const getChannelAuthCapabilities = defineCommand<ChannelAuthCapsRequest, ChannelAuthCaps>({
  name: 'Get Channel Authentication Capabilities',
  netFn: NetFn.App,
  cmd: 0x38,
  access: 'sessionless',
  minRequestLength: 2,
  maxRequestLength: 2,
  request: {
    encode: (w, v) => void w.u8((v.extendedData ? 0x80 : 0) | (v.channel & 0x0f)).u8(v.requestedPrivilege & 0x0f),
    decode(r) {
      const b = r.u8();
      return { extendedData: (b & 0x80) !== 0, channel: b & 0x0f, requestedPrivilege: r.u8() & 0x0f };
    },
  },
  response: {
    encode: (w, v) => void w.u8(v.channel).u8(v.authTypeSupport).u8(v.authStatus).u8(v.extendedCapabilities).u24(v.oemId).u8(v.oemAuxData),
    decode: (r) => ({
      channel: r.u8(),
      authTypeSupport: r.u8(),
      authStatus: r.u8(),
      extendedCapabilities: r.u8(),
      oemId: r.u24(),
      oemAuxData: r.optU8(0),
    }),
  },
});

export const getSessionChallenge = defineCommand<{ authType: number; username: Uint8Array }, { temporarySessionId: number; challenge: Uint8Array }>({
  name: 'Get Session Challenge',
  netFn: NetFn.App,
  cmd: 0x39,
  access: 'sessionless',
  minRequestLength: 17,
  maxRequestLength: 17,
  request: {
    encode: (w, v) => void w.u8(v.authType).padded(v.username, 16),
    decode: (r) => ({ authType: r.u8() & 0x0f, username: r.bytes(16).slice() }),
  },
  response: {
    encode: (w, v) => void w.u32(v.temporarySessionId).padded(v.challenge, 16),
    decode: (r) => ({ temporarySessionId: r.u32(), challenge: r.bytes(16).slice() }),
  },
  completionCodes: { 0x81: 'invalid user name', 0x82: 'null user name (User 1) not enabled' },
});

export interface ActivateSessionRequest {
  authType: number;
  maxPrivilege: number;
  challenge: Uint8Array;
  initialOutboundSequence: number;
}
export interface ActivateSessionResponse {
  authType: number;
  sessionId: number;
  initialInboundSequence: number;
  maxPrivilege: number;
}
export const activateSession = defineCommand<ActivateSessionRequest, ActivateSessionResponse>({
  name: 'Activate Session',
  netFn: NetFn.App,
  cmd: 0x3a,
  access: 'sessionless',
  minRequestLength: 22,
  maxRequestLength: 22,
  request: {
    encode: (w, v) => void w.u8(v.authType).u8(v.maxPrivilege).padded(v.challenge, 16).u32(v.initialOutboundSequence),
    decode: (r) => ({ authType: r.u8() & 0x0f, maxPrivilege: r.u8() & 0x0f, challenge: r.bytes(16).slice(), initialOutboundSequence: r.u32() }),
  },
  response: {
    encode: (w, v) => void w.u8(v.authType).u32(v.sessionId).u32(v.initialInboundSequence).u8(v.maxPrivilege),
    decode: (r) => ({ authType: r.u8() & 0x0f, sessionId: r.u32(), initialInboundSequence: r.u32(), maxPrivilege: r.u8() & 0x0f }),
  },
  completionCodes: {
    0x81: 'no session slot available',
    0x82: 'no slot available for given user',
    0x83: 'no slot available to support user due to maximum privilege capability',
    0x84: 'session sequence number out-of-range',
    0x85: 'invalid session ID in request',
    0x86: 'requested maximum privilege level exceeds user and/or channel privilege limit',
  },
});

export const setSessionPrivilegeLevel = defineCommand<{ privilege: number }, { privilege: number }>({
  name: 'Set Session Privilege Level',
  netFn: NetFn.App,
  cmd: 0x3b,
  access: Callback,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.privilege & 0x0f), decode: (r) => ({ privilege: r.u8() & 0x0f }) },
  response: { encode: (w, v) => void w.u8(v.privilege & 0x0f), decode: (r) => ({ privilege: r.u8() & 0x0f }) },
  completionCodes: {
    0x80: 'Requested level not available for this user',
    0x81: 'Requested level exceeds Channel and/or User Privilege Limit',
    0x82: 'Cannot disable User Level authentication',
  },
});

export const closeSession = defineCommand<{ sessionId: number; sessionHandle?: number }, Record<string, never>>({
  name: 'Close Session',
  netFn: NetFn.App,
  cmd: 0x3c,
  access: Callback,
  minRequestLength: 4,
  maxRequestLength: 5,
  request: {
    encode(w, v) {
      w.u32(v.sessionId);
      if (v.sessionId === 0 && v.sessionHandle !== undefined) w.u8(v.sessionHandle);
    },
    decode(r) {
      const sessionId = r.u32();
      return r.remaining > 0 ? { sessionId, sessionHandle: r.u8() } : { sessionId };
    },
  },
  response: EMPTY,
  completionCodes: { 0x87: 'invalid Session ID in request', 0x88: 'invalid session handle in request' },
});

export type SessionInfoSelector =
  | { kind: 'current' }
  | { kind: 'index'; index: number }
  | { kind: 'handle'; handle: number }
  | { kind: 'id'; sessionId: number };

export interface SessionInfo {
  sessionHandle: number;
  sessionSlotCount: number;
  activeSessionCount: number;
  /** Present only when the selected session is active. */
  session?: {
    userId: number;
    privilege: number;
    /** 0 = IPMI v1.5, 1 = IPMI v2.0/RMCP+. */
    sessionType: number;
    channel: number;
    /** LAN channels: console IPv4 address, MAC and port. */
    remoteIp?: string;
    remoteMac?: Uint8Array;
    remotePort?: number;
  };
}

export const getSessionInfo = defineCommand<SessionInfoSelector, SessionInfo>({
  name: 'Get Session Info',
  netFn: NetFn.App,
  cmd: 0x3d,
  access: User,
  minRequestLength: 1,
  request: {
    encode(w, v) {
      switch (v.kind) {
        case 'current':
          w.u8(0);
          break;
        case 'index':
          w.u8(v.index);
          break;
        case 'handle':
          w.u8(0xfe).u8(v.handle);
          break;
        case 'id':
          w.u8(0xff).u32(v.sessionId);
          break;
      }
    },
    decode(r): SessionInfoSelector {
      const b = r.u8();
      if (b === 0) return { kind: 'current' };
      if (b === 0xfe) return { kind: 'handle', handle: r.u8() };
      if (b === 0xff) return { kind: 'id', sessionId: r.u32() };
      return { kind: 'index', index: b };
    },
  },
  response: {
    encode(w, v) {
      w.u8(v.sessionHandle).u8(v.sessionSlotCount & 0x3f).u8(v.activeSessionCount & 0x3f);
      const s = v.session;
      if (!s) return;
      w.u8(s.userId & 0x3f).u8(s.privilege & 0x0f).u8(((s.sessionType & 0x0f) << 4) | (s.channel & 0x0f));
      if (s.remoteIp !== undefined) {
        for (const part of s.remoteIp.split('.')) w.u8(Number(part));
        w.padded(s.remoteMac ?? new Uint8Array(6), 6);
        w.u16(s.remotePort ?? 0);
      }
    },
    decode(r) {
      const sessionHandle = r.u8();
      const sessionSlotCount = r.u8() & 0x3f;
      const activeSessionCount = r.u8() & 0x3f;
      if (r.remaining < 3) return { sessionHandle, sessionSlotCount, activeSessionCount };
      const userId = r.u8() & 0x3f;
      const privilege = r.u8() & 0x0f;
      const b = r.u8();
      const session: NonNullable<SessionInfo['session']> = { userId, privilege, sessionType: b >> 4, channel: b & 0x0f };
      if (r.remaining >= 12) {
        const ip = r.bytes(4);
        session.remoteIp = `${ip[0]}.${ip[1]}.${ip[2]}.${ip[3]}`;
        session.remoteMac = r.bytes(6).slice();
        session.remotePort = r.u16();
      }
      return { sessionHandle, sessionSlotCount, activeSessionCount, session };
    },
  },
});

// ---- channels (§22.22-22.24, 22.15) -----------------------------------------------------

export interface ChannelAccess {
  alertingDisabled: boolean;
  perMessageAuthDisabled: boolean;
  userLevelAuthDisabled: boolean;
  /** 0 disabled, 1 pre-boot only, 2 always available, 3 shared. */
  accessMode: number;
  privilegeLimit: number;
}

export const setChannelAccess = defineCommand<
  { channel: number; accessSet: number; access: Omit<ChannelAccess, 'privilegeLimit'>; privilegeSet: number; privilegeLimit: number },
  Record<string, never>
>({
  name: 'Set Channel Access',
  netFn: NetFn.App,
  cmd: 0x40,
  access: Administrator,
  minRequestLength: 3,
  request: {
    encode(w, v) {
      const a = v.access;
      w.u8(v.channel & 0x0f);
      w.u8(((v.accessSet & 3) << 6) | (a.alertingDisabled ? 0x20 : 0) | (a.perMessageAuthDisabled ? 0x10 : 0) | (a.userLevelAuthDisabled ? 0x08 : 0) | (a.accessMode & 7));
      w.u8(((v.privilegeSet & 3) << 6) | (v.privilegeLimit & 0x0f));
    },
    decode(r) {
      const channel = r.u8() & 0x0f;
      const b = r.u8();
      const p = r.u8();
      return {
        channel,
        accessSet: b >> 6,
        access: { alertingDisabled: (b & 0x20) !== 0, perMessageAuthDisabled: (b & 0x10) !== 0, userLevelAuthDisabled: (b & 0x08) !== 0, accessMode: b & 7 },
        privilegeSet: p >> 6,
        privilegeLimit: p & 0x0f,
      };
    },
  },
  response: EMPTY,
  completionCodes: { 0x82: 'set not supported on selected channel', 0x83: 'access mode not supported' },
});

export const getChannelAccess = defineCommand<{ channel: number; volatile: boolean }, ChannelAccess>({
  name: 'Get Channel Access',
  netFn: NetFn.App,
  cmd: 0x41,
  access: User,
  minRequestLength: 2,
  request: {
    encode: (w, v) => void w.u8(v.channel & 0x0f).u8(v.volatile ? 0x80 : 0x40),
    decode(r) {
      const channel = r.u8() & 0x0f;
      return { channel, volatile: r.u8() >> 6 === 2 };
    },
  },
  response: {
    encode(w, v) {
      w.u8((v.alertingDisabled ? 0x20 : 0) | (v.perMessageAuthDisabled ? 0x10 : 0) | (v.userLevelAuthDisabled ? 0x08 : 0) | (v.accessMode & 7));
      w.u8(v.privilegeLimit & 0x0f);
    },
    decode(r) {
      const b = r.u8();
      return {
        alertingDisabled: (b & 0x20) !== 0,
        perMessageAuthDisabled: (b & 0x10) !== 0,
        userLevelAuthDisabled: (b & 0x08) !== 0,
        accessMode: b & 7,
        privilegeLimit: r.u8() & 0x0f,
      };
    },
  },
  completionCodes: { 0x82: 'set not supported on selected channel', 0x83: 'access mode not supported' },
});

export const ChannelMedium = { Ipmb: 0x01, Lan8023: 0x04, Serial: 0x05, SystemInterface: 0x0c } as const;
export const ChannelProtocol = { IpmbV1: 0x01, Kcs: 0x05, Smic: 0x06, Bt10: 0x07, Bt15: 0x08, TMode: 0x09 } as const;

export interface ChannelInfo {
  channel: number;
  medium: number;
  protocol: number;
  /** 0 session-less, 1 single, 2 multi, 3 session-based. */
  sessionSupport: number;
  activeSessionCount: number;
  vendorId: number;
  auxInfo: Uint8Array;
}
export const getChannelInfo = defineCommand<{ channel: number }, ChannelInfo>({
  name: 'Get Channel Info',
  netFn: NetFn.App,
  cmd: 0x42,
  access: User,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.channel & 0x0f), decode: (r) => ({ channel: r.u8() & 0x0f }) },
  response: {
    encode(w, v) {
      w.u8(v.channel & 0x0f).u8(v.medium & 0x7f).u8(v.protocol & 0x1f).u8(((v.sessionSupport & 3) << 6) | (v.activeSessionCount & 0x3f));
      w.u24(v.vendorId).padded(v.auxInfo, 2);
    },
    decode(r) {
      const channel = r.u8() & 0x0f;
      const medium = r.u8() & 0x7f;
      const protocol = r.u8() & 0x1f;
      const s = r.u8();
      return { channel, medium, protocol, sessionSupport: s >> 6, activeSessionCount: s & 0x3f, vendorId: r.u24(), auxInfo: r.rest().slice() };
    },
  },
});

// ---- users (§22.26-22.30) ------------------------------------------------------------------

export interface UserAccessFlags {
  callbackOnly: boolean;
  linkAuthEnabled: boolean;
  ipmiMessagingEnabled: boolean;
  privilegeLimit: number;
}

export interface SetUserAccessRequest extends UserAccessFlags {
  /** Whether byte 1's access bits are to be changed (bit 7). */
  changeBits: boolean;
  channel: number;
  userId: number;
  sessionLimit?: number;
}
export const setUserAccess = defineCommand<SetUserAccessRequest, Record<string, never>>({
  name: 'Set User Access',
  netFn: NetFn.App,
  cmd: 0x43,
  access: Administrator,
  minRequestLength: 3,
  maxRequestLength: 4,
  request: {
    encode(w, v) {
      w.u8((v.changeBits ? 0x80 : 0) | (v.callbackOnly ? 0x40 : 0) | (v.linkAuthEnabled ? 0x20 : 0) | (v.ipmiMessagingEnabled ? 0x10 : 0) | (v.channel & 0x0f));
      w.u8(v.userId & 0x3f).u8(v.privilegeLimit & 0x0f);
      if (v.sessionLimit !== undefined) w.u8(v.sessionLimit & 0x0f);
    },
    decode(r) {
      const b = r.u8();
      const userId = r.u8() & 0x3f;
      const privilegeLimit = r.u8() & 0x0f;
      const out: SetUserAccessRequest = {
        changeBits: (b & 0x80) !== 0,
        callbackOnly: (b & 0x40) !== 0,
        linkAuthEnabled: (b & 0x20) !== 0,
        ipmiMessagingEnabled: (b & 0x10) !== 0,
        channel: b & 0x0f,
        userId,
        privilegeLimit,
      };
      if (r.remaining > 0) out.sessionLimit = r.u8() & 0x0f;
      return out;
    },
  },
  response: EMPTY,
});

export interface UserAccess extends UserAccessFlags {
  maxUserIds: number;
  /** 0 unspecified, 1 enabled, 2 disabled (bits 7:6 of byte 3). */
  enableStatus: number;
  enabledUserCount: number;
  fixedNameCount: number;
}
export const getUserAccess = defineCommand<{ channel: number; userId: number }, UserAccess>({
  name: 'Get User Access',
  netFn: NetFn.App,
  cmd: 0x44,
  access: Operator,
  minRequestLength: 2,
  maxRequestLength: 2,
  request: {
    encode: (w, v) => void w.u8(v.channel & 0x0f).u8(v.userId & 0x3f),
    decode: (r) => ({ channel: r.u8() & 0x0f, userId: r.u8() & 0x3f }),
  },
  response: {
    encode(w, v) {
      w.u8(v.maxUserIds & 0x3f).u8(((v.enableStatus & 3) << 6) | (v.enabledUserCount & 0x3f)).u8(v.fixedNameCount & 0x3f);
      w.u8((v.callbackOnly ? 0x40 : 0) | (v.linkAuthEnabled ? 0x20 : 0) | (v.ipmiMessagingEnabled ? 0x10 : 0) | (v.privilegeLimit & 0x0f));
    },
    decode(r) {
      const maxUserIds = r.u8() & 0x3f;
      const b = r.u8();
      const fixedNameCount = r.u8() & 0x3f;
      const a = r.u8();
      return {
        maxUserIds,
        enableStatus: b >> 6,
        enabledUserCount: b & 0x3f,
        fixedNameCount,
        callbackOnly: (a & 0x40) !== 0,
        linkAuthEnabled: (a & 0x20) !== 0,
        ipmiMessagingEnabled: (a & 0x10) !== 0,
        privilegeLimit: a & 0x0f,
      };
    },
  },
});

export const setUserName = defineCommand<{ userId: number; name: Uint8Array }, Record<string, never>>({
  name: 'Set User Name',
  netFn: NetFn.App,
  cmd: 0x45,
  access: Administrator,
  minRequestLength: 17,
  maxRequestLength: 17,
  request: {
    encode: (w, v) => void w.u8(v.userId & 0x3f).padded(v.name, 16),
    decode: (r) => ({ userId: r.u8() & 0x3f, name: r.bytes(16).slice() }),
  },
  response: EMPTY,
});

export const getUserName = defineCommand<{ userId: number }, { name: Uint8Array }>({
  name: 'Get User Name',
  netFn: NetFn.App,
  cmd: 0x46,
  access: Operator,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.userId & 0x3f), decode: (r) => ({ userId: r.u8() & 0x3f }) },
  response: { encode: (w, v) => void w.padded(v.name, 16), decode: (r) => ({ name: r.rest().slice() }) },
});

export const UserPasswordOperation = { Disable: 0, Enable: 1, SetPassword: 2, TestPassword: 3 } as const;
export const setUserPassword = defineCommand<{ userId: number; operation: number; password?: Uint8Array; size20?: boolean }, Record<string, never>>({
  name: 'Set User Password',
  netFn: NetFn.App,
  cmd: 0x47,
  access: Administrator,
  minRequestLength: 2,
  request: {
    encode(w, v) {
      w.u8((v.size20 ? 0x80 : 0) | (v.userId & 0x3f)).u8(v.operation & 3);
      if (v.password) w.padded(v.password, v.size20 ? 20 : 16);
    },
    decode(r) {
      const b = r.u8();
      const operation = r.u8() & 3;
      const out: { userId: number; operation: number; password?: Uint8Array; size20?: boolean } = { userId: b & 0x3f, operation, size20: (b & 0x80) !== 0 };
      if (r.remaining > 0) out.password = r.rest().slice();
      return out;
    },
  },
  response: EMPTY,
  completionCodes: { 0x80: 'password test failed: password mismatch', 0x81: 'password test failed: wrong password size' },
});

// ---- cipher suites (§22.15) -----------------------------------------------------------------

export interface ChannelCipherSuitesRequest {
  channel: number;
  payloadType: number;
  /** Bit 7: list algorithms by cipher suite (the form ipmitool and FreeIPMI use). */
  listBySuite: boolean;
  listIndex: number;
}
export const getChannelCipherSuites = defineCommand<ChannelCipherSuitesRequest, { channel: number; data: Uint8Array }>({
  name: 'Get Channel Cipher Suites',
  netFn: NetFn.App,
  cmd: 0x54,
  access: 'sessionless',
  minRequestLength: 3,
  maxRequestLength: 3,
  request: {
    encode: (w, v) => void w.u8(v.channel & 0x0f).u8(v.payloadType & 0x3f).u8((v.listBySuite ? 0x80 : 0) | (v.listIndex & 0x3f)),
    decode(r) {
      const channel = r.u8() & 0x0f;
      const payloadType = r.u8() & 0x3f;
      const b = r.u8();
      return { channel, payloadType, listBySuite: (b & 0x80) !== 0, listIndex: b & 0x3f };
    },
  },
  response: {
    encode: (w, v) => void w.u8(v.channel).bytes(v.data),
    decode: (r) => ({ channel: r.u8(), data: r.rest().slice() }),
  },
});

/** Cipher suite records as Get Channel Cipher Suites lists them (§22.15.2, Table 22-18). */
export function encodeCipherSuiteRecords(suites: readonly { id: number; auth: number; integrity: number; confidentiality: number }[]): Uint8Array {
  const w = new Writer(suites.length * 5);
  for (const s of suites) w.u8(0xc0).u8(s.id).u8(s.auth & 0x3f).u8(0x40 | (s.integrity & 0x3f)).u8(0x80 | (s.confidentiality & 0x3f));
  return w.finish();
}

export function decodeCipherSuiteRecords(data: Uint8Array): { id: number; iana?: number; auth: number; integrity: number; confidentiality: number }[] {
  const out: { id: number; iana?: number; auth: number; integrity: number; confidentiality: number }[] = [];
  const r = new Reader(data);
  while (r.remaining > 0) {
    const start = r.u8();
    if (start !== 0xc0 && start !== 0xc1) break;
    // A record cut short (a BMC bug, or a truncated list) ends the list rather than failing it.
    if (r.remaining < (start === 0xc1 ? 4 : 1)) break;
    const id = r.u8();
    const rec: { id: number; iana?: number; auth: number; integrity: number; confidentiality: number } = { id, auth: 0, integrity: 0, confidentiality: 0 };
    if (start === 0xc1) rec.iana = r.u24();
    while (r.remaining > 0) {
      const b = r.buf[r.pos]!;
      if (b === 0xc0 || b === 0xc1) break;
      r.pos++;
      const tag = b >> 6;
      if (tag === 0) rec.auth = b & 0x3f;
      else if (tag === 1) rec.integrity = b & 0x3f;
      else if (tag === 2) rec.confidentiality = b & 0x3f;
    }
    out.push(rec);
  }
  return out;
}

// ---- system info parameters (§22.14a) ---------------------------------------------------------

export const getSystemInfoParameters = defineCommand<
  { revisionOnly: boolean; parameter: number; setSelector: number; blockSelector: number },
  { revision: number; data: Uint8Array }
>({
  name: 'Get System Info Parameters',
  netFn: NetFn.App,
  cmd: 0x59,
  access: User,
  minRequestLength: 4,
  request: {
    encode: (w, v) => void w.u8(v.revisionOnly ? 0x80 : 0).u8(v.parameter).u8(v.setSelector).u8(v.blockSelector),
    decode: (r) => ({ revisionOnly: (r.u8() & 0x80) !== 0, parameter: r.u8(), setSelector: r.u8(), blockSelector: r.u8() }),
  },
  response: {
    encode: (w, v) => void w.u8(v.revision).bytes(v.data),
    decode: (r) => ({ revision: r.u8(), data: r.rest().slice() }),
  },
  completionCodes: { 0x80: 'parameter not supported' },
});

export const setSystemInfoParameters = defineCommand<{ parameter: number; data: Uint8Array }, Record<string, never>>({
  name: 'Set System Info Parameters',
  netFn: NetFn.App,
  cmd: 0x58,
  access: Administrator,
  minRequestLength: 2,
  request: {
    encode: (w, v) => void w.u8(v.parameter).bytes(v.data),
    decode: (r) => ({ parameter: r.u8(), data: r.rest().slice() }),
  },
  response: EMPTY,
  completionCodes: { 0x80: 'parameter not supported', 0x81: 'attempt to set the set in progress value when not in set complete state', 0x82: 'attempt to write read-only parameter' },
});

export const appCommands = [
  getDeviceId,
  coldReset,
  warmReset,
  getSelfTestResults,
  setAcpiPowerState,
  getAcpiPowerState,
  getDeviceGuid,
  resetWatchdogTimer,
  setWatchdogTimer,
  getWatchdogTimer,
  setBmcGlobalEnables,
  getBmcGlobalEnables,
  clearMessageFlags,
  getMessageFlags,
  getMessage,
  readEventMessageBuffer,
  getSystemGuid,
  getChannelAuthCapabilities,
  getSessionChallenge,
  activateSession,
  setSessionPrivilegeLevel,
  closeSession,
  getSessionInfo,
  setChannelAccess,
  getChannelAccess,
  getChannelInfo,
  setUserAccess,
  getUserAccess,
  setUserName,
  getUserName,
  setUserPassword,
  getChannelCipherSuites,
  setSystemInfoParameters,
  getSystemInfoParameters,
] as const;
