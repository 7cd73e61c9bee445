// The LAN channel driven in-process: consoles built from the protocol codecs (test/helpers/
// lan-harness.ts) exchange datagrams with LanChannel.handle() under a manual clock and seeded
// randomness. Every test ends with h.assertAccounted(): each datagram was either answered or
// counted under exactly one drop reason, and nothing hit an internal error.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeSession,
  decodeCipherSuiteRecords,
  getChannelAuthCapabilities,
  getChannelCipherSuites,
  getDeviceId,
  getSessionInfo,
  setSessionPrivilegeLevel,
  setUserName,
} from '../../src/ipmi/commands/app.js';
import { decodeWith, encodeWith } from '../../src/ipmi/spec.js';
import { asciiBytes, toHex } from '../../src/protocol/bytes.js';
import { AuthType } from '../../src/protocol/crypto.js';
import { concat } from '../../src/protocol/bytes.js';
import { SequenceWindow } from '../../src/protocol/seq-window.js';
import { decodeOpenSessionResponse, RmcpPlusStatus } from '../../src/protocol/rakp.js';
import { AsfType, decodeAsf, encodeAsfPing, encodeRmcpAck, RmcpClass } from '../../src/protocol/rmcp.js';
import { decodeRmcpPlusHeader, encodeRmcpPlus, PayloadType } from '../../src/protocol/rmcpplus.js';
import { encodeSession15 } from '../../src/protocol/session15.js';
import { Harness, ipmiRequest, PlusPeer, sessionless15, sessionlessPlus, V15Peer } from '../helpers/lan-harness.js';
import { hex } from '../helpers/bytes.js';

const OFFERED = [1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17];
const GET_DEVICE_ID = [0x06, 0x01] as const;

/** Sets the encrypted (0x80) / authenticated (0x40) bits of an RMCP+ datagram's payload type. */
function withPayloadTypeBits(d: Uint8Array, bits: number): Uint8Array {
  const out = d.slice();
  out[5]! |= bits;
  return out;
}

/** Cipher suite IDs the BMC lists before a session (Get Channel Cipher Suites, all chunks). */
function listedSuites(h: Harness): number[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < 64; i++) {
    const r = sessionlessPlus(h, 0x06, 0x54, Uint8Array.of(0x0e, 0x00, 0x80 | i));
    assert.equal(r.cc, 0);
    const part = decodeWith(getChannelCipherSuites.response, r.data).data;
    chunks.push(part);
    if (part.length < 16) break;
  }
  return decodeCipherSuiteRecords(concat(chunks)).map((x) => x.id);
}

// ---- pre-session ----------------------------------------------------------------------------

test('ASF presence ping: pong with the same tag; an ACK first when the ping asked for one', () => {
  const h = new Harness();
  const [pong] = h.send(encodeAsfPing(0x33));
  assert.equal(decodeAsf(pong!).messageType, AsfType.PresencePong);
  assert.equal(decodeAsf(pong!).messageTag, 0x33);
  const acked = h.send(encodeAsfPing(0x34, 5));
  assert.equal(acked.length, 2);
  assert.deepEqual(acked[0], hex`06 00 05 86`);
  assert.equal(decodeAsf(acked[1]!).messageTag, 0x34);
  // Other ASF messages, RMCP classes, versions and ACKs get no answer.
  h.expectDrop(hex`06 00 ff 06 00 00 11 be 40 00 00 00`, 'unsupported');
  h.expectDrop(hex`06 00 ff 08 00 00 00 00`, 'unsupported');
  h.expectDrop(hex`05 00 ff 07 00 00 00 00 00 00 00 00 00 00`, 'malformed');
  h.expectDrop(encodeRmcpAck({ sequence: 5, messageClass: RmcpClass.Asf, isAck: false }), 'unsupported');
  h.assertAccounted();
});

test('Get Channel Authentication Capabilities answers outside a session in both wrappers', () => {
  const h = new Harness();
  const q = encodeWith(getChannelAuthCapabilities.request, { extendedData: true, channel: 0x0e, requestedPrivilege: 4 });
  for (const ask of [sessionless15, sessionlessPlus]) {
    const r = ask(h, 0x06, 0x38, q);
    assert.equal(r.cc, 0);
    const caps = decodeWith(getChannelAuthCapabilities.response, r.data);
    assert.equal(caps.channel, 1);
    assert.equal(caps.authTypeSupport, 0x80 | (1 << AuthType.Md2) | (1 << AuthType.Md5) | (1 << AuthType.Password), 'v2.0 data + MD2 + MD5 + password');
    assert.equal(caps.authStatus, 0x04, 'non-null usernames, no anonymous login');
    assert.equal(caps.extendedCapabilities, 0x03, 'v1.5 and v2.0');
  }
  h.assertAccounted();
});

