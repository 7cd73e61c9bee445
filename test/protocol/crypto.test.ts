import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AuthAlg, authCode15, AuthType, deriveK1, deriveK2, md2, rakp2AuthCode, rakp3AuthCode, rakp4Icv,
  sessionIntegrityKey, type RakpInputs, padPassword, aesEncrypt, aesDecrypt, cipherSuiteById, findCipherSuite,
} from '../../src/protocol/crypto.js';
import { asciiBytes } from '../../src/protocol/bytes.js';
import { encodeRmcpPlus, decodeRmcpPlusHeader, verifyRmcpPlusIntegrity, rmcpPlusPayload } from '../../src/protocol/rmcpplus.js';
import { encodeSession15, decodeSession15 } from '../../src/protocol/session15.js';
import { hex, toHex } from '../helpers/bytes.js';

// Public known-answer RAKP2 vector (John the Ripper's rakp format, password "calvin");
// see ../shared/spec/ipmi-protocol.md §4.12(a).
const jtr: RakpInputs = {
  consoleSessionId: 0xa0a2a3a4,
  bmcSessionId: 0x00000b3f,
  consoleRandom: hex`94272eb1ba576450b0d98ad10727a9fb`,
  bmcRandom: hex`0ab83616e099e8bf5f7366c9c03d36a3`,
  bmcGuid: new Uint8Array(16),
  role: 0x14,
  username: asciiBytes('root'),
};
const calvin = asciiBytes('calvin');

test('RAKP-HMAC-SHA1 known answers: RAKP2, RAKP3, SIK, RAKP4, K1, K2', () => {
  assert.equal(toHex(rakp2AuthCode(AuthAlg.HmacSha1, calvin, jtr), ''), '0ea27d6d5effaa996e5edc855b944e179a2f2434');
  assert.equal(toHex(rakp3AuthCode(AuthAlg.HmacSha1, calvin, jtr), ''), '13c85a6f40fac984c822db1553bf021b7c2ef0e0');
  const sik = sessionIntegrityKey(AuthAlg.HmacSha1, calvin, jtr);
  assert.equal(toHex(sik, ''), '7583ce66c0d4885e7283a353f455b765d16bc0ec');
  assert.equal(toHex(rakp4Icv(AuthAlg.HmacSha1, sik, jtr), ''), '8d708925061cea3efa7f71c7');
  assert.equal(toHex(deriveK1(AuthAlg.HmacSha1, sik), ''), '11ae8e192f1269d1c9de8a37da2aa686e094dac4');
  assert.equal(toHex(deriveK2(AuthAlg.HmacSha1, sik), ''), 'a3c3a7f695fa5e717e786b6941cf0f9a53458bbf');
});

test('padded and unpadded Kuid give the same RAKP2 HMAC', () => {
  assert.deepEqual(rakp2AuthCode(AuthAlg.HmacSha1, padPassword(calvin, 20), jtr), rakp2AuthCode(AuthAlg.HmacSha1, calvin, jtr));
});

test('RAKP-HMAC-SHA256 known answers', () => {
  assert.equal(toHex(rakp2AuthCode(AuthAlg.HmacSha256, calvin, jtr), ''), '88b1d11dbecbbdeff03bb47572c6ac69fda9befcf9afe0157e2fd14f34f9bd55');
  assert.equal(toHex(rakp3AuthCode(AuthAlg.HmacSha256, calvin, jtr), ''), '7830f2152d5f546ed5a1ff0c495dccebf5dd0894ebca3212fb9440c5be4c29fb');
  const sik = sessionIntegrityKey(AuthAlg.HmacSha256, calvin, jtr);
  assert.equal(toHex(sik, ''), 'da39410f66cf5682ed07f90bae538ca2378a2a8438394aaaefe236168e947e76');
  assert.equal(toHex(rakp4Icv(AuthAlg.HmacSha256, sik, jtr), ''), 'a0e9c05c5c8185645c225d31ea797e84');
  assert.equal(toHex(deriveK1(AuthAlg.HmacSha256, sik), ''), '1c124c3305823ca07cca772b3bc05169600ed774b8b6a577ad9d9aea6ebb9c02');
  assert.equal(toHex(deriveK2(AuthAlg.HmacSha256, sik), ''), '38cffb05aa1d86cd4d4c9c6c1d778e703baf968d0e1997690a86e39d8b494802');
});

