// Get/Set LAN Configuration Parameters through the dispatch table: stored parameters read
// back byte for byte, set-in-progress, read-only and unsupported parameters, auth type
// enables and cipher suite privileges tied to the LAN channel, persistence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseConfig } from '../../src/bmc/config/model.js';
import { parseConfig } from '../../src/bmc/config/load.js';
import { offeredCipherSuites, authTypesForPrivilege } from '../../src/bmc/handlers/app.js';
import { testBmc } from '../helpers/bmc.js';

const TR = 0x0c;
const get = (t: ReturnType<typeof testBmc>, p: number, priv: 2 | 3 | 4 = 4) => t.raw(TR, 0x02, [1, p, 0, 0], priv);
const set = (t: ReturnType<typeof testBmc>, p: number, data: number[], priv: 2 | 3 | 4 = 4) => t.raw(TR, 0x01, [1, p, ...data], priv);

test('default parameters', () => {
  const t = testBmc();
  assert.deepEqual(get(t, 0), { cc: 0, data: [0x11, 0] });
  assert.deepEqual(get(t, 1).data, [0x11, 0x17]);
  assert.deepEqual(get(t, 2).data, [0x11, 0x16, 0x16, 0x16, 0x16, 0x00]);
  assert.deepEqual(get(t, 3).data, [0x11, 127, 0, 0, 1]);
  assert.deepEqual(get(t, 4).data, [0x11, 1]);
  assert.deepEqual(get(t, 5).data, [0x11, 2, 0, 0, 0, 0, 1]);
  assert.deepEqual(get(t, 7).data, [0x11, 0x40, 0x40, 0x10]);
  assert.deepEqual(get(t, 16).data.slice(0, 8), [0x11, ...Buffer.from('public'), 0]);
  assert.deepEqual(get(t, 22).data, [0x11, 11]);
  assert.deepEqual(get(t, 23).data, [0x11, 0, 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17, 0, 0, 0, 0, 0]);
  // Nibble per suite ID 0-15: 4 (ADMINISTRATOR) for the configured ones, 0 for the rest.
  assert.deepEqual(get(t, 24).data, [0x11, 0, 0x40, 0x44, 0x00, 0x44, 0x04, 0x40, 0x04, 0x40]);
  assert.deepEqual(get(t, 26).data, [0x11, 1, 5, 30, 0, 6, 0], 'bad password threshold 5, event on, reset 300 s, lockout 60 s');
  assert.equal(get(t, 99).cc, 0x80);
  assert.deepEqual(t.raw(TR, 0x02, [0x81, 3, 0, 0]).data, [0x11], 'revision only');
  assert.equal(t.raw(TR, 0x02, [2, 3, 0, 0]).cc, 0xcc, 'not the LAN channel');
  assert.equal(t.raw(TR, 0x02, [0x0e, 3, 0, 0]).cc, 0, '"this channel" is the LAN channel here');
  assert.equal(get(t, 3, 2).cc, 0xd4, 'Get needs OPERATOR');
  assert.equal(get(t, 3, 3).cc, 0);
  assert.equal(set(t, 3, [1, 2, 3, 4], 3).cc, 0xd4, 'Set needs ADMINISTRATOR');
});

test('stored parameters read back exactly; lengths and ranges', () => {
  const t = testBmc();
  for (const [p, v] of [
    [3, [192, 0, 2, 10]],
    [4, [2]],
    [5, [2, 0x11, 0x22, 0x33, 0x44, 0x55]],
    [6, [255, 255, 255, 0]],
    [10, [1]],
    [11, [9]],
    [12, [192, 0, 2, 1]],
    [13, [1, 2, 3, 4, 5, 6]],
    [20, [42, 0x80]],
    [21, [3]],
  ] as [number, number[]][]) {
    assert.equal(set(t, p, v).cc, 0, `param ${p}`);
    assert.deepEqual(get(t, p).data, [0x11, ...v], `param ${p}`);
  }
  assert.equal(set(t, 3, [1, 2, 3]).cc, 0xc7);
  assert.equal(set(t, 4, [5]).cc, 0xc9);
  assert.equal(set(t, 21, [8]).cc, 0xc9);
  for (const ro of [1, 22, 23]) assert.equal(set(t, ro, [0]).cc, 0x82, `param ${ro} is read-only`);
  assert.equal(set(t, 26, [0, 0, 0, 0, 0, 0]).cc, 0);
  assert.deepEqual(get(t, 26).data, [0x11, 0, 0, 0, 0, 0, 0]);
});

