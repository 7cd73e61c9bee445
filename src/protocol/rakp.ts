// RMCP+ Open Session and RAKP 1-4 payloads (IPMI v2.0 §13.17-13.23).

import { ProtocolError, Reader, Writer } from './bytes.js';

export const RmcpPlusStatus = {
  NoErrors: 0x00,
  InsufficientResources: 0x01,
  InvalidSessionId: 0x02,
  InvalidPayloadType: 0x03,
  InvalidAuthAlgorithm: 0x04,
  InvalidIntegrityAlgorithm: 0x05,
  NoMatchingAuthPayload: 0x06,
  NoMatchingIntegrityPayload: 0x07,
  InactiveSessionId: 0x08,
  InvalidRole: 0x09,
  UnauthorizedRole: 0x0a,
  InsufficientResourcesForRole: 0x0b,
  InvalidNameLength: 0x0c,
  UnauthorizedName: 0x0d,
  UnauthorizedGuid: 0x0e,
  InvalidIntegrityCheckValue: 0x0f,
  InvalidConfidentialityAlgorithm: 0x10,
  NoCipherSuiteMatch: 0x11,
  IllegalParameter: 0x12,
} as const;

export const rmcpPlusStatusNames: Record<number, string> = {
  0x00: 'no errors',
  0x01: 'insufficient resources for session',
  0x02: 'invalid session ID',
  0x03: 'invalid payload type',
  0x04: 'invalid authentication algorithm',
  0x05: 'invalid integrity algorithm',
  0x06: 'no matching authentication payload',
  0x07: 'no matching integrity payload',
  0x08: 'inactive session ID',
  0x09: 'invalid role',
  0x0a: 'unauthorized role or privilege level requested',
  0x0b: 'insufficient resources to create a session at the requested role',
  0x0c: 'invalid name length',
  0x0d: 'unauthorized name',
  0x0e: 'unauthorized GUID',
  0x0f: 'invalid integrity check value',
  0x10: 'invalid confidentiality algorithm',
  0x11: 'no cipher suite match with proposed security algorithms',
  0x12: 'illegal or unrecognized parameter',
};

/** An algorithm proposal; `undefined` algorithm means a zero-length payload ("BMC picks"). */
export interface OpenSessionRequest {
  messageTag: number;
  requestedMaxPrivilege: number;
  consoleSessionId: number;
  authAlgorithm: number | undefined;
  integrityAlgorithm: number | undefined;
  confidentialityAlgorithm: number | undefined;
}

function startsAlgorithmPayload(r: Reader, type: number): boolean {
  const b = r.buf;
  const p = r.pos;
  return type <= 2 && b[p] === type && b[p + 1] === 0 && b[p + 2] === 0 && (b[p + 3] === 0 || b[p + 3] === 8);
}

function readAlgorithmPayload(r: Reader, expectedType: number): number | undefined {
  const type = r.u8('algorithm payload type');
  if (type !== expectedType) throw new ProtocolError(`algorithm payload type ${type}, expected ${expectedType}`, r.pos - 1);
  r.skip(2);
  const len = r.u8('algorithm payload length');
  if (len === 0) {
    // A null payload ("BMC picks") is 8 bytes from ipmitool and FreeIPMI but only the 4-byte
    // header from others. It is the short form when the next payload's header follows at once.
    if (r.remaining >= 4 && !startsAlgorithmPayload(r, expectedType + 1)) r.skip(4);
    return undefined;
  }
  if (len !== 8) throw new ProtocolError(`algorithm payload length ${len}`, r.pos - 1);
  const alg = r.u8('algorithm') & 0x3f;
  r.skip(3);
  return alg;
}

/** An 8-byte algorithm payload; `undefined` writes a null one (length 0, "BMC picks"). */
function writeAlgorithmPayload(w: Writer, type: number, alg: number | undefined): void {
  w.u8(type).u16(0).u8(alg === undefined ? 0 : 8).u8(alg ?? 0).u8(0).u16(0);
}

export function decodeOpenSessionRequest(p: Uint8Array): OpenSessionRequest {
  const r = new Reader(p);
  const messageTag = r.u8('message tag');
  const requestedMaxPrivilege = r.u8('privilege') & 0x0f;
  r.skip(2);
  const consoleSessionId = r.u32('console session id');
  const authAlgorithm = readAlgorithmPayload(r, 0);
  const integrityAlgorithm = readAlgorithmPayload(r, 1);
  const confidentialityAlgorithm = readAlgorithmPayload(r, 2);
  return { messageTag, requestedMaxPrivilege, consoleSessionId, authAlgorithm, integrityAlgorithm, confidentialityAlgorithm };
}

export function encodeOpenSessionRequest(q: OpenSessionRequest): Uint8Array {
  const w = new Writer(32);
  w.u8(q.messageTag).u8(q.requestedMaxPrivilege).u16(0).u32(q.consoleSessionId);
  writeAlgorithmPayload(w, 0, q.authAlgorithm);
  writeAlgorithmPayload(w, 1, q.integrityAlgorithm);
  writeAlgorithmPayload(w, 2, q.confidentialityAlgorithm);
  return w.finish();
}

export interface OpenSessionResponse {
  messageTag: number;
  status: number;
  maxPrivilege: number;
  consoleSessionId: number;
  bmcSessionId: number;
  authAlgorithm: number;
  integrityAlgorithm: number;
  confidentialityAlgorithm: number;
}

