// Our server against a real qemu-system-x86_64 (7.2 on Debian 12). The guest side is driven
// through qtest on stdio (KCS port I/O, IRQ interception; the vCPU stays stopped with -S, so the
// virtual clock, and with it QEMU's 4 s response timer, stands still); machine events come
// from QMP. A last test checks VmDeframer's model of QEMU's receive parser against QEMU itself.
// Without QEMU the tests skip loudly, except with CI=true where they fail.

import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExternChardevServer, type ExternListen } from '../../src/transport/extern-chardev.js';
import fc from 'fast-check';
import { VmDeframer, VmLimits, encodeVmMessage, vmParserReset } from '../../src/protocol/vm-codec.js';
import { hex, toHex } from '../helpers/bytes.js';
import { FakeBmc, deviceId } from '../helpers/fake-bmc.js';
import { Qmp, QtestQemu, kcsTransaction, qemuMissing } from '../helpers/qemu-qtest.js';

const kcsStatus = 0xca3;
const deviceIdResponse = [0x1c, 0x01, 0x00, ...deviceId];

/** True when QEMU can run; otherwise skips (locally, loudly) or fails (CI=true). */
function haveQemu(t: TestContext): boolean {
  const missing = qemuMissing();
  if (!missing) return true;
  if (process.env.CI === 'true') assert.fail(`CI=true and QEMU is not usable, so the real-QEMU tests cannot run: ${missing}`);
  const reason = `REAL-QEMU TEST NOT RUN: ${missing} (install qemu-system-x86 or set QEMU_SYSTEM_X86_64)`;
  process.stderr.write(`\n${'!'.repeat(reason.length)}\n${reason}\n${'!'.repeat(reason.length)}\n\n`);
  t.diagnostic(reason);
  t.skip(reason);
  return false;
}

function qemuArgs(chardev: string, dir: string): string[] {
  return [
    '-machine', 'pc,accel=tcg', '-S', '-nodefaults', '-display', 'none',
    '-chardev', `${chardev},reconnect=1`,
    '-device', 'ipmi-bmc-extern,id=bmc0,chardev=ipmi0',
    '-device', 'isa-ipmi-kcs,bmc=bmc0',
    '-qmp', `unix:${join(dir, 'qmp.sock')},server=on,wait=off`,
  ];
}

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/** Records what QEMU sends on each connection. */
function traced(bmc: FakeBmc, listen: ExternListen): { server: ExternChardevServer; fromQemu: Uint8Array[][] } {
  const fromQemu: Uint8Array[][] = [];
  const server = new ExternChardevServer({
    bmc,
    listen,
    trace: (dir, bytes) => {
      if (dir === 'in') fromQemu.at(-1)!.push(bytes.slice());
    },
  });
  server.on('connect', () => fromQemu.push([]));
  bmc.server = server;
  return { server, fromQemu };
}

const flat = (chunks: Uint8Array[]) => Uint8Array.from(chunks.flatMap((c) => [...c]));

/** Sequence numbers of the requests QEMU sent on one connection. */
const wireSeqs = (chunks: Uint8Array[]) =>
  new VmDeframer().push(flat(chunks)).flatMap((e) => (e.kind === 'message' ? [e.seq] : []));

