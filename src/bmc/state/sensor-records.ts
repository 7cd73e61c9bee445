// The validated description of one simulated sensor, and the SDRs generated from the config:
// full (01) records for analog sensors, compact (02) for discrete ones, event-only (03), FRU
// device locators (11) and the BMC's MC device locator (12). Pure: the SDR repository and the
// sensors build the same records from the same config.

import { unitsToHysteresis, unitsToRaw, type ConversionFactors } from '../../ipmi/sdr/conversion.js';
import {
  SDR_VERSION,
  type CompactSensorRecord,
  type EventOnlySensorRecord,
  type FruDeviceLocatorRecord,
  type FullSensorRecord,
  type McDeviceLocatorRecord,
  type SdrRecord,
  type SensorCapabilities,
  type SensorInitialization,
  type SensorRecord,
  type SensorUnits,
} from '../../ipmi/sdr/records.js';
import { EventReadingType } from '../../ipmi/tables/event-types.js';
import { thresholdOrder, type ThresholdName, type Thresholds } from '../../ipmi/tables/thresholds.js';
import type { BmcConfig } from '../config/model.js';
import type { SensorSourceConfig } from './sensor-sources.js';

/** The BMC's own IPMB address: the owner of every simulated sensor. */
export const BMC_ADDRESS = 0x20;

/** SDR capability encodings for threshold and hysteresis access (byte 12). */
export const Access = { None: 0, Readable: 1, Settable: 2, Fixed: 3 } as const;

export interface AnalogConfig {
  factors: ConversionFactors;
  /** Tolerance in ±½ raw counts; accuracy in 0.01 % × 10^accuracyExp. */
  tolerance: number;
  accuracy: number;
  accuracyExp: number;
  /** Sensor minimum and maximum readings, in units. */
  min: number;
  max: number;
  nominal?: number;
  normalMin?: number;
  normalMax?: number;
}

export interface SensorConfig {
  number: number;
  /** At most 16 characters: the SDR ID string. */
  name: string;
  lun: number;
  sensorType: number;
  /** 0x01 threshold, 0x02-0x0C generic discrete, 0x6F sensor-specific, 0x70-0x7F OEM. */
  eventReadingType: number;
  record: 'full' | 'compact' | 'eventOnly';
  entityId: number;
  entityInstance: number;
  units: SensorUnits;
  /** Full records of analog sensors. */
  analog?: AnalogConfig;
  /** In units; only the configured ones are readable and compared. */
  thresholds: Partial<Record<ThresholdName, number>>;
  /** Bit i = thresholdOrder[i] may be set over IPMI. */
  settableThresholds: number;
  thresholdAccess: number;
  /** In units. */
  hysteresis: { positive: number; negative: number };
  hysteresisAccess: number;
  /** Events the sensor can generate (SDR bytes 15-18, bits 0-14). */
  assertionMask: number;
  deassertionMask: number;
  /** Of those, the ones enabled at start (Set Sensor Event Enable); default: all. */
  assertionsEnabled?: number;
  deassertionsEnabled?: number;
  /** Discrete sensors: the states the sensor can report (SDR bytes 19-20). */
  discreteReadingMask: number;
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  /** SDR byte 12 [1:0]: 0 per threshold/state, 1 entire sensor, 2 global, 3 none. */
  eventMessageControl: number;
  /** Discrete sensors: the reading byte of Get Sensor Reading (normally 0). */
  discreteReading: number;
  source: SensorSourceConfig;
}

/** Options of the SDR repository (the `sdr:` section). */
export interface SdrConfig {
  /** Bytes the repository can hold (free space = capacity - records). */
  capacity: number;
  /** Most record bytes one Get SDR returns; a larger read answers 0xCA. */
  maxReadBytes: number;
  /** The BMC's own MC device locator record, or none. */
  mcLocator: { name: string; entityId: number; entityInstance: number } | undefined;
  /** FRU device locators; undefined = one per configured FRU device other than 0. */
  fruLocators: { id: number; name: string; entityId: number; entityInstance: number }[] | undefined;
  /**
   * The whole repository in order, when given: each record is a configured sensor's (by
   * sensor number) or bytes served as they are (record ID aside). Sensors not listed have no
   * SDR, and no locator records are generated.
   */
  records?: SdrRecordSpec[];
}

export type SdrRecordSpec = { sensor: number } | { raw: Uint8Array };

