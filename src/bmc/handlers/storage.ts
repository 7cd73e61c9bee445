// Handlers for the Storage netFn (0x0A): SEL and FRU. See src/ipmi/commands/storage.ts.

import type { HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../core.js';
import { fruHandlers } from './fru.js';
import { selHandlers } from './sel.js';

export const storageHandlers: HandlerEntry<HandlerContext>[] = [...fruHandlers, ...selHandlers];