test('commands that need a session are refused outside one, in both wrappers', () => {
  const h = new Harness();
  const req = ipmiRequest(...GET_DEVICE_ID);
  h.expectDrop(encodeSession15({ authType: 0, sequence: 0, sessionId: 0 }, req), 'not-permitted');
  h.expectDrop(encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: req }), 'not-permitted');
  // An authenticated v1.5 packet or a protected RMCP+ packet cannot be session-less.
  h.expectDrop(encodeSession15({ authType: AuthType.Md5, sequence: 0, sessionId: 0, password16: new Uint8Array(16) }, req), 'malformed');
  h.expectDrop(withPayloadTypeBits(encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: req }), 0x40), 'malformed');
  h.expectDrop(withPayloadTypeBits(encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: req }), 0x80), 'malformed');
  // Get Session Challenge belongs to v1.5 only.
  h.expectDrop(encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: ipmiRequest(0x06, 0x39, new Uint8Array(17)) }), 'not-permitted');
  h.assertAccounted();
});

// ---- RMCP+ ----------------------------------------------------------------------------------

for (const id of OFFERED) {
  test(`RMCP+ cipher suite ${id}: handshake, protected requests, close`, () => {
    const h = new Harness();
    const p = new PlusPeer(h, { suite: id }).establish();
    const dev = p.invoke(getDeviceId, {});
    assert.equal(dev.deviceId, 0x20);
    assert.equal(p.invoke(setSessionPrivilegeLevel, { privilege: 4 }).privilege, 4);
    assert.equal(h.bmc.sessions.activeCount, 1);
    p.invoke(closeSession, { sessionId: p.bmcSessionId });
    assert.equal(h.bmc.sessions.activeCount, 0);
    h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID)), 'unknown-session');
    h.assertAccounted();
  });
}

test('RMCP+ suite 0 is refused by default, and works (without any password check) only when allowed', () => {
  const h = new Harness();
  assert.equal(new PlusPeer(h, { suite: 0 }).openSession().status, RmcpPlusStatus.InvalidAuthAlgorithm);
  assert.equal(h.bmc.sessions.activeCount, 0);
  assert.equal(listedSuites(h).includes(0), false, 'suite 0 is not listed');

  const open = new Harness((c) => {
    c.lan.allowCipherZero = true;
    c.lan.cipherSuites = [0, ...c.lan.cipherSuites];
  });
  assert.equal(listedSuites(open)[0], 0);
  const p = new PlusPeer(open, { suite: 0, password: 'not the password' }).establish();
  assert.equal(p.rakp2!.authCode.length, 0);
  assert.equal(p.invoke(getDeviceId, {}).deviceId, 0x20);
  h.assertAccounted();
  open.assertAccounted();
});

test('RMCP+ wrong password: the console sees a bad RAKP 2 HMAC; the BMC drops the session on the RAKP 3 error', () => {
  const h = new Harness();
  const p = new PlusPeer(h, { suite: 3, password: 'wrong' });
  assert.equal(p.openSession().status, 0);
  assert.equal(p.rakp1().status, 0, 'the BMC cannot know yet');
  assert.equal(p.rakp2Valid(), false);
  assert.equal(p.rakp3(RmcpPlusStatus.InvalidIntegrityCheckValue), undefined, 'no answer to an error RAKP 3');
  assert.equal(h.channel.counters.dropped['bad-auth'], 1, 'counted as a drop');
  assert.equal(h.bmc.sessions.get(p.bmcSessionId), undefined, 'slot freed at once');
  assert.equal(h.channel.counters.authFailures, 1);
  h.assertAccounted();
});

test('RMCP+ wrong password: a console that sends RAKP 3 anyway gets status 0x0F and no session', () => {
  // Six failures in a row: the lockout (login-lockout.test.ts) is off here.
  const h = new Harness((c) => (c.lanParams.badPasswordThreshold = 0));
  for (const suite of [3, 8, 17]) {
    const p = new PlusPeer(h, { suite, password: 'wrong' });
    assert.equal(p.openSession().status, 0);
    assert.equal(p.rakp1().status, 0);
    assert.equal(p.rakp3()?.status, RmcpPlusStatus.InvalidIntegrityCheckValue);
    assert.equal(h.bmc.sessions.get(p.bmcSessionId), undefined);
    // Neither a truncated nor an empty RAKP 3 AuthCode gets in.
    const q = new PlusPeer(h, { suite });
    q.openSession();
    q.rakp1();
    assert.equal(q.rakp3(0, new Uint8Array(0))?.status, RmcpPlusStatus.InvalidIntegrityCheckValue);
  }
  assert.equal(h.bmc.sessions.activeCount, 0);
  h.assertAccounted();
});

