// What a BMC subsystem (a command handler, a state module) sees of the BMC: its injected
// environment, its state modules and a few channel helpers. Bmc implements it; handlers and
// state import this interface, never the Bmc class, so the class that wires them together
// stays at the top of the drawing.

import type { ChannelAccess } from '../ipmi/commands/app.js';
import type { Clock } from './clock.js';
import type { BmcConfig } from './config/model.js';
import type { DispatchContext } from './dispatch.js';
import type { EventRouter } from './events.js';
import type { Logger } from './log.js';
import type { Platform } from './platform.js';
import type { Rng } from './rng.js';
import type { SessionTable } from './sessions.js';
import type { Chassis } from './state/chassis.js';
import type { FruStore } from './state/fru.js';
import type { LanParams } from './state/lan-params.js';
import type { SdrRepository } from './state/sdr.js';
import type { Sel } from './state/sel.js';
import type { Sol } from './sol/sol.js';
import type { Sensors } from './state/sensors.js';
import type { Watchdog } from './state/watchdog.js';
import type { StateStore } from './store.js';
import type { UserStore } from './users.js';

export const SYSTEM_INTERFACE_CHANNEL = 15;
export const IPMB_CHANNEL = 0;

export interface ChannelState {
  number: number;
  medium: number;
  protocol: number;
  /** 0 session-less, 1 single, 2 multi, 3 session-based. */
  sessionSupport: number;
  access: { volatile: ChannelAccess; nonVolatile: ChannelAccess } | undefined;
}

export interface BmcCore {
  readonly config: BmcConfig;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Logger;
  readonly platform: Platform;
  readonly store: StateStore;
  readonly users: UserStore;
  readonly sessions: SessionTable;
  readonly channels: Map<number, ChannelState>;
  /** BMC global enables (§22.1). */
  globalEnables: number;
  messageFlags: number;
  /** Hooks a transport installs to learn about attention changes (QEMU chardev ATN). */
  readonly attentionListeners: Set<() => void>;
  /** SEL clock offset from the wall clock, in seconds (Set SEL Time). */
  selTimeOffset: number;
  readonly startedAt: number;
  readonly events: EventRouter;
  readonly sel: Sel;
  readonly sdr: SdrRepository;
  readonly sensors: Sensors;
  readonly chassis: Chassis;
  readonly watchdog: Watchdog;
  readonly fru: FruStore;
  readonly lanParams: LanParams;
  readonly sol: Sol;
  /** Seconds for SEL/SDR timestamps: wall clock plus the Set SEL Time offset. */
  selTime(): number;
  /** Resolves "this channel" (0x0E) to the channel a request came in on. */
  resolveChannel(requested: number, ctx: DispatchContext): number;
  lanChannel(): ChannelState;
  /** Effective privilege ceiling of a user on a channel (user limit capped by the channel limit). */
  userChannelLimit(userId: number, channel: number): number;
  setMessageFlags(flags: number): void;
}

/** What every command handler gets: the request's context and the BMC. */
export type HandlerContext = DispatchContext & { bmc: BmcCore };

export function hexId(id: number): string {
  return '0x' + (id >>> 0).toString(16).padStart(8, '0');
}
