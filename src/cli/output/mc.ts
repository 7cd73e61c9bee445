// ipmitool-compatible text for `mc info` and `mc guid` (ipmitool 1.8.19 lib/ipmi_mc.c layout).

import type { DeviceId, WatchdogStatus } from '../../ipmi/commands/app.js';
import { manufacturerName } from './iana.js';
import { productName } from './products.js';

const additionalSupport = [
  'Sensor Device',
  'SDR Repository Device',
  'SEL Device',
  'FRU Inventory Device',
  'IPMB Event Receiver',
  'IPMB Event Generator',
  'Bridge',
  'Chassis Device',
];

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

export function formatDeviceId(d: DeviceId, env?: NodeJS.ProcessEnv): string {
  const lines = [
    `Device ID                 : ${d.deviceId}`,
    `Device Revision           : ${d.deviceRevision}`,
    `Firmware Revision         : ${d.firmwareMajor}.${hex2(d.firmwareMinor)}`,
    `IPMI Version              : ${(d.ipmiVersion & 0x0f).toString(16)}.${(d.ipmiVersion >> 4).toString(16)}`,
    `Manufacturer ID           : ${d.manufacturerId}`,
    `Manufacturer Name         : ${manufacturerName(d.manufacturerId, env)}`,
    `Product ID                : ${d.productId} (0x${hex2(d.productId >> 8)}${hex2(d.productId & 0xff)})`,
    `Product Name              : ${productName(d.manufacturerId, d.productId)}`,
    `Device Available          : ${d.deviceAvailable ? 'yes' : 'no'}`,
    `Provides Device SDRs      : ${d.providesDeviceSdrs ? 'yes' : 'no'}`,
    'Additional Device Support :',
  ];
  for (let i = 0; i < 8; i++) if (d.additionalDeviceSupport & (1 << i)) lines.push(`    ${additionalSupport[i]}`);
  if (d.auxFirmwareRevision) {
    lines.push('Aux Firmware Rev Info     : ');
    for (const b of d.auxFirmwareRevision) lines.push(`    0x${hex2(b)}`);
  }
  return lines.join('\n') + '\n';
}

// ---- GUID (IPMI v2.0 §20.8; ipmitool's auto-detection of the encoding) ------------------------

export type GuidEncoding = 'RFC4122' | 'IPMI' | 'SMBIOS';
export interface ParsedGuid {
  encoding: GuidEncoding | 'dump';
  text: string;
  version: number;
  timestamp?: number;
}

const versionNames: Record<number, string> = {
  0: 'Unknown/unsupported',
  1: 'Time-based',
  2: 'DCE Security with POSIX UIDs (not for IPMI)',
  3: 'Name-based using MD5',
  4: 'Random or pseudo-random',
  5: 'Name-based using SHA-1',
};

/**
 * Decodes the 16 GUID bytes the way ipmitool's "auto" mode does: every encoding whose version
 * nibble is valid is a candidate, the last one wins (RFC4122 < IPMI < SMBIOS), except that a
 * time-based GUID with a plausible timestamp is taken at once.
 */
export type GuidMode = 'auto' | 'rfc4122' | 'ipmi' | 'smbios' | 'dump';

export function parseGuid(b: Uint8Array, now = Date.now(), mode: GuidMode = 'auto'): ParsedGuid {
  const le16 = (o: number) => b[o]! | (b[o + 1]! << 8);
  const be16 = (o: number) => (b[o]! << 8) | b[o + 1]!;
  const le32 = (o: number) => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16)) + b[o + 3]! * 0x1000000;
  const be32 = (o: number) => b[o]! * 0x1000000 + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
  // IPMI: the whole 16 bytes are the RFC layout reversed (node first, LSB first).
  const modes: { enc: GuidEncoding; low: number; mid: number; hi: number; clk: number; node: number[] }[] = [
    { enc: 'RFC4122', low: be32(0), mid: be16(4), hi: be16(6), clk: be16(8), node: [...b.subarray(10, 16)] },
    { enc: 'IPMI', low: le32(12), mid: le16(10), hi: le16(8), clk: le16(6), node: [...b.subarray(0, 6)].reverse() },
    { enc: 'SMBIOS', low: le32(0), mid: le16(4), hi: le16(6), clk: be16(8), node: [...b.subarray(10, 16)] },
  ];
  const seconds = (m: (typeof modes)[number]) => {
    const t100ns = BigInt(m.hi & 0x0fff) * 2n ** 48n + BigInt(m.mid) * 2n ** 32n + BigInt(m.low);
    return Number(t100ns / 10_000_000n) - 12219292800;
  };
  let chosen: (typeof modes)[number] | undefined;
  if (mode !== 'auto') chosen = modes.find((m) => m.enc.toLowerCase() === mode);
  else for (const m of modes) {
    const ver = (m.hi >> 12) & 0x0f;
    if (ver < 1 || ver > 5) continue;
    chosen = m;
    if (ver === 1) {
      const y = new Date(seconds(m) * 1000).getUTCFullYear();
      if (y >= 1970 && y <= new Date(now).getUTCFullYear()) break;
    }
  }
  if (!chosen) return { encoding: 'dump', text: [...b].map((x) => hex2(x).toUpperCase()).join(''), version: 0 };
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const text = `${h(chosen.low, 8)}-${h(chosen.mid, 4)}-${h(chosen.hi, 4)}-${h(chosen.clk, 4)}-${chosen.node.map(hex2).join('')}`;
  const version = (chosen.hi >> 12) & 0x0f;
  const out: ParsedGuid = { encoding: chosen.enc, text, version };
  if (version === 1) out.timestamp = seconds(chosen);
  return out;
}

