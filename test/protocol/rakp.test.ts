// Open Session and RAKP 1-4 payload codecs (ipmi-protocol.md §4.3-4.4). The vectors are the real
// payloads of the -C 3 capture (ipmitool <-> ipmi_sim) and the suite-17 capture of §4.12(c).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { asciiBytes, ProtocolError } from '../../src/protocol/bytes.js';
import {
  decodeOpenSessionRequest,
  decodeOpenSessionResponse,
  decodeRakp1,
  decodeRakp2,
  decodeRakp3,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeOpenSessionResponse,
  encodeRakp1,
  encodeRakp2,
  encodeRakp3,
  encodeRakp4,
  RmcpPlusStatus,
  rmcpPlusStatusNames,
  type OpenSessionResponse,
} from '../../src/protocol/rakp.js';
import { hex } from '../helpers/bytes.js';
import { assertDecoderTotal, assertTruncationsRejected } from '../helpers/props.js';

const openRequest = hex`
  00                  // message tag
  00                  // requested maximum privilege: 0 = highest matching the algorithms
  00 00               // reserved
  a4 a3 a2 a0         // SIDm (ipmitool's fixed 0xA0A2A3A4)
  00 00 00 08 01 00 00 00   // authentication payload: HMAC-SHA1
  01 00 00 08 01 00 00 00   // integrity payload: HMAC-SHA1-96
  02 00 00 08 01 00 00 00   // confidentiality payload: AES-CBC-128`;

const openResponse = hex`
  00                  // tag
  00                  // status: no errors
  00                  // maximum privilege (ipmi_sim echoes the request's 0)
  00                  // reserved
  a4 a3 a2 a0         // SIDm
  82 00 00 00         // SIDc
  00 00 00 08 01 00 00 00
  01 00 00 08 01 00 00 00
  02 00 00 08 01 00 00 00`;

// §4.12(c), suite 17 (kontron/python-ipmi issue #188).
const openRequest17 = hex`00 00 0000 a4a3a2a0 | 00 0000 08 03 000000 | 01 0000 08 04 000000 | 02 0000 08 01 000000`;
const openResponse17 = hex`00 00 04 00 a4a3a2a0 9b5d7b00 | 00 0000 08 03 000000 | 01 0000 08 04 000000 | 02 0000 08 01 000000`;

const rakp1 = hex`
  00                  // tag
  00 00 00            // reserved
  82 00 00 00         // SIDc
  5e 01 d8 f1 85 b9 bc 33 7a 71 1f 7e 7e 44 cd 99   // Rm
  14                  // role: name-only lookup | ADMINISTRATOR
  00 00               // reserved
  05                  // username length
  61 64 6d 69 6e      // "admin", not padded`;

const rakp2 = hex`
  00 00 00 00         // tag, status, reserved
  a4 a3 a2 a0         // SIDm
  ba 68 fd f0 f5 15 e8 58 c6 78 36 44 b0 d9 f6 20   // Rc
  a1 23 45 67 89 ab cd ef a1 23 45 67 89 ab cd ef   // GUIDc
  cd c2 be 7a 30 5b 68 60 2d a5 d5 ba f2 2c b2 b4 c2 bb 7f a9   // HMAC-SHA1 key exchange AuthCode`;

const rakp3 = hex`
  00 00 00 00         // tag, status, reserved
  82 00 00 00         // SIDc
  e7 ed 49 a1 01 2b 73 4c e2 9a 34 9d 7e db 1d a2 99 97 ff dc`;

const rakp4 = hex`
  00 00 00 00         // tag, status, reserved
  a4 a3 a2 a0         // SIDm
  9f 7e 76 58 a3 3b 1b 38 cc 28 9b ea   // ICV: HMAC-SHA1 truncated to 12`;

test('Open Session Request: parse, generate, mirror (capture -C 3 and §4.12(c))', () => {
  const q = decodeOpenSessionRequest(openRequest);
  assert.deepEqual(q, { messageTag: 0, requestedMaxPrivilege: 0, consoleSessionId: 0xa0a2a3a4, authAlgorithm: 1, integrityAlgorithm: 1, confidentialityAlgorithm: 1 });
  assert.deepEqual(encodeOpenSessionRequest(q), openRequest);
  const q17 = decodeOpenSessionRequest(openRequest17);
  assert.deepEqual([q17.authAlgorithm, q17.integrityAlgorithm, q17.confidentialityAlgorithm], [3, 4, 1]);
  assert.deepEqual(encodeOpenSessionRequest(q17), openRequest17);
});

test('Open Session Response: parse, generate, mirror (capture -C 3 and §4.12(c))', () => {
  const s = decodeOpenSessionResponse(openResponse);
  assert.deepEqual(s, {
    messageTag: 0,
    status: 0,
    maxPrivilege: 0,
    consoleSessionId: 0xa0a2a3a4,
    bmcSessionId: 0x82,
    authAlgorithm: 1,
    integrityAlgorithm: 1,
    confidentialityAlgorithm: 1,
  });
  assert.deepEqual(encodeOpenSessionResponse(s), openResponse);
  const s17 = decodeOpenSessionResponse(openResponse17);
  assert.equal(s17.maxPrivilege, 4);
  assert.equal(s17.bmcSessionId, 0x007b5d9b);
  assert.deepEqual(encodeOpenSessionResponse(s17), openResponse17);
});

