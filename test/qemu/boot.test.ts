import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT_DEVICE_SELECTOR, bootOrderArgs } from '../../src/qemu/boot.js';

test('one-time boot devices map to -boot once=', () => {
  assert.deepEqual(bootOrderArgs({ device: 'pxe' }).args, ['-boot', 'once=n']);
  assert.deepEqual(bootOrderArgs({ device: 'disk' }).args, ['-boot', 'once=c']);
  assert.deepEqual(bootOrderArgs({ device: 'cdrom' }).args, ['-boot', 'once=d']);
  assert.deepEqual(bootOrderArgs({ device: 'floppy' }).args, ['-boot', 'once=a']);
});

test('persistent boot devices map to -boot order=', () => {
  assert.deepEqual(bootOrderArgs({ device: 'pxe', persistent: true }), { args: ['-boot', 'order=n'], notes: [] });
  assert.deepEqual(bootOrderArgs({ device: 'cdrom', persistent: true }).args, ['-boot', 'order=d']);
});

test('none keeps the firmware default; safe/diag fall back to the disk; bios opens the menu', () => {
  assert.deepEqual(bootOrderArgs({ device: 'none' }), { args: [], notes: [] });
  const safe = bootOrderArgs({ device: 'safe' });
  assert.deepEqual(safe.args, ['-boot', 'once=c']);
  assert.match(safe.notes.join(), /no safe mode/);
  assert.deepEqual(bootOrderArgs({ device: 'diag', persistent: true }).args, ['-boot', 'order=c']);
  const bios = bootOrderArgs({ device: 'bios' });
  assert.deepEqual(bios.args, ['-boot', 'menu=on']);
  assert.match(bios.notes.join(), /no setup screen/);
});

test('the EFI flag keeps the mapping and says OVMF wants bootindex', () => {
  const r = bootOrderArgs({ device: 'pxe', efi: true });
  assert.deepEqual(r.args, ['-boot', 'once=n']);
  assert.match(r.notes.join(), /bootindex/);
});

test('selector values follow IPMI param 5 (ipmi-protocol.md §5.1)', () => {
  // As byte-2 values (selector << 2): PXE 04, disk 08, safe 0C, diag 10, cdrom 14, bios 18, floppy 3C.
  const byte2 = Object.fromEntries(Object.entries(BOOT_DEVICE_SELECTOR).map(([k, v]) => [k, v << 2]));
  assert.deepEqual(byte2, { none: 0, pxe: 0x04, disk: 0x08, safe: 0x0c, diag: 0x10, cdrom: 0x14, bios: 0x18, floppy: 0x3c });
  assert.throws(() => bootOrderArgs({ device: 'usb' as 'pxe' }), RangeError);
});
