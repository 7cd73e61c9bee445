// IPMI boot-device choices (Set System Boot Options parameter 5, ipmi-protocol.md §5.1;
// `ipmitool chassis bootdev`, clients.md) mapped onto QEMU's `-boot` option.
//
// Mapping (QEMU `-boot` drive letters: a floppy, c hard disk, d CD-ROM, n network):
//
//   IPMI selector (param 5 byte 2 bits 5:2)    QEMU
//   ---------------------------------------    --------------------------------------------------
//   0 none (no override)                       nothing: firmware default order (pc: "cad")
//   1 pxe                                      n
//   2 disk, 3 safe (safe mode), 4 diag         c   (QEMU has no safe-mode/diagnostic partition)
//   5 cdrom                                    d
//   6 bios (enter BIOS setup)                  menu=on: SeaBIOS has no setup screen; its boot
//                                              menu is the closest thing a user can act on
//   15 floppy (primary removable media)        a
//
//   persistent flag (byte 1 bit 6)  → order=<letter>   (kept across resets)
//   next boot only (bit 6 clear)    → once=<letter>    (QEMU restores `order` at the first reset,
//                                                       matching IPMI's "next boot only")
//   EFI flag (byte 1 bit 5)         → same letters; but OVMF ignores -boot order/once and reads
//                                     the bootindex= of devices instead, so a note says so.
//
// -boot order/once only take effect when the firmware boots: with -kernel (direct Linux boot)
// they do nothing, which buildVmArgs reports.

export const BOOT_DEVICES = ['none', 'pxe', 'disk', 'safe', 'diag', 'cdrom', 'bios', 'floppy'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];

/** IPMI boot device selector values (bits 5:2 of param 5 data byte 2). */
export const BOOT_DEVICE_SELECTOR: Readonly<Record<BootDevice, number>> = {
  none: 0x0,
  pxe: 0x1,
  disk: 0x2,
  safe: 0x3,
  diag: 0x4,
  cdrom: 0x5,
  bios: 0x6,
  floppy: 0xf,
};

const DRIVE_LETTER: Readonly<Partial<Record<BootDevice, string>>> = {
  pxe: 'n',
  disk: 'c',
  safe: 'c',
  diag: 'c',
  cdrom: 'd',
  floppy: 'a',
};

export interface BootSelection {
  device: BootDevice;
  /** IPMI "persistent": applies to all future boots, not just the next one. */
  persistent?: boolean;
  /** IPMI "EFI boot" (legacy otherwise). */
  efi?: boolean;
}

export interface BootArgs {
  /** `-boot <value>` words, or [] for "no override". */
  args: string[];
  notes: string[];
}

/** Maps an IPMI boot-device choice to `-boot` (see the table at the top of this file). */
export function bootOrderArgs(sel: BootSelection): BootArgs {
  if (!(BOOT_DEVICES as readonly string[]).includes(sel.device)) {
    throw new RangeError(`boot device must be one of ${BOOT_DEVICES.join(', ')}, got ${JSON.stringify(sel.device)}`);
  }
  const notes: string[] = [];
  if (sel.device === 'safe' || sel.device === 'diag') notes.push(`QEMU has no ${sel.device} mode: booting the hard disk`);
  if (sel.efi) {
    notes.push('OVMF (EFI) ignores -boot order/once; give the device a bootindex= property to steer UEFI boot');
  }
  if (sel.device === 'none') return { args: [], notes };
  if (sel.device === 'bios') {
    notes.push('SeaBIOS has no setup screen: showing its boot menu instead');
    return { args: ['-boot', 'menu=on'], notes };
  }
  const letter = DRIVE_LETTER[sel.device]!;
  return { args: ['-boot', `${sel.persistent ? 'order' : 'once'}=${letter}`], notes };
}