/** `mc guid [auto|rfc4122|ipmi|smbios|dump]`: the encoding line only when it was detected. */
export function formatGuid(b: Uint8Array, formatTimestamp: (sec: number) => string, mode: GuidMode = 'auto'): string {
  const g = parseGuid(b, Date.now(), mode);
  if (g.encoding === 'dump') return `System GUID   : ${g.text}\n`;
  let s = `System GUID   : ${g.text}\n`;
  if (mode === 'auto') s += `GUID Encoding : ${g.encoding}${g.encoding !== 'IPMI' ? ' (WARNING: IPMI Specification violation!)' : ''}\n`;
  s += `GUID Version  : ${versionNames[g.version] ?? versionNames[0]}`;
  if (!versionNames[g.version] || g.version === 0) s += ` (${g.version})`;
  if (g.version === 1) s += `\nTimestamp     : ${formatTimestamp(g.timestamp!)}`;
  return s + '\n';
}

// ---- selftest, global enables, watchdog (ipmitool lib/ipmi_mc.c) -----------------------------

/** `mc selftest`; `passed` false means ipmitool exits 1. */
export function formatMcSelfTest(result: number, detail: number): { text: string; passed: boolean } {
  switch (result) {
    case 0x55:
      return { text: 'Selftest: passed\n', passed: true };
    case 0x56:
      return { text: 'Selftest: not implemented\n', passed: false };
    case 0x57: {
      const failures: [number, string][] = [
        [0x80, ' -> SEL device not accessible'],
        [0x40, ' -> SDR repository not accessible'],
        [0x20, 'FRU device not accessible'],
        [0x10, 'IPMB signal lines do not respond'],
        [0x08, 'SDR repository empty'],
        [0x04, 'Internal Use Area corrupted'],
        [0x02, 'Controller update boot block corrupted'],
        [0x01, 'controller operational firmware corrupted'],
      ];
      let text = 'Selftest: device corrupted\n';
      for (const [bit, line] of failures) if (detail & bit) text += `${line}\n`;
      return { text, passed: false };
    }
    case 0x58:
      return { text: `Selftest     : fatal error\nFailure code : ${hex2(detail)}\n`, passed: false };
    case 0xff:
      // ipmitool prints this one without a newline.
      return { text: 'Selftest: N/A', passed: false };
    default:
      return { text: `Selftest     : device specific (${hex2(result).toUpperCase()}h)\nFailure code : ${hex2(detail).toUpperCase()}h\n`, passed: true };
  }
}

/** BMC Global Enables bits: [option name for setenables, description]. */
export const globalEnables: readonly (readonly [string, string, number])[] = [
  ['recv_msg_intr', 'Receive Message Queue Interrupt', 0x01],
  ['event_msg_intr', 'Event Message Buffer Full Interrupt', 0x02],
  ['event_msg', 'Event Message Buffer', 0x04],
  ['system_event_log', 'System Event Logging', 0x08],
  ['oem0', 'OEM 0', 0x20],
  ['oem1', 'OEM 1', 0x40],
  ['oem2', 'OEM 2', 0x80],
];

export function formatEnables(enables: number): string {
  return globalEnables.map(([, desc, bit]) => `${desc.padEnd(40)} : ${enables & bit ? 'en' : 'dis'}abled\n`).join('');
}

export const watchdogUseNames = ['Reserved', 'BIOS FRB2', 'BIOS/POST', 'OS Load', 'SMS/OS', 'OEM', 'Reserved', 'Reserved'];
export const watchdogUseOptions = ['none', 'frb2', 'post', 'osload', 'sms', 'oem'];
export const watchdogInterruptNames = ['None', 'SMI', 'NMI/Diagnostic', 'Messaging', 'Reserved', 'Reserved', 'Reserved', 'Reserved'];
export const watchdogInterruptOptions = ['none', 'smi', 'nmi', 'msg'];
export const watchdogActionNames = ['No action', 'Hard Reset', 'Power Down', 'Power Cycle', 'Reserved', 'Reserved', 'Reserved', 'Reserved'];
export const watchdogActionOptions = ['none', 'reset', 'poweroff', 'cycle'];

export function formatWatchdog(w: WatchdogStatus): string {
  const use = (w.dontLog ? 0x80 : 0) | (w.running ? 0x40 : 0) | (w.timerUse & 7);
  const intrAction = ((w.preTimeoutInterrupt & 7) << 4) | (w.timeoutAction & 7);
  const lines = [
    `Watchdog Timer Use:     ${watchdogUseNames[w.timerUse & 7]} (0x${hex2(use)})`,
    `Watchdog Timer Is:      ${w.running ? 'Started/Running' : 'Stopped'}`,
    `Watchdog Timer Logging: ${w.dontLog ? 'Off' : 'On'}`,
    `Watchdog Timer Action:  ${watchdogActionNames[w.timeoutAction & 7]} (0x${hex2(intrAction)})`,
    `Pre-timeout interrupt:  ${watchdogInterruptNames[w.preTimeoutInterrupt & 7]}`,
    `Pre-timeout interval:   ${w.preTimeoutInterval} seconds`,
    `Timer Expiration Flags: ${w.expirationFlags ? '' : 'None '}(0x${hex2(w.expirationFlags)})`,
  ];
  for (let i = 0; i < 8; i++) if (w.expirationFlags & (1 << i)) lines.push(`                        * ${watchdogUseNames[i]}`);
  lines.push(`Initial Countdown:      ${(w.initialCountdown / 10).toFixed(1)} sec`, `Present Countdown:      ${w.presentCountdown === undefined ? 'unknown (short response)' : `${(w.presentCountdown / 10).toFixed(1)} sec`}`);
  return lines.join('\n') + '\n';
}
