// Starting QEMU from tests: the child, its collected output, and a kill that always works.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface QemuExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface QemuProcess {
  readonly proc: ChildProcess;
  /** Everything QEMU wrote to stderr so far. */
  stderr(): string;
  /** Everything QEMU wrote to stdout so far (the guest console when it is `-serial stdio`). */
  stdout(): string;
  readonly exited: Promise<QemuExit>;
  /** SIGKILL (if still running) and wait for the exit. */
  kill(): Promise<QemuExit>;
}

const live = new Set<ChildProcess>();
// A test that throws before its cleanup must not leave emulators behind.
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

let setpriv: boolean | undefined;
/**
 * argv prefixed with `setpriv --pdeathsig KILL --` when setpriv exists: the program (exec'd by
 * setpriv, same pid) is killed when its parent dies, even by SIGKILL, so a test process that
 * is killed outright (file timeout, ^C) leaves nothing behind.
 */
export function withParentDeathSignal(argv: readonly string[]): string[] {
  setpriv ??= spawnSync('setpriv', ['--version']).status === 0;
  return setpriv ? ['setpriv', '--pdeathsig', 'KILL', '--', ...argv] : [...argv];
}

export function spawnQemu(binary: string, args: readonly string[]): QemuProcess {
  const [bin, ...rest] = withParentDeathSignal([binary, ...args]);
  const proc = spawn(bin!, rest, { stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(proc);
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<QemuExit>((resolve) => {
    proc.once('error', (e) => {
      err += String(e);
      live.delete(proc);
      resolve({ code: null, signal: null });
    });
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  return {
    proc,
    stderr: () => err,
    stdout: () => out,
    exited,
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return exited;
    },
  };
}

/** A private temp dir with a short path (Unix socket paths are limited to 107 bytes). */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
