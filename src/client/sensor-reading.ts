// One sensor's current state, read the way ipmitool reads it (ipmi_sdr_read_sensor_value): Get
// Sensor Reading at the owner's LUN, a reading usable only when the answer has at least two bytes,
// scanning is enabled and the "unavailable" bit is clear, and an analog value only for full
// threshold records whose units are numeric. Non-linear sensors (linearization 70h-7Fh) take
// their factors from Get Sensor Reading Factors for the reading at hand.

import type { LanClient } from './lan-client.js';
import { IpmiTimeoutError } from './errors.js';
import { ProtocolError } from '../protocol/bytes.js';
import { decodeWith, encodeWith } from '../ipmi/spec.js';
import {
  getSensorEventEnable,
  getSensorEventStatus,
  getSensorReading,
  getSensorReadingFactors,
  getSensorThresholds,
  type EventEnables,
  type EventStatus,
  type ThresholdBytes,
} from '../ipmi/commands/sensor-event.js';
import { AnalogDataFormat, conversionFactors, isNonLinear, rawToUnits, type ConversionFactors } from '../ipmi/sdr/conversion.js';
import type { CompactSensorRecord, FullSensorRecord } from '../ipmi/sdr/records.js';
import { EventReadingType } from '../ipmi/tables/event-types.js';
import { unitString } from '../ipmi/tables/units.js';

export type ReadableSensorRecord = FullSensorRecord | CompactSensorRecord;

export interface SensorValue {
  record: ReadableSensorRecord;
  /** A reading was returned and may be shown (ipmitool's s_reading_valid). */
  valid: boolean;
  scanningDisabled: boolean;
  unavailable: boolean;
  eventsEnabled: boolean;
  /** Get Sensor Reading byte 2: the raw reading. */
  raw: number;
  /** Byte 3: threshold comparison bits, or discrete states 0-7. */
  data2: number;
  /** Byte 4 as received: discrete states 8-14 (bit 7 reserved). */
  data3: number;
  /** The reading converts to a number in units (full threshold records with numeric units). */
  analog: boolean;
  /** The converted reading (0 when not analog or not valid). */
  value: number;
  /** Unit text when analog, else "". */
  unit: string;
  /** Factors in effect (the SDR's, or Get Sensor Reading Factors' for non-linear sensors). */
  factors: ConversionFactors | undefined;
  /** Why there is no reading: the completion code of Get Sensor Reading, if it failed. */
  completionCode?: number;
}

export const isThresholdSensor = (r: { eventReadingType: number }): boolean => r.eventReadingType === EventReadingType.Threshold;

/** Units are numeric (analog data format 0-2); ipmitool's !UNITS_ARE_DISCRETE. */
export const hasNumericUnits = (r: ReadableSensorRecord): boolean => r.units.analogDataFormat !== AnalogDataFormat.None;

export async function readSensor(client: LanClient, record: ReadableSensorRecord): Promise<SensorValue> {
  const v: SensorValue = {
    record,
    valid: false,
    scanningDisabled: false,
    unavailable: false,
    eventsEnabled: false,
    raw: 0,
    data2: 0,
    data3: 0,
    analog: false,
    value: 0,
    unit: '',
    factors: record.kind === 'full' ? conversionFactors(record) : undefined,
  };
  let r;
  try {
    r = await client.request(getSensorReading.netFn, getSensorReading.cmd, encodeWith(getSensorReading.request, { sensorNumber: record.sensorNumber }), record.sensorOwnerLun);
  } catch (e) {
    // ipmitool shows a sensor that does not answer as "no reading" and goes on.
    if (e instanceof IpmiTimeoutError) return v;
    throw e;
  }
  if (r.cc !== 0) {
    v.completionCode = r.cc;
    return v;
  }
  if (r.data.length < 2) return v;
  const s = decodeWith(getSensorReading.response, r.data);
  v.unavailable = s.unavailable;
  v.eventsEnabled = s.eventsEnabled;
  v.data2 = s.states & 0xff;
  v.data3 = s.states >> 8;
  if (!s.scanningEnabled) {
    v.scanningDisabled = true;
    return v;
  }
  if (!s.unavailable) {
    v.valid = true;
    v.raw = s.reading;
  }
  if (record.kind === 'full' && hasNumericUnits(record) && isThresholdSensor(record)) {
    if (isNonLinear(record.linearization)) {
      const f = await readingFactors(client, record, v.raw);
      if (!f) {
        v.valid = false;
        return v;
      }
      v.factors = f;
    }
    v.analog = true;
    if (v.valid) v.value = rawToUnits(v.raw, v.factors!) ?? 0;
    v.unit = unitString(record.units);
  }
  return v;
}

async function readingFactors(client: LanClient, record: FullSensorRecord, reading: number): Promise<ConversionFactors | undefined> {
  const r = await client.request(getSensorReadingFactors.netFn, getSensorReadingFactors.cmd, encodeWith(getSensorReadingFactors.request, { sensorNumber: record.sensorNumber, reading }), record.sensorOwnerLun);
  if (r.cc !== 0) return undefined;
  const { factors } = decodeWith(getSensorReadingFactors.response, r.data);
  return { m: factors.m, b: factors.b, bExp: factors.bExp, rExp: factors.rExp, linearization: record.linearization, analogDataFormat: record.units.analogDataFormat };
}

/** Get Sensor Thresholds; undefined when the sensor has none to report (any error). */
export async function readThresholds(client: LanClient, record: ReadableSensorRecord): Promise<{ readable: number; values: ThresholdBytes } | undefined> {
  try {
    const r = await client.request(getSensorThresholds.netFn, getSensorThresholds.cmd, encodeWith(getSensorThresholds.request, { sensorNumber: record.sensorNumber }), record.sensorOwnerLun);
    if (r.cc !== 0 || r.data.length === 0) return undefined;
    return decodeWith(getSensorThresholds.response, r.data);
  } catch (e) {
    if (e instanceof IpmiTimeoutError || e instanceof ProtocolError) return undefined;
    throw e;
  }
}

/** Get Sensor Event Status or Enable, with the answer's length (ipmitool prints by length). */
export async function readEventBits(client: LanClient, record: { sensorNumber: number; sensorOwnerLun: number }, which: 'status' | 'enable'): Promise<{ length: number; value: EventStatus | EventEnables } | undefined> {
  const spec = which === 'status' ? getSensorEventStatus : getSensorEventEnable;
  try {
    const r = await client.request(spec.netFn, spec.cmd, encodeWith(spec.request, { sensorNumber: record.sensorNumber }), record.sensorOwnerLun);
    if (r.cc !== 0 || r.data.length === 0) return undefined;
    return { length: r.data.length, value: decodeWith(spec.response, r.data) };
  } catch (e) {
    if (e instanceof IpmiTimeoutError || e instanceof ProtocolError) return undefined;
    throw e;
  }
}
