// Sensor commands through the dispatch table: readings, threshold crossings with hysteresis and
// their SEL events, enables and masks, discrete states, Set Sensor Reading and Event Status,
// Platform Event Message, re-arm, and settings that persist across a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/bmc/config/load.js';
import { SYSTEM_INTERFACE_CHANNEL } from '../../src/bmc/bmc.js';
import { testBmc, type TestBmc } from '../helpers/bmc.js';
import { SERVER_1U_SENSORS } from './server-1u.js';

const SE = 0x04;
const CPU1 = 1;
const INLET = 3;
const PSU1 = 11;
const WATCHDOG = 0;
const INTRUSION = 13;

const bmcWith = (yaml = SERVER_1U_SENSORS) => testBmc(parseConfig(yaml, 'test.yaml'));

interface Ev {
  type: number;
  sensor: number;
  dir: 'assert' | 'deassert';
  eventType: number;
  data: number[];
}
/** The SEL's system event records, newest last. */
function events(t: TestBmc): Ev[] {
  return t.bmc.sel.entries.map(({ record: r }) => ({
    type: r[10]!,
    sensor: r[11]!,
    dir: r[12]! & 0x80 ? 'deassert' : 'assert',
    eventType: r[12]! & 0x7f,
    data: [r[13]!, r[14]!, r[15]!],
  }));
}
const thresholdEvent = (sensor: number, dir: Ev['dir'], offset: number, reading: number, threshold: number): Ev => ({
  type: 0x01,
  sensor,
  dir,
  eventType: 0x01,
  data: [0x50 | offset, reading, threshold],
});

/** Set Sensor Reading and Event Status: write the reading byte only. */
const setReading = (t: TestBmc, sensor: number, raw: number) => t.raw(SE, 0x30, [sensor, 0x01, raw]);

test('Get Sensor Reading: reading, enables, threshold comparison and discrete state bytes', () => {
  const t = bmcWith();
  assert.deepEqual(t.raw(SE, 0x2d, [CPU1]), { cc: 0, data: [45, 0xc0, 0x00] });
  // Inlet: -40..87 °C in 0.5 °C two's-complement counts around B; 22.5 °C.
  const inlet = t.bmc.sensors.get(INLET)!;
  assert.equal(inlet.value, 22.5);
  assert.deepEqual(t.raw(SE, 0x2d, [PSU1]), { cc: 0, data: [0x00, 0xc0, 0x01, 0x00] });
  assert.deepEqual(t.raw(SE, 0x2d, [INTRUSION]), { cc: 0, data: [0x00, 0xc0, 0x00, 0x00] });
  assert.equal(t.raw(SE, 0x2d, [0x77]).cc, 0xcb);
  assert.equal(t.raw(SE, 0x2d, []).cc, 0xc7);
});

test('crossing upper thresholds asserts UNC then UCR; recovery waits for threshold - hysteresis', () => {
  const t = bmcWith();
  assert.deepEqual(setReading(t, CPU1, 95), { cc: 0, data: [] });
  assert.deepEqual(events(t), [thresholdEvent(CPU1, 'assert', 0x07, 95, 85), thresholdEvent(CPU1, 'assert', 0x09, 95, 90)]);
  assert.deepEqual(t.raw(SE, 0x2d, [CPU1]).data, [95, 0xc0, 0x18]);
  // UCR 90 with 2 counts of hysteresis: still asserted at 88, deasserted at 87.
  setReading(t, CPU1, 89);
  setReading(t, CPU1, 88);
  assert.equal(events(t).length, 2);
  setReading(t, CPU1, 87);
  assert.deepEqual(events(t).slice(2), [thresholdEvent(CPU1, 'deassert', 0x09, 87, 90)]);
  assert.deepEqual(t.raw(SE, 0x2d, [CPU1]).data, [87, 0xc0, 0x08]);
  setReading(t, CPU1, 83);
  assert.equal(events(t).length, 3, 'UNC 85 holds down to 83');
  setReading(t, CPU1, 82);
  assert.deepEqual(events(t).slice(3), [thresholdEvent(CPU1, 'deassert', 0x07, 82, 85)]);
  // A jump past every upper threshold logs them in rising order, and back in falling order.
  setReading(t, CPU1, 120);
  setReading(t, CPU1, 40);
  assert.deepEqual(
    events(t).slice(4).map((e) => [e.dir, e.data[0]]),
    [
      ['assert', 0x57],
      ['assert', 0x59],
      ['assert', 0x5b],
      ['deassert', 0x5b],
      ['deassert', 0x59],
      ['deassert', 0x57],
    ],
  );
});