test('RMCP+ unknown users, lookup modes and roles get the right RAKP 2 status', () => {
  const h = new Harness();
  const rakp2Status = (o: ConstructorParameters<typeof PlusPeer>[1]) => {
    const p = new PlusPeer(h, o);
    assert.equal(p.openSession().status, 0);
    const s = p.rakp1().status;
    if (s !== 0) assert.equal(h.bmc.sessions.get(p.bmcSessionId), undefined, 'a refused RAKP 1 frees the slot');
    return s;
  };
  assert.equal(rakp2Status({ suite: 3, username: 'nobody' }), RmcpPlusStatus.UnauthorizedName);
  assert.equal(rakp2Status({ suite: 3, username: '' }), RmcpPlusStatus.UnauthorizedName, 'no anonymous user by default');
  assert.equal(rakp2Status({ suite: 3, username: 'oper', privilege: 4, openPrivilege: 4 }), RmcpPlusStatus.UnauthorizedRole, 'ADMIN above OPERATOR’s limit');
  assert.equal(rakp2Status({ suite: 3, username: 'oper', privilege: 3 }), 0);
  // Username/privilege lookup (role bit 4 clear) needs the user's exact privilege limit.
  assert.equal(rakp2Status({ suite: 3, username: 'oper', privilege: 2, nameOnly: false }), RmcpPlusStatus.UnauthorizedName);
  assert.equal(rakp2Status({ suite: 3, username: 'oper', privilege: 3, nameOnly: false }), 0);
  // RAKP 1 may not ask for more than Open Session granted.
  assert.equal(rakp2Status({ suite: 3, privilege: 4, openPrivilege: 2 }), RmcpPlusStatus.UnauthorizedRole);
  for (const privilege of [0, 6, 15]) assert.equal(rakp2Status({ suite: 3, privilege, openPrivilege: 4 }), RmcpPlusStatus.InvalidRole, `privilege ${privilege}`);
  assert.equal(h.channel.counters.authFailures, 5, 'unknown names and refused roles are logged; invalid roles are not');
  h.assertAccounted();
});

test('RMCP+ Open Session refusals: session ID 0, roles, unknown and unmatched algorithms, garbage', () => {
  const h = new Harness((c) => (c.lan.cipherSuitePrivileges = { 3: 2 }));
  const status = (over: Parameters<PlusPeer['openSession']>[0], suite = 17) => new PlusPeer(h, { suite }).openSession(over).status;
  assert.equal(status({ consoleSessionId: 0 }), RmcpPlusStatus.InvalidSessionId);
  assert.equal(status({ requestedMaxPrivilege: 6 }), RmcpPlusStatus.InvalidRole);
  assert.equal(status({ requestedMaxPrivilege: 4 }, 3), RmcpPlusStatus.UnauthorizedRole, 'suite 3 is limited to USER here');
  assert.equal(status({ requestedMaxPrivilege: 2 }, 3), 0);
  const opened = new PlusPeer(h, { suite: 3 }).openSession({ requestedMaxPrivilege: 0 });
  assert.equal(opened.maxPrivilege, 2, '"highest available" is answered with the real level, not 0');
  assert.equal(status({ authAlgorithm: 0x30 }), RmcpPlusStatus.InvalidAuthAlgorithm);
  assert.equal(status({ integrityAlgorithm: 0x30 }), RmcpPlusStatus.InvalidIntegrityAlgorithm);
  assert.equal(status({ confidentialityAlgorithm: 2 }), RmcpPlusStatus.InvalidConfidentialityAlgorithm, 'xRC4 is not offered');
  assert.equal(status({ authAlgorithm: 1, integrityAlgorithm: 4, confidentialityAlgorithm: 1 }), RmcpPlusStatus.NoCipherSuiteMatch);
  // "BMC picks": null algorithm payloads take the first offered suite that fits.
  const picked = new PlusPeer(h, { suite: 17 }).openSession({ authAlgorithm: undefined, integrityAlgorithm: undefined, confidentialityAlgorithm: undefined });
  assert.deepEqual([picked.authAlgorithm, picked.integrityAlgorithm, picked.confidentialityAlgorithm], [3, 4, 1]);
  const sha1 = new PlusPeer(h, { suite: 17 }).openSession({ requestedMaxPrivilege: 2, authAlgorithm: 1, integrityAlgorithm: undefined, confidentialityAlgorithm: undefined });
  assert.deepEqual([sha1.authAlgorithm, sha1.integrityAlgorithm, sha1.confidentialityAlgorithm], [1, 1, 1], 'suite 3 comes before 1 and 2 in the offer');
  // A payload that does not parse gets status 0x12 with the console's session ID echoed.
  const garbage = encodeRmcpPlus({ payloadType: PayloadType.OpenSessionRequest, sessionId: 0, sequence: 0, payload: hex`09 04 00 00 44 33 22 11 ff` });
  const d = h.sendOne(garbage);
  const hd = decodeRmcpPlusHeader(d);
  const r = decodeOpenSessionResponse(d.subarray(hd.payloadStart, hd.payloadStart + hd.payloadLength));
  assert.deepEqual([r.messageTag, r.status, r.consoleSessionId], [9, RmcpPlusStatus.IllegalParameter, 0x11223344]);
  h.expectDrop(encodeRmcpPlus({ payloadType: PayloadType.OpenSessionRequest, sessionId: 0, sequence: 0, payload: hex`09 04 00` }), 'malformed');
  h.assertAccounted();
});

