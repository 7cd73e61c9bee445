// The QEMU process behind a simulated BMC: started on power-on, its output appended to a log
// file in the state dir, and stopped with the staged kill of OpenIPMI's ipmi_sim: ask first
// (ACPI power button, or the extern/QMP power off), wait, SIGTERM, wait, SIGKILL.

import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, openSync, writeSync } from 'node:fs';

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
  private stopping = false;
  private readonly logFile: string;
  private exited: Promise<VmExit> | undefined;

  constructor(logFile: string) {
    super();
    this.logFile = logFile;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
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
    if (!child || !this.exited) return undefined;
    this.stopping = true;
    const timers: NodeJS.Timeout[] = [];
    const signal = (sig: NodeJS.Signals) => {
      if (this.child === child) child.kill(sig);
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
    return this.child ? this.exited : undefined;
  }

  kill(): void {
    this.stopping = true;
    this.child?.kill('SIGKILL');
  }
}
