// The SOL serial server against real QEMU 7.2 processes that are paused (-S: no guest runs, so
// each start costs a fraction of a second), dialling it as serve's VMs do
// (`-chardev socket,id=sol0,...,reconnect=1 -serial chardev:sol0`):
//   - a second QEMU dialling while one is connected is refused and keeps redialling; when the
//     first goes away the second gets the port (a QEMU restart is a reconnect); availability
//     follows;
//   - console -> guest writes are bounded: a paused guest reads nothing, so the queue fills and
//     write() takes less, never blocking; flushInput() makes room again;
//   - break goes out over QMP chardev-send-break, after the bytes typed before it and before
//     those typed after it; without QMP or telnet it is counted lost and logged once;
//   - TCP with port 0 works the same.
// A booted guest (output, typing, SysRq break, 1 MB) is test/e2e/sol-serial.test.ts.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSolArgs } from '../../src/qemu/args.js';
import { SolSerialServer, type SolSerialOptions } from '../../src/transport/sol-serial.js';
import type { StreamListen } from '../../src/transport/stream-listen.js';
import { spawnQemu, tempDir, type QemuProcess } from '../helpers/qemu.js';
import { QmpClient } from '../helpers/qmp.js';
import { findExecutable, needTool, QEMU_BINARY } from '../helpers/tools.js';

const qemu = findExecutable(QEMU_BINARY);

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await sleep(20);
  }
}

/** A paused QEMU whose ttyS0 dials `at`, with a QMP socket in `dir`. */
async function pausedVm(t: TestContext, dir: string, at: StreamListen): Promise<{ q: QemuProcess; qmp: QmpClient }> {
  const sol = buildSolArgs({ endpoint: at, qemuVersion: '7.2' }).args;
  const q = spawnQemu(QEMU_BINARY, ['-machine', 'pc,accel=tcg', '-S', '-display', 'none', '-nodefaults', '-qmp', `unix:${join(dir, 'qmp.sock')},server=on,wait=off`, ...sol]);
  t.after(() => q.kill());
  const qmp = await Promise.race([QmpClient.open(join(dir, 'qmp.sock')), q.exited.then((e) => Promise.reject(new Error(`QEMU exited ${JSON.stringify(e)}: ${q.stderr()}`)))]);
  t.after(() => qmp.close());
  return { q, qmp };
}

async function server(t: TestContext, o: Partial<SolSerialOptions> & { listen: StreamListen }): Promise<{ s: SolSerialServer; logs: string[] }> {
  const logs: string[] = [];
  const s = new SolSerialServer({ historySize: 65536, log: (level, m) => logs.push(`${level} ${m}`), ...o });
  await s.listen();
  t.after(() => s.shutdown());
  return { s, logs };
}

test('one VM at a time: a second QEMU is refused until the first is gone, then it gets the port', async (t) => {
  if (!needTool(t, 'qemu-system-x86_64', !!qemu)) return;
  const dir = tempDir('solq-');
  t.after(dir.remove);
  const { s, logs } = await server(t, { listen: { path: join(dir.path, 'sol.sock') } });
  const seen: boolean[] = [];
  s.subscribe({ output() {}, availability: (a) => seen.push(a) });
  assert.equal(s.available, false);
  assert.equal(s.write(Buffer.from('x')), 0, 'nothing reaches a port without a VM');

  const a = tempDir('solq-a-');
  t.after(a.remove);
  const first = await pausedVm(t, a.path, s.address!);
  await until('the first QEMU connected', () => s.available);
  const b = tempDir('solq-b-');
  t.after(b.remove);
  await pausedVm(t, b.path, s.address!);
  await until('the second QEMU was refused', () => s.stats.rejectedConnections >= 1);
  assert.equal(s.available, true, 'the first connection is kept');
  assert.match(logs.join('\n'), /warn refusing a second connection to the VM serial port from unix:.*sol\.sock: .* is connected/);

  await first.q.kill();
  await until('the second QEMU reconnected (reconnect=1)', () => s.stats.connections === 2 && s.available, 15_000);
  assert.deepEqual(seen, [true, false, true]);
});

test('console -> guest writes are bounded and never block; flushInput makes room', async (t) => {
  if (!needTool(t, 'qemu-system-x86_64', !!qemu)) return;
  const dir = tempDir('solq-');
  t.after(dir.remove);
  const { s } = await server(t, { listen: { path: join(dir.path, 'sol.sock') }, maxInputQueue: 32 * 1024 });
  await pausedVm(t, dir.path, s.address!);
  await until('QEMU connected', () => s.available);
  // A paused guest reads nothing: the socket buffers fill, then our queue, then write() takes less.
  const chunk = Buffer.alloc(16 * 1024, 0x61);
  let taken = 0;
  let calls = 0;
  for (; calls < 200; calls++) {
    const n = s.write(chunk);
    taken += n;
    if (n < chunk.length) break;
    await sleep(5); // let the socket move what it can
  }
  assert.ok(calls < 200, `write() never refused anything (${taken} bytes taken)`);
  assert.equal(s.write(chunk), 0, 'full: nothing more is taken');
  assert.ok(taken < 3 * 1024 * 1024, `bounded: ${taken} bytes taken before refusing`);
  assert.ok(s.stats.inputDropped > 0);
  s.flushInput();
  assert.equal(s.write(chunk), chunk.length, 'room again after flushInput');
  t.diagnostic(`a paused guest absorbed ${taken} bytes (socket buffers + a 32 KiB queue) before write() refused`);
});

test('break over QMP, in order with typed bytes; without QMP it is lost and logged once', async (t) => {
  if (!needTool(t, 'qemu-system-x86_64', !!qemu)) return;
  const dir = tempDir('solq-');
  t.after(dir.remove);
  let qmp: QmpClient | undefined;
  const order: string[] = [];
  const { s } = await server(t, {
    listen: { host: '127.0.0.1', port: 0 },
    qmpBreak: async () => {
      order.push(`break after ${s.stats.bytesToSystem}`);
      await qmp!.execute('chardev-send-break', { id: 'sol0' });
      return true;
    },
  });
  assert.ok('port' in s.address! && s.address.port > 0, 'port 0 became a real port');
  const vm = await pausedVm(t, dir.path, s.address!);
  qmp = vm.qmp;
  await until('QEMU connected', () => s.available);
  s.write(Buffer.from('abc'));
  s.sendBreak();
  s.write(Buffer.from('h'));
  assert.equal(s.stats.bytesToSystem, 3, 'the byte after the break waits for it');
  await until('the break went out', () => s.stats.breaks.qmp === 1);
  await until('then the rest', () => s.stats.bytesToSystem === 4);
  assert.deepEqual(order, ['break after 3']);

  const plain = tempDir('solq-');
  t.after(plain.remove);
  const { s: bare, logs } = await server(t, { listen: { path: join(plain.path, 'sol.sock') } });
  await pausedVm(t, plain.path, bare.address!);
  await until('QEMU connected', () => bare.available);
  bare.sendBreak();
  bare.sendBreak();
  assert.equal(bare.stats.breaks.lost, 2);
  assert.equal(logs.filter((l) => /break not delivered/.test(l)).length, 1, logs.join('\n'));
});
