// The required fuzz test. 100,000+ datagrams, random and mutated from real valid packets (every
// header field, lengths, truncations, bit flips, payload types, the IDs of live sessions), go to
// one in-process LanChannel. Then: no exception escaped, every unanswered datagram is counted
// under a drop reason, no internal error happened, no garbage session became active, the session
// table and the pending challenges stay bounded, heap growth is bounded, and normal RMCP+ and
// v1.5 sessions still work. A smaller run goes through a real LanServer socket.
//
// Heap: node:test runs this file in a child process started without --expose-gc, so gc is
// enabled at run time with v8.setFlagsFromString and fetched from a fresh context.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { getDeviceId } from '../../src/ipmi/commands/app.js';
import { asciiBytes, toHex } from '../../src/protocol/bytes.js';
import { AuthType } from '../../src/protocol/crypto.js';
import { encodeAsfPing } from '../../src/protocol/rmcp.js';
import { encodeRmcpPlus, PayloadType } from '../../src/protocol/rmcpplus.js';
import { encodeSession15 } from '../../src/protocol/session15.js';
import { LanServer } from '../../src/transport/lan-server.js';
import { LanClient } from '../../src/client/lan-client.js';
import { Harness, ipmiRequest, PlusPeer, V15Peer } from '../helpers/lan-harness.js';
import { hex } from '../helpers/bytes.js';

// FUZZ_COUNT and FUZZ_SEED allow longer or different runs locally; the suite runs the default.
const COUNT = Number(process.env.FUZZ_COUNT ?? 100_000);