export const defaultSdrConfig = (): SdrConfig => ({
  capacity: 16384,
  maxReadBytes: 0xf0,
  mcLocator: { name: 'BMC', entityId: 0x06, entityInstance: 1 },
  fruLocators: undefined,
});

/** The threshold event offsets (0-11) a threshold crosses "naturally": lower going low, upper going high. */
export function naturalOffset(index: number): number {
  return index < 3 ? index * 2 : index * 2 + 1;
}

/** Bit masks of the configured thresholds (bit i = thresholdOrder[i]). */
export function thresholdMask(cfg: Pick<SensorConfig, 'thresholds'>): number {
  let m = 0;
  thresholdOrder.forEach((name, i) => {
    if (cfg.thresholds[name] !== undefined) m |= 1 << i;
  });
  return m;
}

/** Default assertion/deassertion masks: for each configured threshold, its natural offset. */
export function defaultThresholdEventMask(cfg: Pick<SensorConfig, 'thresholds'>): number {
  let m = 0;
  thresholdOrder.forEach((name, i) => {
    if (cfg.thresholds[name] !== undefined) m |= 1 << naturalOffset(i);
  });
  return m;
}

export function isThreshold(cfg: Pick<SensorConfig, 'eventReadingType'>): boolean {
  return cfg.eventReadingType === EventReadingType.Threshold;
}

/** Raw thresholds of a sensor, in SDR field order; 0 where none is configured. */
export function rawThresholds(cfg: SensorConfig): Thresholds {
  const out = {} as Thresholds;
  for (const name of thresholdOrder) {
    const v = cfg.thresholds[name];
    out[name] = v === undefined || !cfg.analog ? 0 : (unitsToRaw(v, cfg.analog.factors) ?? 0);
  }
  return out;
}

export function rawHysteresis(cfg: SensorConfig): { positive: number; negative: number } {
  if (!cfg.analog) return { positive: 0, negative: 0 };
  const f = cfg.analog.factors;
  return { positive: unitsToHysteresis(cfg.hysteresis.positive, f) ?? 0, negative: unitsToHysteresis(cfg.hysteresis.negative, f) ?? 0 };
}

function initialization(cfg: SensorConfig): SensorInitialization {
  const threshold = isThreshold(cfg);
  return {
    // "Settable": the sensor accepts Set Sensor Reading and Event Status.
    settable: cfg.record !== 'eventOnly',
    initScanning: true,
    initEvents: true,
    initThresholds: threshold && thresholdMask(cfg) !== 0,
    initHysteresis: threshold && cfg.hysteresisAccess !== Access.None,
    initSensorType: false,
    eventGenerationEnabled: cfg.eventsEnabled,
    sensorScanningEnabled: cfg.scanningEnabled,
  };
}

function capabilities(cfg: SensorConfig): SensorCapabilities {
  return {
    ignoreIfEntityAbsent: false,
    autoRearm: true,
    hysteresisSupport: cfg.hysteresisAccess,
    thresholdAccess: cfg.thresholdAccess,
    eventMessageControl: cfg.eventMessageControl,
  };
}

/** SDR bytes 15-20: event masks, plus the threshold comparison / readable / settable bits. */
function masks(cfg: SensorConfig): { assertionMask: number; deassertionMask: number; readingMask: number } {
  if (!isThreshold(cfg)) return { assertionMask: cfg.assertionMask & 0x7fff, deassertionMask: cfg.deassertionMask & 0x7fff, readingMask: cfg.discreteReadingMask & 0x7fff };
  const readable = thresholdMask(cfg);
  return {
    // Bits 12-14: which lower / upper threshold comparisons Get Sensor Reading returns.
    assertionMask: (cfg.assertionMask & 0x0fff) | ((readable & 0x07) << 12),
    deassertionMask: (cfg.deassertionMask & 0x0fff) | ((readable >> 3) << 12),
    readingMask: readable | ((cfg.settableThresholds & readable) << 8),
  };
}

