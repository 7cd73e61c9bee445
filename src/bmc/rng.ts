// Randomness is injected: cryptographic in `serve` (session IDs, RAKP randoms, IVs, challenges),
// seeded and reproducible in tests.

import { randomBytes } from 'node:crypto';

export interface Rng {
  bytes(n: number): Uint8Array;
}

export const cryptoRng: Rng = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
};

/** Deterministic xorshift32 generator; never use it for a listening server. */
export class SeededRng implements Rng {
  private state: number;
  constructor(seed = 0x12345678) {
    this.state = seed >>> 0 || 1;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let x = this.state;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.state = x >>> 0;
      out[i] = this.state & 0xff;
    }
    return out;
  }
}

export function randomU32(rng: Rng): number {
  const b = rng.bytes(4);
  return (b[0]! | (b[1]! << 8) | (b[2]! << 16)) + b[3]! * 0x1000000;
}
