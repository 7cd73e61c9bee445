// ipmitool-compatible text for `power` and `chassis` (ipmitool 1.8.19 lib/ipmi_chassis.c layout).

import type { BootOption, ChassisStatus } from '../../ipmi/commands/chassis.js';
import { manufacturerName } from './iana.js';
import { formatTimestamp } from './time.js';

export const powerControlNames: Readonly<Record<number, string>> = { 0: 'Down/Off', 1: 'Up/On', 2: 'Cycle', 3: 'Reset', 4: 'Diag', 5: 'Soft' };

export const restorePolicyNames: readonly string[] = ['always-off', 'previous', 'always-on', 'unknown'];

export const restartCauseNames: readonly string[] = [
  'unknown',
  'chassis power control command',
  'reset via pushbutton',
  'power-up via pushbutton',
  'watchdog expired',
  'OEM',
  'power-up due to always-restore power policy',
  'power-up due to restore-previous power policy',
  'reset via PEF',
  'power-cycle via PEF',
  'soft reset',
  'power-up via RTC wakeup',
];

export function restartCauseName(cause: number): string {
  return restartCauseNames[cause] ?? `Unknown (0x${cause.toString(16).toUpperCase().padStart(2, '0')})`;
}

export function formatPowerStatus(on: boolean): string {
  return `Chassis Power is ${on ? 'on' : 'off'}\n`;
}

const tf = (b: boolean) => (b ? 'true' : 'false');
const active = (b: boolean) => (b ? 'active' : 'inactive');

export function lastPowerEventText(bits: number): string {
  let s = '';
  if (bits & 0x01) s += 'ac-failed ';
  if (bits & 0x02) s += 'overload ';
  if (bits & 0x04) s += 'interlock ';
  if (bits & 0x08) s += 'fault ';
  if (bits & 0x10) s += 'command';
  return s;
}