test('Open Session Response with an error: tag, status, reserved, SIDm (and the 2-byte ipmi_sim form)', () => {
  const err: OpenSessionResponse = {
    messageTag: 7,
    status: RmcpPlusStatus.NoCipherSuiteMatch,
    maxPrivilege: 0,
    consoleSessionId: 0xa0a2a3a4,
    bmcSessionId: 0,
    authAlgorithm: 0,
    integrityAlgorithm: 0,
    confidentialityAlgorithm: 0,
  };
  const bytes = encodeOpenSessionResponse(err);
  assert.deepEqual(bytes, hex`07 11 00 00 a4 a3 a2 a0`);
  assert.deepEqual(decodeOpenSessionResponse(bytes), err, 'mirror: the SIDm of an error response survives decoding');
  // ipmi_sim sends only tag and status (capture -C 17, frame 4).
  assert.deepEqual(decodeOpenSessionResponse(hex`00 04`), { ...err, messageTag: 0, status: RmcpPlusStatus.InvalidAuthAlgorithm, consoleSessionId: 0 });
});

test('Open Session Request: null algorithm payloads in the 8-byte form and the 4-byte form', () => {
  const eight = hex`01 04 0000 78563412 | 00 0000 00 00 000000 | 01 0000 00 00 000000 | 02 0000 00 00 000000`;
  const four = hex`01 04 0000 78563412 | 00 0000 00 | 01 0000 00 | 02 0000 00`;
  const none = { messageTag: 1, requestedMaxPrivilege: 4, consoleSessionId: 0x12345678, authAlgorithm: undefined, integrityAlgorithm: undefined, confidentialityAlgorithm: undefined };
  assert.deepEqual(decodeOpenSessionRequest(eight), none);
  assert.deepEqual(encodeOpenSessionRequest(none), eight, 'undefined algorithms are written as 8-byte null payloads');
  assert.deepEqual(decodeOpenSessionRequest(four), none);
  // Mixed: a 4-byte null authentication payload followed by explicit integrity/confidentiality.
  const mixed = hex`01 04 0000 78563412 | 00 0000 00 | 01 0000 08 01 000000 | 02 0000 08 01 000000`;
  assert.deepEqual(decodeOpenSessionRequest(mixed), { ...none, integrityAlgorithm: 1, confidentialityAlgorithm: 1 });
  const mixed2 = hex`01 04 0000 78563412 | 00 0000 08 02 000000 | 01 0000 00 | 02 0000 08 01 000000`;
  assert.deepEqual(decodeOpenSessionRequest(mixed2), { ...none, authAlgorithm: 2, confidentialityAlgorithm: 1 });
});

test('Open Session Request: wrong payload types or lengths, and every truncation, are ProtocolErrors', () => {
  assertTruncationsRejected(decodeOpenSessionRequest, openRequest);
  const swapped = openRequest.slice();
  swapped[8] = 0x01; // authentication payload labelled as integrity
  assert.throws(() => decodeOpenSessionRequest(swapped), ProtocolError);
  const badLen = openRequest.slice();
  badLen[19] = 0x07;
  assert.throws(() => decodeOpenSessionRequest(badLen), ProtocolError);
  assertTruncationsRejected(decodeOpenSessionResponse, openResponse, 2);
});

test('RAKP 1: parse, generate, mirror; usernames are not padded and at most 16 bytes', () => {
  const m = decodeRakp1(rakp1);
  assert.deepEqual(m, { messageTag: 0, bmcSessionId: 0x82, consoleRandom: rakp1.subarray(8, 24), role: 0x14, username: asciiBytes('admin') });
  assert.deepEqual(encodeRakp1(m), rakp1);
  const empty = encodeRakp1({ ...m, username: new Uint8Array(0) });
  assert.equal(empty.length, 28);
  assert.deepEqual(decodeRakp1(empty).username, new Uint8Array(0));
  const long = encodeRakp1({ ...m, username: new Uint8Array(17).fill(0x61) });
  assert.throws(() => decodeRakp1(long), (e: unknown) => e instanceof ProtocolError && /username length 17/.test(e.message));
  assertTruncationsRejected(decodeRakp1, rakp1);
});

test('RAKP 2: parse, generate, mirror; error form is 8 bytes', () => {
  const m = decodeRakp2(rakp2);
  assert.equal(m.status, 0);
  assert.equal(m.consoleSessionId, 0xa0a2a3a4);
  assert.deepEqual(m.bmcRandom, rakp2.subarray(8, 24));
  assert.deepEqual(m.bmcGuid, rakp2.subarray(24, 40));
  assert.deepEqual(m.authCode, rakp2.subarray(40));
  assert.deepEqual(encodeRakp2(m), rakp2);
  const err = encodeRakp2({ ...m, messageTag: 3, status: RmcpPlusStatus.UnauthorizedName });
  assert.deepEqual(err, hex`03 0d 00 00 a4 a3 a2 a0`);
  assert.deepEqual(decodeRakp2(err), { messageTag: 3, status: 0x0d, consoleSessionId: 0xa0a2a3a4, bmcRandom: new Uint8Array(0), bmcGuid: new Uint8Array(0), authCode: new Uint8Array(0) });
  // Cutting into Rc or the GUID is an error; the AuthCode length depends on the algorithm and is checked by the caller.
  assertTruncationsRejected(decodeRakp2, rakp2.subarray(0, 40));
});

