// Config fields that reproduce another BMC byte for byte (what import-openipmi writes): the SDR
// repository given record by record (sdr.records), a FRU device given as bytes (fru[].image),
// and the user table's size and what unused IDs report (users.slots, users.unusedPrivilege,
// ipmiMessaging). Checked through the IPMI commands a client uses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/bmc/config/load.js';
import { sensorSdr } from '../../src/bmc/state/sensor-records.js';
import { encodeSdr } from '../../src/ipmi/sdr/records.js';
import { testBmc, type TestBmc } from '../helpers/bmc.js';

const ST = 0x0a;
const APP = 0x06;
const u16 = (d: number[], i: number) => d[i]! | (d[i + 1]! << 8);
const parse = (yaml: string) => parseConfig(yaml, 'bmc.yaml');

function records(t: TestBmc): number[][] {
  const out: number[][] = [];
  for (let id = 0; id !== 0xffff; ) {
    const r = t.raw(ST, 0x23, [0, 0, id & 0xff, id >> 8, 0, 0xff]);
    assert.equal(r.cc, 0, `record ${id}`);
    out.push(r.data.slice(2));
    id = u16(r.data, 0);
  }
  return out;
}

const SENSORS = `sensors:
  - { name: CPU temp, number: 1, type: temperature, unit: degrees C, factors: { m: 1 }, range: [0, 127], thresholds: { unc: 80 }, value: 45 }
  - { name: PSU1 status, number: 6, type: power supply, states: [Presence detected] }
`;
// An MC locator and a compact record whose ID string claims 9 six-bit characters in 7 bytes
// (as sdrcomp writes them): served as they are.
const MC_LOCATOR = '01 00 51 12 12 20 00 00 bf 00 00 00 06 01 00 c7 4c 61 62 20 62 6d 63';
const ODD_COMPACT = '09 00 51 02 22 20 00 07 17 01 41 00 05 6f 01 00 00 00 01 00 c0 00 00 00 00 00 00 00 00 00 00 89 a9 4b cb f5 9c be 2e';

test('sdr.records: the repository in the given order, generated records and bytes as given (record IDs renumbered)', () => {
  const t = testBmc(parse(`${SENSORS}sdr:\n  records:\n    - { raw: "${MC_LOCATOR}" }\n    - { sensor: PSU1 status }\n    - { raw: "${ODD_COMPACT}" }\n`));
  const recs = records(t);
  assert.equal(recs.length, 3, 'CPU temp has no record; no locator is generated');
  const hex = (r: number[]) => r.map((b) => b.toString(16).padStart(2, '0')).join(' ');
  assert.equal(hex(recs[0]!), `01 00 ${MC_LOCATOR.slice(6)}`);
  assert.deepEqual(recs[1]!.slice(0, 4), [2, 0, 0x51, 0x02], 'the generated compact record of PSU1 status, ID 2');
  assert.equal(recs[1]![7], 6, 'sensor number');
  assert.equal(hex(recs[2]!), `03 00 ${ODD_COMPACT.slice(6)}`);
  // A sensor without a record still reads.
  assert.deepEqual(t.raw(0x04, 0x2d, [1]).data.slice(0, 1), [45]);
});