test('RMCP+ handshake messages out of order or for unknown sessions are dropped', () => {
  const h = new Harness();
  const p = new PlusPeer(h, { suite: 3 });
  p.bmcSessionId = 0x12345678;
  h.expectDrop(p.rakp1Datagram(), 'unknown-session');
  p.openSession();
  h.expectDrop(p.rakp3Datagram(0, new Uint8Array(20)), 'unknown-session'); // RAKP 3 before RAKP 1
  p.rakp1();
  h.expectDrop(p.rakp1Datagram(), 'unknown-session'); // a second RAKP 1
  assert.equal(p.rakp3()?.status, 0);
  h.expectDrop(p.rakp3Datagram(), 'unknown-session'); // RAKP 3 for an active session
  // Handshake payloads are never valid inside a session.
  h.expectDrop(encodeRmcpPlus({ payloadType: PayloadType.Rakp1, sessionId: p.bmcSessionId, sequence: 1, payload: new Uint8Array(40) }), 'malformed');
  // SOL is a session payload, so it needs the session's protection like IPMI does.
  h.expectDrop(encodeRmcpPlus({ payloadType: PayloadType.Sol, sessionId: p.bmcSessionId, sequence: 1, payload: new Uint8Array(4) }), 'bad-auth');
  h.expectDrop(encodeRmcpPlus({ payloadType: PayloadType.OemExplicit, sessionId: p.bmcSessionId, sequence: 1, payload: new Uint8Array(4) }, p.keys, new Uint8Array(16)), 'unsupported');
  h.assertAccounted();
});

test('RMCP+ in-session integrity and confidentiality are enforced', () => {
  const h = new Harness();
  const p = new PlusPeer(h, { suite: 17 }).establish();
  const good = p.wrap(ipmiRequest(...GET_DEVICE_ID));
  const flipped = good.slice();
  flipped[20]! ^= 0x80;
  h.expectDrop(flipped, 'bad-auth');
  // The same message in clear text (no trailer, no encryption) on an authenticated session.
  h.expectDrop(encodeRmcpPlus({ payloadType: 0, sessionId: p.bmcSessionId, sequence: 50, payload: ipmiRequest(...GET_DEVICE_ID) }), 'bad-auth');
  // Authenticated but not encrypted on a suite with confidentiality.
  h.expectDrop(encodeRmcpPlus({ payloadType: 0, sessionId: p.bmcSessionId, sequence: 3, payload: ipmiRequest(...GET_DEVICE_ID) }, { ...p.keys!, confidentiality: 0 }), 'bad-auth');
  // The genuine packet still works afterwards: failed packets did not move the window.
  assert.equal(p.unwrap(h.sendOne(good)).cc, 0);
  // Suite 1 (no integrity): authenticated packets make no sense and are refused.
  const q = new PlusPeer(h, { suite: 1, consoleSessionId: 7 }).establish();
  h.expectDrop(withPayloadTypeBits(encodeRmcpPlus({ payloadType: 0, sessionId: q.bmcSessionId, sequence: 1, payload: ipmiRequest(...GET_DEVICE_ID) }), 0x40), 'bad-auth');
  h.assertAccounted();
});

// ---- IPMI v1.5 ------------------------------------------------------------------------------

for (const [name, authType] of [['MD5', AuthType.Md5], ['MD2', AuthType.Md2], ['PASSWORD', AuthType.Password]] as const) {
  test(`IPMI v1.5 ${name}: challenge, activate, authenticated requests, close`, () => {
    const h = new Harness((c) => (c.lan.authTypes.admin = [AuthType.Md2, AuthType.Md5, AuthType.Password]));
    const p = new V15Peer(h, { authType }).establish();
    assert.equal(p.sessionId, p.tempId, 'this BMC keeps the temporary ID');
    assert.equal(p.invoke(getDeviceId, {}).deviceId, 0x20);
    assert.equal(p.invoke(setSessionPrivilegeLevel, { privilege: 4 }).privilege, 4);
    p.invoke(closeSession, { sessionId: p.sessionId });
    assert.equal(h.bmc.sessions.activeCount, 0);
    h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID)), 'unknown-session');
    h.assertAccounted();
  });
}

test('IPMI v1.5 replies start at the console’s initial outbound sequence number and count up', () => {
  const h = new Harness();
  const p = new V15Peer(h, { authType: AuthType.Md5 }).establish();
  p.request(...GET_DEVICE_ID);
  const first = p.bmcSeq;
  p.request(...GET_DEVICE_ID);
  assert.equal(p.bmcSeq, first + 1);
  assert.ok(first >= p.initialOutbound && first <= p.initialOutbound + 1);
  h.assertAccounted();
});

test('IPMI v1.5 auth types the channel does not offer are refused at the challenge', () => {
  // A channel that only allows MD5 (the default also allows MD2 and straight password).
  const h = new Harness((c) => {
    c.lan.authTypes = { callback: [AuthType.Md5], user: [AuthType.Md5], operator: [AuthType.Md5], admin: [AuthType.Md5], oem: [] };
  });
  const p = new V15Peer(h, { authType: AuthType.Md2 });
  assert.equal(p.getChallenge().cc, 0xcc, 'MD2 is not enabled on this channel');
  assert.equal(p.getChallenge(AuthType.None).cc, 0xcc, 'NONE needs anonymous login');
  assert.equal(p.getChallenge(AuthType.Oem).cc, 0xcc);
  assert.equal(sessionless15(h, 0x06, 0x39, new Uint8Array(10)).cc, 0xc7, 'short request');
  h.assertAccounted();
});

