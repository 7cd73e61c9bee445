// ipmitool 1.8.19's text for SDR records (lib/ipmi_sdr.c): the `sdr list` line, the extended
// line of `sdr elist` / `sdr type` / `sdr entity`, their -c CSV forms, and the verbose blocks of
// `-v sdr list` and `sdr get`. Every printf width and quirk is kept, including the 15-character
// cut of "value unit" (ipmitool formats it into a 16-byte buffer) and, as the Debian build the
// tests run does (patch 0105-sensor_reading, Debian bug #983082), the state byte rather than the
// raw reading in the value column of discrete sensors.

import { formatFixed, formatReading } from '../../ipmi/printf.js';
import { rawToUnits, hysteresisToUnits, toleranceToUnits, type ConversionFactors } from '../../ipmi/sdr/conversion.js';
import type {
  EventOnlySensorRecord,
  FruDeviceLocatorRecord,
  FullSensorRecord,
  GenericDeviceLocatorRecord,
  McDeviceLocatorRecord,
  SdrRecord,
} from '../../ipmi/sdr/records.js';
import { entityIdName } from '../../ipmi/tables/entity-ids.js';
import { assertedStateTexts, eventStateRows } from '../../ipmi/tables/event-types.js';
import { sensorTypeName } from '../../ipmi/tables/sensor-types.js';
import { crossedThreshold, thresholdLabels } from '../../ipmi/tables/thresholds.js';
import { hasNumericUnits, isThresholdSensor, type SensorValue } from '../../client/sensor-reading.js';
import type { EventEnables, EventStatus } from '../../ipmi/commands/sensor-event.js';
import { statusColor } from './color.js';

export const hex2 = (n: number): string => n.toString(16).padStart(2, '0');
export const HEX2 = (n: number): string => hex2(n).toUpperCase();
/** printf("%-16s"). */
export const pad16 = (s: string): string => s.padEnd(16);
/** The "%2d.%1d" entity column. */
const entityCol = (id: number, instance: number) => `${String(id).padStart(2)}.${instance & 0x7f}`;

export interface SdrTextMode {
  /** elist / type / entity. */
  extended: boolean;
  csv: boolean;
  verbose: number;
  /** Colour the status words (a TTY, not CSV). */
  color?: boolean;
}

/** ipmi_sdr_get_thresh_status: the status word of a threshold sensor. */
export function thresholdStatus(v: SensorValue, invalid: string, form: 'severity' | 'abbreviation' | 'label'): string {
  if (!v.valid) return invalid;
  const t = crossedThreshold(v.data2);
  return t ? thresholdLabels[t][form] : 'ok';
}

function statusForm(mode: SdrTextMode): 'severity' | 'abbreviation' | 'label' {
  return mode.verbose ? 'label' : mode.extended ? 'abbreviation' : 'severity';
}

/** s_a_str: "%.*f" with no decimals for whole numbers. */
export const analogText = (v: SensorValue, precision: number): string => (v.analog ? formatReading(v.value, precision) : '');

/** The states asserted in bytes 3-4, as `sdr elist` joins them (ipmi_sdr_print_discrete_state_mini). */
export function stateList(record: { sensorType: number; eventReadingType: number }, data2: number, data3: number): string[] | undefined {
  if (data2 === 0 && (data3 & 0x7f) === 0) return undefined;
  return assertedStateTexts(record.sensorType, record.eventReadingType, data2 | ((data3 & 0x7f) << 8));
}

const paint = (mode: SdrTextMode, s: string) => (mode.color ? statusColor(s) : s);

