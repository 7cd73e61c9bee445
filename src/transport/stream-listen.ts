// Listening for one QEMU chardev client (TCP or a Unix socket), shared by the extern BMC and
// the SOL serial servers: a Unix socket file left by a crashed run is replaced, a live one is
// not.

import net from 'node:net';
import { lstat, unlink } from 'node:fs/promises';

/** How the chardev servers report what happens (serve maps it onto its logger). */
export type LogLevel = 'debug' | 'info' | 'warn';

export type StreamListen = { host: string; port: number } | { path: string };

/**
 * Starts `server` listening at `at`; resolves with the bound address (the real port when 0
 * was asked for). `log` hears about a replaced stale socket.
 */
export async function listenStream(server: net.Server, at: StreamListen, log: (message: string) => void): Promise<StreamListen> {
  if ('path' in at) {
    try {
      await listenOn(server, at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !(await isStaleSocket(at.path))) throw err;
      log(`removing stale socket ${at.path}`);
      await unlink(at.path);
      await listenOn(server, at);
    }
    return { path: at.path };
  }
  await listenOn(server, at);
  const a = server.address() as net.AddressInfo;
  return { host: a.address, port: a.port };
}

function listenOn(server: net.Server, at: StreamListen): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    const done = () => {
      server.off('error', onError);
      resolve();
    };
    if ('path' in at) server.listen(at.path, done);
    else server.listen(at.port, at.host, done);
  });
}

/** A Unix socket file nobody accepts on (left by a crashed run) may be replaced; nothing else may. */
async function isStaleSocket(path: string): Promise<boolean> {
  if (!(await lstat(path)).isSocket()) return false;
  return new Promise((resolve) => {
    const probe = net.connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

export function describeListen(at: StreamListen): string {
  return 'path' in at ? at.path : `${at.host}:${at.port}`;
}

export function describePeer(socket: net.Socket, local: StreamListen | undefined): string {
  if (socket.remoteAddress) return `${socket.remoteAddress}:${socket.remotePort}`;
  return local && 'path' in local ? `unix:${local.path}` : 'unknown peer';
}
