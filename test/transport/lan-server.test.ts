// End to end over real UDP sockets on loopback: our LanClient against a LanServer, for every
// cipher suite and v1.5 auth type, plus the failures a user sees (wrong password, unknown user,
// privilege) and a man-in-the-middle that forges unauthenticated v1.5 replies.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { Bmc } from '../../src/bmc/bmc.js';
import { systemClock } from '../../src/bmc/clock.js';
import type { BmcConfig } from '../../src/bmc/config/model.js';
import { MemoryLogger } from '../../src/bmc/log.js';
import { cryptoRng } from '../../src/bmc/rng.js';
import { IpmiAuthError, IpmiCipherSuiteError } from '../../src/client/errors.js';
import { LanClient, type LanClientOptions } from '../../src/client/lan-client.js';
import { getDeviceId, getSessionInfo } from '../../src/ipmi/commands/app.js';
import { AuthType } from '../../src/protocol/crypto.js';
import { decodeIpmb, encodeIpmb } from '../../src/protocol/ipmb-message.js';
import { decodeSession15, encodeSession15 } from '../../src/protocol/session15.js';
import { LanChannel } from '../../src/transport/lan-channel.js';
import { LanServer } from '../../src/transport/lan-server.js';
import { testConfig } from '../helpers/lan-harness.js';

interface Running {
  bmc: Bmc;
  lan: LanChannel;
  server: LanServer;
  host: string;
  port: number;
  log: MemoryLogger;
}

async function startBmc(configure: (c: BmcConfig) => void = () => {}, host = '127.0.0.1'): Promise<Running> {
  const config = testConfig();
  configure(config);
  const log = new MemoryLogger();
  const bmc = new Bmc(config, { clock: systemClock, rng: cryptoRng, log });
  const lan = new LanChannel(bmc);
  const server = new LanServer(lan);
  const bound = await server.listen({ host, port: 0 });
  openServers.add(server);
  return { bmc, lan, server, host: bound.host, port: bound.port, log };
}

// Clients and servers left open by a failing assertion would keep the test process alive.
const openClients = new Set<LanClient>();
const openServers = new Set<LanServer>();
after(async () => {
  for (const c of openClients) await c.close();
  for (const s of openServers) await s.close();
});

async function connect(o: LanClientOptions): Promise<LanClient> {
  const c = await LanClient.connect(o);
  openClients.add(c);
  return c;
}

function clientOptions(r: { host: string; port: number }, over: Partial<LanClientOptions>): LanClientOptions {
  return { host: r.host, port: r.port, interface: 'lanplus', username: 'admin', password: 'password', privilege: 4, timeoutSec: 1, retries: 2, ...over };
}

