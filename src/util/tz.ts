// Local time the way glibc's localtime_r() computes it, so that dates print exactly as
// ipmitool's strftime("%x %X %Z") does: the zone comes from TZ (a zoneinfo name, ":name", an
// absolute path, or a POSIX rule such as "EST5EDT,M3.2.0,M11.1.0"), else /etc/localtime, and
// the abbreviation (%Z) is the one the zoneinfo file gives for that instant ("BST", "EST", "UTC").
// Node's Intl has the offsets but not glibc's abbreviations (en-US says "GMT+1" for BST).

import { readFileSync } from 'node:fs';

export interface ZoneInfo {
  /** Seconds east of UTC at the instant. */
  offset: number;
  /** tm_zone: "UTC", "GMT", "BST", "EST", ... */
  abbreviation: string;
}

interface LocalTimeType {
  offset: number;
  isDst: boolean;
  abbreviation: string;
}

interface Zone {
  transitions: number[];
  types: number[];
  ttinfos: LocalTimeType[];
  /** POSIX rule for instants after the last transition (TZif v2+ footer), if any. */
  rule: PosixRule | undefined;
}

// ---- TZif (RFC 8536) ------------------------------------------------------------------------

function parseTzif(buf: Buffer): Zone | undefined {
  if (buf.length < 44 || buf.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const version = buf[4]!;
  const counts = (at: number) => [0, 1, 2, 3, 4, 5].map((i) => buf.readUInt32BE(at + 20 + 4 * i)) as [number, number, number, number, number, number];
  let at = 0;
  let timeSize = 4;
  let [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(0);
  if (version >= 0x32) {
    // Skip the 32-bit block; the 64-bit one follows with its own header.
    at = 44 + timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isut;
    if (buf.length < at + 44) return undefined;
    [isut, isstd, leap, timecnt, typecnt, charcnt] = counts(at);
    timeSize = 8;
  }
  let p = at + 44;
  const transitions: number[] = [];
  for (let i = 0; i < timecnt; i++, p += timeSize) transitions.push(timeSize === 8 ? Number(buf.readBigInt64BE(p)) : buf.readInt32BE(p));
  const types: number[] = [];
  for (let i = 0; i < timecnt; i++) types.push(buf[p++]!);
  const raw: { offset: number; isDst: boolean; idx: number }[] = [];
  for (let i = 0; i < typecnt; i++, p += 6) raw.push({ offset: buf.readInt32BE(p), isDst: buf[p + 4] !== 0, idx: buf[p + 5]! });
  const chars = buf.subarray(p, p + charcnt);
  p += charcnt + leap * (timeSize + 4) + isstd + isut;
  const ttinfos = raw.map((t) => {
    const end = chars.indexOf(0, t.idx);
    return { offset: t.offset, isDst: t.isDst, abbreviation: chars.toString('latin1', t.idx, end < 0 ? chars.length : end) };
  });
  let rule: PosixRule | undefined;
  if (timeSize === 8 && buf[p] === 0x0a) {
    const end = buf.indexOf(0x0a, p + 1);
    if (end > p) rule = parsePosixTz(buf.toString('latin1', p + 1, end));
  }
  return { transitions, types, ttinfos, rule };
}

// ---- POSIX TZ rules ("CET-1CEST,M3.5.0,M10.5.0/3") ---------------------------------------

interface RuleDate {
  kind: 'M' | 'J' | 'n';
  month: number;
  week: number;
  day: number;
  /** Seconds after local midnight. */
  time: number;
}

interface PosixRule {
  std: LocalTimeType;
  dst: LocalTimeType | undefined;
  start: RuleDate | undefined;
  end: RuleDate | undefined;
}

function parsePosixTz(s: string): PosixRule | undefined {
  let i = 0;
  const name = (): string | undefined => {
    if (s[i] === '<') {
      const end = s.indexOf('>', i);
      if (end < 0) return undefined;
      const n = s.slice(i + 1, end);
      i = end + 1;
      return n;
    }
    const m = /^[A-Za-z]{3,}/.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    return m[0];
  };
  // [+-]hh[:mm[:ss]]; POSIX offsets are west-positive.
  const time = (): number | undefined => {
    const m = /^([+-]?)(\d{1,3})(?::(\d{1,2}))?(?::(\d{1,2}))?/.exec(s.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    const v = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
    return m[1] === '-' ? -v : v;
  };
  const date = (): RuleDate | undefined => {
    let d: RuleDate;
    let m;
    if ((m = /^M(\d{1,2})\.(\d)\.(\d)/.exec(s.slice(i)))) d = { kind: 'M', month: Number(m[1]), week: Number(m[2]), day: Number(m[3]), time: 7200 };
    else if ((m = /^J(\d{1,3})/.exec(s.slice(i)))) d = { kind: 'J', month: 0, week: 0, day: Number(m[1]), time: 7200 };
    else if ((m = /^(\d{1,3})/.exec(s.slice(i)))) d = { kind: 'n', month: 0, week: 0, day: Number(m[1]), time: 7200 };
    else return undefined;
    i += m[0].length;
    if (s[i] === '/') {
      i++;
      const t = time();
      if (t === undefined) return undefined;
      d.time = t;
    }
    return d;
  };
  const stdName = name();
  if (stdName === undefined) return undefined;
  // glibc keeps a name without an offset ("Foo", "Nowhere/Zone" that is no file) as UTC+0.
  const stdOff = time() ?? 0;
  const rule: PosixRule = { std: { offset: -stdOff, isDst: false, abbreviation: stdName }, dst: undefined, start: undefined, end: undefined };
  if (i >= s.length) return rule;
  const dstName = name();
  if (dstName === undefined) return rule;
  let dstOff = -stdOff + 3600;
  if (s[i] !== ',' && i < s.length) {
    const t = time();
    if (t === undefined) return undefined;
    dstOff = -t;
  }
  rule.dst = { offset: dstOff, isDst: true, abbreviation: dstName };
  if (s[i] === ',') {
    i++;
    rule.start = date();
    if (s[i] !== ',') return rule.start ? { ...rule, end: undefined } : undefined;
    i++;
    rule.end = date();
  }
  return rule;
}

const DAY = 86400;

/** Seconds since the epoch (UTC) of a rule date's local wall-clock time in `year`, minus `offset`. */
function ruleInstant(d: RuleDate, year: number, offset: number): number {
  const jan1 = Date.UTC(year, 0, 1) / 1000;
  let dayStart: number;
  if (d.kind === 'M') {
    const first = Date.UTC(year, d.month - 1, 1) / 1000;
    const firstWday = new Date(first * 1000).getUTCDay();
    let mday = 1 + ((d.day - firstWday + 7) % 7) + (d.week - 1) * 7;
    const daysInMonth = new Date(Date.UTC(year, d.month, 0)).getUTCDate();
    while (mday > daysInMonth) mday -= 7;
    dayStart = first + (mday - 1) * DAY;
  } else if (d.kind === 'J') {
    // Julian day 1-365, February 29 never counted.
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCDate() === 29;
    dayStart = jan1 + (d.day - 1 + (leap && d.day >= 60 ? 1 : 0)) * DAY;
  } else {
    dayStart = jan1 + d.day * DAY;
  }
  return dayStart + d.time - offset;
}

function ruleType(rule: PosixRule, t: number): LocalTimeType {
  if (!rule.dst || !rule.start || !rule.end) return rule.std;
  const year = new Date((t + rule.std.offset) * 1000).getUTCFullYear();
  const start = ruleInstant(rule.start, year, rule.std.offset);
  const end = ruleInstant(rule.end, year, rule.dst.offset);
  const inDst = start < end ? t >= start && t < end : !(t >= end && t < start);
  return inDst ? rule.dst : rule.std;
}

// ---- lookup ---------------------------------------------------------------------------------

const UTC: Zone = { transitions: [], types: [], ttinfos: [{ offset: 0, isDst: false, abbreviation: 'UTC' }], rule: undefined };
const zones = new Map<string, Zone>();

function loadZone(tz: string | undefined): Zone {
  const key = tz ?? '\0localtime';
  let zone = zones.get(key);
  if (zone) return zone;
  zone = resolveZone(tz);
  zones.set(key, zone);
  return zone;
}

function resolveZone(tz: string | undefined): Zone {
  if (tz === '') return UTC;
  const name = tz === undefined ? undefined : tz.startsWith(':') ? tz.slice(1) : tz;
  const file = name === undefined ? '/etc/localtime' : name.startsWith('/') ? name : `/usr/share/zoneinfo/${name}`;
  if (name === undefined || !name.includes('..')) {
    try {
      const z = parseTzif(readFileSync(file));
      if (z) return z;
    } catch {
      // not a zoneinfo name: try it as a POSIX rule
    }
  }
  const rule = name !== undefined ? parsePosixTz(name) : undefined;
  // glibc falls back to UTC for a TZ it cannot make sense of.
  return rule ? { transitions: [], types: [], ttinfos: [], rule } : UTC;
}

/** The offset and abbreviation glibc's localtime_r() gives for `seconds` under TZ (`env.TZ`). */
export function zoneAt(seconds: number, tz: string | undefined): ZoneInfo {
  const z = loadZone(tz);
  let type: LocalTimeType | undefined;
  const n = z.transitions.length;
  if (n > 0 && seconds >= z.transitions[0]!) {
    if (seconds >= z.transitions[n - 1]! && z.rule) {
      type = ruleType(z.rule, seconds);
    } else {
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (z.transitions[mid]! <= seconds) lo = mid;
        else hi = mid - 1;
      }
      type = z.ttinfos[z.types[lo]!];
    }
  } else if (n === 0 && z.rule) {
    type = ruleType(z.rule, seconds);
  } else {
    type = z.ttinfos[0];
  }
  type ??= UTC.ttinfos[0]!;
  return { offset: type.offset, abbreviation: type.abbreviation };
}

/**
 * mktime(): the instant at which the wall clock under TZ shows the given local time. For times
 * that occur twice or not at all at a DST change, the offset in effect just before is used.
 */
export function localToEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: string | undefined): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  let t = wall - zoneAt(wall, tz).offset;
  t = wall - zoneAt(t, tz).offset;
  return t;
}
