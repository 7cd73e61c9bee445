// Transport netFn (0x0C) handlers: Get/Set LAN Configuration Parameters (IPMI v2.0 §23.1-23.2)
// and Get/Set SOL Configuration Parameters (§26.2-26.3) for the LAN channel. The parameter
// rules live in src/bmc/state/lan-params.ts and src/bmc/sol/sol-params.ts.

import { CC } from '../../protocol/completion-codes.js';
import * as tr from '../../ipmi/commands/transport.js';
import { fail, handle, type HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../core.js';

const EMPTY = {} as Record<string, never>;

export const transportHandlers: HandlerEntry<HandlerContext>[] = [
  handle(tr.getLanConfigParameters, (req, ctx) => {
    const { bmc } = ctx;
    if (bmc.resolveChannel(req.channel, ctx) !== bmc.config.lan.channel) return fail(CC.InvalidDataField);
    if (req.revisionOnly) return { revision: tr.LAN_PARAM_REVISION, data: new Uint8Array(0) };
    const r = bmc.lanParams.get(req.parameter);
    return r instanceof Uint8Array ? { revision: tr.LAN_PARAM_REVISION, data: r } : fail(r.cc);
  }),

  handle(tr.setLanConfigParameters, (req, ctx) => {
    const { bmc } = ctx;
    if (bmc.resolveChannel(req.channel, ctx) !== bmc.config.lan.channel) return fail(CC.InvalidDataField);
    const r = bmc.lanParams.set(req.parameter, req.data);
    if (r) return fail(r.cc);
    if (req.parameter !== tr.LanParam.SetInProgress) bmc.log.info('LAN parameter set', { parameter: req.parameter, channel: bmc.config.lan.channel });
    return EMPTY;
  }),

  handle(tr.getSolConfigParameters, (req, ctx) => {
    const { bmc } = ctx;
    if (bmc.resolveChannel(req.channel, ctx) !== bmc.config.lan.channel) return fail(CC.InvalidDataField);
    if (req.revisionOnly) return { revision: tr.SOL_PARAM_REVISION, data: new Uint8Array(0) };
    const r = bmc.sol.params.get(req.parameter);
    return r instanceof Uint8Array ? { revision: tr.SOL_PARAM_REVISION, data: r } : fail(r.cc);
  }),

  handle(tr.setSolConfigParameters, (req, ctx) => {
    const { bmc } = ctx;
    if (bmc.resolveChannel(req.channel, ctx) !== bmc.config.lan.channel) return fail(CC.InvalidDataField);
    const r = bmc.sol.params.set(req.parameter, req.data);
    if (r) return fail(r.cc);
    if (req.parameter !== tr.SolParam.SetInProgress) bmc.log.info('SOL parameter set', { parameter: req.parameter, channel: bmc.config.lan.channel });
    return EMPTY;
  }),
];
