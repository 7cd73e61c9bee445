// The tiny Linux guest for QEMU end-to-end tests: build it once (scripts/build-guest.sh), boot it
// under TCG with an IPMI BMC + interface from the pure builder, and talk to its /init
// (scripts/guest/init) over a second serial port to run commands and read their output and exit
// status. The console (ttyS0) is QEMU's stdout and carries the "GUEST: ..." markers.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildVmArgs } from '../../src/qemu/vm.js';
import type { IpmiArgsOptions } from '../../src/qemu/args.js';
import { findExecutable, QEMU_BINARY } from './tools.js';
import { spawnQemu, tempDir, type QemuExit, type QemuProcess } from './qemu.js';
import { QmpClient } from './qmp.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BUILD_SCRIPT = join(ROOT, 'scripts/build-guest.sh');

export interface GuestImage {
  /** What startVm boots: the decompressed PVH-bootable vmlinux if the build made one (it saves
   * the ~3.5 s XZ decompression of the bzImage under TCG), else the bzImage. */
  kernel: string;
  /** The Debian bzImage itself. */
  bzImage: string;
  initrd: string;
  /** How long ensureGuest took (a cache hit is well under a second). */
  ms: number;
}

/** Why the guest cannot be built here, or undefined if it can. */
export function guestPrerequisites(): string | undefined {
  const missing = ['bash', 'apt-get', 'apt-cache', 'dpkg-deb', 'cpio', 'gzip', 'flock', 'ipmitool', QEMU_BINARY].filter((t) => !findExecutable(t));
  return missing.length > 0 ? `missing ${missing.join(', ')}` : undefined;
}

let building: Promise<GuestImage> | undefined;

/** Builds the guest if it is missing or stale (the script keeps a keyed cache under .cache/guest). */
export function ensureGuest(): Promise<GuestImage> {
  building ??= new Promise<GuestImage>((resolve, reject) => {
    const started = Date.now();
    const p = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    p.once('error', reject);
    p.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`scripts/build-guest.sh failed (${code}):\n${log}`));
        return;
      }
      const dir = process.env.IPMI_SIM_GUEST_DIR ?? join(ROOT, '.cache/guest');
      const bzImage = join(dir, 'vmlinuz');
      const kernel = existsSync(join(dir, 'vmlinux')) ? join(dir, 'vmlinux') : bzImage;
      resolve({ kernel, bzImage, initrd: join(dir, 'initramfs.cpio.gz'), ms: Date.now() - started });
    });
  });
  building.catch(() => (building = undefined));
  return building;
}

/** A kernel command-line word that makes /init run `script` at boot (output and "GUEST-RC: <n>" on the console). */
export function guestRunArg(script: string): string {
  return `guest.run=${Buffer.from(script).toString('base64')}`;
}

export interface StartVmOptions {
  /** BMC + interface, rendered by the pure builder (src/qemu/args.ts). */
  ipmi?: IpmiArgsOptions;
  /** Ready-made IPMI words instead of `ipmi`. */
  ipmiArgs?: readonly string[];
  /** Extra kernel command-line words for /init, e.g. 'guest.modules=ipmi_watchdog'. */
  append?: readonly string[];
  machine?: string;
  memoryMiB?: number;
  extraArgs?: readonly string[];
  binary?: string;
  /** Boot the bzImage even when a PVH vmlinux exists. */
  bzImage?: boolean;
  /** Wait for the guest's command channel (default true). */
  waitReady?: boolean;
  readyTimeoutMs?: number;
}

export interface RunResult {
  rc: number;
  /** stdout and stderr of the command, interleaved as written. */
  output: string;
}

