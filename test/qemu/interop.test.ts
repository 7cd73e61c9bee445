// Every variant the builder accepts for the installed QEMU is started for real (paused, no guest):
// QEMU must come up, answer QMP, have the BMC and the interface device, and, for the external
// BMC, send the VM-protocol handshake `FF 01 A1 08 3F A1` (qemu-ipmi.md §1.6) to our listener.
// A few lines the builder refuses are also fed to QEMU to show that QEMU refuses them too.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildIpmiArgs, INTERFACE_DEVICES, type IpmiArgsOptions, type IpmiInterface } from '../../src/qemu/args.js';
import { probeQemuVersion } from '../../src/qemu/probe.js';
import { atLeast, type QemuVersion } from '../../src/qemu/version.js';
import { findExecutable, needTool, QEMU_BINARY } from '../helpers/tools.js';
import { spawnQemu, tempDir } from '../helpers/qemu.js';
import { QmpClient } from '../helpers/qmp.js';
import { hex, toHex } from '../helpers/bytes.js';

const HANDSHAKE = hex`ff 01 a1 08 3f a1`;
// The default watchdog SDR of ipmi-bmc-sim (qemu-ipmi.md §2.4), a valid one-record repository.
const WATCHDOG_SDR = hex`00 00 51 02 23 20 00 00 23 01 63 00 23 6f 0f 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 c8 57 61 74 63 68 64 6f 67`;

const binary = findExecutable(QEMU_BINARY);
let version: QemuVersion | undefined;

