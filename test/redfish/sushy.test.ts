// Issue 13, must-show 1: python3-sushy (Ironic's Redfish library, Debian) against `serve
// --redfish`: it connects with a Redfish session over HTTPS (verifying serve's self-signed
// certificate), gets the system, powers it off/on, resets it, sets the boot source override
// and reads the SEL log service; after each change the real ipmitool sees the same state at
// once, and changes made with ipmitool are what sushy reads next.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { ipmitoolFor } from '../helpers/ipmitool.js';
import { PYTHON, python, startRedfishServe, type RedfishServe } from '../helpers/redfish.js';

// One sushy session per call: connect (SessionAuth only, so a broken session service fails
// instead of falling back to Basic), act, read the system back, log out.
const SCRIPT = String.raw`
import json, sys
import sushy
from sushy import auth as sushy_auth
from sushy.resources import base

url, user, password, ca, action = sys.argv[1:6]

class LogEntry(base.ResourceBase):
    identity = base.Field('Id', required=True)
    entry_type = base.Field('EntryType')
    message = base.Field('Message')
    sensor_type = base.Field('SensorType')
    sensor_number = base.Field('SensorNumber')
    entry_code = base.Field('EntryCode')
    severity = base.Field('Severity')

class LogEntryCollection(base.ResourceCollectionBase):
    @property
    def _resource_type(self):
        return LogEntry

class LogService(base.ResourceBase):
    identity = base.Field('Id', required=True)
    log_entry_type = base.Field('LogEntryType')
    max_records = base.Field('MaxNumberOfRecords')
    entries_path = base.Field(['Entries', '@odata.id'], required=True)

class LogServiceCollection(base.ResourceCollectionBase):
    @property
    def _resource_type(self):
        return LogService

auth = sushy_auth.SessionAuth(username=user, password=password)
root = sushy.Sushy(url, auth=auth, verify=ca)
system = root.get_system()
out = {'system': system.identity, 'session': auth.get_session_resource_id() is not None}
if action == 'off':
    system.reset_system(sushy.RESET_FORCE_OFF)
elif action == 'on':
    system.reset_system(sushy.RESET_ON)
elif action == 'restart':
    system.reset_system(sushy.RESET_FORCE_RESTART)
elif action == 'boot-pxe-uefi':
    system.set_system_boot_options(target=sushy.BOOT_SOURCE_TARGET_PXE, enabled=sushy.BOOT_SOURCE_ENABLED_ONCE, mode=sushy.BOOT_SOURCE_MODE_UEFI)
elif action == 'sel':
    services = LogServiceCollection(root._conn, system.json['LogServices']['@odata.id'], redfish_version=root.redfish_version, root=root)
    sel = [s for s in services.get_members() if s.log_entry_type == 'SEL'][0]
    entries = LogEntryCollection(root._conn, sel.entries_path, redfish_version=root.redfish_version, root=root).get_members()
    out['sel'] = {'id': sel.identity, 'max': sel.max_records, 'entries': [
        {'id': e.identity, 'type': e.entry_type, 'message': e.message, 'sensorType': e.sensor_type,
         'sensorNumber': e.sensor_number, 'code': e.entry_code, 'severity': e.severity} for e in entries]}
system.refresh()
out['power'] = system.power_state.value
out['boot'] = {'target': system.boot.target.value if system.boot.target else None,
               'enabled': system.boot.enabled.value if system.boot.enabled else None,
               'mode': system.boot.mode.value if system.boot.mode else None}
out['resets'] = sorted(v.value for v in system.get_allowed_reset_system_values())
out['manager'] = root.get_manager().identity
out['chassis'] = root.get_chassis().identity
auth.close()
print(json.dumps(out))
`;

let bmc: RedfishServe | undefined;
const lan = ipmitoolFor(() => bmc!);

async function sushy(action: string): Promise<any> {
  const r = await python(SCRIPT, [bmc!.baseUrl, 'admin', 'password', bmc!.caFile, action], bmc!.caFile);
  assert.equal(r.code, 0, `sushy ${action} failed:\n${r.stderr}\n--- serve log ---\n${bmc!.logs().slice(-3000)}`);
  return JSON.parse(r.stdout);
}