test('RAKP 3: parse, generate, mirror; the console may report an error status', () => {
  const m = decodeRakp3(rakp3);
  assert.deepEqual(m, { messageTag: 0, status: 0, bmcSessionId: 0x82, authCode: rakp3.subarray(8) });
  assert.deepEqual(encodeRakp3(m), rakp3);
  const err = encodeRakp3({ messageTag: 0, status: RmcpPlusStatus.InvalidIntegrityCheckValue, bmcSessionId: 0x82, authCode: new Uint8Array(0) });
  assert.deepEqual(err, hex`00 0f 00 00 82 00 00 00`);
  assert.deepEqual(decodeRakp3(err).status, 0x0f);
  assertTruncationsRejected(decodeRakp3, rakp3.subarray(0, 8));
});

test('RAKP 4: parse, generate, mirror', () => {
  const m = decodeRakp4(rakp4);
  assert.deepEqual(m, { messageTag: 0, status: 0, consoleSessionId: 0xa0a2a3a4, integrityCheckValue: rakp4.subarray(8) });
  assert.deepEqual(encodeRakp4(m), rakp4);
  const err = encodeRakp4({ ...m, status: RmcpPlusStatus.InvalidIntegrityCheckValue });
  assert.deepEqual(err, hex`00 0f 00 00 a4 a3 a2 a0`);
  assert.deepEqual(decodeRakp4(err).integrityCheckValue, new Uint8Array(0));
  assertTruncationsRejected(decodeRakp4, rakp4.subarray(0, 8));
});

test('Open Session / RAKP mirror over random field values', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const u8 = fc.integer({ min: 0, max: 255 });
  const b16 = fc.uint8Array({ minLength: 16, maxLength: 16 });
  // undefined: a null payload, "BMC picks".
  const alg = fc.option(fc.integer({ min: 0, max: 0x3f }), { nil: undefined });
  fc.assert(
    fc.property(u8, fc.integer({ min: 0, max: 15 }), u32, alg, alg, alg, (tag, priv, sid, a, i, c) => {
      const q = { messageTag: tag, requestedMaxPrivilege: priv, consoleSessionId: sid, authAlgorithm: a, integrityAlgorithm: i, confidentialityAlgorithm: c };
      assert.deepEqual(decodeOpenSessionRequest(encodeOpenSessionRequest(q)), q);
    }),
  );
  fc.assert(
    fc.property(u8, u32, b16, u8, fc.uint8Array({ maxLength: 16 }), (tag, sid, rm, role, name) => {
      const m = { messageTag: tag, bmcSessionId: sid, consoleRandom: rm, role, username: name };
      assert.deepEqual(decodeRakp1(encodeRakp1(m)), m);
    }),
  );
  fc.assert(
    fc.property(u8, u32, b16, b16, fc.constantFrom(0, 16, 20, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), (tag, sid, rc, guid, code) => {
      const m = { messageTag: tag, status: 0, consoleSessionId: sid, bmcRandom: rc, bmcGuid: guid, authCode: code };
      assert.deepEqual(decodeRakp2(encodeRakp2(m)), m);
      const m3 = { messageTag: tag, status: 0, bmcSessionId: sid, authCode: code };
      assert.deepEqual(decodeRakp3(encodeRakp3(m3)), m3);
      const m4 = { messageTag: tag, status: 0, consoleSessionId: sid, integrityCheckValue: code };
      assert.deepEqual(decodeRakp4(encodeRakp4(m4)), m4);
    }),
  );
});

test('every RMCP+ status code has a name', () => {
  for (const code of Object.values(RmcpPlusStatus)) assert.ok(rmcpPlusStatusNames[code], `0x${code.toString(16)}`);
  assert.equal(rmcpPlusStatusNames[0x12], 'illegal or unrecognized parameter');
});

test('Open Session and RAKP decoders throw only ProtocolError on random and mutated input', () => {
  assertDecoderTotal(decodeOpenSessionRequest, [openRequest, openRequest17]);
  assertDecoderTotal(decodeOpenSessionResponse, [openResponse, openResponse17, hex`07 11 00 00 a4 a3 a2 a0`]);
  assertDecoderTotal(decodeRakp1, [rakp1]);
  assertDecoderTotal(decodeRakp2, [rakp2, hex`03 0d 00 00 a4 a3 a2 a0`]);
  assertDecoderTotal(decodeRakp3, [rakp3]);
  assertDecoderTotal(decodeRakp4, [rakp4]);
});
