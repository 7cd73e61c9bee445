// Storage netFn (0x0A) commands: FRU (IPMI v2.0 §34), SEL (§31), and the codecs the SEL and
// the SDR repository (sdr-repository.ts, §33) share. Privileges follow Appendix G: reading is
// USER, changing is OPERATOR.

import { Privilege, defineCommand, EMPTY, NetFn, type AnySpec, type Codec } from '../spec.js';

const { User, Operator } = Privilege;

// ---- FRU (§34) -------------------------------------------------------------------------------

export interface FruAreaInfo {
  /** Inventory area size in bytes. */
  size: number;
  /** Device is accessed by 16-bit words (offsets and counts are then in words). */
  wordAccess: boolean;
}
export const getFruInventoryAreaInfo = defineCommand<{ fruId: number }, FruAreaInfo>({
  name: 'Get FRU Inventory Area Info',
  netFn: NetFn.Storage,
  cmd: 0x10,
  access: User,
  minRequestLength: 1,
  maxRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.fruId), decode: (r) => ({ fruId: r.u8() }) },
  response: {
    encode: (w, v) => void w.u16(v.size).u8(v.wordAccess ? 1 : 0),
    decode: (r) => ({ size: r.u16(), wordAccess: (r.u8() & 1) !== 0 }),
  },
});

export const readFruData = defineCommand<{ fruId: number; offset: number; count: number }, { data: Uint8Array }>({
  name: 'Read FRU Data',
  netFn: NetFn.Storage,
  cmd: 0x11,
  access: User,
  minRequestLength: 4,
  maxRequestLength: 4,
  request: {
    encode: (w, v) => void w.u8(v.fruId).u16(v.offset).u8(v.count),
    decode: (r) => ({ fruId: r.u8(), offset: r.u16(), count: r.u8() }),
  },
  response: {
    // Byte 2 is the count returned; the data follows.
    encode: (w, v) => void w.u8(v.data.length).bytes(v.data),
    decode(r) {
      const n = r.u8();
      return { data: r.bytes(Math.min(n, r.remaining)).slice() };
    },
  },
  completionCodes: { 0x81: 'FRU device busy' },
});

export const writeFruData = defineCommand<{ fruId: number; offset: number; data: Uint8Array }, { written: number }>({
  name: 'Write FRU Data',
  netFn: NetFn.Storage,
  cmd: 0x12,
  access: Operator,
  minRequestLength: 3,
  request: {
    encode: (w, v) => void w.u8(v.fruId).u16(v.offset).bytes(v.data),
    decode: (r) => ({ fruId: r.u8(), offset: r.u16(), data: r.rest().slice() }),
  },
  response: { encode: (w, v) => void w.u8(v.written), decode: (r) => ({ written: r.u8() }) },
  completionCodes: { 0x80: 'write-protected offset', 0x81: 'FRU device busy' },
});

// ---- SEL (§31) -------------------------------------------------------------------------------

/** Get SEL Info byte 14 (Table 31-2). */
export const SelOperations = { AllocationInfo: 0x01, Reserve: 0x02, PartialAdd: 0x04, Delete: 0x08, Overflow: 0x80 } as const;

export interface SelInfo {
  /** 0x51 = IPMI v1.5/v2.0 SEL. */
  version: number;
  entries: number;
  /** Free space in bytes; 0xFFFF means 65535 or more. */
  freeBytes: number;
  /** Most recent addition / erase timestamps; 0xFFFFFFFF = never. */
  lastAddTime: number;
  lastEraseTime: number;
  /** Overflow flag and supported operations (SelOperations bits). */
  operations: number;
}
export const getSelInfo = defineCommand<Record<string, never>, SelInfo>({
  name: 'Get SEL Info',
  netFn: NetFn.Storage,
  cmd: 0x40,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: {
    encode: (w, v) => void w.u8(v.version).u16(v.entries).u16(v.freeBytes).u32(v.lastAddTime).u32(v.lastEraseTime).u8(v.operations),
    decode: (r) => ({ version: r.u8(), entries: r.u16(), freeBytes: r.u16(), lastAddTime: r.u32(), lastEraseTime: r.u32(), operations: r.u8() }),
  },
});

