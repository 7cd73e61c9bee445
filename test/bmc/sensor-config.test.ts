// The `sensors:` and `sdr:` YAML sections: what a config turns into, the defaults, and an error
// with file, line, column and field for each kind of mistake.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/bmc/config/load.js';
import { SERVER_1U_SENSORS } from './server-1u.js';

const parse = (yaml: string) => parseConfig(yaml, 'bmc.yaml');
const one = (body: string) => parse(`sensors:\n  - ${body.trim().split('\n').join('\n    ')}\n`).sensors[0]!;

test('the 1U server: numbering, types, entities, units, factors and masks', () => {
  const c = parse(SERVER_1U_SENSORS);
  assert.equal(c.sensors.length, 14);
  assert.deepEqual(
    c.sensors.map((s) => [s.number, s.name, s.sensorType, s.eventReadingType, s.record, `${s.entityId}.${s.entityInstance}`]),
    [
      [1, 'CPU1 Temp', 0x01, 0x01, 'full', '3.1'],
      [2, 'CPU2 Temp', 0x01, 0x01, 'full', '3.2'],
      [3, 'Inlet Temp', 0x01, 0x01, 'full', '55.1'],
      [4, 'Exhaust Temp', 0x01, 0x01, 'full', '7.1'],
      [5, 'FAN1', 0x04, 0x01, 'full', '29.1'],
      [6, 'FAN2', 0x04, 0x01, 'full', '29.2'],
      [7, 'FAN3', 0x04, 0x01, 'full', '29.3'],
      [8, '12V', 0x02, 0x01, 'full', '7.1'],
      [9, '5V', 0x02, 0x01, 'full', '7.1'],
      [10, '3.3V', 0x02, 0x01, 'full', '7.1'],
      [11, 'PSU1 Status', 0x08, 0x6f, 'compact', '10.1'],
      [12, 'PSU2 Status', 0x08, 0x6f, 'compact', '10.2'],
      [0, 'Watchdog', 0x23, 0x6f, 'compact', '46.1'],
      [13, 'Chassis Intru', 0x05, 0x6f, 'compact', '23.1'],
    ],
  );
  const cpu = c.sensors[0]!;
  assert.deepEqual(cpu.analog!.factors, { m: 1, b: 0, bExp: 0, rExp: 0, linearization: 0, analogDataFormat: 0 });
  assert.deepEqual(cpu.thresholds, { upperNonCritical: 85, upperCritical: 90, upperNonRecoverable: 100 });
  assert.deepEqual(cpu.hysteresis, { positive: 2, negative: 2 });
  assert.equal(cpu.assertionMask, 0x0a80);
  assert.equal(cpu.settableThresholds, 0x38);
  assert.deepEqual(cpu.source, { kind: 'fixed', value: 45 });
  assert.equal(c.sensors[2]!.analog!.factors.analogDataFormat, 2, 'a range below zero uses two\'s complement');
  assert.equal(c.sensors[4]!.units.baseUnit, 18, 'RPM');
  assert.equal(c.sensors[7]!.analog!.factors.rExp, -1, '0.1 V counts');
  const psu = c.sensors[10]!;
  assert.equal(psu.assertionMask, 0x00ff, 'every power supply state');
  assert.deepEqual(psu.source, { kind: 'fixed', value: 0x0001 });
  assert.equal(c.sensors[12]!.assertionMask, 0x010f, 'watchdog 2 offsets, reserved ones left out');
  assert.equal(c.sdr.maxReadBytes, 240);
});

