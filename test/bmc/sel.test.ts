// SEL commands through the dispatch table: IDs, timestamps, reservations, partial reads and
// adds, delete/clear, capacity and overflow, SEL time, and persistence across a restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseConfig } from '../../src/bmc/config/model.js';
import { testBmc } from '../helpers/bmc.js';

const ST = 0x0a;
const le16 = (v: number) => [v & 0xff, v >> 8];
const u16 = (d: number[], i: number) => d[i]! | (d[i + 1]! << 8);
const u32 = (d: number[], i: number) => (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24)) >>> 0;

// A system event record as `ipmitool sel add` sends it: ID and timestamp zero, generator 0x41.
const event = (sensor: number) => [0, 0, 0x02, 0, 0, 0, 0, 0x41, 0x00, 0x04, 0x01, sensor, 0x01, 0x57, 0x00, 0x00];

test('Get SEL Info on an empty log', () => {
  const t = testBmc();
  const r = t.raw(ST, 0x40);
  assert.equal(r.cc, 0);
  assert.deepEqual(r.data, [0x51, 0, 0, ...le16(512 * 16), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(t.raw(ST, 0x41).data, [...le16(512), 16, 0, ...le16(512), ...le16(512), 1]);
});

test('Add SEL Entry assigns IDs and timestamps; Get SEL Entry chains first to last', () => {
  const t = testBmc();
  const now = Math.floor(t.clock.now() / 1000);
  assert.deepEqual(t.raw(ST, 0x44, event(0x30)), { cc: 0, data: [1, 0] });
  t.clock.advance(5000);
  assert.deepEqual(t.raw(ST, 0x44, event(0x31)), { cc: 0, data: [2, 0] });
  // OEM non-timestamped records keep their bytes 3-15.
  const oem = [0, 0, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  assert.deepEqual(t.raw(ST, 0x44, oem), { cc: 0, data: [3, 0] });

  const first = t.raw(ST, 0x43, [0, 0, 0, 0, 0, 0xff]);
  assert.equal(first.cc, 0);
  assert.equal(u16(first.data, 0), 2, 'next ID');
  assert.equal(u16(first.data, 2), 1);
  assert.equal(u32(first.data, 5), now);
  assert.deepEqual(first.data.slice(9), event(0x30).slice(7));
  const second = t.raw(ST, 0x43, [0, 0, 2, 0, 0, 0xff]);
  assert.equal(u32(second.data, 5), now + 5);
  const last = t.raw(ST, 0x43, [0, 0, 0xff, 0xff, 0, 0xff]);
  assert.equal(u16(last.data, 0), 0xffff, 'no next entry');
  assert.deepEqual(last.data.slice(2), [3, 0, ...oem.slice(2)]);

  const info = t.raw(ST, 0x40).data;
  assert.equal(u16(info, 1), 3);
  assert.equal(u16(info, 3), (512 - 3) * 16);
  assert.equal(u32(info, 5), now + 5);
});

test('Add SEL Entry rejects reserved record types; missing records are CBh', () => {
  const t = testBmc();
  const bad = event(1);
  bad[2] = 0x10;
  assert.equal(t.raw(ST, 0x44, bad).cc, 0x80);
  assert.equal(t.raw(ST, 0x43, [0, 0, 0, 0, 0, 0xff]).cc, 0xcb, 'empty SEL');
  t.raw(ST, 0x44, event(1));
  assert.equal(t.raw(ST, 0x43, [0, 0, 9, 0, 0, 0xff]).cc, 0xcb);
  assert.equal(t.raw(ST, 0x44, event(1).slice(0, 15)).cc, 0xc7, 'length from the table');
  assert.equal(t.raw(ST, 0x44, event(1), 2).cc, 0xd4, 'USER may not add');
  assert.equal(t.raw(ST, 0x43, [0, 0, 0, 0, 0, 0xff], 2).cc, 0, 'USER may read');
});

test('partial reads need a live reservation', () => {
  const t = testBmc();
  t.raw(ST, 0x44, event(0x30));
  assert.equal(t.raw(ST, 0x43, [0, 0, 1, 0, 4, 4]).cc, 0xc5, 'offset without reservation');
  const res = t.raw(ST, 0x42).data;
  const part = t.raw(ST, 0x43, [...res, 1, 0, 4, 4]);
  assert.equal(part.cc, 0);
  assert.equal(part.data.length, 2 + 4);
  const tail = t.raw(ST, 0x43, [...res, 1, 0, 12, 10]);
  assert.equal(tail.data.length, 2 + 4, 'truncated at the end of the record');
  assert.equal(t.raw(ST, 0x43, [...res, 1, 0, 16, 1]).cc, 0xcc, 'offset past the record');
  const res2 = t.raw(ST, 0x42).data;
  assert.equal(t.raw(ST, 0x43, [...res, 1, 0, 4, 4]).cc, 0xc5, 'superseded reservation');
  assert.equal(t.raw(ST, 0x43, [...res2, 1, 0, 4, 4]).cc, 0);
});

test('Delete SEL Entry needs a reservation, cancels it, and updates the erase time', () => {
  const t = testBmc();
  for (let i = 0; i < 3; i++) t.raw(ST, 0x44, event(i));
  assert.equal(t.raw(ST, 0x46, [0, 0, 2, 0]).cc, 0xc5);
  const res = t.raw(ST, 0x42).data;
  t.clock.advance(60_000);
  assert.deepEqual(t.raw(ST, 0x46, [...res, 2, 0]), { cc: 0, data: [2, 0] });
  assert.equal(t.raw(ST, 0x46, [...res, 3, 0]).cc, 0xc5, 'the delete cancelled the reservation');
  const res2 = t.raw(ST, 0x42).data;
  assert.equal(t.raw(ST, 0x46, [...res2, 2, 0]).cc, 0xcb);
  assert.deepEqual(t.raw(ST, 0x46, [...res2, 0xff, 0xff]), { cc: 0, data: [3, 0] }, 'FFFFh = last');
  const info = t.raw(ST, 0x40).data;
  assert.equal(u16(info, 1), 1);
  assert.equal(u32(info, 9), Math.floor(t.clock.now() / 1000));
  // The chain skips deleted records.
  assert.equal(u16(t.raw(ST, 0x43, [0, 0, 0, 0, 0, 0xff]).data, 0), 0xffff);
});

test('Clear SEL: reservation, CLR, initiate then status; IDs restart', () => {
  const t = testBmc();
  t.raw(ST, 0x44, event(1));
  t.raw(ST, 0x44, event(2));
  const res = t.raw(ST, 0x42).data;
  assert.equal(t.raw(ST, 0x47, [...res, 0x43, 0x4c, 0x58, 0xaa]).cc, 0xcc, 'not CLR');
  assert.equal(t.raw(ST, 0x47, [...res, 0x43, 0x4c, 0x52, 0x55]).cc, 0xcc, 'bad operation');
  assert.equal(t.raw(ST, 0x47, [0, 0, 0x43, 0x4c, 0x52, 0xaa]).cc, 0xc5);
  assert.deepEqual(t.raw(ST, 0x47, [...res, 0x43, 0x4c, 0x52, 0xaa]), { cc: 0, data: [1] });
  // The erase cancelled the reservation, but its status can still be asked with it.
  assert.deepEqual(t.raw(ST, 0x47, [...res, 0x43, 0x4c, 0x52, 0x00]), { cc: 0, data: [1] });
  assert.equal(t.raw(ST, 0x46, [...res, 0, 0]).cc, 0xc5);
  assert.equal(u16(t.raw(ST, 0x40).data, 1), 0);
  assert.deepEqual(t.raw(ST, 0x44, event(3)).data, [1, 0]);
});

test('Partial Add SEL Entry in pieces', () => {
  const t = testBmc();
  const rec = event(0x42);
  assert.equal(t.raw(ST, 0x45, [0, 0, 0, 0, 0, 0, ...rec.slice(0, 6)]).cc, 0xc5, 'needs a reservation');
  const res = t.raw(ST, 0x42).data;
  const a = t.raw(ST, 0x45, [...res, 0, 0, 0, 0, ...rec.slice(0, 6)]);
  assert.deepEqual(a, { cc: 0, data: [1, 0] });
  assert.equal(t.raw(ST, 0x45, [...res, 1, 0, 7, 0, ...rec.slice(6, 10)]).cc, 0xcc, 'offset must continue');
  assert.deepEqual(t.raw(ST, 0x45, [...res, 1, 0, 6, 0, ...rec.slice(6, 10)]), { cc: 0, data: [1, 0] });
  assert.equal(u16(t.raw(ST, 0x40).data, 1), 0, 'not stored until the last part');
  assert.deepEqual(t.raw(ST, 0x45, [...res, 1, 0, 10, 1, ...rec.slice(10)]), { cc: 0, data: [1, 0] });
  const got = t.raw(ST, 0x43, [0, 0, 1, 0, 0, 0xff]).data;
  assert.deepEqual(got.slice(9), rec.slice(7));
  // A record that ends short is rejected.
  t.raw(ST, 0x45, [...res, 0, 0, 0, 0, ...rec.slice(0, 8)]);
  assert.equal(t.raw(ST, 0x45, [...res, 2, 0, 8, 1, ...rec.slice(8, 12)]).cc, 0x80);
});

test('a full SEL refuses adds with C4h and sets the overflow flag; Clear resets it', () => {
  const cfg = baseConfig();
  cfg.sel.capacity = 3;
  const t = testBmc(cfg);
  for (let i = 0; i < 3; i++) assert.equal(t.raw(ST, 0x44, event(i)).cc, 0);
  assert.equal(t.raw(ST, 0x44, event(9)).cc, 0xc4);
  const info = t.raw(ST, 0x40).data;
  assert.equal(u16(info, 3), 0);
  assert.equal(info[13]! & 0x80, 0x80);
  // Internal events (sensors, watchdog) are dropped the same way.
  assert.equal(t.bmc.sel.add(Uint8Array.from(event(1))), undefined);
  const res = t.raw(ST, 0x42).data;
  t.raw(ST, 0x47, [...res, 0x43, 0x4c, 0x52, 0xaa]);
  assert.equal(t.raw(ST, 0x40).data[13]! & 0x80, 0);
});

test('Set SEL Time moves the SEL clock; UTC offset range', () => {
  const t = testBmc();
  assert.equal(u32(t.raw(ST, 0x48).data, 0), Math.floor(t.clock.now() / 1000));
  const target = 1_700_000_000;
  assert.equal(t.raw(ST, 0x49, [target & 0xff, (target >> 8) & 0xff, (target >> 16) & 0xff, target >>> 24]).cc, 0);
  t.clock.advance(10_000);
  assert.equal(u32(t.raw(ST, 0x48).data, 0), target + 10);
  t.raw(ST, 0x44, event(1));
  assert.equal(u32(t.raw(ST, 0x43, [0, 0, 1, 0, 0, 0xff]).data, 5), target + 10, 'records use the SEL clock');
  assert.deepEqual(t.raw(ST, 0x5c).data, [0xff, 0x07], 'unspecified');
  assert.equal(t.raw(ST, 0x5d, le16(-60 & 0xffff)).cc, 0);
  assert.deepEqual(t.raw(ST, 0x5c).data, le16(-60 & 0xffff));
  assert.equal(t.raw(ST, 0x5d, le16(1441)).cc, 0xc9);
  assert.equal(t.raw(ST, 0x49, [0, 0, 0, 0], 2).cc, 0xd4);
});

test('the SEL, its clock and flags survive a restart', () => {
  const t = testBmc();
  t.raw(ST, 0x44, event(1));
  t.raw(ST, 0x44, event(2));
  const res = t.raw(ST, 0x42).data;
  t.raw(ST, 0x46, [...res, 1, 0]);
  t.raw(ST, 0x49, [0x00, 0xf1, 0x53, 0x65]);
  t.raw(ST, 0x5d, le16(120));
  const before = t.raw(ST, 0x40).data;
  const r = t.restart();
  assert.deepEqual(r.raw(ST, 0x40).data, before);
  assert.deepEqual(r.raw(ST, 0x43, [0, 0, 0, 0, 0, 0xff]).data, t.raw(ST, 0x43, [0, 0, 0, 0, 0, 0xff]).data);
  assert.deepEqual(r.raw(ST, 0x48).data, t.raw(ST, 0x48).data);
  assert.deepEqual(r.raw(ST, 0x5c).data, le16(120));
  assert.deepEqual(r.raw(ST, 0x44, event(3)).data, [3, 0], 'IDs continue');
  assert.equal(r.raw(ST, 0x46, [...res, 2, 0]).cc, 0xc5, 'reservations do not survive');
});

test('a failed save leaves the SEL unchanged and answers FFh', () => {
  const t = testBmc();
  t.raw(ST, 0x44, event(1));
  const save = t.store.save.bind(t.store);
  t.store.save = () => {
    throw new Error('disk full');
  };
  assert.equal(t.raw(ST, 0x44, event(2)).cc, 0xff);
  t.store.save = save;
  assert.equal(u16(t.raw(ST, 0x40).data, 1), 1);
  assert.deepEqual(t.raw(ST, 0x44, event(3)).data, [2, 0], 'the failed add did not use up an ID');
});
