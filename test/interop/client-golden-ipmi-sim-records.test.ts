// Must-show (issue 5, part B, #2): our client against OpenIPMI's ipmi_sim, configured by this
// test with the SDR corpus (threshold sensors in every analog format, discrete and event-only
// sensors, locators), readings, a FRU image and the SEL corpus: each sdr/sensor/sel/fru command
// succeeds and prints exactly what ipmitool prints against the same ipmi_sim. `sensor set`, which
// ipmi_sim does not implement (C1h), fails with a clear message and status 1.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSdr } from '../../src/ipmi/sdr/records.js';
import { encodeSel } from '../../src/ipmi/sel/records.js';
import { encodeFru } from '../../src/ipmi/fru/format.js';
import { cli, run, type RunResult } from '../helpers/run.js';
import { startIpmiSim, type IpmiSimHandle } from '../helpers/ipmi-sim-peer.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { corpusEmuLines, emuBytes, sdrCorpus } from '../ipmi/sdr-corpus.js';
import { selCorpus } from '../ipmi/sel-corpus.js';
import { sampleFru } from '../ipmi/fru-vectors.js';

const active = (havePeer('ipmitool') && havePeer('ipmi_sim')) || process.env.CI === 'true';
let sim: IpmiSimHandle | undefined;
let dir = '';

const env = (): NodeJS.ProcessEnv => ({ TZ: 'UTC', LC_ALL: 'C', XDG_CACHE_HOME: join(dir, 'cache') });
const target = () => ['-H', '127.0.0.1', '-p', String(sim!.port), '-U', 'admin', '-P', 'password', '-C', '3'];
const ipmitool = (args: string[]): Promise<RunResult> => run('ipmitool', ['-I', 'lanplus', ...target(), ...args], { timeoutMs: 60_000, env: env() });
const ours = (args: string[]): Promise<RunResult> => cli(['-I', 'lanplus', ...target(), ...args], { timeoutMs: 60_000, env: env() });

before(async () => {
  if (!active) return;
  dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-golden-peer-'));
  writeFileSync(join(dir, 'fru.bin'), encodeFru(sampleFru));
  sim = await startIpmiSim({
    emu: [
      `mc_add_fru_data 0x20 0 0x400 file 0 "${join(dir, 'fru.bin')}"`,
      ...corpusEmuLines(),
      ...selCorpus.map((r) => `sel_add 0x20 0x${r.recordType.toString(16)} ${emuBytes(encodeSel(r).subarray(3))}`),
    ],
  });
});
after(async () => {
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function same(args: string[]): Promise<string> {
  const [theirs, mine] = await Promise.all([ipmitool(args), ours(args)]);
  assert.equal(mine.stdout, theirs.stdout, `stdout of "${args.join(' ')}" differs from ipmitool's against ipmi_sim; our stderr: ${mine.stderr}`);
  assert.equal(mine.code, theirs.code, `exit status of "${args.join(' ')}": ipmitool ${theirs.code}, ours ${mine.code} (${mine.stderr.trim()})`);
  return mine.stdout;
}

test('against ipmi_sim: sdr, sensor, sel and fru output equals ipmitool\'s', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'ipmi_sim')) return;
  const commands = [
    ['sdr', 'list'],
    ['sdr', 'elist'],
    ['sdr', 'list', 'all'],
    ['sdr', 'elist', 'all'],
    ['-c', 'sdr', 'list'],
    ['-c', 'sdr', 'elist', 'all'],
    ['sdr', 'info'],
    ['sdr', 'type', 'Temperature'],
    ['-v', 'sdr', 'list', 'all'],
    ['sensor', 'list'],
    ['-c', 'sensor', 'list'],
    ['sensor', 'get', 'CPU Temp', '12V Rail', 'Inlet Temp'],
    ['sel', 'info'],
    ['sel', 'list'],
    ['sel', 'elist'],
    ['-c', 'sel', 'list'],
    ['-c', 'sel', 'elist'],
    ['sel', 'list', 'last', '4'],
    ['fru', 'print'],
    ['fru', 'print', '0'],
  ];
  for (const args of commands) {
    const out = await same(args);
    if (args.join(' ') !== 'sel list last 4') assert.notEqual(out, '', `${args.join(' ')} printed nothing`);
  }
  assert.match(await same(['sel', 'elist']), /Temperature CPU Temp \| Upper Critical going high \| Asserted \| Reading 95 > Threshold 90 degrees C$/m);
});

test('against ipmi_sim: SDR reads and FRU reads work within its message size', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'ipmi_sim')) return;
  const dump = join(dir, 'dump.bin');
  const r = await ours(['--no-cache', 'sdr', 'dump', dump]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(new Uint8Array((await import('node:fs')).readFileSync(dump)), Uint8Array.from(sdrCorpus.flatMap((s) => [...encodeSdr(s)])));
  // -S reads that dump instead of the BMC's repository; the readings still come from the BMC.
  const [fromFile, fromBmc] = await Promise.all([ours(['-S', dump, 'sdr', 'elist', 'all']), ours(['sdr', 'elist', 'all'])]);
  assert.equal(fromFile.stdout, fromBmc.stdout);
  // ipmi_sim declares 1024 bytes but answers FFh past the end of its file: both tools write
  // what they read and say Done.
  const fru = join(dir, 'fru-read.bin');
  const f = await same(['fru', 'read', '0', fru]);
  assert.equal(f, 'Fru Size         : 1024 bytes\nDone\n');
  const image = (await import('node:fs')).readFileSync(fru);
  assert.deepEqual(new Uint8Array(image.subarray(0, encodeFru(sampleFru).length)), encodeFru(sampleFru));
});

test('against ipmi_sim: sensor set is refused (C1h) with a clear message and status 1', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'ipmi_sim')) return;
  const r = await ours(['sensor', 'set', 'CPU Temp', '50']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Unable to set sensor "CPU Temp": the BMC does not implement Set Sensor Reading And Event Status \(Invalid command\)/);
  const j = await ours(['--json', 'sensor', 'set', 'CPU Temp', '50']);
  assert.equal(j.code, 1);
  assert.equal(j.stdout, '');
  assert.equal(JSON.parse(j.stderr).error.completionCode, 0xc1);
});
