// Handlers for the Application netFn commands that belong to the system side of the BMC:
// the watchdog timer (§27), Set/Get ACPI Power State (§20.6-20.7) and Cold/Warm Reset
// (§20.2-20.3). State lives in src/bmc/state/watchdog.ts and chassis.ts.

import * as app from '../../ipmi/commands/app.js';
import { handle, type HandlerEntry } from '../dispatch.js';
import type { HandlerContext } from '../core.js';
import { done } from './chassis.js';

const EMPTY = {} as Record<string, never>;

export const watchdogHandlers: HandlerEntry<HandlerContext>[] = [
  handle(app.resetWatchdogTimer, (_req, { bmc }) => done(bmc.watchdog.reset())),
  handle(app.setWatchdogTimer, (req, { bmc }) => done(bmc.watchdog.set(req))),
  handle(app.getWatchdogTimer, (_req, { bmc }) => bmc.watchdog.status()),

  handle(app.setAcpiPowerState, (req, { bmc }) => done(bmc.chassis.setAcpiPowerState(req.systemState, req.deviceState))),
  handle(app.getAcpiPowerState, (_req, { bmc }) => ({ systemState: bmc.chassis.acpiSystemState, deviceState: bmc.chassis.acpiDeviceState })),

  // A cold reset reboots the BMC: sessions end, volatile state returns to its defaults.
  // The requester's own session lives until its reply has gone out (like Close Session).
  handle(app.coldReset, (_req, { bmc, session }) => {
    bmc.watchdog.bmcReset();
    bmc.chassis.bmcReset();
    bmc.globalEnables = 0x08;
    bmc.events.take();
    bmc.events.receiveQueue.length = 0;
    bmc.setMessageFlags(0);
    for (const s of bmc.sessions.active()) if (s !== session) bmc.sessions.close(s.id, 'reset');
    if (session) session.closeAfterReply = true;
    bmc.log.info('BMC cold reset');
    return EMPTY;
  }),
  // A warm reset restarts the BMC's firmware without dropping its state or sessions.
  handle(app.warmReset, (_req, { bmc }) => {
    bmc.log.info('BMC warm reset');
    return EMPTY;
  }),
];
