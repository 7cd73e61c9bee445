// A scripted stand-in for QEMU's side of the extern chardev: connects to the server, records
// every byte it receives, and decodes them the way QEMU does (5-byte minimum message).

import net from 'node:net';
import { once } from 'node:events';
import { VmDeframer, VmLimits, describeVmEvent, type VmEvent } from '../../src/protocol/vm-codec.js';
import type { ExternListen } from '../../src/transport/extern-chardev.js';

export const qemuHandshake = Uint8Array.of(0xff, 0x01, 0xa1, 0x08, 0x3f, 0xa1);

export class VmPeer {
  readonly socket: net.Socket;
  readonly events: VmEvent[] = [];
  private readonly chunks: Uint8Array[] = [];
  private readonly deframer = new VmDeframer({ minMessage: VmLimits.minResponse });
  private readonly waiters = new Set<() => void>();
  ended = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(new Uint8Array(chunk));
      this.events.push(...this.deframer.push(chunk));
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static async connect(at: ExternListen): Promise<VmPeer> {
    const socket = 'path' in at ? net.connect(at.path) : net.connect(at.port, at.host);
    await once(socket, 'connect');
    return new VmPeer(socket);
  }

  /** Everything received so far, as one buffer. */
  get received(): Uint8Array {
    return Uint8Array.from(this.chunks.flatMap((c) => [...c]));
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Resolves once `done()` holds; rejects after `ms` with what was received. */
  async until(done: () => boolean, ms = 3000): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out; received: ${this.events.map(describeVmEvent).join(' | ') || 'nothing'}${this.ended ? ' (closed)' : ''}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  async closed(ms?: number): Promise<void> {
    await this.until(() => this.ended, ms);
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
