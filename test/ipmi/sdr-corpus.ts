// SDRs shared by the unit and interop tests, chosen to exercise ipmitool's conversions and
// description rules. The golden files under test/fixtures/ipmitool/ were produced from them by the
// real ipmitool 1.8.19 (test/interop/records-ipmitool.test.ts regenerates them).

import { encodeSdr, type CompactSensorRecord, type EventOnlySensorRecord, type FullSensorRecord, type McDeviceLocatorRecord, type FruDeviceLocatorRecord, type SdrRecord } from '../../src/ipmi/sdr/records.js';

const init = {
  settable: false,
  initScanning: true,
  initEvents: true,
  initThresholds: true,
  initHysteresis: true,
  initSensorType: true,
  eventGenerationEnabled: true,
  sensorScanningEnabled: true,
};

/** Fields full and compact records share, with neutral values. */
const sensorBase = {
  recordId: 1,
  sdrVersion: 0x51,
  sensorOwnerId: 0x20,
  sensorOwnerLun: 0,
  channelNumber: 0,
  sensorNumber: 1,
  entityId: 0x07,
  entityInstance: 1,
  logicalEntity: false,
  sensorType: 0x01,
  eventReadingType: 0x01,
  initialization: init,
  capabilities: { ignoreIfEntityAbsent: false, autoRearm: true, hysteresisSupport: 2, thresholdAccess: 2, eventMessageControl: 0 },
  assertionMask: 0x0a95,
  deassertionMask: 0x7a95,
  readingMask: 0x3f3f,
  units: { analogDataFormat: 0, rateUnit: 0, modifierUnitRelation: 0, percentage: false, baseUnit: 1, modifierUnit: 0 },
  sensorDirection: 0,
  positiveHysteresis: 0,
  negativeHysteresis: 0,
  oem: 0,
  idString: 'Sensor',
} as const;

/** A full threshold sensor owned by the BMC (1 degree C per count unless overridden). */
export function fullSensor(overrides: Partial<FullSensorRecord>): FullSensorRecord {
  return {
    ...sensorBase,
    kind: 'full',
    linearization: 0,
    m: 1,
    tolerance: 0,
    b: 0,
    accuracy: 0,
    accuracyExp: 0,
    rExp: 0,
    bExp: 0,
    analogFlags: { normalMinSpecified: false, normalMaxSpecified: false, nominalReadingSpecified: false },
    nominalReading: 0,
    normalMaximum: 0,
    normalMinimum: 0,
    sensorMaximumReading: 0xff,
    sensorMinimumReading: 0,
    thresholds: { lowerNonCritical: 0, lowerCritical: 0, lowerNonRecoverable: 0, upperNonCritical: 0, upperCritical: 0, upperNonRecoverable: 0 },
    ...overrides,
  };
}

/** A compact sensor-specific (6Fh) memory sensor unless overridden. */
export function compactSensor(overrides: Partial<CompactSensorRecord>): CompactSensorRecord {
  return {
    ...sensorBase,
    kind: 'compact',
    sensorType: 0x0c,
    eventReadingType: 0x6f,
    assertionMask: 0,
    deassertionMask: 0,
    readingMask: 0,
    units: { analogDataFormat: 3, rateUnit: 0, modifierUnitRelation: 0, percentage: false, baseUnit: 0, modifierUnit: 0 },
    idStringInstanceModifierType: 0,
    shareCount: 0,
    entityInstanceSharing: false,
    idStringInstanceModifierOffset: 0,
    ...overrides,
  };
}

