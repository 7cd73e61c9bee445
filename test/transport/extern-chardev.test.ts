import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ExternChardevServer, type ExternListen } from '../../src/transport/extern-chardev.js';
import { VmCapability, encodeVmControl, encodeVmMessage, vmParserReset, type VmEvent } from '../../src/protocol/vm-codec.js';
import { hex, toHex } from '../helpers/bytes.js';
import { FakeBmc, deviceId } from '../helpers/fake-bmc.js';
import { VmPeer, qemuHandshake } from '../helpers/vm-peer.js';

interface Rig {
  bmc: FakeBmc;
  server: ExternChardevServer;
  at: ExternListen;
  logs: string[];
  writes: Uint8Array[];
  [Symbol.asyncDispose](): Promise<void>;
}

async function rig(listen: ExternListen = { host: '127.0.0.1', port: 0 }, bmc = new FakeBmc()): Promise<Rig> {
  const logs: string[] = [];
  const writes: Uint8Array[] = [];
  const server = new ExternChardevServer({
    bmc,
    listen,
    log: (level, m) => logs.push(`${level}: ${m}`),
    trace: (dir, bytes) => {
      if (dir === 'out') writes.push(bytes.slice());
    },
  });
  bmc.server = server;
  const at = await server.listen();
  return { bmc, server, at, logs, writes, [Symbol.asyncDispose]: () => server.close() };
}

/** Connects like QEMU: handshake sent, then waits for ours (parser reset, version, attention). */
async function qemu(r: Rig): Promise<VmPeer> {
  const peer = await VmPeer.connect(r.at);
  peer.send(qemuHandshake);
  await peer.until(() => r.server.capabilities === 0x3f && peer.events.some((e) => e.kind === 'control' && e.code <= 2));
  return peer;
}

const getDeviceId = (seq: number, lun = 0) => encodeVmMessage({ seq, netFn: 0x06, lun, cmd: 0x01, data: hex`` });
const messages = (events: VmEvent[]) => events.filter((e) => e.kind === 'message');
const controls = (events: VmEvent[]) => events.filter((e) => e.kind === 'control').map((e) => e.code);

test('TCP: handshake is parser reset + version, then attention once the VM told its capabilities', async () => {
  await using r = await rig();
  const connects: string[] = [];
  r.server.on('connect', (i) => connects.push(i.remote));
  const peer = await VmPeer.connect(r.at);
  await peer.until(() => peer.received.length >= 6);
  assert.equal(toHex(peer.received), 'aa a0 a1 ff 01 a1');
  assert.equal(r.server.connected, true);
  assert.equal(r.server.capabilities, 0);
  peer.send(qemuHandshake);
  await peer.until(() => peer.received.length >= 8);
  assert.equal(toHex(peer.received), 'aa a0 a1 ff 01 a1 00 a1');
  assert.equal(r.server.capabilities, 0x3f);
  assert.equal(connects.length, 1);
  assert.deepEqual(r.writes.map((w) => toHex(w)), ['aa a0 a1 ff 01 a1', '00 a1']);
  peer.close();
});

test('Unix socket: request/response, stale socket file replaced, removed on close', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ipmi-extern-'));
  try {
    // A socket file nobody listens on, as a killed run leaves behind (a clean close unlinks it).
    const stale = join(dir, 'stale.sock');
    const killed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok((await stat(stale)).isSocket());
    {
      await using r = await rig({ path: stale });
      const peer = await qemu(r);
      peer.send(getDeviceId(7));
      await peer.until(() => messages(peer.events).length === 1);
      const [rsp] = messages(peer.events);
      assert.deepEqual(rsp, { kind: 'message', seq: 7, netFn: 0x07, lun: 0, cmd: 0x01, data: hex`00 ${toHex(deviceId)}` });
      assert.ok(r.logs.some((l) => l.includes('removing stale socket')));
      peer.close();
    }
    await assert.rejects(stat(stale), { code: 'ENOENT' });
    // A path that is not a socket is never removed.
    const file = join(dir, 'not-a-socket');
    await writeFile(file, 'keep me');
    const s = new ExternChardevServer({ bmc: new FakeBmc(), listen: { path: file } });
    await assert.rejects(s.listen(), { code: 'EADDRINUSE' });
    assert.ok((await stat(file)).isFile());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('every request is answered once, in order, with its seq, LUN and netFn|1', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  const seqs = [0, 1, 0xa0, 0xa1, 0xaa, 0xff, 0x10, 0x42];
  // Coalesced: all requests in one write, as several frames in one TCP segment.
  peer.send(Uint8Array.from(seqs.flatMap((s, i) => [...getDeviceId(s, i & 3)])));
  await peer.until(() => messages(peer.events).length >= seqs.length);
  const rsps = messages(peer.events);
  assert.deepEqual(
    rsps.map((m) => [m.seq, m.netFn, m.lun, m.cmd, m.data[0]]),
    seqs.map((s, i) => [s, 0x07, i & 3, 0x01, 0x00]),
  );
  assert.equal(r.bmc.requests.length, seqs.length);
  assert.equal(r.server.stats.requests, seqs.length);
  assert.equal(r.server.stats.responses, seqs.length);
  peer.close();
});

test('a request split into single bytes over several writes is answered once', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  for (const b of encodeVmMessage({ seq: 0xa0, netFn: 0x06, lun: 0, cmd: 0x01, data: hex`` })) {
    peer.send(Uint8Array.of(b));
    await new Promise((res) => setTimeout(res, 2));
  }
  await peer.until(() => messages(peer.events).length === 1);
  assert.equal(messages(peer.events)[0]!.seq, 0xa0);
  assert.equal(r.bmc.requests.length, 1);
  peer.close();
});

