// Must-show (issue 3, #8, chassis part): FreeIPMI's ipmi-chassis reads chassis status and
// restart cause from `ipmi-sim serve` with no workaround flags, over IPMI 1.5 and 2.0, and
// agrees with ipmitool after changes made by either tool.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { ipmitoolFor } from '../helpers/ipmitool.js';

let bmc: ServeHandle | undefined;
before(async () => {
  if (havePeer('ipmi-chassis') || process.env.CI === 'true') bmc = await startServe();
});
after(async () => {
  await bmc?.stop();
});

const { ok: ipmitoolOk } = ipmitoolFor(() => bmc!);

async function ipmiChassis(driver: string[], ...args: string[]): Promise<string> {
  const r = await run('ipmi-chassis', [...driver, '-h', `127.0.0.1:${bmc!.port}`, '-u', 'admin', '-p', 'password', ...args], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout;
}

function status(o: { power: string; lastEvent: string; identify: string }): string {
  return [
    `System Power                        : ${o.power}`,
    'Power overload                      : false',
    'Interlock                           : inactive',
    'Power fault                         : false',
    'Power control fault                 : false',
    'Power restore policy                : Restore',
    `Last Power Event                    : ${o.lastEvent}`,
    'Chassis intrusion                   : inactive',
    'Front panel lockout                 : inactive',
    'Drive Fault                         : false',
    'Cooling/fan fault                   : false',
    `Chassis Identify state              : ${o.identify}`,
    'Power off button                    : enabled',
    'Reset button                        : enabled',
    'Diagnostic Interrupt button         : enabled',
    'Standby button                      : enabled',
    'Power off button disable            : allowed',
    'Reset button disable                : allowed',
    'Diagnostic interrupt button disable : allowed',
    'Standby button disable              : allowed',
    '',
    '',
  ].join('\n');
}

const drivers: [string, string[]][] = [
  ['IPMI 1.5 (default driver)', []],
  ['IPMI 2.0', ['-D', 'LAN_2_0']],
];

for (const [name, driver] of drivers) {
  test(`ipmi-chassis --get-chassis-status and --get-system-restart-cause, ${name}`, async (t) => {
    if (!requirePeers(t, 'ipmi-chassis')) return;
    assert.equal(await ipmiChassis(driver, '--get-chassis-status'), status({ power: 'on', lastEvent: 'unknown', identify: 'off' }));
    assert.equal(
      await ipmiChassis(driver, '--get-system-restart-cause'),
      'Restart cause : Automatic power-up on AC being applied due to "restore previous power state" power restore policy\n',
    );
  });
}

test('ipmi-chassis and ipmitool agree after changes made by either', async (t) => {
  if (!requirePeers(t, 'ipmi-chassis', 'ipmitool')) return;
  const lan20 = ['-D', 'LAN_2_0'];
  await ipmitoolOk('power', 'off');
  await ipmitoolOk('power', 'on');
  await ipmitoolOk('chassis', 'identify', 'force');
  assert.equal(await ipmiChassis(lan20, '--get-chassis-status'), status({ power: 'on', lastEvent: 'power on via ipmi command', identify: 'Indefinite on' }));
  assert.equal(await ipmiChassis(lan20, '--chassis-control=HARD-RESET'), '');
  assert.equal(await ipmiChassis(lan20, '--get-system-restart-cause'), 'Restart cause : Chassis control command\n');
  assert.equal(await ipmitoolOk('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
  assert.equal(await ipmiChassis(lan20, '--chassis-identify=TURN-OFF'), '');
  assert.equal(await ipmitoolOk('raw', '0x00', '0x01'), ' 21 10 40 f0\n', 'identify off, as ipmitool sees it');
  assert.equal(await ipmiChassis(lan20, '--get-power-on-hours-counter'), 'Power on hours : 0 Hours 0 Minutes\n');
  assert.equal(await ipmitoolOk('chassis', 'poh'), 'POH Counter  : 0 days, 0 hours, 0 minutes\n');
});
