// Must-show (issue 3, #9): state survives SIGKILL. Three sessions hammer `serve` (two add SEL
// entries, one renames users, changes their passwords and the LAN IP address); the server is
// killed with SIGKILL in the middle of the burst and restarted on the same state directory,
// three times over. Every change whose response arrived must be there afterwards, anything
// else present must be a request that was in flight at the kill, and every state file must
// load (valid JSON, consistent SEL IDs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanClient } from '../../src/client/lan-client.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';

const ST = 0x0a;
const APP = 0x06;
const TRANSPORT = 0x0c;

/** Every client opened, so that a failing run still closes its sockets and exits. */
const open = new Set<LanClient>();

// One attempt per request: a retransmitted Add SEL Entry whose first reply was only late would
// be stored twice. The long timeout keeps a loaded machine from ending a writer early; writers
// that lose their server are not waited for (see `pending`).
async function connect(bmc: ServeHandle): Promise<LanClient> {
  const c = await LanClient.connect({ host: bmc.host, port: bmc.port, interface: 'lanplus', username: 'admin', password: 'password', privilege: 4, timeoutSec: 10, retries: 1 });
  open.add(c);
  return c;
}

async function closeAll(): Promise<void> {
  for (const c of open) await c.close().catch(() => {});
  open.clear();
}

const hex = (b: ArrayLike<number>) => Buffer.from(Uint8Array.from(b)).toString('hex');

/** A SEL record unique to (writer, n): sensor number = writer, event data 2-3 = n. */
function record(writer: number, n: number): Uint8Array {
  return Uint8Array.of(0, 0, 0x02, 0, 0, 0, 0, 0x41, 0x00, 0x04, 0x01, writer, 0x01, 0x57, n & 0xff, n >> 8);
}

interface Ledger {
  /** Acknowledged SEL adds: record ID → bytes 7-15 (generator .. event data). */
  sel: Map<number, string>;
  /** SEL adds sent whose response never came (at most one per writer per cycle). */
  selInFlight: Set<string>;
  /** Per user ID: the last acknowledged name / password, and any unanswered one. */
  names: Map<number, { acked?: string; inFlight: Set<string> }>;
  passwords: Map<number, { acked?: string; inFlight: Set<string> }>;
  ip: { acked?: string; inFlight: Set<string> };
}

const USERS = [3, 4, 5, 6];
const pad = (s: string, n: number) => {
  const b = new Uint8Array(n);
  b.set(Buffer.from(s, 'latin1'));
  return b;
};

/** A writer's next counter value; it stays on an unanswered one when the server dies. */
interface Position {
  n: number;
}

async function selWriter(c: LanClient, writer: number, pos: Position, ledger: Ledger, stop: () => boolean): Promise<void> {
  for (; !stop(); pos.n++) {
    const r = record(writer, pos.n);
    const tail = hex(r.subarray(7));
    ledger.selInFlight.add(tail);
    let res;
    try {
      res = await c.request(ST, 0x44, r);
    } catch (e) {
      if (!stop()) throw e;
      break; // the server is gone: this one stays "in flight"
    }
    ledger.selInFlight.delete(tail);
    assert.equal(res.cc, 0, `Add SEL Entry cc=0x${res.cc.toString(16)}`);
    ledger.sel.set(res.data[0]! | (res.data[1]! << 8), tail);
  }
}

async function userWriter(c: LanClient, pos: Position, ledger: Ledger, stop: () => boolean): Promise<void> {
  const step = async (slot: { acked?: string; inFlight: Set<string> }, value: string, send: () => Promise<{ cc: number }>) => {
    slot.inFlight.add(value);
    const res = await send();
    slot.inFlight.delete(value);
    assert.equal(res.cc, 0);
    slot.acked = value;
  };
  try {
    for (; !stop(); pos.n++) {
      const n = pos.n;
      const id = USERS[n % USERS.length]!;
      const name = `u${n}`;
      await step(ledger.names.get(id)!, name, () => c.request(APP, 0x45, Uint8Array.of(id, ...pad(name, 16))));
      const pw = `pw-${n}`;
      await step(ledger.passwords.get(id)!, pw, () => c.request(APP, 0x47, Uint8Array.of(id, 2, ...pad(pw, 16))));
      const ip = [10, 0, (n >> 8) & 0xff, n & 0xff];
      await step(ledger.ip, ip.join('.'), () => c.request(TRANSPORT, 0x01, Uint8Array.of(1, 3, ...ip)));
    }
  } catch (e) {
    if (!(e instanceof Error) || !/no response|timeout/i.test(e.message) || !stop()) throw e;
  }
}

