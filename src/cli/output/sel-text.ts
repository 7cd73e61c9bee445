// ipmitool 1.8.19's SEL text (lib/ipmi_sel.c): `sel info`, the `sel list` / `sel elist` line and
// its -c form, and the verbose blocks of `-v sel list` and `sel get`. The columns come from the
// verified description functions in ipmi/sel/describe.ts; this module adds the framing: record
// ID, the date and time columns (or " Pre-Init " and the raw count), separators.

import { formatFixed } from '../../ipmi/printf.js';
import { conversionFactors, rawToUnits } from '../../ipmi/sdr/conversion.js';
import type { SdrRecord, SensorRecord } from '../../ipmi/sdr/records.js';
import { sdrForSelRecord, selEventDescription, selExtraText, selOemText, selSensorText } from '../../ipmi/sel/describe.js';
import { SEL_PRE_INIT_TIMESTAMP_MAX, type SelRecord, type SystemEventRecord } from '../../ipmi/sel/records.js';
import { eventReadingTypeClass, EventReadingType } from '../../ipmi/tables/event-types.js';
import { sensorTypeName } from '../../ipmi/tables/sensor-types.js';
import { SensorType } from '../../ipmi/tables/sensor-types.js';
import { unitString } from '../../ipmi/tables/units.js';
import type { AllocationInfo, SelInfo } from '../../ipmi/commands/storage.js';
import { SelOperations } from '../../ipmi/commands/storage.js';
import { timestampDate, timestampNumeric, timestampTime, type TimeOptions } from './time.js';

const hex2 = (n: number) => n.toString(16).padStart(2, '0');
const hexBytes = (b: Uint8Array) => Array.from(b, hex2).join('');

/** `sel info` (ipmi_sel_get_info); `alloc` when the BMC supports Get SEL Allocation Info. */
export function selInfoText(i: SelInfo, alloc: AllocationInfo | undefined, t: TimeOptions): string {
  const lines = ['SEL Information'];
  lines.push(`Version          : ${i.version & 0xf}.${(i.version >> 4) & 0xf} (${i.version === 0x51 || i.version === 0x02 ? 'v1.5, v2 compliant' : 'Unknown'})`);
  lines.push(`Entries          : ${i.entries}`);
  lines.push(`Free Space       : ${i.freeBytes} bytes ${i.freeBytes === 65535 ? 'or more' : ''}`);
  let total = i.freeBytes;
  let pct = 0;
  if (i.entries) {
    const used = (i.entries * 16) & 0xffff;
    total += used;
    pct = Math.trunc(100 * (used / total));
  }
  lines.push(`Percent Used     : ${total >= 65535 ? 'unknown' : `${pct}%`}`);
  const stamp = (s: number) => (s === 0xffffffff || s === 0 ? 'Not Available' : timestampNumeric(s, t));
  lines.push(`Last Add Time    : ${stamp(i.lastAddTime)}`);
  lines.push(`Last Del Time    : ${stamp(i.lastEraseTime)}`);
  lines.push(`Overflow         : ${i.operations & SelOperations.Overflow ? 'true' : 'false'}`);
  const op = i.operations;
  let cmds = '';
  if (op & 0x0f) {
    if (op & SelOperations.Delete) cmds += "'Delete' ";
    if (op & SelOperations.PartialAdd) cmds += "'Partial Add' ";
    if (op & SelOperations.Reserve) cmds += "'Reserve' ";
    if (op & SelOperations.AllocationInfo) cmds += "'Get Alloc Info' ";
  } else {
    cmds = 'None';
  }
  lines.push(`Supported Cmds   : ${cmds}`);
  if (alloc) {
    lines.push(`# of Alloc Units : ${alloc.allocationUnits}`);
    lines.push(`Alloc Unit Size  : ${alloc.unitSize}`);
    lines.push(`# Free Units     : ${alloc.freeUnits}`);
    lines.push(`Largest Free Blk : ${alloc.largestFreeBlock}`);
    lines.push(`Max Record Size  : ${alloc.maxRecordSize}`);
  }
  return lines.join('\n') + '\n';
}

/** Timestamp of records that have one (types below E0h). */
const timestampOf = (r: SelRecord): number | undefined => (r.kind === 'oemNonTimestamped' ? undefined : r.timestamp);

