// Watchdog timer (IPMI v2.0 §27) on a ManualClock: countdown, pre-timeout, don't-stop,
// don't-log, expiration flags, actions, events and completion codes, byte for byte.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBmc, raw } from '../helpers/bmc.js';
import { toHex } from '../../src/protocol/bytes.js';

const APP = 0x06;
const RESET = 0x22;
const SET = 0x24;
const GET = 0x25;

/** Set Watchdog Timer data: use, actions, pre-timeout s, clear mask, countdown (100 ms, LE). */
function set(use: number, actions: number, pre: number, clear: number, countdown: number): number[] {
  return [use, actions, pre, clear, countdown & 0xff, countdown >> 8];
}

/** Set Watchdog Timer, then Reset Watchdog Timer: the timer runs. */
function arm(t: ReturnType<typeof makeBmc>, ...args: Parameters<typeof set>): void {
  assert.equal(raw(t.bmc, APP, SET, set(...args)).cc, 0);
  assert.equal(raw(t.bmc, APP, RESET).cc, 0);
}

/** The SEL records' event bytes (generator ID through event data 3: bytes 7-15). */
function selEvents(t: ReturnType<typeof makeBmc>): string[] {
  return t.bmc.sel.entries.map((e) => toHex(e.record.subarray(7)));
}

describe('watchdog: set, get, reset', () => {
  test('Reset before any Set answers 0x80; Get answers all zero', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, APP, RESET).cc, 0x80);
    assert.deepEqual(raw(t.bmc, APP, GET), { cc: 0, hex: '00 00 00 00 00 00 00 00', data: new Uint8Array(8) });
  });

  test('countdown in 100 ms units; a hard reset expiry logs, flags, resets and sets the restart cause', () => {
    const t = makeBmc();
    // SMS/OS, hard reset, no pre-timeout, clear SMS/OS flag, 3.0 s.
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x01, 0, 0x10, 30)).cc, 0);
    assert.equal(raw(t.bmc, APP, GET).hex, '04 01 00 00 1e 00 1e 00', 'stopped, present = loaded countdown');
    assert.equal(raw(t.bmc, APP, RESET).cc, 0);
    assert.equal(raw(t.bmc, APP, GET).hex, '44 01 00 00 1e 00 1e 00', 'bit 6 = running');
    t.clock.advance(1000);
    assert.equal(raw(t.bmc, APP, GET).hex, '44 01 00 00 1e 00 14 00');
    t.clock.advance(1950);
    assert.equal(raw(t.bmc, APP, GET).hex, '44 01 00 00 1e 00 01 00', '50 ms left rounds up to one count');
    assert.equal(t.platform.resets, 0);
    t.clock.advance(50);
    assert.equal(t.platform.resets, 1);
    assert.equal(raw(t.bmc, APP, GET).hex, '04 01 00 10 1e 00 00 00', 'stopped, SMS/OS expiration flag');
    // Watchdog 2 (0x23), sensor 0, sensor-specific; offset 1 hard reset, data 2 = timer use 4.
    assert.deepEqual(selEvents(t), ['20 00 04 23 00 6f c1 04 ff']);
    const rec = t.bmc.sel.entries[0]!.record;
    assert.equal(new DataView(rec.buffer, rec.byteOffset).getUint32(3, true), Date.UTC(2026, 0, 1) / 1000 + 3, 'timestamp = expiry time');
    assert.equal(raw(t.bmc, 0x00, 0x07).hex, '04 00', 'restart cause: watchdog expired');
    assert.ok(t.log.lines.some((l) => l.msg === 'watchdog expired' && l.fields?.sel === 1));
  });

  test('a countdown of 1 expires after exactly 100 ms; 0 expires at once', () => {
    const t = makeBmc();
    arm(t, 0x03, 0x00, 0, 0, 1);
    t.clock.advance(99);
    assert.equal(t.bmc.watchdog.isRunning, true);
    t.clock.advance(1);
    assert.equal(t.bmc.watchdog.isRunning, false);
    assert.deepEqual(selEvents(t), ['20 00 04 23 00 6f c0 03 ff'], 'action none still expires and logs offset 0');
    arm(t, 0x03, 0x00, 0, 0, 0);
    t.clock.advance(0);
    assert.equal(t.bmc.sel.entries.length, 2);
  });

  test('power down and power cycle actions go through the chassis', () => {
    const t = makeBmc();
    arm(t, 0x04, 0x02, 0, 0, 10);
    t.clock.advance(1000);
    assert.equal(t.platform.poweredOn, false);
    assert.equal(selEvents(t)[0], '20 00 04 23 00 6f c2 04 ff');
    raw(t.bmc, 0x00, 0x02, [0x01]); // power up
    arm(t, 0x04, 0x03, 0, 0, 10);
    t.clock.advance(1000);
    assert.equal(selEvents(t)[1], '20 00 04 23 00 6f c3 04 ff');
    assert.equal(t.platform.poweredOn, false, 'off for the power cycle interval');
    t.clock.advance(1000);
    assert.equal(t.platform.poweredOn, true);
    assert.equal(raw(t.bmc, 0x00, 0x07).hex, '04 00');
  });
});

