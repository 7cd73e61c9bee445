// Composition root of `ipmi-sim serve`: config → BMC core → transports, plus signals.

import { Bmc } from '../bmc/bmc.js';
import { systemClock } from '../bmc/clock.js';
import { DEFAULT_PASSWORD, type BmcConfig } from '../bmc/config/model.js';
import { loadConfigFile, parseConfig } from '../bmc/config/load.js';
import { DEFAULT_CONFIG_NAME, DEFAULT_CONFIG_YAML } from '../bmc/config/default.js';
import { cryptoRng } from '../bmc/rng.js';
import { StateError } from '../bmc/store.js';
import { hexdump } from '../protocol/bytes.js';
import { findCommand } from '../ipmi/registry.js';
import { LanChannel } from '../transport/lan-channel.js';
import { LanServer, parseHostPort } from '../transport/lan-server.js';
import { isLoopback } from '../util/loopback.js';
import { UsageError } from '../client/errors.js';
import type { ServeEnv, ServeOptions } from './options.js';
import { streamLogger } from './logger.js';
import { defaultStateDir, FileStore } from './file-store.js';
import { basename, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../bmc/log.js';
import type { ListenAddress } from '../transport/lan-server.js';
import { defaultVmConfig, splitCommandLine, type VmConfig } from '../bmc/config/vm.js';
import { setupVm, type VmSetup } from './vm-wiring.js';
import { startSolSerial } from './sol-wiring.js';
import type { SolSerialServer } from '../transport/sol-serial.js';
import { probeQemuVersion } from '../qemu/probe.js';
import { formatVersion } from '../qemu/version.js';
import { redfishPlan, startRedfish, type RedfishPlan, type RunningRedfish } from './redfish-wiring.js';

export function loadServeConfig(opts: ServeOptions): BmcConfig {
  return opts.config ? loadConfigFile(opts.config) : parseConfig(DEFAULT_CONFIG_YAML, DEFAULT_CONFIG_NAME);
}

export async function runServe(opts: ServeOptions, env: ServeEnv): Promise<number> {
  let addr;
  try {
    addr = parseHostPort(opts.lan, 623);
  } catch (e) {
    throw new UsageError(`--lan: ${(e as Error).message}`);
  }
  const redfish = redfishPlan(opts);
  const config = loadServeConfig(opts);
  for (const host of [addr.host, ...(redfish ? [redfish.addr.host] : [])]) {
    if (isLoopback(host) || opts.allowDefaultPassword) continue;
    const weak = config.users.filter((u) => (u.enabled ?? true) && u.password === DEFAULT_PASSWORD);
    if (weak.length > 0) {
      throw new UsageError(
        `refusing to listen on ${host} while user "${weak[0]!.name}" has the default password; change it in the config or pass --allow-default-password`,
      );
    }
  }
  const log = streamLogger((l) => env.io.err(l), opts.logFormat, env.verbose);
  const stateDir = opts.stateDir ?? defaultStateDir(opts.config ? basename(opts.config).replace(/\.ya?ml$/i, '') : 'default', env.io.env);
  const count = opts.instances === undefined ? 1 : Number(opts.instances);
  const vmMode = await resolveVmMode(opts, config);
  if (vmMode && count > 1) throw new UsageError('--instances cannot be combined with a VM (--bmc external|internal)');
  if (opts.sol !== undefined && count > 1) throw new UsageError('--instances cannot be combined with --sol (one serial port endpoint)');
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError(`--instances must be 1-1000, got "${opts.instances}"`);
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < count; i++) {
      // Instance i listens on port+i (or its own ephemeral port) with its own state and GUIDs.
      const port = addr.port === 0 ? 0 : addr.port + i;
      const instLog = count === 1 ? log : prefixedLogger(log, `bmc${i}`);
      const redfishAddr = redfish && { host: redfish.addr.host, port: redfish.addr.port === 0 ? 0 : redfish.addr.port + i };
      instances.push(await startInstance(count === 1 ? config : distinctIdentity(config, i), { host: addr.host, port }, count === 1 ? stateDir : join(stateDir, String(i)), instLog, env.verbose, vmMode, opts.sol, redfish && redfishAddr ? { plan: redfish, addr: redfishAddr } : undefined));
    }
  } catch (e) {
    for (const inst of instances) await inst.close();
    throw e;
  }

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
  for (const inst of instances) await inst.close();
  return 0;
}

interface Instance {
  bmc: Bmc;
  close(): Promise<void>;
}

interface VmMode {
  mode: 'external' | 'internal';
  extern: string | undefined;
  vm: VmConfig | undefined;
  powerOnAtStart: boolean;
  stopVmOnExit: boolean;
  qemuVersion: string | undefined;
}

async function resolveVmMode(opts: ServeOptions, config: BmcConfig): Promise<VmMode | undefined> {
  const mode = opts.bmc ?? (opts.extern ? 'external' : config.vm || opts.vmCommand ? 'external' : 'standalone');
  if (mode === 'standalone') {
    if (opts.extern || opts.vmCommand || opts.powerOnAtStart) throw new UsageError('--extern, --vm-command and --power-on-at-start need --bmc external or internal');
    return undefined;
  }
  if (mode === 'internal' && opts.extern) throw new UsageError('--extern is for --bmc external (the internal BMC is inside QEMU)');
  let vm = config.vm;
  if (opts.vmCommand) {
    try {
      vm = { ...(vm ?? defaultVmConfig()), command: splitCommandLine(opts.vmCommand) };
    } catch (e) {
      throw new UsageError(`--vm-command: ${(e as Error).message}`);
    }
  }
  if (mode === 'internal' && !vm) throw new UsageError('--bmc internal needs a VM: --vm-command or a vm section in the config');
  let qemuVersion = opts.qemuVersion;
  if (vm && !qemuVersion) {
    try {
      qemuVersion = formatVersion(await probeQemuVersion(vm.command?.[0] ?? vm.qemu));
    } catch (e) {
      throw new UsageError(`${(e as Error).message} (give --qemu-version X.Y)`);
    }
  }
  return { mode, extern: opts.extern, vm, powerOnAtStart: !!opts.powerOnAtStart || !!vm?.powerOnAtStart, stopVmOnExit: !!opts.stopVmOnExit, qemuVersion };
}

