// Must-show (issue 3, #5): the real ipmitool drives the BMC watchdog of `ipmi-sim serve`:
// `mc watchdog get`, a Set with `raw 0x06 0x24` (hard reset, 3 s), `mc watchdog reset`, the
// expiry (a Watchdog 2 event in the SEL, a system reset, restart cause "watchdog expired"),
// `mc watchdog off`, `mc watchdog set` and `mc reset cold|warm`. Outputs are compared byte for byte.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { ipmitoolFor, waitFor } from '../helpers/ipmitool.js';

let bmc: ServeHandle | undefined;
const { ipmitool, ok, rawBytes } = ipmitoolFor(() => bmc!);

before(async () => {
  if (havePeer('ipmitool') || process.env.CI === 'true') bmc = await startServe();
});
after(async () => {
  await bmc?.stop();
});

const lines = (...l: string[]) => l.join('\n') + '\n';

function watchdogGet(o: { use: string; running: boolean; action: string; interrupt?: string; pre?: number; flags?: string[]; flagsByte?: string; initial: string; present: string }): string {
  return lines(
    `Watchdog Timer Use:     ${o.use}`,
    `Watchdog Timer Is:      ${o.running ? 'Started/Running' : 'Stopped'}`,
    'Watchdog Timer Logging: On',
    `Watchdog Timer Action:  ${o.action}`,
    `Pre-timeout interrupt:  ${o.interrupt ?? 'None'}`,
    `Pre-timeout interval:   ${o.pre ?? 0} seconds`,
    `Timer Expiration Flags: ${o.flagsByte ?? 'None (0x00)'}`,
    ...(o.flags ?? []).map((f) => `                        * ${f}`),
    `Initial Countdown:      ${o.initial} sec`,
    `Present Countdown:      ${o.present} sec`,
  );
}

describe('ipmitool mc watchdog against serve', () => {
  test('mc watchdog get before any Set; reset is refused', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('mc', 'watchdog', 'get'), watchdogGet({ use: 'Reserved (0x00)', running: false, action: 'No action (0x00)', initial: '0.0', present: '0.0' }));
    const r = await ipmitool('mc', 'watchdog', 'reset');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Reset Watchdog Timer command failed: Attempt to reset uninitialized watchdog\n');
  });

  test('raw 0x06 0x24 (SMS/OS, hard reset, 3 s), mc watchdog reset, expiry', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.deepEqual(await rawBytes('0x06', '0x24', '0x04', '0x01', '0x00', '0x10', '0x1e', '0x00'), []);
    assert.equal(await ok('mc', 'watchdog', 'get'), watchdogGet({ use: 'SMS/OS (0x04)', running: false, action: 'Hard Reset (0x01)', initial: '3.0', present: '3.0' }));
    assert.equal(await ok('mc', 'watchdog', 'reset'), 'IPMI Watchdog Timer Reset -  countdown restarted!\n');
    const running = await ok('mc', 'watchdog', 'get');
    assert.match(running, /^Watchdog Timer Use: {5}SMS\/OS \(0x44\)\nWatchdog Timer Is: {6}Started\/Running\n/);
    assert.match(running, /^Present Countdown: {6}[0-3]\.\d sec\n$/m);
    await waitFor('the watchdog to expire', async () => /Is: {6}Stopped/.test(await ok('mc', 'watchdog', 'get')));
    assert.equal(
      await ok('mc', 'watchdog', 'get'),
      watchdogGet({ use: 'SMS/OS (0x04)', running: false, action: 'Hard Reset (0x01)', flagsByte: '(0x10)', flags: ['SMS/OS'], initial: '3.0', present: '0.0' }),
    );
    assert.equal(await ok('chassis', 'restart_cause'), 'System restart cause: watchdog expired\n');
    assert.equal(await ok('power', 'status'), 'Chassis Power is on\n', 'a hard reset, not a power off');
  });

  test('the expiry is a Watchdog 2 event in the SEL', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const selInfo = await ipmitool('raw', '0x0a', '0x40');
    if (selInfo.code === 0) {
      // With the storage commands: the SEL record itself and ipmitool's rendering of it.
      const rec = await rawBytes('0x0a', '0x43', '0x00', '0x00', '0x00', '0x00', '0x00', '0xff');
      assert.deepEqual(rec.slice(2 + 2, 2 + 3), [0x02], 'system event record');
      assert.deepEqual(rec.slice(2 + 7), [0x20, 0x00, 0x04, 0x23, 0x00, 0x6f, 0xc1, 0x04, 0xff], 'Watchdog 2, sensor 0, hard reset, SMS/OS');
      // ipmitool leaves out " #0x%02x" for sensor number 0.
      assert.match(await ok('sel', 'list'), /\| Watchdog2 \| Hard reset \| Asserted$/m);
    } else {
      // Without them (Get SEL Info answers "invalid command"), serve's log names the record
      // the SEL store assigned.
      assert.match(selInfo.stderr, /rsp=0xc1/);
      assert.match(bmc!.logs(), /INFO {2}watchdog expired use=4 action="hard reset" sel=1\n/);
    }
  });

  test('mc watchdog off; mc watchdog set; a reserved timer use is refused', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('mc', 'watchdog', 'off'), 'Watchdog Timer Shutoff successful -- timer stopped\n');
    assert.equal(await ok('mc', 'watchdog', 'get'), watchdogGet({ use: 'SMS/OS (0x04)', running: false, action: 'No action (0x00)', initial: '300.0', present: '300.0' }));
    const set = await ipmitool('mc', 'watchdog', 'set', 'timeout=10', 'use=sms', 'action=cycle', 'pretimeout=5', 'int=msg');
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stderr, 'Watchdog Timer was successfully configured\n');
    assert.equal(
      await ok('mc', 'watchdog', 'get'),
      watchdogGet({ use: 'SMS/OS (0x04)', running: false, action: 'Power Cycle (0x33)', interrupt: 'Messaging', pre: 5, initial: '10.0', present: '10.0' }),
    );
    // Without use= ipmitool sends timer use 0 (reserved). It exits 0 anyway: it returns the
    // completion code, and only a negative result is a failure exit.
    const reserved = await ipmitool('mc', 'watchdog', 'set', 'timeout=10');
    assert.equal(reserved.stderr, 'Set Watchdog Timer command failed: Invalid data field in request\n');
  });

  test('mc reset cold answers, ends the session and forgets the watchdog; mc reset warm', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('mc', 'reset', 'cold'), 'Sent cold reset command to MC\n');
    const r = await ipmitool('mc', 'watchdog', 'reset');
    assert.equal(r.stderr, 'Reset Watchdog Timer command failed: Attempt to reset uninitialized watchdog\n');
    assert.equal(await ok('mc', 'reset', 'warm'), 'Sent warm reset command to MC\n');
    assert.equal(await ok('power', 'status'), 'Chassis Power is on\n', 'the host is not affected');
  });
});
