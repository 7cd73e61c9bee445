// Issue 4, must-show 5: `ipmi-sim serve --bmc internal`. The VM runs QEMU's own ipmi-bmc-sim
// (the guest sees QEMU's BMC in-band, qemu-ipmi.md §2: device ID 0x20, manufacturer 0), while
// LAN is ipmi-sim's BMC whose power, reset, NMI and soft-off are carried out over QMP on the
// socket serve gives QEMU: system_powerdown, system_reset, inject-nmi, quit, and power on
// starts QEMU. The same power steps as the external test, with the real ipmitool over LAN.

import assert from 'node:assert/strict';
import { diagNmi, E2E_BMC_YAML, E2E_MC_INFO, powerCycle, powerOff, powerOn, powerReset, powerSoft, servedVmSuite } from './steps.js';

servedVmSuite('serve --bmc internal: QEMU ipmi-bmc-sim in-band, ipmi-sim on LAN, power over QMP', { mode: 'internal', bmcYaml: E2E_BMC_YAML }, 150_000, (step) => {
  step('the guest sees QEMU\'s BMC in-band, LAN sees ipmi-sim\'s', async (v, t) => {
    // The IPMI devices, then the SOL chardev serve adds for the command's -serial chardev:sol0, then QMP.
    assert.match(v.qemuStarts()[0]!, / -device ipmi-bmc-sim,id=bmc0 -device isa-ipmi-kcs,bmc=bmc0 -chardev socket,id=sol0,path=\S+\/sol\.sock,reconnect=1 -qmp unix:\S+\/qmp\.sock,server=on,wait=off$/);
    const guest = await v.guest.run('ipmitool -I open mc info');
    assert.equal(guest.rc, 0, guest.output);
    assert.match(guest.output, /^Device ID\s+: 32$/m);
    assert.match(guest.output, /^Manufacturer ID\s+: 0$/m);
    const lan = await v.lan.ok('mc', 'info');
    for (const re of E2E_MC_INFO) assert.match(lan, re);
    assert.equal(await v.lan.ok('power', 'status'), 'Chassis Power is on\n');
  });

  step('chassis power diag (inject-nmi): the guest kernel reports the NMI', diagNmi);
  step('power reset (system_reset): the guest reboots in the same QEMU', powerReset);
  step('power soft (system_powerdown): the guest powers off, chassis off', powerSoft);
  step('power on: QEMU starts with the internal BMC, the guest boots', powerOn);
  step('power cycle (quit, then a new QEMU): the guest boots', async (v, t) => {
    assert.match(await powerCycle(v, t), / -device ipmi-bmc-sim,id=bmc0 /);
  });
  step('power off (quit): QEMU is gone', powerOff);
});