/** xorshift32: fast and reproducible (the seed is printed, so a failure can be replayed). */
class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 1;
  }
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (this.s = x >>> 0);
  }
  int(n: number): number {
    return this.u32() % n;
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

function setU32(b: Uint8Array, at: number, v: number): void {
  if (at + 4 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, true);
}

function setU16(b: Uint8Array, at: number, v: number): void {
  if (at + 2 > b.length) return;
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint16(at, v & 0xffff, true);
}

const INTERESTING = [0x00, 0x01, 0x02, 0x06, 0x07, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x3f, 0x40, 0x7f, 0x80, 0xc0, 0xfe, 0xff];

/** Wraps an IPMI message into a live session (or none): the way a fuzzed command reaches a handler. */
type Wrapper = (message: Uint8Array) => Uint8Array;

/** Turns valid packets into hostile ones; `ids` are the session IDs currently worth hitting. */
class Mutator {
  readonly rng: Prng;
  readonly corpus: Uint8Array[];
  readonly wrappers: Wrapper[];
  ids: number[];
  constructor(rng: Prng, seeds: { corpus: Uint8Array[]; ids: number[]; wrappers: Wrapper[] }) {
    this.rng = rng;
    this.corpus = seeds.corpus;
    this.ids = seeds.ids;
    this.wrappers = seeds.wrappers;
  }

  /** A well-formed request with a random command and data, in a session that will accept it. */
  private command(): Uint8Array {
    const r = this.rng;
    const netFn = r.chance(0.7) ? 0x06 : r.int(0x40) & 0x3e;
    const cmd = r.chance(0.7) ? r.pick([0x01, 0x04, 0x07, 0x08, 0x2f, 0x31, 0x37, 0x38, 0x3b, 0x3c, 0x3d, 0x41, 0x42, 0x44, 0x46, 0x54, 0x59]) : r.int(256);
    const data = r.bytes(r.chance(0.5) ? r.int(6) : r.int(40));
    return r.pick(this.wrappers)(ipmiRequest(netFn, cmd, data, r.int(64), r.chance(0.95) ? 0 : r.int(4)));
  }

  private sessionId(): number {
    const r = this.rng;
    return r.chance(0.6) && this.ids.length > 0 ? r.pick(this.ids) : r.pick([0, 1, 0xffffffff, r.u32()]);
  }

  next(): Uint8Array {
    const r = this.rng;
    const kind = r.int(100);
    if (kind < 8) {
      // Pure noise, sometimes behind a plausible RMCP/IPMI header.
      const b = r.bytes(r.int(r.chance(0.1) ? 1500 : 120));
      if (r.chance(0.5) && b.length >= 5) b.set([0x06, 0x00, 0xff, 0x07, r.pick([0x00, 0x02, 0x06, 0x04, 0x01])]);
      return b;
    }
    if (kind < 25) return this.command();
    const b: Uint8Array = r.pick(this.corpus).slice();
    const v2 = b.length > 5 && (b[4]! & 0x0f) === 0x06;
    const rounds = kind < 70 ? 1 : kind < 90 ? 2 : 3;
    let out = b;
    for (let i = 0; i < rounds; i++) out = this.mutateOnce(out, v2);
    return out;
  }

  private mutateOnce(b: Uint8Array, v2: boolean): Uint8Array {
    const r = this.rng;
    if (b.length === 0) return r.bytes(r.int(32));
    switch (r.int(12)) {
      case 0: // bit flips
        for (let n = 1 + r.int(4); n > 0; n--) b[r.int(b.length)]! ^= 1 << r.int(8);
        return b;
      case 1: // interesting byte anywhere
        b[r.int(b.length)] = r.pick(INTERESTING);
        return b;
      case 2: // truncation
        return b.slice(0, r.int(b.length));
      case 3: // extension
        return Uint8Array.from([...b, ...r.bytes(1 + r.int(r.chance(0.05) ? 1100 : 20))]);
      case 4: // RMCP header fields
        b[r.pick([0, 1, 2, 3])] = r.chance(0.5) ? r.pick(INTERESTING) : r.u32() & 0xff;
        return b;
      case 5: // auth type / format byte
        if (b.length > 4) b[4] = r.pick([0, 1, 2, 3, 4, 5, 6, 7, 0x16, 0x86, r.u32() & 0xff]);
        return b;
      case 6: // payload type byte (RMCP+): protection bits and type
        if (b.length > 5) b[5] = r.chance(0.5) ? (r.pick([0, 0x40, 0x80, 0xc0]) | r.pick([0, 1, 2, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x20, 0x3f])) : r.u32() & 0xff;
        return b;
      case 7: // session ID: a live one, 0, or random
        setU32(b, v2 ? 6 : 9, this.sessionId());
        return b;
      case 8: // session sequence number
        setU32(b, v2 ? 10 : 5, r.pick([0, 1, 2, 15, 16, 17, 0x7fffffff, 0xffffffff, r.u32()]));
        return b;
      case 9: // length fields: RMCP+ payload length or the v1.5 message length byte
        if (v2) setU16(b, 14, r.pick([0, 1, b.length - 16, b.length - 15, b.length, 0xffff, r.u32() & 0xffff]));
        else {
          const at = b[4] === 0 ? 13 : 29;
          if (at < b.length) b[at] = r.pick([0, 1, b.length - at - 1, b.length - at, b.length - at + 1, 0xff, r.u32() & 0xff]);
        }
        return b;
      case 10: {
        // splice two packets
        const o = r.pick(this.corpus);
        return Uint8Array.from([...b.subarray(0, r.int(b.length + 1)), ...o.subarray(r.int(o.length + 1))]);
      }
      default: {
        // a run of random bytes inside the payload
        const at = r.int(b.length);
        b.set(r.bytes(Math.min(b.length - at, 1 + r.int(8))), at);
        return b;
      }
    }
  }
}

/** Live sessions of every kind plus valid packets for them: the seeds of the mutations. */
function setUp(h: Harness) {
  const admin17 = new PlusPeer(h, { suite: 17, consoleSessionId: 0x1001 }).establish();
  // No integrity and only USER privilege: mutated payloads reach the command handlers, but
  // cannot reconfigure the BMC (that needs OPERATOR or ADMINISTRATOR).
  const user1 = new PlusPeer(h, { suite: 1, username: 'usr', password: 'userpass', privilege: 2, consoleSessionId: 0x1002 }).establish();
  const oper12 = new PlusPeer(h, { suite: 12, username: 'oper', password: 'operpass', privilege: 3, consoleSessionId: 0x1003 }).establish();
  const v15 = new V15Peer(h, { authType: AuthType.Md5, username: 'usr', password: 'userpass', privilege: 2 }).establish();
  const pw15 = new V15Peer(h, { authType: AuthType.Password, username: 'usr', password: 'userpass', privilege: 2 }).establish();
  const halfOpen = new PlusPeer(h, { suite: 3, consoleSessionId: 0x1004 });
  halfOpen.openSession();
  const afterRakp1 = new PlusPeer(h, { suite: 8, consoleSessionId: 0x1005 });
  afterRakp1.openSession();
  afterRakp1.rakp1();
  const challenged = new V15Peer(h, { authType: AuthType.Md5 });
  challenged.getChallenge();

  const q = (netFn: number, cmd: number, data?: Uint8Array) => ipmiRequest(netFn, cmd, data);
  const commands = [
    q(0x06, 0x01),
    q(0x06, 0x3b, hex`02`),
    q(0x06, 0x3d, hex`00`),
    q(0x06, 0x3d, hex`01`),
    q(0x06, 0x3d, hex`fe 01`),
    q(0x06, 0x42, hex`0e`),
    q(0x06, 0x41, hex`0e 80`),
    q(0x06, 0x59, hex`00 01 00 00`),
    q(0x06, 0x54, hex`0e 00 80`),
    q(0x06, 0x38, hex`8e 04`),
    q(0x00, 0x01),
    q(0x06, 0x2f),
  ];
  const corpus: Uint8Array[] = [
    encodeAsfPing(0),
    encodeAsfPing(7, 3),
    hex`06 00 ff 86`,
    encodeSession15({ authType: 0, sequence: 0, sessionId: 0 }, q(0x06, 0x38, hex`8e 04`)),
    encodeSession15({ authType: 0, sequence: 0, sessionId: 0 }, q(0x06, 0x39, Uint8Array.from([AuthType.Md5, ...asciiBytes('admin'), ...new Uint8Array(11)]))),
    encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: q(0x06, 0x54, hex`0e 00 80`) }),
    new PlusPeer(h, { suite: 17, consoleSessionId: 0x2001 }).openSessionDatagram(),
    halfOpen.rakp1Datagram(),
    afterRakp1.rakp3Datagram(),
    afterRakp1.rakp3Datagram(0x0f),
    challenged.activateDatagram().datagram,
    encodeRmcpPlus({ payloadType: PayloadType.OemExplicit, sessionId: admin17.bmcSessionId, sequence: 9, payload: hex`00 00 00 00 00 00 01 02` }),
  ];
  // Sequence numbers just ahead of each session's counter, without advancing the counters (the
  // command wrappers below must stay inside the windows).
  commands.forEach((c, i) => {
    for (const p of [admin17, user1, oper12]) corpus.push(p.wrap(c, p.seq + 1 + (i % 8)));
    for (const p of [v15, pw15]) corpus.push(p.wrap(c, p.seq + (i % 4)));
  });
  const ids = [admin17, user1, oper12, halfOpen, afterRakp1].map((p) => p.bmcSessionId).concat([v15.sessionId, pw15.sessionId, challenged.tempId]);
  const wrappers: Wrapper[] = [
    (m) => encodeSession15({ authType: 0, sequence: 0, sessionId: 0 }, m),
    (m) => encodeRmcpPlus({ payloadType: PayloadType.Ipmi, sessionId: 0, sequence: 0, payload: m }),
    (m) => user1.wrap(m),
    (m) => pw15.wrap(m),
  ];
  return { corpus, ids, wrappers, legit: new Set(ids) };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('the server did not take the datagrams in time');
    await new Promise((r) => setTimeout(r, 1));
  }
}

