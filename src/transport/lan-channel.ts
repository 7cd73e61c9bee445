// The BMC's LAN channel as a pure function of datagrams: bytes in, zero or more datagrams
// out. It owns the RMCP/ASF, IPMI v1.5 and RMCP+ session state machines and hands IPMI
// messages to Bmc.dispatch(). No sockets here, so tests and the fuzzer drive it directly.
// Anything malformed or unauthenticated is counted and dropped; it never throws. Every
// datagram that gets no reply is either a SOL packet the SOL engine took (it answers through
// the session's PayloadLink, which sends via `options.send`) or counted under exactly one
// drop reason.

import { Writer, cstring, toHex } from '../protocol/bytes.js';
import { CC } from '../protocol/completion-codes.js';
import {
  AuthAlg,
  AuthType,
  authCode15,
  authCodeLength,
  CIPHER_SUITES,
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
} from '../protocol/crypto.js';
import { BMC_SA, decodeIpmb, writeIpmb, type IpmbMessage } from '../protocol/ipmb-message.js';
import {
  decodeOpenSessionRequest,
  decodeRakp1,
  decodeRakp3,
  encodeOpenSessionResponse,
  encodeRakp2,
  encodeRakp4,
  RmcpPlusStatus,
} from '../protocol/rakp.js';
import { AsfType, decodeAsf, decodeRmcpHeader, encodeAsfPong, encodeRmcpAck, RMCP_SEQ_NO_ACK, RmcpClass } from '../protocol/rmcp.js';
import { decodeRmcpPlusHeader, encodeRmcpPlus, PayloadType, rmcpPlusPayload, verifyRmcpPlusIntegrity, type RmcpPlusHeader } from '../protocol/rmcpplus.js';
import { decodeSession15, encodeSession15 } from '../protocol/session15.js';
import { nextSequence, SequenceWindow } from '../protocol/seq-window.js';
import { activateSession, getChannelAuthCapabilities, getChannelCipherSuites, getSessionChallenge, getSystemGuid } from '../ipmi/commands/app.js';
import { commandKey, decodeWith, encodeWith, NetFn, type PrivilegeLevel } from '../ipmi/spec.js';
import { hexId, type Bmc } from '../bmc/bmc.js';
import { authTypesForPrivilege, offeredCipherSuites } from '../bmc/handlers/app.js';
import { randomU32 } from '../bmc/rng.js';
import type { RemoteAddress, Session } from '../bmc/sessions.js';

/** Larger datagrams are never valid IPMI LAN packets (the biggest IPMI message is ~300 bytes). */
export const MAX_DATAGRAM = 1024;
const MAX_PENDING_CHALLENGES = 64;
const CHALLENGE_TTL_MS = 30_000;
/**
 * Commands answered with session ID 0. Activate Session is session-less in the table too, but it
 * only ever arrives under the temporary ID from Get Session Challenge.
 */
const OUTSIDE_SESSION = new Set([getChannelAuthCapabilities, getSessionChallenge, getSystemGuid, getChannelCipherSuites].map((c) => commandKey(c.netFn, c.cmd)));

export type DropReason =
  | 'malformed'
  | 'oversize'
  | 'unsupported'
  | 'unknown-session'
  | 'bad-auth'
  | 'replay'
  | 'not-permitted'
  | 'internal';

export interface LanCounters {
  received: number;
  sent: number;
  dropped: Record<DropReason, number>;
  sessionsOpened: number;
  authFailures: number;
  /** SOL payloads taken by the SOL engine (answered, if at all, through the PayloadLink). */
  solTaken: number;
}

export interface LanChannelOptions {
  /** Called for every dropped datagram (for -v hex dumps). */
  onDrop?: (reason: DropReason, datagram: Uint8Array, detail: string) => void;
  /** Called for every IPMI request answered (for -v request logs). */
  onRequest?: (netFn: number, cmd: number, cc: number) => void;
  /** Sends a datagram nobody asked for (SOL output, ACKs, retransmissions) to a console. */
  send?: (datagram: Uint8Array, remote: RemoteAddress) => void;
}

interface PendingChallenge {
  userId: number;
  authType: number;
  challenge: Uint8Array;
  createdAt: number;
}

export class LanChannel {
  readonly bmc: Bmc;
  readonly channel: number;
  readonly counters: LanCounters;
  private readonly challenges = new Map<number, PendingChallenge>();
  private readonly onDrop: NonNullable<LanChannelOptions['onDrop']>;
  private readonly onRequest: LanChannelOptions['onRequest'];
  /** Where unsolicited datagrams go; the UDP server sets it when it binds. */
  sender: NonNullable<LanChannelOptions['send']>;
  /** The clear-text payload of the packet authenticate() accepted last. */
  private payload: Uint8Array = new Uint8Array(0);

