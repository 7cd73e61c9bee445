import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { asciiBytes, ProtocolError } from '../../src/protocol/bytes.js';
import { AuthType, concat, md2, padPassword } from '../../src/protocol/crypto.js';
import { decodeSession15, encodeSession15 } from '../../src/protocol/session15.js';
import { hex } from '../helpers/bytes.js';
import { assertDecoderTotal, assertTruncationsRejected } from '../helpers/props.js';

const getChassisStatus = hex`20 00 e0 81 08 01 76`; // rqSeq 2
const test16 = padPassword(asciiBytes('test'), 16);

// Auth type NONE: no AuthCode field at all (pre-session Get Channel Auth Caps, ipmitool issue #154).
const noneDatagram = hex`
  06 00 ff 07               // RMCP, class IPMI
  00                        // auth type NONE
  00 00 00 00               // session sequence number (before the ID in v1.5)
  00 00 00 00               // session ID
  09                        // message length
  20 18 c8 81 00 38 8e 04 b5`;

// MD5, the worked example in ipmi-protocol.md §3.3 (password "test", session 0x12345678, seq 1).
const md5Datagram = hex`
  06 00 ff 07
  02                                              // MD5
  01 00 00 00                                     // sequence 1
  78 56 34 12                                     // session 0x12345678
  91 c5 60 07 df 6a 79 5b 4a e8 e6 4b ba 82 03 58 // MD5(pw16 | id | msg | seq | pw16)
  07
  20 00 e0 81 08 01 76`;

// Straight password: the AuthCode is the password itself, NUL-padded to 16 bytes.
const passwordDatagram = hex`
  06 00 ff 07
  04
  01 00 00 00
  78 56 34 12
  74 65 73 74 00 00 00 00 00 00 00 00 00 00 00 00 // "test"
  07
  20 00 e0 81 08 01 76`;

test('v1.5 auth NONE: parse, generate, mirror', () => {
  const p = decodeSession15(noneDatagram);
  assert.deepEqual(p, { authType: 0, sequence: 0, sessionId: 0, authCode: undefined, message: noneDatagram.subarray(14) });
  assert.deepEqual(encodeSession15({ authType: AuthType.None, sequence: 0, sessionId: 0 }, p.message), noneDatagram);
});

test('v1.5 auth MD5: parse, generate, mirror', () => {
  const p = decodeSession15(md5Datagram);
  assert.equal(p.authType, AuthType.Md5);
  assert.equal(p.sequence, 1);
  assert.equal(p.sessionId, 0x12345678);
  assert.deepEqual(p.authCode, md5Datagram.subarray(13, 29));
  assert.deepEqual(p.message, getChassisStatus);
  assert.deepEqual(encodeSession15({ authType: AuthType.Md5, sequence: 1, sessionId: 0x12345678, password16: test16 }, getChassisStatus), md5Datagram);
});

test('v1.5 auth PASSWORD: parse, generate, mirror', () => {
  const p = decodeSession15(passwordDatagram);
  assert.equal(p.authType, AuthType.Password);
  assert.deepEqual(p.authCode, test16);
  assert.deepEqual(encodeSession15({ authType: AuthType.Password, sequence: 1, sessionId: 0x12345678, password16: test16 }, getChassisStatus), passwordDatagram);
});

test('v1.5 auth MD2: the AuthCode is MD2(pw16 | id | msg | seq | pw16)', () => {
  const d = encodeSession15({ authType: AuthType.Md2, sequence: 1, sessionId: 0x12345678, password16: test16 }, getChassisStatus);
  const p = decodeSession15(d);
  assert.equal(p.authType, AuthType.Md2);
  const expected = md2(concat([test16, hex`78 56 34 12`, getChassisStatus, hex`01 00 00 00`, test16]));
  assert.deepEqual(p.authCode, expected);
  assert.notDeepEqual(p.authCode, decodeSession15(md5Datagram).authCode);
});

test('v1.5 encode refuses an authenticated packet without a password', () => {
  assert.throws(() => encodeSession15({ authType: AuthType.Md5, sequence: 1, sessionId: 1 }, getChassisStatus), /password/);
});

const BAD_LENGTHS = [56, 84, 112, 128, 156];

test('legacy pad: a zero byte is added exactly when the datagram would be 56, 84, 112, 128 or 156 bytes', () => {
  for (const authType of [AuthType.None, AuthType.Md5]) {
    const header = authType === AuthType.None ? 14 : 30;
    let padded = 0;
    for (let n = 7; n <= 200; n++) {
      const msg = new Uint8Array(n).fill(0x5a);
      const d = encodeSession15({ authType, sequence: 3, sessionId: 9, password16: test16 }, msg);
      assert.equal(BAD_LENGTHS.includes(d.length), false, `length ${d.length}`);
      const needsPad = BAD_LENGTHS.includes(header + n);
      assert.equal(d.length, header + n + (needsPad ? 1 : 0), `message of ${n} bytes`);
      if (needsPad) {
        padded++;
        assert.equal(d[d.length - 1], 0);
        assert.equal(d[header - 1], n, 'the length byte does not count the pad');
      }
      assert.deepEqual(decodeSession15(d).message, msg, 'the pad is not part of the message');
    }
    assert.equal(padded, BAD_LENGTHS.length);
  }
});

test('malformed lengths: a length beyond the datagram, or more than one trailing byte, are ProtocolErrors', () => {
  const long = noneDatagram.slice();
  long[13] = 10; // claims one more byte than present
  assert.throws(() => decodeSession15(long), ProtocolError);
  const zero = noneDatagram.slice();
  zero[13] = 0; // 9 unexplained bytes
  assert.throws(() => decodeSession15(zero), ProtocolError);
  // One trailing byte is the legacy pad; two are garbage.
  assert.deepEqual(decodeSession15(concat([noneDatagram, hex`00`])).message, noneDatagram.subarray(14));
  assert.throws(() => decodeSession15(concat([noneDatagram, hex`00 00`])), ProtocolError);
  assert.throws(() => decodeSession15(concat([md5Datagram, hex`00 00`])), ProtocolError);
});

test('truncated v1.5 headers and AuthCodes are ProtocolErrors', () => {
  assertTruncationsRejected(decodeSession15, noneDatagram);
  assertTruncationsRejected(decodeSession15, md5Datagram);
  assertTruncationsRejected(decodeSession15, passwordDatagram);
});

test('v1.5 mirror over random headers and messages', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(AuthType.None, AuthType.Md2, AuthType.Md5, AuthType.Password),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.uint8Array({ minLength: 0, maxLength: 200 }),
      (authType, sequence, sessionId, msg) => {
        const p = decodeSession15(encodeSession15({ authType, sequence, sessionId, password16: test16 }, msg));
        assert.equal(p.authType, authType);
        assert.equal(p.sequence, sequence);
        assert.equal(p.sessionId, sessionId);
        assert.deepEqual(p.message, msg);
      },
    ),
    { numRuns: 300 },
  );
});

test('v1.5 decoder throws only ProtocolError on random and mutated input', () => {
  assertDecoderTotal(decodeSession15, [noneDatagram, md5Datagram, passwordDatagram]);
});
