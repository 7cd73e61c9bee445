// Must-show (issue 5, part B, #5): the SDR cache. A cold run reads the repository (Get SDR in
// the serve -v request log) and writes a private cache file; a warm run sends no Get SDR at all,
// only Get SDR Repository Info; adding or deleting an SDR (raw Add SDR / Delete SDR) or
// restarting the BMC with a changed config invalidates it. --no-cache neither reads nor writes
// it, `sdr cache clear` removes it, a damaged file is ignored, and a BMC that cannot return whole
// records (0xCA past 16 bytes) is read in chunks with the same result.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_YAML } from '../../src/bmc/config/default.js';
import { encodeSdr, type EventOnlySensorRecord } from '../../src/ipmi/sdr/records.js';
import { sdrCachePath } from '../../src/client/sdr-cache.js';
import { sdrCorpus } from '../ipmi/sdr-corpus.js';
import { freeUdpPort } from '../helpers/ipmi-sim-peer.js';
import { cli, run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer } from '../helpers/peers.js';

let dir = '';
let bmc: ServeHandle;
let port = 0;
let state = '';

const env = () => ({ XDG_CACHE_HOME: join(dir, 'cache'), TZ: 'UTC', LC_ALL: 'C' });
const cachePath = () => sdrCachePath(env(), '127.0.0.1', port);
const ours = (...args: string[]) => cli(['-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', 'password', ...args], { env: env() });

