// A connected UDP socket with "send, then wait for a matching datagram" semantics. Datagrams
// that do not match (stale retransmit replies, other sessions) are discarded.

import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

export class UdpLink {
  private readonly socket: Socket;
  private waiter: ((buf: Uint8Array) => void) | undefined;
  private closed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('message', (msg) => this.waiter?.(new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength)));
    // ICMP port unreachable shows up as an error on a connected socket: treat it as silence,
    // the retry/timeout logic reports it.
    socket.on('error', () => {});
  }

  static async open(host: string, port: number): Promise<UdpLink> {
    let address = host;
    let family = isIP(host);
    if (family === 0) {
      const r = await lookup(host);
      address = r.address;
      family = r.family;
    }
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpLink(socket);
  }

  send(buf: Uint8Array): void {
    if (!this.closed) this.socket.send(buf);
  }

  /** Waits up to timeoutMs for a datagram that `accept` turns into a value. */
  receive<T>(timeoutMs: number, accept: (buf: Uint8Array) => T | undefined): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.waiter = (buf) => {
        let v: T | undefined;
        try {
          v = accept(buf);
        } catch {
          v = undefined; // malformed reply: keep waiting
        }
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(v);
      };
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
