// The text ipmitool 1.8.19 prints for a SEL record in `sel list` / `sel elist`: the sensor column,
// the event description, and the extra column after "Asserted"/"Deasserted". OEM-specific
// decoders (Dell, Supermicro, Kontron, ...) are out of scope: we behave as ipmitool does for a
// BMC whose manufacturer it does not recognise.

import { conversionFactors, rawToUnits } from '../sdr/conversion.js';
import type { FullSensorRecord, SdrRecord, SensorRecord } from '../sdr/records.js';
import { EventReadingType, eventStateRows } from '../tables/event-types.js';
import { SensorType, sensorTypeName } from '../tables/sensor-types.js';
import { unitString } from '../tables/units.js';
import { formatReading } from '../printf.js';
import { decodeLatin1 } from '../type-length.js';
import type { SelRecord, SystemEventRecord } from './records.js';

const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

/**
 * The event description between the sensor column and "Asserted"/"Deasserted", or undefined
 * where ipmitool prints nothing. The offset (event data 1 [3:0]) selects a row of the
 * sensor-specific table for event/reading type 6Fh and of the generic table otherwise; a row tied
 * to an event data 2 value (firmware progress codes, version change details, PSU config errors)
 * matches only when event data 1 [7:6] says data 2 is present, and rows come in table order, so
 * e.g. firmware error offset 0 without data 2 reads "Unknown Error". Data 2/3 play no other part:
 * a watchdog 2 (23h) event's timer-use/interrupt details in data 2 are not shown.
 */
export function selEventDescription(record: SelRecord): string | undefined {
  if (record.kind !== 'system') return undefined;
  // 70h-7Eh go to OEM decoders only; 7Fh falls through to the (empty) generic lookup.
  if (record.eventReadingType >= 0x70 && record.eventReadingType < 0x7f) return undefined;
  const offset = record.eventData1 & 0x0f;
  const data2Present = (record.eventData1 & 0xc0) !== 0;
  for (const [rowOffset, text, eventData2] of eventStateRows(record.sensorType, record.eventReadingType)) {
    if (rowOffset === offset && (eventData2 === undefined || (data2Present && eventData2 === record.eventData2))) return text;
  }
  return undefined;
}

/**
 * The sensor column: "<sensor type> <SDR ID string>" when the record's sensor was found in the SDR
 * (`sel elist`), else "<sensor type> #0xNN", with the number left out for sensor number 0.
 */
export function selSensorText(record: SystemEventRecord, sdrIdString?: string): string {
  const type = sensorTypeName(record.sensorType);
  if (sdrIdString !== undefined) return `${type} ${sdrIdString}`;
  return record.sensorNumber !== 0 ? `${type} #0x${hex2(record.sensorNumber)}` : type;
}

/**
 * The column ipmitool appends after "Asserted"/"Deasserted", or undefined:
 * - threshold events whose sensor has a full SDR (`sel elist`): "Reading 160 > Threshold 144 degrees C",
 *   converted with the SDR's factors in single precision as ipmitool does; the comparison points the
 *   way the threshold was crossed and flips for deassertions (ipmitool PR #349);
 * - memory (0Ch) events of sensor 0 with event data 3 flagged as sensor-specific: "CPU c DIMM d".
 * ipmitool also tries the threshold text with a compact SDR by misreading it as a full one; we give
 * no text there.
 */
export function selExtraText(record: SelRecord, sdr?: FullSensorRecord): string | undefined {
  if (record.kind !== 'system') return undefined;
  const ed1 = record.eventData1;
  if (record.eventReadingType === EventReadingType.Threshold) {
    if (!sdr) return undefined;
    const factors = conversionFactors(sdr);
    // ipmitool keeps these in C floats, which decides how they print (43.94, not 43.9399986).
    const convert = (raw: number): number => Math.fround(rawToUnits(raw, factors) ?? 0);
    const reading = ((ed1 >> 6) & 3) === 1 ? convert(record.eventData2) : 0;
    let text = `Reading ${formatReading(reading, 2)}`;
    if (((ed1 >> 4) & 3) === 1) {
      const goingHigh = (ed1 & 1) === 1 !== (record.eventDirection === 'deassertion');
      text += ` ${goingHigh ? '>' : '<'} Threshold ${formatReading(convert(record.eventData3), 2)} ${unitString(sdr.units)}`;
    }
    return text;
  }
  if (
    record.eventReadingType === EventReadingType.SensorSpecific &&
    record.sensorType === SensorType.Memory &&
    record.sensorNumber === 0 &&
    (ed1 & 0x30) === 0x20
  ) {
    return `CPU ${record.eventData3 & 0x0f} DIMM ${record.eventData3 >> 4}`;
  }
  return undefined;
}

/**
 * What `sel list` prints for an OEM record after its timestamp columns (OEM non-timestamped
 * records have none): "OEM record c1 | 000157 | 010203040506", or for type F0h the Linux kernel
 * panic string (OEM data bytes 2-12, up to a NUL). The manufacturer ID prints most significant
 * byte first; `sel readraw` prints it reversed because it skips the byte-order conversion.
 */
export function selOemText(record: SelRecord): string | undefined {
  const hex = (data: Uint8Array): string => Array.from(data, hex2).join('');
  switch (record.kind) {
    case 'system':
      return undefined;
    case 'oemTimestamped':
      return `OEM record ${hex2(record.recordType)} | ${record.manufacturerId.toString(16).padStart(6, '0')} | ${hex(record.oemData)}`;
    case 'oemNonTimestamped':
      if (record.recordType === 0xf0) return `Linux kernel panic: ${decodeLatin1(record.oemData.subarray(2))}`;
      return `OEM record ${hex2(record.recordType)} | ${hex(record.oemData)}`;
  }
}

/**
 * The SDR ipmitool attributes a SEL record to in `sel elist`: the first full, compact or
 * event-only record with the same sensor number and sensor type whose owner ID equals the low
 * byte of the generator ID.
 */
export function sdrForSelRecord<T extends SdrRecord>(sdrs: readonly T[], record: SystemEventRecord): (T & SensorRecord) | undefined {
  return sdrs.find(
    (s): s is T & SensorRecord =>
      (s.kind === 'full' || s.kind === 'compact' || s.kind === 'eventOnly') &&
      s.sensorNumber === record.sensorNumber &&
      s.sensorType === record.sensorType &&
      s.sensorOwnerId === (record.generatorId & 0xff),
  );
}
