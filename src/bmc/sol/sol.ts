// The SOL payload (IPMI v2.0 §15, §24; sol.md): activation and ownership of the SOL instances,
// and per activation the packet state machine between a console and the system's serial port.
// Pure: the LAN channel hands in the console's SOL payloads and gives each session a
// PayloadLink to send on; the serial side is a HostConsole; time comes from the BMC's clock.
//
// Instance 1 is the live console. Instance 2 (when a history ring exists) replays the ring
// then an end marker, as OpenIPMI's ipmi_sim does (sol.md §6.6). Decisions that real consoles
// depend on (sol.md §0): every console data packet is accepted whole and ACKed at once (no
// partial ACK works for both ipmitool and pyghmi); a repeated sequence number is a duplicate
// (re-ACKed, not written again); the BMC keeps one data packet outstanding and resends it with
// the same SOL sequence number; after a partial ACK the rest goes under a new number; a
// session that loses its instance to another gets one "deactivating" status packet and is
// ignored from then on.

import { CC } from '../../protocol/completion-codes.js';
import { decodeSol, encodeSol, nextSolSequence, SolOperation, SolStatus, SOL_HEADER_LENGTH, SOL_MAX_CHARACTERS, type SolPacket } from '../../protocol/sol.js';
import type { ActivatePayloadResponse, PayloadActivationRequest, PayloadActivationStatus, PayloadInstanceInfo } from '../../ipmi/commands/payload.js';
import { PayloadEnable, SolActivationAux } from '../../ipmi/commands/payload.js';
import { ConfAlg, IntegrityAlg } from '../../protocol/crypto.js';
import type { TimerHandle } from '../clock.js';
import { hexId, type BmcCore } from '../core.js';
import type { Session } from '../sessions.js';
import type { HostConsole } from './host-console.js';
import { SolParams } from './sol-params.js';

/** How the LAN channel lets the SOL engine talk to one session's console. */
export interface PayloadLink {
  /** Sends one SOL payload, protected as the session's cipher suite says (fresh session sequence). */
  send(payload: Uint8Array): void;
}

export const SOL_PAYLOAD_TYPE = 1;
/** Advertised inbound and outbound payload size, header included (OpenBMC and go-ipmi: 255). */
export const SOL_PAYLOAD_SIZE = 255;
const MAX_OUT_CHARACTERS = SOL_PAYLOAD_SIZE - SOL_HEADER_LENGTH;
/** pyghmi sends up to `inbound size` characters plus the header, so accept the protocol maximum. */
export const MAX_INBOUND_PAYLOAD = SOL_HEADER_LENGTH + SOL_MAX_CHARACTERS;
/** Console output queued for a slow or suspended SOL client; beyond it the oldest is dropped. */
const OUTBOUND_LIMIT = 64 * 1024;
/** After the configured retries, an unacknowledged packet is kept and resent at this pace. */
const PATIENT_RETRY_MS = 1000;
const END_OF_HISTORY = new TextEncoder().encode('\r\n<End Of History>\r\n');
const LIVE = 1;
const HISTORY = 2;
const EMPTY = new Uint8Array(0);

interface Outstanding {
  seq: number;
  data: Uint8Array;
  /** Absolute console offset of data[0] (live instance). */
  start: number;
  sends: number;
}

/** Console → system modem-control requests of the last console packet (recorded, not acted on). */
export interface SolModemState {
  ctsPaused: boolean;
  dcdDsrDropped: boolean;
  ringWor: boolean;
}

class SolInstance {
  readonly number: number;
  readonly owner: Session;
  private readonly sol: Sol;
  private readonly link: PayloadLink;
  private chunks: Uint8Array[] = [];
  private queued = 0;
  /** Absolute console offset of the first queued byte. */
  private queuedStart = 0;
  /** When the queue last went from empty to non-empty (the accumulate interval counts from it). */
  private queuedSince = 0;
  private outstanding: Outstanding | undefined;
  private txSeq = 0;
  private lastRxSeq = 0;
  private lastRxAccepted = 0;
  private overrun = false;
  private suspended = false;
  private stopped = false;
  private accumulateTimer: TimerHandle | undefined;
  private retryTimer: TimerHandle | undefined;
  private unsubscribe: (() => void) | undefined;
  readonly modem: SolModemState = { ctsPaused: false, dcdDsrDropped: false, ringWor: false };

  constructor(sol: Sol, number: number, owner: Session, link: PayloadLink) {
    this.sol = sol;
    this.number = number;
    this.owner = owner;
    this.link = link;
  }

