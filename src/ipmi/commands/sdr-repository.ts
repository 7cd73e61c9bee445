// Storage netFn (0x0A) SDR repository commands (IPMI v2.0 §33). Kept apart from the FRU and
// SEL commands of storage.ts; the registry lists both. Reading is USER, changing is OPERATOR.

import { Privilege, defineCommand, EMPTY, NetFn, type AnySpec, type Codec } from '../spec.js';
import { allocationInfoCodec, reservationIdCodec, type AllocationInfo } from './storage.js';

const { User, Operator } = Privilege;

/** Get SDR Repository Info byte 14 (Table 33-3). */
export const SdrOperations = {
  AllocationInfo: 0x01,
  Reserve: 0x02,
  PartialAdd: 0x04,
  Delete: 0x08,
  /** [6:5] = 01b: non-modal updates only. */
  NonModalUpdate: 0x20,
  ModalUpdate: 0x40,
  Overflow: 0x80,
} as const;

export interface SdrRepositoryInfo {
  /** 0x51 for IPMI v1.5/v2.0 repositories. */
  version: number;
  recordCount: number;
  /** Bytes free; 0xFFFE = 64 KiB - 2 or more, 0xFFFF = unspecified. */
  freeSpace: number;
  lastAddTime: number;
  lastEraseTime: number;
  operations: number;
}
export const getSdrRepositoryInfo = defineCommand<Record<string, never>, SdrRepositoryInfo>({
  name: 'Get SDR Repository Info',
  netFn: NetFn.Storage,
  cmd: 0x20,
  access: User,
  minRequestLength: 0,
  request: EMPTY,
  response: {
    encode: (w, v) => void w.u8(v.version).u16(v.recordCount).u16(v.freeSpace).u32(v.lastAddTime).u32(v.lastEraseTime).u8(v.operations),
    decode: (r) => ({ version: r.u8(), recordCount: r.u16(), freeSpace: r.u16(), lastAddTime: r.u32(), lastEraseTime: r.u32(), operations: r.u8() }),
  },
});

export const getSdrRepositoryAllocationInfo = defineCommand<Record<string, never>, AllocationInfo>({
  name: 'Get SDR Repository Allocation Info',
  netFn: NetFn.Storage,
  cmd: 0x21,
  access: User,
  minRequestLength: 0,
  request: EMPTY,
  response: allocationInfoCodec,
});

export const reserveSdrRepository = defineCommand({ name: 'Reserve SDR Repository', netFn: NetFn.Storage, cmd: 0x22, access: User, minRequestLength: 0, request: EMPTY, response: reservationIdCodec });

export interface GetSdrRequest {
  /** 0 is accepted only for reads at offset 0. */
  reservationId: number;
  /** 0x0000 first record, 0xFFFF last. */
  recordId: number;
  offset: number;
  /** 0xFF = the whole (rest of the) record. */
  count: number;
}
export interface GetSdrResponse {
  /** 0xFFFF after the last record. */
  nextRecordId: number;
  data: Uint8Array;
}
export const getSdr = defineCommand<GetSdrRequest, GetSdrResponse>({
  name: 'Get SDR',
  netFn: NetFn.Storage,
  cmd: 0x23,
  access: User,
  minRequestLength: 6,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).u16(v.recordId).u8(v.offset).u8(v.count),
    decode: (r) => ({ reservationId: r.u16(), recordId: r.u16(), offset: r.u8(), count: r.u8() }),
  },
  response: {
    encode: (w, v) => void w.u16(v.nextRecordId).bytes(v.data),
    decode: (r) => ({ nextRecordId: r.u16(), data: r.rest().slice() }),
  },
});

const recordIdCodec: Codec<{ recordId: number }> = { encode: (w, v) => void w.u16(v.recordId), decode: (r) => ({ recordId: r.u16() }) };

export const addSdr = defineCommand<{ record: Uint8Array }, { recordId: number }>({
  name: 'Add SDR',
  netFn: NetFn.Storage,
  cmd: 0x24,
  access: Operator,
  minRequestLength: 5,
  request: { encode: (w, v) => void w.bytes(v.record), decode: (r) => ({ record: r.rest().slice() }) },
  response: recordIdCodec,
});

export interface PartialAddSdrRequest {
  /** 0 for the first part (record ID 0000); required afterwards. */
  reservationId: number;
  /** 0000 for the first part, then the ID the first part returned. */
  recordId: number;
  offset: number;
  /** Byte 6 [3:0]: 1 = this is the last part. */
  last: boolean;
  data: Uint8Array;
}
export const partialAddSdr = defineCommand<PartialAddSdrRequest, { recordId: number }>({
  name: 'Partial Add SDR',
  netFn: NetFn.Storage,
  cmd: 0x25,
  access: Operator,
  minRequestLength: 6,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).u16(v.recordId).u8(v.offset).u8(v.last ? 1 : 0).bytes(v.data),
    decode: (r) => ({ reservationId: r.u16(), recordId: r.u16(), offset: r.u8(), last: (r.u8() & 0x0f) === 1, data: r.rest().slice() }),
  },
  response: recordIdCodec,
  completionCodes: { 0x80: 'record rejected: length mismatch' },
});

export const deleteSdr = defineCommand<{ reservationId: number; recordId: number }, { recordId: number }>({
  name: 'Delete SDR',
  netFn: NetFn.Storage,
  cmd: 0x26,
  access: Operator,
  minRequestLength: 4,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).u16(v.recordId),
    decode: (r) => ({ reservationId: r.u16(), recordId: r.u16() }),
  },
  response: recordIdCodec,
});

/** 'C', 'L', 'R' of Clear SDR Repository / Clear SEL. */
export const CLR = [0x43, 0x4c, 0x52] as const;
export const ClearOp = { GetStatus: 0x00, Initiate: 0xaa } as const;

export const clearSdrRepository = defineCommand<{ reservationId: number; clr: Uint8Array; op: number }, { erased: boolean }>({
  name: 'Clear SDR Repository',
  netFn: NetFn.Storage,
  cmd: 0x27,
  access: Operator,
  minRequestLength: 6,
  request: {
    encode: (w, v) => void w.u16(v.reservationId).bytes(v.clr).u8(v.op),
    decode: (r) => ({ reservationId: r.u16(), clr: r.bytes(3).slice(), op: r.u8() }),
  },
  // Byte 2 [3:0]: 0 erasure in progress, 1 erase completed.
  response: { encode: (w, v) => void w.u8(v.erased ? 1 : 0), decode: (r) => ({ erased: (r.u8() & 0x0f) === 1 }) },
});

const timeCodec: Codec<{ time: number }> = { encode: (w, v) => void w.u32(v.time), decode: (r) => ({ time: r.u32() }) };
export const getSdrRepositoryTime = defineCommand({ name: 'Get SDR Repository Time', netFn: NetFn.Storage, cmd: 0x28, access: User, minRequestLength: 0, request: EMPTY, response: timeCodec });
export const setSdrRepositoryTime = defineCommand({ name: 'Set SDR Repository Time', netFn: NetFn.Storage, cmd: 0x29, access: Operator, minRequestLength: 4, request: timeCodec, response: EMPTY });

export const sdrRepositoryCommands: readonly AnySpec[] = [
  getSdrRepositoryInfo,
  getSdrRepositoryAllocationInfo,
  reserveSdrRepository,
  getSdr,
  addSdr,
  partialAddSdr,
  deleteSdr,
  clearSdrRepository,
  getSdrRepositoryTime,
  setSdrRepositoryTime,
];
