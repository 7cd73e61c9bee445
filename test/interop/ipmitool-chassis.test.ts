// Must-show (issue 3, #1): the real ipmitool 1.8.19 drives the chassis of `ipmi-sim serve`:
// chassis status, every power action, identify, bootdev + bootparam, restart cause, POH,
// restore policy; then a restart of serve on the same state dir shows what persisted.
// Outputs are compared byte for byte with what ipmitool prints.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { ipmitoolFor, waitFor } from '../helpers/ipmitool.js';

let bmc: ServeHandle | undefined;
const stateDir = mkdtempSync(join(tmpdir(), 'ipmi-sim-chassis-'));
const { ipmitool, ok, rawBytes } = ipmitoolFor(() => bmc!);

before(async () => {
  if (havePeer('ipmitool') || process.env.CI === 'true') bmc = await startServe(['--state-dir', stateDir]);
});
after(async () => {
  await bmc?.stop();
});

const lines = (...l: string[]) => l.join('\n') + '\n';

function chassisStatus(power: 'on' | 'off', policy: string, lastEvent: string): string {
  return lines(
    `System Power         : ${power}`,
    'Power Overload       : false',
    'Power Interlock      : inactive',
    'Main Power Fault     : false',
    'Power Control Fault  : false',
    `Power Restore Policy : ${policy}`,
    `Last Power Event     : ${lastEvent}`,
    'Chassis Intrusion    : inactive',
    'Front-Panel Lockout  : inactive',
    'Drive Fault          : false',
    'Cooling/Fan Fault    : false',
    'Sleep Button Disable : allowed',
    'Diag Button Disable  : allowed',
    'Reset Button Disable : allowed',
    'Power Button Disable : allowed',
    'Sleep Button Disabled: false',
    'Diag Button Disabled : false',
    'Reset Button Disabled: false',
    'Power Button Disabled: false',
  );
}

/** `chassis bootparam get N` output: the generic header, then the parameter's own lines. */
const bootParam = (n: number, data: string, ...detail: string[]) =>
  lines('Boot parameter version: 1', `Boot parameter ${n} is valid/unlocked`, `Boot parameter data: ${data}`, ...detail);

const powerIs = async (state: 'on' | 'off') => (await ok('power', 'status')) === `Chassis Power is ${state}\n`;

