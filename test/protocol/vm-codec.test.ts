import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  VmCapability,
  VmCmd,
  VmDeframer,
  VmLimits,
  describeVmEvent,
  encodeVmControl,
  encodeVmMessage,
  escapeVm,
  unescapeVm,
  vmCapabilityNames,
  vmParserReset,
  vmRequiredCapability,
  type VmEvent,
} from '../../src/protocol/vm-codec.js';
import { ProtocolError, checksum8 } from '../../src/protocol/bytes.js';
import { hex, toHex } from '../helpers/bytes.js';
import { captureFiles, loadCapture } from '../helpers/vm-captures.js';

const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const msg = (seq: number, netFn: number, lun: number, cmd: number, data: Uint8Array): VmEvent => ({ kind: 'message', seq, netFn, lun, cmd, data });
const ctl = (code: number, data: Uint8Array = new Uint8Array(0)): VmEvent => ({ kind: 'control', code, data });

/** Re-encodes decoded events; for the captures this must give back the wire bytes exactly. */
function reencode(events: VmEvent[]): Uint8Array {
  const parts = events.map((ev) => {
    if (ev.kind === 'message') return encodeVmMessage(ev);
    if (ev.kind === 'control') return encodeVmControl(ev.code, ev.data);
    throw new Error(describeVmEvent(ev));
  });
  return cat(...parts);
}

// ---- worked examples, qemu-ipmi.md §1.3 ---------------------------------------------------

test('§1.3: Get Device ID request, seq 0 and seq 1', () => {
  assert.deepEqual(encodeVmMessage({ seq: 0, netFn: 0x06, lun: 0, cmd: 0x01, data: hex`` }), hex`00 18 01 e7 a0`);
  assert.deepEqual(encodeVmMessage({ seq: 1, netFn: 0x06, lun: 0, cmd: 0x01, data: hex`` }), hex`01 18 01 e6 a0`);
  assert.deepEqual(new VmDeframer().push(hex`00 18 01 e7 a0`), [msg(0, 0x06, 0, 0x01, hex``)]);
});

test('§1.3: Get Device ID response with cc', () => {
  const wire = hex`00 1c 01 00 20 00 00 00 02 07 00 00 00 00 00 ba a0`;
  const data = hex`20 00 00 00 02 07 00 00 00 00 00`;
  assert.deepEqual(encodeVmMessage({ seq: 0, netFn: 0x07, lun: 0, cmd: 0x01, cc: 0x00, data }), wire);
  // The deframer does not know requests from responses: the cc is the first data byte.
  assert.deepEqual(new VmDeframer().push(wire), [msg(0, 0x07, 0, 0x01, hex`00 ${toHex(data)}`)]);
});

test('§1.3: framing bytes in data, seq and checksum are escaped', () => {
  const wire = hex`00 18 35 aa b0 aa b1 aa ba b0 18 a0`;
  assert.deepEqual(encodeVmMessage({ seq: 0, netFn: 0x06, lun: 0, cmd: 0x35, data: hex`a0 a1 aa b0` }), wire);
  assert.deepEqual(new VmDeframer().push(wire), [msg(0, 0x06, 0, 0x35, hex`a0 a1 aa b0`)]);
  assert.deepEqual(encodeVmMessage({ seq: 0xa0, netFn: 0x06, lun: 0, cmd: 0x01, data: hex`` }), hex`aa b0 18 01 47 a0`);
  // Appendix A.1: response bytes `a0 aa a1` inside the data.
  const a1 = hex`00 1c 01 00 20 81 05 02 02 07 aa b0 aa ba aa b1 00 01 46 a0`;
  assert.deepEqual(new VmDeframer().push(a1), [msg(0, 0x07, 0, 0x01, hex`00 20 81 05 02 02 07 a0 aa a1 00 01`)]);
  assert.deepEqual(encodeVmMessage({ seq: 0, netFn: 0x07, lun: 0, cmd: 0x01, cc: 0, data: hex`20 81 05 02 02 07 a0 aa a1 00 01` }), a1);
});

test('LUN is the low two bits of the netFn byte', () => {
  assert.deepEqual(encodeVmMessage({ seq: 5, netFn: 0x06, lun: 2, cmd: 0x01, data: hex`` }), hex`05 1a 01 e0 a0`);
  assert.deepEqual(new VmDeframer().push(hex`05 1a 01 e0 a0`), [msg(5, 0x06, 2, 0x01, hex``)]);
});

