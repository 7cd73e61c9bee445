import fc from 'fast-check';

/**
 * fc.record that always builds plain-prototype objects: fast-check may otherwise produce
 * null-prototype ones, which assert.deepEqual does not equate with what a decoder returns.
 */
export function plainRecord<T extends Record<string, unknown>>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}