/** Get SEL / SDR Repository Allocation Info response (Tables 31-3 and 33-2 are the same). */
export interface AllocationInfo {
  allocationUnits: number;
  unitSize: number;
  freeUnits: number;
  largestFreeBlock: number;
  /** Maximum record size in allocation units. */
  maxRecordSize: number;
}
export const allocationInfoCodec: Codec<AllocationInfo> = {
  encode: (w, v) => void w.u16(v.allocationUnits).u16(v.unitSize).u16(v.freeUnits).u16(v.largestFreeBlock).u8(v.maxRecordSize),
  decode: (r) => ({ allocationUnits: r.u16(), unitSize: r.u16(), freeUnits: r.u16(), largestFreeBlock: r.u16(), maxRecordSize: r.u8() }),
};

export const getSelAllocationInfo = defineCommand<Record<string, never>, AllocationInfo>({
  name: 'Get SEL Allocation Info',
  netFn: NetFn.Storage,
  cmd: 0x41,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: allocationInfoCodec,
});

/** Reserve SEL / Reserve (Device) SDR Repository response. */
export const reservationIdCodec: Codec<{ reservationId: number }> = {
  encode: (w, v) => void w.u16(v.reservationId),
  decode: (r) => ({ reservationId: r.u16() }),
};

export const reserveSel = defineCommand<Record<string, never>, { reservationId: number }>({
  name: 'Reserve SEL',
  netFn: NetFn.Storage,
  cmd: 0x42,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: reservationIdCodec,
  completionCodes: { 0x81: 'cannot execute command, SEL erase in progress' },
});

/** Record ID 0000h: the first entry; FFFFh: the last entry (and "no next entry" in responses). */
export const SEL_FIRST = 0x0000;
export const SEL_LAST = 0xffff;

export interface GetSelEntryRequest {
  /** Required (non-zero) only for a read from a non-zero offset. */
  reservationId: number;
  recordId: number;
  offset: number;
  /** 0xFF = the whole record. */
  count: number;
}
export const getSelEntry = defineCommand<GetSelEntryRequest, { nextRecordId: number; data: Uint8Array }>({
  name: 'Get SEL Entry',
  netFn: NetFn.Storage,
  cmd: 0x43,
  access: User,
  minRequestLength: 6,
  maxRequestLength: 6,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).u16(v.recordId).u8(v.offset).u8(v.count),
    decode: (r) => ({ reservationId: r.u16(), recordId: r.u16(), offset: r.u8(), count: r.u8() }),
  },
  response: {
    encode: (w, v) => void w.u16(v.nextRecordId).bytes(v.data),
    decode: (r) => ({ nextRecordId: r.u16(), data: r.rest().slice() }),
  },
  completionCodes: { 0x81: 'cannot execute command, SEL erase in progress' },
});

export const addSelEntry = defineCommand<{ record: Uint8Array }, { recordId: number }>({
  name: 'Add SEL Entry',
  netFn: NetFn.Storage,
  cmd: 0x44,
  access: Operator,
  minRequestLength: 16,
  maxRequestLength: 16,
  request: { encode: (w, v) => void w.padded(v.record, 16), decode: (r) => ({ record: r.bytes(16).slice() }) },
  response: { encode: (w, v) => void w.u16(v.recordId), decode: (r) => ({ recordId: r.u16() }) },
  completionCodes: { 0x80: 'operation not supported for this record type', 0x81: 'cannot execute command, SEL erase in progress' },
});

export interface PartialAddSelEntryRequest {
  reservationId: number;
  /** 0000h for the first part of a new record, then the ID the first part returned. */
  recordId: number;
  offset: number;
  /** The last part of the record is in this request (byte 6 bits [3:0] = 1). */
  last: boolean;
  data: Uint8Array;
}
export const partialAddSelEntry = defineCommand<PartialAddSelEntryRequest, { recordId: number }>({
  name: 'Partial Add SEL Entry',
  netFn: NetFn.Storage,
  cmd: 0x45,
  access: Operator,
  minRequestLength: 6,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).u16(v.recordId).u8(v.offset).u8(v.last ? 1 : 0).bytes(v.data),
    decode(r) {
      const reservationId = r.u16();
      const recordId = r.u16();
      const offset = r.u8();
      const progress = r.u8() & 0x0f;
      if (progress > 1) throw new RangeError('in-progress value');
      return { reservationId, recordId, offset, last: progress === 1, data: r.rest().slice() };
    },
  },
  response: { encode: (w, v) => void w.u16(v.recordId), decode: (r) => ({ recordId: r.u16() }) },
  completionCodes: {
    0x80: 'record rejected: length mismatch between record header and bytes written',
    0x81: 'cannot execute command, SEL erase in progress',
  },
});