test('control frames: handshake, codes, escaped code bytes', () => {
  assert.deepEqual(encodeVmControl(VmCmd.version, hex`01`), hex`ff 01 a1`);
  assert.deepEqual(encodeVmControl(VmCmd.capabilities, hex`3f`), hex`08 3f a1`);
  assert.deepEqual(encodeVmControl(VmCmd.enableIrq), hex`05 a1`);
  assert.deepEqual(encodeVmControl(0xa0, hex`aa`), hex`aa b0 aa ba a1`);
  assert.deepEqual(new VmDeframer().push(hex`ff 01 a1 08 3f a1`), [ctl(0xff, hex`01`), ctl(0x08, hex`3f`)]);
});

test('encoders reject out-of-range fields and frames QEMU cannot take', () => {
  assert.throws(() => encodeVmMessage({ seq: 256, netFn: 6, lun: 0, cmd: 1, data: hex`` }), RangeError);
  assert.throws(() => encodeVmMessage({ seq: 0, netFn: 0x40, lun: 0, cmd: 1, data: hex`` }), RangeError);
  assert.throws(() => encodeVmMessage({ seq: 0, netFn: 6, lun: 4, cmd: 1, data: hex`` }), RangeError);
  assert.throws(() => encodeVmMessage({ seq: 0, netFn: 6, lun: 0, cmd: 1, cc: -1, data: hex`` }), RangeError);
  assert.throws(() => encodeVmControl(0x100), RangeError);
  // seq, netFn, cmd, cc, 297 data bytes, checksum = 302: the largest response QEMU accepts.
  assert.equal(unescapeVm(encodeVmMessage({ seq: 0, netFn: 7, lun: 0, cmd: 1, cc: 0, data: new Uint8Array(297) }).slice(0, -1)).length, 302);
  assert.throws(() => encodeVmMessage({ seq: 0, netFn: 7, lun: 0, cmd: 1, cc: 0, data: new Uint8Array(298) }), RangeError);
});

test('capability helpers', () => {
  assert.deepEqual(vmCapabilityNames(0x3f), ['power', 'reset', 'irq', 'nmi', 'attn', 'gracefulShutdown']);
  assert.equal(vmRequiredCapability(VmCmd.attnIrq), VmCapability.attn);
  assert.equal(vmRequiredCapability(VmCmd.disableIrq), VmCapability.irq);
  assert.equal(vmRequiredCapability(VmCmd.gracefulShutdown), VmCapability.gracefulShutdown);
  assert.equal(vmRequiredCapability(VmCmd.version), 0);
});

// ---- QEMU receive-parser semantics (§1.6 "Receive parser", hw/ipmi/ipmi_bmc_extern.c) --------

test('checksum failure, too short, and QEMU-sized minimum', () => {
  assert.deepEqual(new VmDeframer().push(hex`00 18 01 e8 a0`), [{ kind: 'error', reason: 'checksum', bytes: hex`00 18 01 e8` }]);
  assert.deepEqual(new VmDeframer().push(hex`18 01 e7 a0`), [{ kind: 'error', reason: 'too-short', bytes: hex`18 01 e7` }]);
  // QEMU drops a response without a cc ("msg too short", Appendix A.1); a request of 4 is fine for us.
  const q = new VmDeframer({ minMessage: VmLimits.minResponse });
  assert.deepEqual(q.push(hex`00 1c 01 e3 a0`), [{ kind: 'error', reason: 'too-short', bytes: hex`00 1c 01 e3` }]);
  assert.equal(new VmDeframer().push(hex`00 1c 01 e3 a0`)[0]!.kind, 'message');
  // An empty message frame is "too short" in QEMU too.
  assert.deepEqual(new VmDeframer().push(hex`a0`), [{ kind: 'error', reason: 'too-short', bytes: hex`` }]);
});

test('an empty command frame is a silent no-op', () => {
  assert.deepEqual(new VmDeframer().push(hex`a1 a1 05 a1`), [ctl(0x05)]);
});

test('escape left pending by a message terminator survives it and alters the next byte', () => {
  const d = new VmDeframer();
  assert.deepEqual(d.push(hex`00 18 aa a0`), [{ kind: 'error', reason: 'escape', bytes: hex`00 18` }]);
  assert.equal(d.escapePending, true);
  assert.equal(d.buffered, 0);
  // 0x10 arrives as 0x00: the next frame still decodes, to seq 0.
  assert.deepEqual(d.push(hex`10 18 01 e7 a0`), [msg(0, 0x06, 0, 0x01, hex``)]);
});

test('escape pending at a command terminator is dropped together with the frame', () => {
  const d = new VmDeframer();
  assert.deepEqual(d.push(hex`03 aa a1`), [{ kind: 'error', reason: 'escape', bytes: hex`03` }]);
  assert.equal(d.escapePending, false);
  assert.deepEqual(d.push(hex`05 a1`), [ctl(0x05)]);
});

