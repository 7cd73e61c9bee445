// An in-process BMC (manual clock, seeded randomness, memory log) behind a LanChannel, and two
// synchronous consoles built only from the protocol codecs: one for RMCP+ and one for IPMI v1.5.
// They talk to LanChannel.handle() directly, so tests can replay, corrupt and inspect every
// datagram without sockets or timers.

import assert from 'node:assert/strict';
import { Bmc } from '../../src/bmc/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { baseConfig, type BmcConfig } from '../../src/bmc/config/model.js';
import { MemoryLogger } from '../../src/bmc/log.js';
import { SeededRng, type Rng } from '../../src/bmc/rng.js';
import type { RemoteAddress } from '../../src/bmc/sessions.js';
import { decodeWith, encodeWith, type CommandSpec } from '../../src/ipmi/spec.js';
import { activateSession, getSessionChallenge } from '../../src/ipmi/commands/app.js';
import { asciiBytes, Writer } from '../../src/protocol/bytes.js';
import {
  AuthAlg,
  authCode15,
  cipherSuiteById,
  deriveK1,
  deriveK2,
  padPassword,
  rakp2AuthCode,
  rakp3AuthCode,
  rakp4Icv,
  safeEqual,
  sessionIntegrityKey,
  type CipherSuite,
  type RakpInputs,
} from '../../src/protocol/crypto.js';
import { BMC_SA, decodeIpmb, REMOTE_SWID, writeIpmb } from '../../src/protocol/ipmb-message.js';
import {
  decodeOpenSessionResponse,
  decodeRakp2,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
  type OpenSessionRequest,
  type OpenSessionResponse,
  type Rakp2,
  type Rakp4,
} from '../../src/protocol/rakp.js';
import { decodeRmcpPlusHeader, encodeRmcpPlus, PayloadType, rmcpPlusPayload, verifyRmcpPlusIntegrity, type SessionCryptoKeys } from '../../src/protocol/rmcpplus.js';
import { decodeSession15, encodeSession15 } from '../../src/protocol/session15.js';
import { nextSequence } from '../../src/protocol/seq-window.js';
import { LanChannel, type DropReason } from '../../src/transport/lan-channel.js';
import type { HostConsole } from '../../src/bmc/sol/host-console.js';
import { decodeSol, encodeSol, type SolPacket } from '../../src/protocol/sol.js';

/** The base config plus an OPERATOR and a USER account (IDs 3 and 4). */
export function testConfig(): BmcConfig {
  const c = baseConfig();
  c.users.push({ id: 3, name: 'oper', password: 'operpass', privilege: 3 }, { id: 4, name: 'usr', password: 'userpass', privilege: 2 });
  return c;
}

export interface Reply {
  cc: number;
  data: Uint8Array;
}

export class Harness {
  readonly clock = new ManualClock();
  readonly log = new MemoryLogger();
  readonly bmc: Bmc;
  readonly channel: LanChannel;
  remote: RemoteAddress = { address: '192.0.2.10', port: 40623, family: 'IPv4' };
  /** Datagrams that got no reply: each must show up in exactly one drop counter. */
  silent = 0;

  /** Datagrams the BMC sent on its own (SOL data, ACKs, retransmissions), oldest first. */
  readonly outbox: { datagram: Uint8Array; remote: RemoteAddress }[] = [];

  constructor(configure: (c: BmcConfig) => void = () => {}, rng: Rng = new SeededRng(0x5eed), console?: HostConsole) {
    const config = testConfig();
    configure(config);
    this.bmc = new Bmc(config, { clock: this.clock, rng, log: this.log, ...(console ? { console } : {}) });
    this.channel = new LanChannel(this.bmc, { send: (datagram, remote) => this.outbox.push({ datagram, remote }) });
  }

  /** Takes the unsolicited datagrams sent so far. */
  takeOutbox(): Uint8Array[] {
    return this.outbox.splice(0).map((o) => o.datagram);
  }

  send(d: Uint8Array, remote: RemoteAddress = this.remote): Uint8Array[] {
    const out = this.channel.handle(d, remote);
    if (out.length === 0) this.silent++;
    return out;
  }

  sendOne(d: Uint8Array): Uint8Array {
    const out = this.send(d);
    assert.equal(out.length, 1, 'exactly one reply');
    return out[0]!;
  }

