// Drives a real QEMU from tests: the guest side through the qtest protocol on stdio (port I/O and
// IRQ interception, qemu/qemu system/qtest.c), machine events through QMP on a Unix socket, and a
// guest-side KCS transaction the way QEMU's own tests/qtest/ipmi-kcs-test.c does it (§3.2).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';

export const qemuBinary = process.env.QEMU_SYSTEM_X86_64 ?? 'qemu-system-x86_64';

/** Why the QEMU binary cannot be used, or undefined when it runs. */
export function qemuMissing(): string | undefined {
  const r = spawnSync(qemuBinary, ['--version'], { encoding: 'utf8' });
  if (r.error) return `${qemuBinary}: ${r.error.message}`;
  if (r.status !== 0) return `${qemuBinary} --version exited ${r.status}: ${r.stderr}`;
  return undefined;
}

let setpriv: boolean | undefined;
function hasSetpriv(): boolean {
  setpriv ??= spawnSync('setpriv', ['--version']).status === 0;
  return setpriv;
}

export class QtestQemu {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr = '';
  private readonly waiting: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];
  private readonly irq = new Map<number, number>();
  private readonly raises = new Map<number, number>();
  private gone: Error | undefined;

  /**
   * `args` are the machine and device options; qtest on stdio is added here. Pass the test's
   * AbortSignal so QEMU is killed even when the test times out before its cleanup runs.
   */
  constructor(args: string[], signal?: AbortSignal) {
    const argv = [qemuBinary, '-qtest', 'stdio', '-qtest-log', '/dev/null', ...args];
    // setpriv execs QEMU with a parent-death signal, so even a test process killed outright
    // (file-level timeout, ^C) does not leave a QEMU behind.
    const [bin, ...rest] = hasSetpriv() ? ['setpriv', '--pdeathsig', 'KILL', '--', ...argv] : argv;
    this.child = spawn(bin!, rest, {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(signal ? { signal, killSignal: 'SIGKILL' as const } : {}),
    });
    this.child.on('error', () => {}); // an abort is reported as an error; 'exit' still follows
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.gone = new Error(`QEMU exited (code ${code}, signal ${signal}); stderr: ${this.stderr}`);
        for (const w of this.waiting.splice(0)) w.reject(this.gone);
        resolve({ code, signal });
      });
    });
    this.child.stdin!.on('error', () => {});
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const m = /^IRQ (raise|lower) (\d+)$/.exec(line);
      if (m) {
        const n = Number(m[2]);
        this.irq.set(n, m[1] === 'raise' ? 1 : 0);
        if (m[1] === 'raise') this.raises.set(n, (this.raises.get(n) ?? 0) + 1);
        return;
      }
      this.waiting.shift()?.resolve(line);
    });
  }

  /** Sends one qtest command and returns its reply line ("OK …"); async IRQ lines are tracked. */
  cmd(line: string): Promise<string> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin!.write(`${line}\n`);
    }).then((reply) => {
      if (!(reply as string).startsWith('OK')) throw new Error(`qtest "${line}": ${reply as string}`);
      return reply as string;
    });
  }

  async inb(port: number): Promise<number> {
    return parseInt((await this.cmd(`inb 0x${port.toString(16)}`)).split(' ')[1]!, 16);
  }

  async outb(port: number, value: number): Promise<void> {
    await this.cmd(`outb 0x${port.toString(16)} 0x${value.toString(16)}`);
  }

  irqLevel(n: number): number {
    return this.irq.get(n) ?? 0;
  }

  irqRaises(n: number): number {
    return this.raises.get(n) ?? 0;
  }

  get running(): boolean {
    return this.gone === undefined;
  }

  async kill(): Promise<void> {
    if (this.gone) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

// ---- KCS, guest side (qemu-ipmi.md §3.2) -----------------------------------------------------

const kcs = { writeStart: 0x61, writeEnd: 0x62, read: 0x68 } as const;
const state = (status: number) => status >> 6;
const stateIdle = 0;
const stateRead = 1;
const stateWrite = 2;

export interface KcsResult {
  /** netFn/LUN, cmd, cc, data… as the guest reads them. */
  response: number[];
  /** IRQ 5 level at the moment the first response byte was announced (OBF in READ state). */
  irqAtResponse: number;
}

async function waitIbfClear(q: QtestQemu, base: number, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = await q.inb(base + 1);
    if ((status & 0x02) === 0) return status;
    if (Date.now() > deadline) throw new Error(`KCS IBF stuck, status 0x${status.toString(16)}`);
    await new Promise((res) => setTimeout(res, 2));
  }
}

/** One request through the KCS registers; waits (real time) for the external BMC to answer. */
export async function kcsTransaction(q: QtestQemu, request: number[], { base = 0xca2, ms = 4000 } = {}): Promise<KcsResult> {
  const expectWrite = async () => {
    const status = await waitIbfClear(q, base, 1000);
    if (state(status) !== stateWrite) throw new Error(`KCS not in WRITE state: 0x${status.toString(16)}`);
    await q.inb(base); // clear the dummy OBF
  };
  const idle = await q.inb(base + 1);
  if ((idle & 0xc3) !== 0) throw new Error(`KCS not idle before the request: 0x${idle.toString(16)}`);
  await q.outb(base + 1, kcs.writeStart);
  await expectWrite();
  for (const b of request.slice(0, -1)) {
    await q.outb(base, b);
    await expectWrite();
  }
  await q.outb(base + 1, kcs.writeEnd);
  await expectWrite();
  await q.outb(base, request.at(-1)!);
  const response: number[] = [];
  let irqAtResponse = -1;
  for (;;) {
    const status = await waitIbfClear(q, base, ms);
    if (state(status) === stateRead) {
      if ((status & 0x01) === 0) continue;
      if (irqAtResponse < 0) irqAtResponse = q.irqLevel(5);
      response.push(await q.inb(base));
      await q.outb(base, kcs.read);
    } else if (state(status) === stateIdle) {
      await q.inb(base); // the closing dummy byte
      return { response, irqAtResponse };
    } else {
      throw new Error(`KCS in unexpected state: 0x${status.toString(16)}`);
    }
  }
}

// ---- QMP -------------------------------------------------------------------------------------

export class Qmp {
  private readonly socket: net.Socket;
  readonly events: string[] = [];
  private readonly wakers = new Set<() => void>();

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('error', () => {});
    readline.createInterface({ input: socket }).on('line', (line) => {
      const msg = JSON.parse(line) as { event?: string };
      if (msg.event) this.events.push(msg.event);
      for (const w of [...this.wakers]) w();
    });
  }

  /** Connects (retrying while QEMU creates the socket) and leaves capabilities negotiation mode. */
  static async connect(path: string, ms = 5000): Promise<Qmp> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        const socket = await new Promise<net.Socket>((resolve, reject) => {
          const s = net.connect(path);
          s.once('connect', () => resolve(s)).once('error', reject);
        });
        const qmp = new Qmp(socket);
        socket.write('{"execute":"qmp_capabilities"}\n');
        return qmp;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  }

  async waitEvent(name: string, ms = 5000): Promise<void> {
    if (this.events.includes(name)) return;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!this.events.includes(name)) return;
        clearTimeout(timer);
        this.wakers.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.wakers.delete(check);
        reject(new Error(`no QMP ${name} event; saw ${this.events.join(', ') || 'none'}`));
      }, ms);
      this.wakers.add(check);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
