// Reading a BMC's Sensor Data Records (IPMI v2.0 §33; device SDRs §35.2-35.4): each record in
// one Get SDR of the whole record (bytes to read FFh) as FreeIPMI does, falling back to the
// 5-byte header plus small chunks when the BMC cannot return that much (CAh, FFh, C7h/C8h, a
// short answer or none), and re-reserving when a reservation is cancelled (C5h). Reads at offset
// 0 need no reservation, so a whole-record reader reserves only when it first falls back.

import type { LanClient } from './lan-client.js';
import { IpmiCompletionError, IpmiError, IpmiTimeoutError } from './errors.js';
import { decodeWith, encodeWith, type CommandSpec } from '../ipmi/spec.js';
import { getSdr, getSdrRepositoryInfo, reserveSdrRepository, type GetSdrRequest, type GetSdrResponse, type SdrRepositoryInfo } from '../ipmi/commands/sdr-repository.js';
import { getDeviceSdr, getDeviceSdrInfo, reserveDeviceSdrRepository } from '../ipmi/commands/sensor-event.js';
import { decodeSdrHeader, SDR_HEADER_LENGTH } from '../ipmi/sdr/records.js';
import { CC } from '../protocol/completion-codes.js';

/** Where the records live: the BMC's SDR repository, or a controller's device SDRs. */
export type SdrRepositoryKind = 'repository' | 'device';

export interface SdrRepositoryState {
  kind: SdrRepositoryKind;
  /** Get SDR Repository Info record count, or Get Device SDR Info's SDR count. */
  recordCount: number;
  /** Repository: most recent addition / erase timestamps. Device SDRs: population change, twice. */
  lastAddTime: number;
  lastEraseTime: number;
  /** The Get SDR Repository Info answer (repository kind only). */
  info?: SdrRepositoryInfo;
}

/** Completion codes that mean "ask for fewer bytes" (ipmitool, FreeIPMI). */
const TOO_BIG: ReadonlySet<number> = new Set([CC.CannotReturnRequestedBytes, CC.Unspecified, CC.RequestDataLengthInvalid, CC.RequestDataFieldLengthExceeded]);
const WHOLE_RECORD = 0xff;
const FIRST_CHUNK = 16;
const MAX_RESERVATION_RETRIES = 8;
const LAST_RECORD = 0xffff;

/**
 * Asks the BMC which repository to read and its current state: Get SDR Repository Info, or, on a
 * controller without a repository (C1h), Get Device SDR Info.
 */
export async function sdrRepositoryState(client: LanClient): Promise<SdrRepositoryState> {
  const r = await client.request(getSdrRepositoryInfo.netFn, getSdrRepositoryInfo.cmd);
  if (r.cc === 0) {
    const info = decodeWith(getSdrRepositoryInfo.response, r.data);
    return { kind: 'repository', recordCount: info.recordCount, lastAddTime: info.lastAddTime, lastEraseTime: info.lastEraseTime, info };
  }
  if (r.cc !== CC.InvalidCommand) throw new IpmiCompletionError(r.cc, getSdrRepositoryInfo.netFn, getSdrRepositoryInfo.cmd, 'Get SDR Repository Info');
  const d = await client.invoke(getDeviceSdrInfo, { sdrCount: true });
  return { kind: 'device', recordCount: d.count, lastAddTime: d.populationChange, lastEraseTime: d.populationChange };
}

export interface ReadSdrOptions {
  /** Called after each record: records read so far, and the count the BMC announced. */
  onProgress?: (read: number, total: number) => void;
  /** Start with chunked reads (for tests and for BMCs known to need them). */
  chunked?: boolean;
}

export interface ReadSdrStats {
  /** Get SDR requests sent. */
  requests: number;
  /** Whether the reader had to fall back to chunked reads. */
  chunked: boolean;
}

/** Reads every record (header + body bytes), in repository order. */
export async function readSdrRecords(client: LanClient, state: SdrRepositoryState, opts: ReadSdrOptions = {}): Promise<{ records: Uint8Array[]; stats: ReadSdrStats }> {
  const reader = new SdrReader(client, state.kind, opts.chunked ?? false);
  const records: Uint8Array[] = [];
  const seen = new Set<number>();
  let id = 0;
  while (id !== LAST_RECORD) {
    if (seen.has(id)) throw new IpmiError(`SDR repository loops: record ID 0x${id.toString(16).padStart(4, '0')} comes twice`);
    seen.add(id);
    const { next, bytes } = await reader.record(id);
    records.push(bytes);
    opts.onProgress?.(records.length, state.recordCount);
    id = next;
  }
  return { records, stats: { requests: reader.requests, chunked: !reader.whole } };
}