export const deleteSelEntry = defineCommand<{ reservationId: number; recordId: number }, { recordId: number }>({
  name: 'Delete SEL Entry',
  netFn: NetFn.Storage,
  cmd: 0x46,
  access: Operator,
  minRequestLength: 4,
  maxRequestLength: 4,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).u16(v.recordId),
    decode: (r) => ({ reservationId: r.u16(), recordId: r.u16() }),
  },
  response: { encode: (w, v) => void w.u16(v.recordId), decode: (r) => ({ recordId: r.u16() }) },
  completionCodes: { 0x80: 'operation not supported for this record type', 0x81: 'cannot execute command, SEL erase in progress' },
});

/** Clear SEL byte 6: AAh initiates the erase, 00h asks for its status. */
export const ClearSelOperation = { GetStatus: 0x00, InitiateErase: 0xaa } as const;
/** Clear SEL response [3:0]. */
export const EraseProgress = { InProgress: 0, Completed: 1 } as const;

export const clearSel = defineCommand<{ reservationId: number; confirm: Uint8Array; operation: number }, { progress: number }>({
  name: 'Clear SEL',
  netFn: NetFn.Storage,
  cmd: 0x47,
  access: Operator,
  minRequestLength: 6,
  maxRequestLength: 6,
  request: {
    // Bytes 3-5 must be 'C' 'L' 'R': a guard against clearing by accident.
    encode: (w, v) => void w.u16(v.reservationId).padded(v.confirm, 3).u8(v.operation),
    decode: (r) => ({ reservationId: r.u16(), confirm: r.bytes(3).slice(), operation: r.u8() }),
  },
  response: { encode: (w, v) => void w.u8(v.progress & 0x0f), decode: (r) => ({ progress: r.u8() & 0x0f }) },
});
export const CLR = Uint8Array.of(0x43, 0x4c, 0x52);

const timeCodec: Codec<{ time: number }> = { encode: (w, v) => void w.u32(v.time >>> 0), decode: (r) => ({ time: r.u32() }) };

export const getSelTime = defineCommand<Record<string, never>, { time: number }>({
  name: 'Get SEL Time',
  netFn: NetFn.Storage,
  cmd: 0x48,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: timeCodec,
});

export const setSelTime = defineCommand<{ time: number }, Record<string, never>>({
  name: 'Set SEL Time',
  netFn: NetFn.Storage,
  cmd: 0x49,
  access: Operator,
  minRequestLength: 4,
  maxRequestLength: 4,
  request: timeCodec,
  response: EMPTY,
});

/** Minutes east of UTC, -1440..1440, or 0x7FF "unspecified" (§31.11a). */
export const UTC_OFFSET_UNSPECIFIED = 0x07ff;
const utcOffsetCodec: Codec<{ minutes: number }> = {
  encode: (w, v) => void w.u16(v.minutes & 0xffff),
  decode(r) {
    const raw = r.u16();
    return { minutes: raw === UTC_OFFSET_UNSPECIFIED ? raw : (raw << 16) >> 16 };
  },
};

export const getSelTimeUtcOffset = defineCommand<Record<string, never>, { minutes: number }>({
  name: 'Get SEL Time UTC Offset',
  netFn: NetFn.Storage,
  cmd: 0x5c,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 0,
  request: EMPTY,
  response: utcOffsetCodec,
});

export const setSelTimeUtcOffset = defineCommand<{ minutes: number }, Record<string, never>>({
  name: 'Set SEL Time UTC Offset',
  netFn: NetFn.Storage,
  cmd: 0x5d,
  access: Operator,
  minRequestLength: 2,
  maxRequestLength: 2,
  request: utcOffsetCodec,
  response: EMPTY,
});

export const fruCommands: readonly AnySpec[] = [getFruInventoryAreaInfo, readFruData, writeFruData];

export const selCommands: readonly AnySpec[] = [
  getSelInfo,
  getSelAllocationInfo,
  reserveSel,
  getSelEntry,
  addSelEntry,
  partialAddSelEntry,
  deleteSelEntry,
  clearSel,
  getSelTime,
  setSelTime,
  getSelTimeUtcOffset,
  setSelTimeUtcOffset,
];

export const storageCommands: readonly AnySpec[] = [...fruCommands, ...selCommands];
