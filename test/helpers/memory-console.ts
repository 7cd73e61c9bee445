// A HostConsole held in memory, for tests of the SOL engine: what SOL writes towards the
// system is recorded, and the test decides what the system prints and when the port is up.

import type { HostConsole, HostConsoleListener, HostConsoleSlice } from '../../src/bmc/sol/host-console.js';

export class MemoryConsole implements HostConsole {
  available = true;
  /** Everything SOL wrote towards the system, in order. */
  written: number[] = [];
  breaks = 0;
  inputFlushes = 0;
  /** Echo what is written back as output (a terminal with echo on). */
  echo = false;
  private readonly ring: number[] = [];
  private readonly limit: number;
  private endOffset = 0;
  private readonly listeners = new Set<HostConsoleListener>();

  constructor(limit = 65536) {
    this.limit = limit;
  }

  get end(): number {
    return this.endOffset;
  }

  /** The system prints `data`. */
  print(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (const b of bytes) this.ring.push(b);
    if (this.ring.length > this.limit) this.ring.splice(0, this.ring.length - this.limit);
    this.endOffset += bytes.length;
    for (const l of this.listeners) l.output(bytes, this.endOffset);
  }

  setAvailable(v: boolean): void {
    this.available = v;
    for (const l of this.listeners) l.availability(v);
  }

  write(data: Uint8Array): number {
    this.written.push(...data);
    if (this.echo) queueMicrotask(() => this.print(data.slice()));
    return data.length;
  }

  writtenText(): string {
    return Buffer.from(this.written).toString('latin1');
  }

  sendBreak(): void {
    this.breaks++;
  }

  flushInput(): void {
    this.inputFlushes++;
  }

  subscribe(listener: HostConsoleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  since(from: number): HostConsoleSlice {
    const start = Math.max(from, this.endOffset - this.ring.length);
    return { data: Uint8Array.from(this.ring.slice(this.ring.length - (this.endOffset - start))), start, end: this.endOffset };
  }

  close(): void {
    this.listeners.clear();
  }
}
