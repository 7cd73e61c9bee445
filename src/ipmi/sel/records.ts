// 16-byte System Event Log records (IPMI v2.0 §32): system event records (type 02h; ipmitool
// treats every type below C0h this way), OEM timestamped (C0h-DFh) and OEM non-timestamped
// (E0h-FFh) records. Byte numbers in comments are the spec's 1-based ones.

import { Reader, Writer, ProtocolError } from '../../protocol/bytes.js';

export const SEL_RECORD_LENGTH = 16;
/**
 * Timestamps from 0 to 0x20000000 count seconds since BMC initialisation, not since 1970 (§37.1);
 * ipmitool prints those below this value as "Pre-Init".
 */
export const SEL_PRE_INIT_TIMESTAMP_MAX = 0x20000000;

export const SelRecordType = {
  SystemEvent: 0x02,
  OemTimestampedFirst: 0xc0,
  OemNonTimestampedFirst: 0xe0,
} as const;

export type EventDirection = 'assertion' | 'deassertion';

export interface SystemEventRecord {
  kind: 'system';
  recordId: number;
  /** 0x02 normally; other values below 0xC0 decode with the same layout. */
  recordType: number;
  /** Bytes 4-7, seconds since 1970-01-01 UTC (or since init when ≤ 0x20000000). */
  timestamp: number;
  /** Bytes 8-9: [7:1] slave address or software ID, [0] software-ID flag; byte 9 [7:4] channel, [1:0] LUN. */
  generatorId: number;
  /** 0x04 for IPMI v1.5/v2.0 event messages, 0x03 for v1.0. */
  evmRevision: number;
  sensorType: number;
  sensorNumber: number;
  eventDirection: EventDirection;
  /** Byte 13 [6:0]. */
  eventReadingType: number;
  /** [7:6] what data 2 holds, [5:4] what data 3 holds, [3:0] the event offset. */
  eventData1: number;
  eventData2: number;
  eventData3: number;
}

export interface OemTimestampedRecord {
  kind: 'oemTimestamped';
  recordId: number;
  /** 0xC0-0xDF. */
  recordType: number;
  timestamp: number;
  /** Bytes 8-10, little-endian IANA enterprise number. */
  manufacturerId: number;
  /** Bytes 11-16. */
  oemData: Uint8Array;
}

export interface OemNonTimestampedRecord {
  kind: 'oemNonTimestamped';
  recordId: number;
  /** 0xE0-0xFF. */
  recordType: number;
  /** Bytes 4-16. */
  oemData: Uint8Array;
}

export type SelRecord = SystemEventRecord | OemTimestampedRecord | OemNonTimestampedRecord;

function checkRecordType(type: number, lo: number, hi: number, kind: string): number {
  if (!Number.isInteger(type) || type < lo || type > hi) throw new RangeError(`record type 0x${type.toString(16)} is not a ${kind} type`);
  return type;
}

function checkOemData(data: Uint8Array, length: number): Uint8Array {
  if (data.length !== length) throw new RangeError(`OEM data must be ${length} bytes, got ${data.length}`);
  return data;
}

/** Encodes a record into its 16 bytes. */
export function encodeSel(record: SelRecord): Uint8Array {
  const w = new Writer(SEL_RECORD_LENGTH);
  w.u16(record.recordId);
  switch (record.kind) {
    case 'system':
      w.u8(checkRecordType(record.recordType, 0, 0xbf, 'system event'));
      w.u32(record.timestamp).u16(record.generatorId).u8(record.evmRevision);
      w.u8(record.sensorType).u8(record.sensorNumber);
      w.u8((record.eventDirection === 'deassertion' ? 0x80 : 0) | (record.eventReadingType & 0x7f));
      w.u8(record.eventData1).u8(record.eventData2).u8(record.eventData3);
      break;
    case 'oemTimestamped':
      w.u8(checkRecordType(record.recordType, 0xc0, 0xdf, 'OEM timestamped'));
      w.u32(record.timestamp).u24(record.manufacturerId).bytes(checkOemData(record.oemData, 6));
      break;
    case 'oemNonTimestamped':
      w.u8(checkRecordType(record.recordType, 0xe0, 0xff, 'OEM non-timestamped'));
      w.bytes(checkOemData(record.oemData, 13));
      break;
  }
  return w.finish();
}

/** Decodes exactly 16 bytes; anything else throws ProtocolError. */
export function decodeSel(bytes: Uint8Array): SelRecord {
  if (bytes.length !== SEL_RECORD_LENGTH) {
    throw new ProtocolError(`SEL record must be ${SEL_RECORD_LENGTH} bytes, got ${bytes.length}`, Math.min(bytes.length, SEL_RECORD_LENGTH));
  }
  const r = new Reader(bytes);
  const recordId = r.u16('record ID');
  const recordType = r.u8('record type');
  if (recordType >= SelRecordType.OemNonTimestampedFirst) {
    return { kind: 'oemNonTimestamped', recordId, recordType, oemData: r.bytes(13).slice() };
  }
  const timestamp = r.u32('timestamp');
  if (recordType >= SelRecordType.OemTimestampedFirst) {
    return { kind: 'oemTimestamped', recordId, recordType, timestamp, manufacturerId: r.u24('manufacturer ID'), oemData: r.bytes(6).slice() };
  }
  const generatorId = r.u16('generator ID');
  const evmRevision = r.u8('EvM revision');
  const sensorType = r.u8('sensor type');
  const sensorNumber = r.u8('sensor number');
  const dirType = r.u8('event direction/type');
  return {
    kind: 'system',
    recordId,
    recordType,
    timestamp,
    generatorId,
    evmRevision,
    sensorType,
    sensorNumber,
    eventDirection: dirType & 0x80 ? 'deassertion' : 'assertion',
    eventReadingType: dirType & 0x7f,
    eventData1: r.u8('event data 1'),
    eventData2: r.u8('event data 2'),
    eventData3: r.u8('event data 3'),
  };
}
