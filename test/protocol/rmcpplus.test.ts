import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { asciiBytes, ProtocolError, Writer } from '../../src/protocol/bytes.js';
import { ConfAlg, concat, integrityLength, integrityMac, IntegrityAlg, padPassword } from '../../src/protocol/crypto.js';
import {
  decodeRmcpPlusHeader,
  encodeRmcpPlus,
  PayloadType,
  rmcpPlusPayload,
  verifyRmcpPlusIntegrity,
  type SessionCryptoKeys,
} from '../../src/protocol/rmcpplus.js';
import { writeRmcpHeader, RmcpClass } from '../../src/protocol/rmcp.js';
import { hex } from '../helpers/bytes.js';
import { assertDecoderTotal, assertTruncationsRejected, mutationOf } from '../helpers/props.js';

// The suite-3 Get Device ID datagram of ipmi-protocol.md §4.12(b).
const suite3 = hex`
  06 00 ff 07                                      // RMCP
  06                                               // auth type/format: RMCP+
  c0                                               // encrypted | authenticated | IPMI message
  3f 0b 00 00                                      // session ID (the BMC's, SIDc)
  01 00 00 00                                      // session sequence number
  20 00                                            // payload length 32 (IV + ciphertext)
  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f  // IV
  a0 d5 60 13 1d c8 c1 ed 31 8c 1b 0d e6 6e 27 33  // AES-CBC-128 ciphertext
  ff ff                                            // integrity pad: 12 + 32 + 2 + 2 = 48
  02                                               // pad length
  07                                               // next header
  4c ec b9 56 8a b0 35 d7 06 09 b5 5e              // HMAC-SHA1-96 AuthCode`;

// A pre-session Open Session Request header (frame 3 of the -C 3 capture).
const openSession = hex`
  06 00 ff 07 06 10 00 00 00 00 00 00 00 00 20 00
  00 00 00 00 a4 a3 a2 a0 00 00 00 08 01 00 00 00 01 00 00 08 01 00 00 00 02 00 00 08 01 00 00 00`;

// OEM explicit payload: the IANA and OEM payload ID sit between the payload type and session ID.
const oemExplicit = hex`
  06 00 ff 07 06 02
  57 01 00 00     // OEM IANA 343 (Intel)
  34 12           // OEM payload ID
  11 22 33 44     // session ID
  05 00 00 00     // sequence
  03 00           // payload length
  aa bb cc`;

test('RMCP+ header: parse the §4.12(b) datagram, a pre-session header and an OEM explicit header', () => {
  assert.deepEqual(decodeRmcpPlusHeader(suite3), {
    payloadType: PayloadType.Ipmi,
    encrypted: true,
    authenticated: true,
    sessionId: 0x00000b3f,
    sequence: 1,
    payloadStart: 16,
    payloadLength: 32,
  });
  assert.deepEqual(decodeRmcpPlusHeader(openSession), {
    payloadType: PayloadType.OpenSessionRequest,
    encrypted: false,
    authenticated: false,
    sessionId: 0,
    sequence: 0,
    payloadStart: 16,
    payloadLength: 32,
  });
  assert.deepEqual(decodeRmcpPlusHeader(oemExplicit), {
    payloadType: PayloadType.OemExplicit,
    encrypted: false,
    authenticated: false,
    sessionId: 0x44332211,
    sequence: 5,
    payloadStart: 22,
    payloadLength: 3,
  });
});

test('RMCP+ header: generate and mirror a pre-session packet (no trailer, no protection bits)', () => {
  const payload = openSession.subarray(16);
  assert.deepEqual(encodeRmcpPlus({ payloadType: PayloadType.OpenSessionRequest, sessionId: 0, sequence: 0, payload }), openSession);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0x3f }).filter((t) => t !== PayloadType.OemExplicit), fc.nat(), fc.nat(), fc.uint8Array({ maxLength: 64 }), (payloadType, sessionId, sequence, p) => {
      const d = encodeRmcpPlus({ payloadType, sessionId, sequence, payload: p });
      const h = decodeRmcpPlusHeader(d);
      assert.deepEqual(h, { payloadType, encrypted: false, authenticated: false, sessionId, sequence, payloadStart: 16, payloadLength: p.length });
      assert.equal(d.length, 16 + p.length);
      assert.equal(rmcpPlusPayload(d, h) !== undefined && Buffer.from(rmcpPlusPayload(d, h)!).equals(p), true);
    }),
    { numRuns: 300 },
  );
});

