// The SOL engine through the LAN channel: activation and ownership, the packet rules real
// consoles depend on (sol.md §0), the SOL configuration parameters and user payload access.
// Consoles are built from the protocol codecs (test/helpers/lan-harness.ts); the system's serial
// port is a MemoryConsole.

import test from 'node:test';
import assert from 'node:assert/strict';
import { Harness, PlusPeer } from '../helpers/lan-harness.js';
import { MemoryConsole } from '../helpers/memory-console.js';
import * as pl from '../../src/ipmi/commands/payload.js';
import { getSolConfigParameters, setSolConfigParameters, SolParam } from '../../src/ipmi/commands/transport.js';
import { encodeWith } from '../../src/ipmi/spec.js';
import { SolOperation, SolStatus, type SolPacket } from '../../src/protocol/sol.js';
import type { BmcConfig } from '../../src/bmc/config/model.js';
import { MemoryStore } from '../../src/bmc/store.js';
import { Bmc } from '../../src/bmc/bmc.js';
import { SeededRng } from '../../src/bmc/rng.js';

const text = (p: SolPacket) => Buffer.from(p.data).toString('latin1');
const ACTIVATE = { payloadType: 1, instance: 1, aux: 0xc6 };

function setup(suite = 3, configure: (c: BmcConfig) => void = () => {}) {
  const console = new MemoryConsole();
  const h = new Harness(configure, new SeededRng(7), console);
  const peer = new PlusPeer(h, { suite }).establish();
  assert.equal(peer.request(0x06, 0x3b, Uint8Array.of(4)).cc, 0, 'Set Session Privilege Level: ADMINISTRATOR');
  return { h, console, peer };
}

/** Activates instance 1 and lets the engine start (it waits for the response to go out). */
function activate(h: Harness, peer: PlusPeer, req = ACTIVATE) {
  const r = peer.request(pl.activatePayload.netFn, pl.activatePayload.cmd, encodeWith(pl.activatePayload.request, req));
  h.clock.advance(0);
  return r;
}

/** The SOL packets the BMC sent on its own since the last call. */
function fromBmc(h: Harness, peer: PlusPeer): SolPacket[] {
  return h.takeOutbox().map((d) => peer.unwrapSol(d));
}

function sol(h: Harness, peer: PlusPeer, p: Partial<Omit<SolPacket, 'data'>> & { data?: Uint8Array | string }) {
  assert.deepEqual(h.send(peer.solDatagram(p)), [], 'SOL packets get no direct reply');
}

test('payload discovery: channel support, versions, activation status and instance info', () => {
  const { h, peer } = setup();
  assert.deepEqual(peer.invoke(pl.getChannelPayloadSupport, { channel: 0x0e }), { standard: 0x03, sessionSetup: 0x3f, oem: 0 });
  assert.deepEqual(peer.invoke(pl.getChannelPayloadVersion, { channel: 0x0e, payloadType: 1 }), { major: 1, minor: 0 });
  assert.equal(peer.request(0x06, 0x4f, Uint8Array.of(0x0e, 0x05)).cc, 0x80, 'payload type 5 is not on this channel');
  assert.equal(peer.request(0x06, 0x4e, Uint8Array.of(0x05)).cc, 0xcc, 'only the LAN channel carries payloads');
  assert.deepEqual(peer.invoke(pl.getPayloadActivationStatus, { payloadType: 1 }), { capacity: 2, activeInstances: 0 });
  const r = activate(h, peer);
  assert.equal(r.cc, 0);
  // aux 00000000 | inbound 255 | outbound 255 | port 623 (the channel's, little-endian) | no VLAN
  assert.deepEqual([...r.data], [0, 0, 0, 0, 0xff, 0, 0xff, 0, 0x6f, 0x02, 0xff, 0xff]);
  assert.deepEqual(peer.invoke(pl.getPayloadActivationStatus, { payloadType: 1 }), { capacity: 2, activeInstances: 1 });
  const info = peer.invoke(pl.getPayloadInstanceInfo, { payloadType: 1, instance: 1 });
  assert.equal(info.sessionId, peer.bmcSessionId, 'pyghmi compares this with its BMC session ID');
  assert.equal(info.payloadData[0], 1, 'system serial port 1');
  assert.equal(peer.invoke(pl.getPayloadInstanceInfo, { payloadType: 1, instance: 2 }).sessionId, 0);
});

