// The tiny Linux guest for QEMU end-to-end tests: build it once (scripts/build-guest.sh), boot it
// under TCG with an IPMI BMC + interface from the pure builder, and talk to its /init
// (scripts/guest/init) over a second serial port to run commands and read their output and exit
// status. The console (ttyS0) carries the "GUEST: ..." markers.
//
// Two ways to run it:
//   startVm()          the test starts QEMU itself (console on QEMU's stdout);
//   GuestChannel +     someone else starts QEMU, perhaps many times (`ipmi-sim serve` powering
//   FileConsole        the VM on and off): the command channel is a Unix socket every QEMU start
//                      dials again, the console serve's console.log (test/helpers/served-vm.ts).
// With GUEST_SHELL on the kernel command line ttyS0 also runs an interactive shell (prompt
// GUEST_PROMPT), for typing over SOL.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
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

/** Kernel command-line word for an interactive shell on ttyS0, respawned when it exits. */
export const GUEST_SHELL = 'guest.shell=ttyS0';
/** That shell's prompt. */
export const GUEST_PROMPT = 'guest-sh# ';

/** The kernel command line /init expects: console on ttyS0, command channel on ttyS1, then `extra`. */
export function guestAppend(extra: readonly string[] = []): string {
  return ['console=ttyS0', 'quiet', 'guest.cmd=ttyS1', ...extra].join(' ');
}

export interface RunResult {
  rc: number;
  /** stdout and stderr of the command, interleaved as written. */
  output: string;
}

/**
 * Promises that settle when some state, re-checked on every notify(), allows: `check` returns a
 * value to resolve with, undefined to keep waiting, or throws to reject.
 */
export class Waiters {
  private readonly checks = new Set<() => void>();

  notify(): void {
    this.checks.forEach((c) => c());
  }

  until<T>(check: () => T | undefined, timeoutMs: number, timeoutError: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = (): void => {
        let v: T | undefined;
        try {
          v = check();
        } catch (e) {
          return finish(() => reject(e as Error));
        }
        if (v !== undefined) finish(() => resolve(v));
      };
      const timer = setTimeout(() => finish(() => reject(timeoutError())), timeoutMs);
      // Only a deadline: it must not keep a finished test process alive.
      timer.unref();
      const finish = (f: () => void): void => {
        clearTimeout(timer);
        this.checks.delete(run);
        f();
      };
      this.checks.add(run);
      run();
    });
  }
}

/**
 * Growing text (a console) that tests wait on. `text()` is the whole text so far; call
 * `changed()` whenever it grew. `context()` adds diagnostics to timeout errors, `dead()` says
 * why no more text will come (then waits fail at once).
 */
export class TextWatch {
  readonly text: () => string;
  private readonly context: () => string;
  private readonly dead: () => Error | undefined;
  private readonly waiters = new Waiters();

  constructor(text: () => string, context: () => string = () => '', dead: () => Error | undefined = () => undefined) {
    this.text = text;
    this.context = context;
    this.dead = dead;
  }

  changed(): void {
    this.waiters.notify();
  }

  /** Resolves with the first match at or after offset `from` (default: from the start). */
  waitFor(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<RegExpExecArray> {
    const re = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    return this.waiters.until(
      () => {
        const m = re.exec(this.text().slice(from));
        if (m) return m;
        const dead = this.dead();
        if (dead) throw new Error(`console never showed ${pattern}: ${dead.message}`);
        return undefined;
      },
      timeoutMs,
      () => new Error(`console did not show ${pattern} within ${timeoutMs} ms${this.context()}`),
    );
  }
}

/**
 * A console someone appends to in a file (serve's console.log), so it survives QEMU restarts.
 * Polled, since the file may not exist yet and inotify is not worth it here. A rotation (the
 * file renamed to <path>.1, a new one started) is followed: the rest of the old file is read
 * first.
 */
export class FileConsole {
  private buf = '';
  private offset = 0;
  private readonly timer: NodeJS.Timeout;
  readonly watch: TextWatch;

  readonly path: string;

  constructor(path: string, context: () => string = () => '') {
    this.path = path;
    this.watch = new TextWatch(() => this.text(), () => `\n--- console (tail) ---\n${this.text().slice(-3000)}${context()}`);
    this.timer = setInterval(() => this.poll(), 50);
    this.timer.unref();
  }

  text(): string {
    this.poll();
    return this.buf;
  }

  /** Current length: pass it as `from` to wait only for what comes next. */
  mark(): number {
    return this.text().length;
  }

  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpExecArray> {
    return this.watch.waitFor(pattern, timeoutMs, from);
  }

