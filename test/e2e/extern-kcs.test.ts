// Issue 4, must-show 1-3 (external BMC, KCS): `ipmi-sim serve --bmc external` is the BMC of a
// real QEMU 7.2 (TCG) booting the test guest with ipmi-bmc-extern + isa-ipmi-kcs. One serve and
// one guest go through the steps in order (each boot costs seconds under TCG):
//   1. in-band: the guest's ipmitool -I open mc info / sdr list / sel list show this config's BMC;
//   2. one state, two channels: a SEL entry the guest adds is in `sel list` over LAN, a reading
//      set over LAN is in the guest's `sdr list`;
//   3. power from LAN with the real ipmitool: status, diag (the guest kernel reports the NMI),
//      reset (same QEMU, guest reboots), soft (ACPI power button, the guest powers off),
//      on (QEMU starts), bootdev pxe + cycle (new QEMU with -boot once=n, flag cleared), off;
//   4. watchdog: the guest's ipmi_watchdog arms a 10 s timer with a 5 s NMI pre-timeout and
//      stops petting: the guest kernel takes the NMI (its driver claims it; the NMI count in
//      /proc/interrupts goes up by one), the expiry resets the VM, `sel list` over LAN shows
//      both events;
//   5. power off (hard): QEMU is gone at once.
// Without QEMU or the guest's build tools the test skips loudly, or fails with CI=true.

import assert from 'node:assert/strict';
import { diagNmi, E2E_BMC_YAML, E2E_MC_INFO, ipmiInterrupts, powerCycle, powerOff, powerOn, powerReset, powerSoft, servedVmSuite } from './steps.js';

