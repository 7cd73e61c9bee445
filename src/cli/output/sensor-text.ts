// ipmitool 1.8.19's `sensor` text (lib/ipmi_sensor.c): the 10-column `sensor list` row and its
// -c form, and the `sensor get` blocks. Readings print with 3 decimals here (2 in `sdr`), and
// thresholds are "%.3f" or "na". As in sdr-text.ts, the value column of a discrete sensor shows
// the state byte, as the Debian build does.

import { formatFixed } from '../../ipmi/printf.js';
import { rawToUnits, toleranceToUnits } from '../../ipmi/sdr/conversion.js';
import type { ThresholdBytes } from '../../ipmi/commands/sensor-event.js';
import { hasNumericUnits, isThresholdSensor, type SensorValue } from '../../client/sensor-reading.js';
import { analogText, discreteStateLines, eventEnableLines, eventStatusLines, hex2, hysteresisLine, pad16, thresholdStatus, type EventBits } from './sdr-text.js';
import { sensorTypeName as sensorTypeText } from '../../ipmi/tables/sensor-types.js';
import { statusColor } from './color.js';

export interface Thresholds {
  /** Get Sensor Thresholds byte 2: which values are readable. */
  readable: number;
  values: ThresholdBytes;
}

/** Column order of `sensor list`: lnr, lcr, lnc, unc, ucr, unr as [mask bit, index in values]. */
export const SENSOR_LIST_THRESHOLDS: readonly (readonly [bit: number, index: number, label: string])[] = [
  [0x04, 2, 'Lower Non-Recoverable'],
  [0x02, 1, 'Lower Critical'],
  [0x01, 0, 'Lower Non-Critical'],
  [0x08, 3, 'Upper Non-Critical'],
  [0x10, 4, 'Upper Critical'],
  [0x20, 5, 'Upper Non-Recoverable'],
];

export interface SensorTextMode {
  csv: boolean;
  color?: boolean;
}

/** A threshold in units, or its raw hex for sensors without numeric units; undefined = "na". */
export function thresholdValue(v: SensorValue, t: Thresholds | undefined, bit: number, index: number): { text: string; value: number | undefined } | undefined {
  if (!t || v.record.kind !== 'full' || !(t.readable & bit)) return undefined;
  const raw = t.values[index]!;
  if (!hasNumericUnits(v.record)) return { text: `0x${raw.toString(16)}`, value: undefined };
  const value = rawToUnits(raw, v.factors!) ?? 0;
  return { text: formatFixed(value, 3), value };
}

/** One `sensor list` row (no newline). `thresholds` is undefined when Get Sensor Thresholds failed. */
export function sensorListRow(v: SensorValue, thresholds: Thresholds | undefined, mode: SensorTextMode): string {
  const r = v.record;
  const paint = (s: string) => (mode.color && !mode.csv ? statusColor(s) : s);
  if (!isThresholdSensor(r)) {
    const aStr = analogText(v, 3);
    const na6 = mode.csv ? ',na,na,na,na,na,na' : ['na', 'na', 'na', 'na', 'na', 'na'].map((s) => `| ${s.padEnd(10)}`).join('');
    if (mode.csv) {
      let line = r.idString;
      if (v.valid) line += v.analog ? `,${aStr},${v.unit},ok` : `,0x${v.raw.toString(16)},discrete,0x${hex2(v.data2)}${hex2(v.data3)}`;
      else line += ',na,discrete,na';
      return line + na6;
    }
    let line = `${pad16(r.idString)} `;
    if (v.valid) line += v.analog ? `| ${aStr.padEnd(10)} | ${v.unit.padEnd(10)} | ${paint('ok'.padEnd(6))}` : `| 0x${v.data2.toString(16).padEnd(8)} | ${'discrete'.padEnd(10)} | 0x${hex2(v.data2)}${hex2(v.data3)}`;
    else line += `| ${'na'.padEnd(10)} | ${'discrete'.padEnd(10)} | ${paint('na'.padEnd(6))}`;
    return line + na6;
  }
  const status = thresholdStatus(v, 'ns', 'severity');
  const avail = thresholds !== undefined && r.kind === 'full';
  if (mode.csv) {
    let line = r.idString;
    if (v.valid) line += v.analog ? `,${formatFixed(v.value, 3)},${v.unit},${status}` : `,0x${v.raw.toString(16)},${v.unit},${status}`;
    else line += `,na,${v.unit},na`;
    for (const [bit, index] of SENSOR_LIST_THRESHOLDS) line += `,${avail ? (thresholdValue(v, thresholds, bit, index)?.text ?? 'na') : 'na'}`;
    return line;
  }
  let line = `${pad16(r.idString)} `;
  if (v.valid) line += v.analog ? `| ${formatFixed(v.value, 3).padEnd(10)} | ${v.unit.padEnd(10)} | ${paint(status.padEnd(6))}` : `| 0x${v.raw.toString(16).padEnd(8)} | ${v.unit.padEnd(10)} | ${paint(status.padEnd(6))}`;
  else line += `| ${'na'.padEnd(10)} | ${v.unit.padEnd(10)} | ${paint('na'.padEnd(6))}`;
  for (const [bit, index] of SENSOR_LIST_THRESHOLDS) {
    const t = avail ? thresholdValue(v, thresholds, bit, index) : undefined;
    // "%-10.3f", or "0x%-8x" for raw thresholds.
    line += `| ${t === undefined ? 'na'.padEnd(10) : t.value === undefined ? `0x${t.text.slice(2).padEnd(8)}` : t.text.padEnd(10)}`;
  }
  return line;
}

