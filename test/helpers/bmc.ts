// A BMC core with a manual clock and an in-memory store, and a raw request helper, for tests
// that drive handlers through the real dispatch table (privilege, length, codecs).

import { Bmc } from '../../src/bmc/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { baseConfig, type BmcConfig } from '../../src/bmc/config.js';
import { MemoryLogger } from '../../src/bmc/log.js';
import { SeededRng } from '../../src/bmc/rng.js';
import { MemoryStore, type StateStore } from '../../src/bmc/store.js';
import type { PrivilegeLevel } from '../../src/ipmi/spec.js';

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
