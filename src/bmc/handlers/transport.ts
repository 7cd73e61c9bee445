// Handlers for the Transport command family. See src/ipmi/commands/ for the specs.

import type { HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../bmc.js';

export const transportHandlers: HandlerEntry<HandlerContext>[] = [];