/** One full/compact record in list, elist or CSV form (no newline handling: returns the line). */
export function sensorLine(v: SensorValue, mode: SdrTextMode): string {
  const r = v.record;
  const id = r.idString;
  const threshold = isThresholdSensor(r);
  const aStr = analogText(v, 2);
  if (mode.csv) {
    let line = `${id},`;
    if (!threshold) {
      line += csvDiscrete(v, aStr);
    } else {
      if (v.valid) {
        if (v.analog) line += `${formatReading(v.value, 3)},${v.unit},${thresholdStatus(v, 'ns', statusForm(mode))}`;
        else line += csvDiscrete(v, aStr);
      } else {
        line += ',,ns';
      }
      if (mode.verbose) line += csvVerboseTail(v);
    }
    return line;
  }
  if (!mode.extended) {
    let sval: string;
    if (v.valid) sval = v.analog ? `${aStr} ${v.unit}` : `0x${hex2(v.data2)}`;
    else if (v.scanningDisabled) sval = r.kind === 'full' ? 'disabled' : 'Not Readable';
    else sval = r.kind === 'full' ? 'no reading' : 'Not Readable';
    const status = threshold ? thresholdStatus(v, 'ns', 'severity') : v.valid ? 'ok' : 'ns';
    return `${pad16(id)} | ${sval.slice(0, 15).padEnd(17)} | ${paint(mode, status)}`;
  }
  const status = threshold ? thresholdStatus(v, 'ns', 'abbreviation') : v.valid ? 'ok' : 'ns';
  let line = `${pad16(id)} | ${HEX2(r.sensorNumber)}h | ${paint(mode, status.padEnd(3))} | ${entityCol(r.entityId, r.entityInstance)} | `;
  if (v.valid) {
    if (threshold && v.analog) {
      line += `${aStr} ${v.unit}`.slice(0, 15);
    } else {
      let header: string | undefined;
      if (v.analog) {
        line += `${aStr} ${v.unit}`;
        header = ', ';
      }
      const states = stateList(r, v.data2, v.data3);
      if (states) line += (header ?? '') + states.join(', ');
    }
  } else {
    line += v.scanningDisabled ? 'Disabled' : 'No Reading';
  }
  return line;
}

/** print_csv_discrete. */
function csvDiscrete(v: SensorValue, aStr: string): string {
  const r = v.record;
  const entity = `${r.entityId}.${r.entityInstance}`;
  if (!v.valid || v.unavailable) return `${HEX2(r.sensorNumber)}h,ns,${entity},No Reading`;
  const head = v.analog ? `${aStr},${v.unit},` : `${HEX2(r.sensorNumber)}h,`;
  return `${head}ok,${entity},${(stateList(r, v.data2, v.data3) ?? []).join(', ')}`;
}

/** The columns `-v -c sdr list` adds to threshold sensors (SENSOR_PRINT_CSV). */
function csvVerboseTail(v: SensorValue): string {
  const r = v.record;
  let s = `,${r.entityId}.${r.entityInstance},${entityIdName(r.entityId)},${sensorTypeName(r.sensorType)},`;
  if (r.kind !== 'full') return s + ',,,,,,,,,,';
  const f = v.factors!;
  const numeric = hasNumericUnits(r);
  const val = (flag: boolean, raw: number) => (flag ? (numeric ? `${formatFixed(rawToUnits(raw, f) ?? 0, 3)},` : `0x${HEX2(raw)},`) : ',');
  const read = r.readingMask & 0xff;
  const t = r.thresholds;
  s += val(r.analogFlags.nominalReadingSpecified, r.nominalReading);
  s += val(r.analogFlags.normalMinSpecified, r.normalMinimum);
  s += val(r.analogFlags.normalMaxSpecified, r.normalMaximum);
  s += val((read & 0x20) !== 0, t.upperNonRecoverable);
  s += val((read & 0x10) !== 0, t.upperCritical);
  s += val((read & 0x08) !== 0, t.upperNonCritical);
  s += val((read & 0x04) !== 0, t.lowerNonRecoverable);
  s += val((read & 0x02) !== 0, t.lowerCritical);
  s += val((read & 0x01) !== 0, t.lowerNonCritical);
  s += numeric ? `${formatFixed(rawToUnits(r.sensorMinimumReading, f) ?? 0, 3)},${formatFixed(rawToUnits(r.sensorMaximumReading, f) ?? 0, 3)}` : `0x${HEX2(r.sensorMinimumReading)},0x${HEX2(r.sensorMaximumReading)}`;
  return s;
}

