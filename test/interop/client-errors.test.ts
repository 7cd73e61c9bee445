// Must-show (issue 5A, #4): each failure class has its own message and exit status — wrong
// password 77, no answer 69, cipher suite 77, insufficient privilege 77, a completion code 1
// with ipmitool's text — in text and in --json.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { requirePeers } from '../helpers/peers.js';

let bmc: ServeHandle;
before(async () => {
  bmc = await startServe();
});
after(async () => {
  await bmc.stop();
});

const at = () => ['-H', '127.0.0.1', '-p', String(bmc.port)];
const ours = (args: string[]) => cli([...at(), '-U', 'admin', ...args]);
const jsonError = (stderr: string) => (JSON.parse(stderr) as { error: { code: string; message: string; completionCode?: number } }).error;

describe('error classes and exit codes', () => {
  test('wrong password: authentication failed, exit 77', async () => {
    const r = await ours(['-P', 'wrong', 'power', 'status']);
    assert.equal(r.code, 77);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Error: Unable to establish IPMI v2 / RMCP+ session: password invalid (RAKP 2 HMAC check failed)\n');
    const v15 = await ours(['-I', 'lan', '-P', 'wrong', '-N', '0.3', '-R', '1', 'power', 'status']);
    assert.equal(v15.code, 77, v15.stderr);
    assert.match(v15.stderr, /^Error: Unable to establish IPMI v1\.5 \/ RMCP session: password verification timeout/);
    const j = await ours(['--json', '-P', 'wrong', 'power', 'status']);
    assert.equal(j.code, 77);
    assert.equal(jsonError(j.stderr).code, 'AUTHENTICATION_FAILED');
  });

  test('unknown user: exit 77 with its own message', async () => {
    const r = await cli([...at(), '-U', 'mallory', '-P', 'x', 'power', 'status']);
    assert.equal(r.code, 77);
    assert.match(r.stderr, /username invalid: unauthorized name/);
  });

  test('no answer (a port nobody listens on): timeout, exit 69, within -N x -R', async () => {
    const r = await cli(['-H', '127.0.0.1', '-p', '9', '-U', 'admin', '-P', 'x', '-N', '0.2', '-R', '2', 'chassis', 'status']);
    assert.equal(r.code, 69);
    assert.equal(r.stderr, 'Error: no response from 127.0.0.1:9 (Get Channel Authentication Capabilities timed out)\n');
    assert.ok(r.ms < 3000, `took ${r.ms} ms`);
    const j = await cli(['--json', '-H', '127.0.0.1', '-p', '9', '-U', 'admin', '-P', 'x', '-N', '0.2', '-R', '1', 'chassis', 'status']);
    assert.equal(j.code, 69);
    assert.equal(jsonError(j.stderr).code, 'TIMEOUT');
  });

  test('cipher suite the BMC does not offer, or the client cannot do: exit 77', async () => {
    const off = await ours(['-P', 'password', '-C', '0', 'power', 'status']);
    assert.equal(off.code, 77);
    assert.equal(off.stderr, 'Error: Unable to establish IPMI v2 / RMCP+ session: cipher suite 0 unavailable: invalid authentication algorithm\n');
    const rc4 = await ours(['-P', 'password', '-C', '4', 'power', 'status']);
    assert.equal(rc4.code, 77);
    assert.equal(rc4.stderr, 'Error: Unable to establish IPMI v2 / RMCP+ session: cipher suite 4 is not supported by this client (supported: 0-3, 6-8, 11, 12, 15-17)\n');
    const j = await ours(['--json', '-P', 'password', '-C', '0', 'power', 'status']);
    assert.equal(jsonError(j.stderr).code, 'CIPHER_SUITE_UNAVAILABLE');
  });

  test('insufficient privilege: -L USER, then power off is refused with 0xD4, exit 77', async () => {
    const r = await ours(['-P', 'password', '-L', 'USER', 'power', 'off']);
    assert.equal(r.code, 77);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Set Chassis Power Control to Down/Off failed: Insufficient privilege level\n');
    const j = await ours(['--json', '-P', 'password', '-L', 'USER', 'power', 'off']);
    assert.deepEqual(jsonError(j.stderr), { code: 'COMPLETION_CODE', message: 'Set Chassis Power Control to Down/Off failed: Insufficient privilege level', completionCode: 0xd4 });
    assert.equal((await ours(['-P', 'password', 'power', 'status'])).stdout, 'Chassis Power is on\n', 'still on');
    const ok = await ours(['-P', 'password', '-L', 'USER', 'power', 'status']);
    assert.equal(ok.code, 0, 'USER may read');
  });

  test('a completion code: exit 1 and the line ipmitool prints', async (t) => {
    const cases: [string[], string][] = [
      [['chassis', 'bootparam', 'get', '99'], 'Get Chassis Boot Parameter 99 failed: Unsupported parameter\n'],
      [['raw', '0x06', '0x99'], 'Unable to send RAW command (channel=0x0 netfn=0x6 lun=0x0 cmd=0x99 rsp=0xc1): Invalid command\n'],
      [['session', 'info', 'id', '0x1234'], 'Get Session Info command failed: Invalid data field in request\n'],
    ];
    for (const [args, text] of cases) {
      const r = await ours(['-P', 'password', ...args]);
      assert.equal(r.code, 1, args.join(' '));
      assert.equal(r.stderr, text);
    }
    if (!requirePeers(t, 'ipmitool')) return;
    for (const [args, text] of cases) {
      const it = await run('ipmitool', ['-I', 'lanplus', ...at(), '-U', 'admin', '-P', 'password', ...args]);
      assert.equal(it.stderr, text, `ipmitool ${args.join(' ')}`);
      assert.equal(it.code, 1);
    }
  });

  test('usage errors exit 64; an unknown command suggests the closest one', async () => {
    const r = await ours(['-P', 'password', 'pwer', 'status']);
    assert.equal(r.code, 64);
    assert.equal(r.stderr, "error: unknown command 'pwer'\n(Did you mean power?)\n");
    const sub = await ours(['-P', 'password', 'chassis', 'statu']);
    assert.equal(sub.code, 64);
    assert.match(sub.stderr, /\(Did you mean status\?\)/);
    const bad = await ours(['-P', 'password', 'chassis', 'bootdev', 'usb']);
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /value 'usb' is invalid for argument 'device'\. Allowed choices are none, pxe, disk/);
  });
});
