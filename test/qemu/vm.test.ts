import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildVmArgs } from '../../src/qemu/vm.js';
import { QemuArgsError } from '../../src/qemu/args.js';

test('short form with a kernel and an external BMC expands to a full argv', () => {
  const r = buildVmArgs({
    name: 'vm1',
    accel: 'tcg',
    memoryMiB: 256,
    kernel: 'vmlinuz',
    initrd: 'initramfs.cpio.gz',
    append: 'console=ttyS0 quiet',
    serial: ['stdio'],
    qmp: 'unix:/tmp/q.sock,server=on,wait=off',
    ipmi: { bmc: 'external', chardev: { host: '127.0.0.1', port: 9002 }, reconnect: 10 },
    qemuVersion: '7.2',
    extraArgs: ['-no-shutdown'],
  });
  assert.deepEqual(r.args, [
    '-name', 'vm1',
    '-machine', 'pc,accel=tcg',
    '-m', '256',
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-qmp', 'unix:/tmp/q.sock,server=on,wait=off',
    '-serial', 'stdio',
    '-kernel', 'vmlinuz',
    '-initrd', 'initramfs.cpio.gz',
    '-append', 'console=ttyS0 quiet',
    '-chardev', 'socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=10',
    '-device', 'ipmi-bmc-extern,id=bmc0,chardev=ipmi0',
    '-device', 'isa-ipmi-kcs,bmc=bmc0',
    '-no-shutdown',
  ]);
  assert.deepEqual(r.warnings, []);
});

test('the VM version reaches the IPMI builder', () => {
  const r = buildVmArgs({ kernel: 'k', qemuVersion: '10.2', ipmi: { bmc: 'external', chardev: { path: '/tmp/b.sock' }, reconnect: 2 } });
  assert.ok(r.args.includes('socket,id=ipmi0,path=/tmp/b.sock,reconnect-ms=2000'));
});

test('disk boot with an IPMI boot device', () => {
  const r = buildVmArgs({ machine: 'q35', disk: '/img/a,b.qcow2', diskFormat: 'qcow2', cdrom: 'x.iso', boot: { device: 'cdrom' }, smp: 2, paused: true });
  assert.deepEqual(r.args, [
    '-machine', 'q35',
    '-m', '256',
    '-smp', '2',
    '-nodefaults',
    '-no-user-config',
    '-display', 'none',
    '-S',
    '-drive', 'file=/img/a,,b.qcow2,format=qcow2,media=disk',
    '-drive', 'file=x.iso,media=cdrom',
    '-boot', 'once=d',
  ]);
  assert.deepEqual(r.warnings, []);
});

test('warnings: boot order with -kernel, PXE without a NIC, nothing to boot', () => {
  assert.match(buildVmArgs({ kernel: 'k', boot: { device: 'disk', persistent: true } }).warnings.join(), /no effect with -kernel/);
  assert.match(buildVmArgs({ boot: { device: 'pxe' } }).warnings.join(), /PXE boot needs a NIC/);
  assert.deepEqual(buildVmArgs({ boot: { device: 'pxe' }, extraArgs: ['-nic', 'user,model=e1000'] }).warnings, []);
  assert.match(buildVmArgs({}).warnings.join(), /nothing to boot/);
});

test('errors from the VM and the IPMI part are reported together', () => {
  assert.throws(
    () => buildVmArgs({ append: 'x', memoryMiB: 0, ipmi: { bmc: 'internal', interface: 'pci-kcs', irq: 5 } }),
    (e: unknown) => e instanceof QemuArgsError && e.problems.length === 3,
  );
});