test('console data: written whole, ACKed at once with the full count; a repeated sequence number is not written twice', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  sol(h, peer, { sequence: 1, data: 'abc' });
  assert.equal(console.writtenText(), 'abc');
  assert.deepEqual(fromBmc(h, peer), [{ sequence: 0, ackSequence: 1, acceptedCount: 3, flags: 0, data: new Uint8Array(0) }]);
  sol(h, peer, { sequence: 1, data: 'abc' });
  assert.equal(console.writtenText(), 'abc', 'a retransmission is re-ACKed, not written');
  assert.equal(fromBmc(h, peer)[0]!.acceptedCount, 3);
  // ipmitool retransmits under a new number: that is new data.
  sol(h, peer, { sequence: 2, data: 'abc' });
  assert.equal(console.writtenText(), 'abcabc');
  // An empty data packet (a keepalive) is ACKed too; an ACK-only packet is not.
  sol(h, peer, { sequence: 3 });
  assert.deepEqual(fromBmc(h, peer).map((p) => [p.ackSequence, p.acceptedCount]), [[2, 3], [3, 0]]);
  sol(h, peer, { sequence: 0, ackSequence: 5, acceptedCount: 1 });
  assert.deepEqual(fromBmc(h, peer), []);
  // Up to 255 characters per packet are taken (pyghmi sends "inbound size" characters).
  sol(h, peer, { sequence: 4, data: new Uint8Array(255).fill(0x41) });
  assert.equal(fromBmc(h, peer)[0]!.acceptedCount, 255);
  assert.equal(h.channel.counters.dropped.internal, 0);
});

test('system output: one packet outstanding, 251 characters each, the next after the ACK; partial ACK resends the rest under a new number', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  const burst = Buffer.alloc(600, 0).map((_, i) => 0x20 + (i % 90));
  console.print(burst);
  let [p] = fromBmc(h, peer);
  assert.equal(p!.sequence, 1);
  assert.equal(p!.data.length, 251);
  assert.deepEqual(fromBmc(h, peer), [], 'nothing more until the ACK');
  sol(h, peer, { ackSequence: 1, acceptedCount: 251 });
  [p] = fromBmc(h, peer);
  assert.equal(p!.sequence, 2);
  assert.equal(p!.data[0], burst[251]);
  sol(h, peer, { ackSequence: 2, acceptedCount: 100 });
  [p] = fromBmc(h, peer);
  assert.equal(p!.sequence, 3, 'the rest goes under a new sequence number, at once (it waited already)');
  assert.equal(p!.data[0], burst[351]);
  assert.equal(p!.data.length, 600 - 251 - 100);
  assert.deepEqual(Buffer.from(p!.data), Buffer.from(burst.subarray(351)));
  sol(h, peer, { ackSequence: 3, acceptedCount: p!.data.length });
  assert.deepEqual(fromBmc(h, peer), []);
});

