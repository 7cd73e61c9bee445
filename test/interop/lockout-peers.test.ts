// Bad password lockout with the real clients against `ipmi-sim serve`: ipmitool reads and sets
// LAN parameter 26 (`lan print`, `lan set bad_pass_thresh`), its wrong-password attempts (RAKP 2
// HMAC invalid, no RAKP 3) lock the user out once the abandoned handshakes are reaped, the right
// password is then refused for ipmitool and FreeIPMI alike until the lockout interval has passed,
// and the lockout is in the SEL as a Session Audit event.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';

let bmc: ServeHandle | undefined;
const wanted = (havePeer('ipmitool') && havePeer('ipmi-sensors')) || process.env.CI === 'true';

before(async () => {
  if (wanted) bmc = await startServe([]);
});
after(async () => {
  await bmc?.stop();
});

function ipmitool(password: string, args: string[]) {
  return run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', 'admin', '-P', password, '-R', '1', ...args], {
    timeoutMs: 30_000,
    env: { TZ: 'UTC', LC_ALL: 'C' },
  });
}

function freeipmi(password: string) {
  return run('ipmi-sensors', ['-h', `127.0.0.1:${bmc!.port}`, '-u', 'admin', '-p', password, '-D', 'lan_2_0', '-l', 'admin'], { timeoutMs: 30_000 });
}

test('ipmitool and FreeIPMI: the lockout after bad passwords, its end, and its SEL event', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'ipmi-sensors')) return;
  const lan = await ipmitool('password', ['lan', 'print', '1']);
  assert.equal(lan.code, 0, lan.stderr);
  assert.match(lan.stdout, /Bad Password Threshold {2}: 5\nInvalid password disable: yes\nAttempt Count Reset Int.: 300\nUser Lockout Interval {3}: 60\n$/);

  // A short lockout so the test can see it end.
  const set = await ipmitool('password', ['lan', 'set', '1', 'bad_pass_thresh', '3', '1', '0', '1']);
  assert.equal(set.code, 0, set.stderr);
  const after = await ipmitool('password', ['lan', 'print', '1']);
  assert.match(after.stdout, /Bad Password Threshold {2}: 3\nInvalid password disable: yes\nAttempt Count Reset Int.: 0\nUser Lockout Interval {3}: 10\n$/);

  for (let i = 0; i < 3; i++) {
    const bad = await ipmitool('wrong', ['chassis', 'power', 'status']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Unable to establish IPMI v2 \/ RMCP\+ session/);
  }
  // The half-open sessions are reaped 10 s after RAKP 2 (the server sweeps every 5 s).
  let locked = false;
  for (let waited = 0; waited < 25_000 && !locked; waited += 1_000) {
    await sleep(1_000);
    locked = /user locked out after bad passwords/.test(bmc!.logs());
  }
  assert.ok(locked, `lockout logged:\n${bmc!.logs()}`);
  const refused = await ipmitool('password', ['chassis', 'power', 'status']);
  assert.notEqual(refused.code, 0, 'the right password is refused while locked');
  assert.match(refused.stderr, /Unable to establish IPMI v2 \/ RMCP\+ session/);
  assert.match(bmc!.logs(), /authentication rejected reason="user locked out after bad passwords" user=admin/);
  const refusedFreeipmi = await freeipmi('password');
  assert.notEqual(refusedFreeipmi.code, 0);
  assert.match(refusedFreeipmi.stderr + refusedFreeipmi.stdout, /^ipmi-sensors: username invalid$/m);

  let back = false;
  for (let waited = 0; waited < 20_000 && !back; waited += 1_000) {
    await sleep(1_000);
    back = (await ipmitool('password', ['chassis', 'power', 'status'])).code === 0;
  }
  assert.ok(back, 'the lockout ends after its interval');
  assert.equal((await freeipmi('password')).code, 0);
  const sel = await ipmitool('password', ['sel', 'list']);
  assert.equal(sel.code, 0, sel.stderr);
  assert.match(sel.stdout, /^ {3}1 \| .* \| Session Audit #0xff \| .*\| Asserted$/m);
});
