// Text packings shared by SDR ID strings (IPMI v2.0 §43.15, "type/length byte") and FRU
// type/length fields (FRU spec v1.0 §13): BCD plus, 6-bit packed ASCII and 8-bit Latin-1.
// The two specs agree on these packings; they differ only in how the type/length byte
// itself is laid out, which stays with each record codec.

import { ProtocolError } from '../protocol/bytes.js';

/** BCD plus digits: 0-9, then space, dash, period, colon, comma, underscore (IPMI v2.0 §43.15). */
const BCD_PLUS = '0123456789 -.:,_';

/** Two characters per byte, high nibble first; an odd length is padded with a space nibble. */
export function encodeBcdPlus(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(text.length / 2));
  for (let i = 0; i < text.length; i++) {
    const nibble = BCD_PLUS.indexOf(text[i]!);
    if (nibble < 0) throw new RangeError(`character ${JSON.stringify(text[i])} has no BCD plus code`);
    out[i >> 1]! |= i % 2 === 0 ? nibble << 4 : nibble;
  }
  if (text.length % 2 === 1) out[out.length - 1]! |= 0x0a;
  return out;
}

/**
 * Two characters per byte. The packing has no character count, so an odd-length string comes
 * back with its padding space; keeping it makes decode-then-encode byte-exact.
 */
export function decodeBcdPlus(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += BCD_PLUS[b >> 4]! + BCD_PLUS[b & 0x0f]!;
  return s;
}

/**
 * 6-bit packed ASCII: each character is (code - 0x20), packed least-significant bits first, four
 * characters in three bytes ("IPMI" → 29 DC A6, FRU spec §13.2).
 */
export function encodeSixBitAscii(text: string): Uint8Array {
  const out = new Uint8Array(Math.ceil((text.length * 6) / 8));
  let acc = 0;
  let nbits = 0;
  let o = 0;
  for (const ch of text) {
    const code = ch.charCodeAt(0) - 0x20;
    if (ch.length !== 1 || code < 0 || code > 0x3f) throw new RangeError(`character ${JSON.stringify(ch)} has no 6-bit ASCII code`);
    acc |= code << nbits;
    nbits += 6;
    while (nbits >= 8) {
      out[o++] = acc & 0xff;
      acc >>>= 8;
      nbits -= 8;
    }
  }
  if (nbits > 0) out[o] = acc & 0xff;
  return out;
}

/**
 * Decodes floor(8n/6) characters from n bytes, as FreeIPMI does. A string whose length is 3 mod 4
 * comes back with one more space (the zero fill of its last byte); keeping it makes
 * decode-then-encode byte-exact. The 2 or 4 bits left over after the last character are ignored.
 */
export function decodeSixBitAscii(bytes: Uint8Array): string {
  let s = '';
  let acc = 0;
  let nbits = 0;
  for (const b of bytes) {
    acc |= b << nbits;
    nbits += 8;
    while (nbits >= 6) {
      s += String.fromCharCode((acc & 0x3f) + 0x20);
      acc >>>= 6;
      nbits -= 6;
    }
  }
  return s;
}

/** One byte per character; characters above U+00FF cannot be represented. */
export function encodeLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`character ${JSON.stringify(text[i])} is not Latin-1`);
    out[i] = c;
  }
  return out;
}

/** Latin-1 up to the first NUL: BMCs pad fixed-size strings with NULs (ipmitool prints with %s). */
export function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0) break;
    s += String.fromCharCode(b);
  }
  return s;
}

/** 2-byte Unicode, least significant byte first (FRU spec §13, type 11b in a non-English area). */
export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >> 8;
  }
  return out;
}

/** 2-byte Unicode back to text; trailing NUL characters (padding) are dropped. */
export function decodeUcs2(bytes: Uint8Array): string {
  if (bytes.length % 2 !== 0) throw new ProtocolError(`odd byte count ${bytes.length} in a 2-byte Unicode field`);
  let s = '';
  for (let i = 0; i < bytes.length; i += 2) s += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
  return s.replace(/\0+$/, '');
}
