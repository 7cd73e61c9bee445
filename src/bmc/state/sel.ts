// System Event Log (IPMI v2.0 §31). The BMC assigns record IDs and, for record types 02h and
// C0h-DFh, the timestamp when it stores a record (§31.6). Every change is saved through the
// StateStore before the command that caused it is answered, so an acknowledged add, delete or
// clear survives a crash.
//
// Reservations (§31.4): Reserve SEL hands out a new ID and cancels the previous one; deleting
// an entry or clearing the log cancels it too. Adding entries does not (events keep arriving
// while a console reads the log, and SEL records never move). Only one reservation is live.

import type { BmcCore } from '../core.js';
import { hexOf } from '../store.js';
import { SavedReader } from './persist.js';

export interface SelConfig {
  /** Maximum number of 16-byte entries. */
  capacity: number;
}

export const defaultSelConfig = (): SelConfig => ({ capacity: 512 });

export const SEL_RECORD_SIZE = 16;
/** Record types the BMC accepts from Add SEL Entry: system event, OEM timestamped / not. */
export const SYSTEM_EVENT_RECORD = 0x02;
export const isTimestamped = (type: number): boolean => type === SYSTEM_EVENT_RECORD || (type >= 0xc0 && type <= 0xdf);
export const isSupportedRecordType = (type: number): boolean => type === SYSTEM_EVENT_RECORD || type >= 0xc0;

export interface SelEntry {
  id: number;
  record: Uint8Array;
}

/** The UTC offset value meaning "unspecified" (§31.11a). */
const UTC_UNSPECIFIED = 0x07ff;
const NEVER = 0xffffffff;
const KEY = 'sel';

interface PartialAdd {
  reservationId: number;
  recordId: number;
  bytes: Uint8Array;
  written: number;
}

