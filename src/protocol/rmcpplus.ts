// RMCP+ (IPMI v2.0) session header and trailer (IPMI v2.0 §13.6, Table 13-8):
//   06 | payload type | [OEM IANA 4 | OEM payload ID 2] | session ID | sequence | length (2) |
//   payload | [integrity pad FF.. | pad length | next header 07 | AuthCode]
// The session ID is always the receiver's. The trailer exists only on authenticated packets,
// and the MAC covers the auth type byte through the next-header byte.

import { ProtocolError, Writer } from './bytes.js';
import { aesDecrypt, aesEncrypt, ConfAlg, integrityLength, integrityMac, IntegrityAlg, safeEqual } from './crypto.js';
import { RMCP_HEADER_LENGTH, RmcpClass, writeRmcpHeader } from './rmcp.js';

export const PayloadType = {
  Ipmi: 0x00,
  Sol: 0x01,
  OemExplicit: 0x02,
  OpenSessionRequest: 0x10,
  OpenSessionResponse: 0x11,
  Rakp1: 0x12,
  Rakp2: 0x13,
  Rakp3: 0x14,
  Rakp4: 0x15,
} as const;

export interface RmcpPlusHeader {
  payloadType: number;
  encrypted: boolean;
  authenticated: boolean;
  sessionId: number;
  sequence: number;
  payloadStart: number;
  payloadLength: number;
}

export function decodeRmcpPlusHeader(buf: Uint8Array): RmcpPlusHeader {
  let o = RMCP_HEADER_LENGTH;
  if (buf.length < o + 12) throw new ProtocolError('truncated RMCP+ session header', o);
  const pt = buf[o + 1]!;
  const payloadType = pt & 0x3f;
  o += 2;
  if (payloadType === PayloadType.OemExplicit) {
    if (buf.length < o + 16) throw new ProtocolError('truncated RMCP+ OEM payload header', o);
    o += 6;
  }
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const sessionId = dv.getUint32(o, true);
  const sequence = dv.getUint32(o + 4, true);
  const payloadLength = dv.getUint16(o + 8, true);
  o += 10;
  if (o + payloadLength > buf.length) throw new ProtocolError(`RMCP+ payload length ${payloadLength} exceeds the datagram`, o - 2);
  return {
    payloadType,
    encrypted: (pt & 0x80) !== 0,
    authenticated: (pt & 0x40) !== 0,
    sessionId,
    sequence,
    payloadStart: o,
    payloadLength,
  };
}

export interface SessionCryptoKeys {
  integrity: number;
  confidentiality: number;
  k1: Uint8Array;
  k2: Uint8Array;
  /** Password padded to 20 bytes, needed by MD5-128 integrity. */
  kuid20: Uint8Array;
}

/**
 * Checks the integrity trailer of an authenticated packet in constant time. Returns false for
 * any malformed trailer (wrong pad, wrong next header, wrong length) as well as a bad MAC.
 */
export function verifyRmcpPlusIntegrity(buf: Uint8Array, h: RmcpPlusHeader, keys: SessionCryptoKeys): boolean {
  const macLen = integrityLength(keys.integrity);
  if (!h.authenticated || macLen === 0) return false;
  const payloadEnd = h.payloadStart + h.payloadLength;
  const macStart = buf.length - macLen;
  const trailerLen = macStart - payloadEnd; // pad + pad length + next header
  if (trailerLen < 2 || trailerLen > 5) return false;
  if ((macStart - RMCP_HEADER_LENGTH) % 4 !== 0) return false;
  const padLen = buf[macStart - 2]!;
  if (padLen !== trailerLen - 2 || buf[macStart - 1] !== 0x07) return false;
  for (let i = payloadEnd; i < payloadEnd + padLen; i++) if (buf[i] !== 0xff) return false;
  const expected = integrityMac(keys.integrity, keys.k1, keys.kuid20, buf.subarray(RMCP_HEADER_LENGTH, macStart));
  return safeEqual(expected, buf.subarray(macStart));
}

/** The IPMI payload in clear text; undefined when it cannot be decrypted. */
export function rmcpPlusPayload(buf: Uint8Array, h: RmcpPlusHeader, keys?: SessionCryptoKeys): Uint8Array | undefined {
  const payload = buf.subarray(h.payloadStart, h.payloadStart + h.payloadLength);
  if (!h.encrypted) return payload;
  if (!keys || keys.confidentiality !== ConfAlg.AesCbc128) return undefined;
  return aesDecrypt(keys.k2, payload);
}

export interface RmcpPlusOut {
  payloadType: number;
  sessionId: number;
  sequence: number;
  payload: Uint8Array;
}

/**
 * Builds a datagram. With keys, the payload is encrypted (if the session has confidentiality)
 * and authenticated (if it has integrity); `iv` must be 16 fresh random bytes then.
 */
export function encodeRmcpPlus(p: RmcpPlusOut, keys?: SessionCryptoKeys, iv?: Uint8Array): Uint8Array {
  const encrypt = !!keys && keys.confidentiality === ConfAlg.AesCbc128;
  const authenticate = !!keys && keys.integrity !== IntegrityAlg.None;
  let payload = p.payload;
  if (encrypt) {
    if (!iv || iv.length !== 16) throw new Error('AES-CBC-128 needs a 16-byte IV');
    payload = aesEncrypt(keys.k2, iv, payload);
  }
  const w = new Writer(RMCP_HEADER_LENGTH + 12 + payload.length + 24);
  writeRmcpHeader(w, RmcpClass.Ipmi);
  w.u8(0x06).u8((encrypt ? 0x80 : 0) | (authenticate ? 0x40 : 0) | (p.payloadType & 0x3f));
  w.u32(p.sessionId).u32(p.sequence).u16(payload.length).bytes(payload);
  if (authenticate) {
    // Pad so that auth type .. next header is a multiple of 4 (§13.28.4; FreeIPMI and ipmitool agree).
    const pad = (4 - ((w.length - RMCP_HEADER_LENGTH + 2) % 4)) % 4;
    w.fill(0xff, pad).u8(pad).u8(0x07);
    w.bytes(integrityMac(keys.integrity, keys.k1, keys.kuid20, w.view().subarray(RMCP_HEADER_LENGTH)));
  }
  return w.finish();
}
