// Issue 4, must-show 1 (BT) and 4: the external BMC behind isa-ipmi-bt, then killed (SIGKILL)
// and restarted while the VM runs and the guest keeps talking to it.
//   - The guest's ipmitool over BT shows this config's BMC (mc info, sdr list, sel list), and
//     resets its own machine in-band (chassis power reset on channel 15).
//   - While the guest runs IPMI commands in a loop, serve is killed. QEMU (reconnect=1) dials
//     again; a stand-in BMC first accepts that connection, leaves a lone 0x03 (the first byte
//     of a power-off control frame, no terminator) in QEMU's receive parser and hangs up: a
//     BMC that died mid-frame (quirk Q1). Then the new serve starts on the same state dir: it
//     adopts the running QEMU (power status on without starting another), flushes QEMU's stale
//     parser on accept (else QEMU would power off on the next control terminator), and the
//     guest's next commands work: the interface is not hung (quirk Q2: every request answered
//     once, with its own sequence number).
//   - A hard power off through the new serve ends the adopted QEMU (not serve's child) and the
//     chassis reports off.

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { alive } from '../helpers/served-vm.js';
import { E2E_BMC_YAML, E2E_MC_INFO, ipmiInterrupts, servedVmSuite } from './steps.js';

/** Stands in for a BMC that dies mid-frame: takes QEMU's connection, sends `bytes`, hangs up. */
async function halfFrameBmc(path: string, bytes: Uint8Array, timeoutMs: number): Promise<Buffer> {
  rmSync(path, { force: true }); // the killed serve's socket file
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    const conn = once(server, 'connection') as Promise<[Socket]>;
    const [sock] = await Promise.race([conn, sleep(timeoutMs).then(() => Promise.reject(new Error(`QEMU did not reconnect within ${timeoutMs} ms`)))]);
    // QEMU's handshake first, so the hang-up cannot overtake it.
    const got: Buffer[] = [];
    sock.on('data', (d: Buffer) => got.push(d));
    for (let i = 0; i < 100 && Buffer.concat(got).length < 6; i++) await sleep(10);
    sock.end(bytes);
    await once(sock, 'close');
    return Buffer.concat(got);
  } finally {
    server.close();
    rmSync(path, { force: true });
  }
}

servedVmSuite('serve --bmc external on isa-ipmi-bt: killed and restarted under a running guest', { mode: 'external', interface: 'bt', bmcYaml: E2E_BMC_YAML }, 120_000, (step) => {
  step('the guest sees this BMC over BT: mc info, sdr list, sel list', async (v, t) => {
    const r = await v.guest.run('ipmitool -I open mc info && ipmitool -I open sdr list && ipmitool -I open sel list && dmesg | grep -i "ipmi.*interface"');
    assert.equal(r.rc, 0, r.output);
    for (const re of E2E_MC_INFO) assert.match(r.output, re);
    assert.match(r.output, /^E2E FAN\s+\| 4200 RPM\s+\| ok$/m);
    assert.match(r.output, /IPMI bt interface initialized/);
    const [before, after] = await ipmiInterrupts(v);
    assert.ok(after > before, `the BT interrupt fires (${before} -> ${after}): the BMC enabled it`);
  });

  step('in-band chassis power reset: the guest resets itself through its BMC', async (v) => {
    const boots = v.guest.boots;
    const pid = v.qemuPid();
    // The reset overtakes ipmitool's reply, as on a real machine: the command never returns.
    void v.guest.run('ipmitool -I open chassis power reset').catch(() => undefined);
    await v.guest.waitForBoot(boots + 1);
    assert.equal(v.qemuPid(), pid);
    assert.equal(await v.lan.ok('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
    assert.equal((await v.guest.run('ipmitool -I open mc info')).rc, 0);
  });

  step('SIGKILL serve mid-traffic, a half frame in QEMU, a new serve: adopted, guest commands work', async (v, t) => {
    const pid = v.qemuPid();
    assert.ok(pid);
    // The guest keeps asking for the device ID, logging each exit status.
    await v.guest.run('(while :; do ipmitool -I open raw 6 1 >/dev/null 2>&1; echo $? >>/tmp/loop.rc; done) >/dev/null 2>&1 & echo $! >/tmp/loop.pid');
    await sleep(1000);
    await v.killServe('SIGKILL');
    const killedAt = Date.now();
    const handshake = await halfFrameBmc(v.externPath, Uint8Array.of(0x03), 10_000);
    t.diagnostic(`QEMU reconnected ${Date.now() - killedAt} ms after the kill; sent ${handshake.toString('hex')}`);
    assert.equal(handshake.subarray(0, 6).toString('hex'), 'ff01a1083fa1', 'QEMU says hello on every connect');
    assert.ok(alive(pid), 'QEMU still runs after its BMC died');

    const s = await v.startServe();
    await s.waitForLog(/VM adopted \(still running from a previous serve\) pid=(\d+)/, 5_000);
    await s.waitForLog(/VM connected from /, 10_000);
    t.diagnostic(`new serve connected ${Date.now() - killedAt} ms after the kill`);
    assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
    assert.equal(v.qemuStarts().length, 1, 'no second QEMU was started');

    const mark = (await v.guest.run('wc -l </tmp/loop.rc')).output.trim();
    const info = await v.guest.run('ipmitool -I open mc info', 15_000);
    assert.equal(info.rc, 0, info.output);
    for (const re of E2E_MC_INFO) assert.match(info.output, re);
    await sleep(1500);
    // The loop's commands after the new serve came up all succeeded.
    const rcs = await v.guest.run(`kill $(cat /tmp/loop.pid); tail -n +$((${mark} + 1)) /tmp/loop.rc | sort | uniq -c; dmesg | grep -ci 'hosed\\|stuck' || true`);
    t.diagnostic(rcs.output.replace(/\n/g, ' / '));
    assert.match(rcs.output, /^\s*\d+ 0$/m, 'the loop got answers');
    assert.doesNotMatch(rcs.output, /^\s*\d+ [1-9]\d*$/m, 'no failed command after the restart');
    assert.match(rcs.output, /^0$/m, 'the driver never declared the interface hosed');
    assert.ok(alive(pid), 'the stale 0x03 in QEMU did not power it off (Q1)');
    assert.equal(v.qemuPid(), pid);
  });

  step('power off through the new serve ends the adopted QEMU', async (v, t) => {
    const pid = v.qemuPid();
    const t0 = Date.now();
    assert.equal(await v.lan.ok('power', 'off'), 'Chassis Power Control: Down/Off\n');
    await v.waitQemuGone(10_000);
    assert.ok(!alive(pid));
    await v.waitPower('off', 5_000);
    t.diagnostic(`power off to chassis off: ${Date.now() - t0} ms`);
    await v.serve.waitForLog(/VM exited /, 1_000);
  });
});