  /** Sends d and checks that it is dropped for `reason` (and nothing else is counted). */
  expectDrop(d: Uint8Array, reason: DropReason): void {
    const before = { ...this.channel.counters.dropped };
    assert.deepEqual(this.send(d), [], `expected a ${reason} drop`);
    assert.deepEqual(this.channel.counters.dropped, { ...before, [reason]: before[reason] + 1 });
  }

  totalDropped(): number {
    return Object.values(this.channel.counters.dropped).reduce((a, b) => a + b, 0);
  }

  /** Every datagram was answered or counted as dropped, and none hit an internal error. */
  assertAccounted(): void {
    assert.equal(this.totalDropped() + this.channel.counters.solTaken, this.silent, 'silent datagrams = counted drops + SOL packets taken');
    assert.equal(this.channel.counters.dropped.internal, 0, 'no internal errors');
  }

  logText(): string {
    return JSON.stringify(this.log.lines);
  }
}

let rqSeqCounter = 0;

export function ipmiRequest(netFn: number, cmd: number, data: Uint8Array = new Uint8Array(0), seq = ++rqSeqCounter & 0x3f, lun = 0): Uint8Array {
  const w = new Writer();
  writeIpmb(w, { destAddr: BMC_SA, netFn, destLun: lun, srcAddr: REMOTE_SWID, seq, srcLun: 0, cmd, data });
  return w.finish();
}

/** Decodes a response message, checking that it answers `request`. */
export function ipmiReply(message: Uint8Array, request?: Uint8Array): Reply {
  const m = decodeIpmb(message);
  assert.equal(m.destAddr, REMOTE_SWID);
  assert.equal(m.netFn & 1, 1, 'response netFn is odd');
  if (request) {
    const q = decodeIpmb(request);
    assert.equal(m.netFn, q.netFn | 1);
    assert.equal(m.cmd, q.cmd);
    assert.equal(m.seq, q.seq);
  }
  assert.ok(m.data.length >= 1, 'a completion code');
  return { cc: m.data[0]!, data: m.data.slice(1) };
}

/** A pre-session request in a v1.5 wrapper (auth NONE, session 0), as ipmitool sends auth caps. */
export function sessionless15(h: Harness, netFn: number, cmd: number, data?: Uint8Array): Reply {
  const req = ipmiRequest(netFn, cmd, data);
  const p = decodeSession15(h.sendOne(encodeSession15({ authType: 0, sequence: 0, sessionId: 0 }, req)));
  assert.equal(p.sessionId, 0);
  return ipmiReply(p.message, req);
}

/** A pre-session request in an RMCP+ wrapper (payload IPMI, session 0). */
export function sessionlessPlus(h: Harness, netFn: number, cmd: number, data?: Uint8Array): Reply {
  const req = ipmiRequest(netFn, cmd, data);
  const d = h.sendOne(encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: req }));
  const hd = decodeRmcpPlusHeader(d);
  assert.equal(hd.sessionId, 0);
  return ipmiReply(d.subarray(hd.payloadStart, hd.payloadStart + hd.payloadLength), req);
}

/** What both consoles share: wrap a request into the session, send it, unwrap the reply. */
abstract class SessionConsole {
  readonly h: Harness;
  constructor(h: Harness) {
    this.h = h;
  }
  abstract wrap(message: Uint8Array, seq?: number): Uint8Array;
  abstract unwrap(d: Uint8Array, request?: Uint8Array): Reply;

  request(netFn: number, cmd: number, data?: Uint8Array): Reply {
    const req = ipmiRequest(netFn, cmd, data);
    return this.unwrap(this.h.sendOne(this.wrap(req)), req);
  }

  invoke<Q, R>(spec: CommandSpec<Q, R>, q: Q): R {
    const r = this.request(spec.netFn, spec.cmd, encodeWith(spec.request, q));
    assert.equal(r.cc, 0, `${spec.name} cc 0x${r.cc.toString(16)}`);
    return decodeWith(spec.response, r.data);
  }
}

// ---- RMCP+ console -------------------------------------------------------------------------

export interface PlusOptions {
  suite: number;
  username?: string;
  password?: string;
  /** RAKP 1 requested privilege (default ADMINISTRATOR). */
  privilege?: number;
  /** RAKP 1 role bit 4 (default true: name-only lookup, as ipmitool). */
  nameOnly?: boolean;
  /** Open Session requested maximum privilege (default: `privilege`). */
  openPrivilege?: number;
  consoleSessionId?: number;
}