test('over-long frames: content past 302 bytes is dropped and the frame rejected', () => {
  const d = new VmDeframer();
  const long = new Uint8Array(400).fill(0x11);
  assert.deepEqual(d.push(long), []);
  assert.equal(d.buffered, VmLimits.maxContent);
  const [ev] = d.push(hex`a0`);
  assert.ok(ev?.kind === 'error');
  assert.equal(ev.reason, 'too-long');
  assert.equal(ev.bytes.length, VmLimits.maxContent);
  assert.equal(d.buffered, 0);
  assert.deepEqual(d.push(hex`00 18 01 e7 a0`), [msg(0, 0x06, 0, 0x01, hex``)]);
  // Exactly 302 bytes is still a frame.
  const full = new Uint8Array(302);
  full[301] = checksum8(full, 0, 301);
  assert.equal(new VmDeframer().push(cat(...[full, hex`a0`]))[0]!.kind, 'message');
  // Over-long command frames are dropped too (QEMU: "cmd in too many").
  assert.deepEqual(
    new VmDeframer().push(cat(...[new Uint8Array(303).fill(3), hex`a1`])).map((e) => e.kind === 'error' && e.reason),
    ['too-long'],
  );
});

test('QEMU keeps a pending escape through an over-long command frame', () => {
  const d = new VmDeframer();
  d.push(new Uint8Array(303).fill(3));
  d.push(hex`aa a1`);
  assert.equal(d.escapePending, true);
});

test('buffer stays bounded whatever the input', () => {
  const d = new VmDeframer({ maxContent: 16 });
  for (let i = 0; i < 1000; i++) d.push(new Uint8Array(1000).fill(i & 0x7f));
  assert.equal(d.buffered, 16);
});

test('vmParserReset clears any stale QEMU parser state without delivering anything', () => {
  const stale = [hex``, hex`03`, hex`03 aa`, hex`aa`, new Uint8Array(400).fill(0x11), cat(...[new Uint8Array(400).fill(1), hex`aa`]), hex`00 18 01 e7`];
  for (const s of stale) {
    const d = new VmDeframer({ minMessage: VmLimits.minResponse });
    d.push(s);
    const events = d.push(vmParserReset);
    assert.ok(events.every((e) => e.kind === 'error'), `${toHex(s)} -> ${events.map(describeVmEvent).join('; ')}`);
    assert.equal(d.buffered, 0);
    assert.equal(d.escapePending, false);
    assert.deepEqual(d.push(hex`ff 01 a1 00 a1`), [ctl(0xff, hex`01`), ctl(0x00)]);
  }
  // A lone A0, the flush qemu-ipmi.md Q1 suggests, would hand QEMU a stale checksum-valid
  // partial frame as a response (and an over-long one as a 0xC6 reply); vmParserReset does not.
  assert.equal(new VmDeframer({ minMessage: 5 }).push(hex`00 1c 01 00 e3 a0`)[0]!.kind, 'message');
});

// ---- split / coalesced chunks --------------------------------------------------------------

const stream = hex`ff 01 a1 08 3f a1 | 00 18 01 e7 a0 | aa b0 18 01 47 a0 | 00 18 35 aa b0 aa b1 aa ba b0 18 a0 | 05 a1`;
const streamEvents: VmEvent[] = [
  ctl(0xff, hex`01`),
  ctl(0x08, hex`3f`),
  msg(0, 6, 0, 1, hex``),
  msg(0xa0, 6, 0, 1, hex``),
  msg(0, 6, 0, 0x35, hex`a0 a1 aa b0`),
  ctl(0x05),
];

test('a stream split at every offset decodes the same', () => {
  for (let i = 0; i <= stream.length; i++) {
    const d = new VmDeframer();
    const events = [...d.push(stream.subarray(0, i)), ...d.push(stream.subarray(i))];
    assert.deepEqual(events, streamEvents, `split at ${i}`);
  }
});

test('a stream fed byte by byte (as QEMU reads) or in one chunk decodes the same', () => {
  const d = new VmDeframer();
  const bytewise = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
  assert.deepEqual(bytewise, streamEvents);
  assert.deepEqual(new VmDeframer().push(stream), streamEvents);
});

test('arbitrary chunking never changes the result (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
      const d = new VmDeframer();
      const events = points.slice(1).flatMap((end, i) => d.push(stream.subarray(points[i]!, end)));
      assert.deepEqual(events, streamEvents);
    }),
  );
});

// ---- properties ------------------------------------------------------------------------------

const bytes = (maxLength = 64) => fc.uint8Array({ maxLength });

test('unescape(escape(x)) = x, and escaped bytes never contain a terminator (property)', () => {
  fc.assert(
    fc.property(bytes(300), (x) => {
      const e = escapeVm(x);
      assert.ok(!e.includes(0xa0) && !e.includes(0xa1));
      assert.deepEqual(unescapeVm(e), x);
    }),
  );
});

