// SDR repository (IPMI v2.0 §33): records generated from the config, reservations, partial
// reads, add / partial add / delete / clear, and the addition and erase timestamps that SDR
// caches (FreeIPMI's, ipmitool's -S) key on. Owner: sensors.
//
// Timestamps stay stable across restarts while the generated records do not change, so a
// client's SDR cache stays valid; changes made over IPMI (Add, Delete, Clear) are persisted
// and survive a restart until the config's records change, which starts afresh.

import { encodeSdr } from '../../ipmi/sdr/records.js';
import { CC } from '../../protocol/completion-codes.js';
import { hexOf } from '../store.js';
import { fingerprint, SavedReader } from './persist.js';
import type { BmcCore } from '../core.js';
import { configuredSdrs, defaultSdrConfig, type SdrConfig } from './sensor-records.js';

export { defaultSdrConfig, type SdrConfig };

const STORE_KEY = 'sdr';
const HEADER = 5;
/** The timestamp value meaning "never / unspecified". */
export const NO_TIME = 0xffffffff;
/** Allocation unit of Get SDR Repository Allocation Info. */
export const ALLOCATION_UNIT = 16;
/** The largest record: a 5-byte header and a 255-byte body. */
export const MAX_RECORD = HEADER + 0xff;

interface Saved {
  /** Hash of the configured records the saved state derives from. */
  base: string;
  lastAddTime: number;
  lastEraseTime: number;
  /** Present once the repository was changed over IPMI. */
  records?: string[];
}

/** A completion code (non-zero) or a value. */
export type Result<T> = { cc: number } | { value: T };
const cc = (code: number): { cc: number } => ({ cc: code });

interface PartialAdd {
  recordId: number;
  bytes: number[];
}