/**
 * One `sel list` line (ipmi_sel_print_std_entry). With `sdrs` it is the `sel elist` line: the
 * sensor's name from its SDR and the threshold reading text.
 */
export function selLine(rec: SelRecord, opts: { csv: boolean; sdrs?: readonly SdrRecord[]; time: TimeOptions }): string {
  const sep = opts.csv ? ',' : ' | ';
  let s = opts.csv ? `${rec.recordId.toString(16)},` : `${rec.recordId.toString(16).padStart(4)} | `;
  if (rec.recordType === 0xf0) return s + (opts.csv ? ',,' : '') + selOemText(rec)!;
  const ts = timestampOf(rec);
  if (ts !== undefined) {
    if (ts < SEL_PRE_INIT_TIMESTAMP_MAX) s += ` Pre-Init ${opts.csv ? ',' : ' |'}${String(ts | 0).padStart(10, '0')}${opts.csv ? ',' : '| '}`;
    else s += timestampDate(ts, opts.time) + sep + timestampTime(ts, opts.time) + sep;
  } else if (opts.csv) {
    s += ',,';
  }
  if (rec.kind !== 'system') return s + selOemText(rec)!.split(' | ').join(sep);
  const sdr = opts.sdrs ? sdrForSelRecord(opts.sdrs, rec) : undefined;
  s += selSensorText(rec, sdr?.idString) + sep + (selEventDescription(rec) ?? '') + sep + (rec.eventDirection === 'deassertion' ? 'Deasserted' : 'Asserted');
  const extra = selExtraText(rec, sdr?.kind === 'full' ? sdr : undefined);
  return extra === undefined ? s : s + sep + extra;
}

/** The `-o table` row of a record: ID, date, time, sensor, event, direction, detail. */
export function selTableRow(rec: SelRecord, opts: { sdrs?: readonly SdrRecord[]; time: TimeOptions }): string[] {
  const ts = timestampOf(rec);
  const when =
    ts === undefined ? ['', ''] : ts < SEL_PRE_INIT_TIMESTAMP_MAX ? ['Pre-Init', String(ts)] : [timestampDate(ts, opts.time), timestampTime(ts, opts.time)];
  const id = rec.recordId.toString(16);
  if (rec.kind !== 'system') {
    const [what, ...rest] = selOemText(rec)!.split(rec.recordType === 0xf0 ? ': ' : ' | ');
    return [id, ...when, what!, rest.join(' '), '', ''];
  }
  const sdr = opts.sdrs ? sdrForSelRecord(opts.sdrs, rec) : undefined;
  const extra = selExtraText(rec, sdr?.kind === 'full' ? sdr : undefined) ?? '';
  return [id, ...when, selSensorText(rec, sdr?.idString), selEventDescription(rec)?.trim() ?? '', rec.eventDirection === 'deassertion' ? 'Deasserted' : 'Asserted', extra];
}

/** hex2ascii: bytes 40h-7Eh as themselves, the rest as dots (ipmitool's range, sic). */
const hexAscii = (b: Uint8Array) => Array.from(b, (c) => (c < 0x40 || c > 0x7e ? '.' : String.fromCharCode(c))).join('');

function headerLines(rec: SelRecord, t: TimeOptions, oemLabel: boolean): string[] {
  const out = [`SEL Record ID          : ${rec.recordId.toString(16).padStart(4, '0')}`];
  let type = ` Record Type           : ${hex2(rec.recordType)}`;
  if (oemLabel && rec.recordType >= 0xc0) type += rec.recordType < 0xe0 ? '  (OEM timestamped)' : '  (OEM non-timestamped)';
  out.push(type);
  const ts = timestampOf(rec);
  if (ts !== undefined) out.push(` Timestamp             : ${timestampDate(ts, t)} ${timestampTime(ts, t)}`);
  return out;
}

function systemLines(rec: SystemEventRecord): string[] {
  return [
    ` Generator ID          : ${rec.generatorId.toString(16).padStart(4, '0')}`,
    ` EvM Revision          : ${hex2(rec.evmRevision)}`,
    ` Sensor Type           : ${sensorTypeName(rec.sensorType)}`,
    ` Sensor Number         : ${hex2(rec.sensorNumber)}`,
    ` Event Type            : ${eventReadingTypeClass(rec.eventReadingType)}`,
    ` Event Direction       : ${rec.eventDirection === 'deassertion' ? 'Deassertion Event' : 'Assertion Event'}`,
  ];
}