  constructor(bmc: Bmc, options: LanChannelOptions = {}) {
    this.bmc = bmc;
    this.channel = bmc.config.lan.channel;
    this.onDrop = options.onDrop ?? (() => {});
    this.onRequest = options.onRequest;
    this.sender = options.send ?? (() => {});
    this.counters = {
      received: 0,
      sent: 0,
      dropped: { malformed: 0, oversize: 0, unsupported: 0, 'unknown-session': 0, 'bad-auth': 0, replay: 0, 'not-permitted': 0, internal: 0 },
      sessionsOpened: 0,
      authFailures: 0,
      solTaken: 0,
    };
  }

  /** Processes one datagram; returns the datagrams to send back to the same peer. */
  handle(buf: Uint8Array, remote: RemoteAddress): Uint8Array[] {
    this.counters.received++;
    if (buf.length > MAX_DATAGRAM) return this.drop('oversize', buf, `${buf.length} bytes`);
    try {
      const out = this.route(buf, remote);
      this.counters.sent += out.length;
      return out;
    } catch (e) {
      // Codecs throw ProtocolError on malformed input; anything else is our bug, but a
      // datagram must never take the server down.
      const internal = !(e instanceof Error && e.name === 'ProtocolError');
      if (internal) this.bmc.log.warn('LAN packet handling failed', { error: e instanceof Error ? e.stack : String(e) });
      return this.drop(internal ? 'internal' : 'malformed', buf, e instanceof Error ? e.message : String(e));
    }
  }

  private drop(reason: DropReason, buf: Uint8Array, detail: string): Uint8Array[] {
    this.counters.dropped[reason]++;
    this.onDrop(reason, buf, detail);
    return [];
  }

  private route(buf: Uint8Array, remote: RemoteAddress): Uint8Array[] {
    const rmcp = decodeRmcpHeader(buf);
    if (rmcp.isAck) return this.drop('unsupported', buf, 'RMCP ACK (we never ask for one)');
    if (rmcp.messageClass === RmcpClass.Asf) {
      const asf = decodeAsf(buf);
      if (asf.messageType !== AsfType.PresencePing) return this.drop('unsupported', buf, `ASF message type 0x${asf.messageType.toString(16)}`);
      const out: Uint8Array[] = [];
      if (rmcp.sequence !== RMCP_SEQ_NO_ACK) out.push(encodeRmcpAck(rmcp));
      out.push(encodeAsfPong(asf.messageTag, rmcp.sequence));
      return out;
    }
    if (rmcp.messageClass !== RmcpClass.Ipmi) return this.drop('unsupported', buf, `RMCP class 0x${rmcp.messageClass.toString(16)}`);
    if (buf.length < 5) return this.drop('malformed', buf, 'no session header');
    return (buf[4]! & 0x0f) === AuthType.RmcpPlus ? this.routeRmcpPlus(buf, remote) : this.routeV15(buf, remote);
  }

  // ---- dispatch helpers ----------------------------------------------------------------------

  private dispatch(req: IpmbMessage, privilege: PrivilegeLevel | 'none', session?: Session): Uint8Array {
    const res = this.bmc.dispatch(
      { netFn: req.netFn, lun: req.destLun, cmd: req.cmd, data: req.data },
      session ? { channel: this.channel, privilege, session } : { channel: this.channel, privilege },
    );
    this.onRequest?.(req.netFn, req.cmd, res.cc);
    return this.responseMessage(req, res.cc, res.data);
  }

  private responseMessage(req: IpmbMessage, cc: number, data: Uint8Array): Uint8Array {
    const w = new Writer(8 + data.length);
    writeIpmb(w, { destAddr: req.srcAddr, netFn: req.netFn | 1, destLun: req.srcLun, srcAddr: req.destAddr, seq: req.seq, srcLun: req.destLun, cmd: req.cmd, data }, cc);
    return w.finish();
  }

  private isSessionless(req: IpmbMessage): boolean {
    return OUTSIDE_SESSION.has(commandKey(req.netFn, req.cmd));
  }

  private logAuthFailure(reason: string, remote: RemoteAddress, username: string): void {
    this.counters.authFailures++;
    this.bmc.log.warn('authentication rejected', { reason, user: username, remote: `${remote.address}:${remote.port}` });
  }