async function startInstance(config: BmcConfig, addr: ListenAddress, stateDir: string, log: Logger, verbose: number, vmMode: VmMode | undefined, sol: string | undefined, redfish?: { plan: RedfishPlan; addr: ListenAddress }): Promise<Instance> {
  const store = new FileStore(stateDir);
  try {
    store.lock();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // The VM side (chardev listeners, platform) comes first: a restore policy may start QEMU
  // while the BMC is being built, and QEMU must find the chardevs listening. Standalone with
  // --sol: the serial port of a QEMU the user started; without: the configured console (Bmc).
  let vm: VmSetup | undefined;
  let solSerial: SolSerialServer | undefined;
  try {
    if (vmMode) {
      vm = await setupVm({ mode: vmMode.mode, vm: vmMode.vm, extern: vmMode.extern, stateDir, log, sol, solConfig: config.sol, ...(vmMode.qemuVersion ? { qemuVersion: vmMode.qemuVersion } : {}) });
      solSerial = vm.console;
    } else if (sol !== undefined) {
      solSerial = (await startSolSerial({ sol, stateDir, config: config.sol, log })).server;
    }
  } catch (e) {
    store.unlock();
    throw e;
  }
  let bmc: Bmc;
  try {
    bmc = new Bmc(config, { clock: systemClock, rng: cryptoRng, log, store, ...(vm ? { platform: vm.platform } : {}), ...(solSerial ? { console: solSerial } : {}) });
  } catch (e) {
    // Saved state the BMC cannot use: refuse to start rather than run on half of it.
    // Leave a VM adopted from a previous serve running: a bad state file is no reason to
    // power the host off (nothing was started yet).
    await vm?.close(false);
    if (!vm) await solSerial?.shutdown();
    store.unlock();
    if (e instanceof StateError) throw new UsageError(`state file ${store.path(e.key)} is unusable: ${e.message}; move it away to start from the config`);
    throw e;
  }
  vm?.bind(bmc);
  if (vmMode?.powerOnAtStart) bmc.chassis.powerOnAtStart();
  // File-backed sensor sources: the core asks, this layer reads.
  bmc.sensors.attachIo({ readFile: (path) => readFile(path, 'utf8') });
  const lan = new LanChannel(bmc, {
    onDrop: (reason, buf, detail) => {
      if (verbose > 0) log.debug(`dropped datagram (${reason}): ${detail}`, verbose > 1 ? { hex: '\n' + hexdump(buf) } : undefined);
    },
    ...(verbose > 0 && {
      onRequest: (netFn: number, cmd: number, cc: number) =>
        log.debug('request', { netFn: `0x${netFn.toString(16).padStart(2, '0')}`, cmd: `0x${cmd.toString(16).padStart(2, '0')}`, name: findCommand(netFn, cmd)?.name ?? 'unknown', cc: `0x${cc.toString(16).padStart(2, '0')}` }),
    }),
  });
  const server = new LanServer(lan);
  /** A later step failed: stop what runs so far (a VM this serve may have started, too). */
  const abandon = async () => {
    bmc.sensors.stop();
    bmc.closeConsole();
    await vm?.close(true);
    if (!vm) await solSerial?.shutdown();
    store.unlock();
  };
  let bound;
  try {
    bound = await server.listen(addr);
  } catch (e) {
    await abandon();
    throw new UsageError(`cannot listen on ${addr.host}:${addr.port}: ${(e as Error).message}`);
  }
  let rf: RunningRedfish | undefined;
  try {
    rf = redfish ? await startRedfish(bmc, redfish.plan, redfish.addr, { stateDir, lanPort: bound.port, log }) : undefined;
  } catch (e) {
    await server.close();
    await abandon();
    throw e;
  }
  log.info('BMC listening', { lan: `${bound.host.includes(':') ? `[${bound.host}]` : bound.host}:${bound.port}`, ...(rf ? { redfish: rf.url } : {}), config: config.source, state: stateDir });
  return {
    bmc,
    async close() {
      await rf?.close();
      bmc.sol.shutdown();
      bmc.closeConsole();
      bmc.sessions.closeAll('reset');
      bmc.sensors.stop();
      await server.close();
      await vm?.close(vmMode?.stopVmOnExit ?? false);
      if (!vm) await solSerial?.shutdown();
      store.unlock();
    },
  };
}

/** Fleet instances must not share GUIDs: vary the last bytes of each GUID by the index. */
function distinctIdentity(config: BmcConfig, index: number): BmcConfig {
  const vary = (g: Uint8Array) => {
    const out = g.slice();
    // Wire order is reversed RFC 4122, so bytes 0-1 are the end of the node field.
    out[0] = (out[0]! + (index & 0xff)) & 0xff;
    out[1] = (out[1]! + (index >> 8)) & 0xff;
    return out;
  };
  return { ...config, identity: { ...config.identity, systemGuid: vary(config.identity.systemGuid), deviceGuid: vary(config.identity.deviceGuid) } };
}

function prefixedLogger(log: Logger, name: string): Logger {
  return {
    info: (m, f) => log.info(m, { bmc: name, ...f }),
    warn: (m, f) => log.warn(m, { bmc: name, ...f }),
    debug: (m, f) => log.debug(m, { bmc: name, ...f }),
  };
}
