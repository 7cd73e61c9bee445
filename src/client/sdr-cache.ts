// The SDR cache: one file per BMC (host and port) under ${XDG_CACHE_HOME:-~/.cache}/ipmi-sim/sdr/,
// holding the raw records and the repository state they were read in (FreeIPMI's model, §2.5 of
// the clients notes). A cached copy is used only while Get SDR Repository Info still reports the
// same kind, record count and most recent addition and erase timestamps; otherwise the records
// are read again and the file replaced. Files are private (0600 in a 0700 directory) and written
// atomically, so a reader never sees half a file and concurrent writers just race to the rename.

import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SdrRepositoryKind, SdrRepositoryState } from './sdr-repository.js';

const FORMAT = 1;

interface CacheFile {
  format: number;
  host: string;
  port: number;
  kind: SdrRepositoryKind;
  recordCount: number;
  lastAddTime: number;
  lastEraseTime: number;
  /** When the records were read (ISO 8601), for people looking at the file. */
  readAt: string;
  /** Each record's header and body, hex. */
  records: string[];
}

export function sdrCacheDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.cache');
  return join(base, 'ipmi-sim', 'sdr');
}

/** The cache file of one BMC; the name keeps only safe characters of the host. */
export function sdrCachePath(env: NodeJS.ProcessEnv, host: string, port: number): string {
  return join(sdrCacheDir(env), `${host.replace(/[^A-Za-z0-9.-]/g, '_')}_${port}.json`);
}

/** The cached records if they are still valid for `state`, else undefined. */
export function loadSdrCache(env: NodeJS.ProcessEnv, host: string, port: number, state: SdrRepositoryState): Uint8Array[] | undefined {
  let file: CacheFile;
  try {
    file = JSON.parse(readFileSync(sdrCachePath(env, host, port), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  const valid =
    file.format === FORMAT &&
    file.host === host &&
    file.port === port &&
    file.kind === state.kind &&
    file.recordCount === state.recordCount &&
    file.lastAddTime === state.lastAddTime &&
    file.lastEraseTime === state.lastEraseTime &&
    Array.isArray(file.records) &&
    file.records.every((r) => typeof r === 'string' && /^(?:[0-9a-f]{2})+$/.test(r));
  return valid ? file.records.map((r) => new Uint8Array(Buffer.from(r, 'hex'))) : undefined;
}

/** Writes the cache; failures (read-only home, full disk) are not worth failing a command for. */
export function saveSdrCache(env: NodeJS.ProcessEnv, host: string, port: number, state: SdrRepositoryState, records: Uint8Array[]): string | undefined {
  const path = sdrCachePath(env, host, port);
  const file: CacheFile = {
    format: FORMAT,
    host,
    port,
    kind: state.kind,
    recordCount: state.recordCount,
    lastAddTime: state.lastAddTime,
    lastEraseTime: state.lastEraseTime,
    readAt: new Date().toISOString(),
    records: records.map((r) => Buffer.from(r).toString('hex')),
  };
  try {
    mkdirSync(sdrCacheDir(env), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(file) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
    return path;
  } catch {
    return undefined;
  }
}

/** Removes one BMC's cache file, or every cache file; returns how many were removed. */
export function clearSdrCache(env: NodeJS.ProcessEnv, target?: { host: string; port: number }): number {
  if (target) {
    const path = sdrCachePath(env, target.host, target.port);
    try {
      rmSync(path);
      return 1;
    } catch {
      return 0;
    }
  }
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(sdrCacheDir(env));
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!name.endsWith('.json') && !name.endsWith('.tmp')) continue;
    rmSync(join(sdrCacheDir(env), name), { force: true });
    n++;
  }
  return n;
}