/** Collects what the first peer sends; the BMC side of the chardev. */
class Listener {
  readonly server: Server;
  received = Buffer.alloc(0);
  private peers: Socket[] = [];
  constructor() {
    this.server = createServer((s) => {
      this.peers.push(s);
      s.on('data', (d) => (this.received = Buffer.concat([this.received, d])));
      s.on('error', () => {});
    });
  }
  listen(where: { port: 0; host: string } | { path: string }): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(where, () => resolve());
    });
  }
  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }
  close(): void {
    for (const s of this.peers) s.destroy();
    this.server.close();
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

type Endpoint = 'none' | 'tcp' | 'unix' | 'unix-missing' | 'qemu-listens';

interface Variant {
  name: string;
  endpoint: Endpoint;
  opts: Omit<IpmiArgsOptions, 'chardev'>;
  /** Creates files the options refer to, inside the variant's temp dir; returns extra options. */
  files?: (dir: string) => Partial<IpmiArgsOptions>;
}

const internal = (iface: IpmiInterface, extra: Partial<IpmiArgsOptions> = {}): Variant => ({
  name: `internal ${iface}${Object.keys(extra).length ? ` ${Object.keys(extra).join('+')}` : ''}`,
  endpoint: 'none',
  opts: { bmc: 'internal', interface: iface, ...extra },
});
const external = (iface: IpmiInterface, endpoint: Endpoint, extra: Partial<IpmiArgsOptions> = {}): Variant => ({
  name: `external ${iface} ${endpoint}${extra.reconnect ? ' reconnect' : ''}`,
  endpoint,
  opts: { bmc: 'external', interface: iface, ...extra },
});

const VARIANTS: Variant[] = [
  internal('kcs'),
  internal('bt'),
  internal('pci-kcs'),
  internal('pci-bt'),
  internal('ssif'),
  internal('kcs', { ioport: 0xca8, irq: 0, slaveAddr: 0x22 }),
  internal('bt', { irq: 10 }),
  internal('pci-bt', { pciAddr: '0x6' }),
  internal('ssif', { address: 0x42 }),
  internal('kcs', { deviceId: 0x55, ipmiVersion: 0x51, deviceRev: 3, fwrev1: 1, fwrev2: 0x23, mfgId: 0x1291, productId: 0xf02, guid: 'auto' }),
  {
    // A directory with a comma checks the ",," escaping against QEMU's own option parser.
    name: 'internal kcs sdrfile+frudatafile+fruareasize+guid in a dir with a comma',
    endpoint: 'none',
    opts: { bmc: 'internal', fruareasize: 256, guid: '01234567-89ab-cdef-0123-456789abcdef' },
    files: (dir) => {
      const d = join(dir, 'a,b');
      mkdirSync(d);
      writeFileSync(join(d, 'sdr.bin'), WATCHDOG_SDR);
      writeFileSync(join(d, 'fru.bin'), new Uint8Array(512));
      return { sdrfile: join(d, 'sdr.bin'), frudatafile: join(d, 'fru.bin') };
    },
  },
  external('kcs', 'tcp', { reconnect: 1 }),
  external('bt', 'tcp', { reconnect: 10 }),
  external('pci-kcs', 'tcp', { reconnect: 1 }),
  external('pci-bt', 'unix', { reconnect: 1 }),
  external('ssif', 'unix', { reconnect: 1 }),
  external('kcs', 'unix', { reconnect: 1 }),
  // reconnect makes a missing BMC non-fatal (qemu-ipmi.md §1.6 step 7).
  external('kcs', 'unix-missing', { reconnect: 1 }),
  external('bt', 'qemu-listens', { listen: true }),
];

async function runVariant(v: Variant): Promise<void> {
  const tmp = tempDir('ipmi-qemu-');
  const listener = v.endpoint === 'tcp' || v.endpoint === 'unix' ? new Listener() : undefined;
  let qemu: ReturnType<typeof spawnQemu> | undefined;
  let qmp: QmpClient | undefined;
  let bmcPeer: Socket | undefined;
  try {
    const bmcSock = join(tmp.path, 'bmc.sock');
    let chardev: IpmiArgsOptions['chardev'];
    if (v.endpoint === 'tcp') {
      await listener!.listen({ port: 0, host: '127.0.0.1' });
      chardev = { host: '127.0.0.1', port: listener!.port };
    } else if (v.endpoint === 'unix') {
      await listener!.listen({ path: bmcSock });
      chardev = { path: bmcSock };
    } else if (v.endpoint !== 'none') {
      chardev = { path: bmcSock };
    }
    const built = buildIpmiArgs({ ...v.opts, ...v.files?.(tmp.path), chardev, qemuVersion: version });
    const qmpSock = join(tmp.path, 'qmp.sock');
    const argv = ['-machine', 'pc,accel=tcg', '-nodefaults', '-display', 'none', '-S', '-qmp', `unix:${qmpSock},server=on,wait=off`, ...built.args];
    qemu = spawnQemu(binary!, argv);
    const why = (): string => `argv: ${argv.join(' ')}\nstderr: ${qemu!.stderr()}`;
    qmp = await Promise.race([
      QmpClient.open(qmpSock),
      qemu.exited.then((e) => Promise.reject(new Error(`QEMU exited early (${JSON.stringify(e)})\n${why()}`))),
    ]);
    assert.deepEqual(await qmp.execute('query-status'), { status: 'prelaunch', singlestep: false, running: false }, why());
    const named = (await qmp.execute('qom-list', { path: '/machine/peripheral' })) as { name: string; type: string }[];
    const bmcType = v.opts.bmc === 'internal' ? 'ipmi-bmc-sim' : 'ipmi-bmc-extern';
    assert.ok(named.some((p) => p.name === 'bmc0' && p.type === `child<${bmcType}>`), `${JSON.stringify(named)}\n${why()}`);
    const anon = (await qmp.execute('qom-list', { path: '/machine/peripheral-anon' })) as { name: string; type: string }[];
    const device = INTERFACE_DEVICES[v.opts.interface ?? 'kcs'].device;
    assert.ok(anon.some((p) => p.type === `child<${device}>`), `${JSON.stringify(anon)}\n${why()}`);

    if (listener) {
      await waitFor(() => listener.received.length >= HANDSHAKE.length, 5000);
      assert.equal(toHex(listener.received.subarray(0, HANDSHAKE.length)), toHex(HANDSHAKE), why());
    }
    if (v.endpoint === 'qemu-listens') {
      // We are the BMC dialling in; QEMU greets every new connection the same way.
      bmcPeer = connect(bmcSock);
      let got = Buffer.alloc(0);
      bmcPeer.on('data', (d) => (got = Buffer.concat([got, d])));
      bmcPeer.on('error', () => {});
      await waitFor(() => got.length >= HANDSHAKE.length, 5000);
      assert.equal(toHex(got.subarray(0, HANDSHAKE.length)), toHex(HANDSHAKE), why());
    }

    // QEMU only prints (and goes on) when it cannot read sdrfile/frudatafile.
    assert.doesNotMatch(qemu.stderr(), /failed to load/i, why());
    await qmp.execute('quit');
    const exit = await Promise.race([qemu.exited, sleep(5000, undefined, { ref: false })]);
    assert.deepEqual(exit, { code: 0, signal: null }, why());
  } finally {
    qmp?.close();
    bmcPeer?.destroy();
    await qemu?.kill();
    listener?.close();
    tmp.remove();
  }
}

/** Starts QEMU with `args`, expects it to fail: an error matching `message`, or death by `signal`. */
async function expectRejected(args: string[], message: RegExp | NodeJS.Signals): Promise<void> {
  const qemu = spawnQemu(binary!, ['-machine', 'pc,accel=tcg', '-nodefaults', '-display', 'none', '-S', ...args]);
  try {
    const exit = await Promise.race([qemu.exited, sleep(10_000, undefined, { ref: false })]);
    assert.ok(exit && exit.code !== 0, `QEMU accepted ${args.join(' ')}`);
    if (typeof message === 'string') assert.equal(exit.signal, message, qemu.stderr());
    else assert.match(qemu.stderr(), message);
  } finally {
    await qemu.kill();
  }
}

describe('QEMU accepts every generated variant', { concurrency: 4 }, () => {
  before(async () => {
    if (binary) version = await probeQemuVersion(binary);
  });

  for (const v of VARIANTS) {
    it(v.name, async (t) => {
      if (!needTool(t, QEMU_BINARY, Boolean(binary))) return;
      const since = INTERFACE_DEVICES[v.opts.interface ?? 'kcs'].since;
      if (!atLeast(version!, since)) {
        t.skip(`QEMU ${JSON.stringify(version)} predates ${since}`);
        return;
      }
      await runVariant(v);
    });
  }
});

describe('QEMU refuses what the builder refuses', { concurrency: 4 }, () => {
  before(async () => {
    if (binary) version = await probeQemuVersion(binary);
  });

  it('reconnect-ms before 9.2 (the line built for 10.2)', async (t) => {
    if (!needTool(t, QEMU_BINARY, Boolean(binary))) return;
    if (atLeast(version!, '9.2')) return t.skip('QEMU has reconnect-ms');
    const { args } = buildIpmiArgs({ bmc: 'external', chardev: { host: '127.0.0.1', port: 1 }, reconnect: 1, qemuVersion: '10.2' });
    assert.ok(args.includes('socket,id=ipmi0,host=127.0.0.1,port=1,reconnect-ms=1000'));
    await expectRejected(args, /Invalid parameter 'reconnect-ms'/);
  });

  it('irq on a PCI interface', async (t) => {
    if (!needTool(t, QEMU_BINARY, Boolean(binary))) return;
    await expectRejected(['-device', 'ipmi-bmc-sim,id=bmc0', '-device', 'pci-ipmi-kcs,bmc=bmc0,irq=5'], /Property 'pci-ipmi-kcs\.irq' not found/);
  });

  // The builder refuses a client socket without reconnect for <= 7.2 and only warns from 8.0,
  // so these lines are built for 8.0.
  it('a client socket without reconnect and without a BMC', async (t) => {
    if (!needTool(t, QEMU_BINARY, Boolean(binary))) return;
    if (atLeast(version!, '8.0')) return t.skip('only known for QEMU <= 7.2');
    const tmp = tempDir('ipmi-qemu-');
    try {
      const { args } = buildIpmiArgs({ bmc: 'external', chardev: { path: join(tmp.path, 'nobody.sock') }, qemuVersion: '8.0' });
      await expectRejected(args, /Failed to connect|No such file/);
    } finally {
      tmp.remove();
    }
  });

  it('a client socket without reconnect while the BMC listens (QEMU 7.2 segfaults)', async (t) => {
    if (!needTool(t, QEMU_BINARY, Boolean(binary))) return;
    if (atLeast(version!, '8.0')) return t.skip('only known for QEMU <= 7.2');
    const listener = new Listener();
    try {
      await listener.listen({ port: 0, host: '127.0.0.1' });
      const { args } = buildIpmiArgs({ bmc: 'external', chardev: { host: '127.0.0.1', port: listener.port }, qemuVersion: '8.0' });
      await expectRejected(args, 'SIGSEGV');
    } finally {
      listener.close();
    }
  });

  it('reconnect on a listening socket', async (t) => {
    if (!needTool(t, QEMU_BINARY, Boolean(binary))) return;
    const tmp = tempDir('ipmi-qemu-');
    try {
      const sock = join(tmp.path, 'q.sock');
      await expectRejected(
        ['-chardev', `socket,id=ipmi0,path=${sock},server=on,wait=off,reconnect=1`, '-device', 'ipmi-bmc-extern,id=bmc0,chardev=ipmi0', '-device', 'isa-ipmi-kcs,bmc=bmc0'],
        /reconnect/,
      );
    } finally {
      tmp.remove();
    }
  });
});
