import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError, Writer } from '../../src/protocol/bytes.js';
import {
  ASF_IANA,
  AsfType,
  decodeAsf,
  decodeRmcpHeader,
  encodeAsfPing,
  encodeAsfPong,
  encodeRmcpAck,
  RmcpClass,
  writeRmcpHeader,
} from '../../src/protocol/rmcp.js';
import { hex } from '../helpers/bytes.js';
import { assertDecoderTotal, assertTruncationsRejected } from '../helpers/props.js';

// ASF presence ping as ipmitool sends it (ipmi-protocol.md §1; also frame 1 of the -I lan capture).
const ping = hex`
  06 00 ff 06   // RMCP: version 1.0, reserved, sequence FF (no ACK), class ASF
  00 00 11 be   // ASF IANA 4542, big-endian
  80            // presence ping
  2a            // message tag
  00            // reserved
  00            // data length`;

// Presence pong: same tag, 16 data bytes (no OEM, IPMI supported, ASF 1.0).
const pong = hex`
  06 00 ff 06
  00 00 11 be  40  2a  00  10
  00 00 11 be   // OEM IANA: none, so ASF's
  00 00 00 00   // OEM defined
  81            // supported entities: IPMI + ASF version 1
  00            // supported interactions
  00 00 00 00 00 00`;

test('RMCP header: parse, generate, mirror', () => {
  assert.deepEqual(decodeRmcpHeader(ping), { sequence: 0xff, messageClass: RmcpClass.Asf, isAck: false });
  assert.deepEqual(decodeRmcpHeader(hex`06 00 ff 07`), { sequence: 0xff, messageClass: RmcpClass.Ipmi, isAck: false });
  assert.deepEqual(decodeRmcpHeader(hex`06 00 07 86`), { sequence: 7, messageClass: RmcpClass.Asf, isAck: true });
  const w = new Writer();
  writeRmcpHeader(w, RmcpClass.Ipmi);
  assert.deepEqual(w.finish(), hex`06 00 ff 07`);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 0x1f }), (seq, cls) => {
      const w2 = new Writer();
      writeRmcpHeader(w2, cls, seq);
      assert.deepEqual(decodeRmcpHeader(w2.finish()), { sequence: seq, messageClass: cls, isAck: false });
    }),
  );
});

test('RMCP header: wrong version and short datagrams are ProtocolErrors', () => {
  assertTruncationsRejected(decodeRmcpHeader, hex`06 00 ff 07`);
  for (const v of [0x00, 0x05, 0x07, 0xff]) {
    assert.throws(() => decodeRmcpHeader(Uint8Array.of(v, 0, 0xff, 7)), ProtocolError);
  }
});

test('ASF ping: parse, generate, mirror', () => {
  assert.deepEqual(encodeAsfPing(0x2a), ping);
  assert.deepEqual(decodeAsf(ping), { iana: ASF_IANA, messageType: AsfType.PresencePing, messageTag: 0x2a, data: new Uint8Array(0) });
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 255 }), (tag) => {
      const m = decodeAsf(encodeAsfPing(tag));
      assert.equal(m.messageTag, tag);
      assert.equal(m.messageType, AsfType.PresencePing);
    }),
  );
});

test('ASF pong: parse, generate, mirror', () => {
  assert.deepEqual(encodeAsfPong(0x2a), pong);
  const m = decodeAsf(pong);
  assert.equal(m.iana, ASF_IANA);
  assert.equal(m.messageType, AsfType.PresencePong);
  assert.equal(m.messageTag, 0x2a);
  assert.deepEqual(m.data, pong.subarray(12));
  // The pong keeps the ping's RMCP sequence number when the ping asked for an ACK.
  assert.equal(decodeRmcpHeader(encodeAsfPong(1, 9)).sequence, 9);
});

test('ASF pong with a byte-swapped IANA (a real BMC bug) still decodes: clients must be lenient', () => {
  // phosphor-net-ipmid issue #25: the IANA went out little-endian.
  const swapped = hex`06 00 ff 06 be 11 00 00 40 00 00 10 be 11 00 00 00 00 00 00 81 00 00 00 00 00 00 00`;
  const m = decodeAsf(swapped);
  assert.equal(m.messageType, AsfType.PresencePong);
  assert.equal(m.iana, 0xbe110000);
});

test('RMCP ACK echoes the sequence and sets bit 7 of the class', () => {
  assert.deepEqual(encodeRmcpAck({ sequence: 5, messageClass: RmcpClass.Asf, isAck: false }), hex`06 00 05 86`);
  assert.deepEqual(decodeRmcpHeader(encodeRmcpAck({ sequence: 0, messageClass: RmcpClass.Ipmi, isAck: false })), { sequence: 0, messageClass: 7, isAck: true });
});

test('ASF: a data length beyond the datagram and every truncation are ProtocolErrors', () => {
  assertTruncationsRejected(decodeAsf, ping);
  assertTruncationsRejected(decodeAsf, pong);
  const lying = pong.slice();
  lying[11] = 0x11; // 17 data bytes claimed, 16 present
  assert.throws(() => decodeAsf(lying), ProtocolError);
});

test('RMCP/ASF decoders throw only ProtocolError on random and mutated input', () => {
  assertDecoderTotal(decodeRmcpHeader, [ping, pong, hex`06 00 ff 07`]);
  assertDecoderTotal(decodeAsf, [ping, pong]);
});
