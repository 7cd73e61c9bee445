// ipmitool-compatible text for `user`, `channel` and `session` (ipmitool 1.8.19
// lib/ipmi_user.c, lib/ipmi_channel.c, lib/ipmi_session.c layouts).

import type { ChannelAccess, ChannelAuthCaps, ChannelInfo, SessionInfo, UserAccess } from '../../ipmi/commands/app.js';
import { privilegeNames } from '../../ipmi/spec.js';
import { macText } from '../ipmitool.js';

export function privilegeName(p: number): string {
  return privilegeNames[p] ?? `Unknown (0x${p.toString(16).toUpperCase().padStart(2, '0')})`;
}

/** A user name as ipmitool prints it: the 16 bytes up to the first NUL. */
export function userNameText(name: Uint8Array): string {
  const end = name.indexOf(0);
  return Buffer.from(end >= 0 ? name.subarray(0, end) : name).toString('latin1');
}

export interface UserRow {
  userId: number;
  name: string;
  access: UserAccess;
}

// The header really does contain tab characters.
export const USER_LIST_HEADER = 'ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit\n';

export function formatUserRow(r: UserRow): string {
  const a = r.access;
  return `${String(r.userId).padEnd(4)}${r.name.padEnd(17)}${(a.callbackOnly ? 'false' : 'true ').padEnd(8)}${(a.linkAuthEnabled ? 'true ' : 'false').padEnd(11)}${(a.ipmiMessagingEnabled ? 'true ' : 'false').padEnd(11)}${privilegeName(a.privilegeLimit)}\n`;
}

export function formatUserRowCsv(r: UserRow): string {
  const a = r.access;
  return `${r.userId},${r.name},${a.callbackOnly ? 'false' : 'true'},${a.linkAuthEnabled},${a.ipmiMessagingEnabled},${privilegeName(a.privilegeLimit)}\n`;
}

export function formatUserSummary(a: UserAccess, csv: boolean): string {
  if (csv) return `${a.maxUserIds},${a.enabledUserCount},${a.fixedNameCount}\n`;
  return `Maximum IDs\t    : ${a.maxUserIds}\nEnabled User Count  : ${a.enabledUserCount}\nFixed Name Count    : ${a.fixedNameCount}\n`;
}

const enableStatusNames = ['unknown', 'enabled', 'disabled', 'reserved'];

/** One user's block of `channel getaccess`. */
export function formatUserAccessBlock(r: UserRow): string {
  const a = r.access;
  return [
    '',
    `User ID              : ${r.userId}`,
    `User Name            : ${r.name}`,
    `Fixed Name           : ${r.userId <= a.fixedNameCount ? 'Yes' : 'No'}`,
    `Access Available     : ${a.callbackOnly ? 'callback' : 'call-in / callback'}`,
    `Link Authentication  : ${a.linkAuthEnabled ? 'en' : 'dis'}abled`,
    `IPMI Messaging       : ${a.ipmiMessagingEnabled ? 'en' : 'dis'}abled`,
    `Privilege Level      : ${privilegeName(a.privilegeLimit)}`,
    `Enable Status        : ${enableStatusNames[a.enableStatus]}`,
  ]
    .map((l) => l + '\n')
    .join('');
}

// ---- channel --------------------------------------------------------------------------------