  private poll(): void {
    let size: number;
    try {
      size = statSync(this.path).size;
    } catch {
      return;
    }
    const before = this.buf.length;
    if (size < this.offset) {
      // Rotated: finish the old file, then start on the new one.
      this.readFrom(`${this.path}.1`, this.offset);
      this.offset = 0;
    }
    if (size > this.offset) this.offset += this.readFrom(this.path, this.offset);
    // Only now: a waiter woken here reads text() again, which polls again.
    if (this.buf.length > before) this.watch.changed();
  }

  /** Appends what `path` holds from `offset` on; returns the bytes read. */
  private readFrom(path: string, offset: number): number {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch {
      return 0;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return 0;
      const chunk = Buffer.alloc(size - offset);
      const n = readSync(fd, chunk, 0, chunk.length, offset);
      // The guest console is ASCII; a split multi-byte character would only garble a log line.
      this.buf += chunk.subarray(0, n).toString('latin1');
      return n;
    } finally {
      closeSync(fd);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}

type Pending = { resolve: (r: RunResult) => void; reject: (e: Error) => void; lines: string[] | undefined };

/**
 * The host end of the guest's command channel (ttyS1): a Unix socket server that QEMU dials at
 * every start. It survives guest reboots (/init says GUEST-READY again on the same connection)
 * and QEMU restarts (a new connection); commands run on the connection of the latest boot.
 */
export class GuestChannel {
  /** How many times /init has reached its command loop, over every QEMU run. */
  boots = 0;
  /** Milliseconds from `since` to the first GUEST-READY. */
  readyMs: number | undefined;
  /** Extra text for error messages (console tail, QEMU's stderr). */
  context: () => string = () => '';
  private readonly server: Server;
  private channel: Socket | undefined;
  /** The connection the latest GUEST-READY came on: commands can run there. */
  private readyOn: Socket | undefined;
  private buf = '';
  private readonly pending = new Map<string, Pending>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly waiters = new Waiters();
  private dead: Error | undefined;
  private since = Date.now();

  private constructor(server: Server) {
    this.server = server;
    server.on('connection', (s) => {
      // A new QEMU: whatever ran on the old connection is lost with it.
      this.channel?.destroy();
      this.channel = s;
      this.buf = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => s === this.channel && this.onData(d));
      s.on('error', () => {});
      s.on('close', () => {
        if (s !== this.channel) return;
        this.channel = undefined;
        this.readyOn = undefined;
        this.failPending(new Error('the command channel closed (QEMU exited) while the command ran'));
        this.notify();
      });
      this.notify();
    });
  }

  /** Listens on `path` (a Unix socket; QEMU gets `-chardev socket,id=...,path=<path>`). */
  static async listen(path: string): Promise<GuestChannel> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    return new GuestChannel(server);
  }

  /** Restarts the clock readyMs is measured from. */
  startClock(): void {
    this.since = Date.now();
    this.readyMs = undefined;
  }

  /** QEMU connected to the channel (it may not have booted yet). */
  get connected(): boolean {
    return this.channel !== undefined;
  }

  /** The guest is up and its command loop listens. */
  get ready(): boolean {
    return this.channel !== undefined && this.readyOn === this.channel;
  }

  /** Fails every pending and future command (QEMU is gone for good). */
  kill(e: Error): void {
    this.dead = e;
    this.failPending(e);
    this.notify();
  }

