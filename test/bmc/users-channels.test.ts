// User and channel access changes over IPMI persist (and are undone when the save fails);
// state saved from a different config is dropped; malformed state is a StateError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseConfig } from '../../src/bmc/config/model.js';
import { MemoryStore, StateError } from '../../src/bmc/store.js';
import { testBmc } from '../helpers/bmc.js';

const APP = 0x06;
const name16 = (s: string) => {
  const b = new Array(16).fill(0);
  Buffer.from(s).forEach((c, i) => (b[i] = c));
  return b;
};
const pw = (s: string, n: 16 | 20 = 16) => {
  const b = new Array(n).fill(0);
  Buffer.from(s).forEach((c, i) => (b[i] = c));
  return b;
};

test('user name, password (16 and 20 bytes), access and enable survive a restart', () => {
  const t = testBmc();
  assert.equal(t.raw(APP, 0x45, [3, ...name16('carol')]).cc, 0);
  assert.equal(t.raw(APP, 0x47, [3, 2, ...pw('s3cret')]).cc, 0);
  assert.equal(t.raw(APP, 0x47, [0x80 | 4, 2, ...pw('a-twenty-byte-passwd', 20)]).cc, 0);
  assert.equal(t.raw(APP, 0x43, [0x90 | 1, 3, 3]).cc, 0, 'IPMI messaging on, OPERATOR');
  assert.equal(t.raw(APP, 0x47, [3, 1, ...pw('')]).cc, 0, 'enable');
  const r = t.restart();
  assert.deepEqual(r.raw(APP, 0x46, [3]).data, name16('carol'));
  assert.equal(r.raw(APP, 0x47, [3, 3, ...pw('s3cret')]).cc, 0, 'password test');
  assert.equal(r.raw(APP, 0x47, [3, 3, ...pw('other')]).cc, 0x80);
  assert.equal(r.raw(APP, 0x47, [0x80 | 4, 3, ...pw('a-twenty-byte-passwd', 20)]).cc, 0);
  assert.equal(r.raw(APP, 0x47, [4, 3, ...pw('a-twenty-byte-pa')]).cc, 0x81, 'wrong size');
  const access = r.raw(APP, 0x44, [1, 3]).data;
  assert.equal(access[1]! >> 6, 1, 'enabled');
  assert.equal(access[3], 0x13, 'IPMI messaging + OPERATOR');
  const u = r.bmc.users.get(3)!;
  assert.equal(r.bmc.users.findByName(Buffer.from('carol'), 1)?.id, u.id);
});

test('a failed save undoes the user change and answers FFh', () => {
  const t = testBmc();
  t.store.save = () => {
    throw new Error('read-only file system');
  };
  assert.equal(t.raw(APP, 0x45, [2, ...name16('root')]).cc, 0xff);
  assert.equal(t.bmc.users.get(2)!.name, 'admin');
  assert.equal(t.raw(APP, 0x40, [1, 0x42, 0x43]).cc, 0xff, 'channel access (non-volatile) too');
  assert.equal(t.bmc.lanChannel().access!.nonVolatile.privilegeLimit, 4);
  assert.equal(t.raw(APP, 0x40, [1, 0x82, 0x83]).cc, 0, 'volatile-only changes are not saved');
});

test('non-volatile channel access persists and becomes the active setting after a restart', () => {
  const t = testBmc();
  // Non-volatile: per-message auth disabled, always available, OPERATOR.
  assert.equal(t.raw(APP, 0x40, [1, 0x40 | 0x10 | 2, 0x40 | 3]).cc, 0);
  // Volatile only: pre-boot only.
  assert.equal(t.raw(APP, 0x40, [1, 0x80 | 1, 0]).cc, 0);
  assert.deepEqual(t.raw(APP, 0x41, [1, 0x80]).data, [0x01, 0x04]);
  const r = t.restart();
  assert.deepEqual(r.raw(APP, 0x41, [1, 0x40]).data, [0x12, 0x03]);
  assert.deepEqual(r.raw(APP, 0x41, [1, 0x80]).data, [0x12, 0x03], 'volatile starts from non-volatile');
  assert.equal(r.raw(APP, 0x40, [1, 0x40, 0x46]).cc, 0xcc, 'privilege 6');
});

test('saved users from another config are dropped with a warning', () => {
  const t = testBmc();
  t.raw(APP, 0x45, [3, ...name16('dave')]);
  const c = baseConfig();
  c.users.push({ id: 5, name: 'oper', password: 'x', privilege: 3 });
  const r = t.restart(c);
  assert.equal(r.bmc.users.get(3)!.name, '');
  assert.equal(r.bmc.users.get(5)!.name, 'oper');
  assert.ok(r.log.lines.some((l) => l.level === 'warn' && /users in the config changed/.test(l.msg)));
});

test('malformed saved state is a StateError naming the key and field', () => {
  for (const [key, value, field] of [
    ['sel', { version: 1, entries: ['zz'] }, /entries\[0\]/],
    ['sel', { version: 2 }, /version/],
    ['users', { version: 1, base: 'x', users: [{ id: 99 }] }, /users\[0\]/],
    ['fru', { version: 1, devices: { 0: { base: 'x', data: 7 } } }, /devices\.0\.data/],
    ['lan', { version: 1, base: 'x', params: { 3: '0102' } }, /params\.3/],
    ['channels', { version: 1, base: 'x', channels: { 1: { accessMode: 9 } } }, /channels\.1/],
  ] as const) {
    const store = new MemoryStore();
    store.save(key, value);
    assert.throws(
      () => testBmc(baseConfig(), store),
      (e: unknown) => e instanceof StateError && e.key === key && field.test(e.message),
      key,
    );
  }
});

test('Get Channel Authentication Capabilities reports the active channel access bits', () => {
  const t = testBmc();
  assert.equal(t.raw(APP, 0x38, [0x8e, 4]).data[2]! & 0x18, 0);
  // Volatile: per-message and user-level authentication disabled.
  t.raw(APP, 0x40, [1, 0x80 | 0x10 | 0x08 | 2, 0]);
  assert.equal(t.raw(APP, 0x38, [0x8e, 4]).data[2]! & 0x18, 0x18);
});

test('a config with fewer user slots replaces saved users instead of failing', () => {
  const c = baseConfig();
  c.maxUsers = 20;
  const t = testBmc(c);
  t.raw(APP, 0x45, [20, ...name16('last')]);
  const r = t.restart(baseConfig());
  assert.equal(r.bmc.users.maxUsers, 16);
  assert.ok(r.log.lines.some((l) => /users in the config changed/.test(l.msg)));
});
