// `ipmi-sim qemu-args`: prints the QEMU arguments that give a VM an IPMI BMC, for the QEMU
// version at hand (probed from the binary unless --qemu-version is given).

import { Command, Option } from 'commander';
import { ExitCode, UsageError } from '../../client/errors.js';
import type { CliContext } from '../context.js';

interface QemuArgsOptions {
  bmc: 'internal' | 'external';
  interface: 'kcs' | 'bt' | 'pci-kcs' | 'pci-bt' | 'ssif';
  extern?: string;
  reconnect?: string;
  listen?: boolean;
  sol?: string;
  qemuVersion?: string;
  qemu: string;
  ioport?: string;
  irq?: string;
  pciAddr?: string;
  address?: string;
  slaveAddr?: string;
  sdrfile?: string;
  frudatafile?: string;
  fruareasize?: string;
  guid?: string;
  deviceRev?: string;
  fwrev?: string;
  mfgId?: string;
  productId?: string;
  config?: string;
  writeSdr?: string;
  writeFru?: string;
  json?: boolean;
  libvirt?: boolean;
}

function num(v: string | undefined, what: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`invalid ${what} "${v}"`);
  return n;
}

export function qemuArgsCommand(ctx: CliContext): Command {
  return new Command('qemu-args')
    .description('print QEMU arguments for an IPMI BMC (ipmi-bmc-sim or ipmi-bmc-extern) and interface')
    .addOption(new Option('--bmc <kind>', 'internal: QEMU\'s ipmi-bmc-sim; external: ipmi-sim over ipmi-bmc-extern').choices(['internal', 'external']).default('external'))
    .addOption(new Option('--interface <if>', 'guest interface').choices(['kcs', 'bt', 'pci-kcs', 'pci-bt', 'ssif']).default('kcs'))
    .option('--extern <endpoint>', 'external BMC: HOST:PORT or a Unix socket path where `ipmi-sim serve --extern` listens', '127.0.0.1:9002')
    .option('--reconnect <seconds>', 'external BMC: reconnect interval (0 = none; default 10, none with --listen)')
    .option('--listen', 'external BMC: QEMU listens and the BMC dials in')
    .option('--sol <endpoint>', 'also give the guest\'s ttyS0 to SOL: HOST:PORT or a Unix socket path where `ipmi-sim serve --sol` listens')
    .option('--qemu-version <x.y>', 'target QEMU version (default: probe the binary)')
    .option('--qemu <binary>', 'QEMU binary to probe', 'qemu-system-x86_64')
    .option('--ioport <n>', 'ISA interfaces: I/O base (KCS 0xca2, BT 0xe4)')
    .option('--irq <n>', 'ISA interfaces: IRQ (5; 0 = none)')
    .option('--pci-addr <slot>', 'PCI interfaces: slot[.function]')
    .option('--address <n>', 'SSIF: SMBus address (default 0x10)')
    .option('--slave-addr <n>', 'BMC IPMB address (default 0x20)')
    .option('--sdrfile <file>', 'internal BMC: SDR repository image')
    .option('--frudatafile <file>', 'internal BMC: FRU image')
    .option('--fruareasize <n>', 'internal BMC: bytes per FRU device (default 1024)')
    .option('--guid <uuid>', 'internal BMC: device GUID ("auto" = random)')
    .option('--device-rev <n>', 'internal BMC: device revision')
    .option('--fwrev <major.minor>', 'internal BMC: firmware revision')
    .option('--mfg-id <n>', 'internal BMC: manufacturer IANA number')
    .option('--product-id <n>', 'internal BMC: product ID')
    .option('--config <file>', 'internal BMC: take identity, SDRs and FRU from this ipmi-sim YAML config')
    .option('--write-sdr <file>', 'with --config: write the SDR image for sdrfile= and reference it')
    .option('--write-fru <file>', 'with --config: write the FRU image for frudatafile= and reference it')
    .option('--libvirt', 'print a libvirt <qemu:commandline> domain fragment')
    .addHelpText(
      'after',
      `
Examples:
  ipmi-sim qemu-args                                   # extern BMC on 127.0.0.1:9002 + isa-ipmi-kcs
  ipmi-sim qemu-args --bmc internal --interface bt
  ipmi-sim qemu-args --extern /run/ipmi-sim/vm1.sock --qemu-version 10.2
  ipmi-sim qemu-args --extern /run/vm1/bmc.sock --sol /run/vm1/sol.sock   # + ttyS0 for SOL
  ipmi-sim qemu-args --bmc internal --config bmc.yaml --write-sdr sdr.bin --write-fru fru.bin
`,
    )
    .action(async (o: QemuArgsOptions, cmd: Command) => {
      try {
        // --json is the global option (one JSON document on stdout): here, the argv array.
        await printQemuArgs(ctx, { ...o, json: ctx.globals(cmd).json === true });
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        ctx.io.err(`ipmi-sim qemu-args: ${msg}\n`);
        ctx.exitCode = e instanceof Error && e.name === 'ConfigError' ? ExitCode.Config : ExitCode.Usage;
      }
    });
}

