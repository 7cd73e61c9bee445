// Our codecs and crypto against packets nobody here wrote: ipmitool 1.8.19 talking to OpenIPMI
// ipmi_sim 2.0.33 (test/fixtures/rmcpplus-capture.txt, user admin, password "password").
// The -C 3 run is recomputed end to end: RAKP 2/3/4 codes, SIK/K1/K2, and every in-session
// packet's MAC and AES payload. The -I lan run checks every v1.5 MD5 AuthCode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiBytes, toHex } from '../../src/protocol/bytes.js';
import {
  AuthAlg,
  authCode15,
  AuthType,
  ConfAlg,
  deriveK1,
  deriveK2,
  IntegrityAlg,
  padPassword,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  sessionIntegrityKey,
  type RakpInputs,
} from '../../src/protocol/crypto.js';
import { decodeIpmb } from '../../src/protocol/ipmb-message.js';
import { decodeOpenSessionRequest, decodeOpenSessionResponse, decodeRakp1, decodeRakp2, decodeRakp3, decodeRakp4 } from '../../src/protocol/rakp.js';
import { AsfType, decodeAsf, decodeRmcpHeader, encodeAsfPing, encodeAsfPong, RmcpClass } from '../../src/protocol/rmcp.js';
import { decodeRmcpPlusHeader, encodeRmcpPlus, PayloadType, rmcpPlusPayload, verifyRmcpPlusIntegrity, type SessionCryptoKeys } from '../../src/protocol/rmcpplus.js';
import { decodeSession15, encodeSession15 } from '../../src/protocol/session15.js';
import { BMC_PORT, captureRun } from '../helpers/capture.js';
import { hex } from '../helpers/bytes.js';

const password = asciiBytes('password');
const kuid = padPassword(password, 20);

function payloadOf(udp: Uint8Array): Uint8Array {
  const h = decodeRmcpPlusHeader(udp);
  return udp.subarray(h.payloadStart, h.payloadStart + h.payloadLength);
}

test('capture -C 3: Open Session and RAKP 1-4 decode to the fields ipmitool and ipmi_sim exchanged', () => {
  const f = captureRun('-C 3').frames;
  assert.equal(f.length, 22);
  // Frames 3-8 are the handshake; all are pre-session RMCP+ packets (session 0, sequence 0).
  for (const fr of f.slice(2, 8)) {
    const h = decodeRmcpPlusHeader(fr.udp);
    assert.equal(h.sessionId, 0);
    assert.equal(h.sequence, 0);
    assert.equal(h.authenticated || h.encrypted, false);
  }
  assert.equal(decodeRmcpPlusHeader(f[2]!.udp).payloadType, PayloadType.OpenSessionRequest);

  assert.deepEqual(decodeOpenSessionRequest(payloadOf(f[2]!.udp)), {
    messageTag: 0,
    requestedMaxPrivilege: 0, // "highest matching the proposed algorithms"
    consoleSessionId: 0xa0a2a3a4, // ipmitool's fixed SIDm
    authAlgorithm: AuthAlg.HmacSha1,
    integrityAlgorithm: IntegrityAlg.HmacSha1_96,
    confidentialityAlgorithm: ConfAlg.AesCbc128,
  });
  assert.deepEqual(decodeOpenSessionResponse(payloadOf(f[3]!.udp)), {
    messageTag: 0,
    status: 0,
    maxPrivilege: 0, // ipmi_sim echoes 0 instead of the level it grants (FreeIPMI's opensesspriv)
    consoleSessionId: 0xa0a2a3a4,
    bmcSessionId: 0x82,
    authAlgorithm: 1,
    integrityAlgorithm: 1,
    confidentialityAlgorithm: 1,
  });
  const rakp1 = decodeRakp1(payloadOf(f[4]!.udp));
  assert.deepEqual(rakp1, {
    messageTag: 0,
    bmcSessionId: 0x82,
    consoleRandom: hex`5e01d8f185b9bc337a711f7e7e44cd99`,
    role: 0x14, // name-only lookup + ADMINISTRATOR
    username: asciiBytes('admin'), // not padded
  });
  const rakp2 = decodeRakp2(payloadOf(f[5]!.udp));
  assert.equal(rakp2.status, 0);
  assert.equal(rakp2.consoleSessionId, 0xa0a2a3a4);
  assert.deepEqual(rakp2.bmcRandom, hex`ba68fdf0f515e858c6783644b0d9f620`);
  assert.deepEqual(rakp2.bmcGuid, hex`a123456789abcdef a123456789abcdef`);
  assert.equal(rakp2.authCode.length, 20);
  const rakp3 = decodeRakp3(payloadOf(f[6]!.udp));
  assert.equal(rakp3.bmcSessionId, 0x82);
  assert.equal(rakp3.authCode.length, 20);
  const rakp4 = decodeRakp4(payloadOf(f[7]!.udp));
  assert.equal(rakp4.consoleSessionId, 0xa0a2a3a4);
  assert.equal(rakp4.integrityCheckValue.length, 12);
});

