// Black-box checks of the record codecs against the real tools: OpenIPMI's ipmi_sim serves our
// encoded SDRs, sensors and FRU on a loopback port, and ipmitool 1.8.19 / FreeIPMI read them.
// What ipmitool prints must be what our codecs, conversions and description functions produce.
// UPDATE_GOLDEN=1 rewrites test/fixtures/ipmitool/*.txt, which the unit tests read.
//
// Locally a missing tool skips with a message; with CI=true it fails.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSdr, decodeSdrs, type FullSensorRecord } from '../../src/ipmi/sdr/records.js';
import { conversionFactors, hysteresisToUnits, rawToUnits, toleranceToUnits, unitsToRaw } from '../../src/ipmi/sdr/conversion.js';
import { encodeSel } from '../../src/ipmi/sel/records.js';
import { decodeFru, encodeFru } from '../../src/ipmi/fru/format.js';
import { assertedStateTexts } from '../../src/ipmi/tables/event-types.js';
import { unitString } from '../../src/ipmi/tables/units.js';
import { formatFixed, formatReading } from '../../src/ipmi/printf.js';
import { fixturePath } from '../helpers/fixtures.js';
import { corpusEmuLines, sdrCorpus, sensorReadings } from '../ipmi/sdr-corpus.js';
import { selCorpus } from '../ipmi/sel-corpus.js';
import { listColumns, ourColumns } from '../ipmi/sel-lines.js';
import { atcaAmcFru, sampleFru } from '../ipmi/fru-vectors.js';

const tools = ['ipmitool', 'ipmi_sim', 'ipmi-fru'];
const missing = tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = missing.length > 0 && !process.env.CI ? `interop peers not installed: ${missing.join(', ')}` : false;
if (skip) console.error(`!!! SKIPPING records interop tests: ${skip}`);

let dir = '';
let port = 0;
let sim: ChildProcess | undefined;

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

const lanArgs = (): string[] => ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', 'password', '-C', '3'];

