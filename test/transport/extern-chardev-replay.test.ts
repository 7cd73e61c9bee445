// Byte compatibility with ipmi_sim: replays each recorded QEMU session against our server, with
// a BMC that gives the answers and raises the controls ipmi_sim did, and requires our output to
// equal ipmi_sim's byte for byte. Known, intended differences: our connect handshake starts with
// the parser reset (AA A0 A1), and we do not repeat an attention state the VM already has.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { ExternChardevServer, type SystemInterfaceBmc, type SystemRequest, type SystemResponse } from '../../src/transport/extern-chardev.js';
import { VmCmd, VmDeframer, VmLimits, encodeVmControl, encodeVmMessage, vmParserReset, type VmEvent } from '../../src/protocol/vm-codec.js';
import { toHex } from '../helpers/bytes.js';
import { captureFiles, loadCapture, type CaptureChunk } from '../helpers/vm-captures.js';
import { VmPeer } from '../helpers/vm-peer.js';

type Message = Extract<VmEvent, { kind: 'message' }>;

const attentionCodes: ReadonlySet<number> = new Set([VmCmd.noAttn, VmCmd.attn, VmCmd.attnIrq]);

class ReplayBmc implements SystemInterfaceBmc {
  server!: ExternChardevServer;
  attentionCode: number = VmCmd.noAttn;
  expected: { request: Message; response: Message; controls: number[] } | undefined;

  dispatchSystem(req: SystemRequest): SystemResponse {
    const plan = this.expected;
    assert.ok(plan, `unexpected request ${JSON.stringify(req)}`);
    this.expected = undefined;
    assert.deepEqual({ ...req }, { netFn: plan.request.netFn, lun: plan.request.lun, cmd: plan.request.cmd, data: plan.request.data });
    for (const code of plan.controls) this.perform(code, false);
    return { cc: plan.response.data[0]!, data: plan.response.data.slice(1) };
  }

  attention(): { pending: boolean; irqEnabled: boolean } {
    return { pending: this.attentionCode !== VmCmd.noAttn, irqEnabled: this.attentionCode === VmCmd.attnIrq };
  }

  /** Makes the server emit control `code` the way a BMC would cause it. */
  perform(code: number, now: boolean): void {
    if (attentionCodes.has(code)) {
      this.attentionCode = code;
      if (now) this.server.updateAttention();
      return;
    }
    const s = this.server;
    const actions: Record<number, () => string> = {
      [VmCmd.powerOff]: () => s.powerOff(),
      [VmCmd.reset]: () => s.reset(),
      [VmCmd.enableIrq]: () => s.setIrqEnabled(true),
      [VmCmd.disableIrq]: () => s.setIrqEnabled(false),
      [VmCmd.sendNmi]: () => s.sendNmi(),
      [VmCmd.gracefulShutdown]: () => s.gracefulShutdown(),
    };
    const result = actions[code]?.();
    assert.equal(result, 'sent', `control 0x${code.toString(16)}`);
  }
}

const decode = (chunk: CaptureChunk): VmEvent[] =>
  new VmDeframer({ minMessage: chunk.dir === 'bmcToQemu' ? VmLimits.minResponse : VmLimits.minRequest }).push(chunk.bytes);

function encode(ev: VmEvent): Uint8Array {
  if (ev.kind === 'message') return encodeVmMessage(ev);
  if (ev.kind === 'control') return encodeVmControl(ev.code, ev.data);
  throw new Error('error event in a capture');
}

const cat = (parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

for (const file of captureFiles) {
  test(`${file}: our server's bytes equal ipmi_sim's for every recorded exchange`, async () => {
    const bmc = new ReplayBmc();
    const server = new ExternChardevServer({ bmc, listen: { host: '127.0.0.1', port: 0 } });
    bmc.server = server;
    const at = await server.listen();
    let exchanges = 0;
    try {
      for (const conn of loadCapture(file)) {
        const chunks = [...conn.chunks];
        // Handshakes: ipmi_sim's `ff 01 a1 <attention> a1`, QEMU's `ff 01 a1 08 3f a1`.
        const bmcHello = chunks.splice(chunks.findIndex((c) => c.dir === 'bmcToQemu'), 1)[0]!;
        const qemuHello = chunks.splice(chunks.findIndex((c) => c.dir === 'qemuToBmc'), 1)[0]!;
        const [, hello] = decode(bmcHello);
        assert.ok(hello?.kind === 'control' && attentionCodes.has(hello.code));
        bmc.attentionCode = hello.code;
        let attention = hello.code;
        const peer = await VmPeer.connect(at);
        peer.send(qemuHello.bytes);
        const ours = cat([vmParserReset, bmcHello.bytes]);
        await peer.until(() => peer.received.length >= ours.length);
        assert.equal(toHex(peer.received), toHex(ours), `handshake at ${file}:${bmcHello.line}`);

        /** Recorded frames minus attention states the VM already had (we only send changes). */
        const expectedBytes = (events: VmEvent[]): Uint8Array =>
          cat(
            events
              .filter((ev) => {
                if (ev.kind !== 'control' || !attentionCodes.has(ev.code)) return true;
                const repeat = ev.code === attention;
                attention = ev.code;
                return !repeat;
              })
              .map(encode),
          );

        let i = 0;
        while (i < chunks.length) {
          const chunk = chunks[i++]!;
          const start = peer.received.length;
          let expected: Uint8Array;
          let where = `${file}:${chunk.line}`;
          if (chunk.dir === 'qemuToBmc') {
            const [request, ...more] = decode(chunk);
            assert.ok(request?.kind === 'message' && more.length === 0, where);
            // ipmi_sim's output up to and including the response with this seq.
            const recorded: VmEvent[] = [];
            let response: Message | undefined;
            while (!response && i < chunks.length && chunks[i]!.dir === 'bmcToQemu') {
              for (const ev of decode(chunks[i++]!)) {
                recorded.push(ev);
                if (ev.kind === 'message' && ev.seq === request.seq) response = ev;
              }
            }
            if (!response) continue; // the VM went away before ipmi_sim answered
            const controls = recorded.flatMap((ev) => (ev.kind === 'control' ? [ev.code] : []));
            bmc.expected = { request, response, controls };
            where += ` (seq 0x${request.seq.toString(16)})`;
            expected = expectedBytes(recorded);
            peer.send(chunk.bytes);
          } else {
            // Something the BMC did on its own: an event, a chassis command from the LAN, the watchdog.
            const events = decode(chunk);
            expected = expectedBytes(events);
            for (const ev of events) {
              assert.ok(ev.kind === 'control', where);
              bmc.perform(ev.code, true);
            }
          }
          await peer.until(() => peer.received.length >= start + expected.length, 2000);
          assert.equal(toHex(peer.received.slice(start)), toHex(expected), where);
          exchanges++;
        }
        const gone = once(server, 'disconnect');
        peer.close();
        await gone;
      }
    } finally {
      await server.close();
    }
    assert.ok(exchanges > 700, `${exchanges} exchanges replayed`);
  });
}