// ---- records without readings ------------------------------------------------------------------

/** "%.*s" with the ID length + 1 into a 17-byte buffer. */
const desc = (r: { idString: string }) => r.idString.slice(0, 16);

export function eventOnlyLine(r: EventOnlySensorRecord, mode: SdrTextMode): string {
  if (mode.csv) return `${desc(r)},${HEX2(r.sensorNumber)}h,ns,${r.entityId}.${r.entityInstance},Event-Only`;
  if (mode.extended) return `${pad16(desc(r))} | ${HEX2(r.sensorNumber)}h | ${paint(mode, 'ns ')} | ${entityCol(r.entityId, r.entityInstance)} | Event-Only`;
  return `${pad16(desc(r))} | Event-Only        | ${paint(mode, 'ns')}`;
}

export function eventOnlyBlock(r: EventOnlySensorRecord): string {
  return [
    `Sensor ID              : ${desc(r)} (0x${r.sensorNumber.toString(16)})`,
    `Entity ID              : ${r.entityId}.${r.entityInstance} (${entityIdName(r.entityId)})`,
    `Sensor Type            : ${sensorTypeName(r.sensorType)} (0x${hex2(r.sensorType)})`,
    '',
    '',
  ].join('\n');
}

export function mcLocatorLine(r: McDeviceLocatorRecord, mode: SdrTextMode): string {
  const fixed = (r.powerStateNotification & 1) !== 0;
  if (mode.csv) return `${desc(r)},00h,ok,${r.entityId}.${r.entityInstance}`;
  if (mode.extended) return `${pad16(desc(r))} | 00h | ${paint(mode, 'ok ')} | ${entityCol(r.entityId, r.entityInstance)} | ${fixed ? 'Static' : 'Dynamic'} MC @ ${HEX2(r.deviceSlaveAddress)}h`;
  return `${pad16(desc(r))} | ${fixed ? 'Static' : 'Dynamic'} MC @ ${HEX2(r.deviceSlaveAddress)}h ${fixed ? ' ' : ''} | ${paint(mode, 'ok')}`;
}

export function mcLocatorBlock(r: McDeviceLocatorRecord): string {
  const p = r.powerStateNotification;
  const g = r.globalInitialization;
  const caps = r.deviceCapabilities;
  const yn = (bit: number) => ((caps & bit) !== 0 ? 'Yes' : 'No');
  const gen = ['Enable', 'Disable', 'Do Not Init Controller', 'Reserved'][g & 3];
  return [
    `Device ID              : ${r.idString}`,
    `Entity ID              : ${r.entityId}.${r.entityInstance} (${entityIdName(r.entityId)})`,
    `Device Slave Address   : ${HEX2(r.deviceSlaveAddress)}h`,
    `Channel Number         : ${r.channelNumber.toString(16).toUpperCase()}h`,
    `ACPI System P/S Notif  : ${p & 4 ? '' : 'Not '}Required`,
    `ACPI Device P/S Notif  : ${p & 2 ? '' : 'Not '}Required`,
    `Controller Presence    : ${p & 1 ? 'Static' : 'Dynamic'}`,
    `Logs Init Agent Errors : ${g & 8 ? 'Yes' : 'No'}`,
    `Event Message Gen      : ${gen}`,
    'Device Capabilities',
    ` Chassis Device        : ${yn(0x80)}`,
    ` Bridge                : ${yn(0x40)}`,
    ` IPMB Event Generator  : ${yn(0x20)}`,
    ` IPMB Event Receiver   : ${yn(0x10)}`,
    ` FRU Inventory Device  : ${yn(0x08)}`,
    ` SEL Device            : ${yn(0x04)}`,
    ` SDR Repository        : ${yn(0x02)}`,
    ` Sensor Device         : ${yn(0x01)}`,
    '',
    '',
  ].join('\n');
}