test('bad checksum, over-long frame and pending escape are dropped and counted; the link goes on', async () => {
  await using r = await rig();
  const reasons: string[] = [];
  r.server.on('malformed', (m) => reasons.push(m.reason));
  const peer = await qemu(r);
  peer.send(hex`00 18 01 e8 a0`); // checksum
  peer.send(new Uint8Array(400).fill(0x11));
  peer.send(hex`a0`); // too long
  peer.send(hex`01 18 a0`); // too short
  peer.send(getDeviceId(2));
  await peer.until(() => messages(peer.events).length === 1);
  assert.equal(messages(peer.events)[0]!.seq, 2);
  // An escape left pending by a dropped frame survives the terminator (QEMU's parser): 0x10 reads as 0x00.
  peer.send(hex`03 18 aa a0 | 10 18 01 e7 a0`);
  await peer.until(() => messages(peer.events).length === 2);
  assert.equal(messages(peer.events)[1]!.seq, 0);
  assert.deepEqual(reasons, ['checksum', 'too-long', 'too-short', 'escape']);
  assert.deepEqual(r.server.stats.malformed, { checksum: 1, tooShort: 1, tooLong: 1, escape: 1 });
  assert.equal(r.bmc.requests.length, 2);
  peer.close();
});

test('random garbage never brings the server down (property, real socket)', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 1500 }), async (garbage) => {
      peer.send(garbage);
      // A client can always resynchronise with the same sequence we send QEMU.
      peer.send(vmParserReset);
      peer.send(getDeviceId(0x5a));
      answered++;
      await peer.until(() => messages(peer.events).filter((m) => m.seq === 0x5a && m.cmd === 0x01).length >= answered);
    }),
    { numRuns: 40 },
  );
  assert.equal(r.server.connected, true);
  peer.close();
});

test('a second concurrent connection is accepted and closed; the first one is unaffected', async () => {
  await using r = await rig();
  const rejected: string[] = [];
  r.server.on('rejected', (i) => rejected.push(i.remote));
  const first = await qemu(r);
  const second = await VmPeer.connect(r.at);
  await second.closed();
  assert.equal(second.received.length, 0);
  assert.equal(rejected.length, 1);
  assert.equal(r.server.stats.rejectedConnections, 1);
  assert.ok(r.logs.some((l) => l.startsWith('warn: refusing VM connection')));
  first.send(getDeviceId(9));
  await first.until(() => messages(first.events).length === 1);
  // Once the first one is gone, a new VM is welcome.
  first.close();
  await new Promise((res) => r.server.once('disconnect', res));
  const third = await qemu(r);
  assert.equal(r.server.stats.connections, 2);
  third.close();
});

test('disconnect mid-request: the BMC still applies it, nothing leaks into the next connection', async () => {
  await using r = await rig();
  const first = await qemu(r);
  const gone = new Promise((res) => r.server.once('disconnect', res));
  // Set Global Enables then hang up at once: the request is dispatched, the reply has nowhere to go.
  first.send(encodeVmMessage({ seq: 4, netFn: 0x06, lun: 0, cmd: 0x2e, data: hex`09` }));
  first.socket.end();
  await gone;
  assert.equal(r.bmc.requests.length, 1);
  assert.equal(r.bmc.globalEnables, 0x09);
  assert.equal(r.server.connected, false);
  assert.equal(r.server.capabilities, 0);
  assert.equal(r.server.powerOff(), 'not-connected');
  assert.equal(r.server.updateAttention(), 'not-connected');

  // A partial frame from a dead peer is forgotten: the next peer's bytes start a fresh frame.
  const second = await qemu(r);
  second.send(hex`00 18 01`);
  await new Promise((res) => setTimeout(res, 20));
  second.close();
  await new Promise((res) => r.server.once('disconnect', res));
  const third = await qemu(r);
  third.send(hex`e7 a0`);
  third.send(getDeviceId(1));
  await third.until(() => messages(third.events).length === 1);
  assert.equal(messages(third.events)[0]!.seq, 1);
  assert.equal(r.bmc.requests.length, 2);
  assert.equal(r.server.stats.malformed.tooShort, 1);
  third.close();
});

