// Starting QEMU from tests: the child, its collected output, and a kill that always works.
import { spawn, type ChildProcess } from 'node:child_process';
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

export function spawnQemu(binary: string, args: readonly string[]): QemuProcess {
  const proc = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
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
