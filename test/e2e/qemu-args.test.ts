// Issue 4, must-show 6: what `ipmi-sim qemu-args` prints (the QEMU version probed from the
// installed binary, as a user would run it) is accepted by that QEMU (7.2 on Debian 12):
//   - external BMC over TCP and a Unix socket, KCS and BT, and QEMU listening: QEMU starts
//     (-S, no guest), answers QMP and greets the BMC with the extern handshake;
//   - internal BMC with identity options on PCI and SSIF: QEMU starts and has the devices;
//   - internal BMC from an ipmi-sim config with --write-sdr/--write-fru: a real guest boots
//     with those files and its in-band ipmitool shows the config's identity (mc info), its
//     sensors (sdr list) and its FRU (fru print).
// Golden lines for other QEMU versions are test/cli/qemu-args.test.ts.

import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cli } from '../helpers/run.js';
import { guestPrerequisites, startVm } from '../helpers/guest.js';
import { spawnQemu, tempDir } from '../helpers/qemu.js';
import { QmpClient } from '../helpers/qmp.js';
import { findExecutable, needTool, QEMU_BINARY } from '../helpers/tools.js';
import { E2E_BMC_YAML, E2E_MC_INFO } from './steps.js';

const HANDSHAKE = 'ff01a1083fa1';
const qemu = findExecutable(QEMU_BINARY);