test('IPMI v1.5 anonymous login: refused by default, NONE works for the null user when enabled', () => {
  const off = new Harness((c) => c.users.push({ id: 1, name: '', password: '', privilege: 2 }));
  assert.equal(new V15Peer(off, { authType: AuthType.Md5, username: '', password: '' }).getChallenge().cc, 0x82);
  const plus = new PlusPeer(off, { suite: 3, username: '', password: '', privilege: 2 });
  plus.openSession();
  assert.equal(plus.rakp1().status, RmcpPlusStatus.UnauthorizedName);
  assert.ok(off.logText().includes('anonymous login disabled'));

  const on = new Harness((c) => {
    c.users.push({ id: 1, name: '', password: '', privilege: 2 });
    c.lan.anonymousLogin = true;
  });
  const caps = decodeWith(getChannelAuthCapabilities.response, sessionless15(on, 0x06, 0x38, hex`0e 02`).data);
  assert.equal(caps.authTypeSupport & 1, 1, 'NONE offered');
  assert.equal(caps.authStatus & 1, 1, 'anonymous login enabled');
  const anon = new V15Peer(on, { authType: AuthType.None, username: '', password: '', privilege: 2 }).establish();
  assert.equal(anon.invoke(getDeviceId, {}).deviceId, 0x20);
  assert.equal(anon.invoke(getSessionInfo, { kind: 'current' }).session?.userId, 1);
  off.assertAccounted();
  on.assertAccounted();
});

test('IPMI v1.5 with anonymous login on, auth type NONE still needs an empty password', () => {
  const h = new Harness((c) => {
    c.users.push({ id: 1, name: '', password: '', privilege: 2 });
    c.lan.anonymousLogin = true;
  });
  // "admin" has a password: a NONE session would never check it, so any password would do.
  const p = new V15Peer(h, { authType: AuthType.None, password: 'anything at all' });
  assert.equal(p.getChallenge().cc, 0xcc);
  assert.equal(h.bmc.sessions.activeCount, 0);
  assert.ok(h.logText().includes('auth type NONE for a user with a password'));
  // The same user with MD5 and the null user with NONE are unaffected.
  new V15Peer(h, { authType: AuthType.Md5 }).establish();
  new V15Peer(h, { authType: AuthType.None, username: '', password: '', privilege: 2 }).establish();
  assert.equal(h.bmc.sessions.activeCount, 2);
  h.assertAccounted();
});

test('IPMI v1.5 wrong password: Activate Session is dropped unanswered and the challenge is spent', () => {
  const h = new Harness();
  const p = new V15Peer(h, { authType: AuthType.Md5, password: 'wrong' });
  assert.equal(p.getChallenge().cc, 0, 'the BMC cannot know yet');
  assert.equal(p.activate(), undefined, 'no reply: it could not be authenticated');
  assert.equal(h.channel.counters.dropped['bad-auth'], 1);
  assert.equal(h.channel.counters.authFailures, 1);
  // The right password on the same temporary ID is too late.
  const right = new V15Peer(h, { authType: AuthType.Md5 });
  right.tempId = p.tempId;
  right.challenge = p.challenge;
  assert.equal(right.activate(), undefined);
  assert.equal(h.channel.counters.dropped['unknown-session'], 1);
  h.assertAccounted();
});

test('IPMI v1.5 challenge codes: 0x81 unknown user, 0x82 null user; activate errors 0x84/0x86/0xCC', () => {
  const h = new Harness();
  assert.equal(new V15Peer(h, { authType: AuthType.Md5, username: 'nobody' }).getChallenge().cc, 0x81);
  assert.equal(new V15Peer(h, { authType: AuthType.Md5, username: '' }).getChallenge().cc, 0x82);
  const oper = new V15Peer(h, { authType: AuthType.Md5, username: 'oper', password: 'operpass', privilege: 4 });
  oper.getChallenge();
  assert.equal(oper.activate()?.cc, 0x86, 'ADMIN above OPERATOR’s limit');
  const p = new V15Peer(h, { authType: AuthType.Md5 });
  p.getChallenge();
  assert.equal(p.activate({ challenge: new Uint8Array(16) })?.cc, 0xcc, 'wrong challenge');
  p.getChallenge();
  assert.equal(p.activate({ initialOutboundSequence: 0 })?.cc, 0x84);
  p.getChallenge();
  assert.equal(p.activate({ authType: AuthType.Password })?.cc, 0xcc, 'body auth type differs from the challenge');
  p.getChallenge();
  h.expectDrop(p.activateDatagram({ headerAuthType: AuthType.Password }).datagram, 'bad-auth');
  assert.equal(h.bmc.sessions.activeCount, 0);
  h.assertAccounted();
});

test('IPMI v1.5 Activate Session retransmits are answered again with the same session', () => {
  const h = new Harness();
  const p = new V15Peer(h, { authType: AuthType.Md5 });
  p.getChallenge();
  const { datagram } = p.activateDatagram();
  const first = h.sendOne(datagram);
  const again = h.sendOne(datagram);
  assert.deepEqual(again.subarray(29), first.subarray(29), 'same session ID and initial sequence number');
  assert.equal(h.bmc.sessions.activeCount, 1);
  h.assertAccounted();
});

// ---- privileges -----------------------------------------------------------------------------

