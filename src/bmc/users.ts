// The BMC's user table (IPMI v2.0 §22.26-22.30). User 1 is the fixed-name null user. Access
// (privilege limit, IPMI messaging, link auth, callback-only) is per channel.

import { asciiBytes, cstring } from '../protocol/bytes.js';

export interface ChannelUserAccess {
  privilegeLimit: number; // 1..5, 0x0F = no access
  ipmiMessaging: boolean;
  linkAuth: boolean;
  callbackOnly: boolean;
  sessionLimit: number; // 0 = channel limit
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
  /** Channels the user may use; defaults to every channel the BMC has. */
  channels?: number[];
}

export const NO_ACCESS = 0x0f;

export function defaultAccess(privilegeLimit: number): ChannelUserAccess {
  return { privilegeLimit, ipmiMessaging: privilegeLimit !== NO_ACCESS, linkAuth: false, callbackOnly: false, sessionLimit: 0 };
}

export class UserStore {
  readonly maxUsers: number;
  private readonly users: (User | undefined)[];
  private readonly channels: readonly number[];
  /** Called after every change so that persistence can save the table. */
  onChange: () => void = () => {};

  constructor(maxUsers: number, channels: readonly number[]) {
    this.maxUsers = maxUsers;
    this.channels = channels;
    this.users = new Array(maxUsers + 1);
    for (let id = 1; id <= maxUsers; id++) this.users[id] = this.blank(id);
  }

  private blank(id: number): User {
    const access = new Map<number, ChannelUserAccess>();
    for (const ch of this.channels) access.set(ch, { ...defaultAccess(NO_ACCESS), ipmiMessaging: false });
    return { id, name: '', password: new Uint8Array(0), password20: false, enabled: false, access };
  }

  load(configs: readonly UserConfig[]): void {
    for (const c of configs) {
      const u = this.blank(c.id);
      u.name = c.name;
      u.password = asciiBytes(c.password);
      u.password20 = c.password.length > 16;
      u.enabled = c.enabled ?? true;
      for (const ch of c.channels ?? this.channels) u.access.set(ch, defaultAccess(c.privilege));
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
    const u = this.get(id);
    if (!u) return;
    u.access.set(channel, { ...this.access(u, channel), ...access });
    this.onChange();
  }

  setName(id: number, name: string): void {
    const u = this.get(id);
    if (!u) return;
    u.name = name;
    this.onChange();
  }

  setPassword(id: number, password: Uint8Array, size20: boolean): void {
    const u = this.get(id);
    if (!u) return;
    let end = password.indexOf(0);
    if (end < 0) end = password.length;
    u.password = password.slice(0, end);
    u.password20 = size20;
    this.onChange();
  }

  setEnabled(id: number, enabled: boolean): void {
    const u = this.get(id);
    if (!u) return;
    u.enabled = enabled;
    this.onChange();
  }

  enabledCount(): number {
    let n = 0;
    for (let id = 1; id <= this.maxUsers; id++) if (this.users[id]!.enabled) n++;
    return n;
  }
}
