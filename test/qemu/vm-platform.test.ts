// VmPlatform against a stand-in QEMU: a small Node program that opens the -qmp socket it is
// given (after a delay, like a QEMU still initialising), answers every command, records them,
// emits RESET events the way QEMU 7.2 with SeaBIOS does (two per reset), and exits on quit.
// The real QEMU runs in test/e2e; this pins the timing corner cases down deterministically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VmPlatform } from '../../src/qemu/vm-platform.js';
import { MemoryLogger } from '../../src/bmc/log.js';
import type { PowerChangeCause } from '../../src/bmc/platform.js';

const FAKE_QEMU = String.raw`
const net = require('node:net');
const fs = require('node:fs');
const [log, delay] = process.argv.slice(2, 4);
const qmp = process.argv[process.argv.indexOf('-qmp') + 1].slice('unix:'.length).split(',')[0];
let peer;
const send = (m) => peer && peer.write(JSON.stringify(m) + '\n');
// SeaBIOS finds it has run before and resets once more: two RESET events per reset.
const resets = (guest, reason) => {
  send({ event: 'RESET', data: { guest, reason } });
  setTimeout(() => send({ event: 'RESET', data: { guest: true, reason: 'guest-reset' } }), 30);
};
process.on('SIGUSR1', () => resets(true, 'guest-reset'));
// SIGUSR2: the guest powers off under -no-shutdown: QEMU stays, its run state is "shutdown".
let status = 'running';
process.on('SIGUSR2', () => {
  status = 'shutdown';
  send({ event: 'SHUTDOWN', data: { guest: true, reason: 'guest-shutdown' } });
});
setTimeout(() => {
  net.createServer((s) => {
    peer = s;
    s.write(JSON.stringify({ QMP: { version: {}, capabilities: [] } }) + '\n');
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; ) {
        const m = JSON.parse(buf.slice(0, i));
        buf = buf.slice(i + 1);
        fs.appendFileSync(log, m.execute + '\n');
        if (m.execute === 'query-status') send({ return: { status, running: status === 'running' } });
        else send({ return: {} });
        if (m.execute === 'cont') {
          status = 'running';
          send({ event: 'RESUME' });
        }
        if (m.execute === 'system_reset') resets(false, 'host-qmp-system-reset');
        if (m.execute === 'quit') process.exit(0);
      }
    });
  }).listen(qmp);
}, Number(delay));
`;

function setup(qmpDelayMs: number) {
  const dir = mkdtempSync(join(tmpdir(), 'vm-platform-'));
  const script = join(dir, 'fake-qemu.cjs');
  const commands = join(dir, 'commands.log');
  writeFileSync(script, FAKE_QEMU);
  writeFileSync(commands, '');
  const log = new MemoryLogger();
  const p = new VmPlatform({
    mode: 'internal',
    command: { binary: process.execPath, args: [script, commands, String(qmpDelayMs)] },
    stateDir: dir,
    powerOffWait: 5,
    killWait: 2,
    log,
  });
  const events: string[] = [];
  p.onPowerChange = (on, cause: PowerChangeCause) => events.push(`${on ? 'on' : 'off'}:${cause}`);
  p.onReset = (cause) => events.push(`reset:${cause}`);
  return {
    p,
    log,
    events,
    commands: () => readFileSync(commands, 'utf8').trim().split('\n').filter(Boolean),
    async done() {
      if (p.vm.running) await p.vm.stop(undefined, { gracefulWaitMs: 0, termWaitMs: 1000 });
      await p.shutdown(false);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('actions right after power on wait for QEMU to open its monitor', async () => {
  const s = setup(300);
  try {
    await s.p.powerOn('command');
    // The monitor opens 300 ms from now: a reset and an NMI asked for before are not lost.
    await s.p.hardReset('command');
    await s.p.diagnosticInterrupt();
    // (query-status is the power-state read on connect.)
    assert.deepEqual(s.commands().filter((c) => c !== 'query-status'), ['qmp_capabilities', 'system_reset', 'inject-nmi']);
    const t0 = Date.now();
    await s.p.powerOff('command');
    assert.ok(Date.now() - t0 < 2000, 'QEMU quit when asked, not at the SIGTERM 5 s later');
    assert.deepEqual(s.commands().slice(-1), ['quit']);
    assert.equal(s.log.lines.filter((l) => l.level === 'warn').length, 0, JSON.stringify(s.log.lines));
  } finally {
    await s.done();
  }
});

test('one reset is one reset: its RESET events, however many, are not a second one', async () => {
  const s = setup(0);
  try {
    await s.p.powerOn('command');
    for (let i = 0; i < 100 && !s.commands().includes('qmp_capabilities'); i++) await sleep(10);
    // A reboot of the guest's own: two RESET events, one reset.
    process.kill(s.p.vm.pid!, 'SIGUSR1');
    await sleep(200);
    assert.deepEqual(s.events, ['on:command', 'reset:guest']);
    // Ours: reported by hardReset itself; QEMU's two RESET events add nothing.
    await s.p.hardReset('command');
    await sleep(200);
    assert.deepEqual(s.events, ['on:command', 'reset:guest', 'reset:command']);
  } finally {
    await s.done();
  }
});

test('QEMU run with -no-shutdown: the guest powering off is power off (query-status), power on resumes it', async () => {
  const s = setup(0);
  try {
    await s.p.powerOn('command');
    for (let i = 0; i < 100 && !s.commands().includes('query-status'); i++) await sleep(10);
    assert.equal(s.p.poweredOn, true);
    process.kill(s.p.vm.pid!, 'SIGUSR2');
    for (let i = 0; i < 100 && s.p.poweredOn; i++) await sleep(20);
    assert.equal(s.p.poweredOn, false, 'run state "shutdown" with the process alive is off');
    assert.equal(s.p.vm.running, true);
    await s.p.powerOn('command');
    assert.equal(s.p.poweredOn, true);
    assert.deepEqual(s.commands().slice(-2), ['system_reset', 'cont']);
    assert.deepEqual(s.events, ['on:command', 'off:guest', 'on:command']);
    // A hard power off of the running guest quits QEMU and reports one off.
    await s.p.powerOff('command');
    assert.deepEqual(s.events, ['on:command', 'off:guest', 'on:command', 'off:command']);
  } finally {
    await s.done();
  }
});