export function fruLocatorLine(r: FruDeviceLocatorRecord, mode: SdrTextMode): string {
  const inst = r.entityInstance & 0x7f;
  if (mode.csv) return `${desc(r)},00h,ns,${r.entityId}.${inst}`;
  if (mode.extended) return `${pad16(desc(r))} | 00h | ${paint(mode, 'ns ')} | ${entityCol(r.entityId, inst)} | ${r.logicalFruDevice ? 'Logical' : 'Physical'} FRU @${HEX2(r.fruDeviceId)}h`;
  return `${pad16(desc(r))} | ${r.logicalFruDevice ? 'Log' : 'Phy'} FRU @${HEX2(r.fruDeviceId)}h ${hex2(r.entityId)}.${inst.toString(16)} | ${paint(mode, 'ok')}`;
}

const deviceTypeText = (type: number, modifier: number) => deviceTypeNames.get((type << 8) | modifier) ?? 'Unknown';

/** The lines FRU and generic locator blocks end with (and the blank line after a block). */
function locatorDeviceLines(r: FruDeviceLocatorRecord | GenericDeviceLocatorRecord): string[] {
  const h = (n: number) => n.toString(16).toUpperCase();
  return [
    `Channel Number         : ${h(r.channelNumber)}h`,
    `LUN.Bus                : ${h(r.accessLun)}h.${h(r.privateBusId)}h`,
    `Device Type.Modifier   : ${h(r.deviceType)}h.${h(r.deviceTypeModifier)}h (${deviceTypeText(r.deviceType, r.deviceTypeModifier)})`,
    `OEM                    : ${HEX2(r.oem)}h`,
    '',
    '',
  ];
}

export function fruLocatorBlock(r: FruDeviceLocatorRecord): string {
  const inst = r.entityInstance & 0x7f;
  return [
    `Device ID              : ${r.idString}`,
    `Entity ID              : ${r.entityId}.${inst} (${entityIdName(r.entityId)})`,
    `Device Access Address  : ${HEX2(r.deviceAccessAddress)}h`,
    `${r.logicalFruDevice ? 'Logical FRU Device     ' : 'Slave Address          '}: ${HEX2(r.fruDeviceId)}h`,
    ...locatorDeviceLines(r),
  ].join('\n');
}

export function genericLocatorLine(r: GenericDeviceLocatorRecord, mode: SdrTextMode): string {
  const inst = r.entityInstance & 0x7f;
  if (mode.csv) return `${desc(r)},00h,ns,${r.entityId}.${inst}`;
  if (mode.extended) return `${pad16(desc(r))} | 00h | ${paint(mode, 'ns ')} | ${entityCol(r.entityId, inst)} | Generic Device @${HEX2(r.deviceAccessAddress)}h:${HEX2(r.deviceSlaveAddress)}h.${r.oem}`;
  return `${pad16(desc(r))} | Generic @${HEX2(r.deviceAccessAddress)}:${HEX2(r.deviceSlaveAddress)}.${String(r.oem).padEnd(2)} | ${paint(mode, 'ok')}`;
}

export function genericLocatorBlock(r: GenericDeviceLocatorRecord): string {
  const inst = r.entityInstance & 0x7f;
  return [
    `Device ID              : ${r.idString}`,
    `Entity ID              : ${r.entityId}.${inst} (${entityIdName(r.entityId)})`,
    `Device Access Address  : ${HEX2(r.deviceAccessAddress)}h`,
    `Device Slave Address   : ${HEX2(r.deviceSlaveAddress)}h`,
    `Address Span           : ${HEX2(r.addressSpan)}h`,
    ...locatorDeviceLines(r),
  ].join('\n');
}

