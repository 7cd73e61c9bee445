// Issue 8, the system side of SOL, against the real guest under QEMU 7.2: the SOL serial server
// (src/transport/sol-serial.ts) in this process, driven through its HostConsole API as the SOL
// engine drives it, with a booted guest whose ttyS0 dials it (`-chardev socket,id=sol0,...,
// reconnect=1 -serial chardev:sol0`) and runs an interactive shell there. One boot serves:
//   - boot messages in the ring and in console.log, from offset 0;
//   - typed commands run in the guest's shell and their output comes back, several typed at once
//     arriving complete;
//   - break (QMP chardev-send-break) then 'h' reaches the UART: Linux prints "sysrq: HELP";
//   - with nobody on SOL the guest prints about 1 MB (seq 1 165000 to its ttyS0) and stays
//     responsive: its command channel (ttyS1) answers promptly meanwhile, and console.log has
//     every line, in order; the write's duration is reported.
// Then QEMU is replaced by a new one whose chardev is a telnet server (QEMU only does telnet on
// server sockets) behind a byte relay: the port is taken again, offsets continue, the telnet
// opening is stripped, break goes as IAC BREAK, and a typed 0xFF reaches the guest (escaped).
// serve's own wiring (power cycle, serve restart) is test/e2e/sol-serve.test.ts.

import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildSolArgs } from '../../src/qemu/args.js';
import { SolSerialServer } from '../../src/transport/sol-serial.js';
import { GUEST_PROMPT, GUEST_SHELL, guestPrerequisites, startVm, TextWatch, type GuestVm } from '../helpers/guest.js';
import { tempDir } from '../helpers/qemu.js';
import { needTool } from '../helpers/tools.js';

const why = guestPrerequisites();
const APPEND = ['guest.ipmi=none', GUEST_SHELL];
const LINES = 165_000;

/** What a SOL client would see: everything from the moment it subscribes. */
class SolView {
  text = '';
  readonly watch: TextWatch;
  private unsubscribe: (() => void) | undefined;

  constructor(context: () => string) {
    this.watch = new TextWatch(() => this.text, () => `\n--- SOL view (tail) ---\n${JSON.stringify(this.text.slice(-2000))}${context()}`);
  }

  attach(con: SolSerialServer): void {
    this.unsubscribe = con.subscribe({
      output: (d) => {
        this.text += Buffer.from(d).toString('latin1');
        this.watch.changed();
      },
      availability: () => this.watch.changed(),
    });
  }

  detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  mark(): number {
    return this.text.length;
  }

  waitFor(re: RegExp, ms = 30_000, from = 0): Promise<RegExpExecArray> {
    return this.watch.waitFor(re, ms, from);
  }
}

/** A free TCP port on loopback (for QEMU to listen on). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Pipes QEMU's listening chardev to our server's socket, byte for byte, both ways. */
async function relay(qemuPort: number, ours: string, ms = 20_000): Promise<Socket[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const q = connect(qemuPort, '127.0.0.1');
    const ok = await new Promise<boolean>((resolve) => {
      q.once('connect', () => resolve(true));
      q.once('error', () => resolve(false));
    });
    if (ok) {
      const s = connect(ours);
      q.pipe(s);
      s.pipe(q);
      for (const x of [q, s]) x.on('error', () => {});
      return [q, s];
    }
    q.destroy();
    if (Date.now() > deadline) throw new Error(`QEMU did not listen on ${qemuPort} within ${ms} ms`);
    await sleep(50);
  }
}