function ipmitool(...args: string[]): string {
  const r = spawnSync('ipmitool', [...lanArgs(), ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' },
  });
  assert.equal(r.status, 0, `ipmitool ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  if (skip) return;
  assert.deepEqual(missing, [], `interop peers missing under CI: ${missing.join(', ')}`);
  dir = mkdtempSync(join(tmpdir(), 'ipmi-records-'));
  port = await freeUdpPort();
  writeFileSync(join(dir, 'fru.bin'), encodeFru(sampleFru));
  writeFileSync(join(dir, 'sdrs.bin'), concat(sdrCorpus.map(encodeSdr)));
  writeFileSync(join(dir, 'sel.bin'), concat(selCorpus.map(encodeSel)));
  writeFileSync(
    join(dir, 'lan.conf'),
    [
      'name "records"',
      'set_working_mc 0x20',
      'startlan 1',
      `  addr 127.0.0.1 ${port}`,
      '  priv_limit admin',
      '  allowed_auths_admin none md5 straight',
      '  guid a123456789abcdefa123456789abcdef',
      'endlan',
      'user 2 true "admin" "password" admin 10 none md5 straight',
      '',
    ].join('\n'),
  );
  // ipmi_sim initialises a sensor from its SDR when the sensor is added, so SDRs go first.
  // Emulator numbers are parsed by strtoul(..., 0): every byte needs its 0x.
  writeFileSync(
    join(dir, 'sim.emu'),
    [
      'mc_setbmc 0x20',
      'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02',
      'sel_enable 0x20 1000 0x0a',
      `mc_add_fru_data 0x20 0 0x400 file 0 "${join(dir, 'fru.bin')}"`,
      ...corpusEmuLines(),
      'mc_enable 0x20',
      '',
    ].join('\n'),
  );
  sim = spawn('ipmi_sim', ['-n', '-c', join(dir, 'lan.conf'), '-f', join(dir, 'sim.emu'), '-s', join(dir, 'state')], { stdio: 'ignore' });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const r = spawnSync('ipmitool', [...lanArgs(), '-N', '1', '-R', '1', 'mc', 'info'], { timeout: 5000 });
    if (r.status === 0) break;
    if (Date.now() > deadline) throw new Error('ipmi_sim did not answer within 15 s');
    await new Promise((res) => setTimeout(res, 200));
  }
});

after(() => {
  if (sim?.pid !== undefined) sim.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Compares a tool's output with its recorded copy under test/fixtures/<tool>/<name>. */
function checkGolden(tool: 'ipmitool' | 'freeipmi', name: string, text: string): void {
  const path = fixturePath(tool, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, text);
  assert.equal(text, readFileSync(path, 'utf8'), `${tool} output differs from ${path} (UPDATE_GOLDEN=1 to accept)`);
}

test('ipmitool reads back the SDR repository byte for byte', { skip }, () => {
  ipmitool('sdr', 'dump', join(dir, 'dump.bin'));
  const dumped = new Uint8Array(readFileSync(join(dir, 'dump.bin')));
  assert.deepEqual(dumped, concat(sdrCorpus.map(encodeSdr)));
  assert.deepEqual(decodeSdrs(dumped), sdrCorpus);
});

test('sel readraw / ereadraw lines match our descriptions', { skip }, () => {
  const plain = ipmitool('sel', 'readraw', join(dir, 'sel.bin'));
  const extended = ipmitool('-S', join(dir, 'sdrs.bin'), 'sel', 'ereadraw', join(dir, 'sel.bin'));
  checkGolden('ipmitool', 'sel-readraw.txt', plain);
  checkGolden('ipmitool', 'sel-ereadraw.txt', extended);
  for (const [text, withSdr] of [
    [plain, false],
    [extended, true],
  ] as const) {
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, selCorpus.length);
    selCorpus.forEach((rec, i) => {
      assert.deepEqual(ourColumns(rec, withSdr ? sdrCorpus : undefined, true), listColumns(lines[i]!), `record ${i}: ${lines[i]}`);
    });
  }
});

test('sdr get -v: thresholds, hysteresis, reading and tolerance convert as ours do', { skip }, () => {
  const full = sdrCorpus.filter((r): r is FullSensorRecord => r.kind === 'full');
  const text = ipmitool('-v', 'sdr', 'get', ...full.map((r) => r.idString));
  const blocks = text.split('Sensor ID              : ').slice(1);
  assert.equal(blocks.length, full.length);
  full.forEach((sdr, i) => {
    const field = (label: string): string => {
      const m = new RegExp(`^ ${label} *: (.*)$`, 'm').exec(blocks[i]!);
      assert.ok(m, `${sdr.idString}: no "${label}"`);
      return m[1]!;
    };
    const f = conversionFactors(sdr);
    const t = sdr.thresholds;
    assert.equal(field('Upper critical'), formatFixed(rawToUnits(t.upperCritical, f)!, 3), sdr.idString);
    assert.equal(field('Lower non-recoverable'), formatFixed(rawToUnits(t.lowerNonRecoverable, f)!, 3), sdr.idString);
    assert.equal(field('Lower non-critical'), formatFixed(rawToUnits(t.lowerNonCritical, f)!, 3), sdr.idString);
    if (sdr.positiveHysteresis !== 0) assert.equal(field('Positive Hysteresis'), formatFixed(hysteresisToUnits(sdr.positiveHysteresis, f)!, 3));
    const reading = sensorReadings.find((s) => s.sensorNumber === sdr.sensorNumber)!.raw!;
    const value = rawToUnits(reading, f)!;
    // ipmitool: "%.*f (+/- %.*f) units", precision 0 for whole numbers and 3 otherwise.
    const tol = toleranceToUnits(sdr.tolerance, f)!;
    assert.equal(field('Sensor Reading'), `${formatReading(value, 3)} (+/- ${formatReading(tol, 3)}) ${unitString(sdr.units)}`);
  });
});

test('sdr elist: discrete states use our state texts', { skip }, () => {
  const line = ipmitool('sdr', 'elist', 'all')
    .split('\n')
    .find((l) => l.startsWith('DIMM A1'))!;
  const dimm = sensorReadings.find((s) => s.sensorNumber === 0x40)!;
  const mask = (dimm.bits ?? []).reduce((m, b) => m | (1 << b), 0);
  assert.equal(line.split(' | ')[4], assertedStateTexts(0x0c, 0x6f, mask).join(', '));
});

test('sensor thresh sends the raw value unitsToRaw computes', { skip }, () => {
  const rail = sdrCorpus.find((r): r is FullSensorRecord => r.kind === 'full' && r.idString === '12V Rail')!;
  for (const value of [12.9, 12.71]) {
    ipmitool('sensor', 'thresh', '12V Rail', 'ucr', String(value));
    // Get Sensor Thresholds: mask, LNC, LC, LNR, UNC, UC, UNR.
    const raw = ipmitool('raw', '0x04', '0x27', `0x${rail.sensorNumber.toString(16)}`).trim().split(/\s+/);
    assert.equal(parseInt(raw[5]!, 16), unitsToRaw(value, conversionFactors(rail)));
  }
});

test('ipmitool fru print shows every field of our image', { skip }, () => {
  const text = ipmitool('-v', 'fru', 'print', '0');
  const { fru } = decodeFru(encodeFru(sampleFru));
  const line = (label: string): string => new RegExp(`^ ${label} *: (.*)$`, 'm').exec(text)?.[1] ?? `<no ${label}>`;
  assert.equal(line('Chassis Type'), 'Rack Mount Chassis');
  assert.equal(line('Chassis Serial'), fru.chassis!.serialNumber);
  assert.equal(line('Board Mfg Date'), 'Sun Feb 18 02:35:00 2024 UTC');
  assert.equal(line('Board Product'), fru.board!.productName);
  assert.equal(line('Board FRU ID'), fru.board!.fruFileId);
  assert.equal(line('Product Asset Tag'), fru.product!.assetTag);
  assert.equal(line('Product Version'), fru.product!.version);
  const extras = [...text.matchAll(/^ Board Extra +: (.*)$/gm)].map((m) => m[1]);
  assert.deepEqual(extras, ['b1', 'IPMI']);
});

test('ipmi-fru decodes our image and the ATCA sample as we do', { skip }, () => {
  for (const [name, image] of [
    ['ours.bin', encodeFru(sampleFru)],
    ['atca.bin', atcaAmcFru],
  ] as const) {
    writeFileSync(join(dir, name), image);
    const r = spawnSync('ipmi-fru', ['-v', `--fru-file=${join(dir, name)}`], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TZ: 'UTC' } });
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.replace(/^FRU Inventory From File: .*\n/, 'FRU Inventory From File: FILE\n');
    checkGolden('freeipmi', name.replace('.bin', '-ipmi-fru.txt'), out);
    const { fru, warnings } = decodeFru(image);
    assert.deepEqual(warnings, []);
    const text = (f: unknown): string => (typeof f === 'string' ? f : (f as { text: string }).text);
    const field = (label: string): string | undefined => new RegExp(`^  FRU ${label}: (.*)$`, 'm').exec(out)?.[1];
    assert.equal(field('Board Manufacturer'), text(fru.board!.manufacturer));
    assert.equal(field('Board Serial Number'), text(fru.board!.serialNumber));
    assert.equal(field('Product Part/Model Number'), text(fru.product!.partNumber));
    assert.equal(field('Product Asset Tag'), text(fru.product!.assetTag));
    // FreeIPMI prints the date as %m/%d/%y - %H:%M:%S (in UTC here).
    const d = fru.board!.mfgDate!.toISOString();
    assert.equal(field('Board Manufacturing Date/Time'), `${d.slice(5, 7)}/${d.slice(8, 10)}/${d.slice(2, 4)} - ${d.slice(11, 19)}`);
  }
});