function heapAfterGc(gc: (() => void) | undefined): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function getGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

test(`fuzz: ${COUNT} random and mutated datagrams into one LanChannel`, (t) => {
  const seed = Number(process.env.FUZZ_SEED ?? 0x1badb002);
  t.diagnostic(`seed 0x${seed.toString(16)} (set FUZZ_SEED to replay)`);
  const h = new Harness();
  const seeds = setUp(h);
  const { ids, legit } = seeds;
  const mutator = new Mutator(new Prng(seed), seeds);
  const maxSessions = h.bmc.sessions.slotCount;
  const gc = getGc();
  const countBefore = h.channel.counters.received;
  let answered = 0;
  let heapStart = 0;
  const started = performance.now();
  for (let i = 0; i < COUNT; i++) {
    if (i === 10_000) heapStart = heapAfterGc(gc); // after warm-up (JIT, caches)
    const d = mutator.next();
    let out: Uint8Array[];
    try {
      out = h.send(d);
    } catch (e) {
      assert.fail(`datagram #${i} threw ${String(e)}: ${toHex(d, '')}`);
    }
    if (out.length > 0) answered++;
    for (const o of out) assert.ok(o.length >= 4 && o[0] === 0x06, 'replies are RMCP datagrams');
    // Sessions: never more than the slots; only the handshakes we ran ever became active.
    if ((i & 1023) === 0) {
      for (const s of h.bmc.sessions.active()) assert.ok(legit.has(s.id), `garbage session 0x${s.id.toString(16)} became active after #${i}`);
      mutator.ids = [...ids, ...h.bmc.sessions.active().map((s) => s.id)];
    }
  }
  const elapsed = performance.now() - started;
  const heapEnd = heapAfterGc(gc);
  const c = h.channel.counters;
  t.diagnostic(`${COUNT} datagrams in ${elapsed.toFixed(0)} ms (${Math.round((COUNT / elapsed) * 1000)}/s); answered ${answered}`);
  t.diagnostic(`drops ${JSON.stringify(c.dropped)}`);
  t.diagnostic(`active at the end: ${h.bmc.sessions.active().map((s) => s.username + "/" + (s.suite ? s.suite.id : "v1.5-" + s.authType)).join(", ")}`);
  t.diagnostic(gc ? `heap ${(heapStart / 1e6).toFixed(1)} MB after warm-up, ${(heapEnd / 1e6).toFixed(1)} MB at the end` : 'gc not available: heap not measured');

  assert.equal(c.received - countBefore, COUNT);
  assert.equal(c.dropped.internal, 0, 'no datagram reached an internal error');
  h.assertAccounted(); // every unanswered datagram is counted under one drop reason
  assert.ok(answered > COUNT / 100, 'the mutations reach the protocol, not only the first check');
  assert.ok(c.dropped.malformed > 0 && c.dropped['bad-auth'] > 0 && c.dropped.replay > 0 && c.dropped['unknown-session'] > 0 && c.dropped.oversize > 0);

  // Bounded state: session slots, pending v1.5 challenges.
  let slots = 0;
  for (let handle = 1; handle <= maxSessions + 1; handle++) if (h.bmc.sessions.byHandle(handle)) slots++;
  assert.ok(slots <= maxSessions);
  for (const s of h.bmc.sessions.active()) assert.ok(legit.has(s.id));
  assert.ok(h.channel['challenges'].size <= 64, 'pending challenges are capped');
  if (gc) assert.ok(heapEnd - heapStart < 16e6, `heap grew by ${((heapEnd - heapStart) / 1e6).toFixed(1)} MB`);

  // A normal console still gets in, both ways, without waiting for anything to time out.
  const fresh = new PlusPeer(h, { suite: 17, consoleSessionId: 0x3001 }).establish();
  assert.equal(fresh.invoke(getDeviceId, {}).deviceId, 0x20);
  const fresh15 = new V15Peer(h, { authType: AuthType.Md5 }).establish();
  assert.equal(fresh15.invoke(getDeviceId, {}).deviceId, 0x20);
  assert.ok(elapsed < 60_000, `took ${elapsed} ms`);
});

