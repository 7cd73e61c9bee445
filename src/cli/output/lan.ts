// `lan print`: ipmitool's text (lib/ipmi_lanp.c layout, "%-24s: " labels) and the JSON view,
// both from the raw LAN configuration parameters (IPMI v2.0 Table 23-4).

import { LanParam } from '../../ipmi/commands/transport.js';
import { macText } from '../ipmitool.js';
import { authTypesText } from './users.js';

/** Parameter number → data (after the revision byte); absent = the BMC does not support it. */
export type LanParams = ReadonlyMap<number, Uint8Array>;

/** The parameters `lan print` reads, in the order it prints them. */
export const LAN_PRINT_PARAMS: readonly number[] = [
  LanParam.SetInProgress,
  LanParam.AuthTypeSupport,
  LanParam.AuthTypeEnables,
  LanParam.IpAddressSource,
  LanParam.IpAddress,
  LanParam.SubnetMask,
  LanParam.MacAddress,
  LanParam.CommunityString,
  LanParam.Ipv4HeaderParams,
  LanParam.BmcArpControl,
  LanParam.GratuitousArpInterval,
  LanParam.DefaultGatewayIp,
  LanParam.DefaultGatewayMac,
  LanParam.BackupGatewayIp,
  LanParam.BackupGatewayMac,
  LanParam.VlanId,
  LanParam.VlanPriority,
  LanParam.CipherSuiteEntrySupport,
  LanParam.CipherSuiteEntries,
  LanParam.CipherSuitePrivileges,
  LanParam.BadPasswordThreshold,
];

const label = (s: string) => s.padEnd(24) + ': ';
const ip = (d: Uint8Array) => `${d[0] ?? 0}.${d[1] ?? 0}.${d[2] ?? 0}.${d[3] ?? 0}`;
const mac = (d: Uint8Array) => macText(d.subarray(0, 6));
const ipSourceNames = ['Unspecified', 'Static Address', 'DHCP Address', 'BIOS Assigned Address'];
const setInProgressNames = ['Set Complete', 'Set In Progress', 'Commit Write', 'Reserved'];
const privChars: Readonly<Record<number, string>> = { 1: 'c', 2: 'u', 3: 'o', 4: 'a', 5: 'O' };

/** The 15 characters of parameter 24 (X unused, c u o a O), cipher suites 0-14. */
export function cipherPrivString(d: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 15; i++) {
    const byte = d[1 + (i >> 1)] ?? 0;
    s += privChars[i % 2 === 0 ? byte & 0x0f : byte >> 4] ?? 'X';
  }
  return s;
}

/** The parameter 24 bytes for a 15-character privilege string; undefined if a character is bad. */
export function cipherPrivBytes(spec: string): Uint8Array | undefined {
  if (spec.length !== 15) return undefined;
  const levels: Readonly<Record<string, number>> = { X: 0, c: 1, u: 2, o: 3, a: 4, O: 5 };
  const out = new Uint8Array(9);
  for (let i = 0; i < 15; i++) {
    const l = levels[spec[i]!];
    if (l === undefined) return undefined;
    out[1 + (i >> 1)] = out[1 + (i >> 1)]! | (i % 2 === 0 ? l : l << 4);
  }
  return out;
}

/** Gratuitous ARP interval as ipmitool shows it: (n + 1) / 2 in integer arithmetic. */
export const arpIntervalSeconds = (n: number) => Math.trunc((n + 1) / 2);

function cString(d: Uint8Array): string {
  const end = d.indexOf(0);
  return Buffer.from(end >= 0 ? d.subarray(0, end) : d).toString('latin1');
}

