// FRU inventory image (Platform Management FRU Information Storage Definition v1.0 rev 1.3):
// the 8-byte common header, internal-use, chassis, board and product info areas, and the
// multi-record area. Areas are 8-byte aligned and end in a zero checksum; info areas hold
// type/length-prefixed fields closed by C1h. Decoding tolerates the defects real images carry
// (bad checksums, versions, missing end markers) and reports them as warnings.

import { ProtocolError, checksum8 } from '../../protocol/bytes.js';
import {
  decodeBcdPlus,
  decodeLatin1,
  decodeSixBitAscii,
  decodeUcs2,
  encodeBcdPlus,
  encodeLatin1,
  encodeSixBitAscii,
  encodeUcs2,
} from '../type-length.js';

/**
 * A field value. A plain string is 8-bit ASCII/Latin-1 (2-byte Unicode in an area whose language
 * is not English); the object forms keep the other packings so an image re-encodes unchanged.
 */
export type FruField = string | { type: 'bcdPlus' | 'sixBitAscii'; text: string } | { type: 'binary'; data: Uint8Array };

export interface FruChassisInfo {
  /** SMBIOS enclosure type, e.g. 0x17 rack mount. */
  type: number;
  partNumber: FruField;
  serialNumber: FruField;
  extra: FruField[];
}

export interface FruBoardInfo {
  /** Omitted = 0 (English). 25 is English too. */
  languageCode?: number;
  /** Whole minutes since 1996-01-01 00:00 UTC; omitted = unspecified. */
  mfgDate?: Date;
  manufacturer: FruField;
  productName: FruField;
  serialNumber: FruField;
  partNumber: FruField;
  fruFileId: FruField;
  extra: FruField[];
}

export interface FruProductInfo {
  languageCode?: number;
  manufacturer: FruField;
  name: FruField;
  partNumber: FruField;
  version: FruField;
  serialNumber: FruField;
  assetTag: FruField;
  fruFileId: FruField;
  extra: FruField[];
}

export interface FruMultiRecord {
  /** 0x00 power supply ... 0xC0-0xFF OEM. */
  type: number;
  /** Omitted = 2, the only version defined. */
  formatVersion?: number;
  data: Uint8Array;
}

export interface FruData {
  /** Internal-use area data after its version byte (decoded up to the next area, padding included). */
  internalUse?: Uint8Array;
  chassis?: FruChassisInfo;
  board?: FruBoardInfo;
  product?: FruProductInfo;
  multiRecords?: FruMultiRecord[];
}

export interface DecodedFru {
  fru: FruData;
  /** Checksum, version and structure problems that did not stop decoding. */
  warnings: string[];
}

const FORMAT_VERSION = 0x01;
const MULTI_RECORD_VERSION = 0x02;
const END_OF_FIELDS = 0xc1;
const END_OF_LIST = 0x80;
const MAX_FIELD_BYTES = 0x3f;
/** 1996-01-01T00:00:00Z: epoch of the board area's manufacturing date. */
export const FRU_DATE_EPOCH_MS = Date.UTC(1996, 0, 1);

const isEnglish = (languageCode: number): boolean => languageCode === 0 || languageCode === 25;

// ---- encoding -----------------------------------------------------------------------------

function encodeField(field: FruField, english: boolean): number[] {
  let typeCode: number;
  let data: Uint8Array;
  if (typeof field === 'string') {
    typeCode = 3;
    data = english ? encodeLatin1(field) : encodeUcs2(field);
    // C1h is the end-of-fields marker, so a 1-byte 8-bit field cannot be written: NUL-pad it.
    if (data.length === 1) data = Uint8Array.of(data[0]!, 0);
  } else if (field.type === 'binary') {
    typeCode = 0;
    data = field.data;
  } else {
    typeCode = field.type === 'bcdPlus' ? 1 : 2;
    data = field.type === 'bcdPlus' ? encodeBcdPlus(field.text) : encodeSixBitAscii(field.text);
  }
  if (data.length > MAX_FIELD_BYTES) throw new RangeError(`FRU field of ${data.length} bytes exceeds ${MAX_FIELD_BYTES}`);
  return [(typeCode << 6) | data.length, ...data];
}

/** Pads an area (version byte and length byte first) to 8 bytes, fills in its length and checksum. */
function finishArea(bytes: number[]): Uint8Array {
  const out = padTo8([...bytes, 0]);
  const size = out.length;
  if (size > 0xff * 8) throw new RangeError(`FRU area of ${size} bytes exceeds ${0xff * 8}`);
  out[1] = size / 8;
  out[size - 1] = checksum8(out, 0, size - 1);
  return out;
}

function infoArea(prefix: number[], fields: FruField[], english: boolean): Uint8Array {
  const bytes = [FORMAT_VERSION, 0, ...prefix];
  for (const f of fields) bytes.push(...encodeField(f, english));
  bytes.push(END_OF_FIELDS);
  return finishArea(bytes);
}