/** ipmitool's entity_device_type_vals (IPMI v2.0 Table 43-12), keyed by type << 8 | modifier. */
const deviceTypeNames = new Map<number, string>([
  [0x0000, 'Reserved'],
  [0x0100, 'Reserved'],
  [0x0200, 'DS1624 temperature sensor'],
  [0x0300, 'DS1621 temperature sensor'],
  [0x0400, 'LM75 Temperature Sensor'],
  [0x0500, 'Heceta ASIC'],
  [0x0600, 'Reserved'],
  [0x0700, 'Reserved'],
  [0x0800, 'EEPROM, 24C01'],
  [0x0801, 'DIMM Memory ID'],
  [0x0802, 'IPMI FRU Inventory'],
  [0x0803, 'System Processor Cartridge FRU'],
  [0x0900, 'EEPROM, 24C02'],
  [0x0901, 'DIMM Memory ID'],
  [0x0902, 'IPMI FRU Inventory'],
  [0x0903, 'System Processor Cartridge FRU'],
  [0x0a00, 'EEPROM, 24C04'],
  [0x0a01, 'DIMM Memory ID'],
  [0x0a02, 'IPMI FRU Inventory'],
  [0x0a03, 'System Processor Cartridge FRU'],
  [0x0b00, 'EEPROM, 24C08'],
  [0x0b01, 'DIMM Memory ID'],
  [0x0b02, 'IPMI FRU Inventory'],
  [0x0b03, 'System Processor Cartridge FRU'],
  [0x0c00, 'EEPROM, 24C16'],
  [0x0c01, 'DIMM Memory ID'],
  [0x0c02, 'IPMI FRU Inventory'],
  [0x0c03, 'System Processor Cartridge FRU'],
  [0x0d00, 'EEPROM, 24C17'],
  [0x0d01, 'DIMM Memory ID'],
  [0x0d02, 'IPMI FRU Inventory'],
  [0x0d03, 'System Processor Cartridge FRU'],
  [0x0e00, 'EEPROM, 24C32'],
  [0x0e01, 'DIMM Memory ID'],
  [0x0e02, 'IPMI FRU Inventory'],
  [0x0e03, 'System Processor Cartridge FRU'],
  [0x0f00, 'EEPROM, 24C64'],
  [0x0f01, 'DIMM Memory ID'],
  [0x0f02, 'IPMI FRU Inventory'],
  [0x0f03, 'System Processor Cartridge FRU'],
  [0x1000, 'IPMI FRU Inventory'],
  [0x1001, 'DIMM Memory ID'],
  [0x1002, 'IPMI FRU Inventory'],
  [0x1003, 'System Processor Cartridge FRU'],
  [0x10ff, 'Unspecified'],
  [0x1100, 'PCF 8570 256 byte RAM'],
  [0x1200, 'PCF 8573 clock/calendar'],
  [0x1300, 'PCF 8574A I/O Port'],
  [0x1400, 'PCF 8583 clock/calendar'],
  [0x1500, 'PCF 8593 clock/calendar'],
  [0x1600, 'Clock calendar'],
  [0x1700, 'PCF 8591 A/D, D/A Converter'],
  [0x1800, 'I/O Port'],
  [0x1900, 'A/D Converter'],
  [0x1a00, 'D/A Converter'],
  [0x1b00, 'A/D, D/A Converter'],
  [0x1c00, 'LCD Controller/Driver'],
  [0x1d00, 'Core Logic (Chip set) Device'],
  [0x1e00, 'LMC6874 Intelligent Battery controller'],
  [0x1f00, 'Intelligent Batter controller'],
  [0x2000, 'Combo Management ASIC'],
  [0x2100, 'Maxim 1617 Temperature Sensor'],
  [0xbf00, 'Other/Unspecified'],
]);

// ---- verbose blocks (`-v sdr list`, `sdr get`) --------------------------------------------------

/** Get Sensor Event Status / Enable as ipmitool sees them: the answer's length matters. */
export interface EventBits {
  length: number;
  value: EventStatus | EventEnables;
}