test('IRQ enable/disable go out before the Set BMC Global Enables response, in the same write', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  r.writes.length = 0;
  peer.send(encodeVmMessage({ seq: 3, netFn: 0x06, lun: 0, cmd: 0x2e, data: hex`09` }));
  await peer.until(() => messages(peer.events).length === 1);
  // Byte for byte what ipmi_sim sent in the capture (extern-chardev-capture.txt, t=5.746).
  assert.deepEqual(r.writes.map((w) => toHex(w)), ['05 a1 03 1c 2e 00 b3 a0']);
  peer.send(encodeVmMessage({ seq: 4, netFn: 0x06, lun: 0, cmd: 0x2e, data: hex`08` }));
  await peer.until(() => messages(peer.events).length === 2);
  assert.deepEqual(r.writes.map((w) => toHex(w)).at(-1), '06 a1 04 1c 2e 00 b2 a0');
  // No edge, no control.
  peer.send(encodeVmMessage({ seq: 5, netFn: 0x06, lun: 0, cmd: 0x2e, data: hex`0c` }));
  await peer.until(() => messages(peer.events).length === 3);
  assert.equal(r.writes.length, 3);
  const order = peer.events.slice(-5).map((e) => (e.kind === 'message' ? `rsp${e.seq}` : e.kind === 'control' ? `ctl${e.code}` : e.kind));
  assert.deepEqual(order, ['ctl5', 'rsp3', 'ctl6', 'rsp4', 'rsp5']);
  peer.close();
});

test('attention: current state after the capabilities, then only on change, before the response', async () => {
  await using r = await rig();
  r.bmc.flags = 0x02;
  r.bmc.globalEnables = 0x09;
  const peer = await qemu(r);
  assert.deepEqual(controls(peer.events), [0xff, 0x02]);
  assert.equal(r.server.updateAttention(), 'unchanged');
  r.bmc.globalEnables = 0x08;
  assert.equal(r.server.updateAttention(), 'sent');
  await peer.until(() => controls(peer.events).length === 3);
  assert.deepEqual(controls(peer.events), [0xff, 0x02, 0x01]);
  r.writes.length = 0;
  // Clear Message Flags empties them: NOATTN precedes the response (capture t=5.782).
  peer.send(encodeVmMessage({ seq: 6, netFn: 0x06, lun: 0, cmd: 0x30, data: hex`ff` }));
  await peer.until(() => messages(peer.events).length === 1);
  assert.deepEqual(r.writes.map((w) => toHex(w)), ['00 a1 06 1c 30 00 ae a0']);
  assert.equal(r.server.updateAttention(), 'unchanged');
  peer.close();
});

test('power, reset, NMI and shutdown: sent alone, or after the response when asked during a request', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  r.writes.length = 0;
  assert.equal(r.server.powerOff(), 'sent');
  assert.equal(r.server.reset(), 'sent');
  assert.equal(r.server.sendNmi(), 'sent');
  assert.equal(r.server.gracefulShutdown(), 'sent');
  assert.deepEqual(r.writes.map((w) => toHex(w)), ['03 a1', '04 a1', '07 a1', '09 a1']);
  r.writes.length = 0;
  peer.send(encodeVmMessage({ seq: 8, netFn: 0x06, lun: 0, cmd: 0x02, data: hex`` }));
  await peer.until(() => messages(peer.events).length === 1);
  assert.deepEqual(r.writes.map((w) => toHex(w)), [`${toHex(encodeVmMessage({ seq: 8, netFn: 7, lun: 0, cmd: 2, cc: 0, data: hex`` }))} 04 a1`]);
  assert.equal(r.server.stats.controlsOut, 1 + 5 + 0); // attention at connect, four above, the reset
  peer.close();
});

