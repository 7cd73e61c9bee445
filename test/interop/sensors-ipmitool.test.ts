// Must-show (issue 3, sensors): the real ipmitool 1.8.19 against `ipmi-sim serve` running the
// 1U server's sensors. sdr info/list/elist/type, sensor list/get/thresh print every sensor
// with the configured value and unit; a reading written with raw 0x04 0x30 past a threshold
// produces the assertion in `sel elist`, and falling below threshold - hysteresis the
// deassertion. Also: the embedded default (no --config) has these sensors, ipmitool falls back
// to small reads when the BMC answers 0xCA, a file source feeds a served sensor, and thresholds
// set over LAN survive a restart.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { SERVER_1U_SENSORS } from '../bmc/server-1u.js';

const active = havePeer('ipmitool') || process.env.CI === 'true';
let dir = '';

function ipmitool(bmc: ServeHandle, args: string[]) {
  return run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'password', ...args], {
    timeoutMs: 60_000,
    env: { TZ: 'UTC', LC_ALL: 'C' },
  });
}
async function lines(bmc: ServeHandle, ...args: string[]): Promise<string[]> {
  const r = await ipmitool(bmc, args);
  assert.equal(r.code, 0, `ipmitool ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '').split('\n');
}

before(() => {
  if (active) dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-sensors-'));
});
after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `sensor list` rows as ipmitool prints them: "%-16s | %-10s | %-10s | %-6s| %-10s| ...". */
const sensorRow = (name: string, value: string, unit: string, status: string, thresholds: string[]) =>
  `${name.padEnd(16)} | ${value.padEnd(10)} | ${unit.padEnd(10)} | ${status.padEnd(6)}| ${thresholds.map((t) => t.padEnd(10)).join('| ')}`;
const na3 = ['na', 'na', 'na'];

const SDR_LIST = [
  'CPU1 Temp        | 45 degrees C      | ok',
  'CPU2 Temp        | 47 degrees C      | ok',
  'Inlet Temp       | 22.50 degrees C   | ok',
  'Exhaust Temp     | 35.50 degrees C   | ok',
  'FAN1             | 5400 RPM          | ok',
  'FAN2             | 5300 RPM          | ok',
  'FAN3             | 5500 RPM          | ok',
  '12V              | 12.10 Volts       | ok',
  '5V               | 5.05 Volts        | ok',
  '3.3V             | 3.30 Volts        | ok',
  'PSU1 Status      | 0x01              | ok',
  'PSU2 Status      | 0x01              | ok',
  'Watchdog         | 0x00              | ok',
  'Chassis Intru    | 0x00              | ok',
];
const SDR_ELIST = [
  'CPU1 Temp        | 01h | ok  |  3.1 | 45 degrees C',
  'CPU2 Temp        | 02h | ok  |  3.2 | 47 degrees C',
  'Inlet Temp       | 03h | ok  | 55.1 | 22.50 degrees C',
  'Exhaust Temp     | 04h | ok  |  7.1 | 35.50 degrees C',
  'FAN1             | 05h | ok  | 29.1 | 5400 RPM',
  'FAN2             | 06h | ok  | 29.2 | 5300 RPM',
  'FAN3             | 07h | ok  | 29.3 | 5500 RPM',
  '12V              | 08h | ok  |  7.1 | 12.10 Volts',
  '5V               | 09h | ok  |  7.1 | 5.05 Volts',
  '3.3V             | 0Ah | ok  |  7.1 | 3.30 Volts',
  'PSU1 Status      | 0Bh | ok  | 10.1 | Presence detected',
  'PSU2 Status      | 0Ch | ok  | 10.2 | Presence detected',
  // ipmitool prints no state text when none is asserted.
  'Watchdog         | 00h | ok  | 46.1 | ',
  'Chassis Intru    | 0Dh | ok  | 23.1 | ',
];

describe('ipmitool against the 1U server', () => {
  let bmc: ServeHandle | undefined;
  before(async () => {
    if (!active) return;
    writeFileSync(join(dir, '1u.yaml'), SERVER_1U_SENSORS);
    bmc = await startServe(['--config', join(dir, '1u.yaml')]);
  });
  after(async () => {
    await bmc?.stop();
  });

  test('sdr info', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const out = await lines(bmc!, 'sdr', 'info');
    assert.match(out[3]!, /^Most recent Addition {16}: \d\d\/\d\d\/\d\d \d\d:\d\d:\d\d UTC$/);
    out[3] = 'Most recent Addition                : <time>';
    assert.deepEqual(out, [
      'SDR Version                         : 0x51',
      'Record Count                        : 15',
      'Free Space                          : 15653 bytes',
      'Most recent Addition                : <time>',
      'Most recent Erase                   : Unspecified',
      'SDR overflow                        : no',
      'SDR Repository Update Support       : non-modal',
      'Delete SDR supported                : yes',
      'Partial Add SDR supported           : yes',
      'Reserve SDR repository supported    : yes',
      'SDR Repository Alloc info supported : yes',
    ]);
  });

  test('sdr list, sdr elist, sdr elist all', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sdr', 'list'), SDR_LIST);
    assert.deepEqual(await lines(bmc!, 'sdr', 'elist'), SDR_ELIST);
    assert.deepEqual(await lines(bmc!, 'sdr', 'elist', 'all'), [...SDR_ELIST, 'BMC              | 00h | ok  |  6.1 | Dynamic MC @ 20h']);
  });

  test('sdr type Temperature', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sdr', 'type', 'Temperature'), SDR_ELIST.slice(0, 4));
  });

  test('sensor list', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sensor', 'list'), [
      sensorRow('CPU1 Temp', '45.000', 'degrees C', 'ok', [...na3, '85.000', '90.000', '100.000']),
      sensorRow('CPU2 Temp', '47.000', 'degrees C', 'ok', [...na3, '85.000', '90.000', '100.000']),
      sensorRow('Inlet Temp', '22.500', 'degrees C', 'ok', ['na', '0.000', '5.000', '40.000', '45.000', 'na']),
      sensorRow('Exhaust Temp', '35.500', 'degrees C', 'ok', [...na3, '70.000', '75.000', 'na']),
      sensorRow('FAN1', '5400.000', 'RPM', 'ok', ['na', '500.000', '1000.000', ...na3]),
      sensorRow('FAN2', '5300.000', 'RPM', 'ok', ['na', '500.000', '1000.000', ...na3]),
      sensorRow('FAN3', '5500.000', 'RPM', 'ok', ['na', '500.000', '1000.000', ...na3]),
      sensorRow('12V', '12.100', 'Volts', 'ok', ['na', '10.800', '11.400', '12.600', '13.200', 'na']),
      sensorRow('5V', '5.050', 'Volts', 'ok', ['na', '4.500', '4.750', '5.250', '5.500', 'na']),
      sensorRow('3.3V', '3.300', 'Volts', 'ok', ['na', '2.980', '3.140', '3.460', '3.640', 'na']),
      // Discrete: "0x%-8x | discrete | 0x<state byte 1><state byte 2>".
      sensorRow('PSU1 Status', '0x1', 'discrete', '0x0100', [...na3, ...na3]),
      sensorRow('PSU2 Status', '0x1', 'discrete', '0x0100', [...na3, ...na3]),
      sensorRow('Watchdog', '0x0', 'discrete', '0x0000', [...na3, ...na3]),
      sensorRow('Chassis Intru', '0x0', 'discrete', '0x0000', [...na3, ...na3]),
    ]);
  });

  test('sensor get', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sensor', 'get', 'Inlet Temp', 'PSU1 Status'), [
      'Locating sensor record...',
      'Sensor ID              : Inlet Temp (0x3)',
      ' Entity ID             : 55.1',
      ' Sensor Type (Threshold)  : Temperature',
      ' Sensor Reading        : 22.500 (+/- 0) degrees C',
      ' Status                : ok',
      ' Lower Non-Recoverable : na',
      ' Lower Critical        : 0.000',
      ' Lower Non-Critical    : 5.000',
      ' Upper Non-Critical    : 40.000',
      ' Upper Critical        : 45.000',
      ' Upper Non-Recoverable : na',
      ' Positive Hysteresis   : 1.000',
      ' Negative Hysteresis   : 1.000',
      ' Assertion Events      : ',
      ' Assertions Enabled    : lnc- lcr- unc+ ucr+ ',
      ' Deassertions Enabled  : lnc- lcr- unc+ ucr+ ',
      '',
      'Sensor ID              : PSU1 Status (0xb)',
      ' Entity ID             : 10.1',
      ' Sensor Type (Discrete): Power Supply',
      ' States Asserted       : Power Supply',
      '                         [Presence detected]',
      '',
    ]);
  });

  test('sensor thresh sets a threshold that sensor get and Get Sensor Thresholds read back', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sensor', 'thresh', 'Exhaust Temp', 'ucr', '90'), [
      "Locating sensor record 'Exhaust Temp'...",
      'Setting sensor "Exhaust Temp" Upper Critical threshold to 90.000',
    ]);
    const get = await lines(bmc!, 'sensor', 'get', 'Exhaust Temp');
    assert.ok(get.includes(' Upper Critical        : 90.000'), get.join('\n'));
    assert.ok(get.includes(' Upper Non-Critical    : 70.000'), get.join('\n'));
    // Raw, in 0.5 °C counts: UNC 70 = 8Ch, UCR 90 = B4h.
    assert.deepEqual(await lines(bmc!, 'raw', '0x04', '0x27', '0x04'), [' 18 00 00 00 8c b4 00']);
  });

  test('raw 0x04 0x30 past UCR: sel elist shows the assertions; below UCR - hysteresis the deassertion', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    // Sensor 1 (CPU1 Temp, 1 °C per count), operation 01h: write the reading byte.
    await lines(bmc!, 'raw', '0x04', '0x30', '0x01', '0x01', '95');
    const cols = (l: string) => l.split(' | ').map((c) => c.trim());
    const noTime = (l: string) => cols(l).filter((_, i) => i !== 1 && i !== 2);
    const asserted = await lines(bmc!, 'sel', 'elist');
    assert.deepEqual(asserted.map(noTime), [
      ['1', 'Temperature CPU1 Temp', 'Upper Non-critical going high', 'Asserted', 'Reading 95 > Threshold 85 degrees C'],
      ['2', 'Temperature CPU1 Temp', 'Upper Critical going high', 'Asserted', 'Reading 95 > Threshold 90 degrees C'],
    ]);
    assert.match(cols(asserted[0]!)[1]!, /^\d\d\/\d\d\/\d\d$/);
    assert.match(cols(asserted[0]!)[2]!, /^\d\d:\d\d:\d\d UTC$/);
    assert.deepEqual((await lines(bmc!, 'sdr', 'elist')).slice(0, 1), ['CPU1 Temp        | 01h | ucr |  3.1 | 95 degrees C']);
    // UCR 90 with 2 °C hysteresis: 88 keeps it asserted, 87 deasserts it.
    await lines(bmc!, 'raw', '0x04', '0x30', '0x01', '0x01', '88');
    assert.equal((await lines(bmc!, 'sel', 'elist')).length, 2);
    await lines(bmc!, 'raw', '0x04', '0x30', '0x01', '0x01', '87');
    const all = await lines(bmc!, 'sel', 'elist');
    assert.deepEqual(all.slice(2).map(noTime), [['3', 'Temperature CPU1 Temp', 'Upper Critical going high', 'Deasserted', 'Reading 87 < Threshold 90 degrees C']]);
    assert.deepEqual((await lines(bmc!, 'sdr', 'list')).slice(0, 1), ['CPU1 Temp        | 87 degrees C      | nc']);
  });
});

describe('ipmitool with a 16-byte SDR read limit, a file source, and a restart', () => {
  let bmc: ServeHandle | undefined;
  let state = '';
  const yaml = () =>
    SERVER_1U_SENSORS +
    `  - name: Board Temp
    type: temperature
    unit: degrees C
    range: [0, 127]
    source: { file: ${join(dir, 'board-temp')}, interval: 0.1, scale: 0.001 }
sdr:
  maxReadBytes: 16
`;
  before(async () => {
    if (!active) return;
    writeFileSync(join(dir, 'board-temp'), '40500\n');
    writeFileSync(join(dir, 'small.yaml'), yaml());
    state = mkdtempSync(join(tmpdir(), 'ipmi-sim-state-'));
    bmc = await startServe(['--config', join(dir, 'small.yaml'), '--state-dir', state]);
  });
  after(async () => {
    await bmc?.stop();
    if (state) rmSync(state, { recursive: true, force: true });
  });

  test('sdr list reads every record in pieces after 0xCA', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sdr', 'list'), [...SDR_LIST, 'Board Temp       | 40.50 degrees C   | ok']);
  });

  test('a file source: the served reading follows the file', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    writeFileSync(join(dir, 'board-temp'), '52000\n');
    const deadline = Date.now() + 10_000;
    let last: string[] = [];
    while (Date.now() < deadline) {
      last = await lines(bmc!, 'sdr', 'get', 'Board Temp');
      if (last.some((l) => / Sensor Reading +: 52 \(/.test(l))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.fail(`reading did not follow the file:\n${last.join('\n')}`);
  });

  test('a threshold set over LAN survives a restart', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    await lines(bmc!, 'sensor', 'thresh', 'FAN1', 'lcr', '700');
    await bmc!.stop();
    bmc = await startServe(['--config', join(dir, 'small.yaml'), '--state-dir', state]);
    assert.deepEqual((await lines(bmc, 'sensor', 'list')).filter((l) => l.startsWith('FAN1 ')), [sensorRow('FAN1', '5400.000', 'RPM', 'ok', ['na', '700.000', '1000.000', ...na3])]);
  });
});

describe('the embedded default BMC (serve without --config)', () => {
  let bmc: ServeHandle | undefined;
  before(async () => {
    if (active) bmc = await startServe();
  });
  after(async () => {
    await bmc?.stop();
  });

  test('has the 1U server sensors', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await lines(bmc!, 'sdr', 'elist'), SDR_ELIST);
  });
});