test('RMCP+ header: truncations and a payload length beyond the datagram are ProtocolErrors', () => {
  // The header decoder does not look at the trailer: only cutting into header or payload fails.
  assertTruncationsRejected(decodeRmcpPlusHeader, suite3.subarray(0, 16 + 32));
  assertTruncationsRejected(decodeRmcpPlusHeader, openSession);
  assertTruncationsRejected(decodeRmcpPlusHeader, oemExplicit);
  const lying = openSession.slice();
  lying[14] = 0x21;
  assert.throws(() => decodeRmcpPlusHeader(lying), ProtocolError);
});

const k1ByAlg: Record<number, Uint8Array> = {
  [IntegrityAlg.HmacSha1_96]: new Uint8Array(20).fill(0x11),
  [IntegrityAlg.HmacMd5_128]: new Uint8Array(16).fill(0x22),
  [IntegrityAlg.Md5_128]: new Uint8Array(0),
  [IntegrityAlg.HmacSha256_128]: new Uint8Array(32).fill(0x33),
};
const INTEGRITY_ALGS = [IntegrityAlg.HmacSha1_96, IntegrityAlg.HmacMd5_128, IntegrityAlg.Md5_128, IntegrityAlg.HmacSha256_128];
const kuid20 = padPassword(asciiBytes('password'), 20);

function keysFor(integrity: number, confidentiality: number = ConfAlg.None): SessionCryptoKeys {
  return { integrity, confidentiality, k1: k1ByAlg[integrity]!, k2: new Uint8Array(20).fill(0x44), kuid20 };
}

function payloadOfLength(n: number): Uint8Array {
  return new Uint8Array(n).map((_, i) => (i * 37 + 5) & 0xff);
}

const IV = hex`f0 e1 d2 c3 b4 a5 96 87 78 69 5a 4b 3c 2d 1e 0f`;

test('integrity trailer: for every payload length 0..40 and every integrity algorithm the MAC input is 4-aligned', () => {
  for (const integrity of INTEGRITY_ALGS) {
    for (const confidentiality of [ConfAlg.None, ConfAlg.AesCbc128]) {
      const keys = keysFor(integrity, confidentiality);
      for (let n = 0; n <= 40; n++) {
        const d = encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0x01020304, sequence: n + 1, payload: payloadOfLength(n) }, keys, IV);
        const h = decodeRmcpPlusHeader(d);
        const what = `integrity ${integrity}, conf ${confidentiality}, payload ${n}`;
        assert.equal(h.authenticated, true, what);
        assert.equal(h.encrypted, confidentiality === ConfAlg.AesCbc128, what);
        if (confidentiality === ConfAlg.None) assert.equal(h.payloadLength, n, what);
        else assert.equal(h.payloadLength, 16 + Math.ceil((n + 1) / 16) * 16, `${what}: IV + padded ciphertext`);
        const macLen = integrityLength(integrity);
        assert.equal(macLen, integrity === IntegrityAlg.HmacSha1_96 ? 12 : 16);
        const macStart = d.length - macLen;
        const payloadEnd = h.payloadStart + h.payloadLength;
        const pad = macStart - 2 - payloadEnd;
        assert.ok(pad >= 0 && pad <= 3, `${what}: pad ${pad}`);
        assert.equal((12 + h.payloadLength + pad + 2) % 4, 0, `${what}: span from auth type to next header`);
        assert.deepEqual([...d.subarray(payloadEnd, payloadEnd + pad)], new Array(pad).fill(0xff), `${what}: pad bytes`);
        assert.equal(d[macStart - 2], pad, `${what}: pad length`);
        assert.equal(d[macStart - 1], 0x07, `${what}: next header`);
        // The AuthCode is the algorithm's MAC over exactly auth type .. next header.
        assert.deepEqual(d.subarray(macStart), integrityMac(integrity, keys.k1, kuid20, d.subarray(4, macStart)), what);
        assert.equal(verifyRmcpPlusIntegrity(d, h, keys), true, what);
        assert.deepEqual(rmcpPlusPayload(d, h, keys), payloadOfLength(n), what);
      }
    }
  }
});