  private failPending(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private notify(): void {
    this.waiters.notify();
  }

  private onData(data: string): void {
    this.buf += data;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).replace(/\r$/, '');
      this.buf = this.buf.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (line === 'GUEST-READY') {
      this.boots++;
      this.readyMs ??= Date.now() - this.since;
      this.readyOn = this.channel;
      // A second hello means the guest rebooted (e.g. a BMC reset): what was running is gone.
      this.failPending(new Error('the guest rebooted while the command ran'));
      this.notify();
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

  /** Resolves once `done()` holds, re-checked on every channel event. */
  private until(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
    return this.waiters.until(
      () => {
        if (done()) return true;
        if (this.dead) throw this.dead;
        return undefined;
      },
      timeoutMs,
      () => new Error(`${what} within ${timeoutMs} ms${this.context()}`),
    ).then(() => undefined);
  }

  /** Resolves once /init has come up `count` times in all (2 = after the first reboot). */
  waitForBoot(count: number, timeoutMs = 60_000): Promise<void> {
    return this.until(`the guest did not boot ${count} time(s) (${this.boots} so far)`, () => this.boots >= count && this.ready, timeoutMs);
  }

  /** Resolves once QEMU has closed the channel (it exited). */
  waitForDisconnect(timeoutMs = 30_000): Promise<void> {
    return this.until('QEMU did not close the command channel', () => !this.connected, timeoutMs);
  }

  /** Runs a shell script in the guest (as root, /init's environment); waits for a booted guest. */
  run(script: string, timeoutMs = 30_000): Promise<RunResult> {
    // One command at a time: /init's loop is sequential anyway, and this keeps timeouts honest.
    const result = this.queue.then(() => this.runNow(script, timeoutMs));
    this.queue = result.catch(() => {});
    return result;
  }

  private async runNow(script: string, timeoutMs: number): Promise<RunResult> {
    await this.until('the guest was not ready for a command', () => this.ready, timeoutMs);
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

  close(): void {
    this.channel?.destroy();
    this.server.close();
  }
}

export interface StartVmOptions {
  /** BMC + interface, rendered by the pure builder (src/qemu/args.ts). */
  ipmi?: IpmiArgsOptions;
  /** Ready-made IPMI words instead of `ipmi`. */
  ipmiArgs?: readonly string[];
  /** Extra kernel command-line words for /init, e.g. 'guest.modules=ipmi_watchdog'. */
  append?: readonly string[];
  /** What ttyS0 is (default 'stdio': the console is QEMU's stdout), e.g. 'chardev:sol0'. */
  serial0?: string;
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

class Vm implements GuestVm {
  readonly argv: string[];
  readonly qemu: QemuProcess;
  readonly ready: Promise<void>;
  readonly exited: Promise<QemuExit>;
  private readonly dir: { path: string; remove: () => void };
  private readonly channel: GuestChannel;
  private readonly consoleWatch: TextWatch;
  private qmpClient: Promise<QmpClient> | undefined;
  private dead: Error | undefined;

  constructor(binary: string, argv: string[], dir: { path: string; remove: () => void }, channel: GuestChannel) {
    this.argv = argv;
    this.dir = dir;
    this.channel = channel;
    channel.context = () => this.context();
    channel.startClock();
    this.qemu = spawnQemu(binary, argv);
    this.consoleWatch = new TextWatch(
      () => this.qemu.stdout(),
      () => this.context(),
      () => this.dead,
    );
    this.qemu.proc.stdout!.on('data', () => this.consoleWatch.changed());
    this.ready = channel.waitForBoot(1, 24 * 3600_000);
    this.ready.catch(() => {});
    this.exited = this.qemu.exited.then((e) => {
      this.dead = new Error(`QEMU exited (${JSON.stringify(e)})${this.context()}`);
      channel.kill(this.dead);
      this.consoleWatch.changed();
      return e;
    });
  }

  get readyMs(): number | undefined {
    return this.channel.readyMs;
  }

  get boots(): number {
    return this.channel.boots;
  }

  console(): string {
    return this.qemu.stdout();
  }

  /** Console and stderr tails, for error messages. */
  private context(): string {
    return `\n--- console (tail) ---\n${this.console().slice(-3000)}\n--- qemu stderr ---\n${this.qemu.stderr().slice(-2000)}`;
  }

  waitForConsole(pattern: RegExp, timeoutMs = 60_000, from = 0): Promise<RegExpExecArray> {
    return this.consoleWatch.waitFor(pattern, timeoutMs, from);
  }

  waitForBoot(count: number, timeoutMs = 60_000): Promise<void> {
    return this.channel.waitForBoot(count, timeoutMs);
  }

  run(script: string, timeoutMs = 30_000): Promise<RunResult> {
    return this.channel.run(script, timeoutMs);
  }

  qmp(command: string, args?: Record<string, unknown>): Promise<unknown> {
    this.qmpClient ??= QmpClient.open(join(this.dir.path, 'qmp.sock'));
    return this.qmpClient.then((c) => c.execute(command, args));
  }

  async kill(): Promise<void> {
    if (this.qmpClient) (await this.qmpClient.catch(() => undefined))?.close();
    await this.qemu.kill();
    this.channel.close();
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
  const channel = await GuestChannel.listen(cmdSock);
  // ttyS0 = console on stdout (or serial0), ttyS1 = command channel (QEMU dials our Unix socket at start-up).
  const { args } = buildVmArgs({
    machine: opts.machine ?? 'pc',
    accel: 'tcg',
    memoryMiB: opts.memoryMiB ?? 256,
    kernel: opts.bzImage ? image.bzImage : image.kernel,
    initrd: image.initrd,
    append: guestAppend(opts.append),
    serial: [opts.serial0 ?? 'stdio', 'chardev:gcmd'],
    qmp: `unix:${join(dir.path, 'qmp.sock')},server=on,wait=off`,
    ipmi: opts.ipmi,
    extraArgs: ['-chardev', `socket,id=gcmd,path=${cmdSock}`, ...(opts.ipmiArgs ?? []), ...(opts.extraArgs ?? [])],
  });
  const vm = new Vm(opts.binary ?? QEMU_BINARY, args, dir, channel);
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