export function encodeOpenSessionResponse(s: OpenSessionResponse): Uint8Array {
  const w = new Writer(36);
  w.u8(s.messageTag).u8(s.status);
  if (s.status !== 0) {
    // An error response carries tag, status, and (some BMCs) the console session ID.
    w.u8(0).u8(0).u32(s.consoleSessionId);
    return w.finish();
  }
  w.u8(s.maxPrivilege).u8(0).u32(s.consoleSessionId).u32(s.bmcSessionId);
  writeAlgorithmPayload(w, 0, s.authAlgorithm);
  writeAlgorithmPayload(w, 1, s.integrityAlgorithm);
  writeAlgorithmPayload(w, 2, s.confidentialityAlgorithm);
  return w.finish();
}

export function decodeOpenSessionResponse(p: Uint8Array): OpenSessionResponse {
  const r = new Reader(p);
  const messageTag = r.u8('message tag');
  const status = r.u8('status');
  if (status !== 0) {
    // An error response is tag, status, 2 reserved bytes and the SIDm (§13.18); some BMCs
    // (ipmi_sim) stop after the status, so the rest is optional.
    let consoleSessionId = 0;
    if (r.remaining >= 6) {
      r.skip(2);
      consoleSessionId = r.u32('console session id');
    }
    return { messageTag, status, maxPrivilege: 0, consoleSessionId, bmcSessionId: 0, authAlgorithm: 0, integrityAlgorithm: 0, confidentialityAlgorithm: 0 };
  }
  const maxPrivilege = r.u8('privilege') & 0x0f;
  r.skip(1);
  const consoleSessionId = r.u32('console session id');
  const bmcSessionId = r.u32('BMC session id');
  const authAlgorithm = readAlgorithmPayload(r, 0) ?? 0;
  const integrityAlgorithm = readAlgorithmPayload(r, 1) ?? 0;
  const confidentialityAlgorithm = readAlgorithmPayload(r, 2) ?? 0;
  return { messageTag, status, maxPrivilege, consoleSessionId, bmcSessionId, authAlgorithm, integrityAlgorithm, confidentialityAlgorithm };
}

export interface Rakp1 {
  messageTag: number;
  bmcSessionId: number;
  consoleRandom: Uint8Array;
  /** Whole role byte: bit 4 = name-only lookup, bits 3:0 = requested maximum privilege. */
  role: number;
  username: Uint8Array;
}

export function decodeRakp1(p: Uint8Array): Rakp1 {
  const r = new Reader(p);
  const messageTag = r.u8('message tag');
  r.skip(3);
  const bmcSessionId = r.u32('BMC session id');
  const consoleRandom = r.bytes(16, 'console random').slice();
  const role = r.u8('role');
  r.skip(2);
  const nameLen = r.u8('username length');
  if (nameLen > 16) throw new ProtocolError(`username length ${nameLen}`, r.pos - 1);
  const username = r.bytes(nameLen, 'username').slice();
  return { messageTag, bmcSessionId, consoleRandom, role, username };
}

export function encodeRakp1(m: Rakp1): Uint8Array {
  const w = new Writer(44);
  w.u8(m.messageTag).fill(0, 3).u32(m.bmcSessionId).bytes(m.consoleRandom).u8(m.role).u16(0).u8(m.username.length).bytes(m.username);
  return w.finish();
}

export interface Rakp2 {
  messageTag: number;
  status: number;
  consoleSessionId: number;
  bmcRandom: Uint8Array;
  bmcGuid: Uint8Array;
  authCode: Uint8Array;
}

export function encodeRakp2(m: Rakp2): Uint8Array {
  const w = new Writer(72);
  w.u8(m.messageTag).u8(m.status).u16(0).u32(m.consoleSessionId);
  if (m.status === 0) w.bytes(m.bmcRandom).bytes(m.bmcGuid).bytes(m.authCode);
  return w.finish();
}

export function decodeRakp2(p: Uint8Array): Rakp2 {
  const r = new Reader(p);
  const messageTag = r.u8('message tag');
  const status = r.u8('status');
  r.skip(2);
  const consoleSessionId = r.u32('console session id');
  if (status !== 0) return { messageTag, status, consoleSessionId, bmcRandom: new Uint8Array(0), bmcGuid: new Uint8Array(0), authCode: new Uint8Array(0) };
  const bmcRandom = r.bytes(16, 'BMC random').slice();
  const bmcGuid = r.bytes(16, 'BMC GUID').slice();
  const authCode = r.rest().slice();
  return { messageTag, status, consoleSessionId, bmcRandom, bmcGuid, authCode };
}

export interface Rakp3 {
  messageTag: number;
  status: number;
  bmcSessionId: number;
  authCode: Uint8Array;
}

export function encodeRakp3(m: Rakp3): Uint8Array {
  const w = new Writer(40);
  w.u8(m.messageTag).u8(m.status).u16(0).u32(m.bmcSessionId).bytes(m.authCode);
  return w.finish();
}

export function decodeRakp3(p: Uint8Array): Rakp3 {
  const r = new Reader(p);
  const messageTag = r.u8('message tag');
  const status = r.u8('status');
  r.skip(2);
  const bmcSessionId = r.u32('BMC session id');
  return { messageTag, status, bmcSessionId, authCode: r.rest().slice() };
}

export interface Rakp4 {
  messageTag: number;
  status: number;
  consoleSessionId: number;
  integrityCheckValue: Uint8Array;
}

export function encodeRakp4(m: Rakp4): Uint8Array {
  const w = new Writer(24);
  w.u8(m.messageTag).u8(m.status).u16(0).u32(m.consoleSessionId);
  if (m.status === 0) w.bytes(m.integrityCheckValue);
  return w.finish();
}

export function decodeRakp4(p: Uint8Array): Rakp4 {
  const r = new Reader(p);
  const messageTag = r.u8('message tag');
  const status = r.u8('status');
  r.skip(2);
  const consoleSessionId = r.u32('console session id');
  return { messageTag, status, consoleSessionId, integrityCheckValue: r.rest().slice() };
}