export function formatLanPrint(p: LanParams): string {
  const out: string[] = [];
  const get = (n: number) => p.get(n);
  let d: Uint8Array | undefined;
  if ((d = get(LanParam.SetInProgress))) out.push(label('Set in Progress') + setInProgressNames[(d[0] ?? 0) & 3]);
  if ((d = get(LanParam.AuthTypeSupport))) out.push(label('Auth Type Support') + authTypesText(d[0] ?? 0));
  if ((d = get(LanParam.AuthTypeEnables))) {
    const names = ['Callback', 'User    ', 'Operator', 'Admin   ', 'OEM     '];
    names.forEach((n, i) => out.push(label(i === 0 ? 'Auth Type Enable' : '') + `${n} : ${authTypesText(d![i] ?? 0)}`));
  }
  if ((d = get(LanParam.IpAddressSource))) out.push(label('IP Address Source') + (ipSourceNames[(d[0] ?? 0) & 0x0f] ?? 'Other'));
  if ((d = get(LanParam.IpAddress))) out.push(label('IP Address') + ip(d));
  if ((d = get(LanParam.SubnetMask))) out.push(label('Subnet Mask') + ip(d));
  if ((d = get(LanParam.MacAddress))) out.push(label('MAC Address') + mac(d));
  if ((d = get(LanParam.CommunityString))) out.push(label('SNMP Community String') + cString(d));
  if ((d = get(LanParam.Ipv4HeaderParams))) {
    const h = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
    out.push(label('IP Header') + `TTL=${h(d[0] ?? 0)} Flags=${h((d[1] ?? 0) & 0xe0)} Precedence=${h((d[2] ?? 0) & 0xe0)} TOS=${h((d[2] ?? 0) & 0x1e)}`);
  }
  if ((d = get(LanParam.BmcArpControl))) out.push(label('BMC ARP Control') + `ARP Responses ${(d[0] ?? 0) & 2 ? 'En' : 'Dis'}abled, Gratuitous ARP ${(d[0] ?? 0) & 1 ? 'En' : 'Dis'}abled`);
  if ((d = get(LanParam.GratuitousArpInterval))) out.push(label('Gratituous ARP Intrvl') + `${arpIntervalSeconds(d[0] ?? 0).toFixed(1)} seconds`);
  if ((d = get(LanParam.DefaultGatewayIp))) out.push(label('Default Gateway IP') + ip(d));
  if ((d = get(LanParam.DefaultGatewayMac))) out.push(label('Default Gateway MAC') + mac(d));
  if ((d = get(LanParam.BackupGatewayIp))) out.push(label('Backup Gateway IP') + ip(d));
  if ((d = get(LanParam.BackupGatewayMac))) out.push(label('Backup Gateway MAC') + mac(d));
  if ((d = get(LanParam.VlanId))) {
    const id = (((d[1] ?? 0) & 0x0f) << 8) + (d[0] ?? 0);
    out.push(label('802.1q VLAN ID') + ((d[1] ?? 0) & 0x80 ? String(id) : 'Disabled'));
  }
  if ((d = get(LanParam.VlanPriority))) out.push(label('802.1q VLAN Priority') + ((d[0] ?? 0) & 7));
  const count = get(LanParam.CipherSuiteEntrySupport);
  if (count) {
    const list = get(LanParam.CipherSuiteEntries);
    out.push(label('RMCP+ Cipher Suites') + (list && list.length <= 17 ? [...list.subarray(1, 1 + Math.min(16, count[0] ?? 0))].join(',') : 'None'));
  }
  d = get(LanParam.CipherSuitePrivileges);
  if (d && d.length === 9) {
    out.push(label('Cipher Suite Priv Max') + cipherPrivString(d));
    for (const legend of ['X=Cipher Suite Unused', 'c=CALLBACK', 'u=USER', 'o=OPERATOR', 'a=ADMIN', 'O=OEM']) out.push(label('') + `    ${legend}`);
  } else {
    out.push(label('Cipher Suite Priv Max') + 'Not Available');
  }
  d = get(LanParam.BadPasswordThreshold);
  if (d && d.length === 6) {
    out.push(label('Bad Password Threshold') + d[1]);
    out.push(label('Invalid password disable') + (d[0]! & 1 ? 'yes' : 'no'));
    out.push(label('Attempt Count Reset Int.') + (d[2]! + (d[3]! << 8)) * 10);
    out.push(label('User Lockout Interval') + (d[4]! + (d[5]! << 8)) * 10);
  } else {
    out.push(label('Bad Password Threshold') + 'Not Available');
  }
  return out.join('\n') + '\n';
}