async function until(cond: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('LanClient over UDP: every offered cipher suite, and the automatic choice (17)', async () => {
  const r = await startBmc();
  try {
    for (const cipherSuite of [1, 2, 3, 6, 7, 8, 11, 12, 15, 16, 17, undefined]) {
      const c = await connect(clientOptions(r, cipherSuite === undefined ? {} : { cipherSuite }));
      assert.equal(c.suite?.id, cipherSuite ?? 17);
      assert.equal(c.privilege, 4);
      assert.equal((await c.invoke(getDeviceId, {})).deviceId, 0x20);
      const info = await c.invoke(getSessionInfo, { kind: 'current' });
      assert.equal(info.session?.sessionType, 1);
      assert.equal(info.session?.remoteIp, '127.0.0.1');
      await c.close();
      assert.equal(r.bmc.sessions.activeCount, 0, `suite ${cipherSuite}: closed`);
    }
    assert.equal(r.lan.counters.dropped.internal, 0);
  } finally {
    await r.server.close();
  }
});

test('LanClient over UDP: suite 0 only when the BMC allows it', async () => {
  const strict = await startBmc();
  const lax = await startBmc((c) => {
    c.lan.allowCipherZero = true;
    c.lan.cipherSuites.push(0);
  });
  try {
    await assert.rejects(connect(clientOptions(strict, { cipherSuite: 0 })), IpmiCipherSuiteError);
    const c = await connect(clientOptions(lax, { cipherSuite: 0, password: 'whatever' }));
    assert.equal((await c.invoke(getDeviceId, {})).deviceId, 0x20);
    await c.close();
  } finally {
    await strict.server.close();
    await lax.server.close();
  }
});

test('LanClient over UDP: IPMI v1.5 with MD5 (automatic), MD2, PASSWORD, and NONE for the anonymous user', async () => {
  const r = await startBmc((c) => {
    c.lan.authTypes.admin = [AuthType.Md2, AuthType.Md5, AuthType.Password];
    c.lan.anonymousLogin = true;
    c.users.push({ id: 1, name: '', password: '', privilege: 2 });
  });
  try {
    for (const authType of [undefined, AuthType.Md2, AuthType.Password]) {
      const c = await connect(clientOptions(r, { interface: 'lan', ...(authType === undefined ? {} : { authType }) }));
      assert.equal((await c.invoke(getDeviceId, {})).deviceId, 0x20);
      assert.equal((await c.invoke(getSessionInfo, { kind: 'current' })).session?.privilege, 4);
      await c.close();
    }
    const anon = await connect(clientOptions(r, { interface: 'lan', authType: AuthType.None, username: '', password: '', privilege: 2 }));
    assert.equal((await anon.invoke(getSessionInfo, { kind: 'current' })).session?.userId, 1);
    await anon.close();
    assert.equal(r.bmc.sessions.activeCount, 0);
  } finally {
    await r.server.close();
  }
});

test('LanClient over UDP: wrong password, unknown user and too much privilege are auth errors', async () => {
  const r = await startBmc();
  const fast = { timeoutSec: 0.2, retries: 1 };
  const reason = async (o: Partial<LanClientOptions>) => {
    try {
      const c = await connect(clientOptions(r, { ...fast, ...o }));
      await c.close();
      return 'connected';
    } catch (e) {
      assert.ok(e instanceof IpmiAuthError, String(e));
      return e.reason;
    }
  };
  try {
    assert.equal(await reason({ password: 'wrong' }), 'password');
    // The client told the BMC (RAKP 3 with an error), so the slot is freed without waiting.
    await until(() => r.bmc.sessions.activeCount === 0 && r.lan.counters.dropped['bad-auth'] === 1);
    assert.equal(await reason({ interface: 'lan', password: 'wrong' }), 'password');
    assert.equal(await reason({ username: 'nobody' }), 'username');
    assert.equal(await reason({ interface: 'lan', username: 'nobody' }), 'username');
    assert.equal(await reason({ username: 'oper', password: 'operpass' }), 'privilege');
    assert.equal(await reason({ interface: 'lan', username: 'oper', password: 'operpass' }), 'privilege');
    assert.equal(await reason({ username: 'oper', password: 'operpass', privilege: 3 }), 'connected');
    const rejected = r.log.lines.filter((l) => l.msg === 'authentication rejected');
    assert.ok(rejected.length >= 4);
    assert.equal(JSON.stringify(r.log.lines).includes('wrong"'), false);
  } finally {
    await r.server.close();
  }
});

test('LanClient over UDP on IPv6 loopback', async () => {
  let r: Running;
  try {
    r = await startBmc(() => {}, '::1');
  } catch {
    return; // no IPv6 on this host
  }
  try {
    const c = await connect(clientOptions(r, { host: '::1' }));
    assert.equal((await c.invoke(getDeviceId, {})).deviceId, 0x20);
    await c.close();
    const v15 = await connect(clientOptions(r, { host: '::1', interface: 'lan' }));
    assert.equal((await v15.invoke(getDeviceId, {})).deviceId, 0x20);
    await v15.close();
  } finally {
    await r.server.close();
  }
});

/**
 * A UDP relay between client and BMC. `tamper` may turn each BMC reply into datagrams to deliver
 * to the client instead (for example a forgery followed by the genuine reply).
 */
async function relay(target: { host: string; port: number }, tamper: (reply: Uint8Array) => Uint8Array[]) {
  const front = createSocket('udp4');
  const back = createSocket('udp4');
  let client: RemoteInfo | undefined;
  front.on('message', (m, rinfo) => {
    client = rinfo;
    back.send(m, target.port, target.host);
  });
  back.on('message', (m) => {
    if (!client) return;
    for (const d of tamper(new Uint8Array(m))) front.send(d, client.port, client.address);
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => back.bind(0, '127.0.0.1', resolve));
  front.unref();
  back.unref();
  return {
    port: front.address().port,
    close: () => {
      front.close();
      back.close();
    },
  };
}

test('LanClient v1.5: a forged reply without an AuthCode on an MD5 session is ignored', async () => {
  const r = await startBmc();
  let forged = 0;
  // For each authenticated Get Device ID reply, first deliver a copy re-wrapped with auth type
  // NONE (no AuthCode, which needs no password to make) and a different device ID.
  const mitm = await relay(r, (reply) => {
    const p = decodeSession15(reply);
    const m = decodeIpmb(p.message);
    if (p.authType !== AuthType.Md5 || m.cmd !== 0x01 || m.netFn !== 0x07) return [reply];
    forged++;
    const data = m.data.slice();
    data[1] = 0x66;
    const fake = encodeSession15({ authType: AuthType.None, sequence: p.sequence, sessionId: p.sessionId }, encodeIpmb({ ...m, data }));
    return [fake, reply];
  });
  try {
    const c = await connect(clientOptions({ host: '127.0.0.1', port: mitm.port }, { interface: 'lan' }));
    const dev = await c.invoke(getDeviceId, {});
    assert.equal(forged, 1);
    assert.equal(dev.deviceId, 0x20, 'the genuine reply, not the forgery');
    await c.close();
  } finally {
    mitm.close();
    await r.server.close();
  }
});
