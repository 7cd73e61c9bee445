// Runs the real ipmitool against a served BMC, and polls for asynchronous state changes.

import assert from 'node:assert/strict';
import { run, type RunResult } from './run.js';

/** ipmitool over lanplus (cipher suite 17, the default admin user) to whatever `bmc()` names now. */
export function ipmitoolFor(bmc: () => { host: string; port: number }) {
  const ipmitool = (...args: string[]): Promise<RunResult> =>
    run('ipmitool', ['-I', 'lanplus', '-C', '17', '-H', bmc().host, '-p', String(bmc().port), '-U', 'admin', '-P', 'password', ...args], { timeoutMs: 30_000 });
  /** Runs a command that must succeed quietly; returns its stdout. */
  const ok = async (...args: string[]): Promise<string> => {
    const r = await ipmitool(...args);
    assert.equal(r.code, 0, `ipmitool ${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr, '', `ipmitool ${args.join(' ')} wrote to stderr`);
    return r.stdout;
  };
  /** `ipmitool raw` reply bytes. */
  const rawBytes = async (...args: string[]): Promise<number[]> =>
    (await ok('raw', ...args))
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map((b) => parseInt(b, 16));
  return { ipmitool, ok, rawBytes };
}

/** Polls until check() returns true, or fails after timeoutMs. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