describe('ipmitool chassis and power against serve', () => {
  test('chassis status of a fresh BMC', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('chassis', 'status'), chassisStatus('on', 'previous', ''));
    assert.equal(await ok('chassis', 'restart_cause'), 'System restart cause: power-up due to restore-previous power policy\n');
  });

  test('power status|off|on|cycle|reset|diag|soft', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('power', 'status'), 'Chassis Power is on\n');
    assert.equal(await ok('power', 'off'), 'Chassis Power Control: Down/Off\n');
    assert.equal(await ok('power', 'status'), 'Chassis Power is off\n');
    const refused = await ipmitool('power', 'cycle');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'Set Chassis Power Control to Cycle failed: Command not supported in present state\n');
    assert.equal(await ok('power', 'on'), 'Chassis Power Control: Up/On\n');
    assert.equal(await ok('power', 'status'), 'Chassis Power is on\n');
    // Set Power Cycle Interval: 3 s, long enough to see the off half on a loaded machine.
    assert.deepEqual(await rawBytes('0x00', '0x0b', '0x03'), []);
    assert.equal(await ok('power', 'cycle'), 'Chassis Power Control: Cycle\n');
    assert.equal(await ok('power', 'status'), 'Chassis Power is off\n', 'off during the interval');
    await waitFor('power on after the cycle', () => powerIs('on'));
    assert.equal(await ok('power', 'reset'), 'Chassis Power Control: Reset\n');
    assert.equal(await ok('power', 'diag'), 'Chassis Power Control: Diag\n');
    assert.equal(await ok('power', 'soft'), 'Chassis Power Control: Soft\n');
    assert.equal(await ok('power', 'status'), 'Chassis Power is off\n', 'no OS: a soft off is an orderly off');
    assert.equal(await ok('chassis', 'power', 'on'), 'Chassis Power Control: Up/On\n');
    assert.equal(await ok('chassis', 'status'), chassisStatus('on', 'previous', 'command'));
    assert.equal(await ok('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
  });

  test('chassis identify 5 | force | 0 | default, reflected in Get Chassis Status', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const identifyState = async () => ((await rawBytes('0x00', '0x01'))[2]! >> 4) & 3;
    assert.equal(await ok('chassis', 'identify', '5'), 'Chassis identify interval: 5 seconds\n');
    assert.equal(await identifyState(), 1, 'timed on');
    assert.equal(await ok('chassis', 'identify', 'force'), 'Chassis identify interval: indefinite\n');
    assert.equal(await identifyState(), 2, 'indefinite on');
    assert.equal(await ok('chassis', 'identify', '0'), 'Chassis identify interval: off\n');
    assert.equal(await identifyState(), 0);
    assert.equal(await ok('chassis', 'identify'), 'Chassis identify interval: default (15 seconds)\n');
    assert.equal(await identifyState(), 1);
  });

  test('chassis bootdev pxe options=persistent,efiboot, then bootparam get 5', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('chassis', 'bootdev', 'pxe', 'options=persistent,efiboot'), 'Set Boot Device to pxe\n');
    assert.equal(
      await ok('chassis', 'bootparam', 'get', '5'),
      bootParam(
        5,
        'e004000000',
        ' Boot Flags :',
        '   - Boot Flag Valid',
        '   - Options apply to all future boots',
        '   - BIOS EFI boot ',
        '   - Boot Device Selector : Force PXE',
        '   - BIOS verbosity : System Default',
        '   - Console Redirection control : Console redirection occurs per BIOS configuration setting (default)',
        '   - BIOS Mux Control Override : BIOS uses recommended setting of the mux at the end of POST',
      ),
    );
    assert.equal(await ok('chassis', 'bootparam', 'get', '0'), bootParam(0, '00', ' Set In Progress : set complete'));
    assert.equal(
      await ok('chassis', 'bootparam', 'get', '4'),
      bootParam(4, '0001', ' Boot Info Acknowledge :', '    - BIOS/POST has handled boot info'),
    );
  });

  test('chassis bootparam set bootflag, and parameter 3 (valid-bit clearing)', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('chassis', 'bootparam', 'set', 'bootflag', 'force_disk'), 'Set Boot Device to force_disk\n');
    assert.match(await ok('chassis', 'bootparam', 'get', '5'), /^Boot parameter data: 8008000000\n[^]*   - Boot Device Selector : Force Boot from default Hard-Drive\n/m);
    assert.equal((await rawBytes('0x00', '0x08', '0x03', '0x0c')).length, 0);
    assert.equal(
      await ok('chassis', 'bootparam', 'get', '3'),
      bootParam(
        3,
        '0c',
        ' BMC boot flag valid bit clearing :',
        "     - Don't automatically clear boot flag valid bit on timeout",
        "     - Don't clear valid bit on reset/power cycle cause by watchdog",
      ),
    );
    assert.equal(await ok('chassis', 'bootdev', 'pxe', 'options=persistent,efiboot'), 'Set Boot Device to pxe\n');
  });

  test('chassis bootmbox set text / get text (parameter 7, blocks until 0xC9)', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('chassis', 'bootmbox', 'set', 'text', '7154', 'hello mailbox, this spans two blocks'), '');
    const out = await ok('chassis', 'bootmbox', 'get', 'text');
    assert.ok(
      out.startsWith(
        bootParam(
          7,
          '00f21b0068656c6c6f206d61696c626f78',
          ' IANA PEN       : 7154 [Intelligent Platform Management Interface forum]',
          " Block   0 Data : 'hello mailbox'",
          " Block   1 Data : ', this spans two'",
          " Block   2 Data : ' blocks'",
        ),
      ),
      out,
    );
    assert.match(out, /^ Block  15 Data : ''\n$/m, 'all 16 blocks, then the end of the mailbox');
  });

  test('chassis poh', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('chassis', 'poh'), 'POH Counter  : 0 days, 0 hours, 0 minutes\n');
  });

  test('chassis policy list | always-on', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('chassis', 'policy', 'list'), 'Supported chassis power policy:  always-off always-on previous\n');
    assert.equal(await ok('chassis', 'policy', 'always-on'), 'Set chassis power restore policy to always-on\n');
    assert.equal(await ok('chassis', 'status'), chassisStatus('on', 'always-on', 'command'));
  });

  test('restart of serve on the same state dir: policy, AC failure, restart cause, boot flags', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok('power', 'off'), 'Chassis Power Control: Down/Off\n');
    await bmc!.stop();
    bmc = await startServe(['--state-dir', stateDir]);
    // always-on powers the host up although it was off; the BMC's restart was an AC loss.
    assert.equal(await ok('chassis', 'status'), chassisStatus('on', 'always-on', 'ac-failed '));
    assert.equal(await ok('chassis', 'restart_cause'), 'System restart cause: power-up due to always-restore power policy\n');
    assert.match(await ok('chassis', 'bootparam', 'get', '5'), /^Boot parameter data: e004000000$/m, 'persistent flags survive');
    assert.equal(await ok('chassis', 'policy', 'previous'), 'Set chassis power restore policy to previous\n');
  });
});