test('a small amount of output waits for the accumulate interval; unacknowledged packets are resent with the same number', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  console.print('hi');
  assert.deepEqual(fromBmc(h, peer), []);
  h.clock.advance(19);
  assert.deepEqual(fromBmc(h, peer), []);
  h.clock.advance(1);
  const [p] = fromBmc(h, peer);
  assert.equal(text(p!), 'hi');
  // Retry interval 100 ms, 7 retries: the same SOL sequence, a new session sequence each time.
  h.clock.advance(100);
  const [r1] = fromBmc(h, peer);
  assert.equal(r1!.sequence, p!.sequence);
  assert.equal(text(r1!), 'hi');
  h.clock.advance(600);
  assert.equal(fromBmc(h, peer).length, 6);
  // Beyond the retries the packet is kept (nothing lost) and resent once a second.
  h.clock.advance(999);
  assert.deepEqual(fromBmc(h, peer), []);
  h.clock.advance(1);
  assert.equal(fromBmc(h, peer).length, 1);
  sol(h, peer, { ackSequence: p!.sequence, acceptedCount: 2 });
  h.clock.advance(5000);
  assert.deepEqual(fromBmc(h, peer), []);
});

test('sequence numbers run 1..15 and wrap to 1', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  const seen: number[] = [];
  for (let i = 0; i < 17; i++) {
    console.print('x'.repeat(251));
    const [p] = fromBmc(h, peer);
    seen.push(p!.sequence);
    sol(h, peer, { ackSequence: p!.sequence, acceptedCount: 251 });
  }
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 1, 2]);
});

test('late joiner: output no SOL client has seen is replayed on activation, once', () => {
  const { h, console, peer } = setup();
  console.print('boot log\r\nlogin: ');
  activate(h, peer);
  h.clock.advance(20);
  const [p] = fromBmc(h, peer);
  assert.equal(text(p!), 'boot log\r\nlogin: ');
  sol(h, peer, { ackSequence: p!.sequence, acceptedCount: p!.data.length });
  peer.invoke(pl.deactivatePayload, ACTIVATE);
  console.print('while away');
  activate(h, peer);
  h.clock.advance(20);
  assert.deepEqual(fromBmc(h, peer).map(text), ['while away'], 'only what was not acknowledged before');
});

test('replay "none" sends only new output; "all" the whole ring', () => {
  for (const [replay, expected] of [
    ['none', ['new']],
    ['all', ['oldnew']],
  ] as const) {
    const { h, console, peer } = setup(3, (c) => (c.sol.replay = replay));
    console.print('old');
    activate(h, peer);
    console.print('new');
    h.clock.advance(20);
    assert.deepEqual(fromBmc(h, peer).map(text), expected, replay);
  }
});

test('takeover: a second console gets 0x80; Deactivate from it notifies the first (status 0x50) and later ignores it', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  const other = new PlusPeer(h, { suite: 3, consoleSessionId: 0x11223344 }).establish();
  other.request(0x06, 0x3b, Uint8Array.of(4));
  assert.equal(activate(h, other).cc, 0x80, 'payload already active');
  assert.equal(other.request(0x06, 0x49, encodeWith(pl.deactivatePayload.request, ACTIVATE)).cc, 0);
  const notice = h.takeOutbox();
  assert.equal(notice.length, 1);
  assert.equal(peer.unwrapSol(notice[0]!).flags, SolStatus.Deactivating | SolStatus.Nack, 'FreeIPMI: "SOL session stolen"');
  h.expectDrop(peer.solDatagram({ sequence: 2, data: 'late' }), 'not-permitted');
  assert.equal(console.writtenText(), '');
  assert.equal(activate(h, other).cc, 0);
  assert.equal(peer.request(0x06, 0x49, encodeWith(pl.deactivatePayload.request, ACTIVATE)).cc, 0, 'the first may take it back');
  assert.equal(other.unwrapSol(h.takeOutbox()[0]!).flags, SolStatus.Deactivating | SolStatus.Nack);
  assert.equal(other.request(0x06, 0x49, encodeWith(pl.deactivatePayload.request, ACTIVATE)).cc, 0x80, 'already deactivated');
});

test('one SOL instance per session; a session that closes releases its instance', () => {
  const { h, peer } = setup();
  activate(h, peer);
  assert.equal(activate(h, peer, { ...ACTIVATE, instance: 2 }).cc, 0x82);
  peer.request(0x06, 0x3c, Uint8Array.of(...new Uint8Array(new Uint32Array([peer.bmcSessionId]).buffer)));
  assert.equal(h.bmc.sol.status().activeInstances, 0);
});

