// The QEMU process behind a simulated BMC: started on power-on, its output appended to a log
// file in the state dir, and stopped with the staged kill of OpenIPMI's ipmi_sim: ask first
// (ACPI power button, or the extern/QMP power off), wait, SIGTERM, wait, SIGKILL.

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';

export interface VmExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when we asked it to stop (power off); false when it exited on its own. */
  requested: boolean;
}

export interface StagedStopOptions {
  /** How long to wait after the polite request before SIGTERM (ms); 0 = SIGTERM at once. */
  gracefulWaitMs: number;
  /** How long to wait after SIGTERM before SIGKILL (ms); 0 = never SIGKILL. */
  termWaitMs: number;
}

/** Events: 'exit' (VmExit), 'spawn' (pid). */
export class VmProcess extends EventEmitter {
  private child: ChildProcess | undefined;
  /** A QEMU started by an earlier run of serve (found through the pid file), not our child. */
  private adopted: { pid: number; poll: NodeJS.Timeout } | undefined;
  private stopping = false;
  private readonly logFile: string;
  private readonly pidFile: string | undefined;
  private exited: Promise<VmExit> | undefined;

  constructor(logFile: string, pidFile?: string) {
    super();
    this.logFile = logFile;
    this.pidFile = pidFile;
  }

  get running(): boolean {
    return this.child !== undefined || this.adopted !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid ?? this.adopted?.pid;
  }

  /**
   * Takes over a QEMU left running by a previous serve (a BMC restart does not power the host
   * off). Returns its pid, or undefined when the pid file names no live QEMU.
   */
  adopt(): number | undefined {
    if (!this.pidFile || this.running) return undefined;
    let pid: number;
    try {
      pid = Number(readFileSync(this.pidFile, 'utf8').trim());
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
      if (!Number.isInteger(pid) || pid <= 1 || !/qemu/.test(cmdline)) return undefined;
    } catch {
      return undefined;
    }
    let resolveExit!: (e: VmExit) => void;
    this.exited = new Promise<VmExit>((r) => (resolveExit = r));
    // Not our child: no exit event, so poll for it.
    const poll = setInterval(() => {
      if (processGone(pid)) {
        clearInterval(poll);
        const exit = { code: null, signal: null, requested: this.stopping };
        this.adopted = undefined;
        this.stopping = false;
        this.removePidFile();
        resolveExit(exit);
        this.emit('exit', exit);
      }
    }, 250);
    poll.unref();
    this.adopted = { pid, poll };
    return pid;
  }

  private removePidFile(): void {
    if (this.pidFile) rmSync(this.pidFile, { force: true });
  }

  /** Starts QEMU; resolves once the process exists (rejects if it cannot be spawned). */
  start(binary: string, args: readonly string[]): Promise<number> {
    if (this.child) return Promise.resolve(this.child.pid!);
    const fd = openSync(this.logFile, 'a', 0o600);
    writeSync(fd, `\n=== ${new Date().toISOString()} starting: ${[binary, ...args].join(' ')}\n`);
    const child = spawn(binary, [...args], { stdio: ['ignore', fd, fd], detached: false });
    closeSync(fd);
    this.child = child;
    this.stopping = false;
    this.exited = new Promise<VmExit>((resolve) => {
      child.once('exit', (code, signal) => {
        const exit = { code, signal, requested: this.stopping };
        this.child = undefined;
        this.stopping = false;
        this.removePidFile();
        try {
          const f = openSync(this.logFile, 'a', 0o600);
          writeSync(f, `=== ${new Date().toISOString()} exited: code=${code} signal=${signal}${exit.requested ? ' (requested)' : ''}\n`);
          closeSync(f);
        } catch {
          // the log is best effort
        }
        resolve(exit);
        this.emit('exit', exit);
      });
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        if (this.pidFile) writeFileSync(this.pidFile, `${child.pid}\n`, { mode: 0o600 });
        this.emit('spawn', child.pid!);
        resolve(child.pid!);
      });
      child.once('error', (e) => {
        this.child = undefined;
        reject(new Error(`cannot start ${binary}: ${e.message}`));
      });
    });
  }

  /**
   * Stops the VM: `polite()` first (ACPI power button or a hard power-off request over the
   * chardev/QMP), then SIGTERM after gracefulWaitMs, then SIGKILL after termWaitMs.
   */
  async stop(polite: (() => void) | undefined, o: StagedStopOptions): Promise<VmExit | undefined> {
    const child = this.child;
    const adopted = this.adopted;
    if ((!child && !adopted) || !this.exited) return undefined;
    this.stopping = true;
    const timers: NodeJS.Timeout[] = [];
    const signal = (sig: NodeJS.Signals) => {
      if (child && this.child === child) child.kill(sig);
      else if (adopted && this.adopted === adopted) {
        try {
          process.kill(adopted.pid, sig);
        } catch {
          // already gone
        }
      }
    };
    if (polite) {
      try {
        polite();
      } catch {
        // fall through to the signals
      }
    }
    const afterTerm = () => {
      signal('SIGTERM');
      if (o.termWaitMs > 0) timers.push(setTimeout(() => signal('SIGKILL'), o.termWaitMs));
    };
    if (!polite || o.gracefulWaitMs <= 0) afterTerm();
    else timers.push(setTimeout(afterTerm, o.gracefulWaitMs));
    const exit = await this.exited;
    for (const t of timers) clearTimeout(t);
    return exit;
  }

  /** Waits for the current process to exit (resolves at once when none runs). */
  async waitExit(): Promise<VmExit | undefined> {
    return this.running ? this.exited : undefined;
  }

  kill(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
    if (this.adopted) {
      try {
        process.kill(this.adopted.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Forgets the VM without stopping it (serve exits; the next serve adopts it). */
  release(): void {
    if (this.adopted) clearInterval(this.adopted.poll);
    this.adopted = undefined;
    this.child?.unref();
    this.child = undefined;
    this.removeAllListeners('exit');
  }
}

/**
 * Whether a process we did not start has ended. A zombie has: the QEMU a killed serve started
 * is re-parented to PID 1, which in a container may reap it late or never, and signal 0 still
 * reaches a zombie.
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    // The state letter follows the parenthesised command name (which may contain spaces).
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false; // no procfs: signal 0 is all we have
  }
}