test('fields: explicit numbers, units, entities, event types, sources, masks, access', () => {
  const s = one(`
name: Power
number: 0x40
type: 0x0b
entity: "0x15.2"
unit: Watts/hour
factors: { m: 2, b: -10, rExp: 1, format: twos-complement, tolerance: 3 }
thresholds: { ucr: 800 }
settable: []
thresholdAccess: readable
hysteresisAccess: none
assertions: [ucr+, ucr-]
events: false
scanning: false
eventControl: sensor
source: { file: /sys/power, interval: 0.5, scale: 0.001, offset: 2 }`);
  assert.equal(s.number, 0x40);
  assert.equal(s.sensorType, 0x0b);
  assert.deepEqual([s.entityId, s.entityInstance], [0x15, 2]);
  assert.deepEqual(s.units, { analogDataFormat: 2, rateUnit: 0, percentage: false, modifierUnitRelation: 1, baseUnit: 6, modifierUnit: 24 });
  assert.deepEqual(s.analog!.factors, { m: 2, b: -10, bExp: 0, rExp: 1, linearization: 0, analogDataFormat: 2 });
  assert.equal(s.analog!.tolerance, 3);
  assert.deepEqual([s.settableThresholds, s.thresholdAccess, s.hysteresisAccess], [0, 1, 0]);
  assert.equal(s.assertionMask, 0x0300);
  assert.deepEqual([s.eventsEnabled, s.scanningEnabled, s.eventMessageControl], [false, false, 1]);
  assert.deepEqual(s.source, { kind: 'file', path: '/sys/power', intervalMs: 500, scale: 0.001, offset: 2 });

  const w = one(`
name: Wave
type: temperature
unit: degrees C
range: [0, 100]
source: { waveform: sine, period: 30 }`);
  assert.deepEqual(w.source, { kind: 'waveform', shape: 'sine', min: 0, max: 100, periodMs: 30_000, intervalMs: 1000, step: 5 });
  assert.deepEqual(one('name: P\ntype: fan\nunit: "% RPM"\nrange: [0, 100]').units.percentage, true);
  assert.deepEqual(one('name: P\ntype: other\nunit: percent\nrange: [0, 100]').units, { analogDataFormat: 0, rateUnit: 0, percentage: true, modifierUnitRelation: 0, baseUnit: 0, modifierUnit: 0 });
  // Default reading: the middle of the band no threshold crosses.
  assert.deepEqual(one('name: T\ntype: temperature\nunit: degrees C\nrange: [0, 255]\nthresholds: { lnc: 10, unc: 50 }').source, { kind: 'fixed', value: 30 });
  const d = one('name: Door\ntype: physical security\neventType: 0x6f\nstates: [0, General Chassis intrusion]\ndeassertions: []');
  assert.deepEqual([d.source, d.deassertionMask], [{ kind: 'fixed', value: 1 }, 0]);
  const g = one('name: Present\ntype: entity presence\neventType: presence\nstates: [Device Present]\nrecord: event-only');
  assert.deepEqual([g.eventReadingType, g.record, g.source], [0x08, 'eventOnly', { kind: 'fixed', value: 2 }]);
  // Names may be abbreviated while they stay unambiguous.
  const drive = one('name: D\ntype: drive slot\nentity: drive backplane.3\nstates: [Drive Present]');
  assert.deepEqual([drive.sensorType, drive.entityId, drive.entityInstance], [0x0d, 0x0f, 3]);
  assert.throws(() => one('name: D\ntype: ot\nstates: []'), /unknown sensor type "ot"/);
  const m = parse('sdr:\n  capacity: 4096\n  maxReadBytes: 32\n  mcLocator: { name: Main BMC, entity: bmc.2 }\n').sdr;
  assert.deepEqual([m.capacity, m.maxReadBytes, m.mcLocator], [4096, 32, { name: 'Main BMC', entityId: 6, entityInstance: 2 }]);
});

