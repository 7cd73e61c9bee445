// IPMI LAN client: session establishment for IPMI v1.5 (`-I lan`) and RMCP+ (`-I lanplus`),
// then request/response with rqSeq matching, per-attempt timeout (-N) and retries (-R).
// Retransmits keep the rqSeq and take a new session sequence number (IPMI v2.0 §6.12.8).

import { asciiBytes, Writer } from '../protocol/bytes.js';
import {
  AuthAlg,
  AuthType,
  authCode15,
  authCodeLength,
  cipherSuiteById,
  concat,
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
import { BMC_SA, decodeIpmb, REMOTE_SWID, writeIpmb, type IpmbMessage } from '../protocol/ipmb-message.js';
import {
  decodeOpenSessionResponse,
  decodeRakp2,
  decodeRakp4,
  encodeOpenSessionRequest,
  encodeRakp1,
  encodeRakp3,
  rmcpPlusStatusNames,
  RmcpPlusStatus,
} from '../protocol/rakp.js';
import { decodeRmcpHeader, RmcpClass } from '../protocol/rmcp.js';
import { decodeRmcpPlusHeader, encodeRmcpPlus, PayloadType, rmcpPlusPayload, verifyRmcpPlusIntegrity, type SessionCryptoKeys } from '../protocol/rmcpplus.js';
import { decodeSession15, encodeSession15 } from '../protocol/session15.js';
import { nextSequence } from '../protocol/seq-window.js';
import { randomBytes } from 'node:crypto';
import {
  activateSession,
  closeSession,
  decodeCipherSuiteRecords,
  getChannelAuthCapabilities,
  getChannelCipherSuites,
  getSessionChallenge,
  setSessionPrivilegeLevel,
} from '../ipmi/commands/app.js';
import { decodeWith, encodeWith, type CommandSpec } from '../ipmi/spec.js';
import { IpmiAuthError, IpmiCipherSuiteError, IpmiCompletionError, IpmiSessionError, IpmiTimeoutError } from './errors.js';
import { UdpLink } from './udp-link.js';

export type LanInterface = 'lan' | 'lanplus';

export interface LanClientOptions {
  host: string;
  port: number;
  interface: LanInterface;
  username: string;
  password: string;
  /** -A: forced v1.5 auth type (NONE, MD2, MD5, PASSWORD). */
  authType?: number;
  /** -L: 1..5; default ADMINISTRATOR. */
  privilege: number;
  /** -L with a trailing '+': username/privilege lookup instead of name-only. */
  privilegeLookup?: boolean;
  /** -C: cipher suite; undefined = ask the BMC and prefer 17, then 3. */
  cipherSuite?: number;
  kg?: Uint8Array;
  /** -N, seconds per attempt. */
  timeoutSec: number;
  /** -R, attempts. */
  retries: number;
  /** Protocol trace sink (-v). */
  trace?: (level: number, msg: string) => void;
}

export interface RawResponse {
  cc: number;
  data: Uint8Array;
}

const EMPTY = new Uint8Array(0);

export class LanClient {
  readonly options: LanClientOptions;
  private link!: UdpLink;
  private rqSeq = 0;
  private active = false;
  private version: '1.5' | '2.0' = '2.0';
  // v1.5
  private sessionId = 0;
  private authType: number = AuthType.None;
  private password16: Uint8Array = new Uint8Array(16);
  private outboundSeq = 0;
  // RMCP+
  private consoleSessionId = 0;
  private keys: SessionCryptoKeys | undefined;
  suite: CipherSuite | undefined;
  privilege = 0;

  private constructor(options: LanClientOptions) {
    this.options = options;
  }

  /** Opens the socket and establishes a session. */
  static async connect(options: LanClientOptions): Promise<LanClient> {
    const c = new LanClient(options);
    try {
      c.link = await UdpLink.open(options.host, options.port);
    } catch (e) {
      throw new IpmiTimeoutError(`cannot reach ${options.host}:${options.port}: ${e instanceof Error ? e.message : String(e)}`);
    }
    try {
      if (options.interface === 'lanplus') await c.openRmcpPlus();
      else await c.openV15();
    } catch (e) {
      c.link.close();
      throw e;
    }
    return c;
  }

  private trace(level: number, msg: string): void {
    this.options.trace?.(level, msg);
  }

  private get where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  private nextRqSeq(): number {
    this.rqSeq = (this.rqSeq + 1) & 0x3f;
    return this.rqSeq;
  }

  private message(netFn: number, cmd: number, data: Uint8Array, seq: number, lun = 0): Uint8Array {
    const w = new Writer(8 + data.length);
    writeIpmb(w, { destAddr: BMC_SA, netFn, destLun: lun, srcAddr: REMOTE_SWID, seq, srcLun: 0, cmd, data });
    return w.finish();
  }

  private matches(m: IpmbMessage, netFn: number, cmd: number, seq: number): boolean {
    return m.netFn === (netFn | 1) && m.cmd === cmd && m.seq === seq && m.destAddr === REMOTE_SWID;
  }

  /**
   * Sends `build(attempt)` up to `retries` times, waiting `timeoutSec` each time for a reply
   * `accept` recognises. Resolves undefined when all attempts time out.
   */
  private async exchange<T>(build: () => Uint8Array, accept: (buf: Uint8Array) => T | undefined, attempts = this.options.retries): Promise<T | undefined> {
    const ms = Math.max(50, this.options.timeoutSec * 1000);
    for (let i = 0; i < Math.max(1, attempts); i++) {
      const pkt = build();
      this.trace(3, `>> ${pkt.length} bytes (attempt ${i + 1})`);
      this.link.send(pkt);
      const r = await this.link.receive(ms, accept);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  // ---- pre-session requests -------------------------------------------------------------------

  /** A session-less request in a v1.5 wrapper (auth type NONE), as ipmitool sends auth caps. */
  private async sessionless15(netFn: number, cmd: number, data: Uint8Array, attempts?: number): Promise<RawResponse | undefined> {
    const seq = this.nextRqSeq();
    const msg = this.message(netFn, cmd, data, seq);
    return this.exchange(
      () => encodeSession15({ authType: AuthType.None, sequence: 0, sessionId: 0 }, msg),
      (buf) => {
        const h = decodeRmcpHeader(buf);
        if (h.messageClass !== RmcpClass.Ipmi || (buf[4]! & 0x0f) === AuthType.RmcpPlus) return undefined;
        const p = decodeSession15(buf);
        const m = decodeIpmb(p.message);
        return this.matches(m, netFn, cmd, seq) ? { cc: m.data[0] ?? 0xff, data: m.data.subarray(1) } : undefined;
      },
      attempts,
    );
  }

  /** A session-less request in an RMCP+ wrapper (payload type IPMI, session 0). */
  private async sessionlessPlus(netFn: number, cmd: number, data: Uint8Array, attempts?: number): Promise<RawResponse | undefined> {
    const seq = this.nextRqSeq();
    const msg = this.message(netFn, cmd, data, seq);
    return this.exchange(
      () => encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: msg }),
      (buf) => {
        if ((buf[4]! & 0x0f) !== AuthType.RmcpPlus) return undefined;
        const h = decodeRmcpPlusHeader(buf);
        if (h.payloadType !== PayloadType.Ipmi || h.sessionId !== 0) return undefined;
        const m = decodeIpmb(buf.subarray(h.payloadStart, h.payloadStart + h.payloadLength));
        return this.matches(m, netFn, cmd, seq) ? { cc: m.data[0] ?? 0xff, data: m.data.subarray(1) } : undefined;
      },
      attempts,
    );
  }

  private async authCaps(extended: boolean) {
    const req = encodeWith(getChannelAuthCapabilities.request, { extendedData: extended, channel: 0x0e, requestedPrivilege: this.options.privilege });
    const r = await this.sessionless15(0x06, 0x38, req);
    if (!r) throw new IpmiTimeoutError(`no response from ${this.where} (Get Channel Authentication Capabilities timed out)`);
    if (r.cc !== 0) throw new IpmiCompletionError(r.cc, 0x06, 0x38, getChannelAuthCapabilities.name);
    return decodeWith(getChannelAuthCapabilities.response, r.data);
  }

  // ---- IPMI v1.5 --------------------------------------------------------------------------

  private async openV15(): Promise<void> {
    this.version = '1.5';
    const o = this.options;
    const caps = await this.authCaps(false);
    const supported = caps.authTypeSupport & 0x37;
    let authType = o.authType;
    if (authType === undefined) {
      // ipmitool's preference order: MD5, MD2, straight password, NONE.
      authType = [AuthType.Md5, AuthType.Md2, AuthType.Password, AuthType.None].find((t) => supported & (1 << t));
      if (authType === undefined) throw new IpmiSessionError(`${this.where} offers no usable IPMI v1.5 authentication type`);
    } else if (!(supported & (1 << authType))) {
      throw new IpmiSessionError(`${this.where} does not allow authentication type ${authType} at this privilege level`);
    }
    const username = asciiBytes(o.username);
    if (username.length > 16) throw new IpmiSessionError('username is longer than 16 bytes');
    const password = asciiBytes(o.password);
    if (password.length > 16) throw new IpmiSessionError('password is longer than 16 bytes (IPMI v1.5 limit)');
    this.password16 = padPassword(password, 16);

    const ch = await this.sessionless15(0x06, 0x39, encodeWith(getSessionChallenge.request, { authType, username }));
    if (!ch) throw new IpmiTimeoutError(`no response from ${this.where} (Get Session Challenge timed out)`);
    if (ch.cc === 0x81) throw new IpmiAuthError('username', `invalid user name "${o.username}"`);
    if (ch.cc === 0x82) throw new IpmiAuthError('anonymous', 'null user name not enabled');
    if (ch.cc !== 0) throw new IpmiCompletionError(ch.cc, 0x06, 0x39, getSessionChallenge.name, getSessionChallenge.completionCodes);
    const { temporarySessionId, challenge } = decodeWith(getSessionChallenge.response, ch.data);

    this.authType = authType;
    this.sessionId = temporarySessionId;
    const initialOutbound = (randomBytes(4).readUInt32LE(0) | 1) >>> 0;
    const seq = this.nextRqSeq();
    const msg = this.message(0x06, 0x3a, encodeWith(activateSession.request, { authType, maxPrivilege: o.privilege, challenge, initialOutboundSequence: initialOutbound }), seq);
    const r = await this.exchange(
      () => encodeSession15({ authType, sequence: 0, sessionId: temporarySessionId, password16: this.password16 }, msg),
      (buf) => this.accept15(buf, 0x06, 0x3a, seq),
    );
    if (!r) throw new IpmiAuthError('password', `password verification timeout: ${this.where} did not answer Activate Session (wrong password?)`);
    if (r.cc === 0x86) throw new IpmiAuthError('privilege', 'requested privilege level exceeds the user or channel limit');
    if (r.cc !== 0) throw new IpmiCompletionError(r.cc, 0x06, 0x3a, activateSession.name, activateSession.completionCodes);
    const act = decodeWith(activateSession.response, r.data);
    this.sessionId = act.sessionId;
    this.authType = act.authType;
    this.outboundSeq = act.initialInboundSequence;
    this.active = true;
    this.privilege = 2;
    this.trace(1, `IPMI v1.5 session ${act.sessionId.toString(16)} open, auth type ${authType}`);
    await this.raisePrivilege();
  }

  private accept15(buf: Uint8Array, netFn: number, cmd: number, seq: number): RawResponse | undefined {
    const h = decodeRmcpHeader(buf);
    if (h.messageClass !== RmcpClass.Ipmi) return undefined;
    const p = decodeSession15(buf);
    if (p.sessionId !== this.sessionId) return undefined;
    // Replies carry the session's auth type. Any other (NONE above all: it needs no password
    // to forge) cannot come from the BMC we authenticated with.
    if (p.authType !== this.authType) {
      this.trace(2, `dropping reply with auth type ${p.authType} on an auth type ${this.authType} session`);
      return undefined;
    }
    if (p.authType !== AuthType.None) {
      const expected = authCode15(p.authType, this.password16, p.sessionId, p.message, p.sequence)!;
      if (!safeEqual(expected, p.authCode!)) {
        this.trace(2, 'dropping reply with a bad AuthCode');
        return undefined;
      }
    }
    const m = decodeIpmb(p.message);
    return this.matches(m, netFn, cmd, seq) ? { cc: m.data[0] ?? 0xff, data: m.data.subarray(1) } : undefined;
  }

  // ---- RMCP+ ---------------------------------------------------------------------------------

  private async chooseSuite(): Promise<CipherSuite> {
    const o = this.options;
    if (o.cipherSuite !== undefined) {
      const s = cipherSuiteById(o.cipherSuite);
      if (!s) throw new IpmiCipherSuiteError(`cipher suite ${o.cipherSuite} is not supported by this client (supported: 0-3, 6-8, 11, 12, 15-17)`);
      return s;
    }
    // Ask the BMC (quickly: some never answer before a session) and prefer 17, then 3.
    // Records span the 16-byte chunks, so collect them all before decoding.
    const chunks: Uint8Array[] = [];
    for (let index = 0; index < 64; index++) {
      const req = encodeWith(getChannelCipherSuites.request, { channel: 0x0e, payloadType: 0, listBySuite: true, listIndex: index });
      const r = await this.sessionlessPlus(0x06, 0x54, req, 1);
      if (!r || r.cc !== 0) break;
      const part = decodeWith(getChannelCipherSuites.response, r.data).data;
      chunks.push(part);
      if (part.length < 16) break;
    }
    const ids = decodeCipherSuiteRecords(concat(chunks)).map((s) => s.id);
    this.trace(1, `BMC cipher suites: ${ids.join(',') || '(not reported)'}`);
    for (const id of [17, 3]) if (ids.includes(id)) return cipherSuiteById(id)!;
    const usable = ids.map((id) => cipherSuiteById(id)).find((s) => s && s.id !== 0);
    return usable ?? cipherSuiteById(3)!;
  }

  private async openRmcpPlus(): Promise<void> {
    this.version = '2.0';
    const o = this.options;
    const caps = await this.authCaps(true);
    if (!(caps.authTypeSupport & 0x80) || !(caps.extendedCapabilities & 0x02)) {
      throw new IpmiSessionError(`${this.where} does not support IPMI v2.0 / RMCP+ (try -I lan)`);
    }
    const suite = await this.chooseSuite();
    const username = asciiBytes(o.username);
    if (username.length > 16) throw new IpmiSessionError('username is longer than 16 bytes');
    const password = asciiBytes(o.password);
    if (password.length > 20) throw new IpmiSessionError('password is longer than 20 bytes');
    const kuid = padPassword(password, 20);

    do this.consoleSessionId = randomBytes(4).readUInt32LE(0);
    while (this.consoleSessionId === 0);
    const tag = 0;
    const open = await this.exchange(
      () =>
        encodeRmcpPlus({
          payloadType: PayloadType.OpenSessionRequest,
          sessionId: 0,
          sequence: 0,
          payload: encodeOpenSessionRequest({
            messageTag: tag,
            requestedMaxPrivilege: o.privilege,
            consoleSessionId: this.consoleSessionId,
            authAlgorithm: suite.auth,
            integrityAlgorithm: suite.integrity,
            confidentialityAlgorithm: suite.confidentiality,
          }),
        }),
      (buf) => this.acceptPayload(buf, PayloadType.OpenSessionResponse, decodeOpenSessionResponse),
    );
    if (!open) throw new IpmiTimeoutError(`no response from ${this.where} (Open Session timed out)`);
    if (open.status !== 0) {
      const why = rmcpPlusStatusNames[open.status] ?? `status 0x${open.status.toString(16)}`;
      if (
        open.status === RmcpPlusStatus.InvalidAuthAlgorithm ||
        open.status === RmcpPlusStatus.InvalidIntegrityAlgorithm ||
        open.status === RmcpPlusStatus.InvalidConfidentialityAlgorithm ||
        open.status === RmcpPlusStatus.NoCipherSuiteMatch
      ) {
        throw new IpmiCipherSuiteError(`cipher suite ${suite.id} unavailable: ${why}`);
      }
      if (open.status === RmcpPlusStatus.UnauthorizedRole || open.status === RmcpPlusStatus.InvalidRole) throw new IpmiAuthError('privilege', `privilege level cannot be obtained: ${why}`);
      throw new IpmiSessionError(`Open Session failed: ${why}`, open.status);
    }
    // ipmi_sim echoes 0 instead of the granted level; only a lower non-zero level is a refusal.
    if (open.maxPrivilege !== 0 && open.maxPrivilege < o.privilege) throw new IpmiAuthError('privilege', 'privilege level cannot be obtained for this user');
    const bmcSessionId = open.bmcSessionId;

    const role = (o.privilegeLookup ? 0 : 0x10) | o.privilege;
    const consoleRandom = new Uint8Array(randomBytes(16));
    const rakp2 = await this.exchange(
      () =>
        encodeRmcpPlus({
          payloadType: PayloadType.Rakp1,
          sessionId: 0,
          sequence: 0,
          payload: encodeRakp1({ messageTag: tag, bmcSessionId, consoleRandom, role, username }),
        }),
      (buf) => this.acceptPayload(buf, PayloadType.Rakp2, decodeRakp2),
    );
    if (!rakp2) throw new IpmiTimeoutError(`no response from ${this.where} (RAKP 1 timed out)`);
    if (rakp2.status !== 0) {
      const why = rmcpPlusStatusNames[rakp2.status] ?? `status 0x${rakp2.status.toString(16)}`;
      if (rakp2.status === RmcpPlusStatus.UnauthorizedName) throw new IpmiAuthError('username', `username invalid: ${why}`);
      if (rakp2.status === RmcpPlusStatus.UnauthorizedRole || rakp2.status === RmcpPlusStatus.InvalidRole) throw new IpmiAuthError('privilege', `privilege level cannot be obtained for this user: ${why}`);
      throw new IpmiSessionError(`RAKP 2 error: ${why}`, rakp2.status);
    }
    const inputs: RakpInputs = {
      consoleSessionId: this.consoleSessionId,
      bmcSessionId,
      consoleRandom,
      bmcRandom: rakp2.bmcRandom,
      bmcGuid: rakp2.bmcGuid,
      role,
      username,
    };
    if (suite.auth !== AuthAlg.None) {
      const expected = rakp2AuthCode(suite.auth, kuid, inputs);
      if (!safeEqual(expected, rakp2.authCode.subarray(0, authCodeLength(suite.auth))) || rakp2.authCode.length < authCodeLength(suite.auth)) {
        // Tell the BMC (RAKP 3 with an error status) so it can free the slot at once.
        this.link.send(
          encodeRmcpPlus({
            payloadType: PayloadType.Rakp3,
            sessionId: 0,
            sequence: 0,
            payload: encodeRakp3({ messageTag: tag, status: RmcpPlusStatus.InvalidIntegrityCheckValue, bmcSessionId, authCode: EMPTY }),
          }),
        );
        throw new IpmiAuthError('password', 'password invalid (RAKP 2 HMAC check failed)');
      }
    }
    const rakp3Code = suite.auth === AuthAlg.None ? EMPTY : rakp3AuthCode(suite.auth, kuid, inputs);
    const rakp4 = await this.exchange(
      () =>
        encodeRmcpPlus({
          payloadType: PayloadType.Rakp3,
          sessionId: 0,
          sequence: 0,
          payload: encodeRakp3({ messageTag: tag, status: 0, bmcSessionId, authCode: rakp3Code }),
        }),
      (buf) => this.acceptPayload(buf, PayloadType.Rakp4, decodeRakp4),
    );
    if (!rakp4) throw new IpmiTimeoutError(`no response from ${this.where} (RAKP 3 timed out)`);
    if (rakp4.status !== 0) {
      const why = rmcpPlusStatusNames[rakp4.status] ?? `status 0x${rakp4.status.toString(16)}`;
      if (rakp4.status === RmcpPlusStatus.InvalidIntegrityCheckValue) throw new IpmiAuthError('password', `password invalid: ${why}`);
      throw new IpmiSessionError(`RAKP 4 error: ${why}`, rakp4.status);
    }
    if (suite.auth !== AuthAlg.None) {
      const kg = o.kg && o.kg.some((b) => b !== 0) ? padPassword(o.kg, 20) : kuid;
      const sik = sessionIntegrityKey(suite.auth, kg, inputs);
      const icv = rakp4Icv(suite.auth, sik, inputs);
      if (!safeEqual(icv, rakp4.integrityCheckValue.subarray(0, icv.length))) {
        throw new IpmiAuthError('k_g', 'RAKP 4 integrity check failed (wrong K_G BMC key?)');
      }
      this.keys = { integrity: suite.integrity, confidentiality: suite.confidentiality, k1: deriveK1(suite.auth, sik), k2: deriveK2(suite.auth, sik), kuid20: kuid };
    } else {
      this.keys = { integrity: 0, confidentiality: 0, k1: EMPTY, k2: EMPTY, kuid20: kuid };
    }
    this.sessionId = bmcSessionId;
    this.suite = suite;
    this.active = true;
    this.privilege = Math.min(2, o.privilege);
    this.outboundSeq = 0;
    this.trace(1, `RMCP+ session ${bmcSessionId.toString(16)} open with cipher suite ${suite.id}`);
    await this.raisePrivilege();
  }

  private acceptPayload<T>(buf: Uint8Array, payloadType: number, decode: (p: Uint8Array) => T): T | undefined {
    if ((buf[4]! & 0x0f) !== AuthType.RmcpPlus) return undefined;
    const h = decodeRmcpPlusHeader(buf);
    if (h.payloadType !== payloadType) return undefined;
    const p = decode(buf.subarray(h.payloadStart, h.payloadStart + h.payloadLength));
    // Every session-setup reply carries our console session ID; anything else is not for us.
    const sid = (p as { consoleSessionId?: number }).consoleSessionId;
    if (sid !== undefined && sid !== 0 && sid !== this.consoleSessionId) return undefined;
    return p;
  }

  private async raisePrivilege(): Promise<void> {
    const want = this.options.privilege;
    if (want <= 2) return;
    const r = await this.request(0x06, 0x3b, encodeWith(setSessionPrivilegeLevel.request, { privilege: want }));
    if (r.cc === 0x80 || r.cc === 0x81) {
      await this.close();
      throw new IpmiAuthError('privilege', `privilege level ${want} cannot be obtained for this user`);
    }
    if (r.cc !== 0) {
      await this.close();
      throw new IpmiCompletionError(r.cc, 0x06, 0x3b, setSessionPrivilegeLevel.name, setSessionPrivilegeLevel.completionCodes);
    }
    this.privilege = want;
  }

  // ---- requests --------------------------------------------------------------------------

  /** Sends one request in the session and returns the completion code and data. */
  async request(netFn: number, cmd: number, data: Uint8Array = EMPTY, lun = 0): Promise<RawResponse> {
    if (!this.active) throw new IpmiSessionError('no active session');
    const seq = this.nextRqSeq();
    const msg = this.message(netFn, cmd, data, seq, lun);
    const r = await this.exchange(
      () => this.wrap(msg),
      (buf) => (this.version === '1.5' ? this.accept15(buf, netFn, cmd, seq) : this.acceptPlus(buf, netFn, cmd, seq)),
    );
    if (!r) throw new IpmiTimeoutError(`no response from ${this.where} to netfn 0x${netFn.toString(16)} cmd 0x${cmd.toString(16)}`);
    return { cc: r.cc, data: r.data.slice() };
  }

  /** Typed request through a command spec; throws IpmiCompletionError on a non-zero code. */
  async invoke<Req, Res>(spec: CommandSpec<Req, Res>, req: Req): Promise<Res> {
    const r = await this.request(spec.netFn, spec.cmd, encodeWith(spec.request, req));
    if (r.cc !== 0) throw new IpmiCompletionError(r.cc, spec.netFn, spec.cmd, spec.name, spec.completionCodes);
    return decodeWith(spec.response, r.data);
  }

  private wrap(msg: Uint8Array): Uint8Array {
    if (this.version === '1.5') {
      const seq = this.outboundSeq;
      this.outboundSeq = (this.outboundSeq + 1) >>> 0;
      return encodeSession15({ authType: this.authType, sequence: seq, sessionId: this.sessionId, password16: this.password16 }, msg);
    }
    this.outboundSeq = nextSequence(this.outboundSeq);
    const iv = this.keys!.confidentiality ? new Uint8Array(randomBytes(16)) : undefined;
    return encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: this.sessionId, sequence: this.outboundSeq, payload: msg }, this.keys, iv);
  }

  private acceptPlus(buf: Uint8Array, netFn: number, cmd: number, seq: number): RawResponse | undefined {
    if ((buf[4]! & 0x0f) !== AuthType.RmcpPlus) return undefined;
    const h = decodeRmcpPlusHeader(buf);
    if (h.payloadType !== PayloadType.Ipmi || h.sessionId !== this.consoleSessionId) return undefined;
    const keys = this.keys!;
    if (keys.integrity !== 0 && !verifyRmcpPlusIntegrity(buf, h, keys)) {
      this.trace(2, 'dropping reply with a bad integrity code');
      return undefined;
    }
    const payload = rmcpPlusPayload(buf, h, keys);
    if (!payload) return undefined;
    const m = decodeIpmb(payload);
    return this.matches(m, netFn, cmd, seq) ? { cc: m.data[0] ?? 0xff, data: m.data.subarray(1) } : undefined;
  }

  /** Closes the session (one attempt, errors ignored) and the socket. */
  async close(): Promise<void> {
    if (this.active) {
      this.active = false;
      const seq = this.nextRqSeq();
      const msg = this.message(0x06, closeSession.cmd, encodeWith(closeSession.request, { sessionId: this.sessionId }), seq);
      const pkt = this.wrap(msg);
      this.link.send(pkt);
      await this.link.receive(Math.min(500, this.options.timeoutSec * 1000), (buf) =>
        this.version === '1.5' ? this.accept15(buf, 0x06, closeSession.cmd, seq) : this.acceptPlus(buf, 0x06, closeSession.cmd, seq),
      );
    }
    this.link.close();
  }
}