servedVmSuite('serve --bmc external with a real guest on isa-ipmi-kcs', { mode: 'external', bmcYaml: E2E_BMC_YAML }, 170_000, (step) => {
  step('the guest sees this BMC in-band: mc info, sdr list, sel list', async (v, t) => {
    t.diagnostic(`serve start to guest ready: ${v.readyMs} ms`);
    const info = await v.guest.run('ipmitool -I open mc info');
    assert.equal(info.rc, 0, info.output);
    for (const re of E2E_MC_INFO) assert.match(info.output, re);
    const sdr = await v.guest.run('ipmitool -I open sdr list');
    assert.equal(sdr.rc, 0, sdr.output);
    assert.match(sdr.output, /^E2E Inlet\s+\| 23 degrees C\s+\| ok$/m);
    assert.match(sdr.output, /^E2E FAN\s+\| 4200 RPM\s+\| ok$/m);
    const sel = await v.guest.run('ipmitool -I open sel list');
    assert.equal(sel.rc, 0, sel.output);
    const dmesg = await v.guest.run('dmesg | grep -i ipmi');
    assert.match(dmesg.output, /IPMI kcs interface initialized/);
    assert.match(dmesg.output, /Found new BMC \(man_id: 0x0b0e2e, prod_id: 0x4e2e, dev_id: 0x20\)/);
    const [before, after] = await ipmiInterrupts(v);
    assert.ok(after > before, `the KCS interrupt fires (${before} -> ${after}): the BMC enabled it`);
  });

  step('one state on both channels: the guest adds a SEL entry, LAN sets a reading', async (v) => {
    // ipmitool's sel add file: EvMRev, sensor type, number, event dir/type, event data 1-3.
    // Physical Security (0x05) #0x33, sensor-specific, offset 0 "General Chassis intrusion".
    const add = await v.guest.run("echo '0x04 0x05 0x33 0x6f 0x00 0xff 0xff' >/tmp/sel.txt && ipmitool -I open sel add /tmp/sel.txt");
    assert.equal(add.rc, 0, add.output);
    assert.match(await v.lan.ok('sel', 'list'), /\| Physical Security #0x33 \| General Chassis intrusion \| Asserted$/m);

    // Set Sensor Reading and Event Status: sensor 0x10, operation "set reading", raw 77.
    await v.lan.ok('raw', '0x04', '0x30', '0x10', '0x01', '77');
    const sdr = await v.guest.run('ipmitool -I open sdr list');
    assert.match(sdr.output, /^E2E Inlet\s+\| 77 degrees C\s+\| cr$/m, sdr.output);
    const sensor = await v.guest.run("ipmitool -I open sensor get 'E2E Inlet'");
    assert.match(sensor.output, /Sensor Reading\s+: 77 \(\+\/- 0\) degrees C/, sensor.output);
  });

  step('power status; chassis power diag: the guest kernel reports the NMI', async (v) => {
    assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
    await diagNmi(v);
  });
  step('power reset (extern 0x04): the guest reboots inside the same QEMU', powerReset);
  step('power soft (extern 0x09): the guest sees the ACPI power button and powers off; chassis reports off', powerSoft);
  step('power on: serve starts QEMU, the guest boots', powerOn);

  step('chassis bootdev pxe, power cycle: a new QEMU with -boot once=n, the flag cleared after', async (v, t) => {
    assert.equal(await v.lan.ok('chassis', 'bootdev', 'pxe'), 'Set Boot Device to pxe\n');
    assert.match(await v.lan.ok('chassis', 'bootparam', 'get', '5'), /Boot Device Selector : Force PXE/);
    const argv = await powerCycle(v, t);
    assert.match(argv, / -boot once=n /, 'the PXE override reached the command line');
    assert.doesNotMatch(v.qemuStarts().at(-2)!, / -boot /);
    // Once-only: this power-on used it, so the BMC cleared the valid bit (IPMI v2.0 §28.12).
    assert.match(await v.lan.ok('chassis', 'bootparam', 'get', '5'), /- Boot Flag Invalid\n/);
  });

  step('watchdog: the guest stops petting; its kernel takes the pre-timeout NMI, the expiry resets the VM; both in sel list over LAN', async (v, t) => {
    const pid = v.qemuPid();
    const boots = v.guest.boots;
    // With preaction=pre_nmi the driver first checks the NMI path itself at load (a 100 s timer
    // with a 99 s pre-timeout) and warns "IPMI NMI didn't seem to occur" if no NMI came.
    const load = await v.guest.run('insmod /lib/modules/ipmi_watchdog.ko timeout=10 pretimeout=5 action=reset preaction=pre_nmi && dmesg | grep -i "ipmi\\|nmi"');
    assert.equal(load.rc, 0, load.output);
    assert.match(load.output, /IPMI Watchdog: driver initialized/);
    assert.doesNotMatch(load.output, /didn't seem to occur|NMI received/);
    // One write starts the timer; closing without the magic 'V' leaves it running, unpetted.
    // A background job then counts NMIs (/proc/interrupts) until the pre-timeout one arrives,
    // 5 s before the timeout, and reports on the console (which outlives the coming reset,
    // however slow a loaded machine makes the guest). The watchdog driver claims that NMI, so
    // the kernel does not report it as unknown.
    const nmis = "grep '^ *NMI:' /proc/interrupts | awk '{print $2}'";
    const uptime = "cut -d' ' -f1 /proc/uptime";
    const from = v.console.mark();
    const armedAt = Date.now();
    const arm = await v.guest.run(
      `n0=$(${nmis}); t0=$(${uptime}); echo 1 >/dev/watchdog; ` +
        `(i=0; while [ "$(${nmis})" = "$n0" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; echo "GUEST-NMI $n0 -> $(${nmis}) uptime $t0 -> $(${uptime})" >/dev/console) >/dev/null 2>&1 &`,
    );
    assert.equal(arm.rc, 0, arm.output);
    const m = await v.console.waitFor(/GUEST-NMI (\d+) -> (\d+) uptime ([\d.]+) -> ([\d.]+)/, 20_000, from);
    assert.equal(Number(m[2]), Number(m[1]) + 1, m[0]);
    const after = Number(m[4]) - Number(m[3]);
    t.diagnostic(`the NMI came ${after.toFixed(2)} s after arming (guest uptime)`);
    assert.ok(after >= 4 && after < 9, `the NMI came ${after} s after arming, not at the 5 s pre-timeout`);
    await v.guest.waitForBoot(boots + 1, 30_000);
    t.diagnostic(`armed to guest ready after the watchdog reset: ${Date.now() - armedAt} ms`);
    assert.equal(v.qemuPid(), pid, 'a reset inside the same QEMU');
    assert.doesNotMatch(v.console.text().slice(from), /NMI received/, 'no unclaimed NMI');
    assert.equal(await v.lan.ok('chassis', 'restart_cause'), 'System restart cause: watchdog expired\n');
    const sel = await v.lan.ok('sel', 'list');
    assert.match(sel, /\| Watchdog2 \| Timer interrupt \| Asserted$/m, sel);
    assert.match(sel, /\| Watchdog2 \| Hard reset \| Asserted$/m, sel);
    assert.match(await v.lan.ok('mc', 'watchdog', 'get'), /Timer Expiration Flags: \(0x10\)\n\s+\* SMS\/OS\n/);
  });

  step('power off (extern 0x03): QEMU is gone at once', powerOff);
});