const errors: [string, string, RegExp][] = [
  ['unknown field', 'sensors:\n  - name: X\n    type: fan\n    colour: red\n', /^bmc\.yaml:4:5: sensors\[0\]\.colour: unknown field \(expected one of name, number, type/],
  ['name too long', 'sensors:\n  - name: ABCDEFGHIJKLMNOPQ\n    type: fan\n', /^bmc\.yaml:2:11: sensors\[0\]\.name: expected at most 16 characters, got 17$/],
  ['missing type', 'sensors:\n  - name: X\n', /^bmc\.yaml:2:5: sensors\[0\]: missing field "type"/],
  ['unknown type', 'sensors:\n  - name: X\n    type: thermometer\n', /^bmc\.yaml:3:11: sensors\[0\]\.type: unknown sensor type "thermometer"/],
  ['duplicate name', 'sensors:\n  - { name: X, type: fan, states: [] }\n  - { name: X, type: fan, states: [] }\n', /^bmc\.yaml:3:13: sensors\[1\]\.name: sensor "X" is defined twice$/],
  ['duplicate number', 'sensors:\n  - { name: X, number: 5, type: 0x23 }\n  - { name: Y, number: 5, type: 0x23 }\n', /^bmc\.yaml:3:24: sensors\[1\]\.number: sensor number 5 is used twice$/],
  ['number out of range', 'sensors:\n  - { name: X, number: 255, type: 0x23 }\n', /sensors\[0\]\.number: expected an integer from 0 to 254/],
  ['unknown unit', 'sensors:\n  - { name: X, type: fan, unit: furlongs, range: [0, 1] }\n', /sensors\[0\]\.unit: unknown unit "furlongs"/],
  ['unknown entity', 'sensors:\n  - { name: X, type: fan, entity: toaster, states: [] }\n', /sensors\[0\]\.entity: unknown entity "toaster"/],
  ['no range', 'sensors:\n  - { name: X, type: fan, unit: RPM }\n', /^bmc\.yaml:2:5: sensors\[0\]: a threshold sensor needs range/],
  ['empty range', 'sensors:\n  - { name: X, type: fan, unit: RPM, range: [5, 5] }\n', /sensors\[0\]\.range: range: max must be above min/],
  ['unknown threshold', 'sensors:\n  - { name: X, type: fan, range: [0, 100], thresholds: { ucr: 5, hot: 9 } }\n', /sensors\[0\]\.thresholds\.hot: unknown field \(expected one of lnc, lcr, lnr, unc, ucr, unr\)/],
  ['thresholds out of order', 'sensors:\n  - { name: X, type: fan, range: [0, 100], thresholds: { unc: 50, ucr: 40 } }\n', /sensors\[0\]\.thresholds: ucr \(40\) is below unc \(50\)/],
  ['threshold outside the raw range', 'sensors:\n  - { name: X, type: fan, range: [0, 100], thresholds: { ucr: 500 } }\n', /sensors\[0\]\.thresholds\.ucr: ucr 500 is outside what the sensor's raw values express/],
  ['compact threshold sensor', 'sensors:\n  - { name: X, type: fan, range: [0, 100], record: compact }\n', /sensors\[0\]\.record: threshold sensors need a full record/],
  ['discrete with thresholds', 'sensors:\n  - { name: X, type: fan, eventType: state, thresholds: { ucr: 1 } }\n', /sensors\[0\]\.thresholds: only threshold sensors/],
  ['unknown state', 'sensors:\n  - { name: X, type: power supply, states: [On fire] }\n', /sensors\[0\]\.states\[0\]: unknown state "On fire" for this sensor \(one of: Presence detected, Failure detected/],
  ['settable not configured', 'sensors:\n  - { name: X, type: fan, range: [0, 100], thresholds: { ucr: 5 }, settable: [lnc] }\n', /sensors\[0\]\.settable\[0\]: lnc is not among the configured thresholds/],
  ['bad threshold event', 'sensors:\n  - { name: X, type: fan, range: [0, 100], assertions: [ucr] }\n', /sensors\[0\]\.assertions\[0\]: expected a threshold event like ucr\+/],
  ['value and source', 'sensors:\n  - { name: X, type: fan, range: [0, 100], value: 5, source: 6 }\n', /sensors\[0\]\.value: give either value or source/],
  ['two sources', 'sensors:\n  - { name: X, type: fan, range: [0, 100], source: { fixed: 1, file: /x } }\n', /sensors\[0\]\.source: expected exactly one of fixed, file, waveform/],
  ['source field of another kind', 'sensors:\n  - { name: X, type: fan, range: [0, 100], source: { file: /x, period: 3 } }\n', /sensors\[0\]\.source\.period: not a field of a file source/],
  ['waveform on a discrete sensor', 'sensors:\n  - { name: X, type: fan, eventType: state, source: { waveform: sine, min: 0, max: 1 } }\n', /sensors\[0\]\.source: a waveform makes no sense for a discrete sensor/],
  ['unknown waveform', 'sensors:\n  - { name: X, type: fan, range: [0, 100], source: { waveform: saw } }\n', /sensors\[0\]\.source\.waveform: expected one of ramp, triangle, sine, square, random-walk/],
  ['sensors not a list', 'sensors:\n  name: X\n', /^bmc\.yaml:2:3: sensors: expected a list, got a mapping$/],
  ['sdr unknown field', 'sdr:\n  capacity: 1000\n  size: 4\n', /^bmc\.yaml:3:3: sdr\.size: unknown field/],
  ['sdr read limit', 'sdr:\n  maxReadBytes: 300\n', /sdr\.maxReadBytes: expected an integer from 5 to 255/],
];

for (const [what, yaml, message] of errors) {
  test(`config error: ${what}`, () => {
    assert.throws(() => parse(yaml), (e: Error) => {
      assert.equal(e.name, 'ConfigError');
      assert.match(e.message, message);
      return true;
    });
  });
}
