// Shared parts of the end-to-end tests: the BMC config they serve (and what ipmitool prints for
// it), a suite around one served VM, and the LAN power steps both BMC modes must pass.

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { guestPrerequisites } from '../helpers/guest.js';
import { ServedVm, type ServedVmOptions } from '../helpers/served-vm.js';
import { needTool } from '../helpers/tools.js';

/** A BMC no default could be mistaken for: its own manufacturer, product and firmware, sensors. */
export const E2E_BMC_YAML = `
identity:
  manufacturerId: 0xB0E2E
  productId: 0x4E2E
  firmware: "7.42"
  deviceRevision: 3
sensors:
  - name: E2E Inlet
    number: 0x10
    type: temperature
    entity: air inlet
    unit: degrees C
    range: [0, 255]
    thresholds: { unc: 60, ucr: 70 }
    value: 23
  - name: E2E FAN
    number: 0x11
    type: fan
    unit: RPM
    range: [0, 25500]
    value: 4200
`;

/** ipmitool mc info lines for E2E_BMC_YAML. */
export const E2E_MC_INFO = [/^Device Revision\s+: 3$/m, /^Firmware Revision\s+: 7\.42$/m, /^Manufacturer ID\s+: 724526$/m, /^Product ID\s+: 20014 \(0x4e2e\)$/m];

const why = guestPrerequisites();

export type Step = (name: string, fn: (v: ServedVm, t: TestContext) => Promise<void>) => void;

/**
 * A describe() around one served VM that its steps share, in order (a boot costs seconds under
 * TCG). Without QEMU or the guest's build tools every step skips loudly, or fails with CI=true.
 */
export function servedVmSuite(title: string, opts: ServedVmOptions, timeoutMs: number, body: (step: Step) => void): void {
  let vm: ServedVm | undefined;
  describe(title, { timeout: timeoutMs }, () => {
    before(async () => {
      if (!why) vm = await ServedVm.start(opts);
    });
    after(() => vm?.close());
    body((name, fn) =>
      test(name, async (t) => {
        if (!needTool(t, 'QEMU guest prerequisites', !why, why)) return;
        assert.ok(vm, 'the served VM did not start (see the first failure)');
        await fn(vm, t);
      }),
    );
  });
}

/**
 * The guest's IPMI interrupt count before and after a few requests: it rises only if the BMC
 * turned QEMU's interface IRQ on (extern 05 A1 before the Set BMC Global Enables reply; quirk
 * Q4), else the driver polls.
 */
export async function ipmiInterrupts(v: ServedVm): Promise<[number, number]> {
  const count = "grep ipmi_si /proc/interrupts | awk '{print $2}'";
  const r = await v.guest.run(`${count}; for i in 1 2 3; do ipmitool -I open raw 6 1 >/dev/null; done; ${count}`);
  const [a, b] = r.output.trim().split('\n').map(Number);
  return [a!, b!];
}

// ---- power steps over LAN with the real ipmitool, shared by the external and internal BMC ----

/** chassis power diag: the guest kernel reports an NMI nobody claims. */
export async function diagNmi(v: ServedVm): Promise<void> {
  const from = v.console.mark();
  assert.equal(await v.lan.ok('chassis', 'power', 'diag'), 'Chassis Power Control: Diag\n');
  // Linux's unknown_nmi_error().
  await v.console.waitFor(/Uhhuh\. NMI received for unknown reason/, 15_000, from);
  assert.equal((await v.guest.run('echo alive')).output, 'alive\n', 'the guest survives the NMI');
}

/** power reset: the guest reboots inside the same QEMU; the restart cause is the command. */
export async function powerReset(v: ServedVm, t: TestContext): Promise<void> {
  const pid = v.qemuPid();
  const boots = v.guest.boots;
  const t0 = Date.now();
  assert.equal(await v.lan.ok('power', 'reset'), 'Chassis Power Control: Reset\n');
  await v.guest.waitForBoot(boots + 1);
  t.diagnostic(`reset to guest ready: ${Date.now() - t0} ms`);
  assert.equal(v.qemuPid(), pid, 'same QEMU process');
  // One reset, counted once: not also a "soft reset" from the RESET events QEMU reports.
  assert.equal(await v.lan.ok('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
  assert.equal((await v.guest.run('ipmitool -I open mc info')).rc, 0);
}

/** power soft: the guest sees the ACPI power button and powers off; the chassis reports off. */
export async function powerSoft(v: ServedVm, t: TestContext): Promise<void> {
  assert.ok(v.qemuPid());
  const from = v.console.mark();
  const t0 = Date.now();
  assert.equal(await v.lan.ok('power', 'soft'), 'Chassis Power Control: Soft\n');
  await v.console.waitFor(/GUEST: power button/, 15_000, from);
  await v.waitQemuGone(15_000);
  await v.waitPower('off', 10_000);
  t.diagnostic(`soft off to power off: ${Date.now() - t0} ms`);
  // QEMU exited by itself (the guest's poweroff), well before the staged SIGTERM.
  assert.match(v.qemuLog(), /exited: code=0 signal=null \(requested\)\n$/);
}

/** power on: serve starts a QEMU, the guest boots. */
export async function powerOn(v: ServedVm, t: TestContext): Promise<void> {
  const boots = v.guest.boots;
  const starts = v.qemuStarts().length;
  const t0 = Date.now();
  assert.equal(await v.lan.ok('power', 'on'), 'Chassis Power Control: Up/On\n');
  await v.guest.waitForBoot(boots + 1);
  t.diagnostic(`power on to guest ready: ${Date.now() - t0} ms`);
  assert.equal(v.qemuStarts().length, starts + 1);
  assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
  assert.equal((await v.guest.run('ipmitool -I open mc info')).rc, 0);
}

/** power cycle: a new QEMU, the guest boots. Returns the argv QEMU was started with. */
export async function powerCycle(v: ServedVm, t: TestContext): Promise<string> {
  const pid = v.qemuPid();
  const boots = v.guest.boots;
  const starts = v.qemuStarts().length;
  const t0 = Date.now();
  assert.equal(await v.lan.ok('power', 'cycle'), 'Chassis Power Control: Cycle\n');
  await v.guest.waitForBoot(boots + 1);
  t.diagnostic(`power cycle to guest ready: ${Date.now() - t0} ms`);
  assert.notEqual(v.qemuPid(), pid, 'a new QEMU process');
  const argv = v.qemuStarts();
  assert.equal(argv.length, starts + 1);
  return argv.at(-1)!;
}

/** power off (hard): QEMU is gone at once, the chassis reports off. */
export async function powerOff(v: ServedVm, t: TestContext): Promise<void> {
  const t0 = Date.now();
  assert.equal(await v.lan.ok('power', 'off'), 'Chassis Power Control: Down/Off\n');
  await v.waitQemuGone(5_000);
  t.diagnostic(`power off to QEMU gone: ${Date.now() - t0} ms`);
  await v.guest.waitForDisconnect(5_000);
  assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is off\n');
  assert.doesNotMatch(v.console.text().slice(-200), /GUEST: power button/, 'not a soft off');
  // Not the staged SIGTERM either: QEMU was asked (extern 0x03 or QMP quit).
  assert.doesNotMatch(v.qemuLog(), /terminating on signal/);
}
