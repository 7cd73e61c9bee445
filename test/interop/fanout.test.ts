// Must-show (issue 5, #4): 50 BMCs answer `power status` in one call; a BMC killed mid-run
// gives a per-host error and a non-zero exit while the others succeed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliPath } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';

let fleet: { process: ChildProcess; ports: number[] } | undefined;
let lone: ServeHandle | undefined;

/** `serve --instances n` on ephemeral ports; resolves with every instance's port. */
function startFleet(n: number): Promise<{ process: ChildProcess; ports: number[] }> {
  const state = mkdtempSync(join(tmpdir(), 'ipmi-sim-fleet-'));
  const child = spawn(process.execPath, [cliPath, 'serve', '--instances', String(n), '--lan', '127.0.0.1:0', '--state-dir', state], { stdio: ['ignore', 'ignore', 'pipe'] });
  let logs = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fleet did not start:\n${logs}`));
    }, 30_000);
    child.stderr!.on('data', (d) => {
      logs += d;
      const ports = [...logs.matchAll(/BMC listening .*?lan=127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
      if (ports.length === n) {
        clearTimeout(timer);
        resolve({ process: child, ports });
      }
    });
    child.on('exit', (code) => reject(new Error(`fleet exited ${code}:\n${logs}`)));
  });
}

before(async () => {
  fleet = await startFleet(49);
  lone = await startServe();
});
after(async () => {
  fleet?.process.kill('SIGTERM');
  await lone?.stop('SIGKILL');
});

const creds = ['-U', 'admin', '-P', 'password'];

test('50 BMCs answer power status in one call, each line prefixed by host:port', async () => {
  const hosts = [...fleet!.ports, lone!.port].map((p) => `127.0.0.1:${p}`).join(',');
  const r = await cli(['-H', hosts, ...creds, 'power', 'status'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 50);
  for (const p of [...fleet!.ports, lone!.port]) assert.ok(lines.includes(`127.0.0.1:${p}: Chassis Power is on`), `port ${p}`);
  // --json: one object keyed by host:port.
  const j = await cli(['-H', hosts, ...creds, '--json', 'power', 'status'], { timeoutMs: 60_000 });
  assert.equal(j.code, 0, j.stderr);
  const doc = JSON.parse(j.stdout) as Record<string, { ok: boolean }>;
  assert.equal(Object.keys(doc).length, 50);
  assert.ok(Object.values(doc).every((v) => v.ok));
});

test('consolidated output groups identical hosts under a compressed host list', async () => {
  const hosts = fleet!.ports.slice(0, 5).map((p) => `127.0.0.1:${p}`).join(',');
  const r = await cli(['-H', hosts, ...creds, '--consolidate', 'power', 'status'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^-{16}\n127\.0\.0\.1:.*\n-{16}\nChassis Power is on\n$/);
});

test('a BMC killed mid-run: its own error, the others succeed, non-zero exit', async () => {
  // The lone BMC is last and the fan-out narrow, so it is killed before anyone talks to it.
  const hosts = [...fleet!.ports, lone!.port].map((p) => `127.0.0.1:${p}`).join(',');
  const run = cli(['-H', hosts, ...creds, '--fanout', '4', '-N', '0.5', '-R', '2', 'power', 'status'], { timeoutMs: 60_000 });
  setTimeout(() => lone!.process.kill('SIGKILL'), 150);
  const r = await run;
  assert.equal(r.code, 69, 'unreachable host → 69, the most severe per-host code');
  const ok = r.stdout.trim().split('\n').filter((l) => l.endsWith(': Chassis Power is on'));
  assert.equal(ok.length, 49);
  assert.match(r.stderr, new RegExp(`^127\\.0\\.0\\.1:${lone!.port}: Error: no response from 127\\.0\\.0\\.1:${lone!.port}`, 'm'));
});