test('lower thresholds assert going low and recover above threshold + hysteresis', () => {
  const t = bmcWith();
  const inlet = t.bmc.sensors.get(INLET)!;
  const raw = (v: number) => inlet.unitsToRaw(v);
  setReading(t, INLET, raw(4.5));
  assert.deepEqual(events(t), [thresholdEvent(INLET, 'assert', 0x00, raw(4.5), raw(5))]);
  setReading(t, INLET, raw(-2));
  assert.deepEqual(events(t).slice(1), [thresholdEvent(INLET, 'assert', 0x02, raw(-2), raw(0))]);
  assert.equal(t.raw(SE, 0x2d, [INLET]).data[2], 0x03);
  setReading(t, INLET, raw(1));
  assert.equal(events(t).length, 2, 'LCR 0 with 1 °C hysteresis holds at 1 °C');
  setReading(t, INLET, raw(1.5));
  setReading(t, INLET, raw(6.5));
  assert.deepEqual(
    events(t).slice(2).map((e) => [e.dir, e.data[0]]),
    [
      ['deassert', 0x52],
      ['deassert', 0x50],
    ],
  );
});

test('events respect per-event enables, the sensor enable, the SDR masks and global enables', () => {
  const t = bmcWith();
  // Disable UCR going high (assertion bit 9) only.
  assert.equal(t.raw(SE, 0x28, [CPU1, 0xc0 | 0x20, 0x00, 0x02]).cc, 0);
  assert.deepEqual(t.raw(SE, 0x29, [CPU1]).data, [0xc0, 0x80, 0x08, 0x80, 0x0a]);
  setReading(t, CPU1, 95);
  assert.deepEqual(events(t).map((e) => e.data[0]), [0x57]);
  setReading(t, CPU1, 40);
  // Deassertions stay enabled.
  assert.deepEqual(events(t).map((e) => [e.dir, e.data[0]]).slice(1), [
    ['deassert', 0x59],
    ['deassert', 0x57],
  ]);
  // All event messages off: nothing, but the comparison status still follows the reading.
  t.raw(SE, 0x28, [CPU1, 0x40]);
  setReading(t, CPU1, 95);
  assert.equal(events(t).length, 3);
  assert.deepEqual(t.raw(SE, 0x2d, [CPU1]).data, [95, 0x40, 0x18]);
  // Enabling an offset the SDR does not list is ignored (LNC going low on CPU1).
  t.raw(SE, 0x28, [CPU1, 0xd0, 0x01, 0x00]);
  assert.deepEqual(t.raw(SE, 0x29, [CPU1]).data, [0xc0, 0x80, 0x08, 0x80, 0x0a]);
  // With system event logging off in the global enables, nothing reaches the SEL.
  t.bmc.globalEnables = 0x00;
  setReading(t, CPU1, 40);
  assert.equal(events(t).length, 3);
});

test('assertion masks from the config limit what the SDR advertises and what is logged', () => {
  const t = bmcWith(`
sensors:
  - name: T
    type: temperature
    unit: degrees C
    range: [0, 255]
    thresholds: { unc: 80, ucr: 90 }
    assertions: [ucr+]
    deassertions: []
    value: 20
`);
  setReading(t, 1, 95);
  setReading(t, 1, 20);
  assert.deepEqual(events(t).map((e) => [e.dir, e.data[0]]), [['assert', 0x59]]);
  assert.deepEqual(t.raw(SE, 0x29, [1]).data, [0xc0, 0x00, 0x02, 0x00, 0x00]);
});

