// Handlers for the Chassis command family (netFn 0x00). See src/ipmi/commands/chassis.ts for
// the specs; the state machines live in src/bmc/state/chassis.ts and boot-options.ts.

import { CC } from '../../protocol/completion-codes.js';
import * as ch from '../../ipmi/commands/chassis.js';
import { fail, handle, type Completion, type HandlerEntry } from '../dispatch.js';
import { POH_MINUTES_PER_COUNT } from '../state/chassis.js';
import type { HandlerContext } from '../core.js';

const EMPTY = {} as Record<string, never>;

/** An empty success, or the completion code a state method returned. */
export function done(cc: number): Record<string, never> | Completion {
  return cc === CC.Ok ? EMPTY : fail(cc);
}

export const chassisHandlers: HandlerEntry<HandlerContext>[] = [
  handle(ch.getChassisCapabilities, (_req, { bmc }) => bmc.chassis.capabilities()),

  handle(ch.getChassisStatus, (_req, { bmc }) => bmc.chassis.status()),

  handle(ch.chassisControl, (req, { bmc, channel }) => done(bmc.chassis.control(req.action, channel))),

  handle(ch.chassisIdentify, (req, { bmc }) => {
    bmc.chassis.identify(req.interval, req.force ?? false);
    return EMPTY;
  }),

  handle(ch.setPowerRestorePolicy, (req, { bmc }) => {
    const r = bmc.chassis.setRestorePolicy(req.policy);
    return typeof r === 'number' ? fail(r) : r;
  }),

  handle(ch.getSystemRestartCause, (_req, { bmc }) => ({ cause: bmc.chassis.restartCause, channel: bmc.chassis.restartChannel })),

  handle(ch.setSystemBootOptions, (req, { bmc }) => done(bmc.chassis.boot.set(req.parameter, req.invalid, req.data))),

  handle(ch.getSystemBootOptions, (req, { bmc }) => {
    const r = bmc.chassis.boot.get(req.parameter, req.setSelector);
    return typeof r === 'number' ? fail(r) : r;
  }),

  handle(ch.setFrontPanelEnables, (req, { bmc }) => done(bmc.chassis.setFrontPanelDisables(req.disable))),

  handle(ch.setPowerCycleInterval, (req, { bmc }) => {
    bmc.chassis.setPowerCycleInterval(req.seconds);
    return EMPTY;
  }),

  handle(ch.getPohCounter, (_req, { bmc }) => ({ minutesPerCount: POH_MINUTES_PER_COUNT, counter: bmc.chassis.pohMinutes() })),
];