test('MD5-128 integrity is keyed with the password, HMAC algorithms with K1', () => {
  const d = encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: payloadOfLength(7) }, keysFor(IntegrityAlg.Md5_128));
  const h = decodeRmcpPlusHeader(d);
  assert.equal(verifyRmcpPlusIntegrity(d, h, keysFor(IntegrityAlg.Md5_128)), true);
  assert.equal(verifyRmcpPlusIntegrity(d, h, { ...keysFor(IntegrityAlg.Md5_128), kuid20: padPassword(asciiBytes('Password'), 20) }), false);
  const d2 = encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: payloadOfLength(7) }, keysFor(IntegrityAlg.HmacSha1_96));
  assert.equal(verifyRmcpPlusIntegrity(d2, decodeRmcpPlusHeader(d2), { ...keysFor(IntegrityAlg.HmacSha1_96), k1: new Uint8Array(20).fill(0x12) }), false);
});

/** verify() on a datagram whose header may no longer parse: a parse failure counts as rejection. */
function accepts(d: Uint8Array, keys: SessionCryptoKeys): boolean {
  let h;
  try {
    h = decodeRmcpPlusHeader(d);
  } catch (e) {
    assert.ok(e instanceof ProtocolError);
    return false;
  }
  return verifyRmcpPlusIntegrity(d, h, keys);
}

test('integrity: every single-bit flip from the auth type byte to the last MAC byte is rejected', () => {
  for (const integrity of INTEGRITY_ALGS) {
    for (const [n, conf] of [[0, 0], [1, 0], [2, 0], [3, 0], [7, 1], [21, 1]] as const) {
      const keys = keysFor(integrity, conf);
      const d = encodeRmcpPlus({ payloadType: 0, sessionId: 0xdeadbeef, sequence: 9, payload: payloadOfLength(n) }, keys, IV);
      assert.equal(accepts(d, keys), true);
      for (let at = 4; at < d.length; at++) {
        for (let bit = 0; bit < 8; bit++) {
          const bad = d.slice();
          bad[at]! ^= 1 << bit;
          assert.equal(accepts(bad, keys), false, `integrity ${integrity}, payload ${n}: flip bit ${bit} of byte ${at}`);
        }
      }
    }
  }
});

/**
 * Builds an authenticated datagram by hand with the given trailer bytes (between payload and MAC)
 * and a MAC that is *correct* over what was built, so only the structural checks can reject it.
 */
function handBuilt(integrity: number, payload: Uint8Array, trailer: number[], opts: { authBit?: boolean; macCut?: number; extra?: number[] } = {}): Uint8Array {
  const keys = keysFor(integrity);
  const w = new Writer();
  writeRmcpHeader(w, RmcpClass.Ipmi);
  w.u8(0x06).u8((opts.authBit ?? true) ? 0x40 : 0x00).u32(0x01020304).u32(7).u16(payload.length).bytes(payload).bytes(trailer);
  const mac = integrityMac(integrity, keys.k1, kuid20, w.view().subarray(4));
  w.bytes(mac.subarray(0, mac.length - (opts.macCut ?? 0)));
  if (opts.extra) w.bytes(opts.extra);
  return w.finish();
}

