// Must-show (issue 2, #4): our client against our server with every cipher suite we offer,
// and both IPMI v1.5 authentication types, through the real CLI and real UDP sockets.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';

let bmc: ServeHandle;
before(async () => {
  bmc = await startServe();
});
after(async () => {
  await bmc.stop();
});

const ours = (args: string[]) => cli(['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'password', ...args]);

test('every offered cipher suite: raw 0x06 0x01', async () => {
  const suites = [1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17];
  const results = await Promise.all(suites.map((c) => ours(['-I', 'lanplus', '-C', String(c), 'raw', '0x06', '0x01'])));
  results.forEach((r, i) => {
    assert.equal(r.code, 0, `suite ${suites[i]}: ${r.stderr}`);
    assert.match(r.stdout, /^ 20 01 02 10 02 /, `suite ${suites[i]}`);
  });
  for (const s of suites) assert.match(bmc.logs(), new RegExp(`security="cipher suite ${s}"`));
});

test('cipher suite 0 is refused unless enabled', async () => {
  const r = await ours(['-I', 'lanplus', '-C', '0', 'mc', 'info']);
  assert.equal(r.code, 77);
  assert.match(r.stderr, /cipher suite 0 unavailable/);
});

test('IPMI v1.5 with MD5, MD2 and straight password', async () => {
  for (const a of ['MD5', 'MD2', 'PASSWORD']) {
    const r = await ours(['-I', 'lan', '-A', a, 'mc', 'guid']);
    assert.equal(r.code, 0, `${a}: ${r.stderr}`);
    assert.match(r.stdout, /^System GUID {3}: /m);
  }
});

test('typed errors and exit codes', async () => {
  const bad = await ours(['-P', 'nope', 'mc', 'info']);
  assert.equal(bad.code, 77);
  assert.match(bad.stderr, /password invalid/);
  const who = await cli(['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'mallory', '-P', 'x', 'mc', 'info']);
  assert.equal(who.code, 77);
  assert.match(who.stderr, /username invalid/);
  const cc = await ours(['raw', '0x06', '0x99']);
  assert.equal(cc.code, 1);
  assert.equal(cc.stderr, 'Unable to send RAW command (channel=0x0 netfn=0x6 lun=0x0 cmd=0x99 rsp=0xc1): Invalid command\n');
  const usage = await ours(['raw', '0x06']);
  assert.equal(usage.code, 64);
});

test('a port nobody answers on is a timeout (exit 69), within -N x -R', async () => {
  const r = await cli(['-H', '127.0.0.1', '-p', '9', '-U', 'admin', '-P', 'x', '-N', '0.2', '-R', '2', 'mc', 'info']);
  assert.equal(r.code, 69);
  assert.match(r.stderr, /no response from 127\.0\.0\.1:9/);
  assert.ok(r.ms < 3000, `took ${r.ms} ms`);
});

test('--json mc info is one JSON document with spec field names', async () => {
  const r = await ours(['--json', 'mc', 'info']);
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout);
  assert.equal(d.deviceId, 32);
  assert.equal(d.ipmiVersion, 2);
  assert.equal(typeof d.manufacturerId, 'number');
});
