// Golden comparison of our client with the real ipmitool: both run with the same arguments
// against the same BMC, one after the other, and their stdout, stderr and exit status are
// compared. The only normalisations are named, documented functions below (each has a test).

import assert from 'node:assert/strict';
import { cli, run, type RunResult } from './run.js';

export interface Target {
  port: number;
  /** ipmitool global options that pick the session type, e.g. ['-I', 'lanplus', '-C', '17']. */
  session: string[];
  user?: string;
  password?: string;
}

export interface Pair {
  ipmitool: RunResult;
  ours: RunResult;
}

export type Normalise = (text: string) => string;

/**
 * `session info` shows the console's UDP source port, which differs between any two
 * processes: the value of the "console port" line (and the last CSV field of a LAN session
 * row) is replaced by PORT.
 */
export const consolePort: Normalise = (text) => text.replace(/^(console port {18}: )\d+$/gm, '$1PORT').replace(/^((?:[^,\n]*,){9})\d+$/gm, '$1PORT');

export function goldenRunner(target: () => Target) {
  const args = (extra: readonly string[]) => {
    const t = target();
    return [...t.session, '-H', '127.0.0.1', '-p', String(t.port), '-U', t.user ?? 'admin', '-P', t.password ?? 'password', ...extra];
  };
  /**
   * Runs ipmitool, then our client, with the same words. `setup` (ipmitool command lines) runs
   * before each of the two, for commands whose first run changes what the second one sees.
   */
  const pair = async (words: readonly string[], setup: readonly string[] = []): Promise<Pair> => {
    const prepare = async () => {
      for (const line of setup) {
        const r = await run('ipmitool', args(line.split(' ')), { timeoutMs: 30_000 });
        assert.equal(r.code, 0, `setup "${line}": ${r.stderr}`);
      }
    };
    await prepare();
    const ipmitool = await run('ipmitool', args(words), { timeoutMs: 30_000 });
    await prepare();
    const ours = await cli(args(words), { timeoutMs: 30_000 });
    return { ipmitool, ours };
  };
  /** Both tools print exactly the same (after `normalise`) and exit with the same status. */
  const same = async (line: string, normalise: Normalise = (s) => s, setup: readonly string[] = []): Promise<Pair> => {
    const p = await pair(line.split(' '), setup);
    const what = `"${line}"`;
    assert.equal(normalise(p.ours.stdout), normalise(p.ipmitool.stdout), `stdout of ${what}`);
    assert.equal(normalise(p.ours.stderr), normalise(p.ipmitool.stderr), `stderr of ${what}`);
    assert.equal(p.ours.code, p.ipmitool.code, `exit status of ${what} (stderr: ${p.ours.stderr})`);
    return p;
  };
  return { pair, same, args };
}