  private logOpened(s: Session): void {
    this.counters.sessionsOpened++;
    this.bmc.loginGuard.succeeded(s.userId);
    const suite = s.suite ? `cipher suite ${s.suite.id}` : `v1.5 auth ${s.authType}`;
    this.bmc.log.info('session opened', { session: hexId(s.id), user: s.username, privilege: s.maxPrivilege, security: suite, remote: `${s.remote.address}:${s.remote.port}` });
  }

  // ---- IPMI v1.5 ----------------------------------------------------------------------------

  private routeV15(buf: Uint8Array, remote: RemoteAddress): Uint8Array[] {
    const pkt = decodeSession15(buf);
    const msg = decodeIpmb(pkt.message);
    if (msg.destAddr !== BMC_SA) return this.drop('unsupported', buf, `message for address 0x${msg.destAddr.toString(16)}`);

    if (pkt.sessionId === 0) {
      if (pkt.authType !== AuthType.None) return this.drop('malformed', buf, 'authenticated packet outside a session');
      if (!this.isSessionless(msg)) return this.drop('not-permitted', buf, `command 0x${msg.cmd.toString(16)} outside a session`);
      const reply = msg.cmd === getSessionChallenge.cmd ? this.sessionChallenge(msg, remote) : this.dispatch(msg, 'none');
      return [encodeSession15({ authType: AuthType.None, sequence: 0, sessionId: 0 }, reply)];
    }

    const pending = this.challenges.get(pkt.sessionId);
    if (pending && msg.netFn === NetFn.App && msg.cmd === activateSession.cmd) return this.activate(buf, pkt, msg, pending, remote);

    const s = this.bmc.sessions.get(pkt.sessionId);
    if (!s || s.version !== '1.5' || s.state !== 'active') {
      // Activate Session retries for a session that already exists (§22.17: the BMC accepts
      // them until the first in-session packet) fall through to the session path below.
      return this.drop('unknown-session', buf, `session ${hexId(pkt.sessionId)}`);
    }
    if (pkt.authType !== s.authType) return this.drop('bad-auth', buf, `auth type ${pkt.authType} on a type ${s.authType} session`);
    if (s.authType !== AuthType.None) {
      const expected = authCode15(s.authType, s.password16!, s.id, pkt.message, pkt.sequence)!;
      if (!safeEqual(expected, pkt.authCode!)) return this.drop('bad-auth', buf, 'AuthCode mismatch');
    }
    if (msg.netFn === NetFn.App && msg.cmd === activateSession.cmd) {
      // A retransmitted Activate Session: answer it again with the session's values.
      return [this.encode15(s, this.activateResponse(msg, s))];
    }
    if (!s.inboundWindow!.check(pkt.sequence)) return this.drop('replay', buf, `sequence ${pkt.sequence}`);
    s.inboundWindow!.commit(pkt.sequence);
    this.bmc.sessions.touch(s);
    const reply = this.dispatch(msg, s.privilege as PrivilegeLevel, s);
    const out = this.encode15(s, reply);
    if (s.closeAfterReply) this.bmc.sessions.close(s.id, 'closed');
    return [out];
  }

  private encode15(s: Session, message: Uint8Array): Uint8Array {
    const seq = s.outboundSequence;
    s.outboundSequence = (s.outboundSequence + 1) >>> 0;
    return encodeSession15({ authType: s.authType, sequence: seq, sessionId: s.id, password16: s.password16! }, message);
  }