test('fuzz over UDP: a LanServer survives garbage and still serves LanClient', async (t) => {
  const h = new Harness();
  const seeds = setUp(h);
  const server = new LanServer(h.channel);
  const bound = await server.listen({ host: '127.0.0.1', port: 0 });
  const sock = createSocket('udp4');
  let replies = 0;
  sock.on('message', () => replies++);
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', resolve));
  try {
    const mutator = new Mutator(new Prng(0xfeedface), seeds);
    const n = 5000;
    const before = h.channel.counters.received;
    let sent = 0;
    for (let i = 0; i < n; i++) {
      const d = mutator.next();
      if (d.length === 0) continue; // a zero-length datagram never reaches the server's handler
      sock.send(d, bound.port, bound.host);
      sent++;
      // Flow control, so the kernel's receive buffer does not overflow: every 32 datagrams,
      // wait until the server has taken them all.
      if (sent % 32 === 0) await until(() => h.channel.counters.received - before === sent);
    }
    await until(() => h.channel.counters.received - before === sent);
    t.diagnostic(`server handled ${sent} datagrams and sent ${replies} replies`);
    assert.equal(h.channel.counters.dropped.internal, 0);
    assert.ok(replies > 0);
    const c = await LanClient.connect({ host: bound.host, port: bound.port, interface: 'lanplus', username: 'admin', password: 'password', privilege: 4, timeoutSec: 1, retries: 2 });
    try {
      assert.equal((await c.invoke(getDeviceId, {})).deviceId, 0x20);
    } finally {
      await c.close();
    }
  } finally {
    sock.close();
    await server.close();
  }
});