  /** Runs after the Activate Payload response went out, so no SOL packet precedes it. */
  start(from: number): void {
    if (this.stopped) return;
    const console = this.sol.console;
    if (this.number === HISTORY) {
      const ring = console ? console.since(0) : { data: EMPTY, start: 0, end: 0 };
      this.enqueue(ring.data, ring.start);
      this.enqueue(END_OF_HISTORY, ring.end);
    } else if (console) {
      const replay = console.since(from);
      this.enqueue(replay.data, replay.start);
      this.unsubscribe = console.subscribe({
        output: (data, end) => this.output(data, end),
        // Tell the console at once that typing cannot reach the system (or can again).
        availability: () => this.pump(),
      });
    }
    this.pump();
  }

  private output(data: Uint8Array, end: number): void {
    this.enqueue(data, end - data.length);
    this.pump();
  }

  private enqueue(data: Uint8Array, start: number): void {
    if (data.length === 0) return;
    if (this.queued === 0) {
      this.queuedStart = start;
      this.queuedSince = this.sol.bmc.clock.now();
    }
    this.chunks.push(data);
    this.queued += data.length;
    if (this.queued > OUTBOUND_LIMIT) {
      this.take(this.queued - OUTBOUND_LIMIT);
      this.overrun = true;
      this.sol.noteOverrun();
    }
  }

  /** Removes and returns up to n queued bytes from the front. */
  private take(n: number): Uint8Array {
    n = Math.min(n, this.queued);
    const first = this.chunks[0];
    let out: Uint8Array;
    if (first && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = new Uint8Array(n);
      let o = 0;
      while (o < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - o);
        out.set(c.subarray(0, k), o);
        o += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.queued -= n;
    this.queuedStart += n;
    return out;
  }

  private unshift(data: Uint8Array, start: number): void {
    if (data.length === 0) return;
    // These characters waited already: the rest of a partly accepted packet goes at once.
    this.queuedSince = 0;
    this.chunks.unshift(data);
    this.queued += data.length;
    this.queuedStart = start;
  }

  private status(): number {
    if (this.number === HISTORY) return SolStatus.Nack; // history takes no input
    const console = this.sol.console;
    return (console?.available ? 0 : SolStatus.CharacterTransferUnavailable) | (this.overrun ? SolStatus.TransmitOverrun : 0);
  }

  private pump(): void {
    if (this.stopped || this.outstanding || this.suspended || this.queued === 0) return;
    const params = this.sol.params;
    const waited = this.sol.bmc.clock.now() - this.queuedSince;
    if (this.number === HISTORY || this.queued >= Math.max(1, params.sendThreshold) || waited >= params.accumulateMs) {
      this.cancelAccumulate();
      this.transmit();
    } else if (!this.accumulateTimer) {
      this.accumulateTimer = this.sol.bmc.clock.setTimer(params.accumulateMs - waited, () => {
        this.accumulateTimer = undefined;
        if (!this.outstanding && !this.suspended && !this.stopped && this.queued > 0) this.transmit();
      });
    }
  }

  private transmit(): void {
    const start = this.queuedStart;
    const data = this.take(MAX_OUT_CHARACTERS);
    this.txSeq = nextSolSequence(this.txSeq);
    this.outstanding = { seq: this.txSeq, data, start, sends: 0 };
    this.send(this.outstanding);
  }

  private send(o: Outstanding): void {
    const status = this.status();
    this.overrun = false;
    o.sends++;
    this.link.send(encodeSol({ sequence: o.seq, ackSequence: 0, acceptedCount: 0, flags: status, data: o.data }));
    const params = this.sol.params;
    const delay = o.sends <= params.retryCount ? Math.max(10, params.retryIntervalMs) : PATIENT_RETRY_MS;
    this.retryTimer?.cancel();
    this.retryTimer = this.sol.bmc.clock.setTimer(delay, () => {
      this.retryTimer = undefined;
      if (!this.stopped && this.outstanding === o && !this.suspended) this.send(o);
    });
  }

  receive(p: SolPacket): void {
    if (this.stopped) return;
    if (p.ackSequence !== 0 && this.outstanding && p.ackSequence === this.outstanding.seq) this.acknowledged(p);
    if (p.sequence !== 0) this.consoleData(p);
  }

  private acknowledged(p: SolPacket): void {
    const o = this.outstanding!;
    const nack = (p.flags & SolOperation.Nack) !== 0;
    // "NACK, 0 accepted" for a packet with characters: the console cannot take data now
    // (Table 15-3); wait for a later ACK. FreeIPMI sends exactly that to ACK an empty packet.
    if (nack && p.acceptedCount === 0 && o.data.length > 0) {
      this.suspended = true;
      this.retryTimer?.cancel();
      this.retryTimer = undefined;
      return;
    }
    const accepted = Math.min(p.acceptedCount, o.data.length);
    this.outstanding = undefined;
    this.suspended = false;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    if (this.number === LIVE) this.sol.delivered = Math.max(this.sol.delivered, o.start + accepted);
    // The rest goes again under a new sequence number: ipmitool prints only bytes beyond what a
    // repeated number already carried.
    this.unshift(o.data.subarray(accepted), o.start + accepted);
    this.pump();
  }

  private consoleData(p: SolPacket): void {
    if (p.sequence === this.lastRxSeq) {
      // A retransmission (its ACK was lost): acknowledge again, do not write twice.
      this.ack(p.sequence, this.lastRxAccepted);
      return;
    }
    this.lastRxSeq = p.sequence;
    if (this.number === HISTORY) {
      this.lastRxAccepted = 0;
      this.ack(p.sequence, 0);
      return;
    }
    const console = this.sol.console;
    const op = p.flags;
    if (op & SolOperation.FlushOutbound) this.flushOutbound();
    if (op & SolOperation.FlushInbound) console?.flushInput();
    this.modem.ctsPaused = (op & SolOperation.CtsPause) !== 0;
    this.modem.dcdDsrDropped = (op & SolOperation.DropDcdDsr) !== 0;
    this.modem.ringWor = (op & SolOperation.RingWor) !== 0;
    // Characters first, then the break, in the order the console meant them.
    if (p.data.length > 0 && console?.available) this.sol.toSystem(p.data);
    if (op & SolOperation.Break) {
      if (console?.available) console.sendBreak();
      this.sol.bmc.log.info('SOL break sent to the system', { session: hexId(this.owner.id) });
    }
    // Accepted whole even when the system cannot take it (it is then discarded, and the ACK
    // says "character transfer unavailable" without NACK, so pyghmi does not resend forever).
    this.lastRxAccepted = p.data.length;
    this.ack(p.sequence, p.data.length);
  }

  private ack(seq: number, count: number): void {
    const flags = this.number === HISTORY ? SolStatus.Nack : this.sol.console?.available ? 0 : SolStatus.CharacterTransferUnavailable;
    this.link.send(encodeSol({ sequence: 0, ackSequence: seq, acceptedCount: count, flags, data: EMPTY }));
  }

  private flushOutbound(): void {
    this.chunks = [];
    this.queuedStart += this.queued;
    this.queued = 0;
    this.outstanding = undefined;
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.cancelAccumulate();
  }

  private cancelAccumulate(): void {
    this.accumulateTimer?.cancel();
    this.accumulateTimer = undefined;
  }

  /** Ends the activation; `notify` sends the console one "SOL deactivating" status packet. */
  stop(notify: boolean): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.retryTimer?.cancel();
    this.cancelAccumulate();
    if (notify) this.link.send(encodeSol({ sequence: 0, ackSequence: 0, acceptedCount: 0, flags: SolStatus.Deactivating | SolStatus.Nack, data: EMPTY }));
  }
}

