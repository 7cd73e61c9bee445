// Smoke test of the QEMU guest: boot it under TCG with QEMU's internal ipmi-bmc-sim behind a KCS
// and a BT interface, and run ipmitool inside over /dev/ipmi0. Expected identity: QEMU's BMC
// defaults, Device ID 0x20 (32), IPMI 2.0, manufacturer 0 (qemu-ipmi.md §2.3 Get Device ID).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureGuest, guestPrerequisites, guestRunArg, startVm } from '../helpers/guest.js';
import { needTool } from '../helpers/tools.js';
import type { IpmiInterface } from '../../src/qemu/args.js';

function assertQemuBmc(output: string): void {
  assert.match(output, /^Device ID\s+: 32$/m, output);
  assert.match(output, /^IPMI Version\s+: 2\.0$/m, output);
  assert.match(output, /^Manufacturer ID\s+: 0$/m, output);
  assert.match(output, /^Product ID\s+: 0 \(0x0000\)$/m, output);
}

// BT also boots the Debian bzImage itself rather than the faster PVH vmlinux, so both stay tested.
const cases: { iface: IpmiInterface; driver: RegExp; bzImage: boolean }[] = [
  { iface: 'kcs', driver: /kcs/i, bzImage: false },
  { iface: 'bt', driver: /\bbt\b/i, bzImage: true },
];

describe('guest under TCG with the internal BMC', { concurrency: 3 }, () => {
  for (const { iface, driver, bzImage } of cases) {
    it(`ipmitool -I open mc info over ${iface}${bzImage ? ' (bzImage)' : ''}`, { timeout: 120_000 }, async (t) => {
      const why = guestPrerequisites();
      if (!needTool(t, 'QEMU guest prerequisites', !why, why)) return;
      const image = await ensureGuest();
      t.diagnostic(`ensureGuest: ${image.ms} ms`);
      const vm = await startVm({ ipmi: { bmc: 'internal', interface: iface }, bzImage });
      t.after(() => vm.kill());
      t.diagnostic(`boot to ready: ${vm.readyMs} ms`);
      assert.match(vm.console(), /GUEST: ipmi \/dev\/ipmi0/);

      const info = await vm.run('ipmitool -I open mc info');
      assert.equal(info.rc, 0, info.output);
      assertQemuBmc(info.output);

      const dmesg = await vm.run('dmesg | grep -i ipmi');
      assert.match(dmesg.output, driver, dmesg.output);

      if (iface !== 'kcs') {
        // Chassis hard reset through QEMU's BMC (qemu-ipmi.md §2.3): same QEMU, the guest boots again.
        await vm.run('ipmitool -I open chassis power reset').catch(() => undefined);
        await vm.waitForBoot(2, 60_000);
        assertQemuBmc((await vm.run('ipmitool -I open mc info')).output);
        return;
      }
      // The channel carries any exit status and any bytes, our own markers included.
      assert.deepEqual(await vm.run('echo "GUEST-RC: 0 1"; echo oops >&2; exit 3'), { rc: 3, output: 'GUEST-RC: 0 1\noops\n' });
      assert.deepEqual(await vm.run("printf 'a\\tb\\001\\n' | od -An -tx1"), { rc: 0, output: ' 61 09 62 01 0a\n' });

      // ACPI power button (what ipmi-bmc-extern's 0x09 and chassis soft-off do): /init powers off.
      const from = vm.console().length;
      await vm.qmp('system_powerdown');
      await vm.waitForConsole(/GUEST: power button/, 20_000, from);
      const exit = await Promise.race([vm.exited, sleep(20_000, undefined, { ref: false })]);
      assert.deepEqual(exit, { code: 0, signal: null }, vm.console().slice(-2000));
    });
  }

  it('guest.run at boot, then guest.watchdog=arm: the BMC watchdog fires when nobody pets it', { timeout: 120_000 }, async (t) => {
    const why = guestPrerequisites();
    if (!needTool(t, 'QEMU guest prerequisites', !why, why)) return;
    // power_off rather than reset: QEMU's BMC then ends the process, which is quick to observe
    // (qemu-ipmi.md §2.7: expiry with action "power down" is a hard power off).
    const vm = await startVm({
      ipmi: { bmc: 'internal', interface: 'kcs' },
      append: ['guest.watchdog=arm', 'ipmi_watchdog.timeout=5', 'ipmi_watchdog.action=power_off', guestRunArg("ipmitool -I open mc info | grep 'Device ID'")],
    });
    t.after(() => vm.kill());
    await vm.waitForConsole(/GUEST: watchdog armed/, 5_000);
    await vm.waitForConsole(/^Device ID\s+: 32\r?\nGUEST-RC: 0\r?$/m, 5_000);
    const armedAt = Date.now();
    const get = await vm.run('ipmitool -I open mc watchdog get');
    assert.equal(get.rc, 0, get.output);
    assert.match(get.output, /Watchdog Timer Use:\s+SMS\/OS/, get.output);
    assert.match(get.output, /Watchdog Timer Is:\s+Started\/Running/, get.output);
    assert.match(get.output, /Watchdog Timer Action:\s+Power Down/, get.output);
    const exit = await Promise.race([vm.exited, sleep(30_000, undefined, { ref: false })]);
    assert.deepEqual(exit, { code: 0, signal: null }, vm.console().slice(-2000));
    t.diagnostic(`QEMU powered off ${Date.now() - armedAt} ms after the watchdog was armed`);
    assert.ok(Date.now() - armedAt > 2_000, 'powered off too early to be the watchdog');
  });
});