export const channelMediumNames: Readonly<Record<number, string>> = {
  0x00: 'reserved',
  0x01: 'IPMB (I2C)',
  0x02: 'ICMB v1.0',
  0x03: 'ICMB v0.9',
  0x04: '802.3 LAN',
  0x05: 'Serial/Modem',
  0x06: 'Other LAN',
  0x07: 'PCI SMBus',
  0x08: 'SMBus v1.0/v1.1',
  0x09: 'SMBus v2.0',
  0x0a: 'USB 1.x',
  0x0b: 'USB 2.x',
  0x0c: 'System Interface',
};
export const channelProtocolNames: Readonly<Record<number, string>> = {
  0x00: 'reserved',
  0x01: 'IPMB-1.0',
  0x02: 'ICMB-1.0',
  0x03: 'reserved',
  0x04: 'IPMI-SMBus',
  0x05: 'KCS',
  0x06: 'SMIC',
  0x07: 'BT-10',
  0x08: 'BT-15',
  0x09: 'TMode',
  0x1c: 'OEM 1',
  0x1d: 'OEM 2',
  0x1e: 'OEM 3',
  0x1f: 'OEM 4',
};
const unknown = (v: number) => `Unknown (0x${v.toString(16).toUpperCase().padStart(2, '0')})`;
const sessionSupportNames = ['session-less', 'single-session', 'multi-session', 'session-based'];
const accessModeNames = ['disabled', 'pre-boot only', 'always available', 'shared'];

export function isLanMedium(medium: number): boolean {
  return medium === 0x04 || medium === 0x06;
}

function accessLines(a: ChannelAccess): string[] {
  return [
    `    Alerting            : ${a.alertingDisabled ? 'dis' : 'en'}abled`,
    `    Per-message Auth    : ${a.perMessageAuthDisabled ? 'dis' : 'en'}abled`,
    `    User Level Auth     : ${a.userLevelAuthDisabled ? 'dis' : 'en'}abled`,
    `    Access Mode         : ${accessModeNames[a.accessMode] ?? 'unknown'}`,
  ];
}

/** `channel info`; the access blocks only for LAN channels. */
export function formatChannelInfo(info: ChannelInfo, volatile?: ChannelAccess, nonVolatile?: ChannelAccess): string {
  const lines = [
    `Channel 0x${info.channel.toString(16)} info:`,
    `  Channel Medium Type   : ${channelMediumNames[info.medium] ?? unknown(info.medium)}`,
    `  Channel Protocol Type : ${channelProtocolNames[info.protocol] ?? unknown(info.protocol)}`,
    `  Session Support       : ${sessionSupportNames[info.sessionSupport]}`,
    `  Active Session Count  : ${info.activeSessionCount}`,
    `  Protocol Vendor ID    : ${info.vendorId}`,
  ];
  if (volatile) lines.push('  Volatile(active) Settings', ...accessLines(volatile));
  if (nonVolatile) lines.push('  Non-Volatile Settings', ...accessLines(nonVolatile));
  return lines.join('\n') + '\n';
}

const authTypeBits: readonly [number, string][] = [
  [0x01, 'NONE'],
  [0x02, 'MD2'],
  [0x04, 'MD5'],
  [0x10, 'PASSWORD'],
  [0x20, 'OEM'],
];

/** ipmitool's list of v1.5 authentication types: each name followed by a space. */
export function authTypesText(bits: number): string {
  return authTypeBits
    .filter(([b]) => bits & b)
    .map(([, n]) => `${n} `)
    .join('');
}

export function formatAuthCap(c: ChannelAuthCaps): string {
  const v20 = (c.authTypeSupport & 0x80) !== 0;
  const yn = (b: boolean) => (b ? 'yes' : 'no');
  const lines = [`Channel number             : ${c.channel}`, `IPMI v1.5  auth types      : ${authTypesText(c.authTypeSupport)}`];
  if (v20) lines.push(`KG status                  : ${c.authStatus & 0x20 ? 'non-zero' : 'default (all zeroes)'}`);
  lines.push(
    `Per message authentication : ${c.authStatus & 0x10 ? 'dis' : 'en'}abled`,
    `User level authentication  : ${c.authStatus & 0x08 ? 'dis' : 'en'}abled`,
    `Non-null user names exist  : ${yn((c.authStatus & 0x04) !== 0)}`,
    `Null user names exist      : ${yn((c.authStatus & 0x02) !== 0)}`,
    `Anonymous login enabled    : ${yn((c.authStatus & 0x01) !== 0)}`,
  );
  if (v20) lines.push(`Channel supports IPMI v1.5 : ${yn((c.extendedCapabilities & 0x01) !== 0)}`, `Channel supports IPMI v2.0 : ${yn((c.extendedCapabilities & 0x02) !== 0)}`);
  if (c.authTypeSupport & 0x20) lines.push(`IANA Number for OEM        : ${c.oemId}`, `OEM Auxiliary Data         : 0x${c.oemAuxData.toString(16)}`);
  return lines.join('\n') + '\n';
}

