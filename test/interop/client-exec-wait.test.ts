// Must-show (issue 5A, #5): `exec FILE` runs many commands in one session (serve logs one
// "session opened"), splits lines like ipmitool, and exits with the last non-zero status.
// Also `power … --wait`, -o table, colour only when allowed, and an example in every --help.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { cli, run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { requirePeers } from '../helpers/peers.js';
import { createProgram } from '../../src/cli/program.js';
import { CliContext } from '../../src/cli/context.js';
import { bufferIo } from '../../src/cli/io.js';

let bmc: ServeHandle;
const dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-exec-'));
before(async () => {
  bmc = await startServe();
});
after(async () => {
  await bmc.stop();
});

const at = () => ['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'password'];
const ours = (args: string[], env?: NodeJS.ProcessEnv) => cli([...at(), ...args], env ? { env } : {});
const sessionsOpened = () => (bmc.logs().match(/INFO {2}session opened /g) ?? []).length;

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('exec FILE', () => {
  test('five commands, one session', async () => {
    const cmds = file('ok.txt', 'power status\n# a comment line\n\nchassis status   # trailing comment\nmc info\nuser set name 4 "tape robot"\nuser list 1\n');
    const before = sessionsOpened();
    const r = await ours(['exec', cmds]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(sessionsOpened() - before, 1, 'exactly one session for the whole file');
    assert.match(r.stdout, /^Chassis Power is on\nSystem Power {9}: on\n/);
    assert.match(r.stdout, /^Device ID {17}: 32$/m);
    assert.match(r.stdout, /^4 {3}tape robot {7}true /m, 'the quoted name kept its space');
  });

  test('the exit status is the last non-zero one; later lines still run', async () => {
    const cmds = file('mixed.txt', 'raw 0x06 0x99\nchassis identify 300\npower status\n');
    const r = await ours(['exec', cmds]);
    assert.equal(r.code, 64, 'the usage error came last among the failures');
    assert.equal(r.stdout, 'Chassis Power is on\n');
    assert.equal(r.stderr, 'Unable to send RAW command (channel=0x0 netfn=0x6 lun=0x0 cmd=0x99 rsp=0xc1): Invalid command\nGiven interval is too big.\n');
    const one = await ours(['exec', file('one.txt', 'chassis identify 300\nraw 0x06 0x99\n')]);
    assert.equal(one.code, 1);
  });

  test('the same output as ipmitool exec, and --json gives one document', async (t) => {
    const cmds = file('same.txt', 'power status\nchassis status\nmc info\nuser list 1\nchannel info\nlan print 1\n');
    const r = await ours(['exec', cmds]);
    assert.equal(r.code, 0, r.stderr);
    const j = await ours(['--json', 'exec', cmds]);
    const doc = JSON.parse(j.stdout) as { command: string; exitCode: number; result: unknown }[];
    assert.deepEqual(
      doc.map((d) => [d.command, d.exitCode]),
      ['power status', 'chassis status', 'mc info', 'user list 1', 'channel info', 'lan print 1'].map((c) => [c, 0]),
    );
    assert.deepEqual(doc[0]!.result, { powerOn: true });
    if (!requirePeers(t, 'ipmitool')) return;
    const it = await run('ipmitool', ['-I', 'lanplus', '-C', '17', ...at(), 'exec', cmds]);
    assert.equal(r.stdout, it.stdout);
    assert.equal(it.code, 0);
  });

  test('a missing file is a usage error before any session', async () => {
    const before = sessionsOpened();
    const r = await ours(['exec', join(dir, 'nope.txt')]);
    assert.equal(r.code, 64);
    assert.match(r.stderr, /Unable to open file '.*nope\.txt': ENOENT/);
    assert.equal(sessionsOpened(), before);
  });
});

describe('power --wait', () => {
  test('cycle --wait returns once the power has gone off and come back', async () => {
    // Set Power Cycle Interval: 2 s.
    assert.equal((await ours(['raw', '0x00', '0x0b', '0x02'])).code, 0);
    const r = await ours(['power', 'cycle', '--wait']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Chassis Power Control: Cycle\n');
    assert.equal(r.stderr, '', 'no spinner without a TTY');
    assert.ok(r.ms >= 1500, `returned after ${r.ms} ms, before the 2 s interval`);
    assert.equal((await ours(['power', 'status'])).stdout, 'Chassis Power is on\n');
  });

  test('off --wait and on --wait; a timeout is a failure (exit 1)', async () => {
    assert.equal((await ours(['power', 'off', '--wait'])).stdout, 'Chassis Power Control: Down/Off\n');
    assert.equal((await ours(['power', 'status'])).stdout, 'Chassis Power is off\n');
    assert.equal((await ours(['chassis', 'power', 'on', '--wait'])).code, 0);
    await ours(['raw', '0x00', '0x0b', '0x05']);
    const slow = await ours(['power', 'cycle', '--wait', '--wait-timeout', '1']);
    assert.equal(slow.code, 1);
    assert.match(slow.stderr, /^Timed out after 1 s waiting for power to go off and back on \(power is off\)\n$/);
    const bad = await ours(['power', 'on', '--wait', '--wait-timeout', 'soon']);
    assert.equal(bad.code, 64);
  });
});

describe('output: -o table, colour, help examples', () => {
  test('-o table renders lists with box borders and no ANSI codes', async () => {
    const r = await ours(['-o', 'table', 'user', 'list', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^┌/);
    assert.match(r.stdout, /│ 2 +│ admin +│ true +│ false +│ true +│ ADMINISTRATOR +│/);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    for (const args of [['channel', 'getciphers', 'ipmi'], ['session', 'info', 'all'], ['channel', 'getaccess', '1', '2'], ['mc', 'getenables']]) {
      const t = await ours(['-o', 'table', ...args]);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout, /^┌[^]*└.*┘\n$/, args.join(' '));
    }
  });

  test('colour only when allowed: FORCE_COLOR yes, NO_COLOR and --no-color no, pipes no', async () => {
    // (The power may still be in the 5 s cycle the test above started: on or off both do.)
    const forced = await ours(['power', 'status'], { FORCE_COLOR: '1', NO_COLOR: '' });
    assert.match(forced.stdout, /^Chassis Power is (\x1b\[32mon|\x1b\[31moff)\x1b\[39m\n$/);
    const plain = /^Chassis Power is (on|off)\n$/;
    assert.match((await ours(['power', 'status'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout, plain, 'NO_COLOR wins over FORCE_COLOR');
    assert.match((await ours(['--no-color', 'power', 'status'], { FORCE_COLOR: '1', NO_COLOR: '' })).stdout, plain);
    assert.doesNotMatch((await ours(['--json', 'power', 'status'], { FORCE_COLOR: '1', NO_COLOR: '' })).stdout, /\x1b\[/);
    assert.match((await ours(['power', 'status'], { NO_COLOR: '' })).stdout, plain, 'a pipe is not a TTY');
  });

  test('--help of every command shows an example', () => {
    const io = bufferIo();
    const program = createProgram(new CliContext(io));
    const walk = (c: Command, path: string[]): void => {
      io.stdout = '';
      c.outputHelp();
      assert.match(io.stdout, /Examples?:\n(.*\n)*? {2}.*ipmi-sim /, `ipmi-sim ${path.join(' ')} --help has no example`);
      for (const sub of c.commands) walk(sub, [...path, sub.name()]);
    };
    walk(program, []);
  });
});