class SdrReader {
  private readonly client: LanClient;
  private readonly spec: CommandSpec<GetSdrRequest, GetSdrResponse>;
  private readonly reserveSpec: CommandSpec<Record<string, never>, { reservationId: number }>;
  private reservationId = 0;
  private reserved = false;
  whole: boolean;
  private chunk = FIRST_CHUNK;
  requests = 0;

  constructor(client: LanClient, kind: SdrRepositoryKind, chunked: boolean) {
    this.client = client;
    this.spec = kind === 'device' ? getDeviceSdr : getSdr;
    this.reserveSpec = kind === 'device' ? reserveDeviceSdrRepository : reserveSdrRepository;
    this.whole = !chunked;
  }

  /** A BMC without Reserve (C1h) is read with reservation 0, as the spec allows for some reads. */
  private async reserve(): Promise<void> {
    this.reserved = true;
    const r = await this.client.request(this.reserveSpec.netFn, this.reserveSpec.cmd);
    if (r.cc === 0) this.reservationId = decodeWith(this.reserveSpec.response, r.data).reservationId;
  }

  /** One Get SDR; C5h (reservation cancelled) re-reserves and retries. */
  private async get(recordId: number, offset: number, count: number): Promise<{ cc: number; res?: GetSdrResponse }> {
    for (let attempt = 0; ; attempt++) {
      if (offset > 0 && !this.reserved) await this.reserve();
      this.requests++;
      const r = await this.client.request(this.spec.netFn, this.spec.cmd, encodeWith(this.spec.request, { reservationId: this.reservationId, recordId, offset, count }));
      if (r.cc === CC.ReservationCancelled && attempt < MAX_RESERVATION_RETRIES) {
        await this.reserve();
        continue;
      }
      if (r.cc !== 0) return { cc: r.cc };
      return { cc: 0, res: decodeWith(this.spec.response, r.data) };
    }
  }

  private fail(cc: number, recordId: number): never {
    throw new IpmiCompletionError(cc, this.spec.netFn, this.spec.cmd, `${this.spec.name} 0x${recordId.toString(16).padStart(4, '0')}`);
  }

  async record(recordId: number): Promise<{ next: number; bytes: Uint8Array }> {
    if (this.whole) {
      let r: { cc: number; res?: GetSdrResponse } | undefined;
      try {
        r = await this.get(recordId, 0, WHOLE_RECORD);
      } catch (e) {
        // Some BMCs drop an answer too big for their transport instead of saying so.
        if (!(e instanceof IpmiTimeoutError)) throw e;
      }
      if (r?.res && r.res.data.length >= SDR_HEADER_LENGTH) {
        const want = SDR_HEADER_LENGTH + decodeSdrHeader(r.res.data).length;
        if (r.res.data.length >= want) return { next: r.res.nextRecordId, bytes: r.res.data.slice(0, want) };
      } else if (r && r.cc !== 0 && !TOO_BIG.has(r.cc)) {
        this.fail(r.cc, recordId);
      }
      this.whole = false;
    }
    return this.chunked(recordId);
  }

  private async chunked(recordId: number): Promise<{ next: number; bytes: Uint8Array }> {
    const head = await this.get(recordId, 0, SDR_HEADER_LENGTH);
    if (!head.res) this.fail(head.cc, recordId);
    if (head.res.data.length < SDR_HEADER_LENGTH) throw new IpmiError(`${this.spec.name} 0x${recordId.toString(16)}: short header (${head.res.data.length} bytes)`);
    const length = decodeSdrHeader(head.res.data).length;
    const out = new Uint8Array(SDR_HEADER_LENGTH + length);
    out.set(head.res.data.subarray(0, SDR_HEADER_LENGTH));
    let offset = SDR_HEADER_LENGTH;
    while (offset < out.length) {
      const count = Math.min(this.chunk, out.length - offset);
      const r = await this.get(recordId, offset, count);
      if (!r.res) {
        if (TOO_BIG.has(r.cc) && this.chunk > 1) {
          this.chunk = Math.max(1, this.chunk - 4);
          continue;
        }
        this.fail(r.cc, recordId);
      }
      const got = r.res.data.subarray(0, count);
      if (got.length === 0) throw new IpmiError(`${this.spec.name} 0x${recordId.toString(16)}: no data at offset ${offset}`);
      out.set(got, offset);
      offset += got.length;
    }
    return { next: head.res.nextRecordId, bytes: out };
  }
}