export function formatChassisStatus(s: ChassisStatus): string {
  const lines = [
    `System Power         : ${s.powerOn ? 'on' : 'off'}`,
    `Power Overload       : ${tf(s.powerOverload)}`,
    `Power Interlock      : ${active(s.interlock)}`,
    `Main Power Fault     : ${tf(s.powerFault)}`,
    `Power Control Fault  : ${tf(s.powerControlFault)}`,
    `Power Restore Policy : ${restorePolicyNames[s.restorePolicy] ?? 'unknown'}`,
    `Last Power Event     : ${lastPowerEventText(s.lastPowerEvent)}`,
    `Chassis Intrusion    : ${active(s.intrusion)}`,
    `Front-Panel Lockout  : ${active(s.frontPanelLockout)}`,
    `Drive Fault          : ${tf(s.driveFault)}`,
    `Cooling/Fan Fault    : ${tf(s.fanFault)}`,
  ];
  if (s.frontPanel) {
    const byte = ((s.frontPanel.disableAllowed & 0x0f) << 4) | (s.frontPanel.disabled & 0x0f);
    if (byte === 0) {
      lines.push('Front Panel Control  : none');
    } else {
      const allowed = (bit: number) => (byte & bit ? 'allowed' : 'not allowed');
      lines.push(
        `Sleep Button Disable : ${allowed(0x80)}`,
        `Diag Button Disable  : ${allowed(0x40)}`,
        `Reset Button Disable : ${allowed(0x20)}`,
        `Power Button Disable : ${allowed(0x10)}`,
        `Sleep Button Disabled: ${tf((byte & 0x08) !== 0)}`,
        `Diag Button Disabled : ${tf((byte & 0x04) !== 0)}`,
        `Reset Button Disabled: ${tf((byte & 0x02) !== 0)}`,
        `Power Button Disabled: ${tf((byte & 0x01) !== 0)}`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

/** `chassis identify` confirmation: the interval asked for, not what the BMC did. */
export function formatIdentify(interval: number | undefined, force: boolean): string {
  const what = interval === undefined && !force ? 'default (15 seconds)' : force ? 'indefinite' : interval === 0 ? 'off' : `${interval} seconds`;
  return `Chassis identify interval: ${what}\n`;
}

/**
 * Power-on hours the way ipmitool computes them: in single-precision float (so very large
 * counters round the same way), minutes shown only when a count is shorter than an hour.
 */
export function pohParts(minutesPerCount: number, counter: number): { days: number; hours: number; minutes: number } {
  const f = Math.fround;
  let minutes = f(f(counter) * minutesPerCount);
  const days = Math.trunc(f(minutes / 1440)) >>> 0;
  minutes = f(minutes - f(days * 1440));
  const hours = Math.trunc(f(minutes / 60)) >>> 0;
  minutes = f(minutes - hours * 60);
  return { days, hours, minutes: Math.trunc(minutes) };
}

export function formatPoh(minutesPerCount: number, counter: number): string {
  const { days, hours, minutes } = pohParts(minutesPerCount, counter);
  return minutesPerCount < 60 ? `POH Counter  : ${days} days, ${hours} hours, ${minutes} minutes\n` : `POH Counter  : ${days} days, ${hours} hours\n`;
}

const brokenDevices = [
  'firmware corrupted',
  'boot block corrupted',
  'FRU Internal Use Area corrupted',
  'SDR Repository empty',
  'IPMB not responding',
  'cannot access BMC FRU',
  'cannot access SDR Repository',
  'cannot access SEL Device',
];
const hh = (n: number) => n.toString(16).padStart(2, '0');

/** `chassis selftest` (Get Self Test Results, chassis wording). */
export function formatChassisSelfTest(result: number, detail: number): string {
  switch (result) {
    case 0x55:
      return 'Self Test Results    : passed\n';
    case 0x56:
      return 'Self Test Results    : not implemented\n';
    case 0x57: {
      let s = 'Self Test Results    : device error\n';
      for (let i = 0; i < 8; i++) if (detail & (1 << i)) s += `                       [${brokenDevices[i]}]\n`;
      return s;
    }
    case 0x58:
      return `Self Test Results    : Fatal hardware error: ${hh(detail)}h\n`;
    default:
      return `Self Test Results    : Device-specific failure ${hh(result)}h:${hh(detail)}h\n`;
  }
}

export const policyCodes: Readonly<Record<string, number>> = { 'always-off': 0, previous: 1, 'always-on': 2, list: 3 };

/** `chassis policy list` (supported bitmask) or the confirmation of a change. */
export function formatPolicy(policy: number, supported: number): string {
  if (policy === 3) {
    let s = 'Supported chassis power policy:  ';
    if (supported & 1) s += 'always-off ';
    if (supported & 4) s += 'always-on ';
    if (supported & 2) s += 'previous';
    return s + '\n';
  }
  const name = policy === 2 ? 'always-on' : policy === 0 ? 'always-off' : policy === 1 ? 'previous' : 'unknown';
  return `Set chassis power restore policy to ${name}\n`;
}

// ---- boot options (chassis bootparam get) ------------------------------------------------------

const bootDeviceNames: Readonly<Record<number, string>> = {
  0x0: 'No override',
  0x1: 'Force PXE',
  0x2: 'Force Boot from default Hard-Drive',
  0x3: 'Force Boot from default Hard-Drive, request Safe-Mode',
  0x4: 'Force Boot from Diagnostic Partition',
  0x5: 'Force Boot from CD/DVD',
  0x6: 'Force Boot into BIOS Setup',
  0x7: 'Force Boot from remotely connected Floppy/primary removable media',
  0x8: 'Force Boot from remotely connected CD/DVD',
  0x9: 'Force Boot from primary remote media',
  0xb: 'Force Boot from remotely connected Hard-Drive',
  0xf: 'Force Boot from Floppy/primary removable media',
};

function bootFlagLines(d: Uint8Array): string[] {
  const b = (i: number) => d[i] ?? 0;
  const out = [' Boot Flags :'];
  out.push(b(0) & 0x80 ? '   - Boot Flag Valid' : '   - Boot Flag Invalid');
  out.push(b(0) & 0x40 ? '   - Options apply to all future boots' : '   - Options apply to only next boot');
  out.push(b(0) & 0x20 ? '   - BIOS EFI boot ' : '   - BIOS PC Compatible (legacy) boot ');
  if (b(1) & 0x80) out.push('   - CMOS Clear');
  if (b(1) & 0x40) out.push('   - Lock Keyboard');
  out.push(`   - Boot Device Selector : ${bootDeviceNames[(b(1) >> 2) & 0x0f] ?? 'Flag error'}`);
  if (b(1) & 0x02) out.push('   - Screen blank');
  if (b(1) & 0x01) out.push('   - Lock out Reset buttons');
  if (b(2) & 0x80) out.push('   - Lock out (power off/sleep request) via Power Button');
  out.push(`   - BIOS verbosity : ${['System Default', 'Request Quiet Display', 'Request Verbose Display', 'Flag error'][(b(2) >> 5) & 3]}`);
  if (b(2) & 0x10) out.push('   - Force progress event traps');
  if (b(2) & 0x08) out.push('   - User password bypass');
  if (b(2) & 0x04) out.push('   - Lock Out Sleep Button');
  out.push(
    `   - Console Redirection control : ${
      [
        'Console redirection occurs per BIOS configuration setting (default)',
        'Suppress (skip) console redirection if enabled',
        'Request console redirection be enabled',
        'Flag error',
      ][b(2) & 3]
    }`,
  );
  if (b(3) & 0x08) out.push('   - BIOS Shared Mode Override');
  out.push(
    `   - BIOS Mux Control Override : ${
      [
        'BIOS uses recommended setting of the mux at the end of POST',
        'Requests BIOS to force mux to BMC at conclusion of POST/start of OS boot',
        'Requests BIOS to force mux to system at conclusion of POST/start of OS boot',
      ][b(3) & 7] ?? 'Flag error'
    }`,
  );
  return out;
}

function ipmitoolTimestamp(stamp: number, env: NodeJS.ProcessEnv): string {
  if (stamp === 0xffffffff) return 'Unspecified';
  if (stamp < 0x20000000) {
    const d = new Date(stamp * 1000);
    const p = (n: number) => String(n).padStart(2, '0');
    const hms = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    if (stamp < 86400) return `S+ ${hms}`;
    const start = Date.UTC(d.getUTCFullYear(), 0, 1);
    const yday = Math.floor((d.getTime() - start) / 86400000) + 1;
    return `S+ ${p(d.getUTCFullYear() % 100)}/${String(yday).padStart(3, '0')} ${hms}`;
  }
  return formatTimestamp(stamp, env);
}

/** A title, then one line per set bit (in table order), or `none` when no listed bit is set. */
function flagLines(title: string, byte: number, none: string, flags: readonly (readonly [number, string])[]): string[] {
  const set = flags.filter(([bit]) => byte & bit).map(([, line]) => line);
  return [title, ...(set.length ? set : [none])];
}

/** The parameter-specific lines of `chassis bootparam get N` (after the generic header). */
export function bootParamDetail(parameter: number, d: Uint8Array, env: NodeJS.ProcessEnv = process.env): string[] {
  const b = (i: number) => d[i] ?? 0;
  switch (parameter) {
    case 0:
      return [` Set In Progress : ${['set complete', 'set in progress', 'commit write', 'error, reserved bit'][b(0) & 3]}`];
    case 1:
      return [` Service Partition Selector : ${b(0) === 0 ? 'unspecified' : b(0)}`];
    case 2:
      return flagLines(' Service Partition Scan :', b(0), '     No flag set', [
        [0x01, '     - Request BIOS to scan'],
        [0x02, '     - Service Partition Discovered'],
      ]);
    case 3:
      return flagLines(' BMC boot flag valid bit clearing :', b(0), '     No flag set', [
        [0x10, "     - Don't clear valid bit on reset/power cycle cause by PEF"],
        [0x08, "     - Don't automatically clear boot flag valid bit on timeout"],
        [0x04, "     - Don't clear valid bit on reset/power cycle cause by watchdog"],
        [0x02, "     - Don't clear valid bit on push button reset // soft reset"],
        [0x01, "     - Don't clear valid bit on power up via power push button or wake event"],
      ]);
    case 4:
      // ipmitool reads the acknowledge byte (the second data byte), not the write mask.
      return flagLines(' Boot Info Acknowledge :', b(1), '     No flag set', [
        [0x10, '    - OEM has handled boot info'],
        [0x08, '    - SMS has handled boot info'],
        [0x04, '    - OS // service partition has handled boot info'],
        [0x02, '    - OS Loader has handled boot info'],
        [0x01, '    - BIOS/POST has handled boot info'],
      ]);
    case 5:
      return bootFlagLines(d);
    case 6: {
      const session = (b(1) | (b(2) << 8) | (b(3) << 16) | (b(4) << 24)) >>> 0;
      const stamp = (b(5) | (b(6) << 8) | (b(7) << 16) | (b(8) << 24)) >>> 0;
      return [
        ' Boot Initiator Info :',
        `    Channel Number : ${b(0) & 0x0f}`,
        `    Session Id     : ${session.toString(16).toUpperCase().padStart(8, '0')}h`,
        `    Timestamp      : ${ipmitoolTimestamp(stamp, env)}`,
      ];
    }
    case 7: {
      const out = [` Selector       : ${b(0)}`];
      let data = d.subarray(1);
      if (b(0) === 0) {
        const iana = b(1) | (b(2) << 8) | (b(3) << 16);
        out.push(` IANA PEN       : ${iana} [${manufacturerName(iana, env)}]`);
        data = d.subarray(4);
      }
      out.push(` Block Data     : ${Buffer.from(data).toString('hex')}`);
      return out;
    }
    default:
      return [` Unsupported parameter ${parameter}`];
  }
}

export function formatBootParam(o: BootOption, env: NodeJS.ProcessEnv = process.env): string {
  const lines = [
    `Boot parameter version: ${o.version}`,
    `Boot parameter ${o.parameter} is ${o.invalid ? 'invalid/locked' : 'valid/unlocked'}`,
    `Boot parameter data: ${Buffer.from(o.data).toString('hex')}`,
    ...bootParamDetail(o.parameter, o.data, env),
  ];
  return lines.join('\n') + '\n';
}
