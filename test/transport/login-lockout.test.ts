// Bad password lockout (LAN parameter 26) through the LAN channel, in-process under a manual
// clock: the count, the lockout in both wrappers, its end, the reset interval, a success
// breaking the sequence, "disabled until re-enabled", the Session Audit event, and other users
// unaffected.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LanParam } from '../../src/ipmi/commands/transport.js';
import { AuthType } from '../../src/protocol/crypto.js';
import { RmcpPlusStatus } from '../../src/protocol/rakp.js';
import { SESSION_AUDIT_SENSOR } from '../../src/bmc/login-guard.js';
import { Harness, PlusPeer, V15Peer } from '../helpers/lan-harness.js';

function badRakp(h: Harness, username = 'admin'): void {
  const p = new PlusPeer(h, { suite: 3, password: 'wrong', username });
  assert.equal(p.openSession().status, 0);
  assert.equal(p.rakp1().status, 0);
  assert.equal(p.rakp3()?.status, RmcpPlusStatus.InvalidIntegrityCheckValue);
}

function goodRakp(h: Harness, username = 'admin', password?: string, privilege = 4): number {
  const p = new PlusPeer(h, { suite: 3, username, privilege, ...(password ? { password } : {}) });
  assert.equal(p.openSession().status, 0);
  const status = p.rakp1().status;
  if (status !== 0) return status;
  return p.rakp3()!.status;
}

test('the default policy: 5 bad passwords in a row lock the user out for 60 s, then the right one works', () => {
  const h = new Harness();
  assert.deepEqual(h.bmc.lanParams.get(LanParam.BadPasswordThreshold), Uint8Array.of(1, 5, 30, 0, 6, 0));
  for (let i = 0; i < 4; i++) badRakp(h);
  assert.equal(goodRakp(h), 0, 'four failures do not lock');
  for (let i = 0; i < 5; i++) badRakp(h);
  assert.equal(goodRakp(h), RmcpPlusStatus.UnauthorizedName, 'locked: RAKP 2 says unauthorized name');
  assert.equal(goodRakp(h, 'oper', 'operpass', 3), 0, 'other users are unaffected');
  assert.match(h.logText(), /user locked out after bad passwords","fields":\{"user":"admin","failures":5,"lockout":"60 s"/);
  h.clock.advance(59_000);
  assert.equal(goodRakp(h), RmcpPlusStatus.UnauthorizedName);
  h.clock.advance(1_000);
  assert.equal(goodRakp(h), 0, 'the lockout ends');
  assert.ok(h.bmc.loginGuard.refused >= 2);
  h.assertAccounted();
});

test('the lockout logs a Session Audit "invalid password disable" event with the user and channel', () => {
  const h = new Harness();
  for (let i = 0; i < 5; i++) badRakp(h);
  const records = h.bmc.sel.entries;
  assert.equal(records.length, 1);
  const r = records[0]!.record;
  assert.deepEqual([...r.subarray(10, 16)], [0x2a, SESSION_AUDIT_SENSOR, 0x6f, 0xf3, 2, h.bmc.config.lan.channel]);
});

test('v1.5 logins count and are refused too: Get Session Challenge answers 0x81 while locked', () => {
  const h = new Harness();
  for (let i = 0; i < 5; i++) {
    const p = new V15Peer(h, { authType: AuthType.Md5, password: 'wrong' });
    assert.equal(p.getChallenge().cc, 0);
    assert.equal(p.activate(), undefined);
  }
  const right = new V15Peer(h, { authType: AuthType.Md5 });
  assert.equal(right.getChallenge().cc, 0x81);
  assert.equal(goodRakp(h), RmcpPlusStatus.UnauthorizedName, 'one count for both wrappers');
  h.clock.advance(60_000);
  assert.equal(new V15Peer(h, { authType: AuthType.Md5 }).getChallenge().cc, 0);
});

test('a success breaks the sequence; the attempt count resets after its interval', () => {
  const h = new Harness();
  for (let i = 0; i < 4; i++) badRakp(h);
  assert.equal(goodRakp(h), 0);
  for (let i = 0; i < 4; i++) badRakp(h);
  assert.equal(goodRakp(h), 0, 'the count started again');
  for (let i = 0; i < 4; i++) badRakp(h);
  h.clock.advance(300_000);
  badRakp(h);
  assert.equal(goodRakp(h), 0, '4 + 1 after the reset interval is 1');
});

test('a handshake under way when the user is locked out does not complete', () => {
  const h = new Harness();
  const inFlight = new PlusPeer(h, { suite: 3 });
  inFlight.openSession();
  assert.equal(inFlight.rakp1().status, 0);
  for (let i = 0; i < 5; i++) badRakp(h);
  assert.equal(inFlight.rakp3()?.status, RmcpPlusStatus.UnauthorizedName);
  assert.equal(h.bmc.sessions.activeCount, 0);
});

test('lockout interval 0: the user is disabled until re-enabled; threshold 0 turns the lockout off', () => {
  const h = new Harness((c) => {
    c.lanParams.userLockout = 0;
    c.lanParams.badPasswordThreshold = 3;
  });
  for (let i = 0; i < 3; i++) badRakp(h);
  assert.equal(h.bmc.users.get(2)!.enabled, false, 'disabled as `user disable` does');
  h.clock.advance(3_600_000);
  assert.equal(goodRakp(h), RmcpPlusStatus.UnauthorizedName);
  h.bmc.users.setEnabled(2, true);
  assert.equal(goodRakp(h), 0);

  const off = new Harness((c) => (c.lanParams.badPasswordThreshold = 0));
  for (let i = 0; i < 20; i++) badRakp(off);
  assert.equal(goodRakp(off), 0);
  assert.equal(off.bmc.sel.entries.length, 0);
});

test('Set LAN Configuration Parameters 26 changes the policy at once; reserved bits are refused', () => {
  const h = new Harness();
  assert.equal(h.bmc.lanParams.set(LanParam.BadPasswordThreshold, Uint8Array.of(0, 2, 0, 0, 1, 0)), undefined);
  badRakp(h);
  badRakp(h);
  assert.equal(goodRakp(h), RmcpPlusStatus.UnauthorizedName);
  h.clock.advance(10_000);
  assert.equal(goodRakp(h), 0);
  assert.equal(h.bmc.sel.entries.length, 0, 'event generation off');
  assert.deepEqual(h.bmc.lanParams.set(LanParam.BadPasswordThreshold, Uint8Array.of(2, 2, 0, 0, 1, 0)), { cc: 0xcc });
  assert.deepEqual(h.bmc.lanParams.set(LanParam.BadPasswordThreshold, Uint8Array.of(0, 2)), { cc: 0xc7 });
});

test('a handshake abandoned after RAKP 2 (what ipmitool and FreeIPMI do on a bad HMAC) counts when it is reaped', () => {
  const h = new Harness();
  for (let i = 0; i < 5; i++) {
    const p = new PlusPeer(h, { suite: 3, password: 'wrong' });
    p.openSession();
    assert.equal(p.rakp1().status, 0);
    assert.equal(p.rakp2Valid(), false);
  }
  assert.equal(goodRakp(h), 0, 'not yet: the handshakes may still complete');
  h.clock.advance(10_001);
  h.bmc.sessions.reap();
  assert.equal(goodRakp(h), RmcpPlusStatus.UnauthorizedName);
});
