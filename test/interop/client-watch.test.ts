// `sensor list --watch SECONDS`: plain repeated ipmitool output when stdout is not a terminal,
// a table redrawn in place on a terminal (checked under script(1)'s pseudo-terminal), and
// Ctrl-C (SIGINT) ends it cleanly: exit status 0 and the session closed at the BMC. Also: status
// words are coloured on a terminal only, and never with NO_COLOR or --no-color.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliPath } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';

let bmc: ServeHandle;
let dir = '';
const args = () => ['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'password'];
const env = () => ({ ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(dir, 'cache') });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-watch-'));
  bmc = await startServe();
});
after(async () => {
  await bmc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('not a terminal: the sensor list repeated; --count stops it', async () => {
  const once = await cli([...args(), 'sensor', 'list'], { env: env() });
  const r = await cli([...args(), 'sensor', 'list', '--watch', '0.2', '--count', '3'], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, [once.stdout, once.stdout, once.stdout].join('\n'));
});

test('Ctrl-C ends the watch with status 0 and closes the session', async () => {
  const child = spawn(process.execPath, [cliPath, ...args(), 'sensor', 'list', '--watch', '0.2'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const opened = () => [...bmc.logs().matchAll(/session opened session=(0x[0-9a-f]+)/g)].map((m) => m[1]!);
  const before = opened();
  const deadline = Date.now() + 15_000;
  while ((out.match(/^Chassis Intru /gm) ?? []).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok((out.match(/^Chassis Intru /gm) ?? []).length >= 2, `two frames expected:\n${out}`);
  const session = opened().find((s) => !before.includes(s));
  assert.ok(session, 'the watch opened a session');
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.kill('SIGINT');
  });
  assert.equal(code, 0);
  const closed = new RegExp(`session closed session=${session} user=admin reason=closed`);
  for (let i = 0; i < 50 && !closed.test(bmc.logs()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(bmc.logs(), closed);
});

test('on a terminal: a table redrawn in place', { skip: spawnSync('sh', ['-c', 'command -v script']).status !== 0 && 'script(1) not installed' }, () => {
  const cmd = [process.execPath, cliPath, ...args(), 'sensor', 'list', '--watch', '0.2', '--count', '2'].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...env(), TERM: 'xterm' }, timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /\x1b\[\?25l/, 'cursor hidden while drawing');
  assert.match(out, /Every 0\.2s: sensor list on 127\.0\.0\.1:\d+/);
  assert.equal((out.match(/┌/g) ?? []).length, 2, 'two frames of a cli-table3 table');
  assert.match(out, /\x1b\[\d+A\r\x1b\[J/, 'the second frame moves up over the first');
  assert.match(out, /│ CPU1 Temp\s+│ 45\.000\s+│ degrees C │/);
  assert.match(out, /\x1b\[\?25h/, 'cursor shown again');
});

test('colour: status words on a terminal only; NO_COLOR and --no-color turn it off', { skip: spawnSync('sh', ['-c', 'command -v script']).status !== 0 && 'script(1) not installed' }, () => {
  const tty = (extra: string[], e: NodeJS.ProcessEnv) => {
    const cmd = [process.execPath, cliPath, ...args(), ...extra, 'sdr', 'elist'].map((a) => `'${a}'`).join(' ');
    const { NO_COLOR: _, ...rest } = env();
    const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...rest, TERM: 'xterm', ...e }, timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const coloured = tty([], {});
  assert.match(coloured, /\| \x1b\[32mok \x1b\[39m \| {2}3\.1 \| 45 degrees C/);
  assert.doesNotMatch(tty([], { NO_COLOR: '1' }), /\x1b\[3\dm/);
  assert.doesNotMatch(tty(['--no-color'], {}), /\x1b\[3\dm/);
  const piped = spawnSync(process.execPath, [cliPath, ...args(), 'sdr', 'elist'], { encoding: 'utf8', env: { ...env(), NO_COLOR: '' } });
  assert.doesNotMatch(piped.stdout, /\x1b/);
});
