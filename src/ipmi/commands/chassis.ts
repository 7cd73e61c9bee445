// Chassis netFn (0x00) commands (IPMI v2.0 §28). Privileges follow Appendix G.

import type { AnySpec } from '../spec.js';

export const chassisCommands: readonly AnySpec[] = [];