test('system port down: input is discarded and ACKs say "character transfer unavailable", without NACK', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  console.setAvailable(false);
  sol(h, peer, { sequence: 1, data: 'lost' });
  const [ack] = fromBmc(h, peer);
  assert.equal(ack!.acceptedCount, 4);
  assert.equal(ack!.flags, SolStatus.CharacterTransferUnavailable);
  assert.equal(console.writtenText(), '');
});

test('console operations: break and flush inbound reach the system, flush outbound drops queued output', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  sol(h, peer, { sequence: 1, flags: SolOperation.Break });
  assert.equal(console.breaks, 1);
  sol(h, peer, { sequence: 2, flags: SolOperation.FlushInbound });
  assert.equal(console.inputFlushes, 1);
  fromBmc(h, peer);
  console.print('x'.repeat(300));
  const [p] = fromBmc(h, peer);
  sol(h, peer, { sequence: 3, flags: SolOperation.FlushOutbound });
  fromBmc(h, peer);
  sol(h, peer, { ackSequence: p!.sequence, acceptedCount: 0 });
  h.clock.advance(2000);
  assert.deepEqual(fromBmc(h, peer), [], 'nothing left to send or resend');
});

test('NACK with 0 accepted suspends output until an ACK; FreeIPMI\'s NACK of an empty packet is an ACK', () => {
  const { h, console, peer } = setup();
  activate(h, peer);
  console.print('y'.repeat(251));
  let [p] = fromBmc(h, peer);
  sol(h, peer, { ackSequence: p!.sequence, acceptedCount: 0, flags: SolOperation.Nack });
  h.clock.advance(3000);
  assert.deepEqual(fromBmc(h, peer), [], 'suspended: no resend');
  sol(h, peer, { ackSequence: p!.sequence, acceptedCount: 251 });
  console.print('z'.repeat(251));
  [p] = fromBmc(h, peer);
  assert.equal(text(p!)[0], 'z');
});

test('history instance 2: the ring, then an end marker, marked "no input"', () => {
  const { h, console, peer } = setup();
  console.print('line one\r\n');
  activate(h, peer, { ...ACTIVATE, instance: 2 });
  const [p] = fromBmc(h, peer);
  assert.equal(p!.flags, SolStatus.Nack);
  assert.equal(text(p!), 'line one\r\n\r\n<End Of History>\r\n');
  sol(h, peer, { sequence: 1, data: 'q' });
  assert.equal(console.writtenText(), '', 'history takes no input');
  assert.equal(fromBmc(h, peer)[0]!.flags, SolStatus.Nack);
});

test('suite 0 sessions carry SOL in clear; forced encryption refuses them with 0x84', () => {
  const clear = setup(1);
  assert.equal(activate(clear.h, clear.peer).cc, 0, 'aux asks for encryption (ipmitool always does): not a condition');
  clear.console.print('x'.repeat(251));
  assert.equal(fromBmc(clear.h, clear.peer).length, 1);
  const forced = setup(1, (c) => (c.sol.forceEncryption = true));
  assert.equal(activate(forced.h, forced.peer).cc, 0x84);
  const ok = setup(3, (c) => (c.sol.forceEncryption = true));
  assert.equal(activate(ok.h, ok.peer).cc, 0);
});

