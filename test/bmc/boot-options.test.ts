// System boot options (IPMI v2.0 §28.12-28.13) on a ManualClock: the ipmitool bootdev
// sequence, set-in-progress rules, the 60 s valid-bit timeout, clearing on restarts
// (parameter 3), mailbox blocks, persistence and completion codes.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBmc, raw } from '../helpers/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { MemoryStore } from '../../src/bmc/store.js';
import { toHex } from '../../src/protocol/bytes.js';

const CH = 0x00;
const SET = 0x08;
const GET = 0x09;

const get = (t: ReturnType<typeof makeBmc>, param: number, set = 0) => raw(t.bmc, CH, GET, [param, set, 0]);
const put = (t: ReturnType<typeof makeBmc>, param: number, ...data: number[]) => raw(t.bmc, CH, SET, [param, ...data]).cc;

describe('boot options: parameters', () => {
  test("ipmitool's `chassis bootdev pxe options=persistent,efiboot` byte sequence", () => {
    const t = makeBmc();
    assert.equal(put(t, 0, 0x01), 0, 'set in progress');
    assert.equal(put(t, 4, 0x01, 0x01), 0, 'boot info acknowledge');
    assert.equal(put(t, 5, 0xe0, 0x04, 0x00, 0x00, 0x00), 0, 'valid, persistent, EFI, PXE');
    assert.equal(put(t, 0, 0x02), 0, 'commit write');
    assert.equal(put(t, 0, 0x00), 0, 'set complete');
    assert.equal(get(t, 5).hex, '01 05 e0 04 00 00 00');
    assert.equal(get(t, 4).hex, '01 04 00 01');
    assert.equal(get(t, 0).hex, '01 00 00');
  });

  test('defaults of parameters 0-7', () => {
    const t = makeBmc();
    assert.equal(get(t, 0).hex, '01 00 00');
    assert.equal(get(t, 1).hex, '01 01 00');
    assert.equal(get(t, 2).hex, '01 02 00');
    assert.equal(get(t, 3).hex, '01 03 00');
    assert.equal(get(t, 4).hex, '01 04 00 00');
    assert.equal(get(t, 5).hex, '01 05 00 00 00 00 00');
    assert.equal(get(t, 6).hex, '01 06 00 00 00 00 00 00 00 00 00');
    assert.equal(get(t, 7).hex, '01 07 00' + ' 00'.repeat(16));
  });

  test('set in progress: only from "set complete"; 3 is reserved; commit completes', () => {
    const t = makeBmc();
    assert.equal(put(t, 0, 0x01), 0);
    assert.equal(put(t, 0, 0x01), 0x81);
    assert.equal(get(t, 0).hex, '01 00 01');
    assert.equal(put(t, 0, 0x03), 0xcc);
    assert.equal(put(t, 0, 0x02), 0);
    assert.equal(get(t, 0).hex, '01 00 00');
    assert.equal(put(t, 0, 0x01), 0);
    assert.equal(raw(t.bmc, 0x06, 0x02).cc, 0, 'cold reset');
    assert.equal(get(t, 0).hex, '01 00 00', 'volatile');
  });

  test('boot info acknowledge writes only the masked bits', () => {
    const t = makeBmc();
    put(t, 4, 0x1f, 0x15);
    put(t, 4, 0x01, 0x00);
    assert.equal(get(t, 4).hex, '01 04 00 14');
  });

  test('the invalid/locked bit is stored per parameter', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, CH, SET, [0x81, 0x07]).cc, 0);
    assert.equal(get(t, 1).hex, '01 81 07');
    raw(t.bmc, CH, SET, [0x01, 0x07]);
    assert.equal(get(t, 1).hex, '01 01 07');
  });

  test('initiator info and mailbox blocks', () => {
    const t = makeBmc();
    assert.equal(put(t, 6, 0x01, 0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00), 0);
    assert.equal(get(t, 6).hex, '01 06 01 78 56 34 12 00 00 00 00');
    // Block 0: IANA 7154 (f2 1b 00) then "hi".
    assert.equal(put(t, 7, 0x00, 0xf2, 0x1b, 0x00, 0x68, 0x69, 0x00), 0);
    assert.equal(get(t, 7, 0).hex, '01 07 00 f2 1b 00 68 69 00' + ' 00'.repeat(10));
    assert.equal(put(t, 7, 15, ...new Array(16).fill(0xaa)), 0);
    assert.equal(toHex(get(t, 7, 15).data.subarray(3)), 'aa '.repeat(16).trim());
    assert.equal(get(t, 7, 16).cc, 0xc9, 'past the last block: parameter out of range');
    assert.equal(put(t, 7, 16, 0x00), 0xc9);
    assert.equal(put(t, 7, 0, ...new Array(17).fill(0)), 0xc7);
    assert.equal(put(t, 7, 0), 0xc7);
  });

  test('completion codes: unsupported 0x80, wrong length 0xC7, privilege 0xD4', () => {
    const t = makeBmc();
    assert.equal(get(t, 8).cc, 0x80);
    assert.equal(get(t, 0x60).cc, 0x80);
    assert.equal(put(t, 8, 0x00), 0x80);
    assert.equal(put(t, 5, 0x80, 0x04, 0x00, 0x00), 0xc7);
    assert.equal(put(t, 5, 0x80, 0x04, 0x00, 0x00, 0x00, 0x00), 0xc7);
    assert.equal(put(t, 4, 0x01), 0xc7);
    assert.equal(raw(t.bmc, CH, GET, [5, 0]).cc, 0xc7);
    assert.equal(raw(t.bmc, CH, SET, []).cc, 0xc7);
    assert.equal(raw(t.bmc, CH, GET, [5, 0, 0], 2).cc, 0xd4, 'Get needs OPERATOR');
    assert.equal(raw(t.bmc, CH, SET, [5, 0x80, 4, 0, 0, 0], 2).cc, 0xd4);
  });
});

