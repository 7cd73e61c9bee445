// Connects a BMC to a QEMU VM for `serve --bmc external|internal`: the extern chardev server
// (guest system interface, channel 15), the guest's serial port for SOL (sol-wiring.ts), the VM
// platform (power/reset/NMI, serial break, QEMU lifecycle), and the command line QEMU is
// started with.

import type { Bmc } from '../bmc/bmc.js';
import type { Logger } from '../bmc/log.js';
import type { VmConfig } from '../bmc/config/vm.js';
import type { SolConfig } from '../bmc/config/sol.js';
import { MessageFlag, GlobalEnable } from '../ipmi/commands/app.js';
import { buildIpmiArgs, parseChardevEndpoint, type ChardevEndpoint } from '../qemu/args.js';
import { buildVmArgs } from '../qemu/vm.js';
import { ExternChardevServer, type SystemInterfaceBmc, type SystemRequest, type SystemResponse } from '../transport/extern-chardev.js';
import { VmPlatform } from '../qemu/vm-platform.js';
import type { SolSerialServer } from '../transport/sol-serial.js';
import { levelLog, startSolSerial, withSolChardev } from './sol-wiring.js';
import { DEFAULT_SOL_CHARDEV_ID } from '../qemu/args.js';

const NO_DATA = new Uint8Array(0);

/** The BMC as the chardev server sees it; bound after the BMC exists (it is built second). */
export class SystemInterfaceAdapter implements SystemInterfaceBmc {
  bmc: Bmc | undefined;

  dispatchSystem(req: SystemRequest): SystemResponse {
    // 0xD2 "BMC initialization in progress" is what QEMU itself answers while no BMC is there.
    return this.bmc ? this.bmc.dispatchSystem(req) : { cc: 0xd2, data: NO_DATA };
  }

  /**
   * ATN while any of receive queue / event buffer / watchdog pre-timeout is flagged; with an
   * interrupt when that flag's interrupt is enabled (IPMI v2.0 §22.1; as QEMU's own BMC does).
   */
  attention(): { pending: boolean; irqEnabled: boolean } {
    const b = this.bmc;
    if (!b) return { pending: false, irqEnabled: false };
    const f = b.messageFlags;
    const e = b.globalEnables;
    const queue = (f & (MessageFlag.ReceiveMessageAvailable | MessageFlag.WatchdogPreTimeout)) !== 0;
    const buffer = (f & MessageFlag.EventMessageBufferFull) !== 0;
    return {
      pending: queue || buffer,
      irqEnabled: (queue && (e & GlobalEnable.ReceiveMessageQueueInterrupt) !== 0) || (buffer && (e & GlobalEnable.EventMessageBufferFullInterrupt) !== 0),
    };
  }
}

export interface VmSetup {
  platform: VmPlatform;
  extern: ExternChardevServer | undefined;
  /** The guest's serial port (ttyS0) for SOL. */
  console: SolSerialServer;
  adapter: SystemInterfaceAdapter;
  /** Call once the BMC exists. */
  bind(bmc: Bmc): void;
  close(stopVm: boolean): Promise<void>;
}

/**
 * QEMU argv (without the binary) for the VM: the configured command or the short form, plus
 * IPMI, plus the SOL chardev on ttyS0 when `sol` is given (see withSolChardev).
 */
export function vmCommand(
  vm: VmConfig,
  mode: 'external' | 'internal',
  extern: ChardevEndpoint | undefined,
  qemuVersion?: string,
  sol?: ChardevEndpoint,
): { binary: string; args: string[]; warnings: string[] } {
  const ipmiOpts = mode === 'external' ? { bmc: 'external' as const, interface: vm.interface, chardev: extern!, reconnect: 1 } : { bmc: 'internal' as const, interface: vm.interface };
  const withVersion = qemuVersion ? { ...ipmiOpts, qemuVersion } : ipmiOpts;
  let binary: string;
  let args: string[];
  if (vm.command) {
    const [first, ...rest] = vm.command;
    const hasIpmi = rest.some((a) => /ipmi-bmc-(sim|extern)/.test(a));
    binary = first!;
    args = hasIpmi ? rest : [...rest, ...buildIpmiArgs(withVersion).args];
  } else {
    const opts: Parameters<typeof buildVmArgs>[0] = { ipmi: withVersion };
    if (qemuVersion) opts.qemuVersion = qemuVersion;
    for (const k of ['machine', 'accel', 'kernel', 'initrd', 'append', 'disk', 'cdrom'] as const) if (vm[k] !== undefined) opts[k] = vm[k];
    if (vm.memoryMiB !== undefined) opts.memoryMiB = vm.memoryMiB;
    if (vm.smp !== undefined) opts.smp = vm.smp;
    if (vm.serial) opts.serial = vm.serial;
    if (vm.extraArgs) opts.extraArgs = vm.extraArgs;
    binary = vm.qemu;
    args = buildVmArgs(opts).args;
  }
  if (!sol) return { binary, args, warnings: [] };
  return { binary, ...withSolChardev(args, sol, qemuVersion) };
}

