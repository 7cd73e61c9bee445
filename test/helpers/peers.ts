// Real peers (ipmitool, FreeIPMI, OpenIPMI's ipmi_sim, QEMU) come from Debian packages.
// With CI=true a missing peer fails the test; locally it is skipped with a loud reason.

import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

const found = new Map<string, boolean>();

export function havePeer(cmd: string): boolean {
  let ok = found.get(cmd);
  if (ok === undefined) {
    try {
      execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
      ok = true;
    } catch {
      ok = false;
    }
    found.set(cmd, ok);
  }
  return ok;
}

/** Returns true when every peer is installed; otherwise fails (CI) or skips loudly (local). */
export function requirePeers(t: TestContext, ...cmds: string[]): boolean {
  const missing = cmds.filter((c) => !havePeer(c));
  if (missing.length === 0) return true;
  const msg = `peer(s) not installed: ${missing.join(', ')} (run scripts/install-peers.sh)`;
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true forbids skipping`);
  process.stderr.write(`\n*** SKIPPING: ${msg} ***\n`);
  t.skip(msg);
  return false;
}
