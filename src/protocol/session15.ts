// IPMI v1.5 session wrapper (IPMI v1.5 Table 12-8 / v2.0 Table 13-8):
//   auth type | session sequence (4) | session ID (4) | [AuthCode 16] | length | IPMI message | [pad]
// Note the order: sequence before session ID, the reverse of the v2.0 header.

import { ProtocolError, Writer } from './bytes.js';
import { authCode15, AuthType } from './crypto.js';
import { RMCP_HEADER_LENGTH, RmcpClass, writeRmcpHeader } from './rmcp.js';

export interface Session15Packet {
  authType: number;
  sequence: number;
  sessionId: number;
  /** View of the 16-byte AuthCode (absent for auth type NONE). */
  authCode: Uint8Array | undefined;
  /** View of the IPMI message bytes (rsSA .. checksum). */
  message: Uint8Array;
}

export function decodeSession15(buf: Uint8Array): Session15Packet {
  let o = RMCP_HEADER_LENGTH;
  if (buf.length < o + 10) throw new ProtocolError('truncated v1.5 session header', o);
  const authType = buf[o]! & 0x0f;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const sequence = dv.getUint32(o + 1, true);
  const sessionId = dv.getUint32(o + 5, true);
  o += 9;
  let authCode: Uint8Array | undefined;
  if (authType !== AuthType.None) {
    if (buf.length < o + 17) throw new ProtocolError('truncated v1.5 AuthCode', o);
    authCode = buf.subarray(o, o + 16);
    o += 16;
  }
  const len = buf[o]!;
  o += 1;
  // One trailing legacy pad byte is allowed (v1.5 §12.4); anything else is malformed.
  if (o + len > buf.length || buf.length - (o + len) > 1) {
    throw new ProtocolError(`v1.5 message length ${len} does not match the datagram`, o - 1);
  }
  return { authType, sequence, sessionId, authCode, message: buf.subarray(o, o + len) };
}

/** Total datagram lengths that some legacy NICs mishandle; a pad byte avoids them (v1.5 §12.4). */
const LEGACY_BAD_LENGTHS = new Set([56, 84, 112, 128, 156]);

export function encodeSession15(
  header: { authType: number; sequence: number; sessionId: number; password16?: Uint8Array },
  message: Uint8Array,
): Uint8Array {
  const w = new Writer(RMCP_HEADER_LENGTH + 27 + message.length);
  writeRmcpHeader(w, RmcpClass.Ipmi);
  w.u8(header.authType).u32(header.sequence).u32(header.sessionId);
  if (header.authType !== AuthType.None) {
    if (!header.password16) throw new Error('v1.5 authenticated packet needs the password');
    w.bytes(authCode15(header.authType, header.password16, header.sessionId, message, header.sequence)!);
  }
  w.u8(message.length).bytes(message);
  if (LEGACY_BAD_LENGTHS.has(w.length)) w.u8(0);
  return w.finish();
}