/** Runs our CLI and returns its stdout and the requests serve logged meanwhile, by name. */
async function counted(...args: string[]): Promise<{ stdout: string; requests: Map<string, number> }> {
  const from = bmc.logs().length;
  const r = await ours(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  // The session's Close Session is the last request; wait until serve has logged it.
  for (let i = 0; i < 50 && !/name="Close Session"/.test(bmc.logs().slice(from)); i++) await new Promise((res) => setTimeout(res, 20));
  const requests = new Map<string, number>();
  for (const m of bmc.logs().slice(from).matchAll(/DEBUG request netFn=\S+ cmd=\S+ name="([^"]+)" cc=(\S+)/g)) {
    const key = m[2] === '0x00' ? m[1]! : `${m[1]} ${m[2]}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
  }
  return { stdout: r.stdout, requests };
}

const configWith = (extra: string) => DEFAULT_CONFIG_YAML + extra;

async function serveOn(config: string): Promise<ServeHandle> {
  writeFileSync(join(dir, 'bmc.yaml'), config);
  return startServe(['--lan', `127.0.0.1:${port}`, '--state-dir', state, '--config', join(dir, 'bmc.yaml'), '-v']);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-cache-'));
  state = join(dir, 'state');
  port = await freeUdpPort();
  bmc = await serveOn(DEFAULT_CONFIG_YAML);
});
after(async () => {
  await bmc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('SDR cache', () => {
  let coldOut = '';

  test('cold: the repository is read and cached in a private file', async () => {
    const cold = await counted('sdr', 'elist', 'all');
    coldOut = cold.stdout;
    assert.equal(cold.requests.get('Get SDR'), 15, `one whole-record Get SDR per record: ${[...cold.requests]}`);
    assert.equal(cold.requests.get('Get SDR Repository Info'), 1);
    assert.ok(existsSync(cachePath()));
    assert.equal(statSync(cachePath()).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'cache', 'ipmi-sim', 'sdr')).mode & 0o777, 0o700);
    const file = JSON.parse(readFileSync(cachePath(), 'utf8'));
    assert.equal(file.records.length, 15);
    assert.equal(file.recordCount, 15);
  });

  test('warm: no Get SDR at all, same output', async () => {
    const warm = await counted('sdr', 'elist', 'all');
    assert.equal(warm.stdout, coldOut);
    assert.equal(warm.requests.get('Get SDR'), undefined, `warm run sent Get SDR: ${[...warm.requests]}`);
    assert.equal(warm.requests.get('Reserve SDR Repository'), undefined);
    assert.equal(warm.requests.get('Get SDR Repository Info'), 1);
    // Every command that needs SDRs uses it.
    for (const args of [['sensor', 'list'], ['sel', 'elist'], ['sensor', 'get', 'FAN1'], ['fru', 'print']]) {
      const r = await counted(...args);
      assert.equal(r.requests.get('Get SDR'), undefined, `${args.join(' ')} sent Get SDR`);
    }
  });

  test('Add SDR over raw invalidates it; the next run reads again and sees the new record', async () => {
    // The corpus's event-only record, renumbered: a new System Event sensor.
    const base = sdrCorpus.find((r): r is EventOnlySensorRecord => r.kind === 'eventOnly')!;
    const record: EventOnlySensorRecord = { ...base, recordId: 0, sensorNumber: 0x60, entityId: 0x07, entityInstance: 1, sensorType: 0x12, idString: 'Sys Event' };
    const bytes = Array.from(encodeSdr(record), (b) => `0x${b.toString(16)}`);
    const add = await ours('raw', '0x0a', '0x24', ...bytes);
    assert.equal(add.code, 0, add.stderr);
    const after = await counted('sdr', 'elist', 'all');
    assert.ok((after.requests.get('Get SDR') ?? 0) > 0, 'a changed repository must be read again');
    assert.match(after.stdout, /^Sys Event {8}\| 60h \| ns {2}\|  7\.1 \| Event-Only$/m);
    const warm = await counted('sdr', 'elist', 'all');
    assert.equal(warm.requests.get('Get SDR'), undefined);
    assert.equal(warm.stdout, after.stdout);
    // Delete it again (the record ID Add SDR returned): invalidated once more.
    const id = add.stdout.trim().split(/\s+/).map((b) => `0x${b}`);
    const res = (await ours('raw', '0x0a', '0x22')).stdout.trim().split(/\s+/).map((b) => `0x${b}`);
    const del = await ours('raw', '0x0a', '0x26', ...res, ...id);
    assert.equal(del.code, 0, del.stderr);
    const gone = await counted('sdr', 'elist', 'all');
    assert.ok((gone.requests.get('Get SDR') ?? 0) > 0);
    assert.equal(gone.stdout, coldOut);
  });

  test('a restart with a changed config invalidates it', async () => {
    await bmc.stop();
    bmc = await serveOn(configWith(`  - name: Board Temp\n    type: temperature\n    unit: degrees C\n    range: [0, 127]\n    value: 40\n`));
    const r = await counted('sdr', 'list');
    assert.ok((r.requests.get('Get SDR') ?? 0) > 0);
    assert.match(r.stdout, /^Board Temp {7}\| 40 degrees C {6}\| ok$/m);
  });

  test('--no-cache neither reads nor writes the cache', async () => {
    rmSync(cachePath());
    const a = await counted('--no-cache', 'sdr', 'list');
    assert.ok((a.requests.get('Get SDR') ?? 0) > 0);
    assert.ok(!existsSync(cachePath()));
    await counted('sdr', 'list');
    assert.ok(existsSync(cachePath()));
    const b = await counted('--no-cache', 'sdr', 'list');
    assert.ok((b.requests.get('Get SDR') ?? 0) > 0);
  });

  test('a damaged cache file is ignored and replaced', async () => {
    writeFileSync(cachePath(), '{"format":1,"records":["zz"]');
    const r = await counted('sdr', 'list');
    assert.ok((r.requests.get('Get SDR') ?? 0) > 0);
    assert.equal(JSON.parse(readFileSync(cachePath(), 'utf8')).format, 1);
  });

  test('sdr cache clear, sdr cache path', async () => {
    const p = await ours('sdr', 'cache', 'path');
    assert.equal(p.stdout, cachePath() + '\n');
    const c = await ours('sdr', 'cache', 'clear');
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.stdout, `Removed ${cachePath()}\n`);
    assert.ok(!existsSync(cachePath()));
    const again = await ours('sdr', 'cache', 'clear');
    assert.equal(again.stdout, `No SDR cache for 127.0.0.1:${port}\n`);
    await ours('sdr', 'list');
    const all = await ours('sdr', 'cache', 'clear', '--all');
    assert.match(all.stdout, /^Removed 1 cache file\(s\) from /);
  });
});

describe('a BMC that returns at most 16 bytes per Get SDR', () => {
  let small: ServeHandle;
  let smallPort = 0;
  before(async () => {
    smallPort = await freeUdpPort();
    writeFileSync(join(dir, 'small.yaml'), configWith('sdr:\n  maxReadBytes: 16\n'));
    small = await startServe(['--lan', `127.0.0.1:${smallPort}`, '--config', join(dir, 'small.yaml'), '-v']);
  });
  after(async () => {
    await small?.stop();
  });

  test('fan-out: each BMC is read and cached on its own; output prefixed by host:port', async () => {
    const hosts = `127.0.0.1:${port},127.0.0.1:${smallPort}`;
    const r = await cli(['-H', hosts, '-U', 'admin', '-P', 'password', 'sdr', 'list'], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^127\\.0\\.0\\.1:${port}: CPU1 Temp +\\| 45 degrees C +\\| ok$`, 'm'));
    assert.match(r.stdout, new RegExp(`^127\\.0\\.0\\.1:${smallPort}: CPU1 Temp +\\| 45 degrees C +\\| ok$`, 'm'));
    assert.ok(existsSync(sdrCachePath(env(), '127.0.0.1', port)));
    assert.ok(existsSync(sdrCachePath(env(), '127.0.0.1', smallPort)));
  });

  test('records are read in chunks after 0xCA; output as ipmitool\'s', async () => {
    const from = small.logs().length;
    const r = await cli(['-H', '127.0.0.1', '-p', String(smallPort), '-U', 'admin', '-P', 'password', '--no-cache', 'sdr', 'elist', 'all'], { env: env() });
    assert.equal(r.code, 0, r.stderr);
    const log = small.logs().slice(from);
    assert.match(log, /name="Get SDR" cc=0xca/);
    assert.match(log, /name="Reserve SDR Repository" cc=0x00/);
    // After the first refusal every record comes in pieces: no more 0xCA than one.
    assert.equal([...log.matchAll(/name="Get SDR" cc=0xca/g)].length, 1);
    if (havePeer('ipmitool')) {
      const it = await run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(smallPort), '-U', 'admin', '-P', 'password', 'sdr', 'elist', 'all'], { env: env() });
      assert.equal(r.stdout, it.stdout);
    }
  });
});
