// The simulated BMC: state plus the command dispatcher. It performs no I/O: time, randomness,
// logging and persistence are injected, and transports (LAN, QEMU chardev) call dispatch().

import { CC } from '../protocol/completion-codes.js';
import type { BmcConfig } from './config/model.js';
import type { Clock } from './clock.js';
import { Dispatcher, type BmcRequest, type BmcResponse, type DispatchContext, type HandlerEntry } from './dispatch.js';
import type { Logger } from './log.js';
import type { Rng } from './rng.js';
import { SessionTable, type Session } from './sessions.js';
import { hexId, IPMB_CHANNEL, SYSTEM_INTERFACE_CHANNEL, type BmcCore, type ChannelState, type HandlerContext } from './core.js';
import { UserStore } from './users.js';
import { appHandlers } from './handlers/app.js';
import { chassisHandlers } from './handlers/chassis.js';
import { sensorHandlers } from './handlers/sensor.js';
import { storageHandlers } from './handlers/storage.js';
import { sdrHandlers } from './handlers/sdr.js';
import { transportHandlers } from './handlers/transport.js';
import { watchdogHandlers } from './handlers/watchdog.js';
import { EventRouter } from './events.js';
import { StandalonePlatform, type Platform } from './platform.js';
import { MemoryStore, type StateStore } from './store.js';
import { Chassis } from './state/chassis.js';
import { Watchdog } from './state/watchdog.js';
import { Sensors } from './state/sensors.js';
import { SdrRepository } from './state/sdr.js';
import { Sel } from './state/sel.js';
import { FruStore } from './state/fru.js';
import { LanParams } from './state/lan-params.js';
import { LoginGuard } from './login-guard.js';
import { Sol } from './sol/sol.js';
import type { HostConsole } from './sol/host-console.js';
import { createStandaloneConsole, type StandaloneConsole } from './sol/standalone-console.js';
import { payloadHandlers } from './handlers/payload.js';
import { SESSION_COMMANDS } from './config/commands.js';
import { restoreChannelAccess } from './state/channels.js';
import { fingerprint } from './state/persist.js';
import { ChannelMedium, ChannelProtocol, type ChannelAccess } from '../ipmi/commands/app.js';

export { SYSTEM_INTERFACE_CHANNEL, IPMB_CHANNEL, hexId, type ChannelState, type HandlerContext } from './core.js';

export interface BmcEnv {
  clock: Clock;
  rng: Rng;
  log: Logger;
  /** Defaults to an in-memory platform; the chassis powers it on per the restore policy. */
  platform?: Platform;
  /** Defaults to nothing persisted (MemoryStore). */
  store?: StateStore;
  /**
   * The system's serial port for SOL, owned by the caller; default: the standalone console of
   * the config's sol.console section, built and owned by the BMC (closeConsole()).
   */
  console?: HostConsole;
}

export class Bmc implements BmcCore {
  readonly config: BmcConfig;
  readonly clock: Clock;
  readonly rng: Rng;
  readonly log: Logger;
  readonly platform: Platform;
  readonly store: StateStore;
  readonly users: UserStore;
  readonly sessions: SessionTable;
  readonly channels = new Map<number, ChannelState>();
  private readonly dispatcher = new Dispatcher<HandlerContext>();
  /** BMC global enables (§22.1); system event logging on by default. */
  globalEnables = 0x08;
  messageFlags = 0;
  readonly startedAt: number;
  /** Hooks a transport installs to learn about attention changes (QEMU chardev ATN). */
  readonly attentionListeners = new Set<() => void>();
  /** SEL clock offset from the wall clock, in seconds (Set SEL Time). */
  selTimeOffset = 0;
  readonly events: EventRouter;
  readonly sel: Sel;
  readonly sdr: SdrRepository;
  readonly sensors: Sensors;
  readonly chassis: Chassis;
  readonly watchdog: Watchdog;
  readonly fru: FruStore;
  readonly lanParams: LanParams;
  /** Bad password lockout (LAN parameter 26), consulted by the LAN channel. */
  readonly loginGuard: LoginGuard;
  readonly sol: Sol;
  /** The standalone console built because env gave none; it follows the platform's power. */
  private readonly ownConsole: StandaloneConsole | undefined;

