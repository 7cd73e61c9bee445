// How serve puts the SOL chardev on the VM's command line (withSolChardev) for the forms a
// user's QEMU command can take, and through vmCommand for both the short form and a full
// command line. That QEMU accepts the result is test/e2e/qemu-args.test.ts and the SOL e2e tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withSolChardev } from '../../src/serve/sol-wiring.js';
import { vmCommand } from '../../src/serve/vm-wiring.js';
import { defaultVmConfig } from '../../src/bmc/config/vm.js';

const SOL = { path: '/state/sol.sock' };
const CHARDEV = ['-chardev', 'socket,id=sol0,path=/state/sol.sock,reconnect=1'];

test('no serial port: the SOL one becomes ttyS0', () => {
  const r = withSolChardev(['-m', '512', '-nodefaults'], SOL, '7.2');
  assert.deepEqual(r, { args: ['-m', '512', '-nodefaults', ...CHARDEV, '-serial', 'chardev:sol0'], warnings: [] });
});

test('the command already says -serial chardev:sol0: only the -chardev is added', () => {
  const r = withSolChardev(['-serial', 'chardev:sol0', '-serial', 'chardev:gcmd'], SOL, '7.2');
  assert.deepEqual(r, { args: ['-serial', 'chardev:sol0', '-serial', 'chardev:gcmd', ...CHARDEV], warnings: [] });
  // Not on ttyS0: added all the same, with a note.
  const late = withSolChardev(['-serial', 'file:/tmp/log', '--serial', 'chardev:sol0'], { host: '127.0.0.1', port: 5000 }, '10.2');
  assert.deepEqual(late.args.slice(-2), ['-chardev', 'socket,id=sol0,host=127.0.0.1,port=5000,reconnect-ms=1000']);
  assert.match(late.warnings.join(), /SOL is the VM's ttyS1/);
});

test('ttyS0 taken by something else, or sol0 defined by the user: left alone, with a clear warning', () => {
  for (const args of [['-serial', 'stdio'], ['-serial', 'mon:stdio'], ['-device', 'isa-serial,chardev=c0']]) {
    const r = withSolChardev(args, SOL, '7.2');
    assert.deepEqual(r.args, args);
    assert.match(r.warnings.join(), /the VM's ttyS0 is taken \(.*\): SOL gets no serial port; make the first serial port -serial chardev:sol0/);
  }
  const own = withSolChardev(['-chardev', 'socket,id=sol0,path=/elsewhere', '-serial', 'chardev:sol0'], SOL, '7.2');
  assert.deepEqual(own.args, ['-chardev', 'socket,id=sol0,path=/elsewhere', '-serial', 'chardev:sol0']);
  assert.match(own.warnings.join(), /defines chardev sol0 itself: it must dial \/state\/sol\.sock/);
});

test('vmCommand: short form and full command line both get the SOL port; without one, nothing changes', () => {
  const short = vmCommand({ ...defaultVmConfig(), kernel: '/k' }, 'internal', undefined, '7.2', SOL);
  assert.deepEqual(short.args.slice(-4), [...CHARDEV, '-serial', 'chardev:sol0']);
  const full = vmCommand({ ...defaultVmConfig(), command: ['qemu-system-x86_64', '-serial', 'chardev:sol0', '-m', '256'] }, 'external', { path: '/state/bmc.sock' }, '7.2', SOL);
  assert.equal(full.binary, 'qemu-system-x86_64');
  assert.deepEqual(full.args.slice(-2), CHARDEV);
  assert.equal(full.args.filter((a) => a === 'chardev:sol0').length, 1);
  const none = vmCommand({ ...defaultVmConfig(), kernel: '/k' }, 'internal', undefined, '7.2');
  assert.doesNotMatch(none.args.join(' '), /sol0/);
});
