// LAN configuration parameters of the LAN channel (IPMI v2.0 §23.1-23.2, Table 23-4): what
// `ipmitool lan print` shows and `lan set` changes.
//
// Addresses, gateways, VLAN and ARP settings are stored as the bytes a console wrote (ipmitool
// reads every parameter back after setting it and compares bytes). Parameter 2 (auth type
// enables) and parameter 24 (cipher suite privileges) are views of the LAN channel's real
// settings in bmc.config.lan: changing them changes what Get Channel Authentication
// Capabilities, Get Channel Cipher Suites and session setup accept. Writes apply at once;
// "set in progress" is the advisory flag of the spec, and "commit write" has nothing left to
// commit. Everything but the set-in-progress flag is saved before the write is acknowledged.

import { CC } from '../../protocol/completion-codes.js';
import { AuthType } from '../../protocol/crypto.js';
import { LanParam, LAN_PARAM_REVISION } from '../../ipmi/commands/transport.js';
import type { BmcCore } from '../core.js';
import type { LanChannelConfig } from '../config/model.js';
import { hexOf } from '../store.js';
import { fingerprint, SavedReader } from './persist.js';

export type IpSource = 'unspecified' | 'static' | 'dhcp' | 'bios' | 'other';
export const IP_SOURCES: readonly IpSource[] = ['unspecified', 'static', 'dhcp', 'bios', 'other'];

export interface LanParamsConfig {
  ipAddress: string;
  ipSource: IpSource;
  subnetMask: string;
  macAddress: string;
  defaultGateway: string;
  defaultGatewayMac: string;
  backupGateway: string;
  backupGatewayMac: string;
  /** SNMP community string for alerts, up to 18 characters. */
  community: string;
  /** 802.1q VLAN ID 1-4094, or 0 for no VLAN. */
  vlanId: number;
  vlanPriority: number;
  arpResponses: boolean;
  gratuitousArp: boolean;
  /** Gratuitous ARP interval in seconds (500 ms steps). */
  gratuitousArpInterval: number;
  /** IPv4 header parameters (parameter 7): TTL, flags (bits 7:5), precedence and TOS byte. */
  ipv4Ttl: number;
  ipv4Flags: number;
  ipv4Tos: number;
  /** Parameter 26: sequential bad passwords before a user is locked out (0 = never). */
  badPasswordThreshold: number;
  /** Log a Session Audit "invalid password disable" event on lockout. */
  badPasswordEvent: boolean;
  /** Seconds (steps of 10) after which the bad password count resets; 0 = never. */
  attemptCountReset: number;
  /** Seconds (steps of 10) a locked-out user stays locked; 0 = until re-enabled. */
  userLockout: number;
}

export const defaultLanParams = (): LanParamsConfig => ({
  ipAddress: '127.0.0.1',
  ipSource: 'static',
  subnetMask: '255.0.0.0',
  macAddress: '02:00:00:00:00:01',
  defaultGateway: '0.0.0.0',
  defaultGatewayMac: '00:00:00:00:00:00',
  backupGateway: '0.0.0.0',
  backupGatewayMac: '00:00:00:00:00:00',
  community: 'public',
  vlanId: 0,
  vlanPriority: 0,
  arpResponses: true,
  gratuitousArp: false,
  gratuitousArpInterval: 2,
  // Table 23-4 defaults: TTL 40h, "don't fragment", precedence 0 / TOS "minimize delay".
  ipv4Ttl: 0x40,
  ipv4Flags: 0x40,
  ipv4Tos: 0x10,
  // Online password guessing is throttled by default: 5 bad passwords in a row lock the user
  // out for a minute (real BMCs ship 0-5 and 60-300 s).
  badPasswordThreshold: 5,
  badPasswordEvent: true,
  attemptCountReset: 300,
  userLockout: 60,
});

export function ipv4Bytes(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const b = m.slice(1).map(Number);
  return b.every((n) => n <= 255) ? Uint8Array.from(b) : undefined;
}

export function macBytes(s: string): Uint8Array | undefined {
  const m = /^([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})$/i.exec(s);
  return m ? Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16))) : undefined;
}