// Assertion bits in Get Sensor Event Status/Enable order: byte 3 bits 0-7, byte 4 bits 0-3.
const assertCond1 = ['lnc-', 'lnc+', 'lcr-', 'lcr+', 'lnr-', 'lnr+', 'unc-', 'unc+'];
const assertCond2 = ['ucr-', 'ucr+', 'unr-', 'unr+'];

function analogEventLine(title: string, e: EventBits, deassertTitle: string, both: boolean): string[] {
  const out: string[] = [];
  const a = e.value.assertion ?? 0;
  const d = e.value.deassertion ?? 0;
  let line = ` ${title} : `;
  for (let i = 0; i < 8; i++) if (a & (1 << i)) line += `${assertCond1[i]} `;
  if (e.length > 2) {
    for (let i = 0; i < 4; i++) if ((a >> 8) & (1 << i)) line += `${assertCond2[i]} `;
    out.push(line);
    const lo = d & 0xff;
    const hi = d >> 8;
    const show = (e.length === 4 && lo !== 0) || (e.length > 4 && (both ? lo !== 0 && hi !== 0 : lo !== 0 || hi !== 0));
    if (show) {
      let dl = ` ${deassertTitle} : `;
      for (let i = 0; i < 8; i++) if (lo & (1 << i)) dl += `${assertCond1[i]} `;
      if (e.length > 4) for (let i = 0; i < 4; i++) if (hi & (1 << i)) dl += `${assertCond2[i]} `;
      out.push(dl);
    }
  } else {
    out.push(line);
  }
  return out;
}

/** ipmi_sdr_print_discrete_state: a title line and one "[state]" line per asserted state. */
export function discreteStateLines(title: string, sensorType: number, eventReadingType: number, state1: number, state2: number): string[] {
  if (state1 === 0 && (state2 & 0x7f) === 0) return [];
  const rows = eventStateRows(sensorType, eventReadingType).filter((row) => row[2] === undefined);
  if (rows.length === 0) return [];
  const out = [` ${title.padEnd(21)} : ${sensorTypeName(sensorType)}`];
  for (const [offset, text] of rows) {
    const set = offset > 7 ? (1 << (offset - 8)) & (state2 & 0x7f) : (1 << offset) & state1;
    if (set) out.push(`                         [${text}]`);
  }
  return out;
}

function discreteEventLines(title: string, deTitle: string, r: { sensorType: number; eventReadingType: number }, e: EventBits): string[] {
  const a = e.value.assertion ?? 0;
  const d = e.value.deassertion ?? 0;
  const out: string[] = [];
  if (e.length === 2) out.push(...discreteStateLines(title, r.sensorType, r.eventReadingType, a & 0xff, 0));
  else if (e.length > 2) out.push(...discreteStateLines(title, r.sensorType, r.eventReadingType, a & 0xff, a >> 8));
  if (e.length === 4) out.push(...discreteStateLines(deTitle, r.sensorType, r.eventReadingType, d & 0xff, 0));
  else if (e.length > 4) out.push(...discreteStateLines(deTitle, r.sensorType, r.eventReadingType, d & 0xff, d >> 8));
  return out;
}

const eventMessageControl = ['Per-threshold', 'Entire Sensor Only', 'Global Disable Only', 'No Events From Sensor'];

export function hysteresisLine(label: string, raw: number, full: FullSensorRecord | undefined, numeric: boolean, f: ConversionFactors | undefined): string {
  if (!full || !numeric) return ` ${label}   : ${raw === 0 || raw === 0xff ? 'Unspecified' : `0x${HEX2(raw)}`}`;
  const c = hysteresisToUnits(raw, f!) ?? 0;
  return ` ${label}   : ${raw === 0 || raw === 0xff || c === 0 ? 'Unspecified' : formatFixed(c, 3)}`;
}

