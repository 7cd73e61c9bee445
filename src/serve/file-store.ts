// The state directory behind `serve --state-dir`: one JSON file per key, written atomically
// (temp file, fsync, rename, fsync of the directory) so that a kill -9 at any instant leaves
// either the old or the new content, never a torn file, and an acknowledged change is on disk.

import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { StateError, type StateStore } from '../bmc/store.js';
import { writeFileAtomic } from '../util/atomic-file.js';

export class FileStore implements StateStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /**
   * Takes the directory for this process: a second `serve` on the same state would undo the
   * other's changes. A lock left by a process that no longer runs (kill -9) is taken over,
   * and the temp files of writes it never finished are removed.
   */
  lock(): void {
    const file = join(this.dir, 'lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
        const pid = Number(readFileSync(file, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processExists(pid)) {
          throw new Error(`state directory ${this.dir} is in use by process ${pid}`);
        }
        unlinkSync(file);
      }
    }
    for (const name of readdirSync(this.dir)) if (/\.json\.\d+\.\d+\.tmp$/.test(name)) unlinkSync(join(this.dir, name));
  }

  /** Releases the lock taken by lock(). */
  unlock(): void {
    const file = join(this.dir, 'lock');
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // already gone
    }
  }

  /** The file behind a key. */
  path(key: string): string {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(key)) throw new Error(`invalid state key "${key}"`);
    return join(this.dir, `${key}.json`);
  }

  load(key: string): unknown {
    let text: string;
    try {
      text = readFileSync(this.path(key), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new StateError(key, `not valid JSON (${(e as Error).message})`);
    }
  }

  save(key: string, value: unknown): void {
    writeFileAtomic(this.path(key), JSON.stringify(value) + '\n');
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `${XDG_STATE_HOME:-~/.local/state}/ipmi-sim/<name>`: the default --state-dir. */
export function defaultStateDir(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME && env.XDG_STATE_HOME.startsWith('/') ? env.XDG_STATE_HOME : join(env.HOME ?? homedir(), '.local/state');
  return join(base, 'ipmi-sim', name);
}