export interface GuestVm {
  readonly argv: readonly string[];
  readonly qemu: QemuProcess;
  /** Milliseconds from spawning QEMU to "GUEST-READY" on the command channel. */
  readonly readyMs: number | undefined;
  readonly ready: Promise<void>;
  /** How many times /init has reached its command loop (a reboot adds one). */
  readonly boots: number;
  /** Console (ttyS0) output so far. */
  console(): string;
  /** Resolves with the first console match at or after `from` (default: from the start). */
  waitForConsole(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray>;
  /** Resolves once /init has come up `count` times in this QEMU (2 = after the first reboot). */
  waitForBoot(count: number, timeoutMs?: number): Promise<void>;
  /** Runs a shell script in the guest (as root, /init's environment). */
  run(script: string, timeoutMs?: number): Promise<RunResult>;
  /** One QMP command (e.g. 'system_powerdown' presses the ACPI power button). */
  qmp(command: string, args?: Record<string, unknown>): Promise<unknown>;
  readonly exited: Promise<QemuExit>;
  /** Kills QEMU and removes the VM's temp dir; safe to call twice. */
  kill(): Promise<void>;
}

type Pending = { resolve: (r: RunResult) => void; reject: (e: Error) => void; lines: string[] | undefined };

class Vm implements GuestVm {
  readonly argv: string[];
  readonly qemu: QemuProcess;
  readonly ready: Promise<void>;
  readyMs: number | undefined;
  boots = 0;
  readonly exited: Promise<QemuExit>;
  private readonly dir: { path: string; remove: () => void };
  private readonly server: Server;
  private channel: Socket | undefined;
  private channelBuf = '';
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private qmpClient: Promise<QmpClient> | undefined;
  private consoleWaiters = new Set<() => void>();
  private dead: Error | undefined;
  private markReady!: () => void;
  private failReady!: (e: Error) => void;

  constructor(binary: string, argv: string[], dir: { path: string; remove: () => void }, server: Server) {
    this.argv = argv;
    this.dir = dir;
    this.server = server;
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    this.ready.catch(() => {});
    const started = Date.now();
    server.on('connection', (s) => {
      this.channel = s;
      s.setEncoding('utf8');
      s.on('data', (d: string) => this.onChannel(d, started));
      s.on('error', () => {});
    });
    this.qemu = spawnQemu(binary, argv);
    this.qemu.proc.stdout!.on('data', () => this.consoleWaiters.forEach((w) => w()));
    this.exited = this.qemu.exited.then((e) => {
      this.dead = new Error(`QEMU exited (${JSON.stringify(e)})${this.context()}`);
      this.failReady(this.dead);
      for (const p of this.pending.values()) p.reject(this.dead);
      this.pending.clear();
      this.consoleWaiters.forEach((w) => w());
      return e;
    });
  }

  console(): string {
    return this.qemu.stdout();
  }

  /** Console and stderr tails, for error messages. */
  private context(): string {
    return `\n--- console (tail) ---\n${this.console().slice(-3000)}\n--- qemu stderr ---\n${this.qemu.stderr().slice(-2000)}`;
  }

  private onChannel(data: string, started: number): void {
    this.channelBuf += data;
    let nl: number;
    while ((nl = this.channelBuf.indexOf('\n')) >= 0) {
      const line = this.channelBuf.slice(0, nl).replace(/\r$/, '');
      this.channelBuf = this.channelBuf.slice(nl + 1);
      this.onLine(line, started);
    }
  }

  private onLine(line: string, started: number): void {
    if (line === 'GUEST-READY') {
      this.boots++;
      this.readyMs ??= Date.now() - started;
      this.markReady();
      // A second hello means the guest rebooted (e.g. a BMC reset): what was running is gone.
      const lost = [...this.pending.values()];
      this.pending.clear();
      for (const p of lost) p.reject(new Error('the guest rebooted while the command ran'));
      return;
    }
    let m = /^GUEST-BEGIN (\S+)$/.exec(line);
    if (m) {
      const p = this.pending.get(m[1]!);
      if (p) p.lines = [];
      return;
    }
    m = /^GUEST-RC: (\d+) (\S+)$/.exec(line);
    if (m) {
      const p = this.pending.get(m[2]!);
      if (!p) return;
      this.pending.delete(m[2]!);
      p.resolve({ rc: Number(m[1]), output: Buffer.from((p.lines ?? []).join(''), 'base64').toString('utf8') });
      return;
    }
    for (const p of this.pending.values()) p.lines?.push(line);
  }

