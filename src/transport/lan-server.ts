// UDP edge of the LAN channel: one socket per listen address, datagrams in and out.

import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { LanChannel } from './lan-channel.js';

export interface ListenAddress {
  host: string;
  port: number;
}

export function parseHostPort(text: string, defaultPort: number): ListenAddress {
  const t = text.trim();
  let m = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (m) return { host: m[1]!, port: m[2] ? Number(m[2]) : defaultPort };
  m = /^([^:]+)(?::(\d+))?$/.exec(t);
  if (m) return { host: m[1]!, port: m[2] ? Number(m[2]) : defaultPort };
  if (isIP(t) === 6) return { host: t, port: defaultPort };
  throw new Error(`"${text}" is not HOST:PORT`);
}

export class LanServer {
  private readonly channel: LanChannel;
  private socket: Socket | undefined;
  private reaper: NodeJS.Timeout | undefined;

  constructor(channel: LanChannel) {
    this.channel = channel;
  }

  async listen(addr: ListenAddress): Promise<ListenAddress> {
    const family = isIP(addr.host) === 6 ? 'udp6' : 'udp4';
    const socket = createSocket({ type: family, reuseAddr: false });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => {
      const replies = this.channel.handle(msg, { address: rinfo.address, port: rinfo.port, family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4' });
      for (const r of replies) socket.send(r, rinfo.port, rinfo.address);
    });
    // A send error (e.g. ICMP unreachable reported on the socket) must not stop the server.
    socket.on('error', (e) => this.channel.bmc.log.warn('UDP socket error', { error: e.message }));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(addr.port, addr.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // SOL output and retransmissions are sent when the SOL engine decides, not as replies.
    this.channel.sender = (d, r) => socket.send(d, r.port, r.address);
    // Idle sessions are reaped even when no traffic arrives.
    this.reaper = setInterval(() => this.channel.bmc.sessions.reap(), 5000);
    this.reaper.unref();
    const a = socket.address();
    // Activate Payload and SOL parameter 8 report the port SOL runs on: this one.
    this.channel.bmc.sol.params.port = a.port;
    return { host: a.address, port: a.port };
  }

  async close(): Promise<void> {
    if (this.reaper) clearInterval(this.reaper);
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
