// Issue 13, must-show 4: Redfish acts on a real guest (serve --bmc external --redfish, QEMU TCG
// booting the test guest): ComputerSystem.Reset GracefulShutdown is a task that ends when the
// guest has powered off via ACPI; On starts QEMU and the guest boots; a Pxe boot override set
// over Redfish is parameter 5 for ipmitool, and ForceRestart then starts a new QEMU with
// -boot once=n (serve's qemu.log), after which the once-only override is spent.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { http, redfishPortFromLogs, type HttpReply } from '../helpers/redfish.js';
import type { ServedVm } from '../helpers/served-vm.js';
import { E2E_BMC_YAML, servedVmSuite } from './steps.js';

const AUTH = 'admin:password';
const SYSTEM = '/redfish/v1/Systems/system';
const RESET = `${SYSTEM}/Actions/ComputerSystem.Reset`;

function redfish(v: ServedVm, path: string, o: Parameters<typeof http>[2] = {}): Promise<HttpReply> {
  const target = { redfishPort: redfishPortFromLogs(v.serve.logs()), ca: readFileSync(join(v.stateDir, 'redfish-cert.pem')) };
  return http(target, path, { auth: AUTH, ...o });
}

async function reset(v: ServedVm, type: string): Promise<HttpReply> {
  return redfish(v, RESET, { method: 'POST', body: { ResetType: type } });
}

servedVmSuite('Redfish on a real guest (serve --bmc external --redfish)', { mode: 'external', bmcYaml: E2E_BMC_YAML, serveArgs: ['--redfish', '127.0.0.1:0'] }, 170_000, (step) => {
  step('the system is on, as ipmitool says', async (v) => {
    assert.equal((await redfish(v, SYSTEM)).json().PowerState, 'On');
    assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
  });

  step('GracefulShutdown: a task; the guest sees the ACPI power button and powers off', async (v, t) => {
    const from = v.console.mark();
    const t0 = Date.now();
    const r = await reset(v, 'GracefulShutdown');
    assert.equal(r.status, 202, r.text);
    const monitor = String(r.headers.location);
    assert.equal(r.json().TaskState, 'Running');
    await v.console.waitFor(/GUEST: power button/, 15_000, from);
    await v.waitQemuGone(15_000);
    // The monitor answers 202 until the chassis is off, then the action's own 204.
    let m = await redfish(v, monitor);
    for (let i = 0; m.status === 202 && i < 100; i++) {
      await sleep(200);
      m = await redfish(v, monitor);
    }
    assert.equal(m.status, 204, m.text);
    t.diagnostic(`graceful shutdown to task done: ${Date.now() - t0} ms`);
    const task = (await redfish(v, monitor.replace(/\/Monitor$/, ''))).json();
    assert.equal(task.TaskState, 'Completed');
    assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is off\n');
    assert.equal((await redfish(v, SYSTEM)).json().PowerState, 'Off');
    assert.match(v.qemuLog(), /exited: code=0 signal=null \(requested\)\n$/, 'the guest powered off by itself');
  });

  step('On: serve starts QEMU, the guest boots', async (v) => {
    const boots = v.guest.boots;
    const starts = v.qemuStarts().length;
    assert.equal((await reset(v, 'On')).status, 204);
    await v.guest.waitForBoot(boots + 1);
    assert.equal(v.qemuStarts().length, starts + 1);
    assert.equal((await redfish(v, SYSTEM)).json().PowerState, 'On');
  });

  step('Boot override Pxe (Once) + ForceRestart: a new QEMU with -boot once=n; the override is spent', async (v) => {
    const patch = await redfish(v, SYSTEM, { method: 'PATCH', body: { Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' } } });
    assert.equal(patch.status, 200, patch.text);
    assert.match(await v.lan.ok('chassis', 'bootparam', 'get', '5'), /Boot Device Selector : Force PXE/);
    const pid = v.qemuPid();
    const boots = v.guest.boots;
    const starts = v.qemuStarts().length;
    assert.equal((await reset(v, 'ForceRestart')).status, 204);
    await v.guest.waitForBoot(boots + 1);
    assert.notEqual(v.qemuPid(), pid, 'a new QEMU process');
    assert.equal(v.qemuStarts().length, starts + 1);
    assert.match(v.qemuStarts().at(-1)!, / -boot once=n /, 'the PXE override reached the command line');
    assert.doesNotMatch(v.qemuStarts().at(-2)!, / -boot /);
    assert.equal(await v.lan.ok('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
    assert.match(await v.lan.ok('chassis', 'bootparam', 'get', '5'), /- Boot Flag Invalid\n/);
    assert.equal((await redfish(v, SYSTEM)).json().Boot.BootSourceOverrideEnabled, 'Disabled');
    // Without an override a ForceRestart is a reset inside the same QEMU.
    const pid2 = v.qemuPid();
    assert.equal((await reset(v, 'ForceRestart')).status, 204);
    await v.guest.waitForBoot(boots + 2);
    assert.equal(v.qemuPid(), pid2, 'same QEMU');
  });

  step('ForceOff: QEMU is gone at once', async (v) => {
    assert.equal((await reset(v, 'ForceOff')).status, 204);
    await v.waitQemuGone(5_000);
    assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is off\n');
  });
});
