// serve's VM lifecycle around power-on-at-start and exit, with a paused QEMU 7.2 (-S: no guest,
// so each start costs a fraction of a second):
//   - a fresh state dir does not start the VM unless asked (--power-on-at-start is ipmi_sim's
//     startnow; the "previous" restore policy has nothing to restore yet); power on does;
//   - serve stopped with SIGTERM leaves the VM running (a BMC restart is not a power cut), the
//     next serve adopts it; with --stop-vm-on-exit it stops it;
//   - the restore policy brings a VM that was on back after it died with its BMC;
//   - the watchdog's power-down and power-cycle actions reach the VM.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { alive, ServedVm, type ServedVmOptions } from '../helpers/served-vm.js';
import { findExecutable, needTool, QEMU_BINARY } from '../helpers/tools.js';

const PAUSED = ['-machine', 'pc,accel=tcg', '-S', '-display', 'none', '-nodefaults', '-no-user-config'];

async function served(t: TestContext, o: Omit<ServedVmOptions, 'mode' | 'qemuArgs'> = {}): Promise<ServedVm | undefined> {
  if (!needTool(t, 'qemu-system-x86_64', !!findExecutable(QEMU_BINARY))) return undefined;
  const v = await ServedVm.start({ mode: 'external', qemuArgs: PAUSED, ...o });
  t.after(() => v.close());
  return v;
}

test('without --power-on-at-start a fresh serve leaves the VM off; power on starts it', async (t) => {
  const v = await served(t, { powerOnAtStart: false });
  if (!v) return;
  assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is off\n');
  assert.equal(v.qemuStarts().length, 0);
  assert.equal(existsSync(v.pidFile), false);
  assert.equal(await v.lan.ok('power', 'on'), 'Chassis Power Control: Up/On\n');
  await v.serve.waitForLog(/VM connected from /, 10_000);
  assert.ok(alive(v.qemuPid()));
  assert.equal(v.qemuStarts().length, 1);
  assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
});

test('SIGTERM leaves the VM running and the next serve adopts it; --stop-vm-on-exit stops it', async (t) => {
  const v = await served(t);
  if (!v) return;
  await v.serve.waitForLog(/VM connected from /, 10_000);
  const pid = v.qemuPid();
  assert.ok(alive(pid));
  await v.killServe('SIGTERM');
  assert.match(v.context(), /VM left running pid=\d+/);
  assert.ok(alive(pid), 'a BMC restart does not power the host off');
  // Adopted, not started again, even with --power-on-at-start.
  const s = await v.startServe();
  await s.waitForLog(/VM adopted \(still running from a previous serve\)/, 5_000);
  assert.equal(v.qemuStarts().length, 1);
  assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
  await v.killServe('SIGKILL');

  const w = await served(t, { serveArgs: ['--stop-vm-on-exit'] });
  if (!w) return;
  await w.serve.waitForLog(/VM connected from /, 10_000);
  const pid2 = w.qemuPid();
  await w.killServe('SIGTERM');
  assert.equal(alive(pid2), false, '--stop-vm-on-exit stops the VM');
});

test('restore policy "previous": a VM that was on comes back after it died with its BMC', async (t) => {
  const v = await served(t, { powerOnAtStart: false });
  if (!v) return;
  await v.lan.ok('power', 'on');
  await v.serve.waitForLog(/VM connected from /, 10_000);
  const pid = v.qemuPid()!;
  // A host crash: BMC and VM gone at once.
  await v.killServe('SIGKILL');
  process.kill(pid, 'SIGKILL');
  await v.waitQemuGone(5_000);
  const s = await v.startServe();
  await s.waitForLog(/VM started pid=\d+ cause=restore-policy/, 5_000);
  assert.notEqual(v.qemuPid(), pid);
  assert.match(await v.lan.ok('chassis', 'restart_cause'), /^System restart cause: power-up due to restore-previous power policy\n$/);
});

test('watchdog actions reach the VM: power down ends QEMU, power cycle starts a new one', async (t) => {
  const v = await served(t);
  if (!v) return;
  await v.serve.waitForLog(/VM connected from /, 10_000);
  const pid = v.qemuPid();
  // Set Watchdog Timer: SMS/OS, action power down (2) or power cycle (3), 1.0 s; then start it.
  const arm = async (action: number) => {
    await v.lan.ok('raw', '0x06', '0x24', '0x04', String(action), '0x00', '0x10', '0x0a', '0x00');
    await v.lan.ok('raw', '0x06', '0x22');
  };
  await arm(3);
  await v.serve.waitForLog(/watchdog expired use=4 action="power cycle"/, 5_000);
  await v.serve.waitForLog(/VM started pid=\d+ cause=watchdog/, 10_000);
  const pid2 = v.qemuPid();
  assert.ok(pid2 && pid2 !== pid && !alive(pid), 'power cycle: a new QEMU');
  await v.serve.waitForLog(/VM connected from /, 10_000, v.serve.logs().lastIndexOf('cause=watchdog'));
  await arm(2);
  await v.waitQemuGone(5_000);
  await v.waitPower('off', 5_000);
  assert.equal(await v.lan.ok('chassis', 'restart_cause'), 'System restart cause: watchdog expired\n');
  const sel = await v.lan.ok('sel', 'list');
  assert.match(sel, /\| Watchdog2 \| Power cycle \| Asserted$/m, sel);
  assert.match(sel, /\| Watchdog2 \| Power down \| Asserted$/m, sel);
});
