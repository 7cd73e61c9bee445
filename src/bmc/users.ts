// The BMC's user table (IPMI v2.0 §22.26-22.30). User 1 is the fixed-name null user. Access
// (privilege limit, IPMI messaging, link auth, callback-only) is per channel.
//
// With a StateStore attached, every change is saved before it returns (and undone if the save
// fails), so a user change that a console saw acknowledged survives a crash. Passwords are
// stored as they are, because RAKP and the v1.5 auth codes need the key itself; the state
// directory is created 0700 and its files 0600.

import { asciiBytes, cstring } from '../protocol/bytes.js';
import type { Logger } from './log.js';
import { hexOf, type StateStore } from './store.js';
import { SavedReader } from './state/persist.js';

export interface ChannelUserAccess {
  privilegeLimit: number; // 1..5, 0x0F = no access
  ipmiMessaging: boolean;
  linkAuth: boolean;
  callbackOnly: boolean;
  sessionLimit: number; // 0 = channel limit
  /** Set/Get User Payload Access bytes as one number: standard 1 | standard 2 << 8 | OEM 1 << 16 | OEM 2 << 24. */
  payloads: number;
}

export interface User {
  id: number;
  name: string;
  /** Up to 20 bytes; stored unpadded. */
  password: Uint8Array;
  /** The password was set as a 20-byte password (Set User Password bit 7). */
  password20: boolean;
  enabled: boolean;
  access: Map<number, ChannelUserAccess>;
}

export interface UserConfig {
  id: number;
  name: string;
  password: string;
  privilege: number;
  enabled?: boolean;
  /** IPMI messaging allowed (default: unless the privilege is no access). */
  ipmiMessaging?: boolean;
  /** Channels the user may use; defaults to every channel the BMC has. */
  channels?: number[];
}

export const NO_ACCESS = 0x0f;

/** Standard payload 1 (SOL) allowed: configured users may use SOL unless an admin turns it off. */
const SOL_PAYLOAD = 0x02;

export function defaultAccess(privilegeLimit: number): ChannelUserAccess {
  return { privilegeLimit, ipmiMessaging: privilegeLimit !== NO_ACCESS, linkAuth: false, callbackOnly: false, sessionLimit: 0, payloads: privilegeLimit !== NO_ACCESS ? SOL_PAYLOAD : 0 };
}

export class UserStore {
  readonly maxUsers: number;
  private readonly users: (User | undefined)[];
  private readonly channels: readonly number[];
  private readonly unusedPrivilege: number;
  /** Called after every change so that persistence can save the table. */
  onChange: () => void = () => {};

  constructor(maxUsers: number, channels: readonly number[], unusedPrivilege = NO_ACCESS) {
    this.maxUsers = maxUsers;
    this.channels = channels;
    this.unusedPrivilege = unusedPrivilege;
    this.users = new Array(maxUsers + 1);
    for (let id = 1; id <= maxUsers; id++) this.users[id] = this.blank(id);
  }

  private blank(id: number): User {
    const access = new Map<number, ChannelUserAccess>();
    for (const ch of this.channels) access.set(ch, { ...defaultAccess(this.unusedPrivilege), ipmiMessaging: false });
    return { id, name: '', password: new Uint8Array(0), password20: false, enabled: false, access };
  }

  load(configs: readonly UserConfig[]): void {
    for (const c of configs) {
      const u = this.blank(c.id);
      u.name = c.name;
      u.password = asciiBytes(c.password);
      u.password20 = c.password.length > 16;
      u.enabled = c.enabled ?? true;
      for (const ch of c.channels ?? this.channels) u.access.set(ch, { ...defaultAccess(c.privilege), ...(c.ipmiMessaging === undefined ? {} : { ipmiMessaging: c.ipmiMessaging }) });
      this.users[c.id] = u;
    }
  }

  get(id: number): User | undefined {
    return id >= 1 && id <= this.maxUsers ? this.users[id] : undefined;
  }

  all(): User[] {
    return this.users.filter((u): u is User => u !== undefined);
  }

  /**
   * The first enabled user whose name matches, scanning from ID 1 (§22.16). An empty name
   * selects the null user (ID 1). With a privilege, username/privilege lookup also requires
   * that exact privilege limit on the channel (RMCP+ role lookup, §13.31).
   */
  findByName(name: Uint8Array, channel: number, privilege?: number): User | undefined {
    const wanted = cstring(name);
    for (let id = 1; id <= this.maxUsers; id++) {
      const u = this.users[id]!;
      if (!u.enabled) continue;
      if ((id === 1 ? '' : u.name) !== wanted) continue;
      if (id !== 1 && u.name === '') continue;
      if (privilege !== undefined && this.access(u, channel).privilegeLimit !== privilege) continue;
      return u;
    }
    return undefined;
  }

