// The text ipmitool 1.8.19 prints for FRU info areas (lib/ipmi_fru.c fru_area_print_chassis,
// _board, _product). Fields are decoded its way (get_fru_area_str), which is not always the
// spec's: binary fields print as hex, 6-bit ASCII always yields four characters per started
// 3-byte group, 8-bit fields are C strings (cut at the first NUL, whatever the language code),
// and empty fields are not printed at all. Board "FRU ID" and product "FRU ID" only with -v.

import { chassisTypeName } from '../tables/chassis-types.js';

/** The 8-byte common header: format version and the areas' byte offsets (0 = no area). */
export interface FruHeader {
  version: number;
  internalUse: number;
  chassis: number;
  board: number;
  product: number;
  multiRecord: number;
}

export function decodeFruHeader(bytes: Uint8Array): FruHeader {
  if (bytes.length < 8) throw new RangeError(`FRU common header needs 8 bytes, got ${bytes.length}`);
  return { version: bytes[0]!, internalUse: bytes[1]! * 8, chassis: bytes[2]! * 8, board: bytes[3]! * 8, product: bytes[4]! * 8, multiRecord: bytes[5]! * 8 };
}

/** An info area's length in bytes, from its first two bytes (version, length in 8-byte units). */
export const fruAreaLength = (first: Uint8Array): number => (first[1] ?? 0) * 8;

/** Seconds since 1970 of the board area's manufacturing date (minutes since 1996); 0 = unspecified. */
export const FRU_DATE_UNSPECIFIED = 0xffffffff;
const SECONDS_1970_TO_1996 = 820454400;

const END_OF_FIELDS = 0xc1;
const BCD_PLUS = '0123456789 -.:,_';

/** get_fru_area_str: the field at `pos` and where the next one starts; text undefined for length 0. */
export function ipmitoolField(area: Uint8Array, pos: number): { text: string | undefined; next: number } {
  const byte = (i: number) => area[i] ?? 0;
  const typeLength = byte(pos);
  const type = typeLength >> 6;
  const len = typeLength & 0x3f;
  const start = pos + 1;
  if (len === 0) return { text: undefined, next: start };
  let text = '';
  switch (type) {
    case 0:
      for (let i = 0; i < len; i++) text += byte(start + i).toString(16).padStart(2, '0');
      break;
    case 1:
      for (let k = 0; k < len * 2; k++) text += BCD_PLUS[(byte(start + (k >> 1)) >> (k % 2 ? 0 : 4)) & 0x0f];
      break;
    case 2:
      for (let i = 0; i < len; i += 3) {
        const n = Math.min(3, len - i);
        let bits = 0;
        for (let k = 0; k < n; k++) bits |= byte(start + i + k) << (8 * k);
        for (let k = 0; k < 4; k++) {
          text += String.fromCharCode((bits & 0x3f) + 0x20);
          bits >>>= 6;
        }
      }
      break;
    default:
      for (let i = 0; i < len; i++) {
        const c = byte(start + i);
        if (c === 0) break;
        text += String.fromCharCode(c);
      }
  }
  return { text, next: start + len };
}

export interface FruTextOptions {
  verbose: number;
  /** ipmitool's ipmi_timestamp_string for the board manufacturing date. */
  date: (stamp: number) => string;
}

const FIELDS = {
  chassis: { skip: 3, names: ['Chassis Part Number', 'Chassis Serial'], hidden: -1, extra: 'Chassis Extra' },
  board: { skip: 6, names: ['Board Mfg', 'Board Product', 'Board Serial', 'Board Part Number', 'Board FRU ID'], hidden: 4, extra: 'Board Extra' },
  product: {
    skip: 3,
    names: ['Product Manufacturer', 'Product Name', 'Product Part Number', 'Product Version', 'Product Serial', 'Product Asset Tag', 'Product FRU ID'],
    hidden: 6,
    extra: 'Product Extra',
  },
} as const;

export type FruAreaKind = keyof typeof FIELDS;

/** The lines ipmitool prints for one info area (`area` = the whole area, length from its byte 2). */
export function fruAreaLines(kind: FruAreaKind, area: Uint8Array, opts: FruTextOptions): string[] {
  const spec = FIELDS[kind];
  const out: string[] = [];
  const line = (label: string, text: string) => out.push(` ${label.padEnd(22)}: ${text}`);
  if (kind === 'chassis') line('Chassis Type', chassisTypeName(area[2] ?? 0));
  if (kind === 'board') {
    const minutes = (area[3] ?? 0) | ((area[4] ?? 0) << 8) | ((area[5] ?? 0) << 16);
    line('Board Mfg Date', opts.date(minutes === 0 ? FRU_DATE_UNSPECIFIED : minutes * 60 + SECONDS_1970_TO_1996));
  }
  let pos: number = spec.skip;
  spec.names.forEach((name, i) => {
    const f = ipmitoolField(area, pos);
    pos = f.next;
    if (f.text && (i !== spec.hidden || opts.verbose > 0)) line(name, f.text);
  });
  while (pos < area.length && area[pos] !== END_OF_FIELDS) {
    const f = ipmitoolField(area, pos);
    if (f.text) line(spec.extra, f.text);
    if (f.next === pos) break;
    pos = f.next;
  }
  return out;
}
