// serve's side of the guest's serial port (SOL): where it listens (`--sol`, default
// <state-dir>/sol.sock when a VM is behind the BMC), the SOL serial server that drains it into
// the history ring and console.log, and the chardev that joins the VM's command line.

import { join } from 'node:path';
import type { Logger } from '../bmc/log.js';
import type { SolConfig } from '../bmc/config/sol.js';
import { DEFAULT_SOL_CHARDEV_ID, buildSolArgs, parseChardevEndpoint, unixPathFits, type ChardevEndpoint } from '../qemu/args.js';
import { SolSerialServer } from '../transport/sol-serial.js';
import { UsageError } from '../client/errors.js';
import { describeListen, type LogLevel, type StreamListen } from '../transport/stream-listen.js';

/** A transport's (level, message) log going to serve's logger. */
export function levelLog(log: Logger): (level: LogLevel, message: string) => void {
  return (level, message) => (level === 'warn' ? log.warn(message) : level === 'info' ? log.info(message) : log.debug(message));
}

export interface SolSerial {
  server: SolSerialServer;
  /** Where QEMU must dial (the real port when 0 was asked for). */
  endpoint: ChardevEndpoint;
}

/** The default SOL socket: in the state dir, so an adopted QEMU finds the next serve there too. */
function defaultEndpoint(stateDir: string, log: Logger): StreamListen {
  const path = join(stateDir, 'sol.sock');
  if (unixPathFits(path)) return { path };
  // sun_path holds 107 bytes: a deep state dir gets a TCP port instead (QEMU started by an
  // earlier serve will not find a new one: give --sol to keep it stable).
  log.warn('state dir too long for a Unix socket: SOL serial port on an ephemeral TCP port instead (give --sol to choose)', { path });
  return { host: '127.0.0.1', port: 0 };
}

/** Starts listening for the guest's serial port before anything can start QEMU. */
export async function startSolSerial(o: { sol: string | undefined; stateDir: string; config: SolConfig; log: Logger; qmpBreak?: () => Promise<boolean> }): Promise<SolSerial> {
  let at: StreamListen;
  try {
    at = o.sol !== undefined ? parseChardevEndpoint(o.sol) : defaultEndpoint(o.stateDir, o.log);
    if ('path' in at && !unixPathFits(at.path)) throw new Error(`Unix socket path ${at.path} is longer than 107 bytes`);
  } catch (e) {
    throw new UsageError(`--sol: ${(e as Error).message}`);
  }
  const server = new SolSerialServer({
    listen: at,
    historySize: o.config.historySize,
    ...(o.config.log ? { logFile: join(o.stateDir, 'console.log') } : {}),
    ...(o.qmpBreak ? { qmpBreak: o.qmpBreak } : {}),
    log: levelLog(o.log),
  });
  let bound: StreamListen;
  try {
    bound = await server.listen();
  } catch (e) {
    throw new UsageError(`cannot listen for the VM's serial port (SOL) on ${describeListen(at)}: ${(e as Error).message}`);
  }
  o.log.info('SOL serial port listening', { sol: describeListen(bound) });
  return { server, endpoint: bound };
}

/** Where a -serial / -chardev argument names the SOL chardev. */
const SOL_SERIAL = `chardev:${DEFAULT_SOL_CHARDEV_ID}`;
const SOL_CHARDEV_ID = new RegExp(`(^|,)id=${DEFAULT_SOL_CHARDEV_ID}(,|$)`);

/** The values of every `-opt value` (or `--opt value`) pair named `opt` in argv. */
function optionValues(args: readonly string[], opt: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length - 1; i++) if (args[i] === `-${opt}` || args[i] === `--${opt}`) out.push(args[i + 1]!);
  return out;
}

/**
 * The VM's argv with the SOL chardev on ttyS0: without any serial port the SOL one becomes
 * ttyS0; a command that says `-serial chardev:sol0` already only gets the -chardev; a command
 * whose ttyS0 is something else is left alone, with a warning.
 */
export function withSolChardev(args: readonly string[], endpoint: ChardevEndpoint, qemuVersion: string | undefined): { args: string[]; warnings: string[] } {
  const serials = optionValues(args, 'serial');
  const opts = qemuVersion ? { endpoint, qemuVersion } : { endpoint };
  if (optionValues(args, 'chardev').some((c) => SOL_CHARDEV_ID.test(c))) {
    return { args: [...args], warnings: [`the VM command defines chardev ${DEFAULT_SOL_CHARDEV_ID} itself: it must dial ${describeListen(endpoint)} for SOL to see the serial port`] };
  }
  const index = serials.indexOf(SOL_SERIAL);
  if (index >= 0) {
    const built = buildSolArgs({ ...opts, serial: false });
    const warnings = [...built.warnings];
    if (index > 0) warnings.push(`SOL is the VM's ttyS${index} (-serial ${SOL_SERIAL} is serial port ${index + 1}); the guest's console is usually ttyS0`);
    return { args: [...args, ...built.args], warnings };
  }
  const isaSerial = optionValues(args, 'device').find((d) => /^isa-serial(,|$)/.test(d));
  if (serials.length > 0 || isaSerial) {
    const taken = serials.length > 0 ? `-serial ${serials[0]}` : `-device ${isaSerial}`;
    return { args: [...args], warnings: [`the VM's ttyS0 is taken (${taken}): SOL gets no serial port; make the first serial port -serial ${SOL_SERIAL}`] };
  }
  const built = buildSolArgs(opts);
  return { args: [...args, ...built.args], warnings: built.warnings };
}
