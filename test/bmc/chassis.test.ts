// Chassis state machine (IPMI v2.0 §28) on a ManualClock: power control and the power cycle
// interval, restore policy at start, restart cause, last power event, identify, front panel,
// power-on hours, ACPI power state, persistence and cold reset, byte for byte.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeBmc, raw } from '../helpers/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { MemoryStore } from '../../src/bmc/store.js';
import { StandalonePlatform, type PowerChangeCause } from '../../src/bmc/platform.js';

const CH = 0x00;
const STATUS = 0x01;
const CONTROL = 0x02;
const IDENTIFY = 0x04;
const POLICY = 0x06;
const CAUSE = 0x07;
const FRONT_PANEL = 0x0a;
const CYCLE_INTERVAL = 0x0b;
const POH = 0x0f;

describe('chassis: status and control', () => {
  test('a fresh BMC powers on by the "previous" policy (config power: on)', () => {
    const t = makeBmc();
    assert.equal(t.platform.poweredOn, true);
    // on | previous (1 << 5); no last power event; identify supported; all buttons may be disabled.
    assert.equal(raw(t.bmc, CH, STATUS).hex, '21 00 40 f0');
    assert.equal(raw(t.bmc, CH, CAUSE).hex, '07 00', 'power-up due to restore-previous policy');
  });

  test('Get Chassis Capabilities: front panel lockout and diagnostic interrupt; BMC at 0x20', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, CH, 0x00).hex, '06 20 20 20 20');
    t.platform.unsupported.add('diagnostic-interrupt');
    assert.equal(raw(t.bmc, CH, 0x00).hex, '02 20 20 20 20');
  });

  test('power down / up: last power event "command", restart cause with the channel', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, CH, CONTROL, [0x00]).cc, 0);
    assert.equal(raw(t.bmc, CH, STATUS).hex, '20 00 40 f0');
    assert.equal(raw(t.bmc, CH, CONTROL, [0x00]).cc, 0, 'power down when off is not an error');
    assert.equal(raw(t.bmc, CH, CONTROL, [0x01]).cc, 0);
    assert.equal(raw(t.bmc, CH, STATUS).hex, '21 10 40 f0');
    assert.equal(raw(t.bmc, CH, CAUSE).hex, '01 01', 'chassis control, channel 1');
  });

  test('power cycle: off for the configured interval, then on; 0xD5 when off', () => {
    const t = makeBmc({ config: (c) => void (c.chassis.powerCycleInterval = 3) });
    assert.equal(raw(t.bmc, CH, CONTROL, [0x02]).cc, 0);
    assert.equal(t.platform.poweredOn, false);
    t.clock.advance(2999);
    assert.equal(t.platform.poweredOn, false);
    t.clock.advance(1);
    assert.equal(t.platform.poweredOn, true);
    assert.equal(raw(t.bmc, CH, CYCLE_INTERVAL, [5]).cc, 0);
    raw(t.bmc, CH, CONTROL, [0x02]);
    t.clock.advance(4999);
    assert.equal(t.platform.poweredOn, false);
    t.clock.advance(1);
    assert.equal(t.platform.poweredOn, true);
    raw(t.bmc, CH, CONTROL, [0x00]);
    assert.equal(raw(t.bmc, CH, CONTROL, [0x02]).cc, 0xd5);
  });

  test('power up during the off half of a cycle powers on now; power down cancels the cycle', () => {
    const t = makeBmc();
    raw(t.bmc, CH, CONTROL, [0x02]);
    raw(t.bmc, CH, CONTROL, [0x01]);
    assert.equal(t.platform.poweredOn, true);
    t.clock.advance(5000);
    raw(t.bmc, CH, CONTROL, [0x02]);
    raw(t.bmc, CH, CONTROL, [0x00]);
    t.clock.advance(5000);
    assert.equal(t.platform.poweredOn, false);
  });

  test('hard reset, diagnostic interrupt and soft off need power; bad actions are 0xCC', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, CH, CONTROL, [0x03]).cc, 0);
    assert.equal(t.platform.resets, 1);
    assert.equal(raw(t.bmc, CH, CONTROL, [0x04]).cc, 0);
    assert.equal(t.platform.nmis, 1);
    assert.equal(raw(t.bmc, CH, CONTROL, [0x05]).cc, 0);
    assert.equal(t.platform.softOffRequests, 1);
    assert.equal(t.platform.poweredOn, false);
    for (const a of [0x03, 0x04, 0x05]) assert.equal(raw(t.bmc, CH, CONTROL, [a]).cc, 0xd5);
    assert.equal(raw(t.bmc, CH, CONTROL, [0x06]).cc, 0xcc);
    assert.equal(raw(t.bmc, CH, CONTROL, [0x11]).cc, 0xcc, 'reserved bits 7:4');
    assert.equal(raw(t.bmc, CH, CONTROL, []).cc, 0xc7);
    assert.equal(raw(t.bmc, CH, CONTROL, [0x01], 2).cc, 0xd4, 'Chassis Control needs OPERATOR');
    assert.equal(raw(t.bmc, CH, STATUS, [], 2).cc, 0, 'status is USER');
  });

  test('restart causes follow the platform: guest reboot, button, watchdog', () => {
    const t = makeBmc();
    const reset = (cause: PowerChangeCause) => t.platform.onReset(cause);
    reset('guest');
    assert.equal(raw(t.bmc, CH, CAUSE).hex, '0a 00', 'soft reset');
    reset('button');
    assert.equal(raw(t.bmc, CH, CAUSE).hex, '02 00', 'reset via pushbutton');
    t.platform.powerOff('button');
    t.platform.powerOn('button');
    assert.equal(raw(t.bmc, CH, CAUSE).hex, '03 00', 'power-up via pushbutton');
    assert.equal(raw(t.bmc, CH, STATUS).data[1], 0x00, 'not powered on by IPMI');
  });

  test('an asynchronous platform: the cycle waits for the off report', async () => {
    class SlowPlatform extends StandalonePlatform {
      override powerOff(cause: PowerChangeCause): Promise<void> {
        return Promise.resolve().then(() => super.powerOff(cause));
      }
    }
    const t = makeBmc({ platform: new SlowPlatform() });
    assert.equal(raw(t.bmc, CH, CONTROL, [0x02]).cc, 0);
    assert.equal(t.platform.poweredOn, true, 'the reply comes before the action');
    t.clock.advance(5000);
    assert.equal(t.platform.poweredOn, true, 'no timer before the platform said it is off');
    await Promise.resolve();
    await Promise.resolve();
    assert.equal(t.platform.poweredOn, false);
    t.clock.advance(1000);
    assert.equal(t.platform.poweredOn, true);
  });
});

