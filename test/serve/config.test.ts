// The embedded default, the examples, and a bad config rejected at start with the file, line,
// field and what was expected (exit 78, nothing listening).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_YAML } from '../../src/bmc/config/default.js';
import { loadConfigFile, parseConfig } from '../../src/bmc/config/load.js';
import { Bmc } from '../../src/bmc/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { SeededRng } from '../../src/bmc/rng.js';
import { silentLogger } from '../../src/bmc/log.js';
import { cli, repoRoot } from '../helpers/run.js';

test('examples/default.yaml is the embedded default, byte for byte', () => {
  assert.equal(readFileSync(join(repoRoot, 'examples/default.yaml'), 'utf8'), DEFAULT_CONFIG_YAML);
});

test('the embedded default is a 1U server: 3 users, >= 12 sensors, FRU board and product areas', () => {
  const c = parseConfig(DEFAULT_CONFIG_YAML, 'default');
  assert.deepEqual(
    c.users.map((u) => [u.name, u.privilege]),
    [
      ['admin', 4],
      ['operator', 3],
      ['user', 2],
    ],
  );
  assert.ok(c.sensors.length >= 12);
  const names = c.sensors.map((s) => s.name).join(',');
  for (const want of ['CPU1 Temp', 'Inlet Temp', 'FAN1', '12V', '5V', '3.3V', 'PSU1 Status', 'Watchdog', 'Chassis Intru']) assert.match(names, new RegExp(want));
  assert.equal(c.fru.length, 1);
});

for (const name of ['default', 'minimal', 'qemu-internal']) {
  test(`examples/${name}.yaml loads and builds a BMC`, () => {
    const c = loadConfigFile(join(repoRoot, 'examples', `${name}.yaml`));
    const bmc = new Bmc(c, { clock: new ManualClock(), rng: new SeededRng(), log: silentLogger });
    assert.ok(bmc.sdr.records.length >= 1);
  });
}

test('the QEMU-internal example answers like ipmi-bmc-sim: its Get Device ID, one SDR, 128 SEL entries, 0xC1 elsewhere', () => {
  const c = loadConfigFile(join(repoRoot, 'examples/qemu-internal.yaml'));
  const bmc = new Bmc(c, { clock: new ManualClock(), rng: new SeededRng(), log: silentLogger });
  const sys = (netFn: number, cmd: number, data: number[] = []) => bmc.dispatchSystem({ netFn, lun: 0, cmd, data: Uint8Array.from(data) });
  assert.deepEqual([...sys(0x06, 0x01).data], [0x20, 0x00, 0x00, 0x00, 0x02, 0x07, 0, 0, 0, 0, 0]); // qemu-ipmi.md §2.3
  assert.equal(bmc.sdr.records.length, 1);
  assert.equal(sys(0x06, 0x04).cc, 0xc1, 'no Get Self Test Results in QEMU');
  assert.equal(sys(0x00, 0x07).cc, 0xc1, 'no Get System Restart Cause on 0x07');
  const info = sys(0x0a, 0x40);
  assert.equal(info.cc, 0);
  assert.equal(info.data[3]! | (info.data[4]! << 8), 128 * 16, 'free space of a 128-entry SEL');
});

const kinds: { name: string; yaml: string; line: number; expect: RegExp }[] = [
  { name: 'YAML syntax', yaml: 'users:\n  - { id: 2, name: admin\n', line: 3, expect: /YAML syntax error/ },
  { name: 'unknown section', yaml: 'identity: {}\nsensorz: []\n', line: 2, expect: /sensorz: unknown field \(expected one of identity, users/ },
  { name: 'unknown field', yaml: 'identity:\n  deviceID: 1\n', line: 2, expect: /identity\.deviceID: unknown field/ },
  { name: 'wrong type', yaml: 'sel:\n  capacity: lots\n', line: 2, expect: /sel\.capacity: expected an integer from 1 to 4095 .*got "lots"/ },
  { name: 'out of range', yaml: 'identity:\n  deviceRevision: 16\n', line: 2, expect: /identity\.deviceRevision: expected an integer from 0 to 15/ },
  { name: 'bad choice', yaml: 'users:\n  - { id: 2, name: a, password: b, privilege: root }\n', line: 2, expect: /users\[0\]\.privilege: expected one of callback, user, operator, administrator/ },
  { name: 'missing field', yaml: 'users:\n  - { name: a, password: b }\n', line: 2, expect: /users\[0\]: missing field "id"/ },
  { name: 'duplicate', yaml: 'users:\n  - { id: 2, name: a }\n  - { id: 2, name: b }\n', line: 3, expect: /users\[1\]\.id: user 2 is defined twice/ },
  { name: 'bad GUID', yaml: 'identity:\n  systemGuid: not-a-guid\n', line: 2, expect: /identity\.systemGuid: expected a GUID/ },
  { name: 'cipher suite 0 not allowed', yaml: 'lan:\n  cipherSuites: [0, 3]\n', line: 2, expect: /lan\.cipherSuites: cipher suite 0 .* allowCipherZero/ },
  { name: 'unsupported cipher suite', yaml: 'lan:\n  cipherSuites: [3, 4]\n', line: 2, expect: /lan\.cipherSuites\[1\]: cipher suite 4 is not supported/ },
  { name: 'sensor thresholds out of order', yaml: 'sensors:\n  - name: T\n    type: temperature\n    unit: degrees C\n    range: [0, 127]\n    thresholds: { unc: 90, ucr: 80 }\n', line: 6, expect: /sensors\[0\]\.thresholds/ },
  { name: 'unknown command', yaml: 'commands:\n  disable: [Get Everything]\n', line: 2, expect: /commands\.disable\[0\]: unknown command "Get Everything"/ },
  { name: 'vm command quoting', yaml: 'vm:\n  command: "qemu-system-x86_64 -append \'console=ttyS0"\n', line: 2, expect: /vm\.command: unterminated ' quote/ },
];

for (const k of kinds) {
  test(`config error: ${k.name} → file:line: field and expectation, exit 78, nothing starts`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-cfg-'));
    const file = join(dir, 'bmc.yaml');
    writeFileSync(file, k.yaml);
    const r = await cli(['serve', '--config', file, '--lan', '127.0.0.1:0', '--state-dir', join(dir, 'state')], { timeoutMs: 15_000 });
    assert.equal(r.code, 78, r.stderr);
    assert.match(r.stderr, new RegExp(`config error: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:${k.line}:\\d+: `));
    assert.match(r.stderr, k.expect);
    assert.doesNotMatch(r.stderr, /listening/);
  });
}

test('a missing config file is a config error naming the file', async () => {
  const r = await cli(['serve', '--config', '/nonexistent/bmc.yaml', '--lan', '127.0.0.1:0'], { timeoutMs: 15_000 });
  assert.equal(r.code, 78);
  assert.match(r.stderr, /\/nonexistent\/bmc\.yaml.*cannot read config: ENOENT/);
});
