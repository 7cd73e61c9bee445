// VM-level command line: the "short form" the simulator keeps per VM (machine, memory, what to
// boot, boot device) plus the IPMI part from args.ts, expanded into a full argv. Pure, like
// args.ts; starting the process is the caller's business.

import { buildIpmiArgs, qemuOptValue, QemuArgsError, type IpmiArgsOptions } from './args.js';
import { bootOrderArgs, type BootSelection } from './boot.js';
import type { QemuVersion } from './version.js';

export interface VmOptions {
  /** `-machine` type, default 'pc' (q35 works the same for IPMI, qemu-ipmi.md §3.6). */
  machine?: string;
  /** Accelerator(s), e.g. 'tcg', 'kvm', 'kvm:tcg'; default: QEMU's own choice. */
  accel?: string;
  /** Guest RAM in MiB, default 256. */
  memoryMiB?: number;
  smp?: number;
  name?: string;
  uuid?: string;
  /** Direct Linux boot. */
  kernel?: string;
  initrd?: string;
  append?: string;
  /** Disk image (first hard disk), and its format (default raw). */
  disk?: string;
  diskFormat?: 'raw' | 'qcow2';
  cdrom?: string;
  /** IPMI boot-device choice (boot.ts). */
  boot?: BootSelection;
  /** One `-serial` per entry, e.g. 'stdio', 'file:/tmp/console.log', 'chardev:con0'. */
  serial?: readonly string[];
  /** `-display`, default 'none'. */
  display?: string;
  /** `-qmp` value, e.g. 'unix:/run/vm1.qmp,server=on,wait=off'. */
  qmp?: string;
  /** Start paused (-S). */
  paused?: boolean;
  /** `-nodefaults` (default true: no default NIC, VGA, serial, monitor, CD-ROM). */
  nodefaults?: boolean;
  /** `-no-user-config` (default true). */
  noUserConfig?: boolean;
  /** The IPMI BMC and interface; its qemuVersion defaults to this VM's. */
  ipmi?: IpmiArgsOptions;
  qemuVersion?: QemuVersion | string;
  /** Appended verbatim. */
  extraArgs?: readonly string[];
}

export interface VmArgs {
  /** argv words, without the program name. */
  args: string[];
  warnings: string[];
}

export function buildVmArgs(opts: VmOptions): VmArgs {
  const problems: string[] = [];
  const warnings: string[] = [];
  const args: string[] = [];
  const positive = (name: string, n: number | undefined): n is number => {
    if (n === undefined) return false;
    if (Number.isInteger(n) && n > 0) return true;
    problems.push(`${name} must be a positive integer, got ${n}`);
    return false;
  };

  if (opts.name !== undefined) args.push('-name', qemuOptValue(opts.name));
  const machine = [opts.machine ?? 'pc'];
  if (opts.accel !== undefined) machine.push(`accel=${opts.accel}`);
  args.push('-machine', machine.join(','));
  const mem = opts.memoryMiB ?? 256;
  if (positive('memoryMiB', mem)) args.push('-m', String(mem));
  if (positive('smp', opts.smp)) args.push('-smp', String(opts.smp));
  if (opts.uuid !== undefined) args.push('-uuid', opts.uuid);
  if (opts.nodefaults ?? true) args.push('-nodefaults');
  if (opts.noUserConfig ?? true) args.push('-no-user-config');
  args.push('-display', opts.display ?? 'none');
  if (opts.paused) args.push('-S');
  if (opts.qmp !== undefined) args.push('-qmp', opts.qmp);
  for (const s of opts.serial ?? []) args.push('-serial', s);

  if (opts.kernel !== undefined) {
    args.push('-kernel', opts.kernel);
    if (opts.initrd !== undefined) args.push('-initrd', opts.initrd);
    if (opts.append !== undefined) args.push('-append', opts.append);
  } else if (opts.initrd !== undefined || opts.append !== undefined) {
    problems.push('initrd and append need a kernel');
  }
  if (opts.disk !== undefined) {
    args.push('-drive', `file=${qemuOptValue(opts.disk)},format=${opts.diskFormat ?? 'raw'},media=disk`);
  }
  if (opts.cdrom !== undefined) args.push('-drive', `file=${qemuOptValue(opts.cdrom)},media=cdrom`);
  if (opts.kernel === undefined && opts.disk === undefined && opts.cdrom === undefined && opts.boot?.device !== 'pxe') {
    warnings.push('nothing to boot: give a kernel, a disk or a cdrom');
  }

  if (opts.boot) {
    const boot = bootOrderArgs(opts.boot);
    warnings.push(...boot.notes);
    if (boot.args.length > 0 && opts.kernel !== undefined) {
      warnings.push('-boot has no effect with -kernel (direct Linux boot bypasses the firmware boot order)');
    }
    if (opts.boot.device === 'pxe' && !(opts.extraArgs ?? []).some((a) => /^-(nic|net|netdev)$/.test(a))) {
      warnings.push('PXE boot needs a NIC: add one with extraArgs (e.g. -nic user,model=e1000)');
    }
    args.push(...boot.args);
  }

  if (opts.ipmi) {
    try {
      const ipmi = buildIpmiArgs({ ...opts.ipmi, qemuVersion: opts.ipmi.qemuVersion ?? opts.qemuVersion });
      args.push(...ipmi.args);
      warnings.push(...ipmi.warnings);
    } catch (e) {
      if (e instanceof QemuArgsError) problems.push(...e.problems);
      else throw e;
    }
  }
  args.push(...(opts.extraArgs ?? []));
  if (problems.length > 0) throw new QemuArgsError(problems);
  return { args, warnings };
}