test('events go to the event message buffer and raise its message flag when enabled', () => {
  const t = bmcWith();
  t.bmc.globalEnables = 0x0c;
  setReading(t, CPU1, 95);
  assert.equal(t.bmc.messageFlags & 0x02, 0x02);
  const buffered = t.bmc.events.take()!;
  assert.deepEqual([...buffered.slice(10)], [0x01, CPU1, 0x01, 0x57, 95, 85]);
});

test('Set Sensor Thresholds: settable mask, immediate re-evaluation, Get Sensor Thresholds', () => {
  const t = bmcWith();
  assert.deepEqual(t.raw(SE, 0x27, [CPU1]).data, [0x38, 0, 0, 0, 85, 90, 100]);
  assert.equal(t.raw(SE, 0x26, [CPU1, 0x01, 10, 0, 0, 0, 0, 0]).cc, 0xcc, 'LNC is not configured');
  assert.equal(t.raw(SE, 0x26, [CPU1, 0x10, 0, 0, 0, 0, 40, 0]).cc, 0);
  assert.deepEqual(t.raw(SE, 0x27, [CPU1]).data, [0x38, 0, 0, 0, 85, 40, 100]);
  // The reading (45) is now above UCR: asserted at once.
  assert.deepEqual(events(t), [thresholdEvent(CPU1, 'assert', 0x09, 45, 40)]);
  assert.equal(t.raw(SE, 0x26, [CPU1, 0x10, 0, 0, 0, 0, 40, 0], 2).cc, 0xd4, 'USER may not set thresholds');
  assert.equal(t.raw(SE, 0x27, [PSU1]).cc, 0xcd, 'discrete sensors have no thresholds');
  assert.equal(t.raw(SE, 0x26, [CPU1, 0x10, 0, 0, 0, 0, 40]).cc, 0xc7);
});

test('hysteresis: get, set, and its effect on recovery', () => {
  const t = bmcWith();
  assert.deepEqual(t.raw(SE, 0x25, [CPU1, 0xff]).data, [2, 2]);
  assert.equal(t.raw(SE, 0x24, [CPU1, 0xff, 5, 0]).cc, 0);
  assert.deepEqual(t.raw(SE, 0x25, [CPU1, 0xff]).data, [5, 0]);
  setReading(t, CPU1, 91);
  setReading(t, CPU1, 86);
  assert.equal(events(t).filter((e) => e.data[0] === 0x59).length, 1, 'UCR holds down to 85');
  setReading(t, CPU1, 84);
  assert.deepEqual(events(t).at(-1), thresholdEvent(CPU1, 'deassert', 0x09, 84, 90));
  assert.equal(t.raw(SE, 0x25, [PSU1, 0xff]).cc, 0xcd);
});

test('thresholds, hysteresis and event enables set over IPMI survive a restart, until the config changes', () => {
  const t = bmcWith();
  t.raw(SE, 0x26, [CPU1, 0x10, 0, 0, 0, 0, 92, 0]);
  t.raw(SE, 0x24, [CPU1, 0xff, 3, 3]);
  t.raw(SE, 0x28, [INLET, 0xc0]);
  t.raw(SE, 0x28, [PSU1, 0xe0, 0x01, 0x00]);
  const again = t.restart();
  assert.deepEqual(again.raw(SE, 0x27, [CPU1]).data, [0x38, 0, 0, 0, 85, 92, 100]);
  assert.deepEqual(again.raw(SE, 0x25, [CPU1, 0xff]).data, [3, 3]);
  assert.equal(again.raw(SE, 0x29, [PSU1]).data[1]! & 1, 0);
  // The same sensor described differently in the config: the config wins.
  const changed = again.restart(parseConfig(SERVER_1U_SENSORS.replace('{ unc: 85, ucr: 90, unr: 100 }', '{ unc: 85, ucr: 91, unr: 100 }'), 'test.yaml'));
  assert.deepEqual(changed.raw(SE, 0x27, [CPU1]).data, [0x38, 0, 0, 0, 85, 91, 100]);
  assert.deepEqual(changed.raw(SE, 0x27, [2]).data, [0x38, 0, 0, 0, 85, 90, 100], 'CPU2 untouched');
  assert.ok(changed.log.lines.some((l) => l.level === 'warn' && /CPU1 Temp/.test(l.msg)));
});

