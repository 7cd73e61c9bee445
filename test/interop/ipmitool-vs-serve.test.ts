// Must-show (issue 2, #1): the real ipmitool 1.8.19 accepts `ipmi-sim serve` as a BMC over
// RMCP+ (-C 3, -C 17, no -C) and IPMI v1.5 (MD5, straight password).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';

let bmc: ServeHandle | undefined;

before(async () => {
  if (havePeer('ipmitool') || process.env.CI === 'true') bmc = await startServe();
});
after(async () => {
  await bmc?.stop();
});

function ipmitool(args: string[], creds: { user?: string; password?: string } = {}) {
  return run('ipmitool', ['-H', '127.0.0.1', '-p', String(bmc!.port), '-U', creds.user ?? 'admin', '-P', creds.password ?? 'password', ...args], { timeoutMs: 30_000 });
}

const variants: { name: string; args: string[]; sessionType: string }[] = [
  { name: 'lanplus -C 3', args: ['-I', 'lanplus', '-C', '3'], sessionType: 'IPMIv2/RMCP+' },
  { name: 'lanplus -C 17', args: ['-I', 'lanplus', '-C', '17'], sessionType: 'IPMIv2/RMCP+' },
  { name: 'lanplus without -C', args: ['-I', 'lanplus'], sessionType: 'IPMIv2/RMCP+' },
  { name: 'lan -A MD5', args: ['-I', 'lan', '-A', 'MD5'], sessionType: 'IPMIv1.5' },
  { name: 'lan -A PASSWORD', args: ['-I', 'lan', '-A', 'PASSWORD'], sessionType: 'IPMIv1.5' },
];

for (const v of variants) {
  describe(`ipmitool ${v.name}`, () => {
    test('mc info', async (t) => {
      if (!requirePeers(t, 'ipmitool')) return;
      const r = await ipmitool([...v.args, 'mc', 'info']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^Device ID {17}: \d+$/m);
      assert.match(r.stdout, /^IPMI Version {14}: 2\.0$/m);
      assert.match(r.stdout, /^Additional Device Support :\n {4}Sensor Device$/m);
      // Without -C, ipmitool first asks for the cipher suites: no error line, no 10 s stall.
      assert.doesNotMatch(r.stderr, /Unable to Get Channel Cipher Suites/);
      assert.ok(r.ms < 5000, `took ${r.ms} ms`);
    });
    test('mc guid', async (t) => {
      if (!requirePeers(t, 'ipmitool')) return;
      const r = await ipmitool([...v.args, 'mc', 'guid']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^System GUID {3}: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m);
      assert.match(r.stdout, /^GUID Encoding : IPMI$/m);
    });
    test('raw 0x06 0x01', async (t) => {
      if (!requirePeers(t, 'ipmitool')) return;
      const r = await ipmitool([...v.args, 'raw', '0x06', '0x01']);
      assert.equal(r.code, 0, r.stderr);
      // Get Device ID: at least 11 data bytes, IPMI version 2.0 in byte 5.
      const bytes = r.stdout.trim().split(/\s+/).map((b) => parseInt(b, 16));
      assert.ok(bytes.length >= 11, r.stdout);
      assert.equal(bytes[4], 0x02);
    });
    test('session info active', async (t) => {
      if (!requirePeers(t, 'ipmitool')) return;
      const r = await ipmitool([...v.args, 'session', 'info', 'active']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^privilege level {15}: ADMINISTRATOR$/m);
      assert.match(r.stdout, new RegExp(`^session type {18}: ${v.sessionType.replace(/[+/.]/g, '\\$&')}$`, 'm'));
      assert.match(r.stdout, /^console ip {20}: 127\.0\.0\.1$/m);
    });
    test('channel getciphers ipmi 1', async (t) => {
      if (!requirePeers(t, 'ipmitool')) return;
      const r = await ipmitool([...v.args, 'channel', 'getciphers', 'ipmi', '1']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ID {3}IANA {4}Auth Alg/m);
      assert.match(r.stdout, /^17 {3}N\/A {5}hmac_sha256 {5}sha256_128 {6}aes_cbc_128/m);
      assert.match(r.stdout, /^3 {4}N\/A {5}hmac_sha1 {7}hmac_sha1_96 {4}aes_cbc_128/m);
      assert.doesNotMatch(r.stdout, /^0 /m, 'cipher suite 0 must not be offered by default');
    });
    test('user list 1', async (t) => {
      if (!requirePeers(t, 'ipmitool')) return;
      const r = await ipmitool([...v.args, 'user', 'list', '1']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^2 {3}admin {12}true {4}false {6}true {7}ADMINISTRATOR$/m);
    });
  });
}

describe('ipmitool authentication failures', () => {
  test('wrong password over lanplus fails fast', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const r = await ipmitool(['-I', 'lanplus', 'mc', 'info'], { password: 'wrong' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unable to establish IPMI v2 \/ RMCP\+ session/);
    assert.ok(r.ms < 3000, `took ${r.ms} ms`);
  });
  test('unknown user over lanplus fails fast', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const r = await ipmitool(['-I', 'lanplus', '-C', '17', 'mc', 'info'], { user: 'mallory' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unable to establish IPMI v2 \/ RMCP\+ session/);
    assert.ok(r.ms < 3000, `took ${r.ms} ms`);
  });
  test('unknown user over lan fails fast', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const r = await ipmitool(['-I', 'lan', 'mc', 'info'], { user: 'mallory' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unable to establish IPMI v1\.5 \/ RMCP session/);
    assert.ok(r.ms < 3000, `took ${r.ms} ms`);
  });
  test('wrong password over lan is refused (the BMC cannot authenticate a reply, so ipmitool times out)', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const r = await ipmitool(['-I', 'lan', '-N', '1', '-R', '1', 'mc', 'info'], { password: 'wrong' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Unable to establish IPMI v1\.5 \/ RMCP session/);
  });
  test('the BMC logged each rejection without the password', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const logs = bmc!.logs();
    assert.match(logs, /authentication rejected reason="unknown or disabled user" user=mallory/);
    assert.match(logs, /authentication rejected reason="bad password \(v1\.5\)" user=admin/);
    assert.doesNotMatch(logs, /wrong/);
    assert.match(logs, /session opened .*security="cipher suite 17"/);
    assert.match(logs, /session closed .*reason=closed/);
  });
});
