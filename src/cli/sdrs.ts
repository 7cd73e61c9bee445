// Where a client command gets its SDRs: a dump file given with -S (ipmitool's only cache), the
// SDR cache when the BMC's repository has not changed since it was written, or the BMC itself
// (then the cache is refreshed). --no-cache skips the cache both ways. A spinner shows progress
// while records are fetched, on an interactive stderr only.

import { readFileSync } from 'node:fs';
import type { LanClient } from '../client/lan-client.js';
import { UsageError } from '../client/errors.js';
import { loadSdrCache, saveSdrCache } from '../client/sdr-cache.js';
import { readSdrRecords, sdrRepositoryState, type SdrRepositoryState } from '../client/sdr-repository.js';
import { decodeSdr, decodeSdrHeader, splitSdrs, type SdrRecord } from '../ipmi/sdr/records.js';
import type { ConnectionSettings } from './connection.js';
import type { GlobalOptions } from './global-options.js';
import type { CliIo } from './io.js';
import { startSpinner } from './output/spinner.js';

export interface SdrEntry {
  /** Header and body as read (what `sdr dump` writes). */
  bytes: Uint8Array;
  record: SdrRecord;
}

export interface LoadedSdrs {
  entries: SdrEntry[];
  source: 'file' | 'cache' | 'bmc';
  /** The repository state the records belong to (not for -S files). */
  state?: SdrRepositoryState;
}

/** Decodes a record; one that does not decode is kept as an uninterpreted record of its type. */
export function decodeEntry(bytes: Uint8Array): SdrEntry {
  try {
    return { bytes, record: decodeSdr(bytes) };
  } catch {
    const h = decodeSdrHeader(bytes);
    return { bytes, record: { kind: 'raw', recordId: h.recordId, sdrVersion: h.sdrVersion, recordType: h.recordType, body: bytes.slice(5) } };
  }
}

/** Reads an `sdr dump` file (-S). */
export function readSdrFile(path: string): SdrEntry[] {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new UsageError(`Unable to open SDR cache ${path} for reading: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return splitSdrs(new Uint8Array(data)).map(decodeEntry);
  } catch (e) {
    throw new UsageError(`${path}: not an SDR dump (${(e as Error).message})`);
  }
}

export async function loadSdrs(io: CliIo, o: GlobalOptions, client: LanClient, settings: ConnectionSettings): Promise<LoadedSdrs> {
  if (o.S !== undefined) return { entries: readSdrFile(o.S), source: 'file' };
  const state = await sdrRepositoryState(client);
  const useCache = o.cache !== false;
  if (useCache) {
    const cached = loadSdrCache(io.env, settings.host, settings.port, state);
    if (cached) {
      if (o.verbose > 0) io.err(`Using cached SDRs of ${settings.host}:${settings.port} (${cached.length} records)\n`);
      return { entries: cached.map(decodeEntry), source: 'cache', state };
    }
  }
  const spinner = await startSpinner('Reading SDR repository', { enabled: io.stderrIsTTY && !o.json && o.output !== 'json' });
  let records: Uint8Array[];
  try {
    ({ records } = await readSdrRecords(client, state, { onProgress: (n, total) => spinner.text(`Reading SDR ${n} of ${total}`) }));
  } finally {
    spinner.stop();
  }
  if (useCache) {
    const path = saveSdrCache(io.env, settings.host, settings.port, state, records);
    if (o.verbose > 0) io.err(path ? `Cached ${records.length} SDRs in ${path}\n` : 'Could not write the SDR cache\n');
  }
  return { entries: records.map(decodeEntry), source: 'bmc', state };
}

/** ipmitool's lookup by ID string: the first sensor or locator record whose ID matches exactly. */
export function findSdrById(entries: readonly SdrEntry[], id: string): SdrEntry | undefined {
  return entries.find((e) => e.record.kind !== 'raw' && e.record.idString === id);
}
