// The BMC's Platform when the machine is a QEMU VM. Power on starts QEMU (with the pending
// boot device turned into -boot arguments); everything else goes to the running VM:
//   external BMC: over the ipmi-bmc-extern chardev (0x03 power off, 0x09 ACPI shutdown,
//                 0x04 reset, 0x07 NMI), falling back to QMP when the chardev is down;
//   internal BMC: over QMP (quit, system_powerdown, system_reset, inject-nmi).
// Power off is staged like OpenIPMI's ipmi_sim: ask, wait, SIGTERM, wait, SIGKILL. A QEMU that
// exits on its own turns the chassis off (guest shutdown if it exited cleanly). A reset with a
// boot override pending starts a new QEMU (-boot is only read at start), reported as a reset.

import { join } from 'node:path';
import type { Logger } from '../bmc/log.js';
import type { BootRequest, Platform, PlatformAction, PowerChangeCause } from '../bmc/platform.js';
import type { VmControlResult } from '../transport/extern-chardev.js';
import { bootOrderArgs, type BootDevice } from './boot.js';
import { QmpClient, type QmpEvent } from './qmp.js';
import { VmProcess, type VmExit } from './vm-process.js';

/** The extern chardev's VM controls (implemented by ExternChardevServer). */
export interface VmControls {
  readonly connected: boolean;
  powerOff(): VmControlResult;
  gracefulShutdown(): VmControlResult;
  reset(): VmControlResult;
  sendNmi(): VmControlResult;
}

export interface VmPlatformOptions {
  mode: 'external' | 'internal';
  /** QEMU binary and its arguments, without -boot and -qmp (added here). Undefined: we cannot start a VM. */
  command: { binary: string; args: string[] } | undefined;
  stateDir: string;
  /** Seconds to wait after a polite power-off request before SIGTERM (ipmi_sim's poweroff_wait). */
  powerOffWait: number;
  /** Seconds to wait after SIGTERM before SIGKILL (ipmi_sim's kill_wait). */
  killWait: number;
  log: Logger;
  /** External mode: the chardev server. */
  extern?: VmControls;
}

const BOOT_NAMES: Partial<Record<BootRequest['device'], BootDevice>> = {
  pxe: 'pxe',
  disk: 'disk',
  safe: 'safe',
  diag: 'diag',
  cdrom: 'cdrom',
  bios: 'bios',
  floppy: 'floppy',
  'remote-cdrom': 'cdrom',
  'remote-disk': 'disk',
  'remote-floppy': 'floppy',
};

/** RESET events this soon after a reset request or another RESET belong to that reset. */
const RESET_ECHO_MS = 3000;

export class VmPlatform implements Platform {
  private readonly o: VmPlatformOptions;
  readonly vm: VmProcess;
  private qmp: QmpClient | undefined;
  /** While connecting to a newly started QEMU's monitor. */
  private qmpConnecting: Promise<void> | undefined;
  private readonly qmpPath: string;
  private on = false;
  /**
   * QEMU is alive but its guest has shut down: QMP `query-status` says "shutdown" (QEMU run with
   * -no-shutdown, as libvirt does, keeps the process after the guest powers off). The chassis
   * is off then, and power on restarts the guest in the same QEMU.
   */
  private guestShutDown = false;
  private stopping: PowerChangeCause | undefined;
  /** When we last asked for a reset: QEMU reports it back as RESET events we must not count twice. */
  private resetRequestedAt = 0;
  private lastResetEventAt = 0;
  /** Arguments the running QEMU was started with (undefined for one adopted from a previous serve). */
  private runningArgs: string[] | undefined;
  /** Between the stop and the start of a reset that must start a new QEMU (see hardReset). */
  private restarting = false;
  /**
   * A fresh state dir does not start QEMU by itself: power on, --power-on-at-start (ipmi_sim's
   * startnow), the always-on policy or `chassis: { power: on }` in the config do.
   */
  readonly defaultPower = 'off';
  onPowerChange: Platform['onPowerChange'] = () => {};
  onReset: Platform['onReset'] = () => {};
  bootRequest: Platform['bootRequest'] = () => undefined;

  constructor(o: VmPlatformOptions) {
    this.o = o;
    this.vm = new VmProcess(join(o.stateDir, 'qemu.log'), join(o.stateDir, 'qemu.pid'));
    this.qmpPath = join(o.stateDir, 'qmp.sock');
    this.vm.on('exit', (e: VmExit) => this.exited(e));
    // A BMC restart does not power the host off: a QEMU still running from before is ours.
    const pid = o.command ? this.vm.adopt() : undefined;
    if (pid !== undefined) {
      this.on = true;
      o.log.info('VM adopted (still running from a previous serve)', { pid });
      this.connectQmp();
    }
  }

  get poweredOn(): boolean {
    // Without a command line we cannot start QEMU; power then means "a VM is connected"
    // (OpenIPMI ipmi_sim's rule for VMs it did not start).
    if (!this.o.command) return this.o.extern?.connected ?? false;
    return this.on && !this.guestShutDown;
  }