/** The `sensor get` block of a full or compact record. */
export function sensorGetBlock(v: SensorValue, thresholds: Thresholds | undefined, status: EventBits | undefined, enable: EventBits | undefined): string {
  const r = v.record;
  const out = [`Sensor ID              : ${r.idString} (0x${r.sensorNumber.toString(16)})`, ` Entity ID             : ${r.entityId}.${r.entityInstance}`];
  if (!isThresholdSensor(r)) {
    out.push(` Sensor Type (Discrete): ${sensorTypeText(r.sensorType)}`);
    if (v.valid) {
      if (v.analog) out.push(` Sensor Reading        : ${analogText(v, 3)} ${v.unit}`);
      out.push(...discreteStateLines('States Asserted', r.sensorType, r.eventReadingType, v.data2, v.data3));
      out.push('');
    } else {
      out.push(' Unable to read sensor: Device Not Present', '');
    }
    return out.join('\n') + '\n';
  }
  out.push(` Sensor Type (Threshold)  : ${sensorTypeText(r.sensorType)}`);
  if (v.valid) {
    let reading: string;
    if (r.kind === 'full') {
      if (v.analog) {
        const tol = toleranceToUnits(r.tolerance, v.factors!) ?? 0;
        reading = `${formatFixed(v.value, v.value === Math.trunc(v.value) ? 0 : 3)} (+/- ${formatFixed(tol, tol === Math.trunc(tol) ? 0 : 3)}) ${v.unit}`;
      } else {
        reading = `0x${v.raw.toString(16)} (+/- 0x${r.tolerance.toString(16)}) ${v.unit}`;
      }
    } else {
      reading = `0x${v.raw.toString(16)} ${v.unit}`;
    }
    out.push(` Sensor Reading        : ${reading}`);
    out.push(` Status                : ${thresholdStatus(v, 'ns', 'label')}`);
    if (thresholds) {
      if (r.kind === 'full') {
        for (const [bit, index, label] of SENSOR_LIST_THRESHOLDS) {
          out.push(` ${label.padEnd(21)} : ${thresholdValue(v, thresholds, bit, index)?.text ?? 'na'}`);
        }
      }
      const full = r.kind === 'full' ? r : undefined;
      out.push(hysteresisLine('Positive Hysteresis', r.positiveHysteresis, full, hasNumericUnits(r), v.factors));
      out.push(hysteresisLine('Negative Hysteresis', r.negativeHysteresis, full, hasNumericUnits(r), v.factors));
    } else {
      out.push(' Sensor Threshold Settings not available');
    }
  } else {
    out.push(' Unable to read sensor: Device Not Present', '');
  }
  if (status) out.push(...eventStatusLines(status, r, true));
  if (enable) out.push(...eventEnableLines(enable, r, true));
  out.push('');
  return out.join('\n') + '\n';
}