test('integrity: malformed trailers are rejected even when the MAC over them is correct', () => {
  for (const integrity of INTEGRITY_ALGS) {
    const keys = keysFor(integrity);
    const p2 = payloadOfLength(2); // 12 + 2 + pad + 2 => pad 0
    const p0 = payloadOfLength(0); // pad 2
    const ok = (d: Uint8Array) => accepts(d, keys);
    assert.equal(ok(handBuilt(integrity, p2, [0x00, 0x07])), true, 'control: well-formed, no pad');
    assert.equal(ok(handBuilt(integrity, p0, [0xff, 0xff, 0x02, 0x07])), true, 'control: well-formed, pad 2');
    const cases: [string, Uint8Array][] = [
      ['pad byte not FF', handBuilt(integrity, p0, [0xff, 0xfe, 0x02, 0x07])],
      ['pad length says 1, two pad bytes present', handBuilt(integrity, p0, [0xff, 0xff, 0x01, 0x07])],
      ['pad length says 3, two pad bytes present', handBuilt(integrity, p0, [0xff, 0xff, 0x03, 0x07])],
      ['next header not 07', handBuilt(integrity, p0, [0xff, 0xff, 0x02, 0x06])],
      ['span not 4-aligned (pad 1 where 2 is needed)', handBuilt(integrity, p0, [0xff, 0x01, 0x07])],
      ['span not 4-aligned (no pad where 2 is needed)', handBuilt(integrity, p0, [0x00, 0x07])],
      ['aligned but 6 pad bytes', handBuilt(integrity, p0, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x06, 0x07])],
      ['aligned but 4 pad bytes', handBuilt(integrity, p2, [0xff, 0xff, 0xff, 0xff, 0x04, 0x07])],
      ['no trailer at all', handBuilt(integrity, p2, [])],
      ['MAC one byte short', handBuilt(integrity, p2, [0x00, 0x07], { macCut: 1 })],
      ['one byte after the MAC', handBuilt(integrity, p2, [0x00, 0x07], { extra: [0x00] })],
      ['authenticated bit clear', handBuilt(integrity, p2, [0x00, 0x07], { authBit: false })],
    ];
    for (const [what, d] of cases) assert.equal(ok(d), false, `integrity ${integrity}: ${what}`);
  }
});

test('integrity: verification is refused for sessions without an integrity algorithm', () => {
  const d = encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: payloadOfLength(4) }, keysFor(IntegrityAlg.HmacSha1_96));
  assert.equal(verifyRmcpPlusIntegrity(d, decodeRmcpPlusHeader(d), { ...keysFor(IntegrityAlg.HmacSha1_96), integrity: IntegrityAlg.None }), false);
});

test('confidentiality: encrypted payloads need AES keys, and a corrupted confidentiality pad is refused', () => {
  const keys = keysFor(IntegrityAlg.HmacSha1_96, ConfAlg.AesCbc128);
  const d = encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: payloadOfLength(7) }, keys, IV);
  const h = decodeRmcpPlusHeader(d);
  assert.equal(rmcpPlusPayload(d, h), undefined, 'no keys');
  assert.equal(rmcpPlusPayload(d, h, keysFor(IntegrityAlg.HmacSha1_96)), undefined, 'session without confidentiality');
  assert.throws(() => encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: hex`00` }, keys), /IV/);
  // Decrypting with the wrong K2 gives garbage whose pad does not check out.
  let refused = 0;
  for (let i = 0; i < 32; i++) if (rmcpPlusPayload(d, h, { ...keys, k2: new Uint8Array(16).fill(i) }) === undefined) refused++;
  assert.ok(refused >= 28, `wrong keys refused ${refused}/32 times`);
  // A payload that is not IV + whole blocks is refused outright.
  const short = concat([d.subarray(0, 14), hex`10 00`, d.subarray(16, 32)]);
  assert.equal(rmcpPlusPayload(short, decodeRmcpPlusHeader(short), keys), undefined);
});

const samples = [suite3, openSession, oemExplicit];

test('RMCP+ header decoder throws only ProtocolError on random and mutated input', () => {
  assertDecoderTotal(decodeRmcpPlusHeader, samples);
});

test('RMCP+ verify and payload extraction never throw on mutated authenticated datagrams', () => {
  const keyset = [keysFor(IntegrityAlg.HmacSha1_96, ConfAlg.AesCbc128), keysFor(IntegrityAlg.Md5_128), keysFor(IntegrityAlg.HmacSha256_128, ConfAlg.AesCbc128)];
  const valid = keyset.map((k) => encodeRmcpPlus({ payloadType: 0, sessionId: 1, sequence: 1, payload: payloadOfLength(9) }, k, IV));
  fc.assert(
    fc.property(mutationOf(valid), fc.constantFrom(...keyset), (d, keys) => {
      let h;
      try {
        h = decodeRmcpPlusHeader(d);
      } catch (e) {
        assert.ok(e instanceof ProtocolError);
        return;
      }
      const ok = verifyRmcpPlusIntegrity(d, h, keys);
      assert.equal(typeof ok, 'boolean');
      rmcpPlusPayload(d, h, keys);
    }),
    { numRuns: 3000 },
  );
});