describe('boot options: the valid bit', () => {
  test('cleared 60 s after it is set unless parameter 3 bit 3 says not to', () => {
    const t = makeBmc();
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    t.clock.advance(59_999);
    assert.equal(get(t, 5).hex, '01 05 c0 04 00 00 00');
    t.clock.advance(1);
    assert.equal(get(t, 5).hex, '01 05 40 04 00 00 00', 'even persistent flags time out');
    put(t, 3, 0x08);
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    t.clock.advance(3_600_000);
    assert.equal(get(t, 5).data[2], 0xc0);
    put(t, 3, 0x00);
    t.clock.advance(60_000);
    assert.equal(get(t, 5).data[2], 0x40, 'clearing bit 3 again re-arms the timeout');
  });

  test('rewriting the flags restarts the 60 s; writing them invalid stops it', () => {
    const t = makeBmc();
    put(t, 5, 0x80, 0x08, 0, 0, 0);
    t.clock.advance(40_000);
    put(t, 5, 0x80, 0x14, 0, 0, 0);
    t.clock.advance(40_000);
    assert.equal(get(t, 5).data[2], 0x80);
    t.clock.advance(20_000);
    assert.equal(get(t, 5).data[2], 0x00);
  });

  test('next-boot-only flags are used by the next power-up and then cleared', () => {
    const t = makeBmc();
    raw(t.bmc, CH, 0x02, [0x00]);
    put(t, 5, 0xa0, 0x14, 0, 0, 0);
    raw(t.bmc, CH, 0x02, [0x01]);
    assert.deepEqual(
      t.platform.boots.at(-1),
      { device: 'cdrom', efi: true, persistent: false, cmosClear: false, deviceInstance: 0, flags: Uint8Array.of(0xa0, 0x14, 0, 0, 0) },
      'the platform saw the override at power-on',
    );
    assert.equal(get(t, 5).data[2], 0x20);
    assert.deepEqual(t.log.lines.at(-1), { level: 'info', msg: 'system powered on', fields: { cause: 'command', boot: 'cdrom (EFI)' } });
    raw(t.bmc, CH, 0x02, [0x03]);
    assert.equal(t.platform.boots.at(-1), undefined, 'the reset after uses the normal order');
    assert.deepEqual(t.log.lines.at(-1)?.fields, { cause: 'command', boot: 'default' });
  });

  test('persistent flags survive chassis-control restarts and no longer time out after one', () => {
    const t = makeBmc();
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    raw(t.bmc, CH, 0x02, [0x03]);
    raw(t.bmc, CH, 0x02, [0x02]);
    t.clock.advance(120_000);
    assert.equal(get(t, 5).data[2], 0xc0);
    assert.deepEqual(
      t.platform.boots.map((b) => b?.device),
      [undefined, 'pxe', 'pxe'],
      'the power-on at start, the reset, the power-on of the cycle',
    );
  });

  test('a watchdog reset clears the valid bit first, unless parameter 3 bit 2 is set', () => {
    const t = makeBmc();
    const expire = () => {
      raw(t.bmc, 0x06, 0x24, [0x04, 0x01, 0, 0, 1, 0]);
      raw(t.bmc, 0x06, 0x22);
      t.clock.advance(100);
    };
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    expire();
    assert.equal(t.platform.boots.at(-1), undefined, 'the watchdog reset did not boot PXE');
    assert.equal(get(t, 5).data[2], 0x40);
    put(t, 3, 0x04);
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    expire();
    assert.equal(t.platform.boots.at(-1)?.device, 'pxe');
    assert.equal(get(t, 5).data[2], 0xc0);
  });

  test('a guest soft reset or a button press clears the valid bit unless parameter 3 bits 1 / 0 say not to', () => {
    const t = makeBmc();
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    t.platform.onReset('guest');
    assert.equal(get(t, 5).data[2], 0x40);
    put(t, 3, 0x03);
    put(t, 5, 0xc0, 0x04, 0, 0, 0);
    t.platform.onReset('guest');
    t.platform.powerOff('button');
    t.platform.powerOn('button');
    assert.equal(get(t, 5).data[2], 0xc0);
  });

  test('boot options persist (not set-in-progress); the restore-policy power-on uses them', () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const a = makeBmc({ store, clock });
    put(a, 0, 0x01);
    put(a, 1, 0x05);
    put(a, 5, 0x80, 0x18, 0, 0, 0);
    put(a, 7, 1, 0x11, 0x22);
    clock.advance(50_000);
    const b = makeBmc({ store, clock });
    assert.equal(get(b, 0).hex, '01 00 00');
    assert.equal(get(b, 1).hex, '01 01 05');
    assert.equal(get(b, 7, 1).hex, '01 07 01 11 22' + ' 00'.repeat(14));
    assert.equal(b.platform.boots.at(-1)?.device, 'bios', 'the restore-policy power-on used the saved flags');
    assert.equal(get(b, 5).data[2], 0x00, 'and consumed them (next boot only)');
  });

  test('a valid flag loaded at start gets a fresh 60 s', () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const a = makeBmc({ store, clock });
    raw(a.bmc, CH, 0x02, [0x00]);
    put(a, 5, 0xc0, 0x04, 0, 0, 0);
    clock.advance(50_000);
    const b = makeBmc({ store, clock });
    assert.equal(b.platform.poweredOn, false, 'restored off: no restart uses the flags');
    clock.advance(59_999);
    assert.equal(get(b, 5).data[2], 0xc0);
    clock.advance(1);
    assert.equal(get(b, 5).data[2], 0x40);
  });
});