describe('watchdog: pre-timeout', () => {
  test('NMI pre-timeout: flag bit 3, NMI, timer-interrupt event; Reset no longer restarts; Set clears the flag', () => {
    const t = makeBmc();
    // SMS/OS, NMI pre-timeout + no action, 2 s before a 5 s timeout.
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x20, 2, 0, 50)).cc, 0);
    raw(t.bmc, APP, RESET);
    t.clock.advance(2999);
    assert.equal(t.bmc.messageFlags & 0x08, 0);
    t.clock.advance(1);
    assert.equal(t.bmc.messageFlags & 0x08, 0x08);
    assert.equal(t.platform.nmis, 1);
    assert.deepEqual(selEvents(t), ['20 00 04 23 00 6f c8 24 ff'], 'offset 8, data 2 = NMI (2) << 4 | SMS/OS');
    assert.equal(raw(t.bmc, APP, RESET).cc, 0);
    t.clock.advance(1000);
    assert.equal(raw(t.bmc, APP, GET).hex, '44 20 02 00 32 00 0a 00', 'the Reset did not restart the countdown');
    t.clock.advance(1000);
    assert.equal(selEvents(t)[1], '20 00 04 23 00 6f c0 24 ff');
    assert.equal(t.bmc.messageFlags & 0x08, 0x08, 'flag stays until cleared');
    raw(t.bmc, APP, SET, set(0x04, 0x20, 2, 0x10, 50));
    assert.equal(t.bmc.messageFlags & 0x08, 0, 'Set clears the pre-timeout flag');
    assert.equal(raw(t.bmc, APP, GET).hex, '04 20 02 00 32 00 32 00', 'clear mask took the SMS/OS expiration flag');
  });

  test('messaging pre-timeout raises attention; interval 0 fires together with the timeout', () => {
    const t = makeBmc();
    let attention = 0;
    t.bmc.attentionListeners.add(() => attention++);
    arm(t, 0x03, 0x30, 0, 0, 10);
    t.clock.advance(999);
    assert.equal(attention, 0);
    t.clock.advance(1);
    assert.equal(attention, 1);
    assert.equal(t.platform.nmis, 0);
    assert.deepEqual(selEvents(t), ['20 00 04 23 00 6f c8 33 ff', '20 00 04 23 00 6f c0 33 ff']);
  });
});

