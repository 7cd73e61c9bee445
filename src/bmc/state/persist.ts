// Helpers shared by the subsystems that persist through the StateStore (SEL, FRU, users,
// channels, LAN parameters): a fingerprint of the config a saved state was derived from, and
// checks that turn a malformed saved value into a StateError naming the key.
//
// Saved state that came from a config section (users, FRU images, LAN settings) carries the
// fingerprint of that section. When the YAML changes, the config wins and the stale state is
// dropped with a warning: editing the config and restarting must take effect. Changes made
// over IPMI survive restarts as long as the config stays the same.

import { createHash } from 'node:crypto';
import { hexOf, StateError } from '../store.js';

function stable(value: unknown): unknown {
  if (value instanceof Uint8Array) return hexOf(value);
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = stable((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** A short, stable digest of a JSON-able value (key order and byte arrays normalised). */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(stable(value))).digest('hex').slice(0, 16);
}

/** Reads a saved record field by field; every mismatch is a StateError naming the key and path. */
export class SavedReader {
  readonly key: string;
  constructor(key: string) {
    this.key = key;
  }

  fail(path: string, expected: string): never {
    throw new StateError(this.key, `${path}: expected ${expected}`);
  }

  object(v: unknown, path: string): Record<string, unknown> {
    if (!v || typeof v !== 'object' || Array.isArray(v)) this.fail(path, 'an object');
    return v as Record<string, unknown>;
  }

  array(v: unknown, path: string): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'a list');
    return v;
  }

  int(v: unknown, path: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(path, `an integer from ${min} to ${max}`);
    return v;
  }

  bool(v: unknown, path: string): boolean {
    if (typeof v !== 'boolean') this.fail(path, 'true or false');
    return v;
  }

  str(v: unknown, path: string): string {
    if (typeof v !== 'string') this.fail(path, 'a string');
    return v;
  }

  /** Hex text → bytes, optionally of an exact length. */
  hex(v: unknown, path: string, length?: number): Uint8Array {
    const s = this.str(v, path);
    if (!/^(?:[0-9a-f]{2})*$/i.test(s) || (length !== undefined && s.length !== length * 2)) {
      this.fail(path, length === undefined ? 'hex bytes' : `${length} hex bytes`);
    }
    return new Uint8Array(Buffer.from(s, 'hex'));
  }
}