  /** The extern chardev, once the server exists (it needs the BMC, which needs this platform). */
  setExtern(c: VmControls): void {
    this.o.extern = c;
  }

  supports(action: PlatformAction): boolean {
    if (action === 'power-on') return this.o.command !== undefined;
    return true;
  }

  /** argv for the next start: the configured command plus boot order and our QMP socket. */
  startArgs(): string[] {
    const args = [...this.o.command!.args];
    const req = this.bootRequest();
    const device = req ? BOOT_NAMES[req.device] : undefined;
    if (device && req) {
      const boot = bootOrderArgs({ device, persistent: req.persistent, efi: req.efi });
      args.push(...boot.args);
      for (const n of boot.notes) this.o.log.debug(`boot: ${n}`);
    }
    if (!args.some((a) => a === '-qmp' || a.startsWith('-qmp'))) args.push('-qmp', `unix:${this.qmpPath},server=on,wait=off`);
    return args;
  }

  async powerOn(cause: PowerChangeCause): Promise<void> {
    if (!this.o.command) throw new Error('no VM command configured: cannot power on');
    if (this.vm.running && this.guestShutDown) {
      // The QEMU process outlived its guest (-no-shutdown): reset and resume it.
      if (!(await this.qmpCommand('system_reset')) || !(await this.qmpCommand('cont'))) throw new Error('cannot restart the VM over QMP');
      this.guestShutDown = false;
      this.onPowerChange(true, cause);
      return;
    }
    if (this.vm.running) return;
    await this.start(cause);
    this.onPowerChange(true, cause);
  }

  private async start(cause: PowerChangeCause): Promise<void> {
    const args = this.startArgs();
    const pid = await this.vm.start(this.o.command!.binary, args);
    this.o.log.info('VM started', { pid, cause, log: join(this.o.stateDir, 'qemu.log') });
    this.runningArgs = args;
    this.on = true;
    this.connectQmp();
  }

  /**
   * Whether a reset must start a new QEMU to honour the boot override: -boot is read when QEMU
   * starts, and a next-boot override (once=) is spent by the first boot of the QEMU that got it.
   * A persistent override the running QEMU already has needs no new process.
   */
  private resetNeedsNewQemu(): boolean {
    if (!this.o.command || !this.vm.running) return false;
    const req = this.bootRequest();
    const device = req ? BOOT_NAMES[req.device] : undefined;
    if (!req || !device) return false;
    const boot = bootOrderArgs({ device, persistent: req.persistent, efi: req.efi }).args;
    if (boot.length === 0) return false;
    const args = this.startArgs();
    return !req.persistent || this.runningArgs === undefined || args.join('\0') !== this.runningArgs.join('\0');
  }

  private connectQmp(): void {
    const connecting = QmpClient.open(this.qmpPath, 15_000).then(
      (q) => {
        if (!this.vm.running) {
          q.close();
          return;
        }
        this.qmp = q;
        q.on('event', (e: QmpEvent) => this.qmpEvent(e));
        q.on('close', () => {
          if (this.qmp === q) this.qmp = undefined;
        });
        // An adopted QEMU may have shut its guest down while no BMC was watching.
        void this.readRunState();
      },
      (e: Error) => this.o.log.warn('QMP unavailable', { error: e.message }),
    );
    this.qmpConnecting = connecting;
    void connecting.finally(() => {
      if (this.qmpConnecting === connecting) this.qmpConnecting = undefined;
    });
  }

  /** Power state from QMP `query-status`: "shutdown" with the process alive means off. */
  private async readRunState(): Promise<void> {
    const q = this.qmp;
    if (!q || !this.vm.running) return;
    let status: string;
    try {
      status = (await q.status()).status;
    } catch {
      return;
    }
    const down = status === 'shutdown';
    if (down === this.guestShutDown || !this.vm.running || !this.on) return;
    this.guestShutDown = down;
    this.o.log.info(down ? 'guest shut down, QEMU kept running' : 'guest running again', { status });
    this.onPowerChange(!down, 'guest');
  }

  private qmpEvent(e: QmpEvent): void {
    this.o.log.debug(`QMP event ${e.event}`, e.data ? { data: JSON.stringify(e.data) } : undefined);
    // SHUTDOWN: QEMU exits next, unless it runs with -no-shutdown; then query-status tells.
    // RESUME/STOP: someone else (a QMP user, libvirt) resumed or stopped the VM.
    if (e.event === 'SHUTDOWN' || e.event === 'RESUME' || e.event === 'STOP') {
      setTimeout(() => void this.readRunState(), e.event === 'SHUTDOWN' ? 300 : 0).unref();
      return;
    }
    // A reset the guest or QEMU did by itself (reboot, QEMU's own watchdog) restarts the system.
    if (e.event !== 'RESET') return;
    const now = Date.now();
    const previous = this.lastResetEventAt;
    this.lastResetEventAt = now;
    // One reset is often two RESET events: SeaBIOS, finding it has run before (QEMU keeps RAM
    // across a reset), forces a second, hard reset right away. Count the first only.
    if (now - previous < RESET_ECHO_MS) return;
    // QEMU flags a reset requested over the chardev as a guest reset too; ours were reported already.
    if (now - this.resetRequestedAt < RESET_ECHO_MS) return;
    if (e.data?.guest === true) this.onReset('guest');
  }

