// ipmitool prints dates with glibc's strftime in the C locale and local time from TZ. Our
// formatter must give the same text, zone abbreviation included: checked here against glibc
// itself (`date`, which formats with the same strftime and localtime) for zones with and without
// daylight saving, POSIX TZ strings, instants past the zoneinfo transition table, -Z and the
// special IPMI timestamps.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { strftime, timestampDate, timestampNumeric, timestampString, timestampTime } from '../../src/cli/output/time.js';
import { zoneAt } from '../../src/util/tz.js';

function glibc(stamp: number, format: string, tz: string | undefined): string {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  if (tz === undefined) delete env.TZ;
  else env.TZ = tz;
  const r = spawnSync('date', ['-d', `@${stamp}`, `+${format}`], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.replace(/\n$/, '');
}

const ZONES = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'EST5EDT,M3.2.0,M11.1.0', 'CET-1CEST,M3.5.0,M10.5.0/3', ':Europe/Paris', ''];
const STAMPS = [
  0x20000001, // 1987, before many zones' current rules
  1700000000, // Nov 2023
  1720000000, // Jul 2024 (summer time)
  1711846800, // 2024-03-31 01:00 UTC: the British change itself
  1711846799,
  2147483647, // 2038
  2600000000, // 2052: beyond the zoneinfo tables, the POSIX footer decides
];

test('strftime("%x %X %Z") equals glibc in every zone', () => {
  for (const tz of ZONES) {
    for (const s of STAMPS) {
      assert.equal(strftime('%x %X %Z', s, { env: { TZ: tz } }), glibc(s, '%x %X %Z', tz), `TZ=${tz} @${s}`);
      assert.equal(strftime('%c %Z', s, { env: { TZ: tz } }), glibc(s, '%c %Z', tz), `TZ=${tz} @${s}`);
    }
  }
});

test('TZ unset means /etc/localtime', () => {
  for (const s of STAMPS) assert.equal(strftime('%x %X %Z', s, { env: {} }), glibc(s, '%x %X %Z', undefined));
});

test('-Z prints UTC as glibc names gmtime(): GMT', () => {
  assert.equal(timestampNumeric(1700000000, { utc: true, env: { TZ: 'America/New_York' } }), '11/14/23 22:13:20 GMT');
  assert.equal(timestampNumeric(1700000000, { env: { TZ: 'America/New_York' } }), '11/14/23 17:13:20 EST');
});

test('special timestamps: unspecified, seconds since BMC start', () => {
  assert.equal(timestampNumeric(0xffffffff), 'Unspecified');
  assert.equal(timestampNumeric(1212, { env: { TZ: 'Europe/London' } }), 'S+ 00:20:12');
  assert.equal(timestampNumeric(3 * 86400 + 5, { env: { TZ: 'Europe/London' } }), 'S+ 70/004 00:00:05');
  assert.equal(timestampDate(1212), 'S+ 70/001');
  assert.equal(timestampTime(1212, { env: { TZ: 'Europe/London' } }), '00:20:12 GMT');
  assert.equal(timestampString(1212), 'S+ 00:20:12');
  assert.equal(timestampString(1705305600, { env: { TZ: 'UTC' } }), 'Mon Jan 15 08:00:00 2024 UTC');
});

test('zoneAt: abbreviations and offsets from zoneinfo', () => {
  assert.deepEqual(zoneAt(1720000000, 'Europe/London'), { offset: 3600, abbreviation: 'BST' });
  assert.deepEqual(zoneAt(1700000000, 'Europe/London'), { offset: 0, abbreviation: 'GMT' });
  // A TZ that is neither a zone file nor a full POSIX rule: glibc keeps the leading name at UTC+0.
  for (const tz of ['Nowhere/Such_Zone', 'Foo', 'UTC0', 'EST5']) assert.equal(strftime('%X %Z', 1700000000, { env: { TZ: tz } }), glibc(1700000000, '%X %Z', tz), tz);
});
