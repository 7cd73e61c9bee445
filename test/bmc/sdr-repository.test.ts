// SDR repository commands through the dispatch table: repository info, reservations and their
// cancellation, Get SDR with partial reads and chaining, the transport limit (0xCA), Add /
// Partial Add / Delete / Clear, timestamps that stay put across restarts, device SDR commands.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/bmc/config/load.js';
import { decodeSdr, encodeSdr, type FullSensorRecord } from '../../src/ipmi/sdr/records.js';
import { sensorSdr } from '../../src/bmc/state/sensor-records.js';
import { testBmc, type TestBmc } from '../helpers/bmc.js';
import { SERVER_1U_SENSORS } from './server-1u.js';

const ST = 0x0a;
const SE = 0x04;
const le16 = (v: number) => [v & 0xff, v >> 8];
const u16 = (d: number[], i: number) => d[i]! | (d[i + 1]! << 8);
const u32 = (d: number[], i: number) => (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;

const bmcWith = (extra = '') => testBmc(parseConfig(SERVER_1U_SENSORS + extra, 'test.yaml'));
const reserve = (t: TestBmc) => u16(t.raw(ST, 0x22).data, 0);
const getSdr = (t: TestBmc, res: number, id: number, offset: number, count: number) => t.raw(ST, 0x23, [...le16(res), ...le16(id), offset, count]);

/** Every record, walked with whole-record reads from 0000 to FFFF. */
function walk(t: TestBmc): number[][] {
  const out: number[][] = [];
  for (let id = 0; id !== 0xffff; ) {
    const r = getSdr(t, 0, id, 0, 0xff);
    assert.equal(r.cc, 0, `record ${id}`);
    out.push(r.data.slice(2));
    id = u16(r.data, 0);
  }
  return out;
}

test('Get SDR Repository Info and Allocation Info', () => {
  const t = bmcWith();
  const records = walk(t);
  assert.equal(records.length, 15, '14 sensors and the MC locator');
  const used = records.reduce((n, r) => n + r.length, 0);
  const info = t.raw(ST, 0x20).data;
  assert.equal(info[0], 0x51);
  assert.equal(u16(info, 1), 15);
  assert.equal(u16(info, 3), 16384 - used);
  assert.equal(u32(info, 5), Math.floor(t.clock.now() / 1000), 'most recent addition: when the repository was built');
  assert.equal(u32(info, 9), 0xffffffff, 'never erased');
  assert.equal(info[13], 0x2f, 'non-modal updates, delete, partial add, reserve, allocation info');
  const units = records.reduce((n, r) => n + Math.ceil(r.length / 16), 0);
  assert.deepEqual(t.raw(ST, 0x21).data, [...le16(1024), ...le16(16), ...le16(1024 - units), ...le16(1024 - units), 17]);
});

test('records are the sensors as configured, in order, then the MC locator', () => {
  const t = bmcWith();
  const records = walk(t).map((r) => decodeSdr(Uint8Array.from(r)));
  assert.deepEqual(
    records.map((r) => [r.recordId, r.kind, 'idString' in r ? r.idString : '']),
    [
      [1, 'full', 'CPU1 Temp'],
      [2, 'full', 'CPU2 Temp'],
      [3, 'full', 'Inlet Temp'],
      [4, 'full', 'Exhaust Temp'],
      [5, 'full', 'FAN1'],
      [6, 'full', 'FAN2'],
      [7, 'full', 'FAN3'],
      [8, 'full', '12V'],
      [9, 'full', '5V'],
      [10, 'full', '3.3V'],
      [11, 'compact', 'PSU1 Status'],
      [12, 'compact', 'PSU2 Status'],
      [13, 'compact', 'Watchdog'],
      [14, 'compact', 'Chassis Intru'],
      [15, 'mcLocator', 'BMC'],
    ],
  );
  const cpu = records[0] as FullSensorRecord;
  assert.deepEqual([cpu.m, cpu.b, cpu.rExp, cpu.bExp], [1, 0, 0, 0]);
  assert.deepEqual(cpu.thresholds, { lowerNonCritical: 0, lowerCritical: 0, lowerNonRecoverable: 0, upperNonCritical: 85, upperCritical: 90, upperNonRecoverable: 100 });
  assert.deepEqual([cpu.positiveHysteresis, cpu.negativeHysteresis], [2, 2]);
  assert.equal(cpu.readingMask, 0x3838, 'UNC, UC, UNR readable and settable');
  assert.equal(cpu.assertionMask, 0x0a80);
  assert.equal(cpu.deassertionMask, 0x7a80, 'bits 12-14: upper comparisons returned');
  assert.equal(cpu.capabilities.thresholdAccess, 2);
  assert.equal(cpu.initialization.settable, true);
  assert.deepEqual(records[0], sensorSdr(t.bmc.config.sensors[0]!, 1));
  const wd = records[12]!;
  assert.ok(wd.kind === 'compact');
  assert.deepEqual([wd.sensorType, wd.eventReadingType, wd.assertionMask, wd.entityId], [0x23, 0x6f, 0x010f, 0x2e]);
});

test('partial reads reassemble the record; offsets and counts are checked', () => {
  const t = bmcWith();
  const whole = getSdr(t, 0, 1, 0, 0xff).data.slice(2);
  const res = reserve(t);
  const header = getSdr(t, res, 1, 0, 5);
  assert.deepEqual(header.data, [...le16(2), ...whole.slice(0, 5)]);
  const parts: number[] = [];
  for (let off = 0; off < whole.length; off += 23) parts.push(...getSdr(t, res, 1, off, 23).data.slice(2));
  assert.deepEqual(parts, whole);
  // More than is left returns what is left.
  assert.deepEqual(getSdr(t, res, 1, whole.length - 3, 20).data.slice(2), whole.slice(-3));
  assert.equal(getSdr(t, res, 1, whole.length, 1).cc, 0xc9, 'offset past the end');
  assert.equal(getSdr(t, res, 0x99, 0, 5).cc, 0xcb, 'no such record');
  // 0xFFFF is the last record.
  const last = getSdr(t, res, 0xffff, 0, 0xff);
  assert.equal(u16(last.data, 0), 0xffff);
  assert.equal(last.data[2], 15);
  assert.equal(t.raw(ST, 0x23, [0, 0, 1, 0, 0]).cc, 0xc7);
});

test('reservations: zero only at offset 0, a newer one cancels the older, a change cancels all', () => {
  const t = bmcWith();
  assert.equal(getSdr(t, 0, 1, 5, 10).cc, 0xc5, 'partial read without a reservation');
  const first = reserve(t);
  assert.equal(getSdr(t, first, 1, 5, 10).cc, 0);
  const second = reserve(t);
  assert.notEqual(second, first);
  assert.equal(getSdr(t, first, 1, 5, 10).cc, 0xc5, 'superseded');
  assert.equal(getSdr(t, first, 1, 0, 5).cc, 0xc5, 'a stale non-zero reservation fails at offset 0 too');
  assert.equal(getSdr(t, second, 1, 5, 10).cc, 0);
  // Adding a record changes the repository: the reservation is cancelled.
  const rec = encodeSdr({ ...sensorSdr(t.bmc.config.sensors[10]!, 0), idString: 'Extra' });
  assert.equal(t.raw(ST, 0x24, rec).cc, 0);
  assert.equal(getSdr(t, second, 1, 5, 10).cc, 0xc5);
  assert.equal(getSdr(t, 0, 1, 0, 5).cc, 0, 'reads at offset 0 need none');
});

test('a read longer than the transport allows answers 0xCA; the client retries smaller', () => {
  const t = bmcWith('sdr:\n  maxReadBytes: 16\n');
  assert.equal(getSdr(t, 0, 1, 0, 0xff).cc, 0xca);
  assert.equal(getSdr(t, 0, 1, 0, 17).cc, 0xca);
  const res = reserve(t);
  const parts: number[] = [];
  let next = 0;
  for (let off = 0; ; off += 16) {
    const r = getSdr(t, res, 1, off, 16);
    if (r.cc === 0xc9) break;
    assert.equal(r.cc, 0);
    next = u16(r.data, 0);
    parts.push(...r.data.slice(2));
  }
  assert.equal(next, 2);
  assert.deepEqual(decodeSdr(Uint8Array.from(parts)), sensorSdr(t.bmc.config.sensors[0]!, 1));
});

test('Add, Partial Add, Delete and Clear change the repository and its timestamps', () => {
  const t = bmcWith();
  const start = Math.floor(t.clock.now() / 1000);
  t.clock.advance(10_000);
  const rec = encodeSdr({ ...sensorSdr(t.bmc.config.sensors[10]!, 0), idString: 'Extra' });
  assert.deepEqual(t.raw(ST, 0x24, rec), { cc: 0, data: [16, 0] });
  assert.equal(getSdr(t, 0, 16, 0, 0xff).data[2], 16, 'the BMC sets the record ID');
  assert.equal(u32(t.raw(ST, 0x20).data, 5), start + 10);
  assert.equal(t.raw(ST, 0x24, rec.slice(0, -1)).cc, 0xcc, 'length byte does not match');

  // Partial add in two parts.
  const res = reserve(t);
  const other = encodeSdr({ ...sensorSdr(t.bmc.config.sensors[11]!, 0), idString: 'Extra2' });
  const p1 = t.raw(ST, 0x25, [...le16(res), 0, 0, 0, 0, ...other.slice(0, 20)]);
  assert.deepEqual(p1, { cc: 0, data: [17, 0] });
  assert.equal(getSdr(t, 0, 17, 0, 5).cc, 0xcb, 'not visible until complete');
  assert.deepEqual(t.raw(ST, 0x25, [...le16(res), 17, 0, 20, 1, ...other.slice(20)]), { cc: 0, data: [17, 0] });
  assert.equal(getSdr(t, 0, 17, 0, 0xff).data.length, 2 + other.length);
  // A last part that leaves the record shorter than its header says: 0x80.
  const res2 = reserve(t);
  t.raw(ST, 0x25, [...le16(res2), 0, 0, 0, 0, ...other.slice(0, 10)]);
  assert.equal(t.raw(ST, 0x25, [...le16(res2), 18, 0, 10, 1, ...other.slice(10, 20)]).cc, 0x80);

  // Delete needs a valid reservation.
  assert.equal(t.raw(ST, 0x26, [...le16(res2), 16, 0]).cc, 0);
  assert.equal(t.raw(ST, 0x26, [...le16(res2), 16, 0]).cc, 0xc5, 'the delete cancelled it');
  const res3 = reserve(t);
  assert.equal(t.raw(ST, 0x26, [...le16(res3), 99, 0]).cc, 0xcb);
  assert.equal(u32(t.raw(ST, 0x20).data, 9), start + 10, 'erase time');

  // Clear: reservation, "CLR", AAh to start, 00h for the status.
  const res4 = reserve(t);
  assert.equal(t.raw(ST, 0x27, [...le16(res4), 0x43, 0x4c, 0x51, 0xaa]).cc, 0xcc);
  assert.deepEqual(t.raw(ST, 0x27, [...le16(res4), 0x43, 0x4c, 0x52, 0xaa]), { cc: 0, data: [1] });
  assert.equal(u16(t.raw(ST, 0x20).data, 1), 0);
  const res5 = reserve(t);
  assert.deepEqual(t.raw(ST, 0x27, [...le16(res5), 0x43, 0x4c, 0x52, 0x00]), { cc: 0, data: [1] });
  assert.equal(getSdr(t, 0, 0, 0, 5).cc, 0xcb, 'empty');
  assert.equal(t.raw(ST, 0x24, rec, 2).cc, 0xd4, 'USER may not add');
});

test('timestamps and IPMI changes survive a restart; a changed config regenerates the repository', () => {
  const t = bmcWith();
  const info = t.raw(ST, 0x20).data;
  t.clock.advance(3600_000);
  const same = t.restart();
  assert.deepEqual(same.raw(ST, 0x20).data, info, 'an unchanged config keeps the SDR cache keys');

  const rec = encodeSdr({ ...sensorSdr(t.bmc.config.sensors[10]!, 0), idString: 'Extra' });
  same.raw(ST, 0x24, rec);
  const added = same.raw(ST, 0x20).data;
  const again = same.restart();
  assert.deepEqual(again.raw(ST, 0x20).data, added);
  assert.equal(again.raw(ST, 0x23, [0, 0, 16, 0, 0, 0xff]).cc, 0);

  t.clock.advance(1000);
  const changed = again.restart(parseConfig(SERVER_1U_SENSORS.replace('name: FAN3', 'name: FAN3 Rear'), 'test.yaml'));
  const fresh = changed.raw(ST, 0x20).data;
  assert.equal(u16(fresh, 1), 15);
  assert.equal(u32(fresh, 5), Math.floor(t.clock.now() / 1000));
});

test('SDR repository time shares the SEL clock', () => {
  const t = bmcWith();
  const now = Math.floor(t.clock.now() / 1000);
  assert.deepEqual(t.raw(ST, 0x28).data, [now & 0xff, (now >> 8) & 0xff, (now >> 16) & 0xff, now >>> 24]);
  assert.equal(t.raw(ST, 0x29, [0x00, 0x00, 0x00, 0x60]).cc, 0);
  assert.equal(u32(t.raw(ST, 0x28).data, 0), 0x60000000);
  assert.equal(u32(t.raw(ST, 0x48).data, 0), 0x60000000);
});

test('device SDR commands serve the same records', () => {
  const t = bmcWith();
  assert.deepEqual(t.raw(SE, 0x20).data, [14, 0x01, 0, 0, 0, 0]);
  assert.deepEqual(t.raw(SE, 0x20, [1]).data.slice(0, 1), [15]);
  const res = u16(t.raw(SE, 0x22).data, 0);
  assert.deepEqual(t.raw(SE, 0x21, [...le16(res), 0, 0, 0, 0xff]), getSdr(t, 0, 0, 0, 0xff));
});

test('FRU and MC locators come from the sdr section', () => {
  const t = bmcWith('sdr:\n  mcLocator: false\n  fruLocators:\n    - { id: 1, name: PSU1 FRU, entity: power supply.1 }\n');
  const records = walk(t).map((r) => decodeSdr(Uint8Array.from(r)));
  assert.equal(records.length, 15);
  const fru = records[14]!;
  assert.ok(fru.kind === 'fruLocator');
  assert.deepEqual([fru.fruDeviceId, fru.logicalFruDevice, fru.deviceType, fru.entityId, fru.entityInstance, fru.idString], [1, true, 0x10, 0x0a, 1, 'PSU1 FRU']);
});