export class PlusPeer extends SessionConsole {
  readonly suite: CipherSuite;
  readonly username: Uint8Array;
  readonly kuid: Uint8Array;
  readonly privilege: number;
  readonly role: number;
  readonly openPrivilege: number;
  readonly consoleSessionId: number;
  bmcSessionId = 0;
  consoleRandom = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
  rakp2: Rakp2 | undefined;
  sik: Uint8Array | undefined;
  keys: SessionCryptoKeys | undefined;
  seq = 0;
  /** Last sequence number seen from the BMC. */
  bmcSeq = 0;

  constructor(h: Harness, o: PlusOptions) {
    super(h);
    this.suite = cipherSuiteById(o.suite)!;
    assert.ok(this.suite, `suite ${o.suite}`);
    this.username = asciiBytes(o.username ?? 'admin');
    this.kuid = padPassword(asciiBytes(o.password ?? 'password'), 20);
    this.privilege = o.privilege ?? 4;
    this.role = ((o.nameOnly ?? true) ? 0x10 : 0) | this.privilege;
    this.openPrivilege = o.openPrivilege ?? this.privilege;
    this.consoleSessionId = o.consoleSessionId ?? 0xa0a2a3a4;
  }

  private preSession(payloadType: number, payload: Uint8Array): Uint8Array {
    return encodeRmcpPlus({ payloadType, sessionId: 0, sequence: 0, payload });
  }

  private expectPayload(d: Uint8Array, payloadType: number): Uint8Array {
    const hd = decodeRmcpPlusHeader(d);
    assert.equal(hd.payloadType, payloadType);
    assert.equal(hd.sessionId, 0);
    assert.equal(hd.authenticated || hd.encrypted, false);
    return d.subarray(hd.payloadStart, hd.payloadStart + hd.payloadLength);
  }

  openSessionDatagram(over: Partial<OpenSessionRequest> = {}): Uint8Array {
    return this.preSession(
      PayloadType.OpenSessionRequest,
      encodeOpenSessionRequest({
        messageTag: 0x42,
        requestedMaxPrivilege: this.openPrivilege,
        consoleSessionId: this.consoleSessionId,
        authAlgorithm: this.suite.auth,
        integrityAlgorithm: this.suite.integrity,
        confidentialityAlgorithm: this.suite.confidentiality,
        ...over,
      }),
    );
  }

  openSession(over: Partial<OpenSessionRequest> = {}): OpenSessionResponse {
    const r = decodeOpenSessionResponse(this.expectPayload(this.h.sendOne(this.openSessionDatagram(over)), PayloadType.OpenSessionResponse));
    assert.equal(r.messageTag, 0x42);
    if (r.status === 0) this.bmcSessionId = r.bmcSessionId;
    return r;
  }

  rakp1Datagram(): Uint8Array {
    return this.preSession(PayloadType.Rakp1, encodeRakp1({ messageTag: 0x43, bmcSessionId: this.bmcSessionId, consoleRandom: this.consoleRandom, role: this.role, username: this.username }));
  }

  rakp1(): Rakp2 {
    const r = decodeRakp2(this.expectPayload(this.h.sendOne(this.rakp1Datagram()), PayloadType.Rakp2));
    assert.equal(r.messageTag, 0x43);
    assert.equal(r.consoleSessionId, this.consoleSessionId);
    this.rakp2 = r;
    return r;
  }

  inputs(): RakpInputs {
    const r2 = this.rakp2!;
    return {
      consoleSessionId: this.consoleSessionId,
      bmcSessionId: this.bmcSessionId,
      consoleRandom: this.consoleRandom,
      bmcRandom: r2.bmcRandom,
      bmcGuid: r2.bmcGuid,
      role: this.role,
      username: this.username,
    };
  }

  /** Does the BMC's RAKP 2 HMAC match our password? */
  rakp2Valid(): boolean {
    if (this.suite.auth === AuthAlg.None) return this.rakp2!.authCode.length === 0;
    return safeEqual(rakp2AuthCode(this.suite.auth, this.kuid, this.inputs()), this.rakp2!.authCode);
  }

  rakp3Datagram(status = 0, authCode?: Uint8Array): Uint8Array {
    const code = authCode ?? (status !== 0 || this.suite.auth === AuthAlg.None ? new Uint8Array(0) : rakp3AuthCode(this.suite.auth, this.kuid, this.inputs()));
    return this.preSession(PayloadType.Rakp3, encodeRakp3({ messageTag: 0x44, status, bmcSessionId: this.bmcSessionId, authCode: code }));
  }

