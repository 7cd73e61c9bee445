import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SensorType, sensorTypeByName, sensorTypeName } from '../../src/ipmi/tables/sensor-types.js';
import {
  EventReadingType,
  assertedStateTexts,
  eventReadingTypeClass,
  eventStateRows,
  genericEventStates,
  sensorSpecificEventStates,
  thresholdEventTexts,
} from '../../src/ipmi/tables/event-types.js';
import { unitNames, unitString } from '../../src/ipmi/tables/units.js';
import { entityIdName } from '../../src/ipmi/tables/entity-ids.js';
import { crossedThreshold, thresholdLabels, thresholdOrder } from '../../src/ipmi/tables/thresholds.js';
import { chassisTypeName } from '../../src/ipmi/tables/chassis-types.js';

test('sensor type names are ipmitool spellings', () => {
  assert.equal(sensorTypeName(SensorType.Watchdog2), 'Watchdog2');
  assert.equal(sensorTypeName(SensorType.SystemFirmwareProgress), 'System Firmwares');
  assert.equal(sensorTypeName(SensorType.DriveSlot), 'Drive Slot / Bay');
  assert.equal(sensorTypeName(SensorType.FruState), 'FRU State');
  assert.equal(sensorTypeName(0x00), 'reserved');
  assert.equal(sensorTypeName(0x2d), 'Unknown');
  assert.equal(sensorTypeName(0xc0), 'Unknown');
});

test('sensor types by name, as `sdr type` finds them', () => {
  assert.equal(sensorTypeByName('temperature'), 0x01);
  assert.equal(sensorTypeByName('WATCHDOG2'), 0x23);
  assert.equal(sensorTypeByName('Version Change'), 0x2b);
  assert.equal(sensorTypeByName('FRU State'), undefined); // ipmitool stops before 0x2C
  assert.equal(sensorTypeByName('reserved'), undefined);
});

test('threshold event texts keep ipmitool\'s trailing space on "going low"', () => {
  assert.equal(thresholdEventTexts.length, 12);
  assert.equal(thresholdEventTexts[0x0], 'Lower Non-critical going low ');
  assert.equal(thresholdEventTexts[0x9], 'Upper Critical going high');
  assert.equal(thresholdEventTexts[0xa], 'Upper Non-recoverable going low ');
});

test('event state tables: generic by event/reading type, sensor-specific by sensor type', () => {
  assert.deepEqual(eventStateRows(0x01, 0x03), [[0, 'State Deasserted'], [1, 'State Asserted']]);
  assert.equal(eventStateRows(0x23, 0x6f)[1]![1], 'Hard reset');
  assert.deepEqual(eventStateRows(0x12, 0x70), []);
  assert.deepEqual(eventStateRows(0x0b, 0x6f), []); // "Other units-based" has no states
  // Rows restricted to an event data 2 value precede the catch-all for the same offset.
  const fw = sensorSpecificEventStates[0x0f]!.filter(([offset]) => offset === 0);
  assert.deepEqual(fw[0], [0, 'Unspecified', 0x00]);
  assert.deepEqual(fw.at(-1), [0, 'Unknown Error']);
  assert.equal(Object.keys(genericEventStates).length, 12);
});

test('asserted states join the way `sdr elist` shows them', () => {
  assert.deepEqual(assertedStateTexts(0x0c, 0x6f, 0x41), ['Correctable ECC', 'Presence Detected']);
  assert.deepEqual(assertedStateTexts(0x08, 0x6f, 0x0040), ['Config Error']); // data-2 rows skipped
  assert.deepEqual(assertedStateTexts(0x22, 0x6f, 1 << 14), ['Unknown']);
  assert.deepEqual(assertedStateTexts(0x25, 0x6f, 0), []);
});

test('event/reading type classes, 0x0C included among "Reserved" as ipmitool has it', () => {
  assert.deepEqual(
    [0x00, 0x01, 0x02, 0x0b, 0x0c, 0x6f, 0x70, 0x7f, 0x20].map(eventReadingTypeClass),
    ['Unspecified', 'Threshold', 'Generic Discrete', 'Generic Discrete', 'Reserved', 'Sensor-specific Discrete', 'OEM', 'OEM', 'Reserved'],
  );
  assert.equal(EventReadingType.SensorSpecific, 0x6f);
});

test('unit strings: percent, modifiers, invalid codes', () => {
  const u = (baseUnit: number, extra: Partial<Parameters<typeof unitString>[0]> = {}) =>
    unitString({ percentage: false, modifierUnitRelation: 0, baseUnit, modifierUnit: 0, ...extra });
  assert.equal(unitNames.length, 93);
  assert.equal(u(1), 'degrees C');
  assert.equal(u(0, { percentage: true }), 'percent');
  assert.equal(u(18, { percentage: true }), '% RPM');
  assert.equal(u(6, { modifierUnitRelation: 1, modifierUnit: 24 }), 'Watts/hour');
  assert.equal(u(6, { modifierUnitRelation: 2, modifierUnit: 24 }), 'Watts*hour');
  assert.equal(u(0, { percentage: true, modifierUnitRelation: 2, modifierUnit: 22 }), '% unspecified*second');
  assert.equal(u(93), 'invalid');
  assert.equal(u(92), 'grams');
});

test('entity IDs print as ipmitool names them', () => {
  assert.equal(entityIdName(0x07), 'System Board');
  assert.equal(entityIdName(0x2e), 'Management Controller Firmware');
  assert.equal(entityIdName(0x40), 'Air Inlet');
  assert.equal(entityIdName(0xa0), 'PICMG Front Board');
  assert.equal(entityIdName(0x5a), 'Unknown (0x5A)');
});

test('thresholds: mask order, labels and the status ipmitool reports', () => {
  assert.deepEqual(thresholdOrder.map((t) => thresholdLabels[t].abbreviation), ['lnc', 'lcr', 'lnr', 'unc', 'ucr', 'unr']);
  assert.equal(thresholdLabels.upperCritical.label, 'Upper Critical');
  assert.equal(crossedThreshold(0), undefined);
  assert.equal(crossedThreshold(0b001000), 'upperNonCritical');
  assert.equal(crossedThreshold(0b011000), 'upperCritical');
  assert.equal(crossedThreshold(0b100001), 'upperNonRecoverable');
  assert.equal(crossedThreshold(0b110110), 'lowerNonRecoverable');
  assert.equal(crossedThreshold(0b010010), 'lowerCritical');
});

test('chassis types: codes beyond the table print as "Unknown"', () => {
  assert.equal(chassisTypeName(0x17), 'Rack Mount Chassis');
  assert.equal(chassisTypeName(0x1d), 'Blade Enclosure');
  assert.equal(chassisTypeName(0x1e), 'Unknown');
});