function mfgMinutes(date: Date | undefined): number[] {
  if (!date) return [0, 0, 0];
  const minutes = Math.floor((date.getTime() - FRU_DATE_EPOCH_MS) / 60000);
  if (!(minutes >= 1 && minutes <= 0xffffff)) throw new RangeError(`board mfg date ${date.toISOString()} not representable (1996-01-01 to 2027-11-24)`);
  return [minutes & 0xff, (minutes >> 8) & 0xff, minutes >> 16];
}

function multiRecordArea(records: FruMultiRecord[]): Uint8Array {
  const out: number[] = [];
  records.forEach((rec, i) => {
    if (rec.data.length > 0xff) throw new RangeError(`multi-record data of ${rec.data.length} bytes exceeds 255`);
    const header = [rec.type, (i === records.length - 1 ? END_OF_LIST : 0) | (rec.formatVersion ?? MULTI_RECORD_VERSION), rec.data.length, checksum8(rec.data)];
    header.push(checksum8(Uint8Array.from(header)));
    out.push(...header, ...rec.data);
  });
  return Uint8Array.from(out);
}

function padTo8(bytes: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 8) * 8);
  out.set(bytes);
  return out;
}

/**
 * Builds a FRU image: common header, then internal-use, chassis, board, product and multi-record
 * areas in that order, each present only when given. Every area but the multi-record one (which
 * has no length of its own) is a multiple of 8 bytes. Throws RangeError for values that do not fit.
 */
