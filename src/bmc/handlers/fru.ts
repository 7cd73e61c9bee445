// FRU inventory handlers (IPMI v2.0 §34): byte access only.

import * as st from '../../ipmi/commands/storage.js';
import { fail, handle, type HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../core.js';
import { CC } from '../../protocol/completion-codes.js';

export const fruHandlers: HandlerEntry<HandlerContext>[] = [
  handle(st.getFruInventoryAreaInfo, (req, { bmc }) => {
    const size = bmc.fru.size(req.fruId);
    // Not present (CBh): FreeIPMI then reports "no FRU information" instead of an error.
    if (size === undefined) return fail(CC.NotPresent);
    return { size, wordAccess: false };
  }),

  handle(st.readFruData, (req, { bmc }) => {
    const r = bmc.fru.read(req.fruId, req.offset, req.count);
    return 'cc' in r ? fail(r.cc) : { data: r };
  }),

  handle(st.writeFruData, (req, { bmc }) => {
    const r = bmc.fru.write(req.fruId, req.offset, req.data);
    if (typeof r !== 'number') return fail(r.cc);
    bmc.log.debug('FRU written', { fru: req.fruId, offset: req.offset, bytes: r });
    return { written: r };
  }),
];