export interface SolCounters {
  activations: number;
  packetsIn: number;
  bytesToSystem: number;
  /** Output dropped because a SOL client did not keep up (OUTBOUND_LIMIT). */
  overruns: number;
}

export class Sol {
  readonly bmc: BmcCore;
  readonly params: SolParams;
  console: HostConsole | undefined;
  /** Console output up to this absolute offset was acknowledged by a SOL client (replay "unseen"). */
  delivered = 0;
  readonly counters: SolCounters = { activations: 0, packetsIn: 0, bytesToSystem: 0, overruns: 0 };
  private readonly active = new Map<number, SolInstance>();
  /** Sessions whose instance another session took over: their SOL packets are ignored. */
  private readonly displaced = new WeakSet<Session>();

  constructor(bmc: BmcCore, console?: HostConsole) {
    this.bmc = bmc;
    this.params = new SolParams(bmc);
    this.console = console;
  }

  /** 1 live console, plus the history instance when output is kept. */
  get capacity(): number {
    return this.bmc.config.sol.historySize > 0 ? 2 : 1;
  }

  owner(instance: number): Session | undefined {
    return this.active.get(instance)?.owner;
  }

  instanceOf(s: Session): SolInstance | undefined {
    for (const inst of this.active.values()) if (inst.owner === s) return inst;
    return undefined;
  }

