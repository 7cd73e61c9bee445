// The sel, fru and lanParams YAML sections: values land in the config, and each kind of mistake
// is rejected with file:line:column, the field path and what was expected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../../src/bmc/config/load.js';

function rejects(yaml: string, where: RegExp): void {
  assert.throws(
    () => parseConfig(yaml, 'bmc.yaml'),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, where);
      return true;
    },
  );
}

test('sel.capacity', () => {
  assert.equal(parseConfig('sel:\n  capacity: 128\n', 'bmc.yaml').sel.capacity, 128);
  rejects('sel:\n  capacity: 0\n', /^bmc\.yaml:2:13: sel\.capacity: expected an integer from 1 to 4095 \(0x\.\. hex allowed\), got 0$/);
  rejects('sel:\n  size: 10\n', /^bmc\.yaml:2:3: sel\.size: unknown field \(expected one of capacity\)$/);
});

test('fru mistakes', () => {
  rejects('fru:\n  - name: x\n', /^bmc\.yaml:2:5: fru\[0\]: missing field "id"/);
  rejects('fru:\n  - id: 0\n    board:\n      maker: X\n', /^bmc\.yaml:4:7: fru\[0\]\.board\.maker: unknown field \(expected one of mfgDate, manufacturer/);
  rejects('fru:\n  - id: 0\n  - id: 0\n', /^bmc\.yaml:3:5: fru\[1\]: FRU device 0 is defined twice$/);
  rejects('fru:\n  - id: 0\n    chassis: { type: spaceship }\n', /fru\[0\]\.chassis\.type: expected a chassis type code 0-255 or a name/);
  rejects('fru:\n  - id: 0\n    board: { mfgDate: 1990-01-01T00:00:00Z }\n', /fru\[0\]\.board\.mfgDate: expected a date-time/);
  rejects('fru:\n  - id: 0\n    product: { name: { bcdPlus: "ABC" } }\n', /fru\[0\]\.product\.name\.bcdPlus: expected digits/);
  rejects('fru:\n  - id: 0\n    product: { name: { binary: "zz" } }\n', /fru\[0\]\.product\.name\.binary: expected hexadecimal bytes/);
  rejects(`fru:\n  - id: 0\n    product: { name: "${'x'.repeat(64)}" }\n`, /fru\[0\]\.product\.name: expected at most 63 characters/);
  rejects('fru:\n  - id: 0\n    size: 16\n    product: { name: P }\n', /fru\[0\]\.size: the image needs \d+ bytes, more than size 16/);
  rejects('fru:\n  - id: 0\n    writeProtect: [ { offset: 0 } ]\n', /fru\[0\]\.writeProtect\[0\]: a write-protected range needs "offset" and "length"/);
  rejects('fru:\n  - id: 255\n', /fru\[0\]\.id: expected an integer from 0 to 254/);
  // Chassis type by name, with or without "chassis".
  const c = parseConfig('fru:\n  - id: 1\n    chassis: { type: Rack Mount Chassis }\n  - id: 2\n    chassis: { type: blade }\n', 'bmc.yaml');
  assert.deepEqual(c.fru.map((d) => d.id), [1, 2]);
  assert.equal(c.fru[0]!.image[8 + 2], 0x17);
  assert.equal(c.fru[1]!.image[8 + 2], 0x1c);
});

test('lanParams mistakes', () => {
  rejects('lanParams:\n  ipAddress: 300.1.1.1\n', /^bmc\.yaml:2:14: lanParams\.ipAddress: expected an IPv4 address like 192\.0\.2\.10, got "300\.1\.1\.1"$/);
  rejects('lanParams:\n  macAddress: 02:00:00\n', /lanParams\.macAddress: expected a MAC address/);
  rejects('lanParams:\n  ipSource: manual\n', /lanParams\.ipSource: expected one of unspecified, static, dhcp, bios, other, got "manual"/);
  rejects('lanParams:\n  vlanId: 4095\n', /lanParams\.vlanId: expected an integer from 0 to 4094/);
  rejects('lanParams:\n  gratuitousArpInterval: 0.7\n', /lanParams\.gratuitousArpInterval: expected seconds in steps of 0\.5/);
  rejects('lanParams:\n  gateway: 1.2.3.4\n', /^bmc\.yaml:2:3: lanParams\.gateway: unknown field/);
  rejects('lanParams:\n  community: "0123456789012345678"\n', /lanParams\.community: expected at most 18 characters/);
});