test('Set Session Privilege Level: sessions start at USER and rise to the user’s limit, 0x81 above', () => {
  const h = new Harness();
  const admin = new PlusPeer(h, { suite: 17 }).establish();
  assert.equal(admin.invoke(getSessionInfo, { kind: 'current' }).session?.privilege, 2, 'starts at USER');
  const rename = () => admin.request(0x06, 0x45, encodeWith(setUserName.request, { userId: 5, name: asciiBytes('x') })).cc;
  assert.equal(rename(), 0xd4, 'an ADMIN command at USER level');
  assert.equal(admin.invoke(setSessionPrivilegeLevel, { privilege: 3 }).privilege, 3);
  assert.equal(admin.invoke(setSessionPrivilegeLevel, { privilege: 4 }).privilege, 4);
  assert.equal(admin.request(0x06, 0x3b, hex`05`).cc, 0x81, 'OEM is above ADMINISTRATOR');
  assert.equal(admin.invoke(setSessionPrivilegeLevel, { privilege: 0 }).privilege, 4, '0 reports the level in force');
  assert.equal(rename(), 0, 'allowed now');
  assert.equal(admin.invoke(setSessionPrivilegeLevel, { privilege: 2 }).privilege, 2, 'lowering is allowed');
  assert.equal(rename(), 0xd4);

  const oper = new V15Peer(h, { authType: AuthType.Md5, username: 'oper', password: 'operpass', privilege: 3 }).establish();
  assert.equal(oper.invoke(setSessionPrivilegeLevel, { privilege: 3 }).privilege, 3);
  assert.equal(oper.request(0x06, 0x3b, hex`04`).cc, 0x81);
  // An RMCP+ session is limited by the privilege asked for in RAKP 1.
  const modest = new PlusPeer(h, { suite: 3, privilege: 3, consoleSessionId: 99 }).establish();
  assert.equal(modest.request(0x06, 0x3b, hex`04`).cc, 0x81);
  h.assertAccounted();
});

// ---- replay and sequence numbers ------------------------------------------------------------

test('replays: a re-sent RMCP+ datagram is dropped, for every suite with or without integrity', () => {
  for (const suite of [1, 3, 11, 17]) {
    const h = new Harness();
    const p = new PlusPeer(h, { suite }).establish();
    const d = p.wrap(ipmiRequest(...GET_DEVICE_ID));
    assert.equal(p.unwrap(h.sendOne(d)).cc, 0);
    h.expectDrop(d, 'replay');
    // Too far ahead (16) is refused; late but unseen packets inside the window are fine;
    // 17 behind the highest is too old.
    h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq + 16), 'replay');
    p.seq += 14;
    assert.equal(p.request(...GET_DEVICE_ID).cc, 0);
    assert.equal(p.unwrap(h.sendOne(p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq - 5))).cc, 0);
    h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq - 5), 'replay');
    h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq - 16), 'replay');
    h.assertAccounted();
  }
});

test('replays: sequence number 0 is never valid inside an RMCP+ session', () => {
  const h = new Harness();
  const p = new PlusPeer(h, { suite: 3 }).establish();
  h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), 0), 'replay');
  // Near the wrap (the BMC's window moved there directly) the console skips 0 and the BMC follows.
  h.bmc.sessions.get(p.bmcSessionId)!.authWindow = new SequenceWindow(0xfffffff0, 16, 15);
  p.seq = 0xfffffff0;
  for (let i = 0; i < 20; i++) assert.equal(p.request(...GET_DEVICE_ID).cc, 0);
  assert.equal(p.seq, 5);
  h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), 0), 'replay');
  h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), 0xffffffff), 'replay');
  h.assertAccounted();
});

test('replays: a re-sent v1.5 datagram is dropped; the window is 8 each way and wraps', () => {
  const h = new Harness();
  const p = new V15Peer(h, { authType: AuthType.Md5 }).establish();
  const d = p.wrap(ipmiRequest(...GET_DEVICE_ID));
  p.unwrap(h.sendOne(d));
  h.expectDrop(d, 'replay');
  h.expectDrop(p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq + 8), 'replay');
  assert.equal(p.unwrap(h.sendOne(p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq + 7))).cc, 0);
  // A forged AuthCode is refused before the window is consulted.
  const forged = p.wrap(ipmiRequest(...GET_DEVICE_ID), p.seq + 1);
  forged[20]! ^= 1;
  h.expectDrop(forged, 'bad-auth');
  // Wrong auth type in the header of an MD5 session.
  h.expectDrop(encodeSession15({ authType: AuthType.None, sequence: p.seq + 2, sessionId: p.sessionId }, ipmiRequest(...GET_DEVICE_ID)), 'bad-auth');
  h.assertAccounted();
});

// ---- timeouts, limits, close ----------------------------------------------------------------