  rakp3(status = 0, authCode?: Uint8Array): Rakp4 | undefined {
    const out = this.h.send(this.rakp3Datagram(status, authCode));
    if (out.length === 0) return undefined;
    assert.equal(out.length, 1);
    const r = decodeRakp4(this.expectPayload(out[0]!, PayloadType.Rakp4));
    assert.equal(r.messageTag, 0x44);
    assert.equal(r.consoleSessionId, this.consoleSessionId);
    if (r.status === 0) this.deriveKeys(r);
    return r;
  }

  private deriveKeys(r4: Rakp4): void {
    const a = this.suite.auth;
    if (a === AuthAlg.None) {
      assert.equal(r4.integrityCheckValue.length, 0);
      this.keys = { integrity: 0, confidentiality: 0, k1: new Uint8Array(0), k2: new Uint8Array(0), kuid20: this.kuid };
      return;
    }
    this.sik = sessionIntegrityKey(a, this.kuid, this.inputs());
    assert.deepEqual(r4.integrityCheckValue, rakp4Icv(a, this.sik, this.inputs()), 'RAKP 4 ICV');
    this.keys = { integrity: this.suite.integrity, confidentiality: this.suite.confidentiality, k1: deriveK1(a, this.sik), k2: deriveK2(a, this.sik), kuid20: this.kuid };
  }

  /** Open Session, RAKP 1-4 with every check a console makes; throws if anything is off. */
  establish(): this {
    assert.equal(this.openSession().status, 0, 'Open Session status');
    assert.equal(this.rakp1().status, 0, 'RAKP 2 status');
    assert.ok(this.rakp2Valid(), 'RAKP 2 HMAC');
    assert.equal(this.rakp3()?.status, 0, 'RAKP 4 status');
    return this;
  }

  /** An in-session request datagram (next sequence number, protected as the suite says). */
  wrap(message: Uint8Array, seq = (this.seq = nextSequence(this.seq)), payloadType: number = PayloadType.Ipmi): Uint8Array {
    const iv = this.keys!.confidentiality ? Uint8Array.from({ length: 16 }, (_, i) => (seq + i * 7) & 0xff) : undefined;
    return encodeRmcpPlus({ payloadType, sessionId: this.bmcSessionId, sequence: seq, payload: message }, this.keys, iv);
  }

  /** A SOL packet from this console, in the session. */
  solDatagram(p: Partial<Omit<SolPacket, 'data'>> & { data?: Uint8Array | string }): Uint8Array {
    const data = typeof p.data === 'string' ? new TextEncoder().encode(p.data) : (p.data ?? new Uint8Array(0));
    return this.wrap(encodeSol({ sequence: p.sequence ?? 0, ackSequence: p.ackSequence ?? 0, acceptedCount: p.acceptedCount ?? 0, flags: p.flags ?? 0, data }), undefined, PayloadType.Sol);
  }

  /** Checks and opens a SOL packet the BMC sent: our session, next sequence, protection. */
  unwrapSol(d: Uint8Array): SolPacket {
    const keys = this.keys!;
    const hd = decodeRmcpPlusHeader(d);
    assert.equal(hd.payloadType, PayloadType.Sol);
    assert.equal(hd.sessionId, this.consoleSessionId);
    assert.equal(hd.authenticated, keys.integrity !== 0, 'SOL authenticated iff the suite has integrity');
    assert.equal(hd.encrypted, keys.confidentiality !== 0, 'SOL encrypted iff the suite has confidentiality');
    assert.equal(hd.sequence, nextSequence(this.bmcSeq), 'one session sequence for IPMI and SOL, +1 per packet');
    this.bmcSeq = hd.sequence;
    if (keys.integrity) assert.ok(verifyRmcpPlusIntegrity(d, hd, keys), 'SOL MAC');
    const payload = rmcpPlusPayload(d, hd, keys);
    assert.ok(payload);
    const p = decodeSol(payload);
    return { ...p, data: p.data.slice() };
  }

  /** Checks and opens an in-session reply: our session ID, next sequence, MAC, encryption. */
  unwrap(d: Uint8Array, request?: Uint8Array): Reply {
    const keys = this.keys!;
    const hd = decodeRmcpPlusHeader(d);
    assert.equal(hd.payloadType, PayloadType.Ipmi);
    assert.equal(hd.sessionId, this.consoleSessionId, 'replies carry the console’s session ID');
    assert.equal(hd.authenticated, keys.integrity !== 0, 'authenticated iff the suite has integrity');
    assert.equal(hd.encrypted, keys.confidentiality !== 0, 'encrypted iff the suite has confidentiality');
    assert.equal(hd.sequence, nextSequence(this.bmcSeq), 'BMC sequence numbers count up from 1');
    this.bmcSeq = hd.sequence;
    if (keys.integrity) assert.ok(verifyRmcpPlusIntegrity(d, hd, keys), 'reply MAC');
    const payload = rmcpPlusPayload(d, hd, keys);
    assert.ok(payload, 'reply decrypts');
    return ipmiReply(payload, request);
  }

}

