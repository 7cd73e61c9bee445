// Must-show (issue 3, sensors): FreeIPMI's ipmi-sensors reads the 1U server from
// `ipmi-sim serve` with a private 0700 SDR cache directory and no workaround flags, over IPMI
// 2.0 and 1.5, and shows the same sensors, readings and thresholds as ipmitool. A reading
// written with ipmi-raw shows up in ipmi-sensors and, with its threshold, in ipmi-sel.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { SERVER_1U_SENSORS } from '../bmc/server-1u.js';

const active = (havePeer('ipmi-sensors') && havePeer('ipmitool')) || process.env.CI === 'true';
let bmc: ServeHandle | undefined;
let dir = '';

before(async () => {
  if (!active) return;
  dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-freeipmi-'));
  writeFileSync(join(dir, '1u.yaml'), SERVER_1U_SENSORS);
  bmc = await startServe(['--config', join(dir, '1u.yaml')]);
});
after(async () => {
  await bmc?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh private SDR cache directory, as FreeIPMI wants it: mode 0700. */
function cacheDir(): string {
  const d = mkdtempSync(join(dir, 'sdr-cache-'));
  assert.equal(statSync(d).mode & 0o777, 0o700);
  return d;
}

async function freeipmi(tool: string, args: string[]): Promise<string[]> {
  const r = await run(tool, ['-h', `127.0.0.1:${bmc!.port}`, '-u', 'admin', '-p', 'password', ...args], { timeoutMs: 60_000, env: { TZ: 'UTC' } });
  assert.equal(r.code, 0, `${tool} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '').split('\n');
}

const TABLE = [
  'ID | Name          | Type              | Reading    | Units | Event',
  "1  | CPU1 Temp     | Temperature       | 45.00      | C     | 'OK'",
  "2  | CPU2 Temp     | Temperature       | 47.00      | C     | 'OK'",
  "3  | Inlet Temp    | Temperature       | 22.50      | C     | 'OK'",
  "4  | Exhaust Temp  | Temperature       | 35.50      | C     | 'OK'",
  "5  | FAN1          | Fan               | 5400.00    | RPM   | 'OK'",
  "6  | FAN2          | Fan               | 5300.00    | RPM   | 'OK'",
  "7  | FAN3          | Fan               | 5500.00    | RPM   | 'OK'",
  "8  | 12V           | Voltage           | 12.10      | V     | 'OK'",
  "9  | 5V            | Voltage           | 5.05       | V     | 'OK'",
  "10 | 3.3V          | Voltage           | 3.30       | V     | 'OK'",
  "11 | PSU1 Status   | Power Supply      | N/A        | N/A   | 'Presence detected'",
  "12 | PSU2 Status   | Power Supply      | N/A        | N/A   | 'Presence detected'",
  "13 | Watchdog      | Watchdog 2        | N/A        | N/A   | 'OK'",
  "14 | Chassis Intru | Physical Security | N/A        | N/A   | 'OK'",
];

test('ipmi-sensors over IPMI 2.0 and 1.5 builds its SDR cache and lists every sensor', async (t) => {
  if (!requirePeers(t, 'ipmi-sensors')) return;
  for (const driver of [['-D', 'LAN_2_0'], []]) {
    const cache = cacheDir();
    assert.deepEqual(await freeipmi('ipmi-sensors', [...driver, '--sdr-cache-directory', cache]), TABLE, `driver ${driver.join(' ') || 'default'}`);
    // The second run uses the cache: Get SDR Repository Info timestamps must match it.
    assert.deepEqual(await freeipmi('ipmi-sensors', [...driver, '--sdr-cache-directory', cache]), TABLE);
  }
});

test('ipmi-sensors and ipmitool agree on every reading and threshold', async (t) => {
  if (!requirePeers(t, 'ipmi-sensors', 'ipmitool')) return;
  const fi = await freeipmi('ipmi-sensors', ['--sdr-cache-directory', cacheDir(), '--output-sensor-thresholds', '--comma-separated-output', '--no-header-output']);
  const r = await run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', 'admin', '-P', 'password', '-c', 'sensor', 'list'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const it = r.stdout.trim().split('\n').map((l) => l.split(','));
  assert.equal(fi.length, it.length);
  const num = (s: string) => (s === 'N/A' || s === 'na' ? undefined : Number(s));
  fi.forEach((line, i) => {
    // FreeIPMI: ID,Name,Type,Reading,Units,LNR,LC,LNC,UNC,UC,UNR,Event. ipmitool: name,value,unit,status,lnr,lcr,lnc,unc,ucr,unr.
    const f = line.split(',');
    const m = it[i]!;
    assert.equal(f[1], m[0], 'same sensor, same order');
    if (m[2] === 'discrete') return;
    assert.equal(num(f[3]!), num(m[1]!), `${f[1]} reading`);
    for (let k = 0; k < 6; k++) assert.equal(num(f[5 + k]!), num(m[4 + k]!), `${f[1]} threshold ${k}`);
  });
});

test('a reading written with ipmi-raw shows in ipmi-sensors and ipmi-sel', async (t) => {
  if (!requirePeers(t, 'ipmi-sensors', 'ipmi-raw', 'ipmi-sel')) return;
  const cache = cacheDir();
  // Set Sensor Reading and Event Status: sensor 2 (CPU2 Temp), write the reading, 96 °C.
  assert.deepEqual(await freeipmi('ipmi-raw', ['00', '04', '30', '02', '01', '60']), ['rcvd: 30 00 ']);
  const sensors = await freeipmi('ipmi-sensors', ['--sdr-cache-directory', cache, '--record-ids=2']);
  assert.deepEqual(sensors.slice(1), ["2  | CPU2 Temp | Temperature | 96.00      | C     | 'At or Above (>=) Upper Critical Threshold'"]);
  const sel = await freeipmi('ipmi-sel', ['--sdr-cache-directory', cache, '--no-header-output', '--comma-separated-output']);
  assert.deepEqual(
    sel.map((l) => l.split(',').filter((_, i) => i !== 1 && i !== 2)),
    [
      ['1', 'CPU2 Temp', 'Temperature', 'Upper Non-critical - going high ; Sensor Reading = 96.00 C ; Threshold = 85.00 C'],
      ['2', 'CPU2 Temp', 'Temperature', 'Upper Critical - going high ; Sensor Reading = 96.00 C ; Threshold = 90.00 C'],
    ],
  );
});
