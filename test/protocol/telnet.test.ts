// Telnet handling for a serial port behind a telnet-mode socket: QEMU's opening negotiation,
// IAC escapes, BREAK, answers that converge, and chunk boundaries anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TELNET_BREAK, TelnetReader, telnetEscape } from '../../src/protocol/telnet.js';

const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
/** QEMU's opening (sol.md §6.1): WILL ECHO, WILL SGA, WILL BINARY, DO BINARY. */
const QEMU_PREAMBLE = h('fffb01 fffb03 fffb00 fffd00');

test('QEMU\'s 12-byte opening is stripped and answered once: DO ECHO, DO SGA, DO BINARY, WILL BINARY', () => {
  const r = new TelnetReader();
  const first = r.feed(Uint8Array.from([...QEMU_PREAMBLE, ...Buffer.from('GUEST: alive\r\n')]));
  assert.equal(Buffer.from(first.data).toString(), 'GUEST: alive\r\n');
  assert.equal(hex(first.reply), 'fffd01fffd03fffd00fffb00');
  assert.equal(r.commands, 4);
  // The same offers again (a confused peer) get no second answer: no negotiation loop.
  assert.equal(hex(r.feed(QEMU_PREAMBLE).reply), '');
});

test('options we do not want are refused; withdrawals of what is on are acknowledged', () => {
  const r = new TelnetReader();
  // WILL TERMINAL-TYPE (24), DO NAWS (31): refused.
  assert.equal(hex(r.feed(h('fffb18 fffd1f')).reply), 'fffe18fffc1f');
  // WILL BINARY agreed, then WONT BINARY: DONT BINARY once; a second WONT: nothing.
  assert.equal(hex(r.feed(h('fffb00')).reply), 'fffd00');
  assert.equal(hex(r.feed(h('fffc00')).reply), 'fffe00');
  assert.equal(hex(r.feed(h('fffc00')).reply), '');
});

test('IAC IAC is one FF; BREAK is counted; NOP and subnegotiations vanish', () => {
  const r = new TelnetReader();
  const out = r.feed(h('41 ffff 42 fff3 43 fff1 44 fffa1801ffff00fff0 45'));
  assert.equal(hex(out.data), '41ff4243444' + '5');
  assert.equal(out.breaks, 1);
});

test('a lone FF before an ordinary byte is data (QEMU does not double FF in guest output)', () => {
  const r = new TelnetReader();
  assert.equal(hex(r.feed(h('58 ff 59 0d 0a')).data), '58ff590d0a');
});

test('escape doubles FF; break is IAC BREAK', () => {
  assert.equal(hex(telnetEscape(h('00 ff 41 ff ff'))), '00ffff41ffffffff');
  const plain = h('616263');
  assert.equal(telnetEscape(plain), plain, 'nothing to escape: the same buffer');
  assert.equal(hex(TELNET_BREAK), 'fff3');
});

test('property: any split of a stream gives the same data, replies and breaks', () => {
  const token = fc.oneof(
    fc.integer({ min: 0, max: 0xfe }).map((b) => [b]),
    fc.constant([0xff, 0xff]),
    fc.constant([0xff, 0xf3]),
    fc.constant([0xff, 0xf1]),
    fc.tuple(fc.constantFrom(0xfb, 0xfc, 0xfd, 0xfe), fc.integer({ min: 0, max: 40 })).map(([v, o]) => [0xff, v, o]),
    fc.uint8Array({ maxLength: 6 }).map((d) => [0xff, 0xfa, ...[...d].filter((b) => b !== 0xff), 0xff, 0xf0]),
  );
  fc.assert(
    fc.property(fc.array(token, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 10 }), (tokens, cuts) => {
      const stream = Uint8Array.from(tokens.flat());
      const whole = new TelnetReader().feed(stream);
      const r = new TelnetReader();
      const points = [...new Set(cuts.map((c) => (stream.length ? c % stream.length : 0)))].sort((a, b) => a - b);
      const data: number[] = [];
      const reply: number[] = [];
      let breaks = 0;
      let at = 0;
      for (const p of [...points, stream.length]) {
        const part = r.feed(stream.subarray(at, p));
        data.push(...part.data);
        reply.push(...part.reply);
        breaks += part.breaks;
        at = p;
      }
      assert.deepEqual(data, [...whole.data]);
      assert.deepEqual(reply, [...whole.reply]);
      assert.equal(breaks, whole.breaks);
      // Escaped data read back is the data.
      assert.deepEqual([...new TelnetReader().feed(telnetEscape(whole.data)).data], [...whole.data]);
    }),
    { numRuns: 300 },
  );
});