describe('chassis: identify, front panel, policy', () => {
  test('identify: default 15 s, an interval, force, off', () => {
    const t = makeBmc();
    const state = () => (raw(t.bmc, CH, STATUS).data[2]! >> 4) & 3;
    assert.equal(raw(t.bmc, CH, IDENTIFY).cc, 0);
    assert.equal(state(), 1);
    t.clock.advance(14_999);
    assert.equal(state(), 1);
    t.clock.advance(1);
    assert.equal(state(), 0);
    raw(t.bmc, CH, IDENTIFY, [5]);
    t.clock.advance(4999);
    assert.equal(state(), 1);
    t.clock.advance(1);
    assert.equal(state(), 0);
    raw(t.bmc, CH, IDENTIFY, [0, 1]);
    t.clock.advance(3_600_000);
    assert.equal(state(), 2, 'force: on until told otherwise');
    raw(t.bmc, CH, IDENTIFY, [0]);
    assert.equal(state(), 0);
    assert.equal(raw(t.bmc, CH, IDENTIFY, [1, 0, 0]).cc, 0xc7);
  });

  test('identifyDefault comes from the config', () => {
    const t = makeBmc({ config: (c) => void (c.chassis.identifyDefault = 2) });
    raw(t.bmc, CH, IDENTIFY);
    t.clock.advance(2000);
    assert.equal((raw(t.bmc, CH, STATUS).data[2]! >> 4) & 3, 0);
  });

  test('front panel enables: disabled bits in byte 5, lockout when power and reset are disabled', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, CH, FRONT_PANEL, [0x01]).cc, 0);
    assert.equal(raw(t.bmc, CH, STATUS).hex, '21 00 40 f1');
    raw(t.bmc, CH, FRONT_PANEL, [0x03]);
    assert.equal(raw(t.bmc, CH, STATUS).hex, '21 00 42 f3');
    assert.equal(raw(t.bmc, CH, FRONT_PANEL, [0x10]).cc, 0xcc);
    assert.equal(raw(t.bmc, CH, FRONT_PANEL, [0x01], 3).cc, 0xd4, 'ADMINISTRATOR only');
  });

  test('Set Power Restore Policy answers the supported mask; 3 = no change; 4+ = 0xCC', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, CH, POLICY, [0x02]).hex, '07');
    assert.equal(raw(t.bmc, CH, STATUS).data[0], 0x41);
    assert.equal(raw(t.bmc, CH, POLICY, [0x03]).hex, '07');
    assert.equal(raw(t.bmc, CH, STATUS).data[0], 0x41);
    raw(t.bmc, CH, POLICY, [0x00]);
    assert.equal(raw(t.bmc, CH, STATUS).data[0], 0x01);
    assert.equal(raw(t.bmc, CH, POLICY, [0x04]).cc, 0xcc);
  });
});

