// The real ipmitool 1.8.19 packets of test/fixtures/rmcpplus-capture.txt, fed to our BMC. With
// the identity ipmi_sim reported and a random source scripted to return what ipmi_sim chose
// (session ID, Rc, IVs, challenge), our LanChannel must accept every ipmitool packet and answer
// what ipmi_sim answered, byte for byte, except where we deliberately differ (noted below).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Bmc } from '../../src/bmc/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { baseConfig, type BmcConfig } from '../../src/bmc/config/model.js';
import { MemoryLogger } from '../../src/bmc/log.js';
import type { Rng } from '../../src/bmc/rng.js';
import { activateSession } from '../../src/ipmi/commands/app.js';
import { decodeWith } from '../../src/ipmi/spec.js';
import { toHex } from '../../src/protocol/bytes.js';
import { AuthType } from '../../src/protocol/crypto.js';
import { decodeIpmb } from '../../src/protocol/ipmb-message.js';
import { decodeRmcpPlusHeader } from '../../src/protocol/rmcpplus.js';
import { decodeSession15 } from '../../src/protocol/session15.js';
import { LanChannel } from '../../src/transport/lan-channel.js';
import { BMC_PORT, captureRun, type CapturedFrame } from '../helpers/capture.js';
import { hex } from '../helpers/bytes.js';

/** Hands out the given byte strings in order, then fails: every random choice is accounted for. */
class ScriptedRng implements Rng {
  private readonly queue: Uint8Array[];
  constructor(queue: Uint8Array[]) {
    this.queue = [...queue];
  }
  bytes(n: number): Uint8Array {
    const next = this.queue.shift();
    assert.ok(next, `unexpected request for ${n} random bytes`);
    assert.equal(next.length, n, 'random request size');
    return next.slice();
  }
  get left(): number {
    return this.queue.length;
  }
}

/** Our BMC dressed as the capture's ipmi_sim: its Get Device ID answer, GUID and auth types. */
function ipmiSimConfig(): BmcConfig {
  const c = baseConfig();
  Object.assign(c.identity, {
    deviceId: 0x00,
    deviceRevision: 3,
    providesDeviceSdrs: false,
    firmwareMajor: 2,
    firmwareMinor: 0x15,
    ipmiVersion: 0x02,
    additionalDeviceSupport: 0x9f,
    manufacturerId: 4753,
    productId: 0x0f02,
    auxFirmwareRevision: [0, 0, 0, 0],
    systemGuid: hex`a123456789abcdef a123456789abcdef`,
  });
  c.lan.authTypes.admin = [AuthType.None, AuthType.Md2, AuthType.Md5, AuthType.Password];
  return c;
}

function pairs(frames: CapturedFrame[]): [CapturedFrame, CapturedFrame][] {
  const out: [CapturedFrame, CapturedFrame][] = [];
  for (let i = 0; i < frames.length; i += 2) {
    assert.equal(frames[i]!.dstPort, BMC_PORT, `frame ${frames[i]!.no} goes to the BMC`);
    assert.notEqual(frames[i + 1]!.dstPort, BMC_PORT, `frame ${frames[i + 1]!.no} is its answer`);
    out.push([frames[i]!, frames[i + 1]!]);
  }
  return out;
}

const remote = { address: '127.0.0.1', port: 34473, family: 'IPv4' as const };

