// The BMC's session table: bounded slots, random non-zero session IDs, per-session privilege,
// replay windows and an idle timeout (IPMI v2.0 §6.12.15: 60 s by default). It holds the
// state the LAN channel needs; the cryptography itself lives in protocol/.

import type { SessionCryptoKeys } from '../protocol/rmcpplus.js';
import type { CipherSuite } from '../protocol/crypto.js';
import { SequenceWindow } from '../protocol/seq-window.js';
import type { Clock } from './clock.js';
import { randomU32, type Rng } from './rng.js';
import type { PayloadLink } from './sol/sol.js';

export interface RemoteAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export type SessionState = 'opening' | 'active';

export interface Session {
  /** The BMC's session ID (SIDc), never 0. */
  readonly id: number;
  /** Session handle 1..slots, as Get Session Info reports it. */
  readonly handle: number;
  readonly version: '1.5' | '2.0';
  readonly channel: number;
  state: SessionState;
  userId: number;
  username: string;
  privilege: number;
  maxPrivilege: number;
  remote: RemoteAddress;
  lastActivity: number;
  openedAt: number;
  /** Set by Close Session: the transport sends the reply, then drops the session. */
  closeAfterReply: boolean;

  // IPMI v1.5
  authType: number;
  password16?: Uint8Array;
  inboundWindow?: SequenceWindow;
  /** What Activate Session told the console to start with (repeated on retransmits). */
  initialInboundSequence: number;
  outboundSequence: number;

  // RMCP+
  consoleSessionId: number;
  suite?: CipherSuite;
  keys?: SessionCryptoKeys;
  /** Separate windows for authenticated and unauthenticated in-session packets (§13.28.2). */
  authWindow?: SequenceWindow;
  unauthWindow?: SequenceWindow;
  unauthOutboundSequence: number;
  /** How payloads other than IPMI (SOL) reach this session's console; RMCP+ sessions only. */
  payloadLink?: PayloadLink;
  rakp?: {
    consoleRandom: Uint8Array;
    bmcRandom: Uint8Array;
    role: number;
    username: Uint8Array;
    kuid: Uint8Array;
  };
}

export interface SessionLimits {
  maxSessions: number;
  idleTimeoutMs: number;
  /** Sessions stuck between Open Session and RAKP 3 are reaped sooner. */
  openingTimeoutMs: number;
}

export type CloseReason = 'closed' | 'timeout' | 'replaced' | 'failed' | 'reset';

export class SessionTable {
  private readonly sessions = new Map<number, Session>();
  private readonly limits: SessionLimits;
  private readonly clock: Clock;
  private readonly rng: Rng;
  /** Called when a session goes away, for logging. */
  onClose: (s: Session, reason: CloseReason) => void = () => {};

  constructor(limits: SessionLimits, clock: Clock, rng: Rng) {
    this.limits = limits;
    this.clock = clock;
    this.rng = rng;
  }

  get slotCount(): number {
    return this.limits.maxSessions;
  }

  get activeCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.state === 'active') n++;
    return n;
  }

  /**
   * Allocates a slot, or returns undefined when every slot is taken by an active session (after
   * reaping idle ones). A half-open session costs an attacker one unauthenticated datagram, so
   * rather than letting them hold every slot until they time out, the least recently active
   * half-open session gives way to the new one.
   */
  open(init: { version: '1.5' | '2.0'; channel: number; remote: RemoteAddress; consoleSessionId?: number; id?: number }): Session | undefined {
    this.reap();
    if (this.sessions.size >= this.limits.maxSessions) {
      let oldest: Session | undefined;
      for (const s of this.sessions.values()) if (s.state === 'opening' && (!oldest || s.lastActivity < oldest.lastActivity)) oldest = s;
      if (!oldest) return undefined;
      this.close(oldest.id, 'replaced');
    }
    let id = init.id !== undefined && init.id !== 0 && !this.sessions.has(init.id) ? init.id : 0;
    while (id === 0 || this.sessions.has(id)) id = randomU32(this.rng);
    const used = new Set([...this.sessions.values()].map((s) => s.handle));
    let handle = 1;
    while (used.has(handle)) handle++;
    const now = this.clock.now();
    const s: Session = {
      id,
      handle,
      version: init.version,
      channel: init.channel,
      state: 'opening',
      userId: 0,
      username: '',
      privilege: 0,
      maxPrivilege: 0,
      remote: init.remote,
      lastActivity: now,
      openedAt: now,
      closeAfterReply: false,
      authType: 0,
      initialInboundSequence: 0,
      outboundSequence: 0,
      consoleSessionId: init.consoleSessionId ?? 0,
      unauthOutboundSequence: 0,
    };
    this.sessions.set(id, s);
    return s;
  }

  get(id: number): Session | undefined {
    const s = this.sessions.get(id);
    if (s && this.expired(s, this.clock.now())) {
      this.close(s.id, 'timeout');
      return undefined;
    }
    return s;
  }

  byHandle(handle: number): Session | undefined {
    for (const s of this.sessions.values()) if (s.handle === handle) return s;
    return undefined;
  }

  /** Active sessions in handle order (Get Session Info's "Nth active session"). */
  active(): Session[] {
    return [...this.sessions.values()].filter((s) => s.state === 'active').sort((a, b) => a.handle - b.handle);
  }

  touch(s: Session): void {
    s.lastActivity = this.clock.now();
  }

  close(id: number, reason: CloseReason): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    this.onClose(s, reason);
    return true;
  }

  closeAll(reason: CloseReason): void {
    for (const id of [...this.sessions.keys()]) this.close(id, reason);
  }

  private expired(s: Session, now: number): boolean {
    const limit = s.state === 'active' ? this.limits.idleTimeoutMs : this.limits.openingTimeoutMs;
    return now - s.lastActivity > limit;
  }

  /** Drops idle sessions; called on allocation and periodically by the server. */
  reap(): void {
    const now = this.clock.now();
    for (const s of [...this.sessions.values()]) if (this.expired(s, now)) this.close(s.id, 'timeout');
  }
}