export function encodeFru(fru: FruData): Uint8Array {
  const { internalUse, chassis, board, product, multiRecords } = fru;
  const areas: (Uint8Array | undefined)[] = [
    internalUse && padTo8([FORMAT_VERSION, ...internalUse]),
    chassis && infoArea([chassis.type], [chassis.partNumber, chassis.serialNumber, ...chassis.extra], true),
    board &&
      infoArea(
        [board.languageCode ?? 0, ...mfgMinutes(board.mfgDate)],
        [board.manufacturer, board.productName, board.serialNumber, board.partNumber, board.fruFileId, ...board.extra],
        isEnglish(board.languageCode ?? 0),
      ),
    product &&
      infoArea(
        [product.languageCode ?? 0],
        [product.manufacturer, product.name, product.partNumber, product.version, product.serialNumber, product.assetTag, product.fruFileId, ...product.extra],
        isEnglish(product.languageCode ?? 0),
      ),
    multiRecords && multiRecords.length > 0 ? multiRecordArea(multiRecords) : undefined,
  ];
  const header = new Uint8Array(8);
  header[0] = FORMAT_VERSION;
  const parts: Uint8Array[] = [header];
  let offset = header.length;
  areas.forEach((area, i) => {
    if (!area) return;
    if (offset / 8 > 0xff) throw new RangeError('FRU image too large for the common header offsets');
    header[i + 1] = offset / 8;
    parts.push(area);
    offset += area.length;
  });
  header[7] = checksum8(header, 0, 7);
  const out = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- decoding -----------------------------------------------------------------------------

const AREA_NAMES = ['internal use', 'chassis', 'board', 'product', 'multi-record'] as const;

function decodeField(typeLength: number, data: Uint8Array, english: boolean, warn: (m: string) => void): FruField {
  switch (typeLength >> 6) {
    case 0:
      return { type: 'binary', data: data.slice() };
    case 1:
      return { type: 'bcdPlus', text: decodeBcdPlus(data) };
    case 2:
      return { type: 'sixBitAscii', text: decodeSixBitAscii(data) };
    default:
      if (!english && data.length % 2 === 0) return decodeUcs2(data);
      if (!english) warn(`odd-length Unicode field read as 8-bit text`);
      // Some images pad 8-bit fields with 0xFF instead of NUL.
      return decodeLatin1(data).replace(/\xff+$/, '');
  }
}

/** Reads an info area's bytes [start, end) after its fixed prefix: predefined then custom fields. */
function readFields(
  area: Uint8Array,
  pos: number,
  predefined: number,
  english: boolean,
  name: string,
  warn: (m: string) => void,
): { fields: FruField[]; extra: FruField[] } {
  const fields: FruField[] = [];
  const extra: FruField[] = [];
  const end = area.length - 1; // the checksum byte
  for (;;) {
    if (pos >= end) {
      warn(`${name} area: no end-of-fields marker`);
      break;
    }
    const typeLength = area[pos]!;
    if (typeLength === END_OF_FIELDS) break;
    const length = typeLength & MAX_FIELD_BYTES;
    if (pos + 1 + length > end) throw new ProtocolError(`${name} area: field at offset ${pos} runs past the area`, pos);
    const field = decodeField(typeLength, area.subarray(pos + 1, pos + 1 + length), english, warn);
    (fields.length < predefined ? fields : extra).push(field);
    pos += 1 + length;
  }
  if (fields.length < predefined) warn(`${name} area: ${predefined - fields.length} predefined field(s) missing`);
  while (fields.length < predefined) fields.push('');
  return { fields, extra };
}

function sliceInfoArea(bytes: Uint8Array, start: number, name: string, warn: (m: string) => void): Uint8Array {
  if (start + 2 > bytes.length) throw new ProtocolError(`${name} area at ${start} is past the end of the image`, start);
  if ((bytes[start]! & 0x0f) !== FORMAT_VERSION) warn(`${name} area: format version ${bytes[start]! & 0x0f}`);
  const length = bytes[start + 1]! * 8;
  if (length === 0) throw new ProtocolError(`${name} area: zero length`, start + 1);
  if (start + length > bytes.length) throw new ProtocolError(`truncated ${name} area: ${length} bytes at ${start}, image has ${bytes.length}`, bytes.length);
  const area = bytes.subarray(start, start + length);
  if (checksum8(area) !== 0) warn(`${name} area: bad checksum`);
  return area;
}

function decodeMfgDate(area: Uint8Array): Date | undefined {
  const minutes = area[3]! | (area[4]! << 8) | (area[5]! << 16);
  return minutes === 0 ? undefined : new Date(FRU_DATE_EPOCH_MS + minutes * 60000);
}

function decodeMultiRecords(bytes: Uint8Array, start: number, warn: (m: string) => void): FruMultiRecord[] {
  const records: FruMultiRecord[] = [];
  for (let pos = start; ; ) {
    if (pos + 5 > bytes.length) throw new ProtocolError(`truncated multi-record header at ${pos}`, pos);
    const header = bytes.subarray(pos, pos + 5);
    if (checksum8(header) !== 0) warn(`multi-record at ${pos}: bad header checksum`);
    const length = header[2]!;
    if (pos + 5 + length > bytes.length) throw new ProtocolError(`truncated multi-record at ${pos}: ${length} data bytes`, bytes.length);
    const data = bytes.slice(pos + 5, pos + 5 + length);
    if (((checksum8(data) - header[3]!) & 0xff) !== 0) warn(`multi-record at ${pos}: bad data checksum`);
    const formatVersion = header[1]! & 0x0f;
    records.push(formatVersion === MULTI_RECORD_VERSION ? { type: header[0]!, data } : { type: header[0]!, formatVersion, data });
    if (header[1]! & END_OF_LIST) return records;
    pos += 5 + length;
  }
}

/**
 * Decodes a FRU image. Bad checksums, unexpected versions and missing end markers become
 * warnings; an image too short for its header or for an area it points to throws ProtocolError.
 */
export function decodeFru(bytes: Uint8Array): DecodedFru {
  const warnings: string[] = [];
  const warn = (m: string): void => void warnings.push(m);
  if (bytes.length < 8) throw new ProtocolError(`truncated FRU common header: ${bytes.length} bytes`, bytes.length);
  const header = bytes.subarray(0, 8);
  if ((header[0]! & 0x0f) !== FORMAT_VERSION) warn(`common header: format version ${header[0]! & 0x0f}`);
  if (checksum8(header) !== 0) warn('common header: bad checksum');
  const starts = [1, 2, 3, 4, 5].map((i) => header[i]! * 8);
  const fru: FruData = {};

  starts.forEach((start, i) => {
    if (start === 0) return;
    const name = AREA_NAMES[i]!;
    if (i === 0) {
      const next = Math.min(bytes.length, ...starts.filter((s) => s > start));
      if (start >= bytes.length) throw new ProtocolError(`internal use area at ${start} is past the end of the image`, start);
      fru.internalUse = bytes.slice(start + 1, next);
    } else if (i === 4) {
      fru.multiRecords = decodeMultiRecords(bytes, start, warn);
    } else {
      const area = sliceInfoArea(bytes, start, name, warn);
      if (i === 1) {
        const { fields, extra } = readFields(area, 3, 2, true, name, warn);
        fru.chassis = { type: area[2]!, partNumber: fields[0]!, serialNumber: fields[1]!, extra };
      } else if (i === 2) {
        const languageCode = area[2]!;
        const { fields, extra } = readFields(area, 6, 5, isEnglish(languageCode), name, warn);
        const [manufacturer, productName, serialNumber, partNumber, fruFileId] = fields as [FruField, FruField, FruField, FruField, FruField];
        const mfgDate = decodeMfgDate(area);
        fru.board = {
          ...(languageCode !== 0 && { languageCode }),
          ...(mfgDate && { mfgDate }),
          manufacturer,
          productName,
          serialNumber,
          partNumber,
          fruFileId,
          extra,
        };
      } else {
        const languageCode = area[2]!;
        const { fields, extra } = readFields(area, 3, 7, isEnglish(languageCode), name, warn);
        const [manufacturer, name_, partNumber, version, serialNumber, assetTag, fruFileId] = fields as [
          FruField,
          FruField,
          FruField,
          FruField,
          FruField,
          FruField,
          FruField,
        ];
        fru.product = {
          ...(languageCode !== 0 && { languageCode }),
          manufacturer,
          name: name_,
          partNumber,
          version,
          serialNumber,
          assetTag,
          fruFileId,
          extra,
        };
      }
    }
  });
  return { fru, warnings };
}
