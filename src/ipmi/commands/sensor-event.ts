// Sensor/Event netFn (0x04) commands (IPMI v2.0 §29, §35). Privileges follow Appendix G.

import type { AnySpec } from '../spec.js';

export const sensorEventCommands: readonly AnySpec[] = [];
