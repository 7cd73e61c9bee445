// Asks a QEMU binary for its version, so the builder can pick version-specific syntax
// (e.g. reconnect vs reconnect-ms, qemu-ipmi.md §4). The only module under src/qemu that spawns.

import { execFile } from 'node:child_process';
import { parseQemuVersion, type QemuVersion } from './version.js';

export const DEFAULT_QEMU_BINARY = 'qemu-system-x86_64';

export class QemuProbeError extends Error {
  readonly binary: string;
  constructor(binary: string, message: string) {
    super(message);
    this.name = 'QemuProbeError';
    this.binary = binary;
  }
}

/** Runs `<binary> --version` and parses it. Rejects with QemuProbeError (not found, timeout, garbage). */
export function probeQemuVersion(binary: string = DEFAULT_QEMU_BINARY, timeoutMs = 10_000): Promise<QemuVersion> {
  return new Promise((resolve, reject) => {
    execFile(binary, ['--version'], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'not found (install qemu-system-x86, or pass the binary path)' : err.killed ? `no answer within ${timeoutMs} ms` : (stderr.trim() || err.message);
        reject(new QemuProbeError(binary, `${binary} --version: ${why}`));
        return;
      }
      try {
        resolve(parseQemuVersion(stdout));
      } catch (e) {
        reject(new QemuProbeError(binary, `${binary} --version: ${(e as Error).message}`));
      }
    });
  });
}
