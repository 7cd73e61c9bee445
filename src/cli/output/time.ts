// Dates the way ipmitool 1.8.19 prints them (lib/ipmi_time.c): strftime in the C locale, local
// time from TZ as glibc computes it (zone abbreviation included), or UTC with -Z, in which case
// glibc's gmtime_r() names the zone "GMT". IPMI timestamps below 0x20000000 count seconds since
// the BMC started (IPMI v2.0 §37.1) and print as "S+ ..." in UTC; 0xFFFFFFFF is "Unspecified".

import { zoneAt } from '../../util/tz.js';

export const IPMI_TIME_UNSPECIFIED = 0xffffffff;
export const IPMI_TIME_INIT_DONE = 0x20000000;
const SECONDS_A_DAY = 86400;

export interface TimeOptions {
  /** -Z: print in UTC. */
  utc?: boolean;
  env?: NodeJS.ProcessEnv;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface BrokenDown {
  d: Date; // UTC fields hold the wall-clock time
  zone: string;
}

function brokenDown(stamp: number, opts: TimeOptions): BrokenDown {
  // glibc's gmtime_r() zone is "GMT"; init-relative stamps (up to and including 0x20000000) are never shifted.
  if (opts.utc || stamp <= IPMI_TIME_INIT_DONE) return { d: new Date(stamp * 1000), zone: 'GMT' };
  const z = zoneAt(stamp, (opts.env ?? process.env).TZ);
  return { d: new Date((stamp + z.offset) * 1000), zone: z.abbreviation };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** The C-locale strftime directives ipmitool uses. */
export function strftime(format: string, stamp: number, opts: TimeOptions = {}): string {
  const { d, zone } = brokenDown(stamp, opts);
  const yday = Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1;
  const fields: Record<string, () => string> = {
    a: () => DAYS[d.getUTCDay()]!,
    b: () => MONTHS[d.getUTCMonth()]!,
    d: () => p2(d.getUTCDate()),
    e: () => String(d.getUTCDate()).padStart(2, ' '),
    H: () => p2(d.getUTCHours()),
    M: () => p2(d.getUTCMinutes()),
    S: () => p2(d.getUTCSeconds()),
    m: () => p2(d.getUTCMonth() + 1),
    y: () => p2(d.getUTCFullYear() % 100),
    Y: () => String(d.getUTCFullYear()),
    j: () => String(yday).padStart(3, '0'),
    Z: () => zone,
    '%': () => '%',
  };
  const expand = (f: string): string =>
    f.replace(/%([a-zA-Z%])/g, (_, c: string) => {
      if (c === 'x') return expand('%m/%d/%y');
      if (c === 'X') return expand('%H:%M:%S');
      if (c === 'c') return expand('%a %b %e %H:%M:%S %Y');
      return fields[c]?.() ?? `%${c}`;
    });
  return expand(format);
}

const special = (stamp: number) => stamp < IPMI_TIME_INIT_DONE;

/** ipmi_timestamp_numeric: "MM/DD/YY HH:MM:SS ZONE" (sel time get, sdr info, sel info). */
export function timestampNumeric(stamp: number, opts: TimeOptions = {}): string {
  if (stamp === IPMI_TIME_UNSPECIFIED) return 'Unspecified';
  if (special(stamp)) return strftime(stamp < SECONDS_A_DAY ? 'S+ %H:%M:%S' : 'S+ %y/%j %H:%M:%S', stamp, opts);
  return strftime('%x %X %Z', stamp, opts);
}

/** ipmi_timestamp_date: the date column of `sel list`. */
export function timestampDate(stamp: number, opts: TimeOptions = {}): string {
  if (stamp === IPMI_TIME_UNSPECIFIED) return 'Unspecified';
  if (special(stamp)) return strftime('S+ %y/%j', stamp, opts);
  return strftime('%x', stamp, opts);
}

/** ipmi_timestamp_time: the time column of `sel list`. */
export function timestampTime(stamp: number, opts: TimeOptions = {}): string {
  if (stamp === IPMI_TIME_UNSPECIFIED) return 'Unspecified';
  return strftime('%X %Z', stamp, opts);
}

/** ipmi_timestamp_string: "%c %Z", e.g. the FRU board manufacturing date. */
export function timestampString(stamp: number, opts: TimeOptions = {}): string {
  if (stamp === IPMI_TIME_UNSPECIFIED) return 'Unspecified';
  if (special(stamp)) return strftime(stamp < SECONDS_A_DAY ? 'S+ %H:%M:%S' : 'S+ %y years %j days %H:%M:%S', stamp, opts);
  return strftime('%c %Z', stamp, opts);
}

/** The numeric form, as `mc guid` prints its timestamp. */
export function formatTimestamp(sec: number, env: NodeJS.ProcessEnv = process.env, utc = false): string {
  return timestampNumeric(sec, { env, utc });
}