  private sessionChallenge(msg: IpmbMessage, remote: RemoteAddress): Uint8Array {
    if (msg.data.length !== 17) return this.responseMessage(msg, CC.RequestDataLengthInvalid, new Uint8Array(0));
    const req = decodeWith(getSessionChallenge.request, msg.data);
    const name = cstring(req.username);
    const offered = new Set([...authTypesForPrivilege(this.bmc, 1), ...authTypesForPrivilege(this.bmc, 2), ...authTypesForPrivilege(this.bmc, 3), ...authTypesForPrivilege(this.bmc, 4)]);
    if (!offered.has(req.authType) || (req.authType === AuthType.None && !this.bmc.config.lan.anonymousLogin)) {
      return this.responseMessage(msg, CC.InvalidDataField, new Uint8Array(0));
    }
    const user = this.bmc.users.findByName(req.username, this.channel);
    if (!user || this.bmc.userChannelLimit(user.id, this.channel) === 0 || !this.bmc.users.access(user, this.channel).ipmiMessaging) {
      this.logAuthFailure('unknown user (v1.5 challenge)', remote, name);
      return this.responseMessage(msg, name === '' ? 0x82 : 0x81, new Uint8Array(0));
    }
    if (user.id === 1 && user.password.length === 0 && !this.bmc.config.lan.anonymousLogin) {
      this.logAuthFailure('anonymous login disabled', remote, name);
      return this.responseMessage(msg, 0x82, new Uint8Array(0));
    }
    if (this.bmc.loginGuard.locked(user.id)) {
      this.logAuthFailure('user locked out after bad passwords', remote, name);
      return this.responseMessage(msg, 0x81, new Uint8Array(0));
    }
    if (req.authType === AuthType.None && user.password.length > 0) {
      // Auth type NONE exists for anonymous login: it carries no AuthCode, so for a user with a
      // password it would skip the only proof of that password.
      this.logAuthFailure('auth type NONE for a user with a password', remote, name);
      return this.responseMessage(msg, CC.InvalidDataField, new Uint8Array(0));
    }
    this.expireChallenges();
    if (this.challenges.size >= MAX_PENDING_CHALLENGES) this.challenges.delete(this.challenges.keys().next().value!);
    let tempId = 0;
    while (tempId === 0 || this.challenges.has(tempId) || this.bmc.sessions.get(tempId)) tempId = randomU32(this.bmc.rng);
    const challenge = this.bmc.rng.bytes(16);
    this.challenges.set(tempId, { userId: user.id, authType: req.authType, challenge, createdAt: this.bmc.clock.now() });
    return this.responseMessage(msg, CC.Ok, encodeWith(getSessionChallenge.response, { temporarySessionId: tempId, challenge }));
  }

  private expireChallenges(): void {
    const now = this.bmc.clock.now();
    for (const [id, c] of this.challenges) if (now - c.createdAt > CHALLENGE_TTL_MS) this.challenges.delete(id);
  }

  private activate(buf: Uint8Array, pkt: ReturnType<typeof decodeSession15>, msg: IpmbMessage, pending: PendingChallenge, remote: RemoteAddress): Uint8Array[] {
    const user = this.bmc.users.get(pending.userId);
    if (!user) return this.drop('unknown-session', buf, 'challenge for a deleted user');
    // Before the AuthCode is verified nothing may be answered: we could not authenticate a reply.
    if (pkt.authType !== pending.authType) return this.drop('bad-auth', buf, 'auth type differs from the challenge');
    const password16 = padPassword(user.password, 16);
    if (pkt.authType !== AuthType.None) {
      const expected = authCode15(pkt.authType, password16, pkt.sessionId, pkt.message, pkt.sequence)!;
      if (!safeEqual(expected, pkt.authCode!)) {
        this.logAuthFailure('bad password (v1.5)', remote, user.name);
        this.bmc.loginGuard.failed(user.id, this.channel);
        this.challenges.delete(pkt.sessionId);
        return this.drop('bad-auth', buf, 'Activate Session AuthCode mismatch');
      }
    }
    const tmp = { authType: pkt.authType, password16, id: pkt.sessionId, outboundSequence: 0 } as Session;
    const fail = (cc: number): Uint8Array[] => {
      tmp.outboundSequence = 0;
      return [this.encode15(tmp, this.responseMessage(msg, cc, new Uint8Array(0)))];
    };
    if (msg.data.length !== 22) return fail(CC.RequestDataLengthInvalid);
    const req = decodeWith(activateSession.request, msg.data);
    if (req.authType !== pending.authType) return fail(CC.InvalidDataField);
    if (!safeEqual(req.challenge, pending.challenge)) {
      this.logAuthFailure('challenge mismatch (v1.5)', remote, user.name);
      return fail(CC.InvalidDataField);
    }
    if (req.initialOutboundSequence === 0) return fail(0x84);
    const limit = this.bmc.userChannelLimit(user.id, this.channel);
    if (req.maxPrivilege < 1 || req.maxPrivilege > limit) return fail(0x86);
    if (!authTypesForPrivilege(this.bmc, req.maxPrivilege).includes(req.authType)) return fail(CC.InvalidDataField);
    const s = this.bmc.sessions.open({ version: '1.5', channel: this.channel, remote, id: pkt.sessionId });
    if (!s || s.id !== pkt.sessionId) {
      if (s) this.bmc.sessions.close(s.id, 'failed');
      return fail(0x81);
    }
    this.challenges.delete(pkt.sessionId);
    s.state = 'active';
    s.userId = user.id;
    s.username = user.name;
    s.authType = req.authType;
    s.password16 = password16;
    s.maxPrivilege = req.maxPrivilege;
    s.privilege = Math.min(2, req.maxPrivilege);
    let inbound = 0;
    while (inbound === 0) inbound = randomU32(this.bmc.rng);
    s.inboundWindow = SequenceWindow.v15(inbound);
    s.initialInboundSequence = inbound;
    s.outboundSequence = req.initialOutboundSequence;
    this.logOpened(s);
    return [this.encode15(s, this.activateResponse(msg, s))];
  }