  access(u: User, channel: number): ChannelUserAccess {
    return u.access.get(channel) ?? { ...defaultAccess(NO_ACCESS), ipmiMessaging: false };
  }

  setAccess(id: number, channel: number, access: Partial<ChannelUserAccess>): void {
    this.mutate(id, (u) => u.access.set(channel, { ...this.access(u, channel), ...access }));
  }

  setName(id: number, name: string): void {
    this.mutate(id, (u) => (u.name = name));
  }

  setPassword(id: number, password: Uint8Array, size20: boolean): void {
    let end = password.indexOf(0);
    if (end < 0) end = password.length;
    this.mutate(id, (u) => {
      u.password = password.slice(0, end);
      u.password20 = size20;
    });
  }

  setEnabled(id: number, enabled: boolean): void {
    this.mutate(id, (u) => (u.enabled = enabled));
  }

  /** Changes one user, then saves; a failed save restores the user and rethrows. */
  private mutate(id: number, fn: (u: User) => void): void {
    const u = this.get(id);
    if (!u) return;
    const before = cloneUser(u);
    fn(u);
    try {
      this.onChange();
    } catch (e) {
      this.users[id] = before;
      throw e;
    }
  }

  enabledCount(): number {
    let n = 0;
    for (let id = 1; id <= this.maxUsers; id++) if (this.users[id]!.enabled) n++;
    return n;
  }

  // ---- persistence ------------------------------------------------------------------------

  /**
   * Loads the saved table if it was derived from the same config (`base` fingerprint), then
   * saves after every change. A table saved from a different config is dropped with a warning.
   */
  persistTo(store: StateStore, key: string, base: string, log: Logger): void {
    const saved = store.load(key);
    if (saved !== undefined) {
      // IDs up to 63 (the protocol's limit) parse: a config with fewer users is a config change.
      const parsed = parseSavedUsers(saved, key, 63);
      if (parsed.base !== base) log.warn('users in the config changed since the state was saved; using the config', { state: key });
      else for (const u of parsed.users) if (u.id <= this.maxUsers) this.users[u.id] = u;
    }
    this.onChange = () => store.save(key, this.toSaved(base));
  }

  private toSaved(base: string): unknown {
    return {
      version: 1,
      base,
      users: this.all().map((u) => ({
        id: u.id,
        name: u.name,
        password: hexOf(u.password),
        password20: u.password20,
        enabled: u.enabled,
        access: Object.fromEntries([...u.access].map(([ch, a]) => [String(ch), { ...a }])),
      })),
    };
  }
}

function cloneUser(u: User): User {
  return { ...u, password: u.password.slice(), access: new Map([...u.access].map(([ch, a]) => [ch, { ...a }])) };
}

function parseSavedUsers(saved: unknown, key: string, maxUsers: number): { base: string; users: User[] } {
  const rd = new SavedReader(key);
  const o = rd.object(saved, 'users');
  rd.int(o.version, 'version', 1, 1);
  const base = rd.str(o.base, 'base');
  const users = rd.array(o.users, 'users').map((item, i) => {
    const p = `users[${i}]`;
    const v = rd.object(item, p);
    const access = new Map<number, ChannelUserAccess>();
    for (const [ch, a] of Object.entries(rd.object(v.access, `${p}.access`))) {
      const ap = `${p}.access.${ch}`;
      const ao = rd.object(a, ap);
      access.set(rd.int(Number(ch), ap, 0, 15), {
        privilegeLimit: rd.int(ao.privilegeLimit, `${ap}.privilegeLimit`, 0, 15),
        ipmiMessaging: rd.bool(ao.ipmiMessaging, `${ap}.ipmiMessaging`),
        linkAuth: rd.bool(ao.linkAuth, `${ap}.linkAuth`),
        callbackOnly: rd.bool(ao.callbackOnly, `${ap}.callbackOnly`),
        sessionLimit: rd.int(ao.sessionLimit, `${ap}.sessionLimit`, 0, 15),
        // Saved before payload access existed: the default for a user who may log in.
        payloads: ao.payloads === undefined ? (rd.int(ao.privilegeLimit, `${ap}.privilegeLimit`, 0, 15) !== NO_ACCESS ? SOL_PAYLOAD : 0) : rd.int(ao.payloads, `${ap}.payloads`, 0, 0xffffffff),
      });
    }
    const password = rd.hex(v.password, `${p}.password`);
    if (password.length > 20) rd.fail(`${p}.password`, 'at most 20 bytes');
    return {
      id: rd.int(v.id, `${p}.id`, 1, maxUsers),
      name: rd.str(v.name, `${p}.name`),
      password,
      password20: rd.bool(v.password20, `${p}.password20`),
      enabled: rd.bool(v.enabled, `${p}.enabled`),
      access,
    };
  });
  return { base, users };
}