const eventData = (rec: SystemEventRecord) => `${hex2(rec.eventData1)}${hex2(rec.eventData2)}${hex2(rec.eventData3)}`;

/** `-v sel list` (ipmi_sel_print_std_entry_verbose). */
export function selVerboseBlock(rec: SelRecord, t: TimeOptions): string {
  if (rec.recordType === 0xf0) {
    return `SEL Record ID          : ${rec.recordId.toString(16).padStart(4, '0')}\n Record Type           : Linux kernel panic (OEM record f0)\n Panic string          : ${selOemText(rec)!.replace('Linux kernel panic: ', '')}\n\n`;
  }
  const out = headerLines(rec, t, true);
  if (rec.kind === 'oemTimestamped') {
    out.push(` Manufactacturer ID    : ${rec.manufacturerId.toString(16).padStart(6, '0')}`);
    out.push(` OEM Defined           : ${hexBytes(rec.oemData)} [${hexAscii(rec.oemData)}]`, '', '');
    return out.join('\n');
  }
  if (rec.kind === 'oemNonTimestamped') {
    out.push(` OEM Defined           : ${hexBytes(rec.oemData)} [${hexAscii(rec.oemData)}]`, '', '');
    return out.join('\n');
  }
  out.push(...systemLines(rec));
  out.push(` Event Data            : ${eventData(rec)}`);
  out.push(` Description           : ${selEventDescription(rec) ?? ''}`, '', '');
  return out.join('\n');
}

/** `sel get` (ipmi_sel_print_extended_entry_verbose): with the sensor's SDR, the event data explained. */
export function selExtendedBlock(rec: SelRecord, sdr: SensorRecord | undefined, t: TimeOptions): string {
  if (!sdr || rec.kind !== 'system') return selVerboseBlock(rec, t);
  const out = headerLines(rec, t, false);
  out.push(...systemLines(rec));
  out.push(` Event Data (RAW)      : ${eventData(rec)}`);
  if (rec.eventReadingType === EventReadingType.Threshold && sdr.kind === 'full') {
    const f = conversionFactors(sdr);
    const unit = unitString(sdr.units);
    const b2 = (rec.eventData1 >> 6) & 3;
    const b3 = (rec.eventData1 >> 4) & 3;
    if (b2 === 1) out.push(` Trigger Reading       : ${formatFixed(rawToUnits(rec.eventData2, f) ?? 0, 3)}${unit}`);
    else if (b2 === 2) out.push(` OEM Data              : ${hex2(rec.eventData2)}`);
    else if (b2 === 3) out.push(` Sensor Extension Code : ${hex2(rec.eventData2)}`);
    if (b3 === 1) out.push(` Trigger Threshold     : ${formatFixed(rawToUnits(rec.eventData3, f) ?? 0, 3)}${unit}`);
    else if (b3 === 2) out.push(` OEM Data              : ${hex2(rec.eventData3)}`);
    else if (b3 === 3) out.push(` Sensor Extension Code : ${hex2(rec.eventData3)}`);
  } else if (rec.eventReadingType >= 0x02 && rec.eventReadingType <= 0x0c) {
    // generic discrete: nothing more
  } else if (rec.eventReadingType === EventReadingType.SensorSpecific) {
    if (rec.sensorType === SensorType.Memory && rec.sensorNumber === 0 && (rec.eventData1 & 0x30) === 0x20) {
      out.push(` Event Data            : CPU ${rec.eventData3 & 0x0f} DIMM ${rec.eventData3 >> 4}`);
    } else if (!(rec.sensorType === 0x2b && rec.eventData1 === 0xc1)) {
      out.push(' Event Interpretation  : Missing');
    }
  } else if (!(rec.eventReadingType >= 0x70 && rec.eventReadingType <= 0x7f)) {
    out.push(` Event Data            : ${eventData(rec)}`);
  }
  out.push(` Description           : ${selEventDescription(rec) ?? ''}`, '', '');
  return out.join('\n');
}