export class SdrRepository {
  private readonly bmc: BmcCore;
  private recs: Uint8Array[] = [];
  lastAddTime = NO_TIME;
  lastEraseTime = NO_TIME;
  /** The one valid reservation; 0 = none (cancelled or never made). */
  private reservation = 0;
  private reservationCounter = 0;
  private partial: PartialAdd | undefined;
  private readonly base: string;
  private modified = false;

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    const generated = configuredSdrs(bmc.config).map(encodeSdr);
    this.base = fingerprint(generated);
    const saved = this.load();
    if (saved && saved.base === this.base) {
      this.lastAddTime = saved.lastAddTime;
      this.lastEraseTime = saved.lastEraseTime;
      this.recs = saved.records ?? generated;
      this.modified = saved.records !== undefined;
    } else {
      if (saved) bmc.log.warn('SDR repository regenerated from the config: its sensors changed since the state was saved');
      this.recs = generated;
      this.lastAddTime = bmc.selTime();
      this.save();
    }
  }

  /** The saved repository, checked field by field (a malformed file is a StateError). */
  private load(): { base: string; lastAddTime: number; lastEraseTime: number; records?: Uint8Array[] } | undefined {
    const v = this.bmc.store.load(STORE_KEY);
    if (v === undefined) return undefined;
    const rd = new SavedReader(STORE_KEY);
    const o = rd.object(v, 'sdr');
    const out = {
      base: rd.str(o.base, 'base'),
      lastAddTime: rd.int(o.lastAddTime, 'lastAddTime', 0, NO_TIME),
      lastEraseTime: rd.int(o.lastEraseTime, 'lastEraseTime', 0, NO_TIME),
    };
    if (o.records === undefined) return out;
    const records = rd.array(o.records, 'records').map((r, i) => {
      const b = rd.hex(r, `records[${i}]`);
      if (b.length < HEADER || b.length !== HEADER + b[4]!) rd.fail(`records[${i}]`, 'an SDR whose length matches its header');
      return b;
    });
    return { ...out, records };
  }

  get config(): SdrConfig {
    return this.bmc.config.sdr;
  }

  /** The records, header included, in repository order. */
  get records(): readonly Uint8Array[] {
    return this.recs;
  }

  recordId(rec: Uint8Array): number {
    return rec[0]! | (rec[1]! << 8);
  }

  get usedBytes(): number {
    return this.recs.reduce((n, r) => n + r.length, 0);
  }

  get freeBytes(): number {
    return Math.max(0, this.config.capacity - this.usedBytes);
  }

  private save(): void {
    const s: Saved = { base: this.base, lastAddTime: this.lastAddTime, lastEraseTime: this.lastEraseTime };
    if (this.modified) s.records = this.recs.map(hexOf);
    this.bmc.store.save(STORE_KEY, s);
  }

  /** A repository change: cancels the reservation (§33.11) and is persisted. */
  private changed(): void {
    this.reservation = 0;
    this.modified = true;
    this.save();
  }

  // ---- reservations ---------------------------------------------------------------------

  /** Reserve SDR Repository: a new ID, which cancels any earlier one. */
  reserve(): number {
    this.reservationCounter = this.reservationCounter >= 0xffff ? 1 : this.reservationCounter + 1;
    this.reservation = this.reservationCounter;
    return this.reservation;
  }

  reservationValid(id: number): boolean {
    return id !== 0 && id === this.reservation;
  }

  /** Cancels the current reservation (another requester, or a change). */
  cancelReservation(): void {
    this.reservation = 0;
  }

  // ---- reads ----------------------------------------------------------------------------

  private indexOf(recordId: number): number {
    if (this.recs.length === 0) return -1;
    if (recordId === 0x0000) return 0;
    if (recordId === 0xffff) return this.recs.length - 1;
    return this.recs.findIndex((r) => this.recordId(r) === recordId);
  }

  find(recordId: number): Uint8Array | undefined {
    const i = this.indexOf(recordId);
    return i < 0 ? undefined : this.recs[i];
  }

  /**
   * Get SDR (§33.12): a zero reservation is accepted for reads at offset 0 only; 0xFF bytes
   * means the rest of the record; a read longer than the transport allows answers 0xCA so the
   * client retries with smaller pieces.
   */
  read(req: { reservationId: number; recordId: number; offset: number; count: number }): Result<{ nextRecordId: number; data: Uint8Array }> {
    if (req.reservationId !== 0 ? !this.reservationValid(req.reservationId) : req.offset !== 0) return cc(CC.ReservationCancelled);
    const i = this.indexOf(req.recordId);
    if (i < 0) return cc(CC.NotPresent);
    const rec = this.recs[i]!;
    if (req.offset >= rec.length) return cc(CC.ParameterOutOfRange);
    const n = Math.min(req.count === 0xff ? rec.length : req.count, rec.length - req.offset);
    if (n > this.config.maxReadBytes) return cc(CC.CannotReturnRequestedBytes);
    const next = this.recs[i + 1];
    return { value: { nextRecordId: next ? this.recordId(next) : 0xffff, data: rec.slice(req.offset, req.offset + n) } };
  }

  // ---- changes --------------------------------------------------------------------------

  private nextRecordId(): number {
    const used = new Set(this.recs.map((r) => this.recordId(r)));
    if (this.partial) used.add(this.partial.recordId);
    let id = 1;
    for (const r of this.recs) id = Math.max(id, this.recordId(r) + 1);
    if (id >= 0xffff) for (id = 1; used.has(id); id++);
    return id;
  }

  private store(record: Uint8Array, recordId: number): Result<{ recordId: number }> {
    if (record.length < HEADER || record.length !== HEADER + record[4]!) return cc(CC.InvalidDataField);
    if (record.length > this.freeBytes) return cc(CC.OutOfSpace);
    const r = record.slice();
    r[0] = recordId & 0xff;
    r[1] = recordId >> 8;
    this.recs.push(r);
    this.lastAddTime = this.bmc.selTime();
    this.changed();
    return { value: { recordId } };
  }

  /** Add SDR (§33.13): the BMC assigns the record ID. */
  add(record: Uint8Array): Result<{ recordId: number }> {
    if (record.length > MAX_RECORD) return cc(CC.RequestDataFieldLengthExceeded);
    return this.store(record, this.nextRecordId());
  }

  /**
   * Partial Add SDR (§33.14): the first part (record ID 0, offset 0) starts a record and
   * returns its ID; parts must follow in order; the last one stores the record, which must
   * then be as long as its header says (0x80 otherwise).
   */
  partialAdd(req: { reservationId: number; recordId: number; offset: number; last: boolean; data: Uint8Array }): Result<{ recordId: number }> {
    if (!this.reservationValid(req.reservationId)) return cc(CC.ReservationCancelled);
    if (req.recordId === 0) {
      if (req.offset !== 0) return cc(CC.InvalidDataField);
      this.partial = { recordId: this.nextRecordId(), bytes: [] };
    } else if (!this.partial || this.partial.recordId !== req.recordId) return cc(CC.NotPresent);
    const p = this.partial!;
    if (req.offset !== p.bytes.length) {
      this.partial = undefined;
      return cc(CC.InvalidDataField);
    }
    if (p.bytes.length + req.data.length > MAX_RECORD) {
      this.partial = undefined;
      return cc(CC.RequestDataFieldLengthExceeded);
    }
    p.bytes.push(...req.data);
    if (!req.last) return { value: { recordId: p.recordId } };
    this.partial = undefined;
    const record = Uint8Array.from(p.bytes);
    if (record.length < HEADER || record.length !== HEADER + record[4]!) return cc(0x80);
    return this.store(record, p.recordId);
  }

  /** Delete SDR (§33.15). */
  delete(reservationId: number, recordId: number): Result<{ recordId: number }> {
    if (!this.reservationValid(reservationId)) return cc(CC.ReservationCancelled);
    const i = recordId === 0 || recordId === 0xffff ? -1 : this.indexOf(recordId);
    if (i < 0) return cc(CC.NotPresent);
    this.recs.splice(i, 1);
    this.lastEraseTime = this.bmc.selTime();
    this.changed();
    return { value: { recordId } };
  }

  /** Clear SDR Repository (§33.16): erasing completes at once. */
  clear(): void {
    this.recs = [];
    this.partial = undefined;
    this.lastEraseTime = this.bmc.selTime();
    this.changed();
  }
}
