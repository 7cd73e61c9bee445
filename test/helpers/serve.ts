// Starts `ipmi-sim serve` as a real child process on an ephemeral loopback port.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { DEFAULT_CONFIG_YAML } from '../../src/bmc/config/default.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './run.js';

/**
 * The embedded default with its users replaced (tests of user management want free slots):
 * writes it to `dir` and returns the path.
 */
export function defaultConfigWithUsers(dir: string, usersYaml = '  - { id: 2, name: admin, password: password, privilege: administrator }\n'): string {
  const text = DEFAULT_CONFIG_YAML.replace(/^users:\n(?: {2}.*\n)+/m, `users:\n${usersYaml}`);
  const path = join(dir, 'bmc.yaml');
  writeFileSync(path, text);
  return path;
}

export interface ServeHandle {
  host: string;
  port: number;
  process: ChildProcess;
  stateDir: string;
  logs(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServe(args: string[] = [], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeHandle> {
  const hasLan = args.includes('--lan');
  // A private state dir unless the test brings its own: tests must not share persisted state.
  const i = args.indexOf('--state-dir');
  const stateDir = i >= 0 ? args[i + 1]! : mkdtempSync(join(tmpdir(), 'ipmi-sim-state-'));
  const extra = [...(hasLan ? [] : ['--lan', '127.0.0.1:0']), ...(i >= 0 ? [] : ['--state-dir', stateDir])];
  const child = spawn(process.execPath, [cliPath, 'serve', ...extra, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (d) => (logs += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${logs}`)), opts.timeoutMs ?? 15_000);
    child.stderr!.on('data', (d) => {
      logs += d;
      const m = /BMC listening lan=\[?([^\]\s]+?)\]?:(\d+)/.exec(logs);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[2]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${logs}`));
    });
  });
  return {
    host: '127.0.0.1',
    port,
    process: child,
    stateDir,
    logs: () => logs,
    stop(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
