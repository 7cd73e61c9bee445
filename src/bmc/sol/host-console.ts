// The managed system's serial port (ttyS0) as the BMC's SOL sees it. The transport side owns
// the bytes: it drains the guest continuously into a ring buffer (so a stalled or absent SOL
// client never stalls the guest), numbers every byte with an absolute offset, and hands new
// output to whoever subscribed. Implementations: the QEMU serial chardev server
// (src/transport/sol-serial.ts) and the standalone consoles (echo, scripted login) in this
// folder.

export interface HostConsoleListener {
  /** New system output; `end` is the absolute offset just past its last byte. */
  output(data: Uint8Array, end: number): void;
  /** Whether characters can reach the system changed (VM powered off, chardev gone, back). */
  availability(available: boolean): void;
}

export interface HostConsoleSlice {
  data: Uint8Array;
  /** Absolute offsets of the first byte and just past the last one. */
  start: number;
  end: number;
}

export interface HostConsole {
  /** True while characters can reach the system (its serial port is connected). */
  readonly available: boolean;
  /**
   * Console → system characters. Never blocks: the implementation queues them (bounded) and
   * returns how many it took; what it cannot take is dropped by the caller's choice.
   */
  write(data: Uint8Array): number;
  /** A serial break to the system (SOL console operation bit 4). */
  sendBreak(): void;
  /** Discards console → system characters not yet delivered (SOL "flush inbound"). */
  flushInput(): void;
  subscribe(listener: HostConsoleListener): () => void;
  /** What the history ring still holds from absolute offset `from` on (clipped to the ring). */
  since(from: number): HostConsoleSlice;
  /** Absolute offset just past the newest byte of output. */
  readonly end: number;
  /** Stops timers and releases resources. */
  close(): void;
}
