// FRU inventory commands through the dispatch table, FRU images from YAML, and persistence of
// writes (kept across restarts, dropped when the config's FRU changes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseConfig } from '../../src/bmc/config/model.js';
import { parseConfig } from '../../src/bmc/config/load.js';
import { decodeFru } from '../../src/ipmi/fru/format.js';
import { testBmc } from '../helpers/bmc.js';

const ST = 0x0a;

test('FRU 0 of the default config: area info, reads, limits', () => {
  const t = testBmc();
  assert.deepEqual(t.raw(ST, 0x10, [0]), { cc: 0, data: [0x00, 0x01, 0x00] }, '256 bytes, byte access');
  assert.equal(t.raw(ST, 0x10, [1]).cc, 0xcb, 'no such device');
  const head = t.raw(ST, 0x11, [0, 0, 0, 8]);
  assert.equal(head.cc, 0);
  assert.equal(head.data[0], 8);
  assert.equal(head.data[1], 0x01, 'common header format version');
  assert.equal(head.data.slice(1).reduce((a, b) => a + b, 0) & 0xff, 0, 'header checksum');
  assert.deepEqual(t.raw(ST, 0x11, [0, 0xfc, 0x00, 10]).data, [4, 0, 0, 0, 0], 'reads stop at the end of the device');
  assert.equal(t.raw(ST, 0x11, [0, 0x00, 0x01, 1]).cc, 0xc9, 'offset past the end');
  assert.equal(t.raw(ST, 0x11, [0, 0, 0, 65]).cc, 0xca, 'more than one response carries');
  assert.equal(t.raw(ST, 0x11, [0, 0, 0, 64]).data.length, 65);
  assert.equal(t.raw(ST, 0x11, [0, 0, 0]).cc, 0xc7);

  const image = new Uint8Array(256);
  for (let off = 0; off < 256; off += 32) image.set(t.raw(ST, 0x11, [0, off, 0, 32]).data.slice(1), off);
  const { fru, warnings } = decodeFru(image);
  assert.deepEqual(warnings, []);
  assert.equal(fru.board!.manufacturer, 'ipmi-sim');
  assert.equal(fru.product!.name, 'Simulated 1U Server');
  assert.equal(fru.chassis!.type, 0x17);
});

test('Write FRU Data: bounds, privilege, persistence across a restart', () => {
  const t = testBmc();
  assert.deepEqual(t.raw(ST, 0x12, [0, 0xf0, 0x00, 1, 2, 3]), { cc: 0, data: [3] });
  assert.equal(t.raw(ST, 0x12, [0, 0xfe, 0x00, 1, 2, 3]).cc, 0xc8, 'past the end of the device');
  assert.equal(t.raw(ST, 0x12, [0, 0x00, 0x01, 1]).cc, 0xc9);
  assert.equal(t.raw(ST, 0x12, [5, 0, 0, 1]).cc, 0xcb);
  assert.equal(t.raw(ST, 0x12, [0, 0, 0, 1], 2).cc, 0xd4, 'USER may not write');
  const r = t.restart();
  assert.deepEqual(r.raw(ST, 0x11, [0, 0xf0, 0x00, 4]).data, [4, 1, 2, 3, 0]);
});

const yaml = (serial: string) => `
fru:
  - id: 0
    chassis: { type: tower, serialNumber: C1 }
    board:
      mfgDate: 2020-02-03T04:05:00Z
      manufacturer: ACME
      productName: { sixBitAscii: BOARD }
      serialNumber: { bcdPlus: "12-3" }
      extra: [ "rev A" ]
    product: { manufacturer: ACME, name: Box, serialNumber: ${serial} }
    multiRecords:
      - { type: 0xc0, data: "57 01 00 aa" }
  - id: 3
    size: 64
    readOnly: true
    board: { manufacturer: X }
  - id: 4
    writeProtect: [ { offset: 0, length: 8 } ]
    product: { name: P }
`;

test('FRU devices from YAML fields', () => {
  const t = testBmc(parseConfig(yaml('S1'), 'bmc.yaml'));
  const image = Uint8Array.from(t.bmc.fru.device(0)!);
  const { fru, warnings } = decodeFru(image);
  assert.deepEqual(warnings, []);
  assert.equal(fru.chassis!.type, 0x07);
  assert.equal(fru.board!.mfgDate!.toISOString(), '2020-02-03T04:05:00.000Z');
  assert.deepEqual(fru.board!.productName, { type: 'sixBitAscii', text: 'BOARD' });
  assert.deepEqual(fru.board!.serialNumber, { type: 'bcdPlus', text: '12-3' });
  assert.deepEqual(fru.board!.extra, ['rev A']);
  assert.equal(fru.product!.serialNumber, 'S1');
  assert.deepEqual([...fru.multiRecords![0]!.data], [0x57, 0x01, 0x00, 0xaa]);
  assert.deepEqual(t.raw(ST, 0x10, [3]).data, [64, 0, 0]);
  assert.equal(t.raw(ST, 0x12, [3, 10, 0, 1]).cc, 0x80, 'read-only device');
  assert.equal(t.raw(ST, 0x12, [4, 7, 0, 1, 2]).cc, 0x80, 'touches the protected header');
  assert.equal(t.raw(ST, 0x12, [4, 8, 0, 1, 2]).cc, 0);
  assert.equal(t.raw(ST, 0x10, [2]).cc, 0xcb);
});

test('saved FRU writes are dropped when the config FRU changes', () => {
  const t = testBmc(parseConfig(yaml('S1'), 'bmc.yaml'));
  t.raw(ST, 0x12, [4, 0x20, 0, 0xee]);
  assert.deepEqual(t.restart().raw(ST, 0x11, [4, 0x20, 0, 1]).data, [1, 0xee], 'same config: kept');
  const changed = t.restart(parseConfig(yaml('S2'), 'bmc.yaml'));
  assert.deepEqual(changed.raw(ST, 0x11, [4, 0x20, 0, 1]).data, [1, 0xee], 'device 4 did not change');
  const d0 = decodeFru(Uint8Array.from(changed.bmc.fru.device(0)!)).fru;
  assert.equal(d0.product!.serialNumber, 'S2');
});

test('a config change of one device drops only that device', () => {
  const t = testBmc(parseConfig(yaml('S1'), 'bmc.yaml'));
  t.raw(ST, 0x12, [0, 0xf8, 0, 0x11]);
  const changed = t.restart(parseConfig(yaml('S2'), 'bmc.yaml'));
  assert.deepEqual(changed.raw(ST, 0x11, [0, 0xf8, 0, 1]).data, [1, 0]);
  assert.ok(changed.log.lines.some((l) => l.level === 'warn' && /FRU in the config changed/.test(l.msg)));
  assert.ok(baseConfig().fru.length === 1);
});