describe('chassis: restore policy at start, persistence, POH', () => {
  function restart(store: MemoryStore, clock: ManualClock, policy?: 'always-on' | 'always-off' | 'previous') {
    return makeBmc({ store, clock, config: (c) => void (policy && (c.chassis.restorePolicy = policy)) });
  }

  test('"previous" restores the saved power state; the restart is an AC failure', () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const a = restart(store, clock);
    raw(a.bmc, CH, CONTROL, [0x00]);
    const b = restart(store, clock);
    assert.equal(b.platform.poweredOn, false);
    assert.equal(raw(b.bmc, CH, STATUS).hex, '20 01 40 f0', 'off, previous, ac-failed');
    raw(b.bmc, CH, CONTROL, [0x01]);
    const c = restart(store, clock);
    assert.equal(c.platform.poweredOn, true);
    assert.equal(raw(c.bmc, CH, CAUSE).hex, '07 00');
    assert.equal(raw(c.bmc, CH, STATUS).data[1], 0x01, 'ac-failed; powered on by the policy, not IPMI');
  });

  test('always-on powers on whatever the saved state; always-off stays off; a Set policy persists', () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const a = restart(store, clock);
    raw(a.bmc, CH, CONTROL, [0x00]);
    raw(a.bmc, CH, POLICY, [0x02]);
    const b = restart(store, clock, 'always-off');
    assert.equal(b.platform.poweredOn, true, 'the saved policy (always-on) wins over the config');
    assert.equal(raw(b.bmc, CH, CAUSE).hex, '06 00');
    raw(b.bmc, CH, POLICY, [0x00]);
    assert.equal(restart(store, clock).platform.poweredOn, false);
    assert.equal(makeBmc({ config: (c) => void (c.chassis.restorePolicy = 'always-off') }).platform.poweredOn, false);
    assert.equal(makeBmc({ config: (c) => void (c.chassis.initialPower = 'off') }).platform.poweredOn, false);
  });

  test('without chassis.power a platform that defaults to off (a VM) is not powered on at first start', () => {
    class OffByDefault extends StandalonePlatform {
      readonly defaultPower = 'off';
    }
    assert.equal(makeBmc({ platform: new OffByDefault() }).platform.poweredOn, false);
    assert.equal(makeBmc({ platform: new OffByDefault(), config: (c) => void (c.chassis.initialPower = 'on') }).platform.poweredOn, true);
    assert.equal(makeBmc({ platform: new OffByDefault(), config: (c) => void (c.chassis.restorePolicy = 'always-on') }).platform.poweredOn, true);
    // Once it has run, "previous" restores what was saved.
    const store = new MemoryStore();
    const a = makeBmc({ platform: new OffByDefault(), store });
    raw(a.bmc, CH, CONTROL, [0x01]);
    assert.equal(makeBmc({ platform: new OffByDefault(), store }).platform.poweredOn, true);
  });

  test('a platform that is already on is left alone', () => {
    const t = makeBmc({ platform: new StandalonePlatform(true), config: (c) => void (c.chassis.restorePolicy = 'always-off') });
    assert.equal(t.platform.poweredOn, true);
    assert.equal(raw(t.bmc, CH, CAUSE).hex, '00 00');
  });

  test('POH counts minutes while on, on the injected clock, and survives a restart', () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    const a = restart(store, clock);
    assert.equal(raw(a.bmc, CH, POH).hex, '01 00 00 00 00', '1 minute per count');
    clock.advance(90 * 60_000 + 59_999);
    assert.equal(raw(a.bmc, CH, POH).hex, '01 5a 00 00 00');
    raw(a.bmc, CH, CONTROL, [0x00]);
    clock.advance(3_600_000);
    assert.equal(raw(a.bmc, CH, POH).hex, '01 5a 00 00 00', 'not counting while off');
    raw(a.bmc, CH, CONTROL, [0x01]);
    clock.advance(30_001);
    const b = restart(store, clock);
    // 90 min 59.999 s + 30.001 s = 91 min 30 s saved at power changes; the minute tick saved 91.
    assert.equal(raw(b.bmc, CH, POH).data[1], 91);
  });

  test('Set Power Cycle Interval persists', () => {
    const store = new MemoryStore();
    const clock = new ManualClock();
    raw(restart(store, clock).bmc, CH, CYCLE_INTERVAL, [7]);
    const b = restart(store, clock);
    raw(b.bmc, CH, CONTROL, [0x02]);
    clock.advance(6999);
    assert.equal(b.platform.poweredOn, false);
    clock.advance(1);
    assert.equal(b.platform.poweredOn, true);
  });
});

