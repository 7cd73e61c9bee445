import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checksum8, ProtocolError, Writer } from '../../src/protocol/bytes.js';
import { decodeIpmb, encodeIpmb, ipmbLength, writeIpmb, type IpmbMessage } from '../../src/protocol/ipmb-message.js';
import { hex } from '../helpers/bytes.js';
import { assertDecoderTotal, assertTruncationsRejected } from '../helpers/props.js';

// Get Channel Authentication Capabilities as ipmitool sends it (ipmitool issue #154).
const authCapsRequest = hex`
  20        // rsSA: BMC
  18        // netFn 06 (App) << 2 | rsLUN 0
  c8        // chk1: 20 + 18 + c8 = 0 mod 256
  81        // rqSA: remote console software ID
  00        // rqSeq 0 << 2 | rqLUN 0
  38        // cmd: Get Channel Authentication Capabilities
  8e 04     // data: channel E with v2.0 data bit, ADMINISTRATOR
  b5        // chk2 over 81 .. 04`;

// ...and a BMC's reply (same issue).
const authCapsResponse = hex`
  81 1c 63  // rqSA, netFn 07 << 2 | rqLUN 0, chk1
  20 00 38  // rsSA, rqSeq 0 | rsLUN 0, cmd
  00        // completion code
  01 96 04 03 45 53 00 00
  72`;

const requestFields: IpmbMessage = { destAddr: 0x20, netFn: 0x06, destLun: 0, srcAddr: 0x81, seq: 0, srcLun: 0, cmd: 0x38, data: hex`8e 04` };

test('IPMB request: parse, generate, mirror', () => {
  assert.deepEqual(decodeIpmb(authCapsRequest), requestFields);
  assert.deepEqual(encodeIpmb(requestFields), authCapsRequest);
});

test('IPMB response: the completion code is written as a prefix of the data and parsed as data[0]', () => {
  const m = decodeIpmb(authCapsResponse);
  assert.equal(m.netFn, 0x07);
  assert.equal(m.destAddr, 0x81);
  assert.equal(m.srcAddr, 0x20);
  assert.equal(m.data[0], 0x00);
  assert.deepEqual(m.data.subarray(1), hex`01 96 04 03 45 53 00 00`);
  const w = new Writer();
  writeIpmb(w, { ...m, data: m.data.subarray(1) }, 0x00);
  assert.deepEqual(w.finish(), authCapsResponse);
  assert.equal(ipmbLength(8, true), authCapsResponse.length);
  assert.equal(ipmbLength(2, false), authCapsRequest.length);
});

test('IPMB decode honours start/end and returns views into the buffer', () => {
  const framed = new Uint8Array([0xaa, 0xbb, ...authCapsRequest, 0xcc]);
  const m = decodeIpmb(framed, 2, 2 + authCapsRequest.length);
  assert.deepEqual(m, requestFields);
  assert.equal(m.data.buffer, framed.buffer);
});

test('IPMB: any single corrupted byte fails one of the two checksums', () => {
  for (const msg of [authCapsRequest, authCapsResponse]) {
    for (let at = 0; at < msg.length; at++) {
      for (let delta = 1; delta < 256; delta++) {
        const bad = msg.slice();
        bad[at] = (bad[at]! + delta) & 0xff;
        assert.throws(
          () => decodeIpmb(bad),
          (e: unknown) => e instanceof ProtocolError && /checksum/.test(e.message),
          `byte ${at} + ${delta}`,
        );
      }
    }
  }
});

test('IPMB: the header checksum covers only the first two bytes, the data checksum the rest', () => {
  const bad1 = authCapsRequest.slice();
  bad1[2]! ^= 1;
  assert.throws(() => decodeIpmb(bad1), /header checksum/);
  const bad2 = authCapsRequest.slice();
  bad2[8]! ^= 1;
  assert.throws(() => decodeIpmb(bad2), /data checksum/);
});

test('IPMB: messages shorter than 7 bytes are rejected', () => {
  assertTruncationsRejected(decodeIpmb, authCapsRequest);
  // The shortest legal message: a request without data.
  const min = encodeIpmb({ ...requestFields, cmd: 0x01, data: new Uint8Array(0) });
  assert.equal(min.length, 7);
  assert.equal(decodeIpmb(min).data.length, 0);
});

const messageArb = fc.record({
  destAddr: fc.integer({ min: 0, max: 255 }),
  netFn: fc.integer({ min: 0, max: 0x3f }),
  destLun: fc.integer({ min: 0, max: 3 }),
  srcAddr: fc.integer({ min: 0, max: 255 }),
  seq: fc.integer({ min: 0, max: 0x3f }),
  srcLun: fc.integer({ min: 0, max: 3 }),
  cmd: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 40 }),
});

test('IPMB mirror: decode(encode(m)) = m, and both checksums make their spans sum to zero', () => {
  fc.assert(
    fc.property(messageArb, (m) => {
      const b = encodeIpmb(m);
      assert.deepEqual(decodeIpmb(b), { ...m });
      assert.equal(checksum8(b, 0, 3), 0);
      assert.equal(checksum8(b, 3, b.length), 0);
    }),
  );
});

test('IPMB decoder throws only ProtocolError on random and mutated input', () => {
  assertDecoderTotal((b) => decodeIpmb(b), [authCapsRequest, authCapsResponse]);
});