  private exited(e: VmExit): void {
    this.qmp?.close();
    this.qmp = undefined;
    this.runningArgs = undefined;
    if (this.restarting) {
      // The stop half of a reset: the system does not power off, it restarts.
      this.on = false;
      this.o.log.info('VM exited for a reset into the boot override', { code: e.code, signal: e.signal });
      return;
    }
    const wasOn = this.on && !this.guestShutDown;
    this.on = false;
    this.guestShutDown = false;
    const cause: PowerChangeCause = this.stopping ?? (e.code === 0 ? 'guest' : 'exited');
    this.stopping = undefined;
    this.o.log.info('VM exited', { code: e.code, signal: e.signal, cause });
    if (wasOn) this.onPowerChange(false, cause);
  }

  private async qmpCommand(cmd: string, args?: Record<string, unknown>): Promise<boolean> {
    // Right after power on QEMU may not have opened its monitor yet: wait for it.
    if (!this.qmp && this.qmpConnecting) await this.qmpConnecting;
    if (!this.qmp) return false;
    try {
      await this.qmp.execute(cmd, args);
      return true;
    } catch (e) {
      // `quit` races QEMU's exit: the connection may close before the reply.
      if (cmd === 'quit') return true;
      this.o.log.warn(`QMP ${cmd} failed`, { error: (e as Error).message });
      return false;
    }
  }

  private externFirst(action: (c: VmControls) => VmControlResult): boolean {
    const c = this.o.extern;
    return this.o.mode === 'external' && !!c && action(c) === 'sent';
  }

  async powerOff(cause: PowerChangeCause): Promise<void> {
    if (!this.o.command) {
      // Not ours to kill: ask the VM over the chardev (QEMU exits on 0x03).
      if (this.o.extern?.powerOff() !== 'sent') throw new Error('VM not connected');
      this.onPowerChange(false, cause);
      return;
    }
    if (!this.vm.running) return;
    this.stopping = cause;
    await this.vm.stop(
      () => {
        if (!this.externFirst((c) => c.powerOff())) void this.qmpCommand('quit');
      },
      // A hard power off is immediate for QEMU; the signals are only a fallback.
      { gracefulWaitMs: Math.min(5, this.o.powerOffWait) * 1000, termWaitMs: this.o.killWait * 1000 },
    );
  }

  async softOff(): Promise<void> {
    if (!this.o.command) {
      if (this.o.extern?.gracefulShutdown() !== 'sent') throw new Error('VM not connected');
      return;
    }
    if (!this.vm.running) return;
    this.stopping = 'guest';
    await this.vm.stop(
      () => {
        if (!this.externFirst((c) => c.gracefulShutdown())) void this.qmpCommand('system_powerdown');
      },
      { gracefulWaitMs: this.o.powerOffWait * 1000, termWaitMs: this.o.killWait * 1000 },
    );
  }

  async hardReset(cause: PowerChangeCause): Promise<void> {
    if (!this.poweredOn) return;
    if (this.resetNeedsNewQemu()) {
      this.restarting = true;
      try {
        await this.vm.stop(() => void this.qmpCommand('quit'), { gracefulWaitMs: Math.min(5, this.o.powerOffWait) * 1000, termWaitMs: this.o.killWait * 1000 });
      } finally {
        this.restarting = false;
      }
      try {
        await this.start(cause);
      } catch (e) {
        this.onPowerChange(false, cause);
        throw e;
      }
      this.onReset(cause);
      return;
    }
    this.resetRequestedAt = Date.now();
    if (!this.externFirst((c) => c.reset()) && !(await this.qmpCommand('system_reset'))) {
      this.resetRequestedAt = 0;
      throw new Error('cannot reach the VM to reset it');
    }
    this.onReset(cause);
  }

  async diagnosticInterrupt(): Promise<void> {
    if (!this.poweredOn) return;
    if (!this.externFirst((c) => c.sendNmi()) && !(await this.qmpCommand('inject-nmi'))) throw new Error('cannot reach the VM to send an NMI');
  }

  /**
   * A serial break on chardev `id` (QMP chardev-send-break, QEMU >= 2.10): how SOL's break
   * reaches a raw socket chardev (sol.md §6.4). False when QMP is not available.
   */
  async sendBreak(id: string): Promise<boolean> {
    if (!this.vm.running) return false;
    return this.qmpCommand('chardev-send-break', { id });
  }

  /**
   * serve is exiting. By default the VM keeps running, as a host does when its BMC restarts
   * (the next serve on this state dir adopts it); with stopVm it is stopped first.
   */
  async shutdown(stopVm: boolean): Promise<void> {
    this.vm.removeAllListeners('exit');
    if (stopVm && this.vm.running) await this.vm.stop(() => void this.qmpCommand('quit'), { gracefulWaitMs: 2000, termWaitMs: 3000 });
    else if (this.vm.running) this.o.log.info('VM left running', { pid: this.vm.pid });
    this.qmp?.close();
    this.vm.release();
  }
}