/** The -C 3 session's key-exchange inputs, read from the captured packets. */
function capturedInputs(): { inputs: RakpInputs; frames: ReturnType<typeof captureRun>['frames'] } {
  const frames = captureRun('-C 3').frames;
  const open = decodeOpenSessionResponse(payloadOf(frames[3]!.udp));
  const r1 = decodeRakp1(payloadOf(frames[4]!.udp));
  const r2 = decodeRakp2(payloadOf(frames[5]!.udp));
  return {
    frames,
    inputs: {
      consoleSessionId: open.consoleSessionId,
      bmcSessionId: open.bmcSessionId,
      consoleRandom: r1.consoleRandom,
      bmcRandom: r2.bmcRandom,
      bmcGuid: r2.bmcGuid,
      role: r1.role,
      username: r1.username,
    },
  };
}

test('capture -C 3: our rakp2AuthCode reproduces the HMAC the real ipmi_sim sent, and RAKP 3/4 verify', () => {
  const { inputs, frames } = capturedInputs();
  const rakp2 = decodeRakp2(payloadOf(frames[5]!.udp));
  assert.equal(toHex(rakp2AuthCode(AuthAlg.HmacSha1, kuid, inputs), ''), 'cdc2be7a305b68602da5d5baf22cb2b4c2bb7fa9');
  assert.deepEqual(rakp2AuthCode(AuthAlg.HmacSha1, kuid, inputs), rakp2.authCode);
  // The unpadded password gives the same MAC (HMAC zero-pads short keys).
  assert.deepEqual(rakp2AuthCode(AuthAlg.HmacSha1, password, inputs), rakp2.authCode);
  // A wrong password does not.
  assert.notDeepEqual(rakp2AuthCode(AuthAlg.HmacSha1, asciiBytes('Password'), inputs), rakp2.authCode);

  assert.deepEqual(rakp3AuthCode(AuthAlg.HmacSha1, kuid, inputs), decodeRakp3(payloadOf(frames[6]!.udp)).authCode);
  const sik = sessionIntegrityKey(AuthAlg.HmacSha1, kuid, inputs);
  assert.deepEqual(rakp4Icv(AuthAlg.HmacSha1, sik, inputs), decodeRakp4(payloadOf(frames[7]!.udp)).integrityCheckValue);
});

function capturedKeys(): SessionCryptoKeys {
  const { inputs } = capturedInputs();
  const sik = sessionIntegrityKey(AuthAlg.HmacSha1, kuid, inputs);
  return { integrity: IntegrityAlg.HmacSha1_96, confidentiality: ConfAlg.AesCbc128, k1: deriveK1(1, sik), k2: deriveK2(1, sik), kuid20: kuid };
}

test('capture -C 3: our K1/K2 verify and decrypt all 14 in-session packets of both peers', () => {
  const keys = capturedKeys();
  const frames = captureRun('-C 3').frames.slice(8);
  assert.equal(frames.length, 14);
  const seen: string[] = [];
  let consoleSeq = 2;
  let bmcSeq = 0;
  for (const f of frames) {
    const toBmc = f.dstPort === BMC_PORT;
    const h = decodeRmcpPlusHeader(f.udp);
    assert.equal(h.payloadType, PayloadType.Ipmi);
    assert.equal(h.encrypted && h.authenticated, true);
    assert.equal(h.sessionId, toBmc ? 0x82 : 0xa0a2a3a4, 'the receiver’s session ID');
    // Both directions count up by one per packet (ipmitool starts at 3, ipmi_sim at 1).
    if (toBmc) assert.equal(h.sequence, consoleSeq === 2 ? 3 : consoleSeq + 1);
    else assert.equal(h.sequence, bmcSeq + 1);
    if (toBmc) consoleSeq = h.sequence;
    else bmcSeq = h.sequence;
    assert.equal(verifyRmcpPlusIntegrity(f.udp, h, keys), true, `frame ${f.no} MAC`);
    const clear = rmcpPlusPayload(f.udp, h, keys);
    assert.ok(clear, `frame ${f.no} decrypts with a valid confidentiality pad`);
    const m = decodeIpmb(clear); // both IPMB checksums verify
    seen.push(`${toBmc ? '>' : '<'}${m.netFn.toString(16)}/${m.cmd.toString(16)}${toBmc ? '' : ':' + m.data[0]!.toString(16)}`);
    // Re-encrypting the plaintext with the captured IV rebuilds the captured datagram byte for byte.
    const iv = f.udp.subarray(h.payloadStart, h.payloadStart + 16);
    assert.deepEqual(encodeRmcpPlus({ payloadType: 0, sessionId: h.sessionId, sequence: h.sequence, payload: clear }, keys, iv), f.udp, `frame ${f.no} re-encodes`);
  }
  // Set Session Privilege, HPM.2 probe, Get Device ID, 2 x PICMG probe, Get Device ID, Close Session.
  assert.deepEqual(seen, ['>6/3b', '<7/3b:0', '>2c/3e', '<2d/3e:c1', '>6/1', '<7/1:0', '>2c/0', '<2d/0:c1', '>2c/0', '<2d/0:c1', '>6/1', '<7/1:0', '>6/3c', '<7/3c:0']);
});