/** The stored (read/write, byte-valued) parameters and their exact lengths. */
const STORED: Readonly<Record<number, number>> = {
  [LanParam.IpAddress]: 4,
  [LanParam.IpAddressSource]: 1,
  [LanParam.MacAddress]: 6,
  [LanParam.SubnetMask]: 4,
  [LanParam.Ipv4HeaderParams]: 3,
  [LanParam.BmcArpControl]: 1,
  [LanParam.GratuitousArpInterval]: 1,
  [LanParam.DefaultGatewayIp]: 4,
  [LanParam.DefaultGatewayMac]: 6,
  [LanParam.BackupGatewayIp]: 4,
  [LanParam.BackupGatewayMac]: 6,
  [LanParam.CommunityString]: 18,
  [LanParam.VlanId]: 2,
  [LanParam.VlanPriority]: 1,
  [LanParam.BadPasswordThreshold]: 6,
};

const READ_ONLY = new Set<number>([LanParam.AuthTypeSupport, LanParam.CipherSuiteEntrySupport, LanParam.CipherSuiteEntries]);

/** v1.5 authentication types the LAN channel implements: none, MD2, MD5, straight password. */
const AUTH_TYPES_SUPPORTED = (1 << AuthType.None) | (1 << AuthType.Md2) | (1 << AuthType.Md5) | (1 << AuthType.Password);
const AUTH_LEVELS = ['callback', 'user', 'operator', 'admin', 'oem'] as const;

const KEY = 'lan';

export type LanParamResult<T> = T | { cc: number };

function initialBytes(c: LanParamsConfig): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  const community = new Uint8Array(18);
  community.set(Buffer.from(c.community, 'latin1').subarray(0, 18));
  const vlan = c.vlanId === 0 ? Uint8Array.of(0, 0) : Uint8Array.of(c.vlanId & 0xff, 0x80 | ((c.vlanId >> 8) & 0x0f));
  m.set(LanParam.IpAddress, ipv4Bytes(c.ipAddress)!);
  m.set(LanParam.IpAddressSource, Uint8Array.of(IP_SOURCES.indexOf(c.ipSource)));
  m.set(LanParam.MacAddress, macBytes(c.macAddress)!);
  m.set(LanParam.SubnetMask, ipv4Bytes(c.subnetMask)!);
  m.set(LanParam.Ipv4HeaderParams, Uint8Array.of(c.ipv4Ttl, c.ipv4Flags & 0xe0, c.ipv4Tos));
  m.set(LanParam.BmcArpControl, Uint8Array.of((c.arpResponses ? 2 : 0) | (c.gratuitousArp ? 1 : 0)));
  // Interval in 500 ms units; ipmitool shows (n + 1) / 2 seconds, so n = 2s - 1.
  m.set(LanParam.GratuitousArpInterval, Uint8Array.of(Math.max(0, Math.min(255, Math.round(c.gratuitousArpInterval * 2) - 1))));
  m.set(LanParam.DefaultGatewayIp, ipv4Bytes(c.defaultGateway)!);
  m.set(LanParam.DefaultGatewayMac, macBytes(c.defaultGatewayMac)!);
  m.set(LanParam.BackupGatewayIp, ipv4Bytes(c.backupGateway)!);
  m.set(LanParam.BackupGatewayMac, macBytes(c.backupGatewayMac)!);
  m.set(LanParam.CommunityString, community);
  m.set(LanParam.VlanId, vlan);
  m.set(LanParam.VlanPriority, Uint8Array.of(c.vlanPriority & 7));
  const reset = c.attemptCountReset / 10;
  const lockout = c.userLockout / 10;
  m.set(LanParam.BadPasswordThreshold, Uint8Array.of(c.badPasswordEvent ? 1 : 0, c.badPasswordThreshold, reset & 0xff, reset >> 8, lockout & 0xff, lockout >> 8));
  return m;
}