export async function setupVm(o: {
  mode: 'external' | 'internal';
  vm: VmConfig | undefined;
  extern: string | undefined;
  stateDir: string;
  log: Logger;
  qemuVersion?: string;
  /** --sol: where to listen for the guest's serial port (default <state-dir>/sol.sock). */
  sol: string | undefined;
  solConfig: SolConfig;
}): Promise<VmSetup> {
  const adapter = new SystemInterfaceAdapter();
  // Listeners first, QEMU after: nothing the guest prints from its first byte on is lost. The
  // break reaches the raw SOL chardev over the platform's QMP connection (built last).
  let breakVia: VmPlatform | undefined;
  const sol = await startSolSerial({
    sol: o.sol,
    stateDir: o.stateDir,
    config: o.solConfig,
    log: o.log,
    qmpBreak: () => breakVia?.sendBreak(DEFAULT_SOL_CHARDEV_ID) ?? Promise.resolve(false),
  });
  let extern: ExternChardevServer | undefined;
  let platform: VmPlatform;
  try {
    let endpoint: ChardevEndpoint | undefined;
    if (o.mode === 'external') {
      endpoint = parseChardevEndpoint(o.extern ?? '127.0.0.1:9002');
      extern = new ExternChardevServer({
        bmc: adapter,
        listen: 'path' in endpoint ? { path: endpoint.path } : { host: endpoint.host, port: endpoint.port },
        log: levelLog(o.log),
      });
      const at = await extern.listen();
      endpoint = 'path' in at ? { path: at.path } : { host: at.host, port: at.port };
      o.log.info('extern chardev listening', { extern: 'path' in at ? at.path : `${at.host}:${at.port}` });
    }
    const command = o.vm ? vmCommand(o.vm, o.mode, endpoint, o.qemuVersion, sol.endpoint) : undefined;
    for (const w of command?.warnings ?? []) o.log.warn(w);
    platform = new VmPlatform({
      mode: o.mode,
      command: command && { binary: command.binary, args: command.args },
      stateDir: o.stateDir,
      powerOffWait: o.vm?.powerOffWait ?? 60,
      killWait: o.vm?.killWait ?? 20,
      log: o.log,
      ...(extern ? { extern } : {}),
    });
  } catch (e) {
    await extern?.close();
    await sol.server.shutdown();
    throw e;
  }
  breakVia = platform;
  return {
    platform,
    extern,
    console: sol.server,
    adapter,
    bind(bmc: Bmc) {
      adapter.bmc = bmc;
      if (!extern) return;
      let irq = (bmc.globalEnables & GlobalEnable.ReceiveMessageQueueInterrupt) !== 0;
      // Enables and message flags drive IRQ enable (sent before the Set BMC Global Enables
      // response) and ATN / ATN_IRQ / NOATTN.
      bmc.attentionListeners.add(() => {
        const now = (bmc.globalEnables & GlobalEnable.ReceiveMessageQueueInterrupt) !== 0;
        if (now !== irq) {
          irq = now;
          extern.setIrqEnabled(now);
        }
        extern.updateAttention();
      });
      // A reconnecting QEMU starts with interrupts off (Q4): re-send the guest's setting once the
      // VM has said what it can do.
      extern.on('capabilities', () => {
        if (irq) extern.setIrqEnabled(true);
      });
      extern.on('rejected', ({ remote }) => o.log.warn('second VM connection refused', { remote }));
    },
    async close(stopVm: boolean) {
      await platform.shutdown(stopVm);
      await extern?.close();
      await sol.server.shutdown();
    },
  };
}
