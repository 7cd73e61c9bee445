// Composition root of `ipmi-sim serve`: config → BMC core → transports, plus signals.

import { Bmc } from '../bmc/bmc.js';
import { systemClock } from '../bmc/clock.js';
import { baseConfig, DEFAULT_PASSWORD, type BmcConfig } from '../bmc/config.js';
import { loadConfigFile } from '../bmc/config-file.js';
import { cryptoRng } from '../bmc/rng.js';
import { StateError } from '../bmc/store.js';
import { hexdump } from '../protocol/bytes.js';
import { LanChannel } from '../transport/lan-channel.js';
import { isLoopback, LanServer, parseHostPort } from '../transport/lan-server.js';
import { UsageError } from '../client/errors.js';
import type { CliIo } from '../cli/io.js';
import type { ServeOptions } from '../cli/commands/serve.js';
import { streamLogger } from './logger.js';
import { defaultStateDir, FileStore } from './file-store.js';
import { basename } from 'node:path';

export interface ServeEnv {
  io: CliIo;
  verbose: number;
}

export function loadServeConfig(opts: ServeOptions): BmcConfig {
  return opts.config ? loadConfigFile(opts.config) : baseConfig();
}

export async function runServe(opts: ServeOptions, env: ServeEnv): Promise<number> {
  let addr;
  try {
    addr = parseHostPort(opts.lan, 623);
  } catch (e) {
    throw new UsageError(`--lan: ${(e as Error).message}`);
  }
  const config = loadServeConfig(opts);
  if (!isLoopback(addr.host) && !opts.allowDefaultPassword) {
    const weak = config.users.filter((u) => (u.enabled ?? true) && u.password === DEFAULT_PASSWORD);
    if (weak.length > 0) {
      throw new UsageError(
        `refusing to listen on ${addr.host} while user "${weak[0]!.name}" has the default password; change it in the config or pass --allow-default-password`,
      );
    }
  }
  const log = streamLogger((l) => env.io.err(l), opts.logFormat, env.verbose);
  const stateDir = opts.stateDir ?? defaultStateDir(opts.config ? basename(opts.config).replace(/\.ya?ml$/i, '') : 'default', env.io.env);
  const store = new FileStore(stateDir);
  try {
    store.lock();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let bmc: Bmc;
  try {
    bmc = new Bmc(config, { clock: systemClock, rng: cryptoRng, log, store });
  } catch (e) {
    // Saved state the BMC cannot use: refuse to start rather than run on half of it.
    store.unlock();
    if (e instanceof StateError) throw new UsageError(`state file ${store.path(e.key)} is unusable: ${e.message}; move it away to start from the config`);
    throw e;
  }
  const lan = new LanChannel(bmc, {
    onDrop: (reason, buf, detail) => {
      if (env.verbose > 0) log.debug(`dropped datagram (${reason}): ${detail}`, env.verbose > 1 ? { hex: '\n' + hexdump(buf) } : undefined);
    },
  });
  const server = new LanServer(lan);
  let bound;
  try {
    bound = await server.listen(addr);
  } catch (e) {
    store.unlock();
    throw new UsageError(`cannot listen on ${opts.lan}: ${(e as Error).message}`);
  }
  log.info('BMC listening', { lan: `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`, config: config.source, state: stateDir });

  await new Promise<void>((resolve) => {
    const stop = (sig: string) => {
      log.info('shutting down', { signal: sig });
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve();
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  bmc.sessions.closeAll('reset');
  await server.close();
  store.unlock();
  return 0;
}