test('set in progress: lock, conflict, commit, release; volatile', () => {
  const t = testBmc();
  assert.equal(set(t, 0, [1]).cc, 0);
  assert.deepEqual(get(t, 0).data, [0x11, 1]);
  assert.equal(set(t, 0, [1]).cc, 0x81, 'already in progress');
  assert.equal(set(t, 3, [10, 0, 0, 1]).cc, 0, 'writes are not blocked');
  assert.deepEqual(get(t, 3).data, [0x11, 10, 0, 0, 1], 'and apply at once');
  assert.equal(set(t, 0, [2]).cc, 0, 'commit');
  assert.deepEqual(get(t, 0).data, [0x11, 1]);
  assert.equal(set(t, 0, [3]).cc, 0xcc);
  const r = t.restart();
  assert.deepEqual(get(r, 0).data, [0x11, 0], 'a restart completes the set');
  assert.deepEqual(get(r, 3).data, [0x11, 10, 0, 0, 1]);
});

test('auth type enables drive the v1.5 authentication types per privilege', () => {
  const t = testBmc();
  assert.equal(set(t, 2, [0x16, 0x16, 0x04, 0x04, 0x00]).cc, 0);
  assert.deepEqual(authTypesForPrivilege(t.bmc, 4), [2]);
  assert.deepEqual(authTypesForPrivilege(t.bmc, 2), [1, 2, 4]);
  assert.equal(set(t, 2, [0x20, 0, 0, 0, 0]).cc, 0xc9, 'OEM auth is not available');
  // Get Channel Authentication Capabilities for ADMINISTRATOR now offers MD5 only.
  const caps = t.raw(0x06, 0x38, [0x8e, 4], 4);
  assert.equal(caps.data[1]! & 0x3f, 0x04);
  assert.deepEqual(authTypesForPrivilege(t.restart().bmc, 4), [2], 'persisted');
});

test('cipher suite privileges: 0 withdraws a suite, unknown suites are refused, persisted', () => {
  const t = testBmc();
  // ipmitool `lan set 1 cipher_privs XXXaXXXXXXXXXXX`: only suite 3 (of 0-14), suite 15 -> 0.
  assert.equal(set(t, 24, [0, 0x00, 0x40, 0, 0, 0, 0, 0, 0]).cc, 0);
  assert.deepEqual(get(t, 24).data, [0x11, 0, 0x00, 0x40, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(
    offeredCipherSuites(t.bmc).map((s) => s.id),
    [17, 3, 16],
  );
  assert.deepEqual(get(t, 23).data.slice(1, 13), [0, 1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17], 'still supported, only unused');
  // Suite 4 (RC4) is not available: a privilege for it is out of range.
  assert.equal(set(t, 24, [0, 0x00, 0x44, 0x04, 0, 0, 0, 0, 0]).cc, 0xc9);
  assert.ok(t.log.lines.some((l) => /cipher suite is not available/.test(l.msg) && l.fields?.suite === 4));
  assert.equal(set(t, 24, [0, 0x00, 0x32, 0, 0, 0, 0, 0, 0]).cc, 0, 'suite 2 OPERATOR, suite 3 USER');
  const r = t.restart();
  assert.deepEqual(get(r, 24).data, [0x11, 0, 0x00, 0x32, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(
    offeredCipherSuites(r.bmc).map((s) => s.id),
    [17, 3, 2, 16],
  );
});

test('lanParams from YAML', () => {
  const c = parseConfig(
    `lanParams:
  ipAddress: 192.0.2.44
  ipSource: dhcp
  subnetMask: 255.255.255.0
  macAddress: 52-54-00-12-34-56
  defaultGateway: 192.0.2.1
  community: private
  vlanId: 100
  vlanPriority: 5
  arpResponses: false
  gratuitousArp: true
  gratuitousArpInterval: 1.5
  ipv4Ttl: 32
`,
    'bmc.yaml',
  );
  const t = testBmc(c);
  assert.deepEqual(get(t, 3).data, [0x11, 192, 0, 2, 44]);
  assert.deepEqual(get(t, 4).data, [0x11, 2]);
  assert.deepEqual(get(t, 5).data, [0x11, 0x52, 0x54, 0, 0x12, 0x34, 0x56]);
  assert.deepEqual(get(t, 7).data, [0x11, 32, 0x40, 0x10]);
  assert.deepEqual(get(t, 10).data, [0x11, 1]);
  assert.deepEqual(get(t, 11).data, [0x11, 2]);
  assert.deepEqual(get(t, 20).data, [0x11, 100, 0x80]);
  assert.deepEqual(get(t, 21).data, [0x11, 5]);
});

test('saved LAN settings are dropped when the config changes', () => {
  const c = baseConfig();
  const t = testBmc(c);
  set(t, 3, [10, 1, 1, 1]);
  const c2 = baseConfig();
  c2.lanParams.ipAddress = '10.9.9.9';
  const r = t.restart(c2);
  assert.deepEqual(get(r, 3).data, [0x11, 10, 9, 9, 9]);
  assert.ok(r.log.lines.some((l) => /LAN settings in the config changed/.test(l.msg)));
});