test('discrete sensors: Set Sensor Reading and Event Status writes, sets and clears states', () => {
  const t = bmcWith();
  // Assertion bits: set offset 1 (failure detected) with the BMC generating event data.
  assert.equal(t.raw(SE, 0x30, [PSU1, 0x20, 0, 0x02, 0x00]).cc, 0);
  assert.deepEqual(t.raw(SE, 0x2d, [PSU1]).data, [0, 0xc0, 0x03, 0x00]);
  assert.deepEqual(events(t), [{ type: 0x08, sensor: PSU1, dir: 'assert', eventType: 0x6f, data: [0x01, 0xff, 0xff] }]);
  // Clear it: a deassertion.
  t.raw(SE, 0x30, [PSU1, 0x30, 0, 0x02, 0x00]);
  assert.deepEqual(events(t).slice(1), [{ type: 0x08, sensor: PSU1, dir: 'deassert', eventType: 0x6f, data: [0x01, 0xff, 0xff] }]);
  // Write: presence off, AC lost on, with given event data excluding the offset.
  t.raw(SE, 0x30, [PSU1, 0x90, 0, 0x08, 0x00, 0, 0, 0xa0, 0x12, 0x34]);
  assert.deepEqual(events(t).slice(2).map((e) => [e.dir, ...e.data]), [
    ['deassert', 0xa0, 0x12, 0x34],
    ['assert', 0xa3, 0x12, 0x34],
  ]);
  assert.deepEqual(t.raw(SE, 0x2d, [PSU1]).data, [0, 0xc0, 0x08, 0x00]);
  // Event data including the offset: used as given.
  t.raw(SE, 0x30, [PSU1, 0x60, 0, 0x01, 0x00, 0, 0, 0x07, 0x01, 0x02]);
  assert.deepEqual(events(t).at(-1)!.data, [0x07, 0x01, 0x02]);
  // Get Sensor Event Status reflects the event status bits.
  assert.deepEqual(t.raw(SE, 0x2b, [PSU1]).data, [0xc0, 0x09, 0x00, 0x02, 0x00]);
});

test('Set Sensor Reading and Event Status: threshold status bits, invalid operations', () => {
  const t = bmcWith();
  // Assertion status bit 9 (UCR going high) set directly: an event with BMC data.
  t.raw(SE, 0x30, [CPU1, 0x20, 0, 0x00, 0x02]);
  assert.deepEqual(events(t), [thresholdEvent(CPU1, 'assert', 0x09, 45, 90)]);
  // Deassertion status bit 9 written: a deassertion event.
  t.raw(SE, 0x30, [CPU1, 0x04, 0, 0, 0, 0x00, 0x02]);
  assert.deepEqual(events(t).slice(1), [thresholdEvent(CPU1, 'deassert', 0x09, 45, 90)]);
  assert.equal(t.raw(SE, 0x30, [CPU1, 0x02, 0]).cc, 0xcc, 'reading operation 2 is reserved');
  assert.equal(t.raw(SE, 0x30, [CPU1, 0xc0, 0]).cc, 0xcc, 'event data operation 3 is reserved');
  assert.equal(t.raw(SE, 0x30, [CPU1, 0x41, 95]).cc, 0xcc, 'event data operation without the bytes');
  assert.equal(t.raw(SE, 0x30, [CPU1, 0x20, 0]).cc, 0xcc, 'assertion operation without the bits');
  assert.equal(t.raw(SE, 0x30, [0x77, 0x01, 0]).cc, 0xcb);
  assert.equal(t.raw(SE, 0x30, [CPU1, 0x01]).cc, 0xc7);
  assert.equal(t.raw(SE, 0x30, [CPU1, 0x01, 95], 2).cc, 0xd4);
  // A threshold crossing with given event data (excluding offset) keeps the event's offset.
  t.raw(SE, 0x30, [CPU1, 0x81, 95, 0, 0, 0, 0, 0x50, 0xaa, 0xbb]);
  assert.deepEqual(events(t).slice(2).map((e) => e.data), [
    [0x57, 0xaa, 0xbb],
    [0x59, 0xaa, 0xbb],
  ]);
});

