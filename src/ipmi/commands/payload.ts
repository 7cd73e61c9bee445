// RMCP+ payload commands (NetFn App, IPMI v2.0 §24): activation of payloads such as SOL over a
// session, their status, and which users and channels may carry them. Byte layouts: sol.md §2.

import type { Reader, Writer } from '../../protocol/bytes.js';
import { Privilege, defineCommand, EMPTY, NetFn, type Codec } from '../spec.js';

const { Callback, User, Operator, Administrator } = Privilege;

export interface PayloadActivationRequest {
  /** [5:0] payload type (1 = SOL). */
  payloadType: number;
  /** [3:0] instance, 1..15. */
  instance: number;
  /**
   * Auxiliary request data, byte 1 for SOL: [7] encrypt, [6] authenticate, [5] test mode,
   * [3:2] shared serial alert behaviour, [1] startup handshake. Bytes 2-4 are reserved.
   */
  aux: number;
}

const activationRequest: Codec<PayloadActivationRequest> = {
  encode: (w: Writer, v) => void w.u8(v.payloadType & 0x3f).u8(v.instance & 0x0f).u8(v.aux & 0xff).u8(0).u8(0).u8(0),
  decode: (r: Reader) => {
    const payloadType = r.u8() & 0x3f;
    const instance = r.u8() & 0x0f;
    const aux = r.u8();
    r.bytes(3);
    return { payloadType, instance, aux };
  },
};

/** Aux request bits of Activate Payload for SOL (Table 24-2). */
export const SolActivationAux = {
  Encrypt: 0x80,
  Authenticate: 0x40,
  TestMode: 0x20,
  /** [3:2]: 00 serial alerts fail while SOL is active, 01 deferred, 10 succeed. */
  SerialAlertMask: 0x0c,
  /** 1 = the BMC keeps CTS/DCD/DSR deasserted until the console's first packet. */
  StartupHandshake: 0x02,
} as const;

export interface ActivatePayloadResponse {
  /** Auxiliary response data: [0] test mode enabled. */
  aux: number;
  /** Largest payload the console may send (console → BMC), header included. */
  inboundSize: number;
  /** Largest payload the BMC sends (BMC → console). */
  outboundSize: number;
  /** The UDP port SOL runs on: the port of the session. */
  port: number;
  /** 0xFFFF = no VLAN. */
  vlan: number;
}

export const activatePayload = defineCommand<PayloadActivationRequest, ActivatePayloadResponse>({
  name: 'Activate Payload',
  netFn: NetFn.App,
  cmd: 0x48,
  access: Callback,
  minRequestLength: 6,
  maxRequestLength: 6,
  request: activationRequest,
  response: {
    encode: (w, v) => void w.u32(v.aux).u16(v.inboundSize).u16(v.outboundSize).u16(v.port).u16(v.vlan),
    decode: (r) => ({ aux: r.u32(), inboundSize: r.u16(), outboundSize: r.u16(), port: r.u16(), vlan: r.u16() }),
  },
  completionCodes: {
    0x80: 'payload already active on another session',
    0x81: 'payload type is disabled',
    0x82: 'payload activation limit reached',
    0x83: 'cannot activate payload with encryption',
    0x84: 'cannot activate payload without encryption',
  },
});

export const deactivatePayload = defineCommand<PayloadActivationRequest, Record<string, never>>({
  name: 'Deactivate Payload',
  netFn: NetFn.App,
  cmd: 0x49,
  access: Callback,
  minRequestLength: 6,
  maxRequestLength: 6,
  request: activationRequest,
  response: EMPTY,
  completionCodes: { 0x80: 'payload already deactivated', 0x81: 'payload type is disabled' },
});

export interface PayloadActivationStatus {
  /** [3:0] how many instances of the type can be active at once. */
  capacity: number;
  /** Bit n-1 = instance n active, instances 1..16. */
  activeInstances: number;
}

export const getPayloadActivationStatus = defineCommand<{ payloadType: number }, PayloadActivationStatus>({
  name: 'Get Payload Activation Status',
  netFn: NetFn.App,
  cmd: 0x4a,
  access: User,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.payloadType & 0x3f), decode: (r) => ({ payloadType: r.u8() & 0x3f }) },
  response: {
    encode: (w, v) => void w.u8(v.capacity & 0x0f).u16(v.activeInstances),
    decode: (r) => ({ capacity: r.u8() & 0x0f, activeInstances: r.u16() }),
  },
});

export interface PayloadInstanceInfo {
  /** The BMC's ID of the session that owns the instance; 0 when inactive. */
  sessionId: number;
  /** Payload-specific bytes; for SOL byte 0 is the system serial port number. */
  payloadData: Uint8Array;
}