  private activateResponse(msg: IpmbMessage, s: Session): Uint8Array {
    const inbound = s.initialInboundSequence;
    return this.responseMessage(
      msg,
      CC.Ok,
      encodeWith(activateSession.response, { authType: s.authType, sessionId: s.id, initialInboundSequence: inbound, maxPrivilege: s.maxPrivilege }),
    );
  }

  // ---- RMCP+ ---------------------------------------------------------------------------------

  private routeRmcpPlus(buf: Uint8Array, remote: RemoteAddress): Uint8Array[] {
    const h = decodeRmcpPlusHeader(buf);
    switch (h.payloadType) {
      case PayloadType.OpenSessionRequest:
        return this.openSession(buf, h, remote);
      case PayloadType.Rakp1:
        return this.rakp1(buf, h, remote);
      case PayloadType.Rakp3:
        return this.rakp3(buf, h, remote);
      case PayloadType.Ipmi:
        return h.sessionId === 0 ? this.sessionlessRmcpPlus(buf, h) : this.inSession(buf, h);
      case PayloadType.Sol:
        return h.sessionId === 0 ? this.drop('malformed', buf, 'SOL payload outside a session') : this.solPayload(buf, h);
      default:
        return this.drop('unsupported', buf, `payload type 0x${h.payloadType.toString(16)}`);
    }
  }

  private plainPayload(buf: Uint8Array, h: RmcpPlusHeader): Uint8Array {
    return buf.subarray(h.payloadStart, h.payloadStart + h.payloadLength);
  }

  private sessionless(payloadType: number, payload: Uint8Array): Uint8Array {
    return encodeRmcpPlus({ payloadType, sessionId: 0, sequence: 0, payload });
  }

  private sessionlessRmcpPlus(buf: Uint8Array, h: RmcpPlusHeader): Uint8Array[] {
    if (h.authenticated || h.encrypted) return this.drop('malformed', buf, 'protected payload without a session');
    const msg = decodeIpmb(this.plainPayload(buf, h));
    if (msg.destAddr !== BMC_SA) return this.drop('unsupported', buf, 'message not for the BMC');
    if (!this.isSessionless(msg) || msg.cmd === getSessionChallenge.cmd) return this.drop('not-permitted', buf, `command 0x${msg.cmd.toString(16)} outside a session`);
    return [this.sessionless(PayloadType.Ipmi, this.dispatch(msg, 'none'))];
  }

  private suitePrivilegeLimit(suite: CipherSuite): number {
    const lan = this.bmc.config.lan;
    return Math.min(lan.cipherSuitePrivileges[suite.id] ?? 4, this.bmc.lanChannel().access!.volatile.privilegeLimit);
  }