test('Re-arm Sensor Events regenerates events for conditions that are present', () => {
  const t = bmcWith();
  setReading(t, CPU1, 95);
  assert.equal(events(t).length, 2);
  assert.equal(t.raw(SE, 0x2a, [CPU1, 0x00]).cc, 0);
  assert.deepEqual(events(t).slice(2).map((e) => e.data[0]), [0x57, 0x59]);
  // Selected re-arm: UCR going high only.
  t.raw(SE, 0x2a, [CPU1, 0x80, 0x00, 0x02, 0x00, 0x00]);
  assert.deepEqual(events(t).slice(4).map((e) => e.data[0]), [0x59]);
  // Discrete: re-arming reports the asserted states again.
  t.raw(SE, 0x2a, [PSU1, 0x00]);
  assert.deepEqual(events(t).at(-1), { type: 0x08, sensor: PSU1, dir: 'assert', eventType: 0x6f, data: [0x00, 0xff, 0xff] });
});

test('Platform Event Message: generator ID from the LAN requester or the system interface byte', () => {
  const t = bmcWith();
  // ipmitool's "event 1" over LAN: temperature UCR going high, reading 0x48, threshold 0x46.
  assert.equal(t.raw(SE, 0x02, [0x04, 0x01, 0x30, 0x01, 0x59, 0x48, 0x46]).cc, 0);
  const r = t.bmc.sel.entries[0]!.record;
  assert.deepEqual([...r.slice(7)], [0x81, 0x10, 0x04, 0x01, 0x30, 0x01, 0x59, 0x48, 0x46]);
  const si = t.bmc.dispatch({ netFn: SE, lun: 0, cmd: 0x02, data: Uint8Array.from([0x41, 0x04, 0x0f, 0x22, 0x6f, 0x02]) }, { channel: SYSTEM_INTERFACE_CHANNEL, privilege: 'system' });
  assert.equal(si.cc, 0);
  assert.deepEqual([...t.bmc.sel.entries[1]!.record.slice(7)], [0x41, 0x00, 0x04, 0x0f, 0x22, 0x6f, 0x02, 0xff, 0xff]);
  assert.equal(t.raw(SE, 0x02, [0x04, 0x01, 0x30, 0x01]).cc, 0xc7);
  assert.equal(t.raw(SE, 0x02, [0x04, 0x01, 0x30, 0x01, 0x59, 0x48, 0x46], 2).cc, 0xd4, 'USER may not send events');
});