// ---- IPMI v1.5 console ---------------------------------------------------------------------

export interface V15Options {
  authType: number;
  username?: string;
  password?: string;
  privilege?: number;
}

export class V15Peer extends SessionConsole {
  authType: number;
  readonly username: Uint8Array;
  readonly password16: Uint8Array;
  readonly privilege: number;
  tempId = 0;
  challenge: Uint8Array = new Uint8Array(16);
  sessionId = 0;
  seq = 0;
  readonly initialOutbound = 0x1000;
  bmcSeq = 0;

  constructor(h: Harness, o: V15Options) {
    super(h);
    this.authType = o.authType;
    this.username = asciiBytes(o.username ?? 'admin');
    this.password16 = padPassword(asciiBytes(o.password ?? 'password'), 16);
    this.privilege = o.privilege ?? 4;
  }

  getChallenge(authType = this.authType): Reply {
    const r = sessionless15(this.h, 0x06, 0x39, encodeWith(getSessionChallenge.request, { authType, username: this.username }));
    if (r.cc === 0) {
      const c = decodeWith(getSessionChallenge.response, r.data);
      this.tempId = c.temporarySessionId;
      this.challenge = c.challenge;
    }
    return r;
  }

  activateDatagram(over: Partial<{ authType: number; maxPrivilege: number; challenge: Uint8Array; initialOutboundSequence: number; headerAuthType: number }> = {}): { datagram: Uint8Array; request: Uint8Array } {
    const request = ipmiRequest(
      0x06,
      0x3a,
      encodeWith(activateSession.request, {
        authType: over.authType ?? this.authType,
        maxPrivilege: over.maxPrivilege ?? this.privilege,
        challenge: over.challenge ?? this.challenge,
        initialOutboundSequence: over.initialOutboundSequence ?? this.initialOutbound,
      }),
    );
    const datagram = encodeSession15({ authType: over.headerAuthType ?? this.authType, sequence: 0, sessionId: this.tempId, password16: this.password16 }, request);
    return { datagram, request };
  }

  /** Sends Activate Session; undefined when the BMC stays silent (bad AuthCode). */
  activate(over: Parameters<V15Peer['activateDatagram']>[0] = {}): Reply | undefined {
    const { datagram, request } = this.activateDatagram(over);
    const out = this.h.send(datagram);
    if (out.length === 0) return undefined;
    const p = decodeSession15(out[0]!);
    assert.equal(p.sessionId, this.tempId, 'the reply comes under the temporary session ID');
    this.checkAuthCode(p);
    const r = ipmiReply(p.message, request);
    if (r.cc === 0) {
      const a = decodeWith(activateSession.response, r.data);
      this.sessionId = a.sessionId;
      this.seq = a.initialInboundSequence;
      this.authType = a.authType;
      assert.notEqual(a.initialInboundSequence, 0);
    }
    return r;
  }

  private checkAuthCode(p: ReturnType<typeof decodeSession15>): void {
    assert.equal(p.authType, this.authType, 'replies use the session’s auth type');
    if (p.authType !== 0) assert.deepEqual(p.authCode, authCode15(p.authType, this.password16, p.sessionId, p.message, p.sequence), 'reply AuthCode');
  }

  establish(): this {
    assert.equal(this.getChallenge().cc, 0, 'Get Session Challenge');
    assert.equal(this.activate()?.cc, 0, 'Activate Session');
    return this;
  }

  wrap(message: Uint8Array, seq?: number): Uint8Array {
    const s = seq ?? this.seq++;
    return encodeSession15({ authType: this.authType, sequence: s >>> 0, sessionId: this.sessionId, password16: this.password16 }, message);
  }

  unwrap(d: Uint8Array, request?: Uint8Array): Reply {
    const p = decodeSession15(d);
    assert.equal(p.sessionId, this.sessionId);
    this.checkAuthCode(p);
    this.bmcSeq = p.sequence;
    return ipmiReply(p.message, request);
  }

}