  constructor(config: BmcConfig, env: BmcEnv) {
    this.config = config;
    this.clock = env.clock;
    this.rng = env.rng;
    this.log = env.log;
    this.platform = env.platform ?? new StandalonePlatform();
    this.store = env.store ?? new MemoryStore();
    this.startedAt = env.clock.now();
    const lan = config.lan;
    const lanAccess: ChannelAccess = {
      alertingDisabled: false,
      perMessageAuthDisabled: !lan.perMessageAuth,
      userLevelAuthDisabled: !lan.userLevelAuth,
      accessMode: 2,
      privilegeLimit: lan.privilegeLimit,
    };
    this.channels.set(IPMB_CHANNEL, { number: IPMB_CHANNEL, medium: ChannelMedium.Ipmb, protocol: ChannelProtocol.IpmbV1, sessionSupport: 0, access: undefined });
    this.channels.set(lan.channel, {
      number: lan.channel,
      medium: ChannelMedium.Lan8023,
      protocol: ChannelProtocol.IpmbV1,
      sessionSupport: 2,
      access: { volatile: { ...lanAccess }, nonVolatile: { ...lanAccess } },
    });
    this.channels.set(SYSTEM_INTERFACE_CHANNEL, {
      number: SYSTEM_INTERFACE_CHANNEL,
      medium: ChannelMedium.SystemInterface,
      protocol: ChannelProtocol.Kcs,
      sessionSupport: 0,
      access: undefined,
    });
    this.users = new UserStore(config.maxUsers, [lan.channel], config.unusedUserPrivilege);
    this.users.load(config.users);
    // Saved users and channel access (changed over IPMI) replace the config's, unless the
    // config itself changed since they were saved.
    this.users.persistTo(this.store, 'users', fingerprint({ users: config.users, maxUsers: config.maxUsers, channel: lan.channel, ...(config.unusedUserPrivilege === 0x0f ? {} : { unusedPrivilege: config.unusedUserPrivilege }) }), this.log);
    restoreChannelAccess(this);
    this.sessions = new SessionTable(
      { maxSessions: config.sessions.maxSessions, idleTimeoutMs: config.sessions.idleTimeoutSec * 1000, openingTimeoutMs: 10_000 },
      env.clock,
      env.rng,
    );
    this.sessions.onClose = (s, reason) => {
      this.sol?.sessionClosed(s);
      if (s.state === 'active') this.log.info('session closed', { session: hexId(s.id), user: s.username, reason, remote: `${s.remote.address}:${s.remote.port}` });
      // A console that got RAKP 2 and never sent RAKP 3 most likely has the wrong password.
      // ipmitool and FreeIPMI do not send RAKP 3 after a bad RAKP 2 HMAC: for the lockout this
      // abandoned handshake is what a wrong password looks like.
      else if (reason === 'timeout' && s.rakp) {
        this.log.warn('authentication rejected', { reason: 'RAKP 3 never arrived (wrong password?)', user: s.username, remote: `${s.remote.address}:${s.remote.port}` });
        this.loginGuard.failed(s.userId, s.channel);
      }
    };
    this.dispatcher.onHandlerError = (e, spec) => this.log.warn(`handler for ${spec.name} failed`, { error: e instanceof Error ? e.stack : String(e) });
    // Subsystems: storage first (events need the SEL), then what generates events.
    this.events = new EventRouter(this);
    this.sel = new Sel(this);
    this.fru = new FruStore(this);
    this.lanParams = new LanParams(this);
    this.loginGuard = new LoginGuard(this);
    this.ownConsole = env.console ? undefined : createStandaloneConsole(config.sol, env.clock, config.identity.systemName, env.log);
    this.sol = new Sol(this, env.console ?? this.ownConsole);
    this.sdr = new SdrRepository(this);
    this.sensors = new Sensors(this);
    this.chassis = new Chassis(this);
    this.watchdog = new Watchdog(this);
    this.dispatcher.register(appHandlers);
    this.dispatcher.register(chassisHandlers);
    this.dispatcher.register(sensorHandlers);
    this.dispatcher.register(storageHandlers);
    this.dispatcher.register(sdrHandlers);
    this.dispatcher.register(transportHandlers);
    this.dispatcher.register(watchdogHandlers);
    this.dispatcher.register(payloadHandlers);
    this.shapeCommandSet();
    if (this.ownConsole) this.powerConsole(this.ownConsole);
    // Power restore policy: once every subsystem can follow the power change.
    this.chassis.start();
  }

