import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Reader, Writer, ProtocolError, checksum8, bits } from '../../src/protocol/bytes.js';
import { hex } from '../helpers/bytes.js';

test('Reader reads little- and big-endian fields', () => {
  const r = new Reader(hex`01 02 03 04 05 06 07 08 09 0a 0b`);
  assert.equal(r.u8(), 0x01);
  assert.equal(r.u16(), 0x0302);
  assert.equal(r.u32(), 0x07060504);
  assert.equal(r.u16be(), 0x0809);
  assert.equal(r.remaining, 2);
  assert.equal(r.optU8(0xee), 0x0a);
  assert.equal(r.optU8(0xee), 0x0b);
  assert.equal(r.optU8(0xee), 0xee);
});

test('u32 of 0xffffffff stays unsigned', () => {
  assert.equal(new Reader(hex`ff ff ff ff`).u32(), 0xffffffff);
  assert.equal(new Reader(hex`ff ff ff ff`).u32be(), 0xffffffff);
});

test('short reads throw ProtocolError with the offset', () => {
  const r = new Reader(hex`01 02`);
  r.u8();
  assert.throws(() => r.u16('session id'), (e: unknown) => e instanceof ProtocolError && e.offset === 1 && /session id/.test(e.message));
});

test('Writer grows and round-trips through Reader', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 100 }), (values) => {
      const w = new Writer(1);
      for (const v of values) w.u32(v);
      const r = new Reader(w.finish());
      for (const v of values) assert.equal(r.u32(), v);
      r.expectEnd();
    }),
  );
});

test('checksum8 makes the bytes sum to zero', () => {
  const msg = hex`20 18`;
  assert.equal(checksum8(msg), 0xc8);
  assert.equal(checksum8(hex`81 00 38 8e 04`), 0xb5);
  assert.equal(bits(0x8e, 0, 4), 0x0e);
  assert.equal(bits(0x8e, 7, 1), 1);
});