/** `ipmi-sim --json qemu-args ...` with the version probed from the installed QEMU. */
async function qemuArgs(...args: string[]): Promise<string[]> {
  const r = await cli(['--json', 'qemu-args', '--qemu', QEMU_BINARY, ...args]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

/** Starts QEMU paused with `args`; resolves with its QMP client once it answers. */
async function startPaused(t: TestContext, dir: string, args: string[]): Promise<QmpClient> {
  const q = spawnQemu(QEMU_BINARY, ['-machine', 'pc,accel=tcg', '-S', '-display', 'none', '-nodefaults', '-qmp', `unix:${join(dir, 'qmp.sock')},server=on,wait=off`, ...args]);
  t.after(() => q.kill());
  const qmp = await Promise.race([
    QmpClient.open(join(dir, 'qmp.sock')),
    q.exited.then((e) => Promise.reject(new Error(`QEMU exited ${JSON.stringify(e)}: ${q.stderr()}`))),
  ]);
  t.after(() => qmp.close());
  assert.deepEqual(await qmp.execute('query-status'), { status: 'prelaunch', singlestep: false, running: false });
  return qmp;
}

/** The first bytes a peer sends on a connection accepted by `server`. */
async function firstBytes(server: Server, n: number): Promise<string> {
  const [sock] = (await once(server, 'connection')) as [Socket];
  return readBytes(sock, n);
}

async function readBytes(sock: Socket, n: number): Promise<string> {
  let got = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => (got = Buffer.concat([got, d])));
  for (let i = 0; i < 500 && got.length < n; i++) await sleep(10);
  sock.destroy();
  return got.subarray(0, n).toString('hex');
}

async function peripherals(qmp: QmpClient): Promise<string[]> {
  const list = (await qmp.execute('qom-list', { path: '/machine/peripheral' })) as { name: string; type: string }[];
  return list.filter((p) => p.type.startsWith('child<')).map((p) => `${p.name}:${p.type.slice(6, -1)}`);
}

describe('QEMU accepts what ipmi-sim qemu-args prints', { timeout: 150_000 }, () => {
  test('external BMC: TCP + KCS, Unix socket + BT, QEMU listening', async (t) => {
    if (!needTool(t, 'qemu-system-x86_64', !!qemu)) return;
    const dir = tempDir('qa-');
    t.after(dir.remove);

    const tcp = createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    t.after(() => tcp.close());
    const port = (tcp.address() as { port: number }).port;
    let args = await qemuArgs('--extern', `127.0.0.1:${port}`);
    assert.equal(args[1], `socket,id=ipmi0,host=127.0.0.1,port=${port},reconnect=10`, 'QEMU 7.2 wants reconnect=');
    let hello = firstBytes(tcp, 6);
    let qmp = await startPaused(t, dir.path, args);
    assert.equal(await hello, HANDSHAKE);
    assert.deepEqual(await peripherals(qmp), ['bmc0:ipmi-bmc-extern']);

    const path = join(dir.path, 'bmc.sock');
    const unix = createServer();
    await new Promise<void>((r) => unix.listen(path, r));
    t.after(() => unix.close());
    args = await qemuArgs('--extern', path, '--interface', 'bt', '--reconnect', '1');
    hello = firstBytes(unix, 6);
    const sub = tempDir('qa-');
    t.after(sub.remove);
    qmp = await startPaused(t, sub.path, args);
    assert.equal(await hello, HANDSHAKE);
    // (We hung up after the handshake: QEMU is waiting to reconnect.)
    assert.match(JSON.stringify(await qmp.execute('query-chardev')), /"filename":"(disconnected:)?unix:[^"]*\/bmc\.sock","label":"ipmi0"/);

    // QEMU listens and the BMC dials in.
    const listen = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    args = await qemuArgs('--listen', '--extern', `127.0.0.1:${listen}`);
    const sub2 = tempDir('qa-');
    t.after(sub2.remove);
    await startPaused(t, sub2.path, args);
    const sock = connect(listen, '127.0.0.1');
    await once(sock, 'connect');
    assert.equal(await readBytes(sock, 6), HANDSHAKE);
  });

  test('internal BMC: identity options with pci-ipmi-kcs, smbus-ipmi (SSIF)', async (t) => {
    if (!needTool(t, 'qemu-system-x86_64', !!qemu)) return;
    const dir = tempDir('qa-');
    t.after(dir.remove);
    let qmp = await startPaused(t, dir.path, await qemuArgs('--bmc', 'internal', '--interface', 'pci-kcs', '--mfg-id', '0x1291', '--product-id', '0xf02', '--fwrev', '1.23', '--guid', 'auto'));
    assert.deepEqual(await peripherals(qmp), ['bmc0:ipmi-bmc-sim']);
    assert.equal(await qmp.execute('qom-get', { path: '/machine/peripheral/bmc0', property: 'mfg_id' }), 0x1291);
    const sub = tempDir('qa-');
    t.after(sub.remove);
    qmp = await startPaused(t, sub.path, await qemuArgs('--bmc', 'internal', '--interface', 'ssif'));
    const anon = (await qmp.execute('qom-list', { path: '/machine/peripheral-anon' })) as { type: string }[];
    assert.ok(anon.some((p) => p.type === 'child<smbus-ipmi>'), JSON.stringify(anon));
  });

  test('internal BMC from a config: the guest sees its identity, SDRs and FRU in-band', async (t) => {
    const why = guestPrerequisites();
    if (!needTool(t, 'QEMU guest prerequisites', !why, why)) return;
    const dir = tempDir('qa-');
    t.after(dir.remove);
    const config = join(dir.path, 'bmc.yaml');
    writeFileSync(
      config,
      `${E2E_BMC_YAML}
fru:
  - id: 0
    board: { manufacturer: E2E Corp, productName: E2E Board, serialNumber: SN-E2E-1, partNumber: PN-42 }
    product: { manufacturer: E2E Corp, name: E2E Server, version: "1.0", serialNumber: PSN-7 }
`,
    );
    const args = await qemuArgs('--bmc', 'internal', '--config', config, '--write-sdr', join(dir.path, 'sdr.bin'), '--write-fru', join(dir.path, 'fru.bin'));
    const vm = await startVm({ ipmiArgs: args });
    t.after(() => vm.kill());
    t.diagnostic(`boot to ready: ${vm.readyMs} ms`);
    const r = await vm.run('ipmitool -I open mc info; echo ===; ipmitool -I open sdr list; echo ===; ipmitool -I open fru print 0');
    assert.equal(r.rc, 0, r.output);
    const [info, sdr, fru] = r.output.split('===\n');
    for (const re of E2E_MC_INFO) assert.match(info!, re);
    // The records are ours; QEMU's BMC only keeps sensor state for compact records (§2.4), so
    // these full records have no reading.
    assert.match(sdr!, /^E2E Inlet\s+\| no reading\s+\| ns$/m, sdr);
    assert.match(sdr!, /^E2E FAN\s+\| no reading\s+\| ns$/m, sdr);
    assert.match(fru!, /^ Board Mfg\s+: E2E Corp$/m, fru);
    assert.match(fru!, /^ Board Product\s+: E2E Board$/m);
    assert.match(fru!, /^ Board Serial\s+: SN-E2E-1$/m);
    assert.match(fru!, /^ Product Name\s+: E2E Server$/m);
    assert.match(fru!, /^ Product Serial\s+: PSN-7$/m);
  });
});
