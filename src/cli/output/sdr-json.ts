// The --json forms of SDR and sensor output. Field names are the codecs' (IPMI spec names in
// camelCase): a sensor is its record's keys and type codes plus the reading; a locator is its
// decoded record. Numbers stay numbers; a value that is not there is null, never "na".

import type { SdrRecord } from '../../ipmi/sdr/records.js';
import { sensorTypeName } from '../../ipmi/tables/sensor-types.js';
import { entityIdName } from '../../ipmi/tables/entity-ids.js';
import type { ThresholdName } from '../../ipmi/tables/thresholds.js';
import { isThresholdSensor, type SensorValue } from '../../client/sensor-reading.js';
import { stateList, thresholdStatus } from './sdr-text.js';
import { SENSOR_LIST_THRESHOLDS, thresholdValue, type Thresholds } from './sensor-text.js';

export interface SensorJson {
  recordId: number;
  recordType: 'full' | 'compact';
  idString: string;
  sensorNumber: number;
  sensorOwnerId: number;
  sensorOwnerLun: number;
  entityId: number;
  entityInstance: number;
  entityName: string;
  sensorType: number;
  sensorTypeName: string;
  eventReadingType: number;
  /** Get Sensor Reading returned a usable reading. */
  readingAvailable: boolean;
  scanningEnabled: boolean;
  eventsEnabled: boolean;
  /** The raw reading byte; null without a reading. */
  rawReading: number | null;
  /** The reading in `unit` (analog sensors); null otherwise. */
  reading: number | null;
  unit: string | null;
  /** ok, lnc, lcr, lnr, unc, ucr, unr (threshold sensors), or ns: no reading. */
  status: string;
  /** Asserted states (discrete sensors), as `sdr elist` names them. */
  states: string[];
  /** Get Sensor Reading bytes 3-4: comparison bits or state bits. */
  stateBits: number;
  /** `sensor list`: the current thresholds in units (raw for non-numeric sensors), null = not readable. */
  thresholds?: Record<ThresholdName, number | null>;
}

const thresholdKeys: Record<number, ThresholdName> = {
  0: 'lowerNonCritical',
  1: 'lowerCritical',
  2: 'lowerNonRecoverable',
  3: 'upperNonCritical',
  4: 'upperCritical',
  5: 'upperNonRecoverable',
};

/** A converted value without binary noise (12.100000000000001 → 12.1): 12 significant digits. */
export const tidy = (x: number): number => Number(x.toPrecision(12));

export function sensorJson(v: SensorValue, thresholds?: Thresholds | null): SensorJson {
  const r = v.record;
  const threshold = isThresholdSensor(r);
  const j: SensorJson = {
    recordId: r.recordId,
    recordType: r.kind,
    idString: r.idString,
    sensorNumber: r.sensorNumber,
    sensorOwnerId: r.sensorOwnerId,
    sensorOwnerLun: r.sensorOwnerLun,
    entityId: r.entityId,
    entityInstance: r.entityInstance,
    entityName: entityIdName(r.entityId),
    sensorType: r.sensorType,
    sensorTypeName: sensorTypeName(r.sensorType),
    eventReadingType: r.eventReadingType,
    readingAvailable: v.valid,
    scanningEnabled: !v.scanningDisabled,
    eventsEnabled: v.eventsEnabled,
    rawReading: v.valid ? v.raw : null,
    reading: v.valid && v.analog ? tidy(v.value) : null,
    unit: v.analog ? v.unit : null,
    status: threshold ? thresholdStatus(v, 'ns', 'abbreviation') : v.valid ? 'ok' : 'ns',
    states: threshold ? [] : (stateList(r, v.data2, v.data3) ?? []),
    stateBits: v.data2 | (v.data3 << 8),
  };
  if (thresholds !== undefined) {
    const t = {} as Record<ThresholdName, number | null>;
    for (const [bit, index] of SENSOR_LIST_THRESHOLDS) {
      const tv = thresholds ? thresholdValue(v, thresholds, bit, index) : undefined;
      t[thresholdKeys[index]!] = tv === undefined ? null : tv.value !== undefined ? tidy(tv.value) : thresholds!.values[index]!;
    }
    j.thresholds = t;
  }
  return j;
}

/** A record without a reading (event-only sensors, locators, others): its decoded fields. */
export function recordJson(record: SdrRecord): Record<string, unknown> {
  const { kind, ...fields } = record;
  const j: Record<string, unknown> = { recordType: kind, ...fields };
  if ('sensorType' in record) j.sensorTypeName = sensorTypeName(record.sensorType);
  if ('entityId' in record) j.entityName = entityIdName(record.entityId);
  return j;
}
