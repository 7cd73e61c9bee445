// The `chassis:` YAML section: every field, its defaults, and errors with file:line:column.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, ConfigError } from '../../src/bmc/config/load.js';
import { defaultChassisConfig } from '../../src/bmc/state/chassis.js';

test('defaults when the section is absent', () => {
  assert.deepEqual(parseConfig('identity: { deviceId: 1 }\n', 'bmc.yaml').chassis, defaultChassisConfig());
  // No initialPower: the platform decides (see chassis.test.ts).
  assert.deepEqual(defaultChassisConfig(), {
    restorePolicy: 'previous',
    powerCycleInterval: 1,
    identifyDefault: 15,
    watchdog: { sensorNumber: 0 },
  });
});

test('every field', () => {
  const c = parseConfig(
    ['chassis:', '  power: off', '  restorePolicy: always-on', '  powerCycleInterval: 10', '  identifyDefault: 30', '  watchdog:', '    sensorNumber: 0x10', ''].join('\n'),
    'bmc.yaml',
  ).chassis;
  assert.deepEqual(c, { initialPower: 'off', restorePolicy: 'always-on', powerCycleInterval: 10, identifyDefault: 30, watchdog: { sensorNumber: 0x10 } });
});

function rejects(yaml: string, message: RegExp) {
  assert.throws(
    () => parseConfig(yaml, 'bmc.yaml'),
    (e: unknown) => e instanceof ConfigError && message.test(e.message),
    `expected ${message}`,
  );
}

test('mistakes name the file, line, column and field', () => {
  rejects('chassis:\n  power: maybe\n', /^bmc\.yaml:2:10: chassis\.power: expected one of on, off, got "maybe"$/);
  rejects('chassis:\n  restorePolicy: sometimes\n', /^bmc\.yaml:2:18: chassis\.restorePolicy: expected one of always-off, previous, always-on/);
  rejects('chassis:\n  powerCycleInterval: 300\n', /^bmc\.yaml:2:23: chassis\.powerCycleInterval: expected an integer from 0 to 255/);
  rejects('chassis:\n  identifyDefault: 0\n', /^bmc\.yaml:2:20: chassis\.identifyDefault: expected an integer from 1 to 255/);
  rejects('chassis:\n  powercycleinterval: 3\n', /^bmc\.yaml:2:3: chassis\.powercycleinterval: unknown field \(expected one of power, restorePolicy, powerCycleInterval, identifyDefault, watchdog\)$/);
  rejects('chassis:\n  watchdog:\n    sensor: 3\n', /^bmc\.yaml:3:5: chassis\.watchdog\.sensor: unknown field \(expected one of sensorNumber\)$/);
  rejects('chassis:\n  watchdog:\n    sensorNumber: 255\n', /^bmc\.yaml:3:19: chassis\.watchdog\.sensorNumber: expected an integer from 0 to 254/);
  rejects('chassis: on\n', /^bmc\.yaml:1:10: chassis: expected a mapping/);
});
