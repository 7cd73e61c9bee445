// YAML section "chassis". Owner: see src/bmc/state/chassis.ts.
//
//   chassis:
//     power: on                 # state before the first start; policy "previous" restores it
//                               # (default: on, but off for a VM: serve --bmc external|internal)
//     restorePolicy: previous   # always-off | previous | always-on
//     powerCycleInterval: 1     # seconds off during a power cycle (0-255)
//     identifyDefault: 15       # seconds of Chassis Identify without an interval (1-255)
//     watchdog:
//       sensorNumber: 0x00      # the Watchdog 2 sensor named by expiry events

import { RESTORE_POLICIES } from '../state/chassis.js';
import type { ConfigSection } from './schema.js';

export const chassisSection: ConfigSection = {
  name: 'chassis',
  parse: (node, config) => {
    const c = config.chassis;
    for (const [key, v] of node.map(['power', 'restorePolicy', 'powerCycleInterval', 'identifyDefault', 'watchdog'])) {
      switch (key) {
        case 'power':
          c.initialPower = v.oneOf(['on', 'off'] as const);
          break;
        case 'restorePolicy':
          c.restorePolicy = v.oneOf(RESTORE_POLICIES);
          break;
        case 'powerCycleInterval':
          c.powerCycleInterval = v.int(0, 255);
          break;
        case 'identifyDefault':
          c.identifyDefault = v.int(1, 255);
          break;
        case 'watchdog':
          for (const [wkey, w] of v.map(['sensorNumber'])) {
            if (wkey === 'sensorNumber') c.watchdog.sensorNumber = w.int(0, 254);
          }
          break;
      }
    }
  },
};