describe('SOL serial server with a booted guest (QEMU 7.2)', { timeout: 300_000 }, () => {
  let dir: { path: string; remove: () => void } | undefined;
  let server: SolSerialServer;
  let vm: GuestVm | undefined;
  let view: SolView;
  const serverLog: string[] = [];
  const context = () => `\n--- server log ---\n${serverLog.slice(-30).join('\n')}`;
  let sockPath: string;
  let logPath: string;
  let relayed: Socket[] = [];

  before(async () => {
    if (why) return;
    dir = tempDir('sol-e2e-');
    sockPath = join(dir.path, 'sol.sock');
    logPath = join(dir.path, 'console.log');
    server = new SolSerialServer({
      listen: { path: sockPath },
      historySize: 64 * 1024,
      logFile: logPath,
      qmpBreak: () => vm!.qmp('chardev-send-break', { id: 'sol0' }).then(() => true),
      log: (level, m) => serverLog.push(`${level} ${m}`),
    });
    await server.listen();
    view = new SolView(context);
    view.attach(server);
    // Listener first, then QEMU: nothing is lost from the first byte.
    vm = await startVm({ serial0: 'chardev:sol0', append: APPEND, extraArgs: buildSolArgs({ endpoint: { path: sockPath }, serial: false }).args });
  });

  after(async () => {
    for (const s of relayed) s.destroy();
    await vm?.kill();
    await server?.shutdown();
    dir?.remove();
  });

  const step = (name: string, fn: (t: TestContext) => Promise<void>) =>
    test(name, async (t) => {
      if (!needTool(t, 'QEMU guest prerequisites', !why, why)) return;
      assert.ok(vm, 'the VM did not start (see the first failure)');
      await fn(t);
    });

  step('boot messages arrive in the ring and console.log through the chardev, from offset 0', async () => {
    await view.waitFor(new RegExp(GUEST_PROMPT.replace('#', '\\#')));
    const ring = server.since(0);
    assert.equal(ring.start, 0, 'the ring has everything since the first byte');
    const text = Buffer.from(ring.data).toString('latin1');
    assert.match(text, /^GUEST: booting \S+\r\n/, 'the first byte the guest printed is there');
    assert.match(text, /GUEST: shell on ttyS0\r\n[^]*GUEST: ready\r\n/);
    assert.equal(view.text, text, 'what a subscriber saw is what the ring holds');
    await server.logDrained();
    assert.equal(readFileSync(logPath, 'latin1'), text, 'console.log holds the same bytes');
    assert.equal(server.available, true);
    assert.equal(server.telnet, false, 'a QEMU client chardev is raw');
  });

  step('typed bytes reach the guest\'s shell and its output comes back; several commands at once arrive complete', async () => {
    let from = view.mark();
    assert.equal(server.write(Buffer.from('echo $((6*7)) sol-$((1+1))\r')), 27);
    await view.waitFor(/\r\n42 sol-2\r\n/, 30_000, from);
    from = view.mark();
    const many = Array.from({ length: 20 }, (_, i) => `echo typed-${i}-$((${i}*3))\r`).join('');
    assert.equal(server.write(Buffer.from(many)), many.length);
    const m = await view.waitFor(/typed-19-57\r\n/, 30_000, from);
    const out = view.text.slice(from, from + m.index + m[0].length);
    // The tty's echo of later lines may run straight into an answer, so only the answer's own
    // end is anchored (an echoed command has "$((" where the answer has the number).
    const answers = [...out.matchAll(/typed-(\d+)-(\d+)\r\n/g)].map((x) => [Number(x[1]), Number(x[2])]);
    assert.deepEqual(answers, Array.from({ length: 20 }, (_, i) => [i, i * 3]), 'every command ran, in order');
  });

  step('break then h reaches the guest\'s UART: Linux prints the SysRq help', async () => {
    const from = view.mark();
    server.sendBreak();
    server.write(Buffer.from('h'));
    await view.waitFor(/sysrq: HELP : /, 20_000, from);
    assert.equal(server.stats.breaks.qmp, 1);
  });

  step('with nobody on SOL the guest prints ~1 MB and stays responsive; console.log has every line', async (t) => {
    const guest = vm!;
    const made = await guest.run(`seq 1 ${LINES} >/tmp/big && rm -f /tmp/big.done && wc -c </tmp/big`);
    assert.equal(made.rc, 0, made.output);
    const expected = Buffer.from(Array.from({ length: LINES }, (_, i) => `${i + 1}\r\n`).join(''), 'latin1');
    assert.equal(Number(made.output.trim()) + LINES, expected.length, 'onlcr adds a CR per line');
    await server.logDrained();
    const logStart = readFileSync(logPath).length;
    const end0 = server.end;
    view.detach(); // nobody on SOL
    const started = Date.now();
    await guest.run("(u0=$(cut -d' ' -f1 /proc/uptime); cat /tmp/big >/dev/ttyS0; u1=$(cut -d' ' -f1 /proc/uptime); echo \"$u0 $u1\" >/tmp/big.done) </dev/null >/dev/null 2>&1 &");
    const latencies: number[] = [];
    let sawRunning = false;
    let done: string | undefined;
    while (done === undefined) {
      if (Date.now() - started > 180_000) assert.fail(`the 1 MB write did not finish within 180 s (${server.end - end0} bytes so far)`);
      const t0 = Date.now();
      const r = await guest.run('cat /tmp/big.done 2>/dev/null || echo running', 20_000);
      latencies.push(Date.now() - t0);
      if (r.output.trim() === 'running') sawRunning = true;
      else done = r.output.trim();
      await sleep(200);
    }
    const [u0, u1] = done.split(' ').map(Number);
    const guestSeconds = u1! - u0!;
    const max = Math.max(...latencies);
    assert.ok(sawRunning, 'the command channel answered while the guest was printing');
    // Generous: on an idle machine a probe takes well under a second.
    assert.ok(max < 10_000, `command channel latencies while printing: ${latencies.join(', ')} ms`);
    await until(() => server.end - end0 >= expected.length, 30_000);
    assert.equal(server.end - end0, expected.length, 'every byte read, nothing else printed meanwhile');
    const tail = server.since(server.end - 64 * 1024);
    assert.equal(tail.data.length, 64 * 1024, 'the ring holds its size');
    assert.ok(Buffer.from(tail.data).equals(expected.subarray(expected.length - 64 * 1024)), 'the ring holds the newest 64 KiB');
    await server.logDrained();
    const logged = readFileSync(logPath).subarray(logStart);
    assert.ok(logged.equals(expected), `console.log has all ${LINES} lines in order (${logged.length} of ${expected.length} bytes)`);
    view.attach(server);
    t.diagnostic(`guest wrote ${expected.length} bytes (${LINES} lines) to ttyS0 with nobody on SOL in ${guestSeconds.toFixed(2)} s guest time (${(expected.length / guestSeconds / 1024).toFixed(0)} KiB/s); command channel probes: ${latencies.length}, max ${max} ms`);
  });

  step('QEMU replaced by a telnet-mode one: the port is taken again, offsets continue, IAC BREAK and FF work', async () => {
    const end1 = server.end;
    const connections = server.stats.connections;
    await vm!.kill();
    vm = undefined;
    await until(() => !server.available, 10_000);
    const port = await freePort();
    const from = view.mark();
    const starting = startVm({
      serial0: 'chardev:sol0',
      append: APPEND,
      extraArgs: ['-chardev', `socket,id=sol0,host=127.0.0.1,port=${port},server=on,wait=off,telnet=on`],
    });
    relayed = await relay(port, sockPath);
    vm = await starting;
    await view.waitFor(/GUEST: booting/, 30_000, from);
    await view.waitFor(new RegExp(GUEST_PROMPT.replace('#', '\\#')), 60_000, from);
    assert.equal(server.stats.connections, connections + 1);
    assert.equal(server.telnet, true, 'the relayed QEMU opened with telnet negotiation');
    assert.doesNotMatch(view.text.slice(from), /\xff\xfb/, 'the negotiation is not in the output');
    const second = server.since(end1);
    assert.equal(second.start, end1, 'offsets continue across connections');
    assert.match(Buffer.from(second.data).toString('latin1'), /^GUEST: booting/);

    let mark = view.mark();
    server.sendBreak();
    server.write(Buffer.from('h'));
    await view.waitFor(/sysrq: HELP : /, 20_000, mark);
    assert.equal(server.stats.breaks.telnet, 1, 'IAC BREAK, not QMP');

    // A typed 0xFF must reach the guest as one byte (we escape it as FF FF).
    mark = view.mark();
    server.write(Buffer.from('echo READY-FF; od -An -tx1 -N3\r'));
    await view.waitFor(/\r\nREADY-FF\r\n/, 20_000, mark);
    server.write(Buffer.from('X\xffY\r', 'latin1'));
    await view.waitFor(/ 58 ff 59\r\n/, 20_000, mark);
    // The tty's echo comes back raw (QEMU does not double FF): read as data.
    assert.match(view.text.slice(mark), /X\xffY/);

    await server.logDrained();
    const log = readFileSync(logPath, 'latin1');
    assert.equal((log.match(/GUEST: booting/g) ?? []).length, 2, 'console.log spans both QEMUs');
  });
});

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(20);
  }
}
