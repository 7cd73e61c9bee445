// What every HostConsole shares: the history ring, absolute offsets, listeners, availability.
// Subclasses decide where output comes from (a QEMU chardev, a scripted console) and what
// happens to input.

import type { HostConsole, HostConsoleListener, HostConsoleSlice } from './host-console.js';
import { HistoryRing } from './history-ring.js';

export abstract class HostConsoleBase implements HostConsole {
  private readonly ring: HistoryRing;
  private readonly listeners = new Set<HostConsoleListener>();
  private up: boolean;
  private readonly onListenerError: (e: unknown) => void;

  protected constructor(historySize: number, available: boolean, onListenerError: (e: unknown) => void) {
    this.ring = new HistoryRing(historySize);
    this.up = available;
    this.onListenerError = onListenerError;
  }

  get available(): boolean {
    return this.up;
  }

  get end(): number {
    return this.ring.end;
  }

  /** Bytes the history ring has allocated so far. */
  get historyAllocated(): number {
    return this.ring.allocated;
  }

  since(from: number): HostConsoleSlice {
    return this.ring.since(from);
  }

  subscribe(listener: HostConsoleListener): () => void {
    this.listeners.add(listener);
    this.subscribed();
    return () => void this.listeners.delete(listener);
  }

  /** How many listeners are subscribed. */
  protected get subscribers(): number {
    return this.listeners.size;
  }

  abstract write(data: Uint8Array): number;
  abstract sendBreak(): void;
  abstract flushInput(): void;

  close(): void {
    this.listeners.clear();
  }

  /** A listener was added. */
  protected subscribed(): void {}

  /** System output: into the ring, then to every listener. */
  protected emit(data: Uint8Array): void {
    if (data.length === 0) return;
    this.ring.append(data);
    const end = this.ring.end;
    for (const l of this.listeners) {
      // A failing listener must not cost the others (or the reader) their output.
      try {
        l.output(data, end);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  protected setAvailable(available: boolean): void {
    if (available === this.up) return;
    this.up = available;
    for (const l of this.listeners) {
      try {
        l.availability(available);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }
}