export const sdrCorpus: SdrRecord[] = [
  fullSensor({
    recordId: 1,
    sensorNumber: 0x30,
    idString: 'CPU Temp',
    thresholds: { lowerNonCritical: 5, lowerCritical: 2, lowerNonRecoverable: 0, upperNonCritical: 80, upperCritical: 90, upperNonRecoverable: 100 },
    tolerance: 2,
    positiveHysteresis: 2,
    negativeHysteresis: 2,
  }),
  fullSensor({
    recordId: 2,
    sensorNumber: 0x31,
    sensorType: 0x02,
    idString: '12V Rail',
    units: { analogDataFormat: 0, rateUnit: 0, modifierUnitRelation: 0, percentage: false, baseUnit: 4, modifierUnit: 0 },
    m: 63,
    rExp: -3,
    tolerance: 3,
    thresholds: { lowerNonCritical: 180, lowerCritical: 175, lowerNonRecoverable: 170, upperNonCritical: 200, upperCritical: 205, upperNonRecoverable: 210 },
    positiveHysteresis: 1,
    negativeHysteresis: 1,
  }),
  fullSensor({
    recordId: 3,
    sensorNumber: 0x32,
    sensorType: 0x01,
    idString: 'Inlet Temp',
    units: { analogDataFormat: 2, rateUnit: 0, modifierUnitRelation: 0, percentage: false, baseUnit: 1, modifierUnit: 0 },
    m: 5,
    b: -4,
    bExp: 1,
    rExp: -1,
    thresholds: { lowerNonCritical: 0xf6, lowerCritical: 0xf0, lowerNonRecoverable: 0xec, upperNonCritical: 70, upperCritical: 80, upperNonRecoverable: 90 },
  }),
  fullSensor({
    recordId: 4,
    sensorNumber: 0x33,
    sensorType: 0x0b,
    idString: 'PSU Energy',
    units: { analogDataFormat: 1, rateUnit: 0, modifierUnitRelation: 2, percentage: false, baseUnit: 6, modifierUnit: 24 },
    m: 125,
    rExp: -3,
    thresholds: { lowerNonCritical: 0x85, lowerCritical: 0x80, lowerNonRecoverable: 0x81, upperNonCritical: 100, upperCritical: 110, upperNonRecoverable: 120 },
  }),
  fullSensor({
    recordId: 5,
    sensorNumber: 0x34,
    sensorType: 0x04,
    idString: 'Fan1',
    units: { analogDataFormat: 0, rateUnit: 0, modifierUnitRelation: 0, percentage: true, baseUnit: 0, modifierUnit: 0 },
    m: 437,
    rExp: -3,
  }),
  compactSensor({ recordId: 6, sensorNumber: 0x40, idString: 'DIMM A1' }),
  {
    kind: 'eventOnly',
    recordId: 7,
    sdrVersion: 0x51,
    sensorOwnerId: 0x20,
    sensorOwnerLun: 0,
    fruInventoryDeviceOwnerLun: 0,
    channelNumber: 0,
    sensorNumber: 0x50,
    entityId: 0x2e,
    entityInstance: 0,
    logicalEntity: false,
    sensorType: 0x23,
    eventReadingType: 0x6f,
    sensorDirection: 0,
    idStringInstanceModifierType: 0,
    shareCount: 0,
    entityInstanceSharing: false,
    idStringInstanceModifierOffset: 0,
    oem: 0,
    idString: 'BMC Watchdog',
  } satisfies EventOnlySensorRecord,
  {
    kind: 'fruLocator',
    recordId: 8,
    sdrVersion: 0x51,
    deviceAccessAddress: 0x20,
    fruDeviceId: 1,
    logicalFruDevice: true,
    accessLun: 0,
    privateBusId: 0,
    channelNumber: 0,
    deviceType: 0x10,
    deviceTypeModifier: 0,
    entityId: 0x0a,
    entityInstance: 1,
    oem: 0,
    idString: 'PSU1 FRU',
  } satisfies FruDeviceLocatorRecord,
  {
    kind: 'mcLocator',
    recordId: 9,
    sdrVersion: 0x51,
    deviceSlaveAddress: 0x20,
    channelNumber: 0,
    powerStateNotification: 0,
    globalInitialization: 0,
    deviceCapabilities: 0xbf,
    entityId: 0x2e,
    entityInstance: 1,
    logicalEntity: false,
    oem: 0,
    idString: 'Sim BMC',
  } satisfies McDeviceLocatorRecord,
];

/** Readings the interop test gives ipmi_sim's sensors: a raw analog byte or discrete state bits. */
export const sensorReadings: { sensorNumber: number; sensorType: number; eventReadingType: number; raw?: number; bits?: number[] }[] = [
  { sensorNumber: 0x30, sensorType: 0x01, eventReadingType: 0x01, raw: 45 },
  { sensorNumber: 0x31, sensorType: 0x02, eventReadingType: 0x01, raw: 190 },
  { sensorNumber: 0x32, sensorType: 0x01, eventReadingType: 0x01, raw: 0xf3 },
  { sensorNumber: 0x33, sensorType: 0x0b, eventReadingType: 0x01, raw: 0x85 },
  { sensorNumber: 0x34, sensorType: 0x04, eventReadingType: 0x01, raw: 45 },
  { sensorNumber: 0x40, sensorType: 0x0c, eventReadingType: 0x6f, bits: [0, 6] },
];

/** Bytes as ipmi_sim's emulator commands want them: strtoul(..., 0), so every byte needs its 0x. */
export const emuBytes = (bytes: Uint8Array): string => Array.from(bytes, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');

/**
 * ipmi_sim emulator lines that serve the corpus: the SDRs, then the sensors with their readings
 * (ipmi_sim initialises a sensor from its SDR when the sensor is added, so SDRs go first).
 */
export function corpusEmuLines(): string[] {
  return [
    ...sdrCorpus.map((r) => `main_sdr_add 0x20 ${emuBytes(encodeSdr(r))}`),
    ...sensorReadings.flatMap(({ sensorNumber, sensorType, eventReadingType, raw, bits }) => [
      `sensor_add 0x20 0 ${sensorNumber} ${sensorType} ${eventReadingType}`,
      ...(raw !== undefined ? [`sensor_set_value 0x20 0 ${sensorNumber} ${raw} 0`] : []),
      ...(bits ?? []).map((b) => `sensor_set_bit 0x20 0 ${sensorNumber} ${b} 1 0`),
    ]),
  ];
}