export class Sel {
  private readonly bmc: BmcCore;
  entries: SelEntry[] = [];
  private nextId = 1;
  overflow = false;
  lastAddTime = NEVER;
  lastEraseTime = NEVER;
  /** Get/Set SEL Time UTC Offset, minutes; 0x7FF = unspecified. */
  utcOffset = UTC_UNSPECIFIED;
  private reservationId = 0;
  private reservationValid = false;
  /** The reservation that started the last erase: its status query keeps working (§31.9). */
  private eraseReservationId = 0;
  private partial: PartialAdd | undefined;
  /** Told of every record stored, after it is saved (Redfish's event stream listens here). */
  readonly addListeners = new Set<(entry: SelEntry) => void>();

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    this.load();
  }

  get capacity(): number {
    return this.bmc.config.sel.capacity;
  }

  get full(): boolean {
    return this.entries.length >= this.capacity;
  }

  /** Free space in bytes as Get SEL Info reports it (FFFFh = 65535 or more). */
  get freeBytes(): number {
    return Math.min(0xffff, Math.max(0, this.capacity - this.entries.length) * SEL_RECORD_SIZE);
  }

  // ---- records ----------------------------------------------------------------------------

  /**
   * Stores a record from a BMC subsystem (sensor events, the watchdog). Returns its ID, or
   * undefined when the SEL is full (the overflow flag is then set) or could not be saved.
   */
  add(record: Uint8Array): number | undefined {
    try {
      return this.store(record);
    } catch (e) {
      this.bmc.log.warn('SEL entry not stored', { error: e instanceof Error ? e.message : String(e) });
      return undefined;
    }
  }

  /**
   * Stores a record: assigns the ID (and the timestamp for timestamped types) and saves the
   * log. Returns undefined when full. Throws when the log cannot be saved (nothing changes).
   */
  store(record: Uint8Array, id?: number): number | undefined {
    if (this.full) {
      if (!this.overflow) this.change(() => (this.overflow = true));
      return undefined;
    }
    const r = new Uint8Array(SEL_RECORD_SIZE);
    r.set(record.subarray(0, SEL_RECORD_SIZE));
    const recordId = id ?? this.allocateId();
    r[0] = recordId & 0xff;
    r[1] = recordId >> 8;
    const now = this.bmc.selTime();
    if (isTimestamped(r[2]!)) new DataView(r.buffer).setUint32(3, now, true);
    const entry = { id: recordId, record: r };
    this.change(() => {
      this.entries.push(entry);
      this.lastAddTime = now;
      if (id === undefined || id === this.nextId) this.nextId = this.after(recordId);
    });
    for (const l of this.addListeners) l(entry);
    return recordId;
  }

  private after(id: number): number {
    return id >= 0xfffe ? 1 : id + 1;
  }

  /** The next free record ID (never 0000h or FFFFh); does not consume it. */
  private allocateId(): number {
    let id = this.nextId;
    const used = new Set(this.entries.map((e) => e.id));
    if (this.partial) used.add(this.partial.recordId);
    while (used.has(id)) id = this.after(id);
    return id;
  }

  /** The entry for a record ID (0000h = first, FFFFh = last) and the ID of the one after it. */
  find(recordId: number): { entry: SelEntry; nextId: number } | undefined {
    const n = this.entries.length;
    if (n === 0) return undefined;
    const i = recordId === 0x0000 ? 0 : recordId === 0xffff ? n - 1 : this.entries.findIndex((e) => e.id === recordId);
    if (i < 0) return undefined;
    return { entry: this.entries[i]!, nextId: i + 1 < n ? this.entries[i + 1]!.id : 0xffff };
  }

  /** Deletes one entry; returns its ID or undefined when there is no such entry. */
  delete(recordId: number): number | undefined {
    const found = this.find(recordId);
    if (!found) return undefined;
    const id = found.entry.id;
    this.change(() => {
      this.entries = this.entries.filter((e) => e.id !== id);
      this.lastEraseTime = this.bmc.selTime();
      this.overflow = false;
      this.reservationValid = false;
    });
    return id;
  }

  /** Erases the whole log (done at once: the erase is never "in progress" afterwards). */
  clear(reservationId: number): void {
    this.change(() => {
      this.entries = [];
      this.nextId = 1;
      this.overflow = false;
      this.lastEraseTime = this.bmc.selTime();
      this.partial = undefined;
      this.eraseReservationId = reservationId;
      this.reservationValid = false;
    });
  }

  // ---- reservations -----------------------------------------------------------------------

  reserve(): number {
    this.reservationId = this.reservationId >= 0xffff ? 1 : this.reservationId + 1;
    this.reservationValid = true;
    this.eraseReservationId = 0;
    return this.reservationId;
  }

  /** A reservation ID that is the live one. 0000h is never valid. */
  isReserved(id: number): boolean {
    return id !== 0 && this.reservationValid && id === this.reservationId;
  }

  /** Clear SEL "get erasure status" also answers the reservation that started the erase. */
  canQueryErase(id: number): boolean {
    return this.isReserved(id) || (id !== 0 && id === this.eraseReservationId);
  }

  // ---- Partial Add SEL Entry (§31.7) ------------------------------------------------------

  /**
   * One part of a record. The first part (record ID 0000h, offset 0) gets the record ID the
   * BMC will use; later parts name it and continue at the next offset; the record is stored
   * when the last part arrives. Returns the record ID or a completion code.
   */
  partialAdd(req: { reservationId: number; recordId: number; offset: number; last: boolean; data: Uint8Array }): { recordId: number } | { cc: number } {
    if (!this.isReserved(req.reservationId)) return { cc: 0xc5 };
    let p = this.partial;
    if (req.recordId === 0x0000) {
      if (req.offset !== 0) return { cc: 0xcc };
      if (this.full) {
        if (!this.overflow) this.change(() => (this.overflow = true));
        return { cc: 0xc4 };
      }
      p = { reservationId: req.reservationId, recordId: 0, bytes: new Uint8Array(SEL_RECORD_SIZE), written: 0 };
      this.partial = undefined;
      p.recordId = this.allocateId();
      this.partial = p;
    } else if (!p || p.recordId !== req.recordId || p.reservationId !== req.reservationId) {
      return { cc: 0xcb };
    } else if (req.offset !== p.written) {
      return { cc: 0xcc };
    }
    if (p.written + req.data.length > SEL_RECORD_SIZE) {
      this.partial = undefined;
      return { cc: 0x80 };
    }
    p.bytes.set(req.data, p.written);
    p.written += req.data.length;
    if (!req.last) return { recordId: p.recordId };
    this.partial = undefined;
    if (p.written !== SEL_RECORD_SIZE) return { cc: 0x80 };
    if (!isSupportedRecordType(p.bytes[2]!)) return { cc: 0x80 };
    const id = this.store(p.bytes, p.recordId);
    return id === undefined ? { cc: 0xc4 } : { recordId: id };
  }

  // ---- time -------------------------------------------------------------------------------

  /** Set SEL Time: the SEL clock keeps running from the given second (persisted). */
  setTime(seconds: number): void {
    const offset = seconds - Math.floor(this.bmc.clock.now() / 1000);
    this.change(() => (this.bmc.selTimeOffset = offset));
  }

  setUtcOffset(minutes: number): void {
    this.change(() => (this.utcOffset = minutes));
  }

  // ---- persistence ------------------------------------------------------------------------

  private snapshot(): Record<string, unknown> {
    return {
      version: 1,
      nextId: this.nextId,
      overflow: this.overflow,
      lastAddTime: this.lastAddTime,
      lastEraseTime: this.lastEraseTime,
      timeOffset: this.bmc.selTimeOffset,
      utcOffset: this.utcOffset,
      entries: this.entries.map((e) => hexOf(e.record)),
    };
  }

  /** Applies a change and saves it; if saving fails the change is undone and the error thrown. */
  private change(fn: () => void): void {
    const before = this.snapshot();
    const volatile = { reservationValid: this.reservationValid, eraseReservationId: this.eraseReservationId, partial: this.partial };
    fn();
    try {
      this.bmc.store.save(KEY, this.snapshot());
    } catch (e) {
      this.restore(before);
      Object.assign(this, volatile);
      throw e;
    }
  }

  private load(): void {
    const saved = this.bmc.store.load(KEY);
    if (saved === undefined) return;
    this.restore(saved);
  }

  private restore(saved: unknown): void {
    const rd = new SavedReader(KEY);
    const o = rd.object(saved, 'sel');
    rd.int(o.version, 'version', 1, 1);
    const entries: SelEntry[] = [];
    const seen = new Set<number>();
    rd.array(o.entries, 'entries').forEach((h, i) => {
      const record = rd.hex(h, `entries[${i}]`, SEL_RECORD_SIZE);
      const id = record[0]! | (record[1]! << 8);
      if (id === 0 || id === 0xffff || seen.has(id)) rd.fail(`entries[${i}]`, `a record with a unique ID (got ${id})`);
      seen.add(id);
      entries.push({ id, record });
    });
    this.entries = entries;
    this.nextId = rd.int(o.nextId, 'nextId', 1, 0xfffe);
    this.overflow = rd.bool(o.overflow, 'overflow');
    this.lastAddTime = rd.int(o.lastAddTime, 'lastAddTime', 0, NEVER);
    this.lastEraseTime = rd.int(o.lastEraseTime, 'lastEraseTime', 0, NEVER);
    this.bmc.selTimeOffset = rd.int(o.timeOffset, 'timeOffset', -(2 ** 33), 2 ** 33);
    const utc = rd.int(o.utcOffset, 'utcOffset', -1440, UTC_UNSPECIFIED);
    if (utc > 1440 && utc !== UTC_UNSPECIFIED) rd.fail('utcOffset', 'minutes from -1440 to 1440, or 2047');
    this.utcOffset = utc;
  }
}