const authNames = (b: number) => authTypesText(b).trim().split(' ').filter((s) => s !== '');

/** The same parameters as one JSON object (spec-named fields; absent parameters are left out). */
export function lanPrintJson(channel: number, p: LanParams): Record<string, unknown> {
  const doc: Record<string, unknown> = { channel };
  let d: Uint8Array | undefined;
  if ((d = p.get(LanParam.SetInProgress))) doc.setInProgress = ['set-complete', 'set-in-progress', 'commit-write', 'reserved'][(d[0] ?? 0) & 3];
  if ((d = p.get(LanParam.AuthTypeSupport))) doc.authTypeSupport = authNames(d[0] ?? 0);
  if ((d = p.get(LanParam.AuthTypeEnables))) {
    const e = d;
    doc.authTypeEnables = Object.fromEntries(['callback', 'user', 'operator', 'admin', 'oem'].map((k, i) => [k, authNames(e[i] ?? 0)]));
  }
  if ((d = p.get(LanParam.IpAddressSource))) doc.ipAddressSource = ['unspecified', 'static', 'dhcp', 'bios'][(d[0] ?? 0) & 0x0f] ?? 'other';
  if ((d = p.get(LanParam.IpAddress))) doc.ipAddress = ip(d);
  if ((d = p.get(LanParam.SubnetMask))) doc.subnetMask = ip(d);
  if ((d = p.get(LanParam.MacAddress))) doc.macAddress = mac(d);
  if ((d = p.get(LanParam.CommunityString))) doc.communityString = cString(d);
  if ((d = p.get(LanParam.Ipv4HeaderParams))) doc.ipv4Header = { ttl: d[0] ?? 0, flags: (d[1] ?? 0) & 0xe0, precedence: (d[2] ?? 0) & 0xe0, tos: (d[2] ?? 0) & 0x1e };
  if ((d = p.get(LanParam.BmcArpControl))) Object.assign(doc, { arpResponses: ((d[0] ?? 0) & 2) !== 0, gratuitousArp: ((d[0] ?? 0) & 1) !== 0 });
  if ((d = p.get(LanParam.GratuitousArpInterval))) doc.gratuitousArpInterval = arpIntervalSeconds(d[0] ?? 0);
  if ((d = p.get(LanParam.DefaultGatewayIp))) doc.defaultGatewayIp = ip(d);
  if ((d = p.get(LanParam.DefaultGatewayMac))) doc.defaultGatewayMac = mac(d);
  if ((d = p.get(LanParam.BackupGatewayIp))) doc.backupGatewayIp = ip(d);
  if ((d = p.get(LanParam.BackupGatewayMac))) doc.backupGatewayMac = mac(d);
  if ((d = p.get(LanParam.VlanId))) doc.vlanId = (d[1] ?? 0) & 0x80 ? (((d[1] ?? 0) & 0x0f) << 8) + (d[0] ?? 0) : null;
  if ((d = p.get(LanParam.VlanPriority))) doc.vlanPriority = (d[0] ?? 0) & 7;
  const count = p.get(LanParam.CipherSuiteEntrySupport);
  const list = p.get(LanParam.CipherSuiteEntries);
  if (count && list) doc.cipherSuites = [...list.subarray(1, 1 + Math.min(16, count[0] ?? 0))];
  if ((d = p.get(LanParam.CipherSuitePrivileges)) && d.length === 9) doc.cipherSuitePrivileges = cipherPrivString(d);
  if ((d = p.get(LanParam.BadPasswordThreshold)) && d.length === 6) {
    doc.badPasswordThreshold = { threshold: d[1], invalidPasswordDisable: (d[0]! & 1) !== 0, attemptCountResetInterval: (d[2]! + (d[3]! << 8)) * 10, userLockoutInterval: (d[4]! + (d[5]! << 8)) * 10 };
  }
  return doc;
}