test('unescapeVm rejects bare terminators and dangling escapes', () => {
  assert.throws(() => unescapeVm(hex`01 a0`), ProtocolError);
  assert.throws(() => unescapeVm(hex`01 aa`), ProtocolError);
  assert.deepEqual(unescapeVm(hex`aa 15`), hex`05`);
});

test('encode then decode is the identity for messages and controls (property)', () => {
  const message = fc.record({
    seq: fc.integer({ min: 0, max: 255 }),
    netFn: fc.integer({ min: 0, max: 63 }),
    lun: fc.integer({ min: 0, max: 3 }),
    cmd: fc.integer({ min: 0, max: 255 }),
    data: bytes(298),
  });
  fc.assert(
    fc.property(message, (m) => {
      assert.deepEqual(new VmDeframer().push(encodeVmMessage(m)), [msg(m.seq, m.netFn, m.lun, m.cmd, m.data)]);
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 255 }), bytes(8), (code, data) => {
      assert.deepEqual(new VmDeframer().push(encodeVmControl(code, data)), [ctl(code, data)]);
    }),
  );
});

test('random garbage never throws, stays bounded, and a reset recovers (property)', () => {
  const framingHeavy = fc.uint8Array({ maxLength: 2000 }).map((a) => a.map((b) => (b % 4 === 0 ? 0xa0 + (b % 3 === 0 ? 0 : b % 3 === 1 ? 1 : 10) : b)));
  fc.assert(
    fc.property(fc.oneof(bytes(2000), framingHeavy), fc.boolean(), (garbage, qemuSized) => {
      const d = new VmDeframer({ minMessage: qemuSized ? 5 : 4 });
      for (const ev of d.push(garbage)) {
        if (ev.kind === 'message') assert.ok(ev.data.length <= VmLimits.maxContent - 4);
        if (ev.kind === 'error') assert.ok(ev.bytes.length <= VmLimits.maxContent);
      }
      assert.ok(d.buffered <= VmLimits.maxContent);
      d.push(vmParserReset);
      assert.deepEqual(d.push(hex`00 1c 01 00 e3 a0`), [msg(0, 7, 0, 1, hex`00`)]);
    }),
  );
});

// ---- real wire data: QEMU 7.2 <-> ipmi_sim 2.0.33 (test/fixtures/captures) -------------------------

for (const file of captureFiles) {
  test(`${file}: every chunk decodes, verifies and re-encodes to the same bytes`, () => {
    const conns = loadCapture(file);
    assert.ok(conns.length >= 4, 'capture has its connections');
    let frames = 0;
    for (const conn of conns) {
      for (const chunk of conn.chunks) {
        const where = `${file}:${chunk.line}`;
        const events = new VmDeframer({ minMessage: chunk.dir === 'bmcToQemu' ? VmLimits.minResponse : VmLimits.minRequest }).push(chunk.bytes);
        assert.ok(events.length > 0, where);
        for (const ev of events) assert.notEqual(ev.kind, 'error', `${where}: ${describeVmEvent(ev)}`);
        assert.deepEqual(reencode(events), chunk.bytes, where);
        // Our decoding agrees with the recording proxy's independent one.
        assert.equal(events.length, chunk.decoded.length, where);
        events.forEach((ev, i) => {
          const p = chunk.decoded[i]!;
          if (ev.kind === 'message') {
            assert.equal(p.kind, 'message', where);
            if (p.kind !== 'message') return;
            const isResponse = (ev.netFn & 1) === 1;
            assert.equal(chunk.dir === 'bmcToQemu', isResponse, where);
            assert.deepEqual(
              { seq: ev.seq, netFn: ev.netFn, lun: ev.lun, cmd: ev.cmd, data: ev.data },
              { seq: p.seq, netFn: p.netFn, lun: p.lun, cmd: p.cmd, data: p.cc === undefined ? p.data : cat(...[Uint8Array.of(p.cc), p.data]) },
              where,
            );
          } else {
            assert.equal(p.kind, 'control', where);
          }
          frames++;
        });
      }
    }
    assert.ok(frames > 1500, `decoded ${frames} frames`);
  });

  test(`${file}: each direction of each connection decodes as one stream, whatever the chunking`, () => {
    for (const conn of loadCapture(file)) {
      for (const dir of ['qemuToBmc', 'bmcToQemu'] as const) {
        const chunks = conn.chunks.filter((c) => c.dir === dir).map((c) => c.bytes);
        const whole = cat(...chunks);
        const expected = chunks.flatMap((c) => new VmDeframer().push(c));
        const d = new VmDeframer();
        const bytewise = [...whole].flatMap((b) => d.push(Uint8Array.of(b)));
        assert.deepEqual(bytewise, expected, `connection at line ${conn.startLine}, ${dir}`);
        assert.deepEqual(reencode(new VmDeframer().push(whole)), whole);
      }
    }
  });
}
