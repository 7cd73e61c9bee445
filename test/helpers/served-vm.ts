// End-to-end harness: `ipmi-sim serve --bmc external|internal` as a real child process owning a
// real QEMU (TCG) that boots the test guest (test/helpers/guest.ts). serve starts, stops and
// restarts QEMU itself (power on/off/cycle, watchdog); the test talks to
//   - the guest, through its command channel (a Unix socket every QEMU start dials again) and
//     its console: ttyS0 is serve's SOL chardev (`-serial chardev:sol0`, serve adds the
//     -chardev), read from serve's <state-dir>/console.log, which spans QEMU and serve restarts
//     (output while no serve runs is lost, as on the wire);
//   - the BMC over LAN with the real ipmitool (lanplus);
//   - the state dir: qemu.pid (which QEMU runs now) and qemu.log (each "starting:" argv).
//
// Cleanup: serve runs under `setpriv --pdeathsig KILL`, so it dies with the test process. The
// QEMU it starts must outlive serve (a BMC restart does not power the host off, and the kill/
// restart test relies on it), so it cannot get a parent-death signal; a small detached reaper
// watches the test process instead and kills the QEMU named in qemu.pid once the test process
// is gone, however it ended. close() kills both at once.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildVmArgs } from '../../src/qemu/vm.js';
import { processGone } from '../../src/qemu/vm-process.js';
import { ensureGuest, FileConsole, GuestChannel, guestAppend, Waiters } from './guest.js';
import { ipmitoolFor } from './ipmitool.js';
import { tempDir, withParentDeathSignal } from './qemu.js';
import { cliPath } from './run.js';
import { QEMU_BINARY } from './tools.js';

