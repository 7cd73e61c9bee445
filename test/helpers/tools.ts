// Finding external tools for interop tests. Locally a missing tool skips the test; under CI=true
// it fails it, so a CI machine that lost QEMU cannot pass by running nothing.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

export const IN_CI = process.env.CI === 'true';

/** The QEMU binary the interop tests use (QEMU_BINARY overrides). */
export const QEMU_BINARY = process.env.QEMU_BINARY ?? 'qemu-system-x86_64';

/** Absolute path of an executable (a path is checked as is, a bare name searched on PATH). */
export function findExecutable(name: string): string | undefined {
  const candidates = name.includes('/') ? [name] : (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * True if `available`; otherwise skips the test, or fails it when CI=true.
 * Use as: `if (!needTool(t, 'qemu', Boolean(bin))) return;`
 */
export function needTool(t: TestContext, what: string, available: boolean, why = ''): boolean {
  if (available) return true;
  const msg = `${what} not available${why ? `: ${why}` : ''}`;
  if (IN_CI) assert.fail(`${msg} (required when CI=true; run scripts/install-qemu-deps.sh)`);
  t.skip(msg);
  return false;
}