test('RAKP-HMAC-MD5 known answers', () => {
  assert.equal(toHex(rakp2AuthCode(AuthAlg.HmacMd5, calvin, jtr), ''), 'e8e2bd8681c6d359e892aa9ff7af4a2f');
  assert.equal(toHex(rakp3AuthCode(AuthAlg.HmacMd5, calvin, jtr), ''), '8fbfb1ded7fa2d70a1fb2a85523a4387');
  const sik = sessionIntegrityKey(AuthAlg.HmacMd5, calvin, jtr);
  assert.equal(toHex(sik, ''), 'b469d507133a0a817fbb2f54a3d56f10');
  assert.equal(toHex(rakp4Icv(AuthAlg.HmacMd5, sik, jtr), ''), '62430da24f02eb5a876ae8df6f8c2fe0');
  assert.equal(toHex(deriveK1(AuthAlg.HmacMd5, sik), ''), '1221ce365289bd11fbcf2403f192fe98');
  assert.equal(toHex(deriveK2(AuthAlg.HmacMd5, sik), ''), 'd52d6ddc10b02968569ea945fad0d38b');
});

test('suite-3 Get Device ID datagram matches the worked vector byte for byte', () => {
  const sik = sessionIntegrityKey(AuthAlg.HmacSha1, calvin, jtr);
  const keys = { integrity: 1, confidentiality: 1, k1: deriveK1(1, sik), k2: deriveK2(1, sik), kuid20: padPassword(calvin, 20) };
  const iv = hex`000102030405060708090a0b0c0d0e0f`;
  const datagram = encodeRmcpPlus({ payloadType: 0, sessionId: 0x00000b3f, sequence: 1, payload: hex`2018c88104017a` }, keys, iv);
  assert.equal(
    toHex(datagram, ''),
    '0600ff070 6c03f0b000001000000 2000 000102030405060708090a0b0c0d0e0f a0d560131dc8c1ed318c1b0de66e2733 ffff0207 4cecb9568ab035d70609b55e'.replace(/ /g, ''),
  );
  const h = decodeRmcpPlusHeader(datagram);
  assert.equal(h.encrypted && h.authenticated, true);
  assert.equal(verifyRmcpPlusIntegrity(datagram, h, keys), true);
  assert.deepEqual(rmcpPlusPayload(datagram, h, keys), hex`2018c88104017a`);
  // One flipped bit anywhere in the MAC'd span fails verification.
  for (const at of [4, 10, 20, 40, datagram.length - 13, datagram.length - 1]) {
    const bad = datagram.slice();
    bad[at]! ^= 0x01;
    assert.equal(verifyRmcpPlusIntegrity(bad, decodeRmcpPlusHeader(bad), keys), false, `flip at ${at}`);
  }
});

test('AES pad: every message length round-trips and a bad pad is rejected', () => {
  const k2 = hex`a3c3a7f695fa5e717e786b6941cf0f9a`;
  const iv = new Uint8Array(16).fill(7);
  for (let n = 0; n < 40; n++) {
    const msg = new Uint8Array(n).map((_, i) => i * 3);
    const enc = aesEncrypt(k2, iv, msg);
    assert.equal((enc.length - 16) % 16, 0);
    assert.deepEqual(aesDecrypt(k2, enc), msg);
  }
  assert.equal(aesDecrypt(k2, new Uint8Array(31)), undefined);
});

test('v1.5 MD5 AuthCode matches the worked example', () => {
  const code = authCode15(AuthType.Md5, padPassword(asciiBytes('test'), 16), 0x12345678, hex`2000e081080176`, 1)!;
  assert.equal(toHex(code, ''), '91c56007df6a795b4ae8e64bba820358');
  const datagram = encodeSession15({ authType: 2, sequence: 1, sessionId: 0x12345678, password16: padPassword(asciiBytes('test'), 16) }, hex`2000e081080176`);
  assert.equal(toHex(datagram, ''), '0600ff0702010000007856341291c56007df6a795b4ae8e64bba820358072000e081080176');
  const back = decodeSession15(datagram);
  assert.equal(back.sessionId, 0x12345678);
  assert.deepEqual(back.authCode, code);
});

test('MD2 matches the RFC 1319 test suite', () => {
  const vectors: [string, string][] = [
    ['', '8350e5a3e24c153df2275c9f80692773'],
    ['a', '32ec01ec4a6dac72c0ab96fb34c0b5d1'],
    ['abc', 'da853b0d3f88d99b30283a69e6ded6bb'],
    ['message digest', 'ab4f496bfb2a530b219ff33031fe06b0'],
    ['abcdefghijklmnopqrstuvwxyz', '4e8ddff3650292ab5a4108c3aa47940b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'da33def2a42df13975352846c30338cd'],
    ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'd5976f79d83d3a0dc9806c3c66f3efd8'],
  ];
  for (const [input, digest] of vectors) assert.equal(toHex(md2(asciiBytes(input)), ''), digest, input);
});

test('cipher suite table', () => {
  assert.deepEqual(cipherSuiteById(17), { id: 17, auth: 3, integrity: 4, confidentiality: 1 });
  assert.equal(findCipherSuite(1, 1, 1)?.id, 3);
  assert.equal(findCipherSuite(1, 1, 2), undefined); // xRC4 is not offered
});