describe('ACPI power state and BMC resets', () => {
  test('follows power until software sets it; validates states', () => {
    const t = makeBmc();
    assert.equal(raw(t.bmc, 0x06, 0x07).hex, '00 00', 'S0/G0, D0');
    raw(t.bmc, CH, CONTROL, [0x00]);
    assert.equal(raw(t.bmc, 0x06, 0x07).hex, '05 03', 'S5/G2, D3');
    assert.equal(raw(t.bmc, 0x06, 0x06, [0x81, 0x7f]).cc, 0);
    assert.equal(raw(t.bmc, 0x06, 0x07).hex, '01 03', 'system state set, device state unchanged');
    assert.equal(raw(t.bmc, 0x06, 0x06, [0x01, 0x82]).cc, 0);
    assert.equal(raw(t.bmc, 0x06, 0x07).hex, '01 02', 'bit 7 clear: system state not set');
    assert.equal(raw(t.bmc, 0x06, 0x06, [0x8b, 0x7f]).cc, 0xcc);
    assert.equal(raw(t.bmc, 0x06, 0x06, [0x7f, 0x84]).cc, 0xcc);
    assert.equal(raw(t.bmc, 0x06, 0x06, [0x80], 4).cc, 0xc7);
    assert.equal(raw(t.bmc, 0x06, 0x06, [0x80, 0x80], 3).cc, 0xd4);
  });

  test('cold reset: other sessions close now, the requester after its reply; enables return to 0x08', () => {
    const t = makeBmc();
    const remote = { address: '127.0.0.1', port: 1, family: 'IPv4' as const };
    const mine = t.bmc.sessions.open({ version: '2.0', channel: 1, remote })!;
    const other = t.bmc.sessions.open({ version: '2.0', channel: 1, remote })!;
    mine.state = other.state = 'active';
    t.bmc.globalEnables = 0x0c;
    const r = t.bmc.dispatch({ netFn: 0x06, lun: 0, cmd: 0x02, data: new Uint8Array(0) }, { channel: 1, privilege: 4, session: mine });
    assert.equal(r.cc, 0);
    assert.equal(t.bmc.sessions.get(other.id), undefined);
    assert.equal(mine.closeAfterReply, true);
    assert.equal(t.bmc.globalEnables, 0x08);
    assert.equal(t.platform.poweredOn, true, 'the host keeps running');
    assert.equal(raw(t.bmc, 0x06, 0x03).cc, 0, 'warm reset');
  });
});