export const getPayloadInstanceInfo = defineCommand<{ payloadType: number; instance: number }, PayloadInstanceInfo>({
  name: 'Get Payload Instance Info',
  netFn: NetFn.App,
  cmd: 0x4b,
  access: User,
  minRequestLength: 2,
  maxRequestLength: 2,
  request: { encode: (w, v) => void w.u8(v.payloadType & 0x3f).u8(v.instance & 0x0f), decode: (r) => ({ payloadType: r.u8() & 0x3f, instance: r.u8() & 0x0f }) },
  response: {
    encode: (w, v) => void w.u32(v.sessionId).padded(v.payloadData, 8),
    decode: (r) => ({ sessionId: r.u32(), payloadData: r.bytes(8).slice() }),
  },
});

/** Standard payload enables (byte 1 of the access bytes): bit n = payload type n. */
export const PayloadEnable = { Sol: 0x02 } as const;

export interface UserPayloadAccess {
  /** Standard payloads 1 (types 1-7 in bits 1-7) and 2 (reserved), OEM payloads 20h-27h and 28h-2Fh. */
  standard1: number;
  standard2: number;
  oem1: number;
  oem2: number;
}

export interface SetUserPayloadAccessRequest extends UserPayloadAccess {
  channel: number;
  /** 'enable' sets the listed payloads, 'disable' clears them; the others stay as they are. */
  operation: 'enable' | 'disable';
  userId: number;
}

export const setUserPayloadAccess = defineCommand<SetUserPayloadAccessRequest, Record<string, never>>({
  name: 'Set User Payload Access',
  netFn: NetFn.App,
  cmd: 0x4c,
  access: Administrator,
  minRequestLength: 6,
  maxRequestLength: 6,
  request: {
    encode: (w, v) => void w.u8(v.channel & 0x0f).u8((v.operation === 'disable' ? 0x40 : 0) | (v.userId & 0x3f)).u8(v.standard1).u8(v.standard2).u8(v.oem1).u8(v.oem2),
    decode(r) {
      const channel = r.u8() & 0x0f;
      const b = r.u8();
      const op = b >> 6;
      if (op > 1) throw new Error('reserved operation');
      return { channel, operation: op === 1 ? 'disable' : 'enable', userId: b & 0x3f, standard1: r.u8(), standard2: r.u8(), oem1: r.u8(), oem2: r.u8() };
    },
  },
  response: EMPTY,
});

export const getUserPayloadAccess = defineCommand<{ channel: number; userId: number }, UserPayloadAccess>({
  name: 'Get User Payload Access',
  netFn: NetFn.App,
  cmd: 0x4d,
  access: Operator,
  minRequestLength: 2,
  maxRequestLength: 2,
  request: { encode: (w, v) => void w.u8(v.channel & 0x0f).u8(v.userId & 0x3f), decode: (r) => ({ channel: r.u8() & 0x0f, userId: r.u8() & 0x3f }) },
  response: {
    encode: (w, v) => void w.u8(v.standard1).u8(v.standard2).u8(v.oem1).u8(v.oem2),
    decode: (r) => ({ standard1: r.u8(), standard2: r.u8(), oem1: r.u8(), oem2: r.u8() }),
  },
});

export interface ChannelPayloadSupport {
  /** Bit n = standard payload type n (0 IPMI, 1 SOL, 2 OEM explicit). */
  standard: number;
  /** Bit n = session-setup payload type 10h+n (Open Session Request .. RAKP 4). */
  sessionSetup: number;
  /** Bit n = OEM payload type 20h+n. */
  oem: number;
}

export const getChannelPayloadSupport = defineCommand<{ channel: number }, ChannelPayloadSupport>({
  name: 'Get Channel Payload Support',
  netFn: NetFn.App,
  cmd: 0x4e,
  access: User,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.channel & 0x0f), decode: (r) => ({ channel: r.u8() & 0x0f }) },
  response: {
    encode: (w, v) => void w.u16(v.standard).u16(v.sessionSetup).u16(v.oem).u16(0),
    decode(r) {
      const v = { standard: r.u16(), sessionSetup: r.u16(), oem: r.u16() };
      r.u16();
      return v;
    },
  },
});

export const getChannelPayloadVersion = defineCommand<{ channel: number; payloadType: number }, { major: number; minor: number }>({
  name: 'Get Channel Payload Version',
  netFn: NetFn.App,
  cmd: 0x4f,
  access: User,
  minRequestLength: 2,
  maxRequestLength: 2,
  request: { encode: (w, v) => void w.u8(v.channel & 0x0f).u8(v.payloadType & 0x3f), decode: (r) => ({ channel: r.u8() & 0x0f, payloadType: r.u8() & 0x3f }) },
  response: {
    encode: (w, v) => void w.u8(((v.major & 0x0f) << 4) | (v.minor & 0x0f)),
    decode(r) {
      const b = r.u8();
      return { major: b >> 4, minor: b & 0x0f };
    },
  },
  completionCodes: { 0x80: 'payload type not available on the given channel' },
});

export const payloadCommands = [
  activatePayload,
  deactivatePayload,
  getPayloadActivationStatus,
  getPayloadInstanceInfo,
  setUserPayloadAccess,
  getUserPayloadAccess,
  getChannelPayloadSupport,
  getChannelPayloadVersion,
] as const;
