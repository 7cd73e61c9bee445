// Issue 13, must-show 2: DMTF's redfishtool (Debian) against `serve --redfish`: Systems,
// Systems reset (a graceful restart, which redfishtool follows through the task monitor),
// Chassis Thermal, Managers, AccountService Accounts list and adduser — after which the new
// user logs in over IPMI with the real ipmitool.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { ipmitoolFor } from '../helpers/ipmitool.js';
import { run } from '../helpers/run.js';
import { redfishtool, startRedfishServe, type RedfishServe } from '../helpers/redfish.js';

let bmc: RedfishServe | undefined;
const lan = ipmitoolFor(() => bmc!);
const ADMIN: [string, string] = ['admin', 'password'];

async function rft(...args: string[]): Promise<any> {
  const r = await redfishtool(bmc!, ADMIN, ...args);
  assert.equal(r.code, 0, `redfishtool ${args.join(' ')}:\n${r.stdout}\n${r.stderr}\n--- serve log ---\n${bmc!.logs().slice(-2000)}`);
  return r.stdout.trim() === '' ? undefined : JSON.parse(r.stdout);
}

describe('redfishtool against serve --redfish', () => {
  before(async () => {
    if ((havePeer('redfishtool') && havePeer('ipmitool')) || process.env.CI === 'true') bmc = await startRedfishServe();
  });
  after(async () => {
    await bmc?.stop();
  });

  test('Systems: the one system, on', async (t) => {
    if (!requirePeers(t, 'redfishtool', 'ipmitool')) return;
    const s = await rft('Systems', '-1');
    assert.equal(s['@odata.id'], '/redfish/v1/Systems/system');
    assert.equal(s.PowerState, 'On');
    assert.equal(s.Manufacturer, 'ipmi-sim');
    assert.equal(s.SerialNumber, 'SIM0000001');
  });

  test('Systems reset ForceOff, On and GracefulRestart (a task) act on the chassis ipmitool sees', async (t) => {
    if (!requirePeers(t, 'redfishtool', 'ipmitool')) return;
    await rft('Systems', '-1', 'reset', 'ForceOff');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is off\n');
    await rft('Systems', '-1', 'reset', 'On');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is on\n');
    // 202 + task monitor: redfishtool polls it until the restart is done.
    await rft('Systems', '-1', 'reset', 'GracefulRestart');
    assert.equal(await lan.ok('power', 'status'), 'Chassis Power is on\n');
    assert.match(bmc!.logs(), /system powered off cause=guest[\s\S]*system powered on cause=command/);
    const tasks = await rft('raw', 'GET', '/redfish/v1/TaskService/Tasks/1');
    assert.equal(tasks.TaskState, 'Completed');
    assert.equal(tasks.Name, 'Graceful restart');
  });

  test('Chassis Thermal: the temperature and fan sensors, with the readings ipmitool shows', async (t) => {
    if (!requirePeers(t, 'redfishtool', 'ipmitool')) return;
    const th = await rft('Chassis', '-1', 'Thermal');
    const cpu = th.Temperatures.find((x: any) => x.Name === 'CPU1 Temp');
    assert.ok(cpu, JSON.stringify(th.Temperatures));
    const sensor = await lan.ok('sensor', 'get', 'CPU1 Temp');
    const reading = Number(/Sensor Reading\s+: ([\d.]+)/.exec(sensor)![1]);
    assert.equal(cpu.ReadingCelsius, reading);
    assert.equal(cpu.UpperThresholdCritical, 90);
    assert.equal(cpu.PhysicalContext, 'CPU');
    assert.deepEqual(cpu.Status, { State: 'Enabled', Health: 'OK' });
    assert.deepEqual(th.Fans.map((f: any) => f.Name), ['FAN1', 'FAN2', 'FAN3']);
    assert.equal(th.Fans[0].ReadingUnits, 'RPM');
    assert.equal(th.Fans[0].Reading, 5400);
  });

  test('Managers: the BMC and its network protocols (IPMI enabled on the LAN port)', async (t) => {
    if (!requirePeers(t, 'redfishtool', 'ipmitool')) return;
    const m = await rft('Managers', '-1');
    assert.equal(m.ManagerType, 'BMC');
    assert.equal(m.FirmwareVersion, '2.10');
    const np = await rft('Managers', '-1', 'NetworkProtocol');
    assert.deepEqual(np.IPMI, { ProtocolEnabled: true, Port: bmc!.port });
    assert.deepEqual(np.HTTPS, { ProtocolEnabled: true, Port: bmc!.redfishPort });
  });

  test('AccountService: Accounts list are the IPMI users; adduser makes a user who logs in over IPMI', async (t) => {
    if (!requirePeers(t, 'redfishtool', 'ipmitool')) return;
    const list = await rft('AccountService', 'Accounts', 'list');
    assert.deepEqual(
      list.Members.map((m: any) => m.UserName),
      ['admin', 'operator', 'user'],
    );
    await rft('AccountService', 'adduser', 'newop', 'Secret-42', 'Operator');
    const users = await lan.ok('user', 'list', '1');
    assert.match(users, /^5\s+newop\s+true\s+false\s+true\s+OPERATOR$/m, users);
    // The new user's own IPMI session: lanplus, cipher suite 17, operator privilege.
    const r = await run('ipmitool', ['-I', 'lanplus', '-C', '17', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', 'newop', '-P', 'Secret-42', '-L', 'OPERATOR', 'power', 'status'], { timeoutMs: 30_000 });
    assert.equal(r.stdout, 'Chassis Power is on\n', r.stderr);
    // ... and over Redfish, with the Operator role.
    const mine = await redfishtool(bmc!, ['newop', 'Secret-42'], 'Systems', '-1');
    assert.equal(mine.code, 0, mine.stderr);
    const wrong = await run('ipmitool', ['-I', 'lanplus', '-C', '17', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', 'newop', '-P', 'wrong', '-L', 'OPERATOR', 'power', 'status'], { timeoutMs: 30_000 });
    assert.notEqual(wrong.code, 0, 'a wrong password is refused over IPMI too');
  });
});