test('idle timeout: traffic keeps a session alive; 60 s of silence closes it', () => {
  const h = new Harness();
  const plus = new PlusPeer(h, { suite: 17 }).establish();
  const v15 = new V15Peer(h, { authType: AuthType.Md5 }).establish();
  for (let i = 0; i < 3; i++) {
    h.clock.advance(59_000);
    assert.equal(plus.request(...GET_DEVICE_ID).cc, 0);
    assert.equal(v15.request(...GET_DEVICE_ID).cc, 0);
  }
  h.clock.advance(60_001);
  h.expectDrop(plus.wrap(ipmiRequest(...GET_DEVICE_ID)), 'unknown-session');
  h.expectDrop(v15.wrap(ipmiRequest(...GET_DEVICE_ID)), 'unknown-session');
  assert.equal(h.bmc.sessions.active().length, 0);
  const closed = h.log.lines.filter((l) => l.msg === 'session closed');
  assert.deepEqual(closed.map((l) => l.fields?.reason), ['timeout', 'timeout']);
  h.assertAccounted();
});

test('idle timeout: half-open RMCP+ sessions are reaped after 10 s', () => {
  const h = new Harness();
  const p = new PlusPeer(h, { suite: 3 });
  p.openSession();
  p.rakp1();
  h.clock.advance(10_001);
  h.bmc.sessions.reap();
  assert.equal(h.bmc.sessions.get(p.bmcSessionId), undefined);
  assert.ok(h.logText().includes('RAKP 3 never arrived'));
  h.assertAccounted();
});

test('session table limit: Open Session answers 0x01 and Activate Session 0x81 when every slot is taken', () => {
  const h = new Harness((c) => (c.sessions.maxSessions = 3));
  const peers = [1, 2, 3].map((i) => new PlusPeer(h, { suite: 3, consoleSessionId: i }).establish());
  assert.equal(new PlusPeer(h, { suite: 3, consoleSessionId: 4 }).openSession().status, RmcpPlusStatus.InsufficientResources);
  const v = new V15Peer(h, { authType: AuthType.Md5 });
  assert.equal(v.getChallenge().cc, 0);
  assert.equal(v.activate()?.cc, 0x81);
  assert.ok(h.logText().includes('no free slot'));
  // Closing one frees a slot.
  peers[0]!.invoke(closeSession, { sessionId: 0 });
  v.getChallenge();
  assert.equal(v.activate()?.cc, 0);
  assert.equal(h.bmc.sessions.activeCount, 3);
  h.assertAccounted();
});

test('half-open sessions cannot lock consoles out: the least recently active one gives way', () => {
  const h = new Harness((c) => (c.sessions.maxSessions = 4));
  const established = new PlusPeer(h, { suite: 3, consoleSessionId: 1 }).establish();
  // One unauthenticated Open Session Request each, far more than there are slots.
  const junk = Array.from({ length: 20 }, (_, i) => new PlusPeer(h, { suite: 17, consoleSessionId: 100 + i }));
  for (const j of junk) assert.equal(j.openSession().status, 0);
  assert.equal(h.bmc.sessions.get(junk[0]!.bmcSessionId), undefined, 'the oldest half-open sessions were dropped');
  assert.ok(h.bmc.sessions.get(junk[19]!.bmcSessionId), 'the newest are kept');
  // A console mid-handshake is fresher than the junk, so a few more junk requests do not evict it.
  const legit = new PlusPeer(h, { suite: 17, consoleSessionId: 2 });
  assert.equal(legit.openSession().status, 0);
  h.clock.advance(100);
  assert.equal(legit.rakp1().status, 0);
  for (let i = 0; i < 2; i++) assert.equal(new PlusPeer(h, { suite: 17, consoleSessionId: 200 + i }).openSession().status, 0);
  assert.equal(legit.rakp3()?.status, 0);
  assert.equal(legit.invoke(getDeviceId, {}).deviceId, 0x20);
  // Active sessions are never evicted: with every slot active, Open Session is refused.
  assert.equal(established.invoke(getDeviceId, {}).deviceId, 0x20);
  new V15Peer(h, { authType: AuthType.Md5 }).establish();
  new PlusPeer(h, { suite: 17, consoleSessionId: 3 }).establish();
  assert.equal(h.bmc.sessions.activeCount, 4);
  assert.equal(new PlusPeer(h, { suite: 17, consoleSessionId: 4 }).openSession().status, RmcpPlusStatus.InsufficientResources);
  h.assertAccounted();
});

test('Close Session: own session, another by ID (ADMIN only), bad ID 0x87, bad handle 0x88', () => {
  const h = new Harness();
  const admin = new PlusPeer(h, { suite: 17, consoleSessionId: 1 }).establish();
  const victim = new V15Peer(h, { authType: AuthType.Md5 }).establish();
  const user = new PlusPeer(h, { suite: 17, username: 'usr', password: 'userpass', privilege: 2, consoleSessionId: 2 }).establish();
  assert.equal(user.request(0x06, 0x3c, encodeWith(closeSession.request, { sessionId: victim.sessionId })).cc, 0xd4, 'USER cannot close others');
  assert.equal(admin.request(0x06, 0x3c, encodeWith(closeSession.request, { sessionId: victim.sessionId })).cc, 0xd4, 'nor can an ADMIN session still at USER level');
  admin.invoke(setSessionPrivilegeLevel, { privilege: 4 });
  admin.invoke(closeSession, { sessionId: victim.sessionId });
  h.expectDrop(victim.wrap(ipmiRequest(...GET_DEVICE_ID)), 'unknown-session');
  assert.equal(admin.request(0x06, 0x3c, encodeWith(closeSession.request, { sessionId: 0x0badf00d })).cc, 0x87);
  assert.equal(admin.request(0x06, 0x3c, encodeWith(closeSession.request, { sessionId: 0, sessionHandle: 15 })).cc, 0x88);
  // Closing by handle, then the user closes itself with ID 0.
  const userHandle = h.bmc.sessions.get(user.bmcSessionId)!.handle;
  const third = new PlusPeer(h, { suite: 3, consoleSessionId: 3 }).establish();
  admin.invoke(closeSession, { sessionId: 0, sessionHandle: h.bmc.sessions.get(third.bmcSessionId)!.handle });
  assert.equal(h.bmc.sessions.get(third.bmcSessionId), undefined);
  assert.ok(userHandle > 0);
  user.invoke(closeSession, { sessionId: 0 });
  assert.deepEqual(h.bmc.sessions.active().map((s) => s.id), [admin.bmcSessionId]);
  h.assertAccounted();
});

