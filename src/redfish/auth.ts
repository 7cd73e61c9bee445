// Who is asking: HTTP Basic or a Redfish session (X-Auth-Token), checked against the BMC's own
// IPMI users. A user's Redfish role follows their IPMI privilege limit on the LAN channel (capped
// by the channel's limit, as an IPMI session would be), the mapping OpenBMC uses:
//   ADMINISTRATOR → Administrator, OPERATOR → Operator, USER → ReadOnly,
//   CALLBACK, OEM or no access → NoAccess (cannot log in).
// Privileges per role are those of the Redfish predefined roles (DSP0266 §13.2, Privileges.json).

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { BmcCore } from '../bmc/core.js';
import type { Clock, TimerHandle } from '../bmc/clock.js';
import { NO_ACCESS, type User } from '../bmc/users.js';
import { RedfishError } from './errors.js';

export type RoleId = 'Administrator' | 'Operator' | 'ReadOnly' | 'NoAccess';
export type Privilege = 'Login' | 'ConfigureManager' | 'ConfigureUsers' | 'ConfigureSelf' | 'ConfigureComponents';

export const ROLE_PRIVILEGES: Readonly<Record<RoleId, readonly Privilege[]>> = {
  Administrator: ['Login', 'ConfigureManager', 'ConfigureUsers', 'ConfigureSelf', 'ConfigureComponents'],
  Operator: ['Login', 'ConfigureSelf', 'ConfigureComponents'],
  ReadOnly: ['Login', 'ConfigureSelf'],
  NoAccess: [],
};
export const ROLE_IDS = Object.keys(ROLE_PRIVILEGES) as RoleId[];

/** IPMI privilege levels (IPMI v2.0 Table 6-1) of the roles, for writing a role back. */
export const ROLE_IPMI_PRIVILEGE: Readonly<Record<RoleId, number>> = { Administrator: 4, Operator: 3, ReadOnly: 2, NoAccess: NO_ACCESS };

export function roleOfPrivilege(privilege: number): RoleId {
  switch (privilege) {
    case 4:
      return 'Administrator';
    case 3:
      return 'Operator';
    case 2:
      return 'ReadOnly';
    default:
      return 'NoAccess';
  }
}

/** The user's role over Redfish: their effective privilege on the LAN channel. */
export function roleOf(bmc: BmcCore, user: User): RoleId {
  return roleOfPrivilege(bmc.userChannelLimit(user.id, bmc.config.lan.channel));
}

export interface RedfishSession {
  id: string;
  token: string;
  userId: number;
  username: string;
  createdAt: number;
  lastUsed: number;
  remote: string;
}

export interface Principal {
  userId: number;
  username: string;
  role: RoleId;
  /** Set when the request authenticated with X-Auth-Token. */
  session?: RedfishSession;
}

export function hasPrivilege(p: Principal, privilege: Privilege): boolean {
  return ROLE_PRIVILEGES[p.role].includes(privilege);
}

export function requirePrivilege(p: Principal, privilege: Privilege): void {
  if (!hasPrivilege(p, privilege)) throw new RedfishError(403, 'InsufficientPrivilege');
}

/** Constant-time comparison of a password with the stored one (both padded to IPMI's 20 bytes). */
function passwordMatches(stored: Uint8Array, given: string): boolean {
  const g = Buffer.from(given, 'latin1');
  if (g.length > 20) return false;
  const a = Buffer.alloc(20);
  const b = Buffer.alloc(20);
  a.set(stored.subarray(0, 20));
  b.set(g);
  // A password ending in NUL bytes would pad equal: compare the lengths too.
  return timingSafeEqual(a, b) && stored.length === g.length;
}

/** The enabled, named user with these credentials and a role that may log in, if any. */
export function checkCredentials(bmc: BmcCore, username: string, password: string): { user: User; role: RoleId } | undefined {
  if (username === '') return undefined;
  const user = bmc.users.all().find((u) => u.id !== 1 && u.enabled && u.name === username);
  if (!user || !passwordMatches(user.password, password)) return undefined;
  const role = roleOf(bmc, user);
  return role === 'NoAccess' ? undefined : { user, role };
}

export interface SessionLimits {
  maxSessions: number;
  /** Seconds of inactivity after which a session ends (SessionService.SessionTimeout). */
  timeoutSec: number;
}

/** Redfish sessions: bounded in number, ended by DELETE, inactivity, or their user's removal. */
export class RedfishSessions {
  private readonly byToken = new Map<string, RedfishSession>();
  private readonly clock: Clock;
  private nextId = 1;
  private reaper: TimerHandle | undefined;
  limits: SessionLimits;
  /** Called when a session ends (SSE streams opened with it close). */
  onClose: (s: RedfishSession, reason: string) => void = () => {};

  constructor(clock: Clock, limits: SessionLimits) {
    this.clock = clock;
    this.limits = limits;
  }

  all(): RedfishSession[] {
    this.expire();
    return [...this.byToken.values()];
  }

  byId(id: string): RedfishSession | undefined {
    return this.all().find((s) => s.id === id);
  }

  create(user: User, remote: string): RedfishSession {
    this.expire();
    if (this.byToken.size >= this.limits.maxSessions) throw new RedfishError(503, 'SessionLimitExceeded');
    const now = this.clock.now();
    const s: RedfishSession = { id: String(this.nextId++), token: randomBytes(24).toString('base64url'), userId: user.id, username: user.name, createdAt: now, lastUsed: now, remote };
    this.byToken.set(s.token, s);
    this.armReaper();
    return s;
  }

  /** The live session for a token; using it counts as activity. */
  use(token: string): RedfishSession | undefined {
    this.expire();
    const s = this.byToken.get(token);
    if (s) s.lastUsed = this.clock.now();
    return s;
  }

  close(s: RedfishSession, reason: string): void {
    if (!this.byToken.delete(s.token)) return;
    this.onClose(s, reason);
  }

  /** Ends every session of a user (deleted, disabled or renamed account). */
  closeUser(userId: number, reason: string): void {
    for (const s of [...this.byToken.values()]) if (s.userId === userId) this.close(s, reason);
  }

  closeAll(reason: string): void {
    for (const s of [...this.byToken.values()]) this.close(s, reason);
    this.reaper?.cancel();
    this.reaper = undefined;
  }

  private expire(): void {
    const cutoff = this.clock.now() - this.limits.timeoutSec * 1000;
    for (const s of [...this.byToken.values()]) if (s.lastUsed <= cutoff) this.close(s, 'timeout');
  }

  /** A timer while sessions exist, so that SSE streams of idle sessions close on time. */
  private armReaper(): void {
    if (this.reaper) return;
    this.reaper = this.clock.setTimer(10_000, () => {
      this.reaper = undefined;
      this.expire();
      if (this.byToken.size > 0) this.armReaper();
    });
  }
}
