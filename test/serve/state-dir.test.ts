// `serve --state-dir`: unusable saved state stops the start with a message naming the file,
// one server per directory, bad storage config is a config error (exit 78).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/run.js';
import { startServe } from '../helpers/serve.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'ipmi-sim-statedir-'));

test('a state file that is not JSON is refused, naming the file', async () => {
  const dir = join(fresh(), 'state');
  mkdirSync(dir);
  writeFileSync(join(dir, 'sel.json'), '{"version":1,"entries":[');
  const r = await cli(['serve', '--lan', '127.0.0.1:0', '--state-dir', dir], { timeoutMs: 15_000 });
  assert.equal(r.code, 64);
  assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('ipmi-sim')).length, 1);
  assert.match(r.stderr, new RegExp(`ipmi-sim serve: state file ${join(dir, 'sel.json').replace(/[.]/g, '\\.')} is unusable: not valid JSON`));
  assert.doesNotMatch(r.stderr, /BMC listening/);
});

test('valid JSON of the wrong shape is refused with the field', async () => {
  const dir = join(fresh(), 'state');
  mkdirSync(dir);
  writeFileSync(join(dir, 'users.json'), JSON.stringify({ version: 1, base: 'x', users: [{ id: 2, name: 'admin', password: 'not hex!' }] }));
  const r = await cli(['serve', '--lan', '127.0.0.1:0', '--state-dir', dir], { timeoutMs: 15_000 });
  assert.equal(r.code, 64);
  assert.match(r.stderr, /state file .*users\.json is unusable: users\[0\]\.access: expected an object; move it away/);
});

test('one server per state directory; the directory and files are private', async () => {
  const dir = join(fresh(), 'state');
  const a = await startServe(['--state-dir', dir]);
  try {
    const r = await cli(['serve', '--lan', '127.0.0.1:0', '--state-dir', dir], { timeoutMs: 15_000 });
    assert.equal(r.code, 64);
    assert.match(r.stderr, new RegExp(`state directory .* is in use by process ${a.process.pid}`));
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  } finally {
    await a.stop();
  }
  assert.ok(!readdirSync(dir).includes('lock'), 'a clean stop releases the lock');
  // And it starts again.
  const b = await startServe(['--state-dir', dir]);
  await b.stop();
});

test('a bad storage section in the config is a config error with file and line', async () => {
  const dir = fresh();
  const cfg = join(dir, 'bmc.yaml');
  writeFileSync(cfg, 'sel:\n  capacity: 100\nlanParams:\n  ipAddres: 192.0.2.1\n');
  const r = await cli(['serve', '--lan', '127.0.0.1:0', '--config', cfg, '--state-dir', join(dir, 'state')], { timeoutMs: 15_000 });
  assert.equal(r.code, 78);
  assert.equal(r.stderr, `ipmi-sim: config error: ${cfg}:4:3: lanParams.ipAddres: unknown field (expected one of ipAddress, ipSource, subnetMask, macAddress, defaultGateway, defaultGatewayMac, backupGateway, backupGatewayMac, community, vlanId, vlanPriority, arpResponses, gratuitousArp, gratuitousArpInterval, ipv4Ttl, badPasswordThreshold, badPasswordEvent, attemptCountReset, userLockout)\n`);
});
