// A BMC built without a console (BmcEnv.console absent) answers SOL with the standalone console
// of its sol.console config, through the real LAN channel and SOL engine: the echo default, the
// login console named after identity.systemName, and its power: off makes the port
// unavailable (ACK status 0x20), on and reset bring the login prompt back.

import test from 'node:test';
import assert from 'node:assert/strict';
import { Harness, PlusPeer } from '../helpers/lan-harness.js';
import * as pl from '../../src/ipmi/commands/payload.js';
import { encodeWith } from '../../src/ipmi/spec.js';
import { SolStatus, type SolPacket } from '../../src/protocol/sol.js';
import type { BmcConfig } from '../../src/bmc/config/model.js';
import { SeededRng } from '../../src/bmc/rng.js';

function setup(configure: (c: BmcConfig) => void = () => {}) {
  const h = new Harness(configure, new SeededRng(11));
  const peer = new PlusPeer(h, { suite: 3 }).establish();
  assert.equal(peer.request(0x06, 0x3b, Uint8Array.of(4)).cc, 0, 'Set Session Privilege Level: ADMINISTRATOR');
  const r = peer.request(pl.activatePayload.netFn, pl.activatePayload.cmd, encodeWith(pl.activatePayload.request, { payloadType: 1, instance: 1, aux: 0xc6 }));
  assert.equal(r.cc, 0, 'SOL activated');
  return { h, peer, con: new SolConsole(h, peer) };
}

/** The SOL client's side: what the BMC printed (each data packet ACKed at once) and the ACKs it got. */
class SolConsole {
  text = '';
  acks: SolPacket[] = [];
  private seq = 0;
  private readonly h: Harness;
  private readonly peer: PlusPeer;

  constructor(h: Harness, peer: PlusPeer) {
    this.h = h;
    this.peer = peer;
  }

  /** Lets the BMC's timers run for `ms`, collecting (and ACKing) what it sends. */
  run(ms = 100): string {
    const from = this.text.length;
    for (let i = 0; i < ms; i += 10) {
      this.h.clock.advance(10);
      for (;;) {
        const out = this.h.takeOutbox().map((d) => this.peer.unwrapSol(d));
        if (out.length === 0) break;
        for (const p of out) {
          if (p.sequence === 0) {
            this.acks.push(p);
            continue;
          }
          this.text += Buffer.from(p.data).toString('latin1');
          this.h.send(this.peer.solDatagram({ ackSequence: p.sequence, acceptedCount: p.data.length }));
        }
      }
    }
    return this.text.slice(from);
  }

  type(s: string): string {
    this.seq = (this.seq % 15) + 1;
    assert.deepEqual(this.h.send(this.peer.solDatagram({ sequence: this.seq, data: s })), []);
    return this.run();
  }

  lastAck(): SolPacket {
    const a = this.acks.at(-1);
    assert.ok(a, 'an ACK came');
    return a;
  }
}

function chassisControl(peer: PlusPeer, action: number): void {
  assert.equal(peer.request(0x00, 0x02, Uint8Array.of(action)).cc, 0);
}

test('no console given: SOL reaches the standalone echo console of the config', () => {
  const { con } = setup();
  assert.equal(con.type('hello\r'), 'hello\r\n');
  assert.equal(con.lastAck().flags, 0, 'the port is available');
  assert.equal(con.lastAck().acceptedCount, 6);
});

test('login console named after identity.systemName; power off makes it unavailable, power on and reset greet again', () => {
  const { h, peer, con } = setup((c) => {
    c.identity.systemName = 'rack7-node3';
    c.sol.console.mode = 'login';
  });
  assert.match(con.run(), /\r\nrack7-node3 login: $/);
  assert.equal(con.type('root\r'), 'root\r\nPassword: ');
  assert.equal(con.type('root\r'), '\r\nroot@rack7-node3:~# ', 'the password is not echoed');
  assert.equal(con.type('echo up\r'), 'echo up\r\nup\r\nroot@rack7-node3:~# ');

  chassisControl(peer, 0x00); // power down
  assert.equal(h.bmc.sol.console?.available, false);
  assert.equal(con.type('lost\r'), '', 'nothing answers a powered-off system');
  assert.equal(con.lastAck().flags, SolStatus.CharacterTransferUnavailable, 'accepted, discarded, without NACK');
  assert.equal(con.lastAck().acceptedCount, 5);

  chassisControl(peer, 0x01); // power up
  assert.match(con.run(), /^\r\nrack7-node3 login: $/, 'booted again: the login prompt, the old login forgotten');
  assert.equal(con.type('x'), 'x');
  assert.equal(con.lastAck().flags, 0);

  con.type('\r');
  chassisControl(peer, 0x03); // hard reset
  assert.match(con.run(), /^\r\nrack7-node3 login: $/, 'a reset brings the login prompt back');
});

test('the console follows the platform\'s power from the start; closeConsole stops its timers', () => {
  const { h, con } = setup((c) => {
    c.chassis.restorePolicy = 'always-off';
    c.chassis.initialPower = 'off';
  });
  assert.equal(h.bmc.platform.poweredOn, false);
  assert.equal(con.type('a'), '');
  assert.equal(con.lastAck().flags, SolStatus.CharacterTransferUnavailable);
  h.bmc.sol.shutdown();
  h.bmc.closeConsole();
  assert.equal(h.clock.pendingTimers(), 0, 'no timer left behind');
});
