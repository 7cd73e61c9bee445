// The last N bytes of a system's serial output, numbered by absolute offset (byte k of
// everything ever appended has offset k), for SOL replay and the history instance. The buffer
// grows with the data, doubling up to the configured size, so an idle BMC holds no history
// memory at all (issue 11: a fleet of idle BMCs must stay small). Pure.

import type { HostConsoleSlice } from './host-console.js';

/** First allocation once data arrives (or the capacity, if smaller). */
const INITIAL_BYTES = 1024;
const EMPTY = new Uint8Array(0);

export class HistoryRing {
  /** Most bytes held; 0 keeps nothing (offsets still count). */
  readonly capacity: number;
  private buf: Uint8Array = EMPTY;
  /** Index in buf of the oldest byte held. */
  private head = 0;
  private held = 0;
  private total = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`history size must be a whole number of bytes >= 0, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Absolute offset just past the newest byte. */
  get end(): number {
    return this.total;
  }

  /** Absolute offset of the oldest byte still held. */
  get start(): number {
    return this.total - this.held;
  }

  /** Bytes currently allocated (for memory accounting). */
  get allocated(): number {
    return this.buf.length;
  }

  append(data: Uint8Array): void {
    this.total += data.length;
    if (this.capacity === 0 || data.length === 0) return;
    // Only the newest `capacity` bytes of a large chunk can survive.
    const src = data.length > this.capacity ? data.subarray(data.length - this.capacity) : data;
    this.reserve(Math.min(this.capacity, this.held + src.length));
    const size = this.buf.length;
    const tail = (this.head + this.held) % size;
    const first = Math.min(src.length, size - tail);
    this.buf.set(src.subarray(0, first), tail);
    this.buf.set(src.subarray(first), 0);
    const overflow = this.held + src.length - size;
    if (overflow > 0) {
      this.head = (this.head + overflow) % size;
      this.held = size;
    } else {
      this.held += src.length;
    }
  }

  /** A copy of what is held from absolute offset `from` on (clipped to [start, end]). */
  since(from: number): HostConsoleSlice {
    const start = Math.min(this.total, Math.max(this.start, Math.floor(from)));
    const n = this.total - start;
    if (n === 0) return { data: EMPTY, start, end: start };
    const out = new Uint8Array(n);
    const size = this.buf.length;
    const at = (this.head + (start - this.start)) % size;
    const first = Math.min(n, size - at);
    out.set(this.buf.subarray(at, at + first), 0);
    out.set(this.buf.subarray(0, n - first), first);
    return { data: out, start, end: this.total };
  }

  /** Grows the buffer (doubling, capped at capacity) so that `need` bytes fit; keeps order. */
  private reserve(need: number): void {
    if (need <= this.buf.length) return;
    let size = Math.max(this.buf.length * 2, Math.min(INITIAL_BYTES, this.capacity));
    while (size < need) size *= 2;
    size = Math.min(size, this.capacity);
    const next = new Uint8Array(size);
    if (this.held > 0) {
      const first = Math.min(this.held, this.buf.length - this.head);
      next.set(this.buf.subarray(this.head, this.head + first), 0);
      next.set(this.buf.subarray(0, this.held - first), first);
    }
    this.buf = next;
    this.head = 0;
  }
}