test('sdr.records: a raw record of a configured sensor must agree with its conversion; mistakes are positioned', () => {
  // CPU temp's own full record, with M = 2 instead of 1 (byte 24).
  const record = encodeSdr(sensorSdr(parse(SENSORS).sensors[0]!, 1));
  record[24] = 2;
  const wrongM = [...record].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  assert.throws(() => parse(`${SENSORS}sdr:\n  records:\n    - { raw: "${wrongM}" }\n`), /bmc\.yaml:6:\d+: sdr\.records\[0\]\.raw: describes sensor 1 \("CPU temp"\) with conversion factors m, b, bExp, rExp, linearization, format = 2, 0, 0, 0, 0, 0; the sensor's are 1, 0, 0, 0, 0, 0/);
  assert.throws(() => parse(`${SENSORS}sdr:\n  records:\n    - { sensor: Fan9 }\n`), /sdr\.records\[0\]\.sensor: no sensor named "Fan9"/);
  assert.throws(() => parse(`${SENSORS}sdr:\n  records:\n    - { raw: "01 00 51 12 05 20" }\n`), /the length byte \(byte 4\) says 10 bytes, but 6 are given/);
  assert.throws(() => parse(`${SENSORS}sdr:\n  mcLocator: false\n  records: []\n`), /sdr\.mcLocator: give either records/);
  const empty = testBmc(parse(`${SENSORS}sdr:\n  records: []\n`));
  assert.deepEqual(empty.raw(ST, 0x20).data.slice(0, 3), [0x51, 0, 0], 'an empty repository');
  assert.equal(empty.raw(ST, 0x23, [0, 0, 0, 0, 0, 0xff]).cc, 0xcb);
});

test('fru image: the device is the bytes given, padded with zeros to its size', () => {
  const t = testBmc(parse('fru:\n  - id: 0\n    size: 64\n    image: |\n      01 00 00 01 00 00 00 fe\n      ff 11\n'));
  assert.deepEqual(t.raw(ST, 0x10, [0]).data, [64, 0, 0]);
  assert.deepEqual(t.raw(ST, 0x11, [0, 0, 0, 12]).data, [12, 0x01, 0, 0, 0x01, 0, 0, 0, 0xfe, 0xff, 0x11, 0, 0]);
  assert.throws(() => parse('fru:\n  - { id: 0, image: "01 02", board: { manufacturer: X } }\n'), /fru\[0\]\.board: give either image/);
  assert.throws(() => parse('fru:\n  - { id: 0, size: 8, image: "00 01 02 03 04 05 06 07 08" }\n'), /the image needs 9 bytes, more than size 8/);
  assert.throws(() => parse('fru:\n  - { id: 0, image: "0g" }\n'), /fru\[0\]\.image: expected hexadecimal bytes/);
});

test('users: slots, the privilege unused IDs report, and per-account IPMI messaging (Get User Access)', () => {
  const t = testBmc(
    parse(`users:
  slots: 63
  unusedPrivilege: 0
  accounts:
    - { id: 2, name: admin, password: password, privilege: administrator }
    - { id: 6, name: retired, password: old, privilege: administrator, enabled: false, ipmiMessaging: false }
`),
  );
  const access = (id: number) => t.raw(APP, 0x44, [1, id]).data;
  assert.deepEqual(access(2), [63, 0x41, 1, 0x14], '63 IDs, 1 enabled, IPMI messaging + ADMINISTRATOR');
  assert.deepEqual(access(6).slice(3), [0x04], 'disabled, no IPMI messaging, ADMINISTRATOR');
  assert.deepEqual(access(40).slice(3), [0x00], 'an unused ID reports privilege 0');
  assert.equal(t.raw(APP, 0x44, [1, 64]).cc, 0xcc, 'no ID 64');
  // The list form keeps its meaning: 16 slots, unused IDs report NO ACCESS.
  const plain = testBmc(parse('users:\n  - { id: 2, name: admin, password: password, privilege: administrator }\n'));
  assert.deepEqual(plain.raw(APP, 0x44, [1, 9]).data, [16, 0x81, 1, 0x0f], 'user 9: disabled, NO ACCESS');
  assert.throws(() => parse('users:\n  slots: 4\n  accounts:\n    - { id: 5, name: x }\n'), /users\.accounts\[0\]\.id: user 5 is above slots \(4\)/);
  assert.throws(() => parse('users:\n  slots: 4\n'), /missing field "accounts"/);
  assert.throws(() => parse('users:\n  unusedPrivilege: 16\n  accounts: []\n'), /users\.unusedPrivilege: expected an integer from 0 to 15/);
});

test('sensors: events enabled at start (assertionsEnabled / deassertionsEnabled), a subset of the supported ones', () => {
  const t = testBmc(
    parse(`sensors:
  - { name: CPU temp, number: 1, type: temperature, unit: degrees C, factors: { m: 1 }, thresholds: { unc: 80, ucr: 90 }, assertions: [unc+, ucr+], deassertions: [unc+, ucr+], assertionsEnabled: [ucr+], deassertionsEnabled: [] }
  - { name: Intrusion, number: 2, type: physical security, assertions: [General Chassis intrusion], assertionsEnabled: [] }
  - { name: PSU1 status, number: 3, type: power supply }
`),
  );
  const enables = (n: number) => t.raw(0x04, 0x29, [n]).data;
  assert.deepEqual(enables(1), [0xc0, 0x00, 0x02, 0x00, 0x00], 'ucr+ (bit 9) asserts; nothing deasserts');
  assert.deepEqual(enables(2), [0xc0, 0x00, 0x00, 0x7f, 0x00], 'no assertions; the deassertions default to all of them');
  assert.deepEqual(enables(3).slice(1), [0xff, 0x00, 0xff, 0x00], 'by default every supported event (offsets 0-7)');
  assert.throws(() => parse('sensors:\n  - { name: T, type: temperature, unit: degrees C, factors: { m: 1 }, thresholds: { unc: 80 }, assertions: [unc+], assertionsEnabled: [ucr+] }\n'), /sensors\[0\]\.assertionsEnabled: enables events that assertions does not list \(0x200\)/);
});