async function verify(c: LanClient, stateDir: string, ledger: Ledger): Promise<void> {
  // Every state file is complete JSON; no half-written temp file was left to be mistaken for one.
  for (const f of readdirSync(stateDir).filter((f) => f.endsWith('.json'))) JSON.parse(readFileSync(join(stateDir, f), 'utf8'));

  const info = await c.request(ST, 0x40);
  assert.equal(info.cc, 0);
  const count = info.data[1]! | (info.data[2]! << 8);
  const seen = new Map<number, string>();
  let id = 0;
  let prev = 0;
  for (;;) {
    const r = await c.request(ST, 0x43, Uint8Array.of(0, 0, id & 0xff, id >> 8, 0, 0xff));
    assert.equal(r.cc, 0, `Get SEL Entry ${id}`);
    const rid = r.data[2]! | (r.data[3]! << 8);
    assert.ok(rid > prev, `record IDs increase (${prev} then ${rid})`);
    assert.ok(!seen.has(rid), `record ID ${rid} appears twice`);
    seen.set(rid, hex(r.data.subarray(2 + 7, 2 + 16)));
    prev = rid;
    id = r.data[0]! | (r.data[1]! << 8);
    if (id === 0xffff) break;
  }
  assert.equal(seen.size, count, 'Get SEL Info count matches the chain');
  for (const [rid, tail] of ledger.sel) assert.equal(seen.get(rid), tail, `acknowledged SEL record ${rid} kept`);
  for (const [rid, tail] of seen) {
    if (ledger.sel.has(rid)) continue;
    assert.ok(ledger.selInFlight.has(tail), `SEL record ${rid} (${tail}) was never sent`);
    // It was stored before the kill; from now on it is part of the log.
    ledger.sel.set(rid, tail);
    ledger.selInFlight.delete(tail);
  }

  for (const uid of USERS) {
    const r = await c.request(APP, 0x46, Uint8Array.of(uid));
    assert.equal(r.cc, 0);
    const name = Buffer.from(r.data).toString('latin1').replace(/\0+$/, '');
    const slot = ledger.names.get(uid)!;
    assert.ok(name === (slot.acked ?? '') || slot.inFlight.has(name), `user ${uid} name "${name}", acknowledged "${slot.acked}"`);
    slot.acked = name;
    slot.inFlight.clear();
    const pw = ledger.passwords.get(uid)!;
    const candidates = [pw.acked, ...pw.inFlight].filter((p): p is string => p !== undefined);
    let match: string | undefined;
    for (const p of candidates) if ((await c.request(APP, 0x47, Uint8Array.of(uid, 3, ...pad(p, 16)))).cc === 0) match = p;
    if (pw.acked !== undefined) assert.ok(match !== undefined, `user ${uid} password is one that was sent (acknowledged "${pw.acked}")`);
    if (match !== undefined) pw.acked = match;
    pw.inFlight.clear();
  }

  const ipr = await c.request(TRANSPORT, 0x02, Uint8Array.of(1, 3, 0, 0));
  assert.equal(ipr.cc, 0);
  const ip = [...ipr.data.subarray(1)].join('.');
  assert.ok(ip === ledger.ip.acked || ledger.ip.inFlight.has(ip), `LAN IP ${ip}, acknowledged ${ledger.ip.acked}`);
  ledger.ip.acked = ip;
  ledger.ip.inFlight.clear();
}

test('acknowledged SEL adds, user and LAN changes survive kill -9 in the middle of a burst', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-crash-'));
  const stateDir = join(dir, 'state');
  const config = join(dir, 'bmc.yaml');
  writeFileSync(config, 'sel:\n  capacity: 4000\n');
  const ledger: Ledger = {
    sel: new Map(),
    selInFlight: new Set(),
    names: new Map(USERS.map((u) => [u, { inFlight: new Set<string>() }])),
    passwords: new Map(USERS.map((u) => [u, { inFlight: new Set<string>() }])),
    ip: { inFlight: new Set() },
  };
  const positions: Position[] = [{ n: 0 }, { n: 10_000 }, { n: 0 }];
  // Writers of killed servers, still waiting for their last (never answered) request.
  const pending: Promise<unknown>[] = [];
  for (let cycle = 0; cycle < 3; cycle++) {
    const bmc = await startServe(['--config', config, '--state-dir', stateDir]);
    try {
      if (cycle > 0) await verify(await connect(bmc), stateDir, ledger);
      const clients = await Promise.all([connect(bmc), connect(bmc), connect(bmc)]);
      let killed = false;
      const stop = () => killed;
      const acksAtStart = ledger.sel.size;
      const work = Promise.all([
        selWriter(clients[0]!, 0xa1, positions[0]!, ledger, stop),
        selWriter(clients[1]!, 0xa2, positions[1]!, ledger, stop),
        userWriter(clients[2]!, positions[2]!, ledger, stop),
      ]);
      // A writer that fails while the server is alive fails the test at once.
      const failed = work.then(
        () => undefined,
        (e: unknown) => e,
      );
      // Kill once the burst is well under way, without waiting for anything in flight.
      const deadline = Date.now() + 20_000;
      let error: unknown;
      void failed.then((e) => (error = e));
      while (ledger.sel.size - acksAtStart < 60 + cycle * 17 && Date.now() < deadline && !error) await new Promise((r) => setTimeout(r, 5));
      if (error) throw error;
      assert.ok(ledger.sel.size - acksAtStart >= 60, 'the burst got going');
      bmc.process.kill('SIGKILL');
      killed = true;
      pending.push(work);
      // The next cycle's writers start past any value that may be in flight now.
      for (const p of positions) p.n++;
    } finally {
      await bmc.stop('SIGKILL');
      await closeAll();
    }
  }
  const bmc = await startServe(['--config', config, '--state-dir', stateDir]);
  try {
    const c = await connect(bmc);
    await verify(c, stateDir, ledger);
    // IDs continue after the highest stored one.
    const max = Math.max(...ledger.sel.keys());
    const r = await c.request(ST, 0x44, record(0xa3, 1));
    assert.equal(r.cc, 0);
    assert.ok((r.data[0]! | (r.data[1]! << 8)) > max);
    assert.ok(ledger.sel.size >= 180, `${ledger.sel.size} records`);
  } finally {
    await closeAll();
    await bmc.stop();
    await Promise.allSettled(pending);
  }
});