function minMaxLines(full: FullSensorRecord, f: ConversionFactors): string[] {
  const numeric = hasNumericUnits(full);
  const fmt = full.units.analogDataFormat;
  const line = (label: string, raw: number, unspecified: number[]) => {
    const c = numeric ? (rawToUnits(raw, f) ?? 0) : 0;
    if (unspecified[fmt] === raw || (numeric && c === 0)) return ` ${label}  : Unspecified`;
    return ` ${label}  : ${numeric ? formatFixed(c, 3) : `0x${HEX2(raw)}`}`;
  };
  return [line('Minimum sensor range', full.sensorMinimumReading, [0x00, 0xff, 0x80]), line('Maximum sensor range', full.sensorMaximumReading, [0xff, 0x00, 0x7f])];
}

function thresholdNames(mask: number): string {
  const names = ['lnr', 'lcr', 'lnc', 'unc', 'ucr', 'unr'];
  const bitOf: Record<string, number> = { lnc: 0x01, lcr: 0x02, lnr: 0x04, unc: 0x08, ucr: 0x10, unr: 0x20 };
  return names.filter((n) => mask & bitOf[n]!).map((n) => `${n} `).join('');
}

/** The `-v sdr list` / `sdr get` block of a full or compact record (ipmi_sdr_print_sensor_fc). */
export function sensorBlock(v: SensorValue, status: EventBits | undefined, enable: EventBits | undefined): string {
  const r = v.record;
  const full = r.kind === 'full' ? r : undefined;
  const out: string[] = [];
  out.push(`Sensor ID              : ${r.idString} (0x${r.sensorNumber.toString(16)})`);
  out.push(` Entity ID             : ${r.entityId}.${r.entityInstance} (${entityIdName(r.entityId)})`);
  const aStr = analogText(v, 2);
  if (!isThresholdSensor(r)) {
    out.push(` Sensor Type (Discrete): ${sensorTypeName(r.sensorType)} (0x${hex2(r.sensorType)})`);
    let reading: string;
    if (v.valid) reading = v.analog ? `${aStr} ${v.unit}` : `${v.raw.toString(16)}h`;
    else reading = v.scanningDisabled ? 'Disabled' : 'No Reading';
    out.push(` Sensor Reading        : ${reading}`);
    out.push(` Event Message Control : ${eventMessageControl[r.capabilities.eventMessageControl]}`);
    out.push(...discreteStateLines('States Asserted', r.sensorType, r.eventReadingType, v.data2, v.data3));
    if (status) out.push(...eventStatusLines(status, r, false));
    if (enable) out.push(...eventEnableLines(enable, r, false));
    out.push(` OEM                   : ${r.oem.toString(16).toUpperCase()}`);
    return out.join('\n') + '\n\n';
  }
  out.push(` Sensor Type (Threshold)  : ${sensorTypeName(r.sensorType)} (0x${hex2(r.sensorType)})`);
  let reading: string;
  const numeric = hasNumericUnits(r);
  if (v.valid) {
    if (full) {
      if (!numeric) reading = `0x${HEX2(v.raw)} (+/- 0x${HEX2(full.tolerance)}) ${v.unit}`;
      else {
        const tol = toleranceToUnits(full.tolerance, v.factors!) ?? 0;
        reading = `${formatReading(v.value, 3)} (+/- ${formatReading(tol, 3)}) ${v.unit}`;
      }
    } else {
      reading = `0x${HEX2(v.raw)} ${v.unit}`;
    }
  } else {
    reading = v.scanningDisabled ? 'Disabled' : 'No Reading';
  }
  out.push(` Sensor Reading        : ${reading}`);
  out.push(` Status                : ${thresholdStatus(v, 'Not Available', 'label')}`);
  if (full) {
    const f = v.factors!;
    const val = (raw: number) => (numeric ? formatFixed(rawToUnits(raw, f) ?? 0, 3) : `0x${HEX2(raw)}`);
    if (full.analogFlags.nominalReadingSpecified) out.push(` ${'Nominal Reading'.padEnd(21)} : ${val(full.nominalReading)}`);
    if (full.analogFlags.normalMinSpecified) out.push(` ${'Normal Minimum'.padEnd(21)} : ${val(full.normalMinimum)}`);
    if (full.analogFlags.normalMaxSpecified) out.push(` ${'Normal Maximum'.padEnd(21)} : ${val(full.normalMaximum)}`);
    const read = full.readingMask & 0xff;
    const t = full.thresholds;
    const th = (label: string, bit: number, raw: number) => {
      if (full.initialization.initThresholds && read & bit) out.push(` ${label.padEnd(21)} : ${val(raw)}`);
    };
    th('Upper non-recoverable', 0x20, t.upperNonRecoverable);
    th('Upper critical', 0x10, t.upperCritical);
    th('Upper non-critical', 0x08, t.upperNonCritical);
    th('Lower non-recoverable', 0x04, t.lowerNonRecoverable);
    th('Lower critical', 0x02, t.lowerCritical);
    th('Lower non-critical', 0x01, t.lowerNonCritical);
  }
  out.push(hysteresisLine('Positive Hysteresis', r.positiveHysteresis, full, numeric, v.factors));
  out.push(hysteresisLine('Negative Hysteresis', r.negativeHysteresis, full, numeric, v.factors));
  if (full) out.push(...minMaxLines(full, v.factors!));
  out.push(` Event Message Control : ${eventMessageControl[r.capabilities.eventMessageControl]}`);
  const access = r.capabilities.thresholdAccess;
  const masks = (m: number) => (access === 0 ? 'No Thresholds' : access === 3 ? 'Thresholds Fixed' : thresholdNames(m));
  out.push(` Readable Thresholds   : ${masks(r.readingMask & 0xff)}`);
  out.push(` Settable Thresholds   : ${masks(r.readingMask >> 8)}`);
  const readMask = ((r.assertionMask >> 12) & 0x07) | (((r.deassertionMask >> 12) & 0x07) << 3);
  if (readMask) out.push(` Threshold Read Mask   : ${thresholdNames(readMask)}`);
  if (status) out.push(...eventStatusLines(status, r, true));
  if (enable) out.push(...eventEnableLines(enable, r, true));
  return out.join('\n') + '\n\n';
}

