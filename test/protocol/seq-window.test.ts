// Session sequence-number windows: IPMI v1.5 accepts 8 behind / 8 ahead of the highest value
// accepted so far, RMCP+ 16 behind / 15 ahead (OpenIPMI lanserv, go-ipmi). Duplicates are refused
// and the arithmetic wraps at 0xFFFFFFFF.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { nextSequence, SequenceWindow } from '../../src/protocol/seq-window.js';

/** check() then commit(): what the LAN channel does for a packet that authenticates. */
function offer(w: SequenceWindow, seq: number): boolean {
  if (!w.check(seq)) return false;
  w.commit(seq);
  return true;
}

test('v1.5 window: the first expected value and up to 8 ahead of the last accepted one', () => {
  const w = SequenceWindow.v15(1000);
  assert.equal(w.check(1000), true);
  assert.equal(w.check(1007), true);
  assert.equal(w.check(1008), false, '9 ahead of 999 (the value before the first)');
  assert.equal(offer(w, 1000), true);
  assert.equal(w.check(1008), true, '8 ahead');
  assert.equal(w.check(1009), false, '9 ahead');
  assert.equal(offer(w, 1000), false, 'duplicate');
  assert.equal(offer(w, 1005), true, 'a gap is fine');
  assert.equal(offer(w, 1001), true, 'late but inside the window and unseen');
  assert.equal(offer(w, 1001), false, 'late duplicate');
  assert.equal(offer(w, 997), true, '8 behind the highest (1005)');
  assert.equal(w.check(996), false, '9 behind');
  assert.equal(offer(w, 1005), false);
});

test('v2.0 window: 15 ahead and 16 behind the highest accepted value', () => {
  const w = SequenceWindow.v20();
  assert.equal(offer(w, 1), true);
  assert.equal(offer(w, 1), false, 'duplicate');
  assert.equal(w.check(16), true, '15 ahead');
  assert.equal(w.check(17), false, '16 ahead');
  assert.equal(offer(w, 16), true);
  assert.equal(offer(w, 40), false);
  for (let s = 2; s < 15; s++) assert.equal(offer(w, s), true, `late ${s}`);
  assert.equal(offer(w, 31), true);
  assert.equal(offer(w, 15), true, '16 behind');
  assert.equal(w.check(14), false, '17 behind (and seen anyway)');
  assert.equal(offer(w, 31), false);
});

test('check() does not move the window; only commit() does (spoofed packets cannot push it)', () => {
  const w = SequenceWindow.v20();
  offer(w, 10);
  for (let i = 0; i < 100; i++) assert.equal(w.check(25), true);
  assert.equal(w.check(9), true);
  assert.equal(offer(w, 10), false);
});

test('wrap-around at 0xFFFFFFFF', () => {
  const w = SequenceWindow.v15(0xfffffffd);
  assert.equal(offer(w, 0xfffffffd), true);
  assert.equal(offer(w, 0xfffffffe), true);
  assert.equal(offer(w, 0xffffffff), true);
  assert.equal(offer(w, 0), true, 'v1.5 counters simply wrap');
  assert.equal(offer(w, 3), true);
  assert.equal(offer(w, 0xffffffff), false, 'duplicate from before the wrap');
  assert.equal(offer(w, 0xfffffffc), true, '7 behind 3, across the wrap, never seen');
  assert.equal(w.check(0xfffffffa), false, '9 behind');
  assert.equal(w.check(11), true);
  assert.equal(w.check(12), false);

  const v2 = SequenceWindow.v20();
  let seq = 0xfffffff0;
  assert.equal(offer(v2, seq), true, '16 behind the initial 0');
  for (let i = 0; i < 40; i++) {
    seq = nextSequence(seq);
    assert.notEqual(seq, 0);
    assert.equal(offer(v2, seq), true, `0x${seq.toString(16)}`);
  }
  assert.equal(seq, 25, '0 was skipped: 0xFFFFFFF0 + 40 steps lands on 25, not 24');
  assert.equal(offer(v2, 0xffffffff), false, 'too old by now');
});

test('nextSequence skips 0 (reserved for pre-session packets)', () => {
  assert.equal(nextSequence(0), 1);
  assert.equal(nextSequence(41), 42);
  assert.equal(nextSequence(0xfffffffe), 0xffffffff);
  assert.equal(nextSequence(0xffffffff), 1);
});

test('a jump far ahead starts a fresh window', () => {
  const w = SequenceWindow.v20();
  for (let s = 1; s <= 15; s++) offer(w, s);
  assert.equal(offer(w, 30), true);
  assert.equal(offer(w, 45), true);
  assert.equal(offer(w, 60), true);
  assert.equal(offer(w, 59), true, 'unseen, 1 behind');
  assert.equal(offer(w, 45), false, 'seen: 15 behind 60');
  assert.equal(offer(w, 44), true, 'never seen: 16 behind 60');
  assert.equal(offer(w, 15), false, 'seen long ago and now 45 behind');
});

/** A plain reference model: the set of accepted values and the highest. */
class ModelWindow {
  highest: number;
  accepted = new Set<number>();
  readonly behind: number;
  readonly ahead: number;
  constructor(start: number, behind: number, ahead: number) {
    this.highest = start >>> 0;
    this.behind = behind;
    this.ahead = ahead;
  }
  offer(seq: number): boolean {
    const d = ((seq - this.highest) << 0) | 0;
    const ok = d > 0 ? d <= this.ahead : -d <= this.behind && !this.accepted.has(seq >>> 0);
    if (ok) {
      this.accepted.add(seq >>> 0);
      if (d > 0) this.highest = seq >>> 0;
    }
    return ok;
  }
}

test('window matches a reference model over random traffic, including across the wrap', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(0, 1, 0x7ffffff0, 0xffffffe0, 0xfffffff8),
      fc.boolean(),
      fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 200 }),
      (start, v15, deltas) => {
        const w = v15 ? SequenceWindow.v15((start + 1) >>> 0) : new SequenceWindow(start, 16, 15);
        const m = new ModelWindow(start, v15 ? 8 : 16, v15 ? 8 : 15);
        let cursor = start;
        for (const d of deltas) {
          cursor = (cursor + (d > 0 ? Math.ceil(d / 3) : d)) >>> 0;
          assert.equal(offer(w, cursor), m.offer(cursor), `seq 0x${cursor.toString(16)}`);
        }
      },
    ),
    { numRuns: 500 },
  );
});
