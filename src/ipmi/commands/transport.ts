// Transport netFn (0x0C) commands: LAN configuration parameters (IPMI v2.0 §23).

import type { AnySpec } from '../spec.js';

export const transportCommands: readonly AnySpec[] = [];