export interface ServedVmOptions {
  mode: 'external' | 'internal';
  /** The BMC's YAML config without a vm section (identity, sensors, ...). */
  bmcYaml?: string;
  interface?: 'kcs' | 'bt';
  /** Extra guest kernel command-line words (guest.modules=..., guest.watchdog=arm, ...). */
  append?: readonly string[];
  /** The vm section's staged-kill waits, in seconds (defaults 10 and 5). */
  powerOffWait?: number;
  killWait?: number;
  /** serve --power-on-at-start (default true). */
  powerOnAtStart?: boolean;
  /** QEMU arguments instead of the test guest's (e.g. a paused machine without a guest). */
  qemuArgs?: readonly string[];
  /** More serve options (e.g. --stop-vm-on-exit). */
  serveArgs?: readonly string[];
  /** Wait for the first guest boot (default: when powering on at start with the guest). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export interface Serve {
  readonly process: ChildProcess;
  readonly host: string;
  readonly port: number;
  logs(): string;
  /** Resolves with the first log match at or after offset `from`. */
  waitForLog(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Whether a process runs (a zombie does not: see processGone). */
export function alive(pid: number | undefined): boolean {
  return !!pid && !processGone(pid);
}

export class ServedVm {
  readonly dir: string;
  readonly stateDir: string;
  readonly configPath: string;
  readonly externPath: string;
  readonly guest: GuestChannel;
  readonly console: FileConsole;
  readonly lan = ipmitoolFor(() => this.serve);
  serve!: Serve;
  /** Milliseconds from starting serve to the guest's first GUEST-READY. */
  readyMs: number | undefined;
  private readonly removeDir: () => void;
  private readonly serveArgs: string[];
  private readonly reaper: ChildProcess;
  /** Logs of earlier serve processes (restarts), for error messages. */
  private oldLogs = '';

  private constructor(dir: { path: string; remove: () => void }, guest: GuestChannel, o: ServedVmOptions, qemuArgs: string[]) {
    this.dir = dir.path;
    this.removeDir = dir.remove;
    this.stateDir = join(dir.path, 'state');
    this.configPath = join(dir.path, 'bmc.yaml');
    this.externPath = join(dir.path, 'bmc.sock');
    this.guest = guest;
    this.console = new FileConsole(join(this.stateDir, 'console.log'), () => this.context());
    guest.context = () => `\n--- console (tail) ---\n${this.console.text().slice(-3000)}${this.context()}`;
    // JSON is YAML: the argv needs no YAML quoting this way.
    const vm = { command: [QEMU_BINARY, ...qemuArgs], interface: o.interface ?? 'kcs', powerOffWait: o.powerOffWait ?? 10, killWait: o.killWait ?? 5 };
    writeFileSync(this.configPath, `${o.bmcYaml ?? ''}\nvm: ${JSON.stringify(vm)}\n`);
    this.serveArgs = ['--config', this.configPath, '--state-dir', this.stateDir, '--lan', '127.0.0.1:0', '--bmc', o.mode];
    if (o.mode === 'external') this.serveArgs.push('--extern', this.externPath);
    if (o.powerOnAtStart ?? true) this.serveArgs.push('--power-on-at-start');
    this.serveArgs.push(...(o.serveArgs ?? []));
    this.reaper = spawn(
      'sh',
      ['-c', 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; p=$(cat "$1" 2>/dev/null) && grep -q qemu "/proc/$p/cmdline" 2>/dev/null && kill -9 "$p"', String(process.pid), this.pidFile],
      { detached: true, stdio: 'ignore' },
    );
    this.reaper.unref();
  }

  /** Starts serve (which powers the VM on unless told otherwise) and waits for the guest. */
  static async start(o: ServedVmOptions): Promise<ServedVm> {
    const dir = tempDir('ipmi-e2e-');
    const cmdSock = join(dir.path, 'cmd.sock');
    const guest = await GuestChannel.listen(cmdSock);
    const vm = new ServedVm(dir, guest, o, o.qemuArgs ? [...o.qemuArgs] : await ServedVm.guestArgs(dir.path, o));
    const t0 = Date.now();
    try {
      await vm.startServe();
      if (o.waitReady ?? (!o.qemuArgs && (o.powerOnAtStart ?? true))) {
        await guest.waitForBoot(1, o.readyTimeoutMs ?? 90_000);
        vm.readyMs = Date.now() - t0;
      }
    } catch (e) {
      await vm.close();
      throw e;
    }
    return vm;
  }

  /** QEMU arguments that boot the test guest, its console and command channel in `dir`. */
  private static async guestArgs(dir: string, o: ServedVmOptions): Promise<string[]> {
    const image = await ensureGuest();
    const cmdSock = join(dir, 'cmd.sock');
    const { args } = buildVmArgs({
      machine: 'pc',
      accel: 'tcg',
      memoryMiB: 256,
      kernel: image.kernel,
      initrd: image.initrd,
      append: guestAppend(o.append),
      // ttyS0 = console through serve's SOL chardev, ttyS1 = command channel.
      serial: ['chardev:sol0', 'chardev:gcmd'],
      extraArgs: ['-chardev', `socket,id=gcmd,path=${cmdSock}`],
    });
    return args;
  }

  get pidFile(): string {
    return join(this.stateDir, 'qemu.pid');
  }

  /** The QEMU serve runs now (from its pid file), if any. */
  qemuPid(): number | undefined {
    try {
      const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      return alive(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /** QEMU's output and serve's "starting:"/"exited:" lines (state-dir/qemu.log). */
  qemuLog(): string {
    try {
      return readFileSync(join(this.stateDir, 'qemu.log'), 'utf8');
    } catch {
      return '';
    }
  }

  /** The argv of every QEMU start so far, oldest first. */
  qemuStarts(): string[] {
    return [...this.qemuLog().matchAll(/^=== \S+ starting: (.*)$/gm)].map((m) => m[1]!);
  }

  /** Waits until serve's QEMU has exited (no live pid in the pid file). */
  async waitQemuGone(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.qemuPid() !== undefined) {
      if (Date.now() > deadline) throw new Error(`QEMU ${this.qemuPid()} still running after ${timeoutMs} ms${this.context()}`);
      await sleep(50);
    }
  }

  /** Polls `ipmitool power status` until it says on/off. */
  async waitPower(state: 'on' | 'off', timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await this.lan.ipmitool('power', 'status');
      if (r.code === 0 && r.stdout === `Chassis Power is ${state}\n`) return;
      if (Date.now() > deadline) throw new Error(`power did not become ${state} within ${timeoutMs} ms (last: ${r.stdout}${r.stderr})${this.context()}`);
      await sleep(200);
    }
  }

  /** Starts a serve process on this state dir and config; resolves once it answers on LAN. */
  async startServe(timeoutMs = 20_000): Promise<Serve> {
    const [bin, ...rest] = withParentDeathSignal([process.execPath, cliPath, 'serve', ...this.serveArgs]);
    const child = spawn(bin!, rest, { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    const waiters = new Waiters();
    const onData = (d: Buffer) => {
      logs += d.toString();
      waiters.notify();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, signal) => {
        resolve({ code, signal });
        waiters.notify();
      });
    });
    const waitForLog = (pattern: RegExp, ms = 20_000, from = 0): Promise<RegExpExecArray> =>
      waiters.until(
        () => {
          const m = pattern.exec(logs.slice(from));
          if (m) return m;
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`serve exited before its log showed ${pattern}:\n${logs}`);
          return undefined;
        },
        ms,
        () => new Error(`serve's log did not show ${pattern} within ${ms} ms:\n${logs}`),
      );
    const m = await waitForLog(/BMC listening lan=127\.0\.0\.1:(\d+)/, timeoutMs);
    this.serve = { process: child, host: '127.0.0.1', port: Number(m[1]), logs: () => logs, waitForLog, exited };
    return this.serve;
  }

  /** Kills serve (SIGKILL by default: a crash) and waits for it to be gone; QEMU keeps running. */
  async killServe(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const s = this.serve;
    if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill(signal);
    await s.exited;
    this.oldLogs += s.logs();
  }

  /** serve's log (every run so far) and the tail of qemu.log, for error messages. */
  context(): string {
    // Every ipmitool call opens and closes a session: those lines would crowd out the rest.
    const log = (this.oldLogs + (this.serve?.logs() ?? '')).replace(/^.* INFO  session (opened|closed) .*\n/gm, '');
    return `\n--- serve log (tail) ---\n${log.slice(-4000)}\n--- qemu.log (tail) ---\n${this.qemuLog().slice(-2000)}`;
  }

  /** Kills serve and its QEMU, stops the reaper and removes the temp dir. */
  async close(): Promise<void> {
    if (this.serve) await this.killServe();
    const pid = this.qemuPid();
    if (pid) {
      process.kill(pid, 'SIGKILL');
      for (let i = 0; i < 100 && alive(pid); i++) await sleep(20);
    }
    this.reaper.kill('SIGKILL');
    this.console.close();
    this.guest.close();
    this.removeDir();
  }
}