test('watchdog and other subsystems: lookup by type and one-shot events', () => {
  const t = bmcWith();
  assert.equal(t.bmc.sensors.sensorNumberOfType(0x23), WATCHDOG);
  assert.equal(t.bmc.sensors.byType(0x05)?.name, 'Chassis Intru');
  assert.equal(t.bmc.sensors.sensorNumberOfType(0x07), undefined);
  // A watchdog hard reset: offset 1, event data 2 = timer use, 3 = unspecified.
  const id = t.bmc.sensors.raise(WATCHDOG, 1, { data1: 0xc1, data2: 0x04, data3: 0xff });
  assert.equal(id, 1);
  assert.deepEqual(events(t), [{ type: 0x23, sensor: WATCHDOG, dir: 'assert', eventType: 0x6f, data: [0xc1, 0x04, 0xff] }]);
  assert.deepEqual(t.raw(SE, 0x2d, [WATCHDOG]).data, [0, 0xc0, 0x02, 0x00]);
  // The same event again is logged again (expiries are not one-shot per run).
  t.bmc.sensors.raise(WATCHDOG, 1, { data1: 0xc1, data2: 0x04, data3: 0xff });
  assert.equal(events(t).length, 2);
  // Disabled event messages: recorded in the state, not logged.
  t.raw(SE, 0x28, [WATCHDOG, 0x40]);
  assert.equal(t.bmc.sensors.raise(WATCHDOG, 2), undefined);
  assert.equal(events(t).length, 2);
  assert.equal(t.bmc.sensors.raise(0x99, 0), undefined);
  // Event receiver 0xFF: no sensor events at all.
  t.raw(SE, 0x28, [WATCHDOG, 0xc0]);
  t.raw(SE, 0x00, [0xff, 0]);
  assert.deepEqual(t.raw(SE, 0x01).data, [0xff, 0]);
  assert.equal(t.bmc.sensors.raise(WATCHDOG, 1), undefined);
});

test('logEvent: through the configured sensor of that number and type, else straight to the SEL', () => {
  const t = bmcWith();
  const wd = { sensorType: 0x23, eventType: 0x6f, deassertion: false, data1: 0xc1, data2: 0x04, data3: 0xff };
  assert.equal(t.bmc.sensors.logEvent({ ...wd, sensorNumber: WATCHDOG }), 1);
  assert.deepEqual(t.raw(SE, 0x2d, [WATCHDOG]).data, [0, 0xc0, 0x02, 0x00], 'the sensor shows the state');
  t.raw(SE, 0x28, [WATCHDOG, 0x40]);
  assert.equal(t.bmc.sensors.logEvent({ ...wd, sensorNumber: WATCHDOG }), undefined, 'its events are disabled');
  // No such sensor in the config: logged as given.
  assert.equal(t.bmc.sensors.logEvent({ ...wd, sensorNumber: 0x42 }), 2);
  assert.deepEqual([...t.bmc.sel.entries[1]!.record.slice(10)], [0x23, 0x42, 0x6f, 0xc1, 0x04, 0xff]);
});

test('Get Sensor Reading Factors, Get Sensor Type, Get Sensor Event Status', () => {
  const t = bmcWith();
  // 12V: 0..15 V in 0.1 V counts: M = 1, R exponent -1.
  assert.deepEqual(t.raw(SE, 0x23, [8, 121]).data, [0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0xf0]);
  assert.equal(t.raw(SE, 0x23, [PSU1, 0]).cc, 0xcd);
  assert.deepEqual(t.raw(SE, 0x2f, [PSU1]).data, [0x08, 0x6f]);
  assert.deepEqual(t.raw(SE, 0x2b, [CPU1]).data, [0xc0, 0, 0, 0, 0]);
  setReading(t, CPU1, 95);
  assert.deepEqual(t.raw(SE, 0x2b, [CPU1]).data, [0xc0, 0x80, 0x02, 0x00, 0x00]);
  setReading(t, CPU1, 40);
  assert.deepEqual(t.raw(SE, 0x2b, [CPU1]).data, [0xc0, 0x00, 0x00, 0x80, 0x02]);
});

test('event-only sensors log events but have no reading', () => {
  const t = bmcWith(`
sensors:
  - name: Button
    type: button
    record: event-only
`);
  assert.equal(t.raw(SE, 0x2d, [1]).cc, 0xcb);
  assert.equal(t.raw(SE, 0x30, [1, 0x01, 5]).cc, 0x80);
  assert.equal(t.raw(SE, 0x30, [1, 0x20, 0, 0x01, 0]).cc, 0);
  assert.deepEqual(events(t), [{ type: 0x14, sensor: 1, dir: 'assert', eventType: 0x6f, data: [0x00, 0xff, 0xff] }]);
});
