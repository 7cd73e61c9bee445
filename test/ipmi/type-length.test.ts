import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../src/protocol/bytes.js';
import {
  decodeBcdPlus,
  decodeLatin1,
  decodeSixBitAscii,
  decodeUcs2,
  encodeBcdPlus,
  encodeLatin1,
  encodeSixBitAscii,
  encodeUcs2,
} from '../../src/ipmi/type-length.js';
import { hex } from '../helpers/bytes.js';

test('6-bit packed ASCII: the FRU spec example and partial groups', () => {
  // "IPMI" = 29 30 2d 29 (char - 0x20), packed LSB first: 29 | 0<<6, 30>>2 | d<<4, 2d>>4 | 29<<2.
  assert.deepEqual(encodeSixBitAscii('IPMI'), hex`29 dc a6`);
  assert.equal(decodeSixBitAscii(hex`29 dc a6`), 'IPMI');
  assert.deepEqual(encodeSixBitAscii('A'), hex`21`);
  assert.equal(decodeSixBitAscii(hex`21`), 'A');
  assert.equal(decodeSixBitAscii(hex`21 00`), 'A ');
  // Three characters fill three bytes; their zero fill reads back as a fourth, space, character.
  assert.equal(decodeSixBitAscii(encodeSixBitAscii('ABC')), 'ABC ');
  assert.throws(() => encodeSixBitAscii('lower'), RangeError);
});

test('BCD plus: digits, space, dash, period, colon, comma, underscore', () => {
  assert.deepEqual(encodeBcdPlus('0123456789 -.:,_'), hex`01 23 45 67 89 ab cd ef`);
  assert.equal(decodeBcdPlus(hex`01 23 45 67 89 ab cd ef`), '0123456789 -.:,_');
  assert.deepEqual(encodeBcdPlus('1.5'), hex`1c 5a`);
  assert.equal(decodeBcdPlus(hex`1c 5a`), '1.5 ');
  assert.throws(() => encodeBcdPlus('x'), RangeError);
});

test('Latin-1 stops at a NUL; characters above U+00FF are refused', () => {
  assert.equal(decodeLatin1(hex`41 42 00 43`), 'AB');
  assert.equal(decodeLatin1(hex`e9 ff`), '\u00e9\u00ff');
  assert.deepEqual(encodeLatin1('\u00e9t\u00e9'), hex`e9 74 e9`);
  assert.throws(() => encodeLatin1('\u20ac'), RangeError);
});

test('2-byte Unicode is least significant byte first', () => {
  assert.deepEqual(encodeUcs2('A\u20ac'), hex`41 00 ac 20`);
  assert.equal(decodeUcs2(hex`41 00 ac 20 00 00`), 'A\u20ac');
  assert.throws(() => decodeUcs2(hex`41 00 ac`), ProtocolError);
});

test('property: any bytes decode and re-encode to the same bytes (6-bit, BCD plus)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 63 }), (bytes) => {
      // A final partial 6-bit group leaves 2 or 4 bits over; encoders zero them, decoders ignore them.
      const packed = bytes.slice();
      if (packed.length % 3 === 1) packed[packed.length - 1]! &= 0x3f;
      if (packed.length % 3 === 2) packed[packed.length - 1]! &= 0x0f;
      assert.deepEqual(encodeSixBitAscii(decodeSixBitAscii(packed)), packed);
      assert.deepEqual(encodeBcdPlus(decodeBcdPlus(bytes)), bytes);
    }),
  );
});

test('property: text survives encode-decode (up to the documented padding)', () => {
  const sixBit = fc.string({ unit: fc.integer({ min: 0x20, max: 0x5f }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const bcd = fc.string({ unit: fc.constantFrom(...'0123456789 -.:,_'), maxLength: 40 });
  fc.assert(
    fc.property(sixBit, bcd, (s, d) => {
      assert.equal(decodeSixBitAscii(encodeSixBitAscii(s)), s.length % 4 === 3 ? `${s} ` : s);
      assert.equal(decodeBcdPlus(encodeBcdPlus(d)), d.length % 2 === 1 ? `${d} ` : d);
    }),
  );
});