test('ipmitool -I lanplus -C 3 against our BMC: every reply equals ipmi_sim’s, byte for byte', () => {
  const run = captureRun('-C 3');
  const exchanges = pairs(run.frames);
  const ivOf = (f: CapturedFrame) => {
    const h = decodeRmcpPlusHeader(f.udp);
    return f.udp.slice(h.payloadStart, h.payloadStart + 16);
  };
  const rng = new ScriptedRng([
    hex`82 00 00 00`, // the BMC session ID ipmi_sim picked (Open Session)
    hex`ba68fdf0f515e858c6783644b0d9f620`, // Rc (RAKP 2)
    ...exchanges.slice(4).map(([, reply]) => ivOf(reply)), // one AES IV per in-session reply
  ]);
  const log = new MemoryLogger();
  const bmc = new Bmc(ipmiSimConfig(), { clock: new ManualClock(), rng, log });
  const lan = new LanChannel(bmc);

  for (const [request, expected] of exchanges) {
    const out = lan.handle(request.udp, remote);
    assert.equal(out.length, 1, `frame ${request.no} is answered`);
    const ours = out[0]!;
    if (request.no === 3) {
      // Open Session Response: ipmi_sim echoes the requested privilege 0 ("highest"); we answer
      // with the level actually granted (4), which FreeIPMI needs. Nothing else differs.
      const at = 16 + 2;
      assert.equal(expected.udp[at], 0x00);
      assert.equal(ours[at], 0x04);
      const patched = ours.slice();
      patched[at] = 0x00;
      assert.equal(toHex(patched), toHex(expected.udp), 'Open Session Response');
      continue;
    }
    assert.equal(toHex(ours), toHex(expected.udp), `reply to frame ${request.no} equals frame ${expected.no}`);
  }
  assert.equal(rng.left, 0);
  assert.equal(bmc.sessions.activeCount, 0, 'ipmitool closed the session');
  assert.deepEqual(
    log.lines.map((l) => l.msg).filter((m) => m.startsWith('session')),
    ['session opened', 'session closed'],
  );
  assert.equal(Object.values(lan.counters.dropped).reduce((a, b) => a + b, 0), 0);
});

test('ipmitool -I lan -A MD5 against our BMC: ping, auth caps and challenge replies equal ipmi_sim’s; Activate Session verifies', () => {
  const frames = captureRun('-I lan -A MD5').frames;
  const exchanges = pairs(frames);
  const challengeReply = decodeIpmb(decodeSession15(frames[5]!.udp).message).data;
  const rng = new ScriptedRng([
    challengeReply.slice(1, 5), // temporary session ID 5
    challengeReply.slice(5, 21), // challenge string
    hex`c4 32 56 46`, // the initial inbound sequence number ipmi_sim chose
  ]);
  const bmc = new Bmc(ipmiSimConfig(), { clock: new ManualClock(), rng, log: new MemoryLogger() });
  const lan = new LanChannel(bmc);

  // Presence ping, Get Channel Auth Caps, Get Session Challenge: identical bytes.
  for (const [request, expected] of exchanges.slice(0, 3)) {
    const out = lan.handle(request.udp, remote);
    assert.equal(out.length, 1);
    assert.equal(toHex(out[0]!), toHex(expected.udp), `reply to frame ${request.no}`);
  }

  // Activate Session: ipmitool's real MD5 AuthCode and challenge echo are accepted. ipmi_sim
  // then switched to session ID 0x102; this BMC keeps the temporary ID, so only that differs.
  const [activate, theirs] = exchanges[3]!;
  const out = lan.handle(activate.udp, remote);
  assert.equal(out.length, 1);
  const ours15 = decodeSession15(out[0]!);
  const theirs15 = decodeSession15(theirs.udp);
  assert.equal(ours15.authType, theirs15.authType);
  assert.equal(ours15.sequence, theirs15.sequence, 'first reply uses the console’s initial outbound sequence');
  assert.equal(ours15.sessionId, theirs15.sessionId, 'sent under the temporary ID');
  const ourMsg = decodeIpmb(ours15.message);
  const theirMsg = decodeIpmb(theirs15.message);
  assert.equal(ourMsg.data[0], 0);
  assert.equal(theirMsg.data[0], 0);
  const a = decodeWith(activateSession.response, ourMsg.data.subarray(1));
  const b = decodeWith(activateSession.response, theirMsg.data.subarray(1));
  assert.deepEqual({ ...a, sessionId: 0 }, { ...b, sessionId: 0 });
  assert.equal(a.sessionId, 5);
  assert.equal(b.sessionId, 0x102);
  assert.equal(bmc.sessions.activeCount, 1);
  assert.equal(rng.left, 0);
});
