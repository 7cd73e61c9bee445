// Storage netFn (0x0A) commands: FRU (§34), SDR repository (§33), SEL (§31).

import type { AnySpec } from '../spec.js';

export const storageCommands: readonly AnySpec[] = [];
