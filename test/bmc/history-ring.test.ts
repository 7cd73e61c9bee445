// The SOL history ring: absolute offsets, clipping, wrap-around, and memory that grows with the
// data only (an idle BMC holds none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { HistoryRing } from '../../src/bmc/sol/history-ring.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const text = (u: Uint8Array) => Buffer.from(u).toString('latin1');

test('offsets count every byte; since() is clipped to what the ring still holds', () => {
  const r = new HistoryRing(8);
  assert.deepEqual(r.since(0), { data: new Uint8Array(0), start: 0, end: 0 });
  r.append(bytes('abcde'));
  assert.equal(text(r.since(0).data), 'abcde');
  assert.deepEqual({ start: r.since(2).start, end: r.since(2).end, data: text(r.since(2).data) }, { start: 2, end: 5, data: 'cde' });
  r.append(bytes('fghij'));
  // 10 bytes written, 8 kept: offsets 2..9.
  assert.equal(r.end, 10);
  assert.equal(r.start, 2);
  const all = r.since(0);
  assert.deepEqual([all.start, all.end, text(all.data)], [2, 10, 'cdefghij']);
  assert.deepEqual([r.since(7).start, text(r.since(7).data)], [7, 'hij']);
  // Beyond the end: nothing, at the end.
  assert.deepEqual(r.since(99), { data: new Uint8Array(0), start: 10, end: 10 });
  // A chunk larger than the ring keeps its tail.
  r.append(bytes('0123456789ABCDEF'));
  assert.deepEqual([r.start, r.end, text(r.since(0).data)], [18, 26, '89ABCDEF']);
});

test('since() returns a copy: later output does not change an earlier slice', () => {
  const r = new HistoryRing(4);
  r.append(bytes('abcd'));
  const s = r.since(0);
  r.append(bytes('wxyz'));
  assert.equal(text(s.data), 'abcd');
});

test('size 0 keeps no history but still counts offsets', () => {
  const r = new HistoryRing(0);
  r.append(bytes('hello'));
  assert.deepEqual(r.since(0), { data: new Uint8Array(0), start: 5, end: 5 });
  assert.equal(r.allocated, 0);
  assert.throws(() => new HistoryRing(-1), RangeError);
});

test('memory grows with the data: nothing while idle, 1 KiB for a little, the full size only when filled', () => {
  const r = new HistoryRing(64 * 1024);
  assert.equal(r.allocated, 0, 'an idle ring allocates nothing');
  r.append(bytes('login: '));
  assert.equal(r.allocated, 1024);
  r.append(new Uint8Array(3000).fill(0x41));
  assert.equal(r.allocated, 4096);
  r.append(new Uint8Array(200_000).fill(0x42));
  assert.equal(r.allocated, 64 * 1024, 'never more than the configured size');
  assert.equal(r.since(0).data.length, 64 * 1024);
  assert.ok(r.since(0).data.every((b) => b === 0x42));
  // Small rings allocate only their size.
  const small = new HistoryRing(100);
  small.append(bytes('x'));
  assert.equal(small.allocated, 100);
});

test('property: the ring equals the last `capacity` bytes of everything appended, across growth and wrap', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3000 }), fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 40 }), fc.nat(), (capacity, chunks, pick) => {
      const r = new HistoryRing(capacity);
      const model: number[] = [];
      for (const c of chunks) {
        r.append(c);
        model.push(...c);
        const held = model.slice(Math.max(0, model.length - capacity));
        assert.equal(r.end, model.length);
        assert.equal(r.start, model.length - held.length);
        const from = model.length === 0 ? 0 : pick % (model.length + 1);
        const s = r.since(from);
        const start = Math.max(from, model.length - held.length);
        assert.equal(s.start, start);
        assert.deepEqual([...s.data], model.slice(start));
      }
    }),
    { numRuns: 300 },
  );
});
