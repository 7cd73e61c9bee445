// VmProcess's view of a QEMU it did not start (adopted after a serve restart): such a process
// is not our child, so its end is found by polling, and a zombie counts as ended.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processGone, VmProcess } from '../../src/qemu/vm-process.js';

/** A zombie until the test kills its parent: `sleep 0` ends, its parent exec'd `sleep 60`, which never waits for it. */
async function zombie(): Promise<{ pid: number; parent: ReturnType<typeof spawn> }> {
  // The parent lives long enough for a loaded machine; the test kills it.
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
  for (let i = 0; i < 500; i++) {
    if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'latin1'))) return { pid, parent };
    await sleep(10);
  }
  throw new Error('no zombie');
}

test('processGone: a live process is not gone, a zombie and a missing pid are', { skip: process.platform !== 'linux' }, async () => {
  assert.equal(processGone(process.pid), false);
  const z = await zombie();
  try {
    assert.doesNotThrow(() => process.kill(z.pid, 0), 'signal 0 still reaches a zombie');
    assert.equal(processGone(z.pid), true);
  } finally {
    z.parent.kill('SIGKILL');
  }
  assert.equal(processGone(2 ** 22 + 7), true);
});

test('an adopted process that became a zombie is reported as exited', { skip: process.platform !== 'linux' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vm-process-'));
  // adopt() insists on "qemu" in the command line: a shell whose $0 says so, living 1.5 s (long
  // enough to be adopted alive on a loaded machine), whose parent (after exec) never waits for it.
  const parent = spawn('sh', ['-c', 'sh -c "sleep 1.5; true" fake-qemu & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number(await new Promise<string>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(d.toString()))));
    writeFileSync(join(dir, 'qemu.pid'), `${pid}\n`);
    const vm = new VmProcess(join(dir, 'qemu.log'), join(dir, 'qemu.pid'));
    // $! is printed before the forked shell has exec'd its own command line: give it a moment.
    let adopted = vm.adopt();
    for (let i = 0; i < 20 && adopted === undefined; i++) {
      await sleep(50);
      adopted = vm.adopt();
    }
    assert.equal(adopted, pid);
    const exit = await Promise.race([vm.waitExit(), sleep(6000).then(() => 'still running')]);
    assert.deepEqual(exit, { code: null, signal: null, requested: false });
    assert.equal(vm.running, false);
  } finally {
    parent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