  activate(req: PayloadActivationRequest, session: Session | undefined, privilege: number): ActivatePayloadResponse | { cc: number } {
    if (req.payloadType !== SOL_PAYLOAD_TYPE) return { cc: CC.InvalidDataField };
    if (req.instance < 1 || req.instance > this.capacity) return { cc: CC.InvalidDataField };
    if (!session || !session.payloadLink || !session.keys) return { cc: CC.NotSupportedInPresentState };
    const p = this.params;
    if (!p.enabled) return { cc: 0x81 };
    const user = this.bmc.users.get(session.userId);
    if (!user || !(this.bmc.users.access(user, session.channel).payloads & PayloadEnable.Sol)) return { cc: 0x81 };
    if (privilege < p.privilege) return { cc: CC.InsufficientPrivilege };
    // The console's encrypt/authenticate bits are a request, not a condition: ipmitool always
    // sends them, even with suite 0 (sol.md §1.10). Only forced protection can refuse.
    const canEncrypt = session.keys.confidentiality !== ConfAlg.None;
    const canAuthenticate = session.keys.integrity !== IntegrityAlg.None;
    if (p.forceEncryption && (!canEncrypt || !(req.aux & SolActivationAux.Encrypt))) return { cc: 0x84 };
    if (p.forceAuthentication && (!canAuthenticate || !(req.aux & SolActivationAux.Authenticate))) return { cc: 0x84 };
    if (this.active.has(req.instance)) return { cc: 0x80 };
    if (this.instanceOf(session)) return { cc: 0x82 };
    const inst = new SolInstance(this, req.instance, session, session.payloadLink);
    this.active.set(req.instance, inst);
    this.displaced.delete(session);
    this.counters.activations++;
    const console = this.console;
    const replay = this.bmc.config.sol.replay;
    const from = !console ? 0 : replay === 'all' ? 0 : replay === 'none' ? console.end : this.delivered;
    this.bmc.clock.setTimer(0, () => inst.start(from));
    this.bmc.log.info('SOL activated', { session: hexId(session.id), user: session.username, instance: req.instance });
    return { aux: 0, inboundSize: SOL_PAYLOAD_SIZE, outboundSize: SOL_PAYLOAD_SIZE, port: p.port, vlan: 0xffff };
  }

  /** Deactivate Payload: the owner, or another session at the SOL privilege (a takeover). */
  deactivate(req: PayloadActivationRequest, session: Session | undefined, privilege: number): { cc: number } | undefined {
    if (req.payloadType !== SOL_PAYLOAD_TYPE) return { cc: CC.InvalidDataField };
    if (req.instance < 1 || req.instance > this.capacity) return { cc: CC.InvalidDataField };
    if (!this.params.enabled && !this.active.has(req.instance)) return { cc: 0x81 };
    const inst = this.active.get(req.instance);
    if (!inst) return { cc: 0x80 };
    const foreign = inst.owner !== session;
    if (foreign && privilege < this.params.privilege) return { cc: CC.InsufficientPrivilege };
    this.end(inst, foreign ? 'taken over' : 'deactivated', foreign);
    return undefined;
  }

  private end(inst: SolInstance, reason: string, notify: boolean): void {
    this.active.delete(inst.number);
    inst.stop(notify);
    if (notify) this.displaced.add(inst.owner);
    this.bmc.log.info('SOL deactivated', { session: hexId(inst.owner.id), instance: inst.number, reason });
  }

  status(): PayloadActivationStatus {
    let bits = 0;
    for (const n of this.active.keys()) bits |= 1 << (n - 1);
    return { capacity: this.capacity, activeInstances: bits };
  }

  instanceInfo(instance: number): PayloadInstanceInfo | { cc: number } {
    if (instance < 1 || instance > this.capacity) return { cc: CC.InvalidDataField };
    const owner = this.owner(instance);
    const payloadData = new Uint8Array(8);
    if (owner) payloadData[0] = 1; // system serial port 1
    return { sessionId: owner?.id ?? 0, payloadData };
  }

  /**
   * A SOL payload from a console (already authenticated and decrypted by the channel). Returns
   * why it was dropped, or undefined when it was taken.
   */
  receive(session: Session, payload: Uint8Array): string | undefined {
    if (payload.length > MAX_INBOUND_PAYLOAD) return `SOL payload of ${payload.length} bytes`;
    const p = decodeSol(payload);
    const inst = this.instanceOf(session);
    if (!inst) return this.displaced.has(session) ? 'SOL packet from a session whose SOL was taken over' : 'SOL packet without an active SOL instance';
    this.counters.packetsIn++;
    inst.receive(p);
    return undefined;
  }

  /** Console → system characters, counted. */
  toSystem(data: Uint8Array): void {
    this.counters.bytesToSystem += data.length;
    this.console!.write(data);
  }

  noteOverrun(): void {
    this.counters.overruns++;
  }

  /** The owning session closed or timed out: its instance goes with it. */
  sessionClosed(s: Session): void {
    const inst = this.instanceOf(s);
    if (inst) this.end(inst, 'session closed', false);
    this.displaced.delete(s);
  }

  /** BMC shutdown: every console is told SOL is going away. */
  shutdown(): void {
    for (const inst of [...this.active.values()]) this.end(inst, 'BMC shutting down', true);
  }
}

