// An in-process BMC on a ManualClock with an in-memory store, and helpers to send it raw
// requests the way a LAN session would (privilege checks included) or as the system interface.
// Two styles live here: makeBmc()/raw() (config edited in place, platform exposed) and
// testBmc() (a config object, t.raw(), restart() on the same store and clock).

import { Bmc, type BmcEnv } from '../../src/bmc/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { baseConfig, type BmcConfig } from '../../src/bmc/config/model.js';
import { MemoryLogger } from '../../src/bmc/log.js';
import { StandalonePlatform, type Platform } from '../../src/bmc/platform.js';
import { SeededRng } from '../../src/bmc/rng.js';
import { MemoryStore, type StateStore } from '../../src/bmc/store.js';
import type { PrivilegeLevel } from '../../src/ipmi/spec.js';
import { toHex } from '../../src/protocol/bytes.js';

export interface MadeBmc {
  bmc: Bmc;
  clock: ManualClock;
  log: MemoryLogger;
  store: MemoryStore;
  platform: StandalonePlatform;
}

export function makeBmc(
  opts: { config?: (c: BmcConfig) => void; clock?: ManualClock; store?: MemoryStore; platform?: Platform } = {},
): MadeBmc {
  const config = baseConfig();
  opts.config?.(config);
  const clock = opts.clock ?? new ManualClock();
  const log = new MemoryLogger();
  const store = opts.store ?? new MemoryStore();
  const platform = (opts.platform ?? new StandalonePlatform()) as StandalonePlatform;
  const env: BmcEnv = { clock, rng: new SeededRng(), log, store: store as StateStore, platform };
  return { bmc: new Bmc(config, env), clock, log, store, platform };
}

export interface RawReply {
  cc: number;
  /** Response data after the completion code, as spaced hex ("" when none). */
  hex: string;
  data: Uint8Array;
}

/** Sends raw request bytes with a LAN session's privilege (default ADMINISTRATOR). */
export function raw(bmc: Bmc, netFn: number, cmd: number, data: readonly number[] = [], privilege: PrivilegeLevel = 4): RawReply {
  const r = bmc.dispatch({ netFn, lun: 0, cmd, data: Uint8Array.from(data) }, { channel: 1, privilege });
  return { cc: r.cc, hex: toHex(r.data), data: r.data };
}

export interface TestBmc {
  bmc: Bmc;
  clock: ManualClock;
  store: StateStore;
  log: MemoryLogger;
  /** Sends netFn/cmd/data at a privilege (default ADMINISTRATOR) on LAN channel 1. */
  raw(netFn: number, cmd: number, data?: ArrayLike<number>, privilege?: PrivilegeLevel): { cc: number; data: number[] };
  /** A new BMC on the same store and clock: a restart. */
  restart(config?: BmcConfig): TestBmc;
}

export function testBmc(config: BmcConfig = baseConfig(), store: StateStore = new MemoryStore(), clock = new ManualClock()): TestBmc {
  // The BMC may change its config object at run time (LAN settings); a restart starts from
  // the config as loaded, the way `serve` re-reads the YAML.
  const pristine = structuredClone(config);
  const log = new MemoryLogger();
  const bmc = new Bmc(config, { clock, rng: new SeededRng(1), log, store });
  return {
    bmc,
    clock,
    store,
    log,
    raw(netFn, cmd, data = [], privilege = 4) {
      const r = bmc.dispatch({ netFn, lun: 0, cmd, data: Uint8Array.from(data) }, { channel: 1, privilege });
      return { cc: r.cc, data: [...r.data] };
    },
    restart(c = structuredClone(pristine)) {
      return testBmc(c, store, clock);
    },
  };
}