test('controls the VM did not advertise are refused, so the caller can fall back', async () => {
  await using r = await rig();
  const peer = await VmPeer.connect(r.at);
  await peer.until(() => peer.received.length >= 6);
  // Before any capabilities: nothing but our version goes out.
  assert.equal(r.server.powerOff(), 'not-supported');
  assert.equal(r.server.updateAttention(), 'not-supported');
  peer.send(encodeVmControl(0x08, Uint8Array.of(VmCapability.power)));
  await new Promise((res) => r.server.once('capabilities', res));
  assert.equal(r.server.supports(VmCapability.power), true);
  assert.equal(r.server.supports(VmCapability.power | VmCapability.reset), false);
  assert.equal(r.server.reset(), 'not-supported');
  assert.equal(r.server.setIrqEnabled(true), 'not-supported');
  assert.equal(r.server.sendNmi(), 'not-supported');
  assert.equal(r.server.gracefulShutdown(), 'not-supported');
  assert.equal(r.server.powerOff(), 'sent');
  // No attention bit, so no NOATTN at connect either; capabilities are OR-ed in like ipmi_sim.
  peer.send(encodeVmControl(0x08, Uint8Array.of(VmCapability.attn)));
  await peer.until(() => peer.received.length >= 10);
  assert.equal(toHex(peer.received), 'aa a0 a1 ff 01 a1 03 a1 00 a1');
  assert.equal(r.server.capabilities, VmCapability.power | VmCapability.attn);
  // A Set Global Enables edge with IRQ unsupported still gets its response.
  peer.send(encodeVmMessage({ seq: 1, netFn: 0x06, lun: 0, cmd: 0x2e, data: hex`09` }));
  await peer.until(() => messages(peer.events).length === 1);
  peer.close();
});

test('a VM reset notification is reported; unknown controls are ignored', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  let resets = 0;
  r.server.on('vmReset', () => resets++);
  peer.send(hex`04 a1 42 a1 ff 02 a1`);
  peer.send(getDeviceId(1));
  await peer.until(() => messages(peer.events).length === 1);
  assert.equal(resets, 1);
  assert.ok(r.logs.some((l) => l.includes('protocol version 2')));
  peer.close();
});

test('a failing or oversized BMC answer still produces exactly one response', async () => {
  await using r = await rig();
  const peer = await qemu(r);
  r.bmc.next = () => {
    throw new Error('boom');
  };
  peer.send(getDeviceId(1));
  await peer.until(() => messages(peer.events).length === 1);
  assert.deepEqual(messages(peer.events)[0]!.data, hex`ff`);
  r.bmc.next = () => ({ cc: 0, data: new Uint8Array(298) });
  peer.send(getDeviceId(2));
  await peer.until(() => messages(peer.events).length === 2);
  assert.deepEqual(messages(peer.events)[1]!.data, hex`ca`);
  r.bmc.next = () => ({ cc: 0, data: new Uint8Array(297).fill(0xa0) }); // the largest QEMU takes, all escaped
  peer.send(getDeviceId(3));
  await peer.until(() => messages(peer.events).length === 3);
  assert.equal(messages(peer.events)[2]!.data.length, 298);
  r.bmc.next = () => ({ cc: 0x1ff, data: hex`` });
  peer.send(getDeviceId(4));
  await peer.until(() => messages(peer.events).length === 4);
  assert.deepEqual(messages(peer.events)[3]!.data, hex`ff`);
  assert.equal(r.server.stats.dispatchErrors, 2);
  assert.equal(r.server.stats.oversizeResponses, 1);
  peer.close();
});

test('a peer that sends but never reads is dropped before our buffer grows without bound', async () => {
  const bmc = new FakeBmc();
  bmc.next = () => ({ cc: 0, data: new Uint8Array(297) });
  const server = new ExternChardevServer({ bmc, listen: { host: '127.0.0.1', port: 0 }, maxWriteBacklog: 16 * 1024 });
  const at = (await server.listen()) as { host: string; port: number };
  try {
    const socket = net.connect(at.port, at.host);
    socket.on('error', () => {});
    await new Promise((res) => socket.once('connect', res));
    socket.pause();
    const burst = Uint8Array.from(Array.from({ length: 2000 }, (_, i) => [...getDeviceId(i & 0x7f)]).flat());
    const dropped = new Promise((res) => server.once('disconnect', res));
    for (let i = 0; i < 40 && server.connected; i++) {
      socket.write(burst);
      await new Promise((res) => setTimeout(res, 10));
    }
    await dropped;
    assert.equal(server.stats.droppedPeers, 1);
    socket.destroy();
  } finally {
    await server.close();
  }
});

test('disconnect() drops the VM but keeps listening for the next one', async () => {
  await using r = await rig();
  assert.equal(r.server.disconnect(), false);
  const first = await qemu(r);
  const gone = new Promise((res) => r.server.once('disconnect', res));
  assert.equal(r.server.disconnect(), true);
  await gone;
  await first.closed();
  const second = await qemu(r);
  assert.equal(toHex(second.received), 'aa a0 a1 ff 01 a1 00 a1');
  second.close();
});

test('close() drops the VM, stops listening, and is idempotent', async () => {
  const r = await rig();
  const peer = await qemu(r);
  const disconnected = new Promise((res) => r.server.once('disconnect', res));
  await r.server.close();
  await disconnected;
  await peer.closed();
  assert.equal(r.server.connected, false);
  await r.server.close();
  const at = r.at as { host: string; port: number };
  await assert.rejects(
    new Promise((res, rej) => net.connect(at.port, at.host).once('connect', res).once('error', rej)),
    { code: 'ECONNREFUSED' },
  );
});
