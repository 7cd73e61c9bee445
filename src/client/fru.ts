// FRU inventory access (IPMI v2.0 §34): Get FRU Inventory Area Info, then Read/Write FRU Data in
// chunks. Chunks start at 32 bytes, under the 32-byte IPMB message many BMCs (ipmi_sim among
// them) size their buffers by, and shrink when the BMC answers C7h/C8h/CAh, as ipmitool does.
// Word-access devices take offsets and counts in 16-bit words.

import type { LanClient } from './lan-client.js';
import { IpmiCompletionError, IpmiError } from './errors.js';
import { decodeWith, encodeWith } from '../ipmi/spec.js';
import { getFruInventoryAreaInfo, readFruData, writeFruData, type FruAreaInfo } from '../ipmi/commands/storage.js';
import { CC } from '../protocol/completion-codes.js';

const TOO_BIG: ReadonlySet<number> = new Set([CC.RequestDataLengthInvalid, CC.RequestDataFieldLengthExceeded, CC.CannotReturnRequestedBytes]);
const FIRST_CHUNK = 32;
const MIN_CHUNK = 2;

export class FruDevice {
  readonly client: LanClient;
  readonly fruId: number;
  readonly info: FruAreaInfo;
  private chunk = FIRST_CHUNK;

  private constructor(client: LanClient, fruId: number, info: FruAreaInfo) {
    this.client = client;
    this.fruId = fruId;
    this.info = info;
  }

  /** Get FRU Inventory Area Info; throws IpmiCompletionError (e.g. CBh: no such device). */
  static async open(client: LanClient, fruId: number): Promise<FruDevice> {
    return new FruDevice(client, fruId, await client.invoke(getFruInventoryAreaInfo, { fruId }));
  }

  private shrink(): boolean {
    if (this.chunk <= MIN_CHUNK) return false;
    this.chunk = this.chunk > 8 ? this.chunk - 8 : this.chunk - 1;
    return true;
  }

  /**
   * Reads `length` bytes from `offset` (clipped to the area size). A device that returns fewer
   * bytes than asked is read on from where it stopped; one that returns none ends the read early.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const r = await this.readUpTo(offset, length);
    if (r.failure) throw r.failure;
    return r.data;
  }

  /** Like read(), but a completion code ends the read instead of failing it: the bytes so far (zero-filled to the length) and the error. */
  async readUpTo(offset: number, length: number): Promise<{ data: Uint8Array; read: number; failure?: IpmiCompletionError }> {
    const end = Math.min(offset + length, this.info.size);
    const out = new Uint8Array(Math.max(0, end - offset));
    const word = this.info.wordAccess ? 2 : 1;
    let at = offset;
    while (at < end) {
      let count = Math.min(this.chunk, end - at);
      if (word === 2) count &= ~1;
      const r = await this.client.request(readFruData.netFn, readFruData.cmd, encodeWith(readFruData.request, { fruId: this.fruId, offset: at / word, count: Math.max(1, count / word) }));
      if (r.cc !== 0) {
        if (TOO_BIG.has(r.cc) && this.shrink()) continue;
        return { data: out, read: at - offset, failure: new IpmiCompletionError(r.cc, readFruData.netFn, readFruData.cmd, readFruData.name, readFruData.completionCodes) };
      }
      const data = decodeWith(readFruData.response, r.data).data;
      if (data.length === 0) break;
      const n = Math.min(data.length, end - at);
      out.set(data.subarray(0, n), at - offset);
      at += n;
    }
    return { data: out, read: at - offset };
  }

  /** Writes `data` at `offset`; returns the bytes written. */
  async write(offset: number, data: Uint8Array): Promise<number> {
    if (offset + data.length > this.info.size) throw new IpmiError(`${data.length} bytes at offset ${offset} do not fit FRU ${this.fruId} (${this.info.size} bytes)`);
    const word = this.info.wordAccess ? 2 : 1;
    let at = 0;
    while (at < data.length) {
      let count = Math.min(this.chunk, data.length - at);
      if (word === 2) count &= ~1;
      const part = data.subarray(at, at + count);
      const r = await this.client.request(writeFruData.netFn, writeFruData.cmd, encodeWith(writeFruData.request, { fruId: this.fruId, offset: (offset + at) / word, data: part }));
      if (r.cc !== 0) {
        if (TOO_BIG.has(r.cc) && this.shrink()) continue;
        throw new IpmiCompletionError(r.cc, writeFruData.netFn, writeFruData.cmd, writeFruData.name, writeFruData.completionCodes);
      }
      const written = decodeWith(writeFruData.response, r.data).written * word;
      if (written === 0) throw new IpmiError(`Write FRU Data at offset ${offset + at}: the BMC wrote nothing`);
      at += Math.min(written, count);
    }
    return at;
  }
}