  private openSession(buf: Uint8Array, h: RmcpPlusHeader, remote: RemoteAddress): Uint8Array[] {
    if (h.sessionId !== 0 || h.authenticated || h.encrypted) return this.drop('malformed', buf, 'Open Session inside a session');
    const payload = this.plainPayload(buf, h);
    let req;
    try {
      req = decodeOpenSessionRequest(payload);
    } catch {
      if (payload.length < 8) return this.drop('malformed', buf, 'short Open Session Request');
      const consoleSessionId = new DataView(payload.buffer, payload.byteOffset).getUint32(4, true);
      return [this.openSessionError(payload[0]!, RmcpPlusStatus.IllegalParameter, consoleSessionId)];
    }
    const err = (status: number) => [this.openSessionError(req.messageTag, status, req.consoleSessionId)];
    if (req.consoleSessionId === 0) return err(RmcpPlusStatus.InvalidSessionId);
    const offered = offeredCipherSuites(this.bmc);
    const suite = offered.find(
      (s) =>
        (req.authAlgorithm === undefined || s.auth === req.authAlgorithm) &&
        (req.integrityAlgorithm === undefined || s.integrity === req.integrityAlgorithm) &&
        (req.confidentialityAlgorithm === undefined || s.confidentiality === req.confidentialityAlgorithm),
    );
    if (!suite) {
      // Name the first algorithm we do not know at all; otherwise the combination is the problem.
      const known = (pick: (s: CipherSuite) => number, v: number | undefined) => v === undefined || offered.some((s) => pick(s) === v);
      if (!known((s) => s.auth, req.authAlgorithm)) return err(RmcpPlusStatus.InvalidAuthAlgorithm);
      if (!known((s) => s.integrity, req.integrityAlgorithm)) return err(RmcpPlusStatus.InvalidIntegrityAlgorithm);
      if (!known((s) => s.confidentiality, req.confidentialityAlgorithm)) return err(RmcpPlusStatus.InvalidConfidentialityAlgorithm);
      return err(RmcpPlusStatus.NoCipherSuiteMatch);
    }
    const limit = this.suitePrivilegeLimit(suite);
    if (req.requestedMaxPrivilege > 5) return err(RmcpPlusStatus.InvalidRole);
    // 0 means "the highest level matching the proposed algorithms": answer with the real level,
    // never with 0 (FreeIPMI rejects an echoed 0; ipmi_sim does that and needs -W opensesspriv).
    const maxPrivilege = req.requestedMaxPrivilege === 0 ? limit : req.requestedMaxPrivilege;
    if (maxPrivilege > limit || maxPrivilege === 0) return err(RmcpPlusStatus.UnauthorizedRole);
    const s = this.bmc.sessions.open({ version: '2.0', channel: this.channel, remote, consoleSessionId: req.consoleSessionId });
    if (!s) {
      this.bmc.log.warn('session refused: no free slot', { remote: `${remote.address}:${remote.port}` });
      return err(RmcpPlusStatus.InsufficientResources);
    }
    s.suite = suite;
    s.maxPrivilege = maxPrivilege;
    return [
      this.sessionless(
        PayloadType.OpenSessionResponse,
        encodeOpenSessionResponse({
          messageTag: req.messageTag,
          status: 0,
          maxPrivilege,
          consoleSessionId: req.consoleSessionId,
          bmcSessionId: s.id,
          authAlgorithm: suite.auth,
          integrityAlgorithm: suite.integrity,
          confidentialityAlgorithm: suite.confidentiality,
        }),
      ),
    ];
  }

  private openSessionError(tag: number, status: number, consoleSessionId: number): Uint8Array {
    return this.sessionless(
      PayloadType.OpenSessionResponse,
      encodeOpenSessionResponse({ messageTag: tag, status, maxPrivilege: 0, consoleSessionId, bmcSessionId: 0, authAlgorithm: 0, integrityAlgorithm: 0, confidentialityAlgorithm: 0 }),
    );
  }

  private openingSession(id: number): Session | undefined {
    const s = this.bmc.sessions.get(id);
    return s && s.version === '2.0' && s.state === 'opening' ? s : undefined;
  }

  private rakp1(buf: Uint8Array, h: RmcpPlusHeader, remote: RemoteAddress): Uint8Array[] {
    if (h.sessionId !== 0 || h.authenticated || h.encrypted) return this.drop('malformed', buf, 'RAKP 1 inside a session');
    const m = decodeRakp1(this.plainPayload(buf, h));
    const s = this.openingSession(m.bmcSessionId);
    if (!s || s.rakp) return this.drop('unknown-session', buf, `RAKP 1 for ${hexId(m.bmcSessionId)}`);
    const err = (status: number, why: string) => {
      this.bmc.sessions.close(s.id, 'failed');
      if (status === RmcpPlusStatus.UnauthorizedName || status === RmcpPlusStatus.UnauthorizedRole) this.logAuthFailure(why, remote, cstring(m.username));
      return [this.sessionless(PayloadType.Rakp2, encodeRakp2({ messageTag: m.messageTag, status, consoleSessionId: s.consoleSessionId, bmcRandom: new Uint8Array(0), bmcGuid: new Uint8Array(0), authCode: new Uint8Array(0) }))];
    };
    const privilege = m.role & 0x0f;
    const nameOnly = (m.role & 0x10) !== 0;
    if (privilege < 1 || privilege > 5 || (m.role & 0xe0) !== 0) return err(RmcpPlusStatus.InvalidRole, 'invalid role');
    const user = this.bmc.users.findByName(m.username, this.channel, nameOnly ? undefined : privilege);
    const access = user && this.bmc.users.access(user, this.channel);
    const limit = user ? this.bmc.userChannelLimit(user.id, this.channel) : 0;
    if (!user || !access!.ipmiMessaging || limit === 0) return err(RmcpPlusStatus.UnauthorizedName, 'unknown or disabled user');
    if (user.id === 1 && user.password.length === 0 && !this.bmc.config.lan.anonymousLogin) return err(RmcpPlusStatus.UnauthorizedName, 'anonymous login disabled');
    if (privilege > limit || privilege > s.maxPrivilege) return err(RmcpPlusStatus.UnauthorizedRole, `privilege ${privilege} above the user's limit ${limit}`);
    if (this.bmc.loginGuard.locked(user.id)) return err(RmcpPlusStatus.UnauthorizedName, 'user locked out after bad passwords');
    const bmcRandom = this.bmc.rng.bytes(16);
    const kuid = padPassword(user.password, 20);
    s.userId = user.id;
    s.username = user.name;
    s.maxPrivilege = privilege;
    s.rakp = { consoleRandom: m.consoleRandom, bmcRandom, role: m.role, username: m.username, kuid };
    this.bmc.sessions.touch(s);
    const authCode = s.suite!.auth === AuthAlg.None ? new Uint8Array(0) : rakp2AuthCode(s.suite!.auth, kuid, this.rakpInputs(s));
    return [
      this.sessionless(
        PayloadType.Rakp2,
        encodeRakp2({ messageTag: m.messageTag, status: 0, consoleSessionId: s.consoleSessionId, bmcRandom, bmcGuid: this.bmc.config.identity.systemGuid, authCode }),
      ),
    ];
  }