  /**
   * The standalone console is the system's serial port: unavailable while the system is off,
   * back at its greeting after a power-on or reset. The chassis installed the platform's
   * callbacks; the console hears each change after it.
   */
  private powerConsole(con: StandaloneConsole): void {
    const p = this.platform;
    const chassisPower = p.onPowerChange;
    const chassisReset = p.onReset;
    p.onPowerChange = (on, cause) => {
      chassisPower(on, cause);
      con.setPower(on);
    };
    p.onReset = (cause) => {
      chassisReset(cause);
      con.reboot();
    };
    con.setPower(p.poweredOn);
  }

  /** Stops the standalone console the BMC built (a console passed in BmcEnv is its owner's to close). */
  closeConsole(): void {
    this.ownConsole?.close();
  }

  /** Applies the config's `commands:` section (a BMC that lacks commands answers 0xC1). */
  private shapeCommandSet(): void {
    const c = this.config.commands;
    if (c?.disable) for (const key of c.disable) this.dispatcher.unregister(key >> 8, key & 0xff);
    if (c?.only) {
      const keep = new Set([...c.only, ...SESSION_COMMANDS]);
      for (const key of this.dispatcher.keys()) if (!keep.has(key)) this.dispatcher.unregister(key >> 8, key & 0xff);
    }
  }

  /** Seconds for SEL/SDR timestamps: wall clock plus the Set SEL Time offset. */
  selTime(): number {
    return (Math.floor(this.clock.now() / 1000) + this.selTimeOffset) >>> 0;
  }

  /** Adds or replaces command handlers (BMC subsystems register themselves here). */
  register(entries: readonly HandlerEntry<HandlerContext>[]): void {
    this.dispatcher.register(entries);
  }

  /** Removes a command so that it answers 0xC1 (used by configs that mimic a smaller BMC). */
  unregister(netFn: number, cmd: number): void {
    this.dispatcher.unregister(netFn, cmd);
  }

  implements(netFn: number, cmd: number): boolean {
    return this.dispatcher.has(netFn, cmd);
  }

  dispatch(req: BmcRequest, ctx: DispatchContext): BmcResponse {
    const hctx = ctx as HandlerContext;
    hctx.bmc = this;
    return this.dispatcher.dispatch(req, hctx);
  }

  /** Requests from the guest's system interface: no session, no privilege checks. */
  dispatchSystem(req: BmcRequest): BmcResponse {
    return this.dispatch(req, { channel: SYSTEM_INTERFACE_CHANNEL, privilege: 'system' });
  }

  /** Resolves "this channel" (0x0E) to the channel a request came in on. */
  resolveChannel(requested: number, ctx: DispatchContext): number {
    return requested === 0x0e ? ctx.channel : requested;
  }

  lanChannel(): ChannelState {
    return this.channels.get(this.config.lan.channel)!;
  }

  /** Effective privilege ceiling of a user on a channel (user limit capped by the channel limit). */
  userChannelLimit(userId: number, channel: number): number {
    const u = this.users.get(userId);
    const ch = this.channels.get(channel);
    if (!u || !ch?.access) return 0;
    const lim = this.users.access(u, channel).privilegeLimit;
    if (lim === 0x0f || lim === 0) return 0;
    return Math.min(lim, ch.access.volatile.privilegeLimit);
  }

  setMessageFlags(flags: number): void {
    if (flags === this.messageFlags) return;
    this.messageFlags = flags;
    for (const l of this.attentionListeners) l();
  }

  /** Closes every session (BMC cold reset). */
  resetSessions(): void {
    this.sessions.closeAll('reset');
  }
}

export function unsupported(): { cc: number } {
  return { cc: CC.InvalidCommand };
}

export type { Session };
