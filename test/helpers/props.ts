// Property helpers shared by the codec tests: a decoder fed truncated, mutated or random bytes
// must either return or throw ProtocolError (never TypeError/RangeError, never hang).

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../src/protocol/bytes.js';

/** Calls decode and reports what happened; rethrows anything that is not a ProtocolError. */
export function decodeOrProtocolError(decode: (b: Uint8Array) => unknown, b: Uint8Array): 'ok' | 'error' {
  try {
    decode(b);
    return 'ok';
  } catch (e) {
    if (e instanceof ProtocolError) return 'error';
    throw new Error(`decoder threw ${e instanceof Error ? e.name : typeof e} instead of ProtocolError for ${Buffer.from(b).toString('hex')}: ${String(e)}`);
  }
}

/** A valid sample with some bytes overwritten, some bits flipped, then cut or extended. */
export function mutationOf(samples: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .record({
      sample: fc.constantFrom(...samples),
      sets: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 4 }),
      cut: fc.option(fc.nat(), { nil: undefined }),
      extra: fc.uint8Array({ maxLength: 8 }),
    })
    .map(({ sample, sets, flips, cut, extra }) => {
      const b = sample.slice();
      if (b.length > 0) {
        for (const [at, v] of sets) b[at % b.length] = v;
        for (const [at, bit] of flips) b[at % b.length]! ^= 1 << bit;
      }
      const cutAt = cut === undefined ? b.length : cut % (b.length + 1);
      const out = new Uint8Array(cutAt + extra.length);
      out.set(b.subarray(0, cutAt));
      out.set(extra, cutAt);
      return out;
    });
}

/**
 * The decoder is total over bytes: every prefix of every valid sample, random mutations of them
 * and random byte strings either decode or raise ProtocolError. Each valid sample must decode.
 */
export function assertDecoderTotal(decode: (b: Uint8Array) => unknown, samples: readonly Uint8Array[], numRuns = 2000): void {
  for (const s of samples) {
    assert.equal(decodeOrProtocolError(decode, s), 'ok', `valid sample ${Buffer.from(s).toString('hex')} decodes`);
    for (let n = 0; n < s.length; n++) decodeOrProtocolError(decode, s.subarray(0, n));
  }
  fc.assert(
    fc.property(fc.oneof(mutationOf(samples), fc.uint8Array({ maxLength: 128 })), (b) => {
      decodeOrProtocolError(decode, b);
    }),
    { numRuns },
  );
}

/** Every strict prefix of a valid sample is rejected with ProtocolError. */
export function assertTruncationsRejected(decode: (b: Uint8Array) => unknown, sample: Uint8Array, from = 0): void {
  for (let n = from; n < sample.length; n++) {
    assert.equal(decodeOrProtocolError(decode, sample.subarray(0, n)), 'error', `prefix of ${n} bytes is rejected`);
  }
}