describe('watchdog: don\'t stop, don\'t log, flags', () => {
  test("don't-stop keeps a running timer running with the new countdown; without it Set stops", () => {
    const t = makeBmc();
    arm(t, 0x04, 0x00, 0, 0, 100);
    t.clock.advance(5000);
    raw(t.bmc, APP, SET, set(0x44, 0x00, 0, 0, 20));
    assert.equal(raw(t.bmc, APP, GET).hex, '44 00 00 00 14 00 14 00', 'running from the new value');
    t.clock.advance(500);
    raw(t.bmc, APP, SET, set(0x04, 0x00, 0, 0, 20));
    assert.equal(raw(t.bmc, APP, GET).hex, '04 00 00 00 14 00 14 00', 'stopped');
    raw(t.bmc, APP, SET, set(0x44, 0x00, 0, 0, 30));
    assert.equal(raw(t.bmc, APP, GET).hex, '04 00 00 00 1e 00 1e 00', "don't-stop does not start a stopped timer");
    t.clock.advance(10_000);
    assert.equal(t.bmc.sel.entries.length, 0);
  });

  test("don't-log: the expiry acts and flags but logs nothing; Get shows bit 7", () => {
    const t = makeBmc();
    arm(t, 0x84, 0x01, 0, 0, 5);
    assert.equal(raw(t.bmc, APP, GET).hex, 'c4 01 00 00 05 00 05 00');
    t.clock.advance(500);
    assert.equal(t.bmc.sel.entries.length, 0);
    assert.equal(t.platform.resets, 1);
    assert.equal(raw(t.bmc, APP, GET).hex, '84 01 00 10 05 00 00 00');
  });

  test('expiration flags accumulate per timer use and clear by mask', () => {
    const t = makeBmc();
    for (const use of [1, 2, 3, 5]) {
      arm(t, use, 0x00, 0, 0, 1);
      t.clock.advance(100);
    }
    assert.equal(raw(t.bmc, APP, GET).data[3], 0x2e);
    raw(t.bmc, APP, SET, set(0x05, 0x00, 0, 0x06, 1));
    assert.equal(raw(t.bmc, APP, GET).data[3], 0x28);
  });

  test('a power off or reset of the system stops the timer; a cold reset forgets the settings', () => {
    const t = makeBmc();
    arm(t, 0x04, 0x01, 0, 0, 100);
    t.clock.advance(2000);
    raw(t.bmc, 0x00, 0x02, [0x03]); // hard reset
    assert.equal(raw(t.bmc, APP, GET).hex, '04 01 00 00 64 00 50 00', 'stopped where it was');
    t.clock.advance(60_000);
    assert.equal(t.platform.resets, 1, 'only the commanded reset');
    raw(t.bmc, APP, RESET);
    raw(t.bmc, 0x00, 0x02, [0x00]); // power down
    assert.equal(t.bmc.watchdog.isRunning, false);
    assert.equal(raw(t.bmc, APP, 0x02).cc, 0); // cold reset
    assert.equal(raw(t.bmc, APP, RESET).cc, 0x80);
  });
});

describe('watchdog: completion codes', () => {
  test('bad fields answer 0xCC, bad lengths 0xC7, privilege 0xD4', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, APP, SET, set(0x00, 0x01, 0, 0, 10)).cc, 0xcc, 'timer use 0 is reserved');
    assert.equal(raw(t.bmc, APP, SET, set(0x06, 0x01, 0, 0, 10)).cc, 0xcc, 'timer use 6 is reserved');
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x04, 0, 0, 10)).cc, 0xcc, 'action 4 is reserved');
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x40, 0, 0, 10)).cc, 0xcc, 'interrupt 4 is reserved');
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x20, 2, 0, 10)).cc, 0xcc, 'pre-timeout longer than the countdown');
    assert.equal(raw(t.bmc, APP, SET, [0x04, 0x01, 0, 0, 10]).cc, 0xc7);
    assert.equal(raw(t.bmc, APP, SET, [...set(0x04, 0x01, 0, 0, 10), 0]).cc, 0xc7);
    assert.equal(raw(t.bmc, APP, GET, [0]).cc, 0xc7);
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x01, 0, 0, 10), 2).cc, 0xd4, 'Set needs OPERATOR');
    assert.equal(raw(t.bmc, APP, RESET, [], 2).cc, 0xd4, 'Reset needs OPERATOR');
    assert.equal(raw(t.bmc, APP, GET, [], 2).cc, 0, 'Get is USER');
    assert.equal(t.bmc.watchdog.initialized, false, 'no rejected Set initialised it');
  });

  test('a platform without NMI or reset rejects those settings with 0xCC', () => {
    const t = makeBmc();
    t.platform.unsupported.add('diagnostic-interrupt').add('hard-reset');
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x20, 1, 0, 50)).cc, 0xcc);
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x01, 0, 0, 50)).cc, 0xcc);
    assert.equal(raw(t.bmc, APP, SET, set(0x04, 0x32, 1, 0, 50)).cc, 0);
  });

  test('the event names the configured watchdog sensor', () => {
    const t = makeBmc({ config: (c) => void (c.chassis.watchdog.sensorNumber = 0x42) });
    arm(t, 0x02, 0x00, 0, 0, 1);
    t.clock.advance(100);
    assert.deepEqual(selEvents(t), ['20 00 04 23 42 6f c0 02 ff']);
  });
});