test('real QEMU over TCP: handshake, KCS round trips, IRQ before response, attention, reconnect, power', { timeout: 90_000 }, async (t) => {
  if (!haveQemu(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'ipmi-qemu-'));
  const bmc = new FakeBmc();
  const { server, fromQemu } = traced(bmc, { host: '127.0.0.1', port: 0 });
  const at = (await server.listen()) as { host: string; port: number };
  const q = new QtestQemu(qemuArgs(`socket,id=ipmi0,host=127.0.0.1,port=${at.port}`, dir), t.signal);
  let qmp: Qmp | undefined;
  try {
    await until('the VM to connect and send its capabilities', () => server.capabilities !== 0);
    assert.equal(server.capabilities, 0x3f);
    assert.equal(toHex(flat(fromQemu[0]!)), 'ff 01 a1 08 3f a1');
    qmp = await Qmp.connect(join(dir, 'qmp.sock'));
    await q.cmd('irq_intercept_in ioapic');

    // Get Device ID through the guest's KCS registers, answered by our server.
    const first = await kcsTransaction(q, [0x18, 0x01]);
    assert.deepEqual(first.response, deviceIdResponse);
    assert.equal(first.irqAtResponse, 0, 'IRQs are off until the BMC enables them (Q4)');

    // Set BMC Global Enables with bit 0: our 05 A1 precedes the response, so QEMU has IRQs on
    // by the time the response's first byte is announced.
    const enable = await kcsTransaction(q, [0x18, 0x2e, 0x09]);
    assert.deepEqual(enable.response, [0x1c, 0x2e, 0x00]);
    assert.equal(enable.irqAtResponse, 1, 'IRQ 5 raised with the response');

    // Attention: SMS_ATN (status bit 2) follows the BMC's message flags, with an interrupt.
    const raisesBefore = q.irqRaises(5);
    bmc.flags = 0x02;
    assert.equal(server.updateAttention(), 'sent');
    await until('SMS_ATN set', async () => ((await q.inb(kcsStatus)) & 0x04) !== 0);
    assert.ok(q.irqRaises(5) > raisesBefore, 'ATTN_IRQ raised the interrupt');
    bmc.flags = 0;
    assert.equal(server.updateAttention(), 'sent');
    await until('SMS_ATN clear', async () => ((await q.inb(kcsStatus)) & 0x04) === 0);

    // Drop the link: while it is down QEMU answers the guest itself with 0xD2, then reconnects
    // (reconnect=1) and repeats the handshake.
    const gone = once(server, 'disconnect');
    assert.equal(server.disconnect(), true);
    await gone;
    // Give QEMU time to see the hang-up (its reconnect timer is 1 s, so it is still away after).
    await new Promise((res) => setTimeout(res, 300));
    const down = await kcsTransaction(q, [0x18, 0x01]);
    assert.deepEqual(down.response, [0x1c, 0x01, 0xd2]);
    await until('the VM to reconnect', () => fromQemu.length === 2 && server.capabilities === 0x3f, 10_000);
    assert.equal(toHex(flat(fromQemu[1]!).subarray(0, 6)), 'ff 01 a1 08 3f a1');
    const again = await kcsTransaction(q, [0x18, 0x01]);
    assert.deepEqual(again.response, deviceIdResponse);
    // The wire seq is the interface's response counter: the local 0xD2 answer consumed seq 2.
    assert.deepEqual([...wireSeqs(fromQemu[0]!), ...wireSeqs(fromQemu[1]!)], [0, 1, 3]);

    // Machine controls.
    assert.equal(server.reset(), 'sent');
    await qmp.waitEvent('RESET');
    assert.equal(server.gracefulShutdown(), 'sent');
    await qmp.waitEvent('POWERDOWN');
    assert.equal(server.sendNmi(), 'sent');
    await q.inb(kcsStatus); // still alive
    assert.equal(server.powerOff(), 'sent');
    const exit = await Promise.race([q.exited, new Promise((res) => setTimeout(() => res('still running'), 5000).unref())]);
    assert.deepEqual(exit, { code: 0, signal: null }, 'QEMU exits on POWEROFF');
    assert.equal(server.stats.malformed.checksum + server.stats.malformed.tooShort + server.stats.malformed.tooLong + server.stats.malformed.escape, 0);
  } finally {
    qmp?.close();
    await q.kill();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('real QEMU over a Unix socket: stale frames left by a dead BMC cannot act on the new connection (Q1)', { timeout: 90_000 }, async (t) => {
  if (!haveQemu(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'ipmi-qemu-'));
  const path = join(dir, 'bmc.sock');

  /** A BMC that dies mid-frame: writes `stale` without a terminator and hangs up. */
  const dyingBmc = async (stale: Uint8Array) => {
    const raw = net.createServer((s) => {
      s.on('error', () => {});
      // Read what QEMU sends: closing with unread input would reset the connection, and QEMU
      // could then lose the stale bytes before parsing them.
      s.resume();
      s.end(stale);
    });
    const served = once(raw, 'connection');
    await new Promise<void>((res) => raw.listen(path, res));
    return async () => {
      await served;
      await new Promise((res) => setTimeout(res, 100));
      await new Promise<void>((res) => raw.close(() => res()));
    };
  };

  const bmc = new FakeBmc();
  let closeDying = await dyingBmc(Uint8Array.from([0x00, 0x1c, 0x01, ...new Uint8Array(400).fill(0x11)]));
  const q = new QtestQemu(qemuArgs(`socket,id=ipmi0,path=${path}`, dir), t.signal);
  try {
    // Round 1: an over-long partial response whose first byte equals the KCS counter (0). A lone
    // A0 would make QEMU deliver it as a 0xC6 response the guest never asked for.
    // Round 2: a lone 0x03. A terminator-first flush of A1 would power the VM off.
    for (const [round, next] of [[1, Uint8Array.of(0x03)] as const, [2, undefined] as const]) {
      await closeDying();
      const { server, fromQemu } = traced(bmc, { path });
      await server.listen();
      try {
        await until(`round ${round}: the VM to reconnect`, () => {
          assert.ok(q.running, `round ${round}: QEMU exited, i.e. the stale frame powered it off`);
          return server.capabilities === 0x3f;
        }, 10_000);
        assert.equal(toHex(flat(fromQemu[0]!).subarray(0, 6)), 'ff 01 a1 08 3f a1');
        await new Promise((res) => setTimeout(res, 200));
        assert.ok(q.running, `round ${round}: QEMU still running`);
        assert.equal(await q.inb(kcsStatus), 0x00, `round ${round}: KCS idle, nothing delivered`);
        assert.deepEqual((await kcsTransaction(q, [0x18, 0x01])).response, deviceIdResponse);
      } finally {
        await server.close();
      }
      if (next) closeDying = await dyingBmc(next);
    }
    assert.match(q.stderr, /msg escape not ended/, 'QEMU saw our parser reset');
  } finally {
    await q.kill();
    await rm(dir, { recursive: true, force: true });
  }
});

test('VmDeframer predicts what QEMU 7.2 parses, including its escape and too-long quirks', { timeout: 90_000 }, async (t) => {
  if (!haveQemu(t)) return;
  const dir = await mkdtemp(join(tmpdir(), 'ipmi-qemu-'));
  // A raw BMC: we need to send QEMU bytes our server never would. It answers requests with
  // Get Device ID so a KCS transaction can serve as a barrier (QEMU parses its input in order).
  let link: net.Socket | undefined;
  let helloSeen = false;
  const raw = net.createServer((s) => {
    link = s;
    s.on('error', () => {});
    const d = new VmDeframer();
    s.on('data', (chunk: Buffer) => {
      for (const e of d.push(chunk)) {
        if (e.kind === 'control' && e.code === 0x08) helloSeen = true;
        if (e.kind === 'message') s.write(encodeVmMessage({ seq: e.seq, netFn: e.netFn | 1, lun: e.lun, cmd: e.cmd, cc: 0, data: deviceId }));
      }
    });
  });
  await new Promise<void>((res) => raw.listen(0, '127.0.0.1', res));
  const port = (raw.address() as net.AddressInfo).port;
  const q = new QtestQemu(qemuArgs(`socket,id=ipmi0,host=127.0.0.1,port=${port}`, dir), t.signal);
  try {
    // QEMU counts itself connected once it has sent its handshake, not when we accept.
    await until('the VM to connect', () => helloSeen);
    /**
     * Sends `bytes` from a clean parser with ATN off and compares QEMU's SMS_ATN bit with the
     * deframer's prediction: set iff the last NOATTN/ATTN control it decodes is ATTN. The bytes
     * come from an alphabet whose controls can only be 00, 01, 10 or 11, so nothing else acts.
     */
    const check = async (bytes: Uint8Array) => {
      const events = new VmDeframer({ minMessage: VmLimits.minResponse }).push(bytes);
      const attention = events.flatMap((e) => (e.kind === 'control' && e.code <= 0x01 ? [e.code] : []));
      link!.write(Uint8Array.from([...vmParserReset, 0x00, 0xa1, ...bytes, ...vmParserReset]));
      assert.deepEqual((await kcsTransaction(q, [0x18, 0x01])).response, deviceIdResponse);
      const atn = ((await q.inb(kcsStatus)) & 0x04) !== 0;
      assert.equal(atn, attention.at(-1) === 0x01, `${toHex(bytes)}: deframer saw ${JSON.stringify(events.map((e) => e.kind === 'error' ? e.reason : e.kind))}`);
    };
    await check(hex`01 a1`);
    await check(hex`01 a1 00 a1`);
    await check(hex`a1 a1 01 a1 a1`); // empty command frames do nothing
    await check(hex`00 1c aa a0 11 a1`); // an escape pending at 0xA0 survives: 11 becomes ATTN
    await check(hex`aa a1 11 a1`); // ...but not at 0xA1
    await check(hex`aa aa 11 a1`); // a doubled escape is one escape
    await check(Uint8Array.from([...new Uint8Array(303).fill(0x11), 0xaa, 0xa1, 0x11, 0xa1])); // kept through a too-long command frame
    await check(Uint8Array.from([...new Uint8Array(302).fill(0x01), 0xa1])); // 302 bytes is not too long: code 01
    await check(Uint8Array.from([...new Uint8Array(303).fill(0x01), 0xa1])); // 303 is
    const alphabet = fc.constantFrom(0x00, 0x01, 0x10, 0x11, 0xa0, 0xa1, 0xaa);
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { maxLength: 40 }), async (arr) => {
        const bytes = Uint8Array.from(arr);
        // Keep the interface out of it: no frame QEMU would deliver to the guest as a response.
        fc.pre(!new VmDeframer({ minMessage: VmLimits.minResponse }).push(bytes).some((e) => e.kind === 'message'));
        await check(bytes);
      }),
      { numRuns: 60 },
    );
  } finally {
    await q.kill();
    link?.destroy();
    await new Promise<void>((res) => raw.close(() => res()));
    await rm(dir, { recursive: true, force: true });
  }
});