export class LanParams {
  private readonly bmc: BmcCore;
  private readonly values: Map<number, Uint8Array>;
  /** Parameter 0 [1:0]: 0 set complete, 1 set in progress. Volatile. */
  setInProgress = 0;
  private readonly base: string;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    this.values = initialBytes(bmc.config.lanParams);
    const lan = bmc.config.lan;
    this.base = fingerprint({ params: bmc.config.lanParams, authTypes: lan.authTypes, cipherSuites: lan.cipherSuites, privileges: lan.cipherSuitePrivileges });
    this.load();
  }

  get config(): LanParamsConfig {
    return this.bmc.config.lanParams;
  }

  private get lan(): LanChannelConfig {
    return this.bmc.config.lan;
  }

  /** Suites the channel is configured with (parameters 22/23), ascending. */
  private configuredSuites(): number[] {
    return [...new Set(this.lan.cipherSuites)].filter((id) => id !== 0 || this.lan.allowCipherZero).sort((a, b) => a - b);
  }

  /** Current value of a parameter, or a completion code (80h = not supported). */
  get(parameter: number): LanParamResult<Uint8Array> {
    const stored = this.values.get(parameter);
    if (stored) return stored.slice();
    switch (parameter) {
      case LanParam.SetInProgress:
        return Uint8Array.of(this.setInProgress);
      case LanParam.AuthTypeSupport:
        return Uint8Array.of(AUTH_TYPES_SUPPORTED);
      case LanParam.AuthTypeEnables:
        return Uint8Array.from(AUTH_LEVELS.map((l) => this.lan.authTypes[l].reduce((m, t) => m | (1 << t), 0)));
      case LanParam.CipherSuiteEntrySupport:
        return Uint8Array.of(this.configuredSuites().length);
      case LanParam.CipherSuiteEntries: {
        // Byte 1 reserved, then up to 16 entries (the spec's fixed 17-byte layout).
        const out = new Uint8Array(17);
        out.set(this.configuredSuites().slice(0, 16), 1);
        return out;
      }
      case LanParam.CipherSuitePrivileges: {
        // One nibble per cipher suite ID 0-15 (low nibble first), as ipmitool and FreeIPMI read it.
        const out = new Uint8Array(9);
        for (const id of this.configuredSuites()) {
          if (id > 15) continue;
          const p = this.lan.cipherSuitePrivileges[id] ?? 4;
          out[1 + (id >> 1)]! |= (p & 0x0f) << ((id & 1) * 4);
        }
        return out;
      }
      default:
        return { cc: 0x80 };
    }
  }

  /** Sets a parameter: 80h unsupported, 82h read-only, 81h set-in-progress conflict. */
  set(parameter: number, data: Uint8Array): LanParamResult<void> {
    if (parameter === LanParam.SetInProgress) return this.setSetInProgress(data);
    if (READ_ONLY.has(parameter)) return { cc: 0x82 };
    const len = STORED[parameter];
    if (len !== undefined) {
      if (data.length !== len) return { cc: CC.RequestDataLengthInvalid };
      if (parameter === LanParam.IpAddressSource && (data[0]! & 0x0f) > 4) return { cc: CC.ParameterOutOfRange };
      if (parameter === LanParam.VlanPriority && data[0]! > 7) return { cc: CC.ParameterOutOfRange };
      if (parameter === LanParam.BadPasswordThreshold && (data[0]! & 0xfe) !== 0) return { cc: CC.InvalidDataField };
      const before = this.values.get(parameter)!;
      this.values.set(parameter, data.slice());
      return this.commit(() => this.values.set(parameter, before));
    }
    if (parameter === LanParam.AuthTypeEnables) return this.setAuthTypeEnables(data);
    if (parameter === LanParam.CipherSuitePrivileges) return this.setCipherSuitePrivileges(data);
    return { cc: 0x80 };
  }

  private setSetInProgress(data: Uint8Array): LanParamResult<void> {
    if (data.length !== 1) return { cc: CC.RequestDataLengthInvalid };
    const v = data[0]! & 3;
    if (v === 3) return { cc: CC.InvalidDataField };
    if (v === 1 && this.setInProgress === 1) return { cc: 0x81 };
    // Commit write: writes already took effect; the flag returns to "set in progress".
    this.setInProgress = v === 0 ? 0 : 1;
    return undefined;
  }

  private setAuthTypeEnables(data: Uint8Array): LanParamResult<void> {
    if (data.length !== 5) return { cc: CC.RequestDataLengthInvalid };
    // A type the channel cannot do (OEM, or bits 3, 6, 7) is out of range. (Not 0xCC:
    // ipmitool retries that code for half a minute.)
    if (data.some((b) => (b & ~AUTH_TYPES_SUPPORTED) !== 0)) return { cc: CC.ParameterOutOfRange };
    const before = this.lan.authTypes;
    const next = { ...before };
    AUTH_LEVELS.forEach((l, i) => (next[l] = [AuthType.None, AuthType.Md2, AuthType.Md5, AuthType.Password].filter((t) => data[i]! & (1 << t))));
    this.lan.authTypes = next;
    return this.commit(() => (this.lan.authTypes = before));
  }

  private setCipherSuitePrivileges(data: Uint8Array): LanParamResult<void> {
    if (data.length !== 9) return { cc: CC.RequestDataLengthInvalid };
    const configured = new Set(this.configuredSuites());
    const next: Record<number, number> = { ...this.lan.cipherSuitePrivileges };
    for (let id = 0; id < 16; id++) {
      const p = (data[1 + (id >> 1)]! >> ((id & 1) * 4)) & 0x0f;
      if (p > 5) return { cc: CC.ParameterOutOfRange };
      if (!configured.has(id)) {
        // A suite this BMC does not offer cannot be given a privilege (see the log line).
        if (p !== 0) {
          this.bmc.log.warn('Set LAN Configuration Parameters: cipher suite is not available on this BMC', { suite: id, configured: [...configured].join(',') });
          return { cc: CC.ParameterOutOfRange };
        }
        continue;
      }
      next[id] = p;
    }
    const before = this.lan.cipherSuitePrivileges;
    this.lan.cipherSuitePrivileges = next;
    return this.commit(() => (this.lan.cipherSuitePrivileges = before));
  }

  /** Saves; on failure undoes the change and rethrows (the command then fails with FFh). */
  private commit(undo: () => void): undefined {
    try {
      this.save();
    } catch (e) {
      undo();
      throw e;
    }
    return undefined;
  }

  private save(): void {
    this.bmc.store.save(KEY, {
      version: 1,
      base: this.base,
      params: Object.fromEntries([...this.values].map(([p, v]) => [String(p), hexOf(v)])),
      authTypes: this.lan.authTypes,
      cipherSuitePrivileges: this.lan.cipherSuitePrivileges,
    });
  }

  private load(): void {
    const saved = this.bmc.store.load(KEY);
    if (saved === undefined) return;
    const rd = new SavedReader(KEY);
    const o = rd.object(saved, 'lan');
    rd.int(o.version, 'version', 1, 1);
    const base = rd.str(o.base, 'base');
    const params = new Map<number, Uint8Array>();
    for (const [k, v] of Object.entries(rd.object(o.params, 'params'))) {
      const p = Number(k);
      const len = STORED[p];
      if (len === undefined) rd.fail(`params.${k}`, 'a stored LAN parameter number');
      params.set(p, rd.hex(v, `params.${k}`, len));
    }
    const at = rd.object(o.authTypes, 'authTypes');
    const authTypes = Object.fromEntries(
      AUTH_LEVELS.map((l) => [l, rd.array(at[l], `authTypes.${l}`).map((t, i) => rd.int(t, `authTypes.${l}[${i}]`, 0, 5))]),
    ) as unknown as LanChannelConfig['authTypes'];
    const privileges: Record<number, number> = {};
    for (const [k, v] of Object.entries(rd.object(o.cipherSuitePrivileges, 'cipherSuitePrivileges'))) {
      privileges[rd.int(Number(k), `cipherSuitePrivileges.${k}`, 0, 255)] = rd.int(v, `cipherSuitePrivileges.${k}`, 0, 5);
    }
    if (base !== this.base) {
      this.bmc.log.warn('LAN settings in the config changed since the state was saved; using the config', { state: KEY });
      return;
    }
    for (const [p, v] of params) this.values.set(p, v);
    this.lan.authTypes = authTypes;
    this.lan.cipherSuitePrivileges = privileges;
  }
}

export { LAN_PARAM_REVISION };
