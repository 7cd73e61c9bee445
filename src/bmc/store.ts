// Persistence is injected: subsystems save small JSON-able values under a key when their
// state changes, and load them at start. `serve` uses a directory of atomically written
// files (src/serve/file-store.ts); tests and state-less runs use MemoryStore.

export interface StateStore {
  load(key: string): unknown;
  /** Durable when it returns: a kill -9 right after must not lose or corrupt it. */
  save(key: string, value: unknown): void;
}

export class MemoryStore implements StateStore {
  readonly data = new Map<string, string>();
  load(key: string): unknown {
    const v = this.data.get(key);
    return v === undefined ? undefined : JSON.parse(v);
  }
  save(key: string, value: unknown): void {
    this.data.set(key, JSON.stringify(value));
  }
}

/** Uint8Array <-> hex for JSON state files. */
export const hexOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/**
 * Saved state that is valid JSON but not what the subsystem expects. `serve` reports it with
 * the file behind the key, and refuses to start rather than run on half-loaded state.
 */
export class StateError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(message);
    this.name = 'StateError';
    this.key = key;
  }
}