const authAlgorithmNames: Readonly<Record<number, string>> = { 0: 'none', 1: 'hmac_sha1', 2: 'hmac_md5', 3: 'hmac_sha256' };
const integrityAlgorithmNames: Readonly<Record<number, string>> = { 0: 'none', 1: 'hmac_sha1_96', 2: 'hmac_md5_128', 3: 'md5_128', 4: 'sha256_128' };
const confidentialityAlgorithmNames: Readonly<Record<number, string>> = { 0: 'none', 1: 'aes_cbc_128', 2: 'xrc4_128', 3: 'xrc4_40' };

export interface CipherSuiteRow {
  id: number;
  iana: string;
  authAlgorithm: string;
  integrityAlgorithm: string;
  confidentialityAlgorithm: string;
}

export function cipherSuiteRow(s: { id: number; iana?: number; auth: number; integrity: number; confidentiality: number }): CipherSuiteRow {
  return {
    id: s.id,
    iana: s.iana ? s.iana.toString(16).padStart(6, '0') : 'N/A',
    authAlgorithm: authAlgorithmNames[s.auth] ?? unknown(s.auth),
    integrityAlgorithm: integrityAlgorithmNames[s.integrity] ?? unknown(s.integrity),
    confidentialityAlgorithm: confidentialityAlgorithmNames[s.confidentiality] ?? unknown(s.confidentiality),
  };
}

export const CIPHER_HEADER = 'ID   IANA    Auth Alg        Integrity Alg   Confidentiality Alg\n';

export function formatCipherSuite(r: CipherSuiteRow, csv: boolean): string {
  if (csv) return `${r.id},${r.iana},${r.authAlgorithm},${r.integrityAlgorithm},${r.confidentialityAlgorithm}\n`;
  return `${String(r.id).padEnd(4)} ${r.iana.padEnd(7)} ${r.authAlgorithm.padEnd(15)} ${r.integrityAlgorithm.padEnd(15)} ${r.confidentialityAlgorithm.padEnd(15)}\n`;
}

// ---- session --------------------------------------------------------------------------------

/** `session info` for one slot: text block (ending in a blank line) or a CSV line. */
export function formatSessionInfo(s: SessionInfo, csv: boolean): string {
  const d = s.session;
  if (csv) {
    let line = `${s.sessionHandle},${s.sessionSlotCount},${s.activeSessionCount}`;
    if (d) {
      line += `,${d.userId},${privilegeName(d.privilege)},${d.sessionType ? 'IPMIv2/RMCP+' : 'IPMIv1.5'},0x${d.channel.toString(16).padStart(2, '0')}`;
      if (d.remoteIp !== undefined) line += `,${d.remoteIp},${macText(d.remoteMac ?? new Uint8Array(6))},${d.remotePort ?? 0}`;
    }
    return line + '\n';
  }
  const lines = [
    `session handle                : ${s.sessionHandle}`,
    `slot count                    : ${s.sessionSlotCount}`,
    `active sessions               : ${s.activeSessionCount}`,
  ];
  if (d) {
    lines.push(
      `user id                       : ${d.userId}`,
      `privilege level               : ${privilegeName(d.privilege)}`,
      `session type                  : ${d.sessionType ? 'IPMIv2/RMCP+' : 'IPMIv1.5'}`,
      `channel number                : 0x${d.channel.toString(16).padStart(2, '0')}`,
    );
    if (d.remoteIp !== undefined) {
      lines.push(`console ip                    : ${d.remoteIp}`, `console mac                   : ${macText(d.remoteMac ?? new Uint8Array(6))}`, `console port                  : ${d.remotePort ?? 0}`);
    }
  }
  return lines.join('\n') + '\n\n';
}