test('SOL disabled, a user without SOL payload access, or too little privilege cannot activate', () => {
  const off = setup(3, (c) => (c.sol.enabled = false));
  assert.equal(activate(off.h, off.peer).cc, 0x81);
  const { h, peer } = setup();
  peer.invoke(pl.setUserPayloadAccess, { channel: 0x0e, operation: 'disable', userId: 2, standard1: 0x02, standard2: 0, oem1: 0, oem2: 0 });
  assert.deepEqual(peer.invoke(pl.getUserPayloadAccess, { channel: 1, userId: 2 }), { standard1: 0, standard2: 0, oem1: 0, oem2: 0 });
  assert.equal(activate(h, peer).cc, 0x81);
  peer.invoke(pl.setUserPayloadAccess, { channel: 1, operation: 'enable', userId: 2, standard1: 0x02, standard2: 0, oem1: 0, oem2: 0 });
  assert.equal(activate(h, peer).cc, 0);
  const admin = setup(3, (c) => (c.sol.privilege = 4));
  const user = new PlusPeer(admin.h, { suite: 3, username: 'usr', password: 'userpass', privilege: 2, consoleSessionId: 0x5 }).establish();
  assert.equal(activate(admin.h, user).cc, 0xd4);
});

test('SOL configuration parameters: ipmitool\'s defaults, guarded sets, range checks, read-only channel, the port', () => {
  const { h, peer } = setup();
  const get = (p: number) => [...peer.invoke(getSolConfigParameters, { channel: 0x0e, revisionOnly: false, parameter: p, setSelector: 0, blockSelector: 0 }).data];
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map(get), [[0], [1], [0x02], [4, 251], [7, 10], [0x0a], [0x0a], [1], [0x6f, 0x02]]);
  const set = (p: number, ...data: number[]) => peer.request(setSolConfigParameters.netFn, setSolConfigParameters.cmd, Uint8Array.of(0x0e, p, ...data)).cc;
  assert.equal(set(SolParam.SetInProgress, 1), 0);
  assert.equal(set(SolParam.SetInProgress, 1), 0x81, 'someone holds set-in-progress');
  assert.equal(set(SolParam.Retry, 5, 20), 0);
  assert.equal(set(SolParam.SetInProgress, 2), 0, 'commit write');
  assert.equal(set(SolParam.SetInProgress, 0), 0);
  assert.deepEqual(get(SolParam.Retry), [5, 20]);
  assert.equal(set(SolParam.Retry, 8, 20), 0xc9);
  assert.equal(set(SolParam.Authentication, 0x46), 0xc9, 'privilege 6 does not exist');
  assert.equal(set(SolParam.Authentication, 0xc3), 0);
  assert.deepEqual(get(SolParam.Authentication), [0xc3]);
  assert.equal(set(SolParam.NonVolatileBitRate, 0x05), 0xc9);
  assert.equal(set(SolParam.PayloadChannel, 2), 0x82);
  assert.equal(set(SolParam.PayloadPort, 0x6f, 0x02), 0, 'the same port: a no-op');
  assert.equal(set(SolParam.PayloadPort, 0x70, 0x02), 0x82);
  assert.equal(set(9, 0), 0x80);
  assert.equal(peer.request(0x0c, 0x22, Uint8Array.of(0x0e, 9, 0, 0)).cc, 0x80);
  assert.equal(h.bmc.sol.params.retryIntervalMs, 200, 'the engine reads the new value');
});

test('SOL parameters 1-5 and payload access survive a restart; a changed sol config wins over saved state', () => {
  const store = new MemoryStore();
  const make = (c?: (cfg: BmcConfig) => void) => {
    const h = new Harness(c);
    return new Bmc(h.bmc.config, { clock: h.clock, rng: new SeededRng(1), log: h.log, store });
  };
  const a = make();
  assert.equal(a.sol.params.set(SolParam.AccumulateInterval, Uint8Array.of(10, 100)), undefined);
  a.users.setAccess(2, 1, { payloads: 0 });
  const b = make();
  assert.equal(b.sol.params.accumulateMs, 50);
  assert.equal(b.sol.params.sendThreshold, 100);
  assert.equal(b.users.access(b.users.get(2)!, 1).payloads, 0);
  const c = make((cfg) => (cfg.sol.retryCount = 3));
  assert.equal(c.sol.params.accumulateMs, 20, 'config changed: saved SOL settings dropped');
});
