// Minimal QMP client for tests: line-delimited JSON over a Unix socket, one command at a time,
// events ignored (kept in `events` for inspection).
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export class QmpError extends Error {
  readonly errorClass: string;
  constructor(errorClass: string, desc: string) {
    super(`QMP ${errorClass}: ${desc}`);
    this.name = 'QmpError';
    this.errorClass = errorClass;
  }
}

type Waiter = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class QmpClient {
  readonly events: unknown[] = [];
  greeting: unknown;
  private sock: Socket | undefined;
  private buf = '';
  private queue: Waiter[] = [];
  private closedError: Error | undefined;

  /** Connects (retrying while QEMU creates the socket), reads the greeting, negotiates capabilities. */
  static async open(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const c = new QmpClient();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await c.connect(path);
        break;
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await sleep(50);
      }
    }
    c.greeting = await c.next();
    await c.execute('qmp_capabilities');
    return c;
  }

  private connect(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      s.once('error', reject);
      s.once('connect', () => {
        s.off('error', reject);
        this.sock = s;
        s.setEncoding('utf8');
        s.on('data', (d: string) => this.onData(d));
        s.on('error', (e) => this.fail(e));
        s.on('close', () => this.fail(new Error('QMP connection closed')));
        resolve();
      });
    });
  }

  private onData(d: string): void {
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      const msg = JSON.parse(line) as Record<string, unknown>;
      if ('event' in msg) {
        this.events.push(msg);
        continue;
      }
      this.queue.shift()?.resolve(msg);
    }
  }

  private fail(e: Error): void {
    this.closedError ??= e;
    for (const w of this.queue.splice(0)) w.reject(e);
  }

  private next(): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  /** Runs a command and returns its "return" value; throws QmpError on an "error" reply. */
  async execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    const reply = this.next();
    this.sock!.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    const msg = (await reply) as { return?: unknown; error?: { class: string; desc: string } };
    if (msg.error) throw new QmpError(msg.error.class, msg.error.desc);
    return msg.return;
  }

  close(): void {
    this.sock?.destroy();
  }
}