test('Get Session Info by current, index, handle and ID', () => {
  const h = new Harness();
  const a = new PlusPeer(h, { suite: 17 }).establish();
  a.invoke(setSessionPrivilegeLevel, { privilege: 4 });
  h.remote = { address: '198.51.100.7', port: 50123, family: 'IPv4' };
  const b = new V15Peer(h, { authType: AuthType.Md5, username: 'oper', password: 'operpass', privilege: 3 }).establish();
  const sa = h.bmc.sessions.get(a.bmcSessionId)!;
  const sb = h.bmc.sessions.get(b.sessionId)!;

  const current = a.invoke(getSessionInfo, { kind: 'current' });
  assert.deepEqual(current, {
    sessionHandle: sa.handle,
    sessionSlotCount: 16,
    activeSessionCount: 2,
    session: { userId: 2, privilege: 4, sessionType: 1, channel: 1, remoteIp: '192.0.2.10', remoteMac: new Uint8Array(6), remotePort: 40623 },
  });
  const byIndex = a.invoke(getSessionInfo, { kind: 'index', index: 2 });
  assert.deepEqual(byIndex.session, { userId: 3, privilege: 2, sessionType: 0, channel: 1, remoteIp: '198.51.100.7', remoteMac: new Uint8Array(6), remotePort: 50123 });
  assert.deepEqual(a.invoke(getSessionInfo, { kind: 'handle', handle: sb.handle }), byIndex);
  assert.deepEqual(a.invoke(getSessionInfo, { kind: 'id', sessionId: sb.id }), byIndex);
  assert.deepEqual(b.invoke(getSessionInfo, { kind: 'id', sessionId: sa.id }), current);
  assert.equal(a.invoke(getSessionInfo, { kind: 'index', index: 3 }).sessionHandle, 0, 'no third active session');
  assert.equal(a.request(0x06, 0x3d, hex`fe 0f`).cc, 0xcc, 'unknown handle');
  assert.equal(a.request(0x06, 0x3d, hex`ff 01 00 00 00`).cc, 0xcc, 'unknown ID');
  assert.equal(a.request(0x06, 0x3d, hex`fe`).cc, 0xc7, 'handle missing');
  h.assertAccounted();
});

// ---- logging --------------------------------------------------------------------------------

test('log lines say who and why, and never contain a password or key material', () => {
  const secret = 'Tr0ub4dor&3';
  const h = new Harness((c) => (c.users[0]!.password = secret));
  const p = new PlusPeer(h, { suite: 17, password: secret }).establish();
  p.invoke(closeSession, { sessionId: 0 });
  const v = new V15Peer(h, { authType: AuthType.Md5, password: secret }).establish();
  v.invoke(closeSession, { sessionId: 0 });
  const bad = new PlusPeer(h, { suite: 3, password: 'hunter2-wrong' });
  bad.openSession();
  bad.rakp1();
  bad.rakp3();
  const bad15 = new V15Peer(h, { authType: AuthType.Md5, password: 'hunter2-wrong15' });
  bad15.getChallenge();
  bad15.activate();
  new PlusPeer(h, { suite: 3, username: 'nobody' }).openSession();

  const msgs = h.log.lines.map((l) => l.msg);
  assert.equal(msgs.filter((m) => m === 'session opened').length, 2);
  assert.equal(msgs.filter((m) => m === 'session closed').length, 2);
  assert.equal(msgs.filter((m) => m === 'authentication rejected').length, 2);
  for (const l of h.log.lines.filter((x) => x.msg !== 'session closed')) {
    if (l.msg === 'session opened' || l.msg === 'authentication rejected') assert.ok(l.fields?.user !== undefined && l.fields?.remote !== undefined);
  }
  const text = h.logText().toLowerCase();
  const secrets = [secret, 'hunter2', toHex(asciiBytes(secret), ''), toHex(p.sik!, ''), toHex(p.keys!.k1, ''), toHex(p.keys!.k2.subarray(0, 16), ''), toHex(p.rakp2!.authCode, '')];
  for (const s of secrets) assert.equal(text.includes(s.toLowerCase()), false, `log leaks ${s}`);
  assert.ok(text.includes('admin'), 'the user name is logged');
  h.assertAccounted();
});