  waitForConsole(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
      const check = (): void => {
        const m = re.exec(this.console().slice(from));
        if (m) return done(() => resolve(m));
        if (this.dead) return done(() => reject(new Error(`console never showed ${pattern}: ${this.dead!.message}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`console did not show ${pattern} within ${timeoutMs} ms${this.context()}`))), timeoutMs);
      const done = (f: () => void): void => {
        clearTimeout(timer);
        this.consoleWaiters.delete(check);
        f();
      };
      this.consoleWaiters.add(check);
      check();
    });
  }

  async waitForBoot(count: number, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.boots < count) {
      if (this.dead) throw this.dead;
      if (Date.now() > deadline) throw new Error(`guest booted ${this.boots} time(s), not ${count}, within ${timeoutMs} ms${this.context()}`);
      await sleep(50);
    }
  }

  run(script: string, timeoutMs = 30_000): Promise<RunResult> {
    // One command at a time: /init's loop is sequential anyway, and this keeps timeouts honest.
    const result = this.queue.then(() => this.runNow(script, timeoutMs));
    this.queue = result.catch(() => {});
    return result;
  }

  private async runNow(script: string, timeoutMs: number): Promise<RunResult> {
    await this.ready;
    if (this.dead) throw this.dead;
    const id = String(this.nextId++);
    return new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`guest command ${JSON.stringify(script)} gave no result within ${timeoutMs} ms${this.context()}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        lines: undefined,
      });
      this.channel!.write(`${id} ${Buffer.from(script).toString('base64')}\n`);
    });
  }

  qmp(command: string, args?: Record<string, unknown>): Promise<unknown> {
    this.qmpClient ??= QmpClient.open(join(this.dir.path, 'qmp.sock'));
    return this.qmpClient.then((c) => c.execute(command, args));
  }

  async kill(): Promise<void> {
    if (this.qmpClient) (await this.qmpClient.catch(() => undefined))?.close();
    await this.qemu.kill();
    this.channel?.destroy();
    this.server.close();
    this.dir.remove();
  }

  failStartup(e: Error): Error {
    return new Error(`${e.message}${this.context()}`);
  }
}

/** Boots the guest with the given IPMI devices; by default resolves once its command loop is up. */
export async function startVm(opts: StartVmOptions = {}): Promise<GuestVm> {
  const image = await ensureGuest();
  const dir = tempDir('ipmi-guest-');
  const cmdSock = join(dir.path, 'cmd.sock');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(cmdSock, resolve);
  });
  // ttyS0 = console on stdout, ttyS1 = command channel (QEMU dials our Unix socket at start-up).
  const { args } = buildVmArgs({
    machine: opts.machine ?? 'pc',
    accel: 'tcg',
    memoryMiB: opts.memoryMiB ?? 256,
    kernel: opts.bzImage ? image.bzImage : image.kernel,
    initrd: image.initrd,
    append: ['console=ttyS0', 'quiet', 'guest.cmd=ttyS1', ...(opts.append ?? [])].join(' '),
    serial: ['stdio', 'chardev:gcmd'],
    qmp: `unix:${join(dir.path, 'qmp.sock')},server=on,wait=off`,
    ipmi: opts.ipmi,
    extraArgs: ['-chardev', `socket,id=gcmd,path=${cmdSock}`, ...(opts.ipmiArgs ?? []), ...(opts.extraArgs ?? [])],
  });
  const vm = new Vm(opts.binary ?? QEMU_BINARY, args, dir, server);
  if (opts.waitReady ?? true) {
    const timeoutMs = opts.readyTimeoutMs ?? 90_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        vm.ready,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`guest not ready within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (e) {
      const err = vm.failStartup(e as Error);
      await vm.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
  return vm;
}