  private rakpInputs(s: Session): RakpInputs {
    const r = s.rakp!;
    return {
      consoleSessionId: s.consoleSessionId,
      bmcSessionId: s.id,
      consoleRandom: r.consoleRandom,
      bmcRandom: r.bmcRandom,
      bmcGuid: this.bmc.config.identity.systemGuid,
      role: r.role,
      username: r.username,
    };
  }

  private rakp3(buf: Uint8Array, h: RmcpPlusHeader, remote: RemoteAddress): Uint8Array[] {
    if (h.sessionId !== 0 || h.authenticated || h.encrypted) return this.drop('malformed', buf, 'RAKP 3 inside a session');
    const m = decodeRakp3(this.plainPayload(buf, h));
    const s = this.openingSession(m.bmcSessionId);
    if (!s || !s.rakp) return this.drop('unknown-session', buf, `RAKP 3 for ${hexId(m.bmcSessionId)}`);
    const suite = s.suite!;
    const reply = (status: number, icv: Uint8Array) =>
      this.sessionless(PayloadType.Rakp4, encodeRakp4({ messageTag: m.messageTag, status, consoleSessionId: s.consoleSessionId, integrityCheckValue: icv }));
    if (m.status !== 0) {
      // The console rejected our RAKP 2 (typically: it has a different password).
      this.bmc.sessions.close(s.id, 'failed');
      this.logAuthFailure(`console reported RAKP 2 error 0x${m.status.toString(16)} (wrong password?)`, remote, s.username);
      this.bmc.loginGuard.failed(s.userId, this.channel);
      return this.drop('bad-auth', buf, `RAKP 3 with status 0x${m.status.toString(16)}`);
    }
    const inputs = this.rakpInputs(s);
    if (suite.auth !== AuthAlg.None) {
      const expected = rakp3AuthCode(suite.auth, s.rakp.kuid, inputs);
      if (m.authCode.length !== authCodeLength(suite.auth) || !safeEqual(expected, m.authCode)) {
        this.bmc.sessions.close(s.id, 'failed');
        this.logAuthFailure('bad password (RAKP 3)', remote, s.username);
        this.bmc.loginGuard.failed(s.userId, this.channel);
        return [reply(RmcpPlusStatus.InvalidIntegrityCheckValue, new Uint8Array(0))];
      }
    }
    // Locked out while this handshake was under way (a guesser with many RAKP 1s in flight).
    if (this.bmc.loginGuard.locked(s.userId)) {
      this.bmc.sessions.close(s.id, 'failed');
      return [reply(RmcpPlusStatus.UnauthorizedName, new Uint8Array(0))];
    }
    let icv: Uint8Array = new Uint8Array(0);
    if (suite.auth !== AuthAlg.None) {
      const kg = this.bmc.config.lan.kg;
      const sik = sessionIntegrityKey(suite.auth, kg && kg.some((b) => b !== 0) ? kg : s.rakp.kuid, inputs);
      icv = rakp4Icv(suite.auth, sik, inputs);
      s.keys = { integrity: suite.integrity, confidentiality: suite.confidentiality, k1: deriveK1(suite.auth, sik), k2: deriveK2(suite.auth, sik), kuid20: s.rakp.kuid };
    } else {
      s.keys = { integrity: 0, confidentiality: 0, k1: new Uint8Array(0), k2: new Uint8Array(0), kuid20: s.rakp.kuid };
    }
    s.state = 'active';
    s.privilege = Math.min(2, s.maxPrivilege);
    s.authWindow = SequenceWindow.v20();
    s.unauthWindow = SequenceWindow.v20();
    s.outboundSequence = 0;
    s.unauthOutboundSequence = 0;
    s.payloadLink = {
      send: (payload) => {
        this.counters.sent++;
        this.sender(this.encodePlus(s, payload, PayloadType.Sol), s.remote);
      },
    };
    this.bmc.sessions.touch(s);
    this.logOpened(s);
    return [reply(0, icv)];
  }