test('capture -C 3: a wrong password derives keys that fail every captured MAC', () => {
  const { inputs } = capturedInputs();
  const wrong = padPassword(asciiBytes('passw0rd'), 20);
  const sik = sessionIntegrityKey(AuthAlg.HmacSha1, wrong, inputs);
  const keys: SessionCryptoKeys = { integrity: 1, confidentiality: 1, k1: deriveK1(1, sik), k2: deriveK2(1, sik), kuid20: wrong };
  for (const f of captureRun('-C 3').frames.slice(8)) assert.equal(verifyRmcpPlusIntegrity(f.udp, decodeRmcpPlusHeader(f.udp), keys), false);
});

test('capture -C 17: ipmitool proposes SHA-256 algorithms and ipmi_sim refuses with status 0x04', () => {
  const f = captureRun('-C 17').frames;
  const req = decodeOpenSessionRequest(payloadOf(f[2]!.udp));
  assert.deepEqual([req.authAlgorithm, req.integrityAlgorithm, req.confidentialityAlgorithm], [AuthAlg.HmacSha256, IntegrityAlg.HmacSha256_128, ConfAlg.AesCbc128]);
  // ipmi_sim answers with a 2-byte payload: just the tag and the status.
  const rsp = decodeOpenSessionResponse(payloadOf(f[3]!.udp));
  assert.equal(rsp.status, 0x04);
});

test('capture -I lan: ASF ping/pong and pre-session packets decode, and our encoders produce the same bytes', () => {
  const f = captureRun('-I lan -A MD5').frames;
  assert.deepEqual(encodeAsfPing(0), f[0]!.udp);
  assert.deepEqual(encodeAsfPong(0), f[1]!.udp, 'our pong is byte-identical to ipmi_sim’s');
  assert.equal(decodeRmcpHeader(f[1]!.udp).messageClass, RmcpClass.Asf);
  assert.equal(decodeAsf(f[1]!.udp).messageType, AsfType.PresencePong);
  for (const fr of f.slice(2, 6)) {
    const p = decodeSession15(fr.udp);
    assert.equal(p.authType, AuthType.None);
    assert.equal(p.sessionId, 0);
    decodeIpmb(p.message);
    assert.deepEqual(encodeSession15({ authType: 0, sequence: 0, sessionId: 0 }, p.message), fr.udp);
  }
});

test('capture -I lan: every MD5 AuthCode (Activate Session request and reply, 14 in-session packets) verifies with our authCode15', () => {
  const f = captureRun('-I lan -A MD5').frames;
  const password16 = padPassword(password, 16);
  const authenticated = f.slice(6);
  assert.equal(authenticated.length, 16);
  for (const fr of authenticated) {
    const p = decodeSession15(fr.udp);
    assert.equal(p.authType, AuthType.Md5);
    assert.deepEqual(authCode15(AuthType.Md5, password16, p.sessionId, p.message, p.sequence), p.authCode, `frame ${fr.no}`);
    decodeIpmb(p.message);
    // And our encoder rebuilds the datagram exactly (including the absence of a legacy pad).
    assert.deepEqual(encodeSession15({ authType: 2, sequence: p.sequence, sessionId: p.sessionId, password16 }, p.message), fr.udp, `frame ${fr.no} re-encodes`);
  }
  // The BMC switched from the temporary session ID to the one Activate Session returned.
  assert.equal(decodeSession15(f[6]!.udp).sessionId, 5);
  assert.equal(decodeSession15(f[8]!.udp).sessionId, 0x102);
});