async function printQemuArgs(ctx: CliContext, o: QemuArgsOptions): Promise<void> {
  const { buildIpmiArgs, buildSolArgs, parseChardevEndpoint } = await import('../../qemu/args.js');
  const { renderArgs } = await import('../../qemu/format.js');
  const { parseVersion } = await import('../../qemu/version.js');
  if (o.json && o.libvirt) throw new UsageError('--json and --libvirt are exclusive');
  let version;
  if (o.qemuVersion) {
    version = parseVersion(o.qemuVersion);
  } else {
    const { probeQemuVersion } = await import('../../qemu/probe.js');
    try {
      version = await probeQemuVersion(o.qemu);
    } catch (e) {
      throw new UsageError(`${(e as Error).message} (give --qemu-version X.Y to skip probing)`);
    }
  }
  const opts: Parameters<typeof buildIpmiArgs>[0] = { bmc: o.bmc, interface: o.interface, qemuVersion: version };
  const set = <K extends keyof typeof opts>(k: K, v: (typeof opts)[K] | undefined) => {
    if (v !== undefined) opts[k] = v;
  };
  set('ioport', num(o.ioport, 'I/O port', 0xffff));
  set('irq', num(o.irq, 'IRQ', 15));
  set('pciAddr', o.pciAddr);
  set('address', num(o.address, 'SMBus address', 0x7f));
  set('slaveAddr', num(o.slaveAddr, 'slave address', 0xff));
  if (o.bmc === 'external') {
    opts.chardev = parseChardevEndpoint(o.extern ?? '127.0.0.1:9002');
    // QEMU refuses reconnect on a listening socket: only an explicit --reconnect gets there.
    set('reconnect', num(o.reconnect ?? (o.listen ? undefined : '10'), 'reconnect interval', 86400));
    if (o.listen) opts.listen = true;
  } else {
    if (o.config) {
      const { loadConfigFile } = await import('../../bmc/config/load.js');
      const { qemuInternalFiles } = await import('../../qemu/internal-files.js');
      const config = loadConfigFile(o.config);
      const files = qemuInternalFiles(config, { sdrFile: o.writeSdr, fruFile: o.writeFru });
      Object.assign(opts, files.properties);
    }
    set('sdrfile', o.sdrfile);
    set('frudatafile', o.frudatafile);
    set('fruareasize', num(o.fruareasize, 'FRU area size', 0xffff));
    set('guid', o.guid);
    set('deviceRev', num(o.deviceRev, 'device revision', 15));
    set('mfgId', num(o.mfgId, 'manufacturer ID', 0xffffff));
    set('productId', num(o.productId, 'product ID', 0xffff));
    if (o.fwrev !== undefined) {
      const m = /^(\d+)\.(\d{1,2})$/.exec(o.fwrev);
      if (!m) throw new UsageError(`invalid --fwrev "${o.fwrev}" (MAJOR.MINOR)`);
      opts.fwrev1 = Number(m[1]);
      opts.fwrev2 = parseInt(m[2]!.padStart(2, '0'), 16);
    }
  }
  const built = buildIpmiArgs(opts);
  const args = [...built.args];
  const warnings = [...built.warnings];
  if (o.sol !== undefined) {
    // ttyS0 is the first -serial: the SOL port goes before any other the user adds.
    const sol = buildSolArgs({ endpoint: parseChardevEndpoint(o.sol), qemuVersion: version });
    args.push(...sol.args);
    warnings.push(...sol.warnings);
  }
  for (const w of warnings) ctx.io.err(`warning: ${w}\n`);
  ctx.io.out(renderArgs(args, o.json ? 'json' : o.libvirt ? 'libvirt' : 'shell'));
}