  /**
   * Checks an in-session packet (session, integrity, confidentiality, replay window), decrypts
   * it into this.payload and counts it as session activity; undefined when it was dropped.
   */
  private authenticate(buf: Uint8Array, h: RmcpPlusHeader): Session | undefined {
    const s = this.bmc.sessions.get(h.sessionId);
    if (!s || s.version !== '2.0' || s.state !== 'active') return void this.drop('unknown-session', buf, `session ${hexId(h.sessionId)}`);
    const keys = s.keys!;
    if (keys.integrity !== 0) {
      if (!h.authenticated) return void this.drop('bad-auth', buf, 'unauthenticated packet on an authenticated session');
      if (!verifyRmcpPlusIntegrity(buf, h, keys)) return void this.drop('bad-auth', buf, 'integrity check failed');
    } else if (h.authenticated) {
      return void this.drop('bad-auth', buf, 'authenticated packet on a session without integrity');
    }
    if (keys.confidentiality !== 0 && !h.encrypted) return void this.drop('bad-auth', buf, 'clear-text payload on an encrypted session');
    if (h.sequence === 0 || !this.window(s).check(h.sequence)) return void this.drop('replay', buf, `sequence ${h.sequence}`);
    const payload = rmcpPlusPayload(buf, h, keys);
    if (!payload) return void this.drop('malformed', buf, 'payload does not decrypt');
    this.payload = payload;
    return s;
  }

  /** Authenticated and unauthenticated in-session packets have separate windows (§13.28.2). */
  private window(s: Session): SequenceWindow {
    return s.keys!.integrity !== 0 ? s.authWindow! : s.unauthWindow!;
  }

  private inSession(buf: Uint8Array, h: RmcpPlusHeader): Uint8Array[] {
    const s = this.authenticate(buf, h);
    if (!s) return [];
    const msg = decodeIpmb(this.payload);
    this.window(s).commit(h.sequence);
    this.bmc.sessions.touch(s);
    if (msg.destAddr !== BMC_SA) return this.drop('unsupported', buf, 'message not for the BMC');
    const reply = this.dispatch(msg, s.privilege as PrivilegeLevel, s);
    const out = this.encodePlus(s, reply);
    if (s.closeAfterReply) this.bmc.sessions.close(s.id, 'closed');
    return [out];
  }

  /** A console's SOL packet: SOL traffic alone keeps a session alive (sol.md §0 rule 6). */
  private solPayload(buf: Uint8Array, h: RmcpPlusHeader): Uint8Array[] {
    const s = this.authenticate(buf, h);
    if (!s) return [];
    this.window(s).commit(h.sequence);
    this.bmc.sessions.touch(s);
    const refused = this.bmc.sol.receive(s, this.payload);
    if (refused) return this.drop('not-permitted', buf, refused);
    this.counters.solTaken++;
    return [];
  }

  private encodePlus(s: Session, message: Uint8Array, payloadType: number = PayloadType.Ipmi): Uint8Array {
    const keys = s.keys!;
    let sequence: number;
    if (keys.integrity !== 0) {
      s.outboundSequence = nextSequence(s.outboundSequence);
      sequence = s.outboundSequence;
    } else {
      s.unauthOutboundSequence = nextSequence(s.unauthOutboundSequence);
      sequence = s.unauthOutboundSequence;
    }
    const iv = keys.confidentiality !== 0 ? this.bmc.rng.bytes(16) : undefined;
    return encodeRmcpPlus({ payloadType, sessionId: s.consoleSessionId, sequence, payload: message }, keys, iv);
  }
}

export function describeDatagram(buf: Uint8Array): string {
  return toHex(buf.subarray(0, 64)) + (buf.length > 64 ? ' …' : '');
}

/** All cipher suites the implementation can run (for help texts). */
export const supportedCipherSuiteIds = CIPHER_SUITES.map((s) => s.id);
