// Must-show (issue 2, #3): our client against OpenIPMI's ipmi_sim, a BMC nobody here wrote.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli, run } from '../helpers/run.js';
import { startIpmiSim, type IpmiSimHandle } from '../helpers/ipmi-sim-peer.js';
import { havePeer, requirePeers } from '../helpers/peers.js';

let sim: IpmiSimHandle | undefined;
before(async () => {
  if (havePeer('ipmi_sim') || process.env.CI === 'true') sim = await startIpmiSim();
});
after(async () => {
  await sim?.stop();
});

const ours = (args: string[]) => cli(['-H', '127.0.0.1', '-p', String(sim!.port), '-U', 'admin', '-P', 'password', ...args]);

for (const [name, args] of [
  ['lanplus -C 3', ['-I', 'lanplus', '-C', '3']],
  ['lanplus, suite negotiated (ipmi_sim refuses Get Channel Cipher Suites)', ['-I', 'lanplus']],
  ['lan -A MD5', ['-I', 'lan', '-A', 'MD5']],
] as const) {
  test(`mc info and raw 0x06 0x01 against ipmi_sim over ${name}`, async (t) => {
    if (!requirePeers(t, 'ipmi_sim', 'ipmitool')) return;
    const info = await ours([...args, 'mc', 'info']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^Manufacturer Name {9}: MontaVista Software, Inc\.$/m);
    assert.match(info.stdout, /^Firmware Revision {9}: 9\.08$/m);
    // Byte for byte what ipmitool prints against the same BMC.
    const ref = await run('ipmitool', ['-I', args[1] === 'lan' ? 'lan' : 'lanplus', '-C', '3', '-H', '127.0.0.1', '-p', String(sim!.port), '-U', 'admin', '-P', 'password', 'mc', 'info']);
    assert.equal(ref.code, 0, ref.stderr);
    assert.equal(info.stdout, ref.stdout);
    const raw = await ours([...args, 'raw', '0x06', '0x01']);
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(raw.stdout, ' 00 03 09 08 02 9f 91 12 00 02 0f 00 00 00 00\n');
    assert.ok(info.ms < 5000, `mc info took ${info.ms} ms`);
  });
}

test('wrong password against ipmi_sim is an authentication error (exit 77)', async (t) => {
  if (!requirePeers(t, 'ipmi_sim')) return;
  const r = await cli(['-H', '127.0.0.1', '-p', String(sim!.port), '-U', 'admin', '-P', 'bad', '-C', '3', 'mc', 'info']);
  assert.equal(r.code, 77);
  assert.match(r.stderr, /password invalid/);
});
