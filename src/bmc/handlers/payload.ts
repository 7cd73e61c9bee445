// RMCP+ payload commands (NetFn App 0x48-0x4F, IPMI v2.0 §24): SOL activation and status, and
// per-user payload access. The SOL rules live in src/bmc/sol/sol.ts.

import { CC } from '../../protocol/completion-codes.js';
import * as pl from '../../ipmi/commands/payload.js';
import { fail, handle, type HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../core.js';

const EMPTY = {} as Record<string, never>;
/** Standard payloads this channel carries: IPMI and SOL. */
const STANDARD_PAYLOADS = 0x0003;
/** Session-setup payloads 10h-15h: Open Session Request/Response and RAKP 1-4. */
const SESSION_SETUP_PAYLOADS = 0x003f;

function privilegeOf(ctx: HandlerContext): number {
  return typeof ctx.privilege === 'number' ? ctx.privilege : 0;
}

/** Only the LAN channel carries payloads; 0x0E means the channel of the request. */
function isLanChannel(ctx: HandlerContext, channel: number): boolean {
  return ctx.bmc.resolveChannel(channel, ctx) === ctx.bmc.config.lan.channel;
}

export const payloadHandlers: HandlerEntry<HandlerContext>[] = [
  handle(pl.activatePayload, (req, ctx) => {
    const r = ctx.bmc.sol.activate(req, ctx.session, privilegeOf(ctx));
    return 'cc' in r ? fail(r.cc) : r;
  }),

  handle(pl.deactivatePayload, (req, ctx) => {
    const r = ctx.bmc.sol.deactivate(req, ctx.session, privilegeOf(ctx));
    return r ? fail(r.cc) : EMPTY;
  }),

  handle(pl.getPayloadActivationStatus, (req, ctx) => {
    if (req.payloadType !== 1) return fail(CC.InvalidDataField);
    return ctx.bmc.sol.status();
  }),

  handle(pl.getPayloadInstanceInfo, (req, ctx) => {
    if (req.payloadType !== 1) return fail(CC.InvalidDataField);
    const r = ctx.bmc.sol.instanceInfo(req.instance);
    return 'cc' in r ? fail(r.cc) : r;
  }),

  handle(pl.setUserPayloadAccess, (req, ctx) => {
    const { bmc } = ctx;
    if (!isLanChannel(ctx, req.channel)) return fail(CC.InvalidDataField);
    const user = bmc.users.get(req.userId);
    if (!user || req.userId === 0) return fail(CC.InvalidDataField);
    // Bit 0 of standard payloads 1 and all of standard payloads 2 are reserved (Table 24-6).
    if (req.standard1 & 0x01 || req.standard2 !== 0) return fail(CC.InvalidDataField);
    const channel = bmc.config.lan.channel;
    const mask = req.standard1 | (req.oem1 << 16) | (req.oem2 << 24);
    const before = bmc.users.access(user, channel).payloads;
    const payloads = (req.operation === 'enable' ? before | mask : before & ~mask) >>> 0;
    bmc.users.setAccess(user.id, channel, { payloads });
    bmc.log.info('user payload access set', { user: user.id, channel, sol: (payloads & pl.PayloadEnable.Sol) !== 0 });
    return EMPTY;
  }),

  handle(pl.getUserPayloadAccess, (req, ctx) => {
    const { bmc } = ctx;
    if (!isLanChannel(ctx, req.channel)) return fail(CC.InvalidDataField);
    const user = bmc.users.get(req.userId);
    if (!user || req.userId === 0) return fail(CC.InvalidDataField);
    const p = bmc.users.access(user, bmc.config.lan.channel).payloads;
    return { standard1: p & 0xff, standard2: (p >> 8) & 0xff, oem1: (p >> 16) & 0xff, oem2: (p >>> 24) & 0xff };
  }),

  handle(pl.getChannelPayloadSupport, (req, ctx) => {
    if (!isLanChannel(ctx, req.channel)) return fail(CC.InvalidDataField);
    return { standard: STANDARD_PAYLOADS, sessionSetup: SESSION_SETUP_PAYLOADS, oem: 0 };
  }),

  handle(pl.getChannelPayloadVersion, (req, ctx) => {
    if (!isLanChannel(ctx, req.channel)) return fail(CC.InvalidDataField);
    // IPMI and SOL are at format version 1.0 (IPMI v2.0 Table 24-9).
    if (req.payloadType !== 0 && req.payloadType !== 1) return fail(0x80);
    return { major: 1, minor: 0 };
  }),
];