export function eventStatusLines(e: EventBits, r: { sensorType: number; eventReadingType: number }, analog: boolean): string[] {
  const value = e.value as EventStatus;
  if (value.unavailable) return [' Event Status          : Unavailable'];
  const out: string[] = [];
  if (!value.eventsEnabled) out.push(' Event Status          : Event Messages Disabled');
  if (analog) out.push(...analogEventLine('Assertion Events     ', e, 'Deassertion Events   ', true));
  else out.push(...discreteEventLines('Assertion Events', 'Deassertion Events', r, e));
  return out;
}

export function eventEnableLines(e: EventBits, r: { sensorType: number; eventReadingType: number }, analog: boolean): string[] {
  const out: string[] = [];
  if (!e.value.eventsEnabled) out.push(' Event Enable          : Event Messages Disabled');
  if (analog) out.push(...analogEventLine('Assertions Enabled   ', e, 'Deassertions Enabled ', false));
  else out.push(...discreteEventLines('Assertions Enabled', 'Deassertions Enabled', r, e));
  return out;
}

/** The line or block for any record ipmitool lists (undefined for records it skips). */
export function recordText(record: SdrRecord, mode: SdrTextMode): string | undefined {
  switch (record.kind) {
    case 'eventOnly':
      return mode.verbose ? eventOnlyBlock(record) : eventOnlyLine(record, mode) + '\n';
    case 'mcLocator':
      return mode.verbose ? mcLocatorBlock(record) : mcLocatorLine(record, mode) + '\n';
    case 'fruLocator':
      return mode.verbose ? fruLocatorBlock(record) : fruLocatorLine(record, mode) + '\n';
    case 'genericLocator':
      return mode.verbose ? genericLocatorBlock(record) : genericLocatorLine(record, mode) + '\n';
    default:
      return undefined;
  }
}