describe('python3-sushy against serve --redfish, checked with ipmitool', () => {
  before(async () => {
    if ((havePeer(PYTHON) && havePeer('ipmitool')) || process.env.CI === 'true') bmc = await startRedfishServe();
  });
  after(async () => {
    await bmc?.stop();
  });

  test('connect with a session over verified HTTPS; get_system', async (t) => {
    if (!requirePeers(t, PYTHON, 'ipmitool') || !(await haveSushy(t))) return;
    const s = await sushy('state');
    assert.equal(s.system, 'system');
    assert.equal(s.session, true, 'sushy got a session (X-Auth-Token and Location)');
    assert.equal(s.power, 'On');
    assert.deepEqual(s.resets, ['ForceOff', 'ForceRestart', 'GracefulRestart', 'GracefulShutdown', 'Nmi', 'On', 'PowerCycle']);
    assert.equal(s.manager, 'bmc');
    assert.equal(s.chassis, 'chassis');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is on\n');
    // sushy logged out: no Redfish session is left.
    assert.match(bmc!.logs(), /Redfish session closed session=1 user=admin reason=logout/);
  });

  test('power off / on over Redfish: ipmitool sees each at once', async (t) => {
    if (!requirePeers(t, PYTHON, 'ipmitool') || !(await haveSushy(t))) return;
    assert.equal((await sushy('off')).power, 'Off');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is off\n');
    assert.equal((await sushy('on')).power, 'On');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is on\n');
    assert.equal(await lan.ok('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
  });

  test('ForceRestart is a Chassis Control hard reset', async (t) => {
    if (!requirePeers(t, PYTHON, 'ipmitool') || !(await haveSushy(t))) return;
    assert.equal(await lan.ok('power', 'off'), 'Chassis Power Control: Down/Off\n');
    assert.equal((await sushy('state')).power, 'Off', 'sushy sees the power-off made with ipmitool');
    await lan.ok('power', 'on');
    assert.equal((await sushy('restart')).power, 'On');
    assert.equal(await lan.ok('chassis', 'restart_cause'), 'System restart cause: chassis power control command\n');
    assert.match(bmc!.logs(), /Redfish reset type=ForceRestart user=admin/);
  });

  test('boot source override Pxe/Once/UEFI is boot options parameter 5; ipmitool bootdev is read back', async (t) => {
    if (!requirePeers(t, PYTHON, 'ipmitool') || !(await haveSushy(t))) return;
    const s = await sushy('boot-pxe-uefi');
    assert.deepEqual(s.boot, { target: 'Pxe', enabled: 'Once', mode: 'UEFI' });
    const p5 = await lan.ok('chassis', 'bootparam', 'get', '5');
    assert.match(p5, /Boot parameter data: a004000000\n/);
    assert.match(p5, /- Boot Flag Valid\n/);
    assert.match(p5, /- Options apply to only next boot\n/);
    assert.match(p5, /- BIOS EFI boot \n/);
    assert.match(p5, /- Boot Device Selector : Force PXE\n/);
    assert.equal(await lan.ok('chassis', 'bootdev', 'disk', 'options=persistent'), 'Set Boot Device to disk\n');
    assert.deepEqual((await sushy('state')).boot, { target: 'Hdd', enabled: 'Continuous', mode: 'Legacy' });
  });

  test('the SEL log service lists an entry added with ipmitool sel add', async (t) => {
    if (!requirePeers(t, PYTHON, 'ipmitool') || !(await haveSushy(t))) return;
    const before = (await sushy('sel')).sel.entries.length;
    // EvM rev, sensor type 05 Physical Security, sensor 0x33, sensor-specific, offset 0 (intrusion).
    const file = join(bmc!.stateDir, 'sel-add.txt');
    writeFileSync(file, '0x04 0x05 0x33 0x6f 0x00 0xff 0xff\n');
    await lan.ok('sel', 'add', file);
    const s = (await sushy('sel')).sel;
    assert.equal(s.id, 'SEL');
    assert.equal(s.max, 512);
    assert.equal(s.entries.length, before + 1);
    const info = await lan.ok('sel', 'info');
    assert.match(info, new RegExp(`^Entries\\s+: ${s.entries.length}$`, 'm'), 'the same number of entries as ipmitool sel info');
    const e = s.entries.at(-1);
    assert.deepEqual(
      { type: e.type, sensorType: e.sensorType, sensorNumber: e.sensorNumber, code: e.code, severity: e.severity },
      { type: 'SEL', sensorType: 'Physical Chassis Security', sensorNumber: 0x33, code: 'Assert', severity: 'OK' },
    );
    // The message is ipmitool's sel list text for the record.
    const line = (await lan.ok('sel', 'list')).trim().split('\n').at(-1)!;
    assert.equal(e.message, line.split(' | ').slice(3).join(' | '), `sel list line: ${line}`);
  });
});

let sushyChecked: boolean | undefined;
/** The Debian package python3-sushy (a missing module is a missing peer). */
async function haveSushy(t: import('node:test').TestContext): Promise<boolean> {
  if (sushyChecked === undefined) sushyChecked = (await python('import sushy', [], bmc?.caFile ?? '')).code === 0;
  if (sushyChecked) return true;
  const msg = 'python3-sushy not installed (run scripts/install-peers.sh)';
  if (process.env.CI === 'true') throw new Error(`${msg}; CI=true forbids skipping`);
  process.stderr.write(`\n*** SKIPPING: ${msg} ***\n`);
  t.skip(msg);
  return false;
}