/** The sensor's SDR with the given record ID. */
export function sensorSdr(cfg: SensorConfig, recordId: number): SensorRecord {
  const identity = {
    recordId,
    sdrVersion: SDR_VERSION,
    sensorOwnerId: BMC_ADDRESS,
    sensorOwnerLun: cfg.lun,
    channelNumber: 0,
    sensorNumber: cfg.number,
    entityId: cfg.entityId,
    entityInstance: cfg.entityInstance,
    logicalEntity: false,
    sensorType: cfg.sensorType,
    eventReadingType: cfg.eventReadingType,
    oem: 0,
    idString: cfg.name,
  };
  const sharing = { sensorDirection: 0, idStringInstanceModifierType: 0, shareCount: 0, entityInstanceSharing: false, idStringInstanceModifierOffset: 0 };
  if (cfg.record === 'eventOnly') return { kind: 'eventOnly', ...identity, ...sharing, fruInventoryDeviceOwnerLun: 0 } satisfies EventOnlySensorRecord;
  const common = { ...identity, initialization: initialization(cfg), capabilities: capabilities(cfg), ...masks(cfg), units: cfg.units };
  const hyst = rawHysteresis(cfg);
  if (cfg.record === 'compact' || !cfg.analog) {
    return { kind: 'compact', ...common, ...sharing, positiveHysteresis: hyst.positive, negativeHysteresis: hyst.negative } satisfies CompactSensorRecord;
  }
  const a = cfg.analog;
  const f = a.factors;
  const raw = (v: number | undefined) => (v === undefined ? 0 : (unitsToRaw(v, f) ?? 0));
  return {
    kind: 'full',
    ...common,
    linearization: f.linearization,
    m: f.m,
    tolerance: a.tolerance,
    b: f.b,
    accuracy: a.accuracy,
    accuracyExp: a.accuracyExp,
    sensorDirection: 0,
    rExp: f.rExp,
    bExp: f.bExp,
    analogFlags: { normalMinSpecified: a.normalMin !== undefined, normalMaxSpecified: a.normalMax !== undefined, nominalReadingSpecified: a.nominal !== undefined },
    nominalReading: raw(a.nominal),
    normalMaximum: raw(a.normalMax),
    normalMinimum: raw(a.normalMin),
    sensorMaximumReading: raw(a.max),
    sensorMinimumReading: raw(a.min),
    thresholds: rawThresholds(cfg),
    positiveHysteresis: hyst.positive,
    negativeHysteresis: hyst.negative,
  } satisfies FullSensorRecord;
}

/** A record given as bytes, with the record ID it gets in the repository. */
export function rawSdr(bytes: Uint8Array, recordId: number): SdrRecord {
  return { kind: 'raw', recordId, sdrVersion: bytes[2]!, recordType: bytes[3]!, body: bytes.slice(5) };
}

/**
 * Every record the config describes, with record IDs 1, 2, ...: `sdr.records` when given,
 * else the sensors', then FRU locators, then the MC locator.
 */
export function configuredSdrs(config: BmcConfig): SdrRecord[] {
  const out: SdrRecord[] = [];
  const next = () => out.length + 1;
  const given = config.sdr.records;
  if (given) {
    for (const r of given) {
      if ('raw' in r) out.push(rawSdr(r.raw, next()));
      else out.push(sensorSdr(config.sensors.find((s) => s.number === r.sensor)!, next()));
    }
    return out;
  }
  for (const s of config.sensors) out.push(sensorSdr(s, next()));
  const frus = config.sdr.fruLocators ?? config.fru.filter((d) => d.id !== 0).map((d) => ({ id: d.id, name: `FRU ${d.id}`, entityId: 0x07, entityInstance: 1 }));
  for (const f of frus) {
    out.push({
      kind: 'fruLocator',
      recordId: next(),
      sdrVersion: SDR_VERSION,
      deviceAccessAddress: BMC_ADDRESS,
      fruDeviceId: f.id,
      logicalFruDevice: true,
      accessLun: 0,
      privateBusId: 0,
      channelNumber: 0,
      deviceType: 0x10,
      deviceTypeModifier: 0,
      entityId: f.entityId,
      entityInstance: f.entityInstance,
      oem: 0,
      idString: f.name,
    } satisfies FruDeviceLocatorRecord);
  }
  const mc = config.sdr.mcLocator;
  if (mc) {
    out.push({
      kind: 'mcLocator',
      recordId: next(),
      sdrVersion: SDR_VERSION,
      deviceSlaveAddress: BMC_ADDRESS,
      channelNumber: 0,
      powerStateNotification: 0,
      globalInitialization: 0,
      deviceCapabilities: config.identity.additionalDeviceSupport,
      entityId: mc.entityId,
      entityInstance: mc.entityInstance,
      logicalEntity: false,
      oem: 0,
      idString: mc.name,
    } satisfies McDeviceLocatorRecord);
  }
  return out;
}
