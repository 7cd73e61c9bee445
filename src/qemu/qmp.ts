// QMP (QEMU Machine Protocol) client over a Unix socket: line-delimited JSON, a greeting,
// `qmp_capabilities`, then commands answered in order and asynchronous events. Used by the
// internal-BMC mode to carry out power control and to read the run state back.

import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';

export class QmpError extends Error {
  readonly errorClass: string;
  constructor(errorClass: string, desc: string) {
    super(`QMP ${errorClass}: ${desc}`);
    this.name = 'QmpError';
    this.errorClass = errorClass;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp?: { seconds: number; microseconds: number };
}

/** Events: 'event' (QmpEvent), 'close' (Error | undefined). */
export class QmpClient extends EventEmitter {
  private sock: Socket | undefined;
  private buf = '';
  private greeted: ((v: unknown) => void) | undefined;
  private readonly queue: Pending[] = [];
  private closed: Error | undefined;

  /** Connects, retrying until `timeoutMs` while QEMU is still creating the socket. */
  static async open(path: string, timeoutMs = 10_000): Promise<QmpClient> {
    const c = new QmpClient();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await c.connect(path);
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`cannot connect to QMP at ${path}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await c.execute('qmp_capabilities');
    return c;
  }

  private connect(path: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = connect(path);
      const onError = (e: Error) => reject(e);
      s.once('error', onError);
      s.once('connect', () => {
        s.off('error', onError);
        this.sock = s;
        s.setEncoding('utf8');
        s.on('data', (d: string) => this.onData(d));
        s.on('error', (e) => this.finish(e));
        s.on('close', () => this.finish(new Error('QMP connection closed')));
        // The greeting arrives first; commands wait for it.
        this.greeted = () => resolve();
      });
    });
  }

  private onData(d: string): void {
    this.buf += d;
    if (this.buf.length > 1 << 20) {
      this.finish(new Error('QMP: over-long line'));
      this.sock?.destroy();
      return;
    }
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if ('QMP' in msg) {
        const g = this.greeted;
        this.greeted = undefined;
        g?.(msg);
      } else if ('event' in msg) {
        this.emit('event', msg as unknown as QmpEvent);
      } else {
        const p = this.queue.shift();
        if (!p) continue;
        clearTimeout(p.timer);
        if ('error' in msg) {
          const e = msg.error as { class?: string; desc?: string };
          p.reject(new QmpError(e.class ?? 'GenericError', e.desc ?? 'unknown error'));
        } else p.resolve(msg.return);
      }
    }
  }

  private finish(e: Error | undefined): void {
    if (this.closed) return;
    this.closed = e ?? new Error('QMP closed');
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.timer);
      p.reject(this.closed);
    }
    this.emit('close', e);
  }

  get isOpen(): boolean {
    return !this.closed && this.sock !== undefined;
  }

  execute(command: string, args?: Record<string, unknown>, timeoutMs = 5000): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.queue.findIndex((p) => p.timer === timer);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new Error(`QMP ${command} timed out`));
      }, timeoutMs);
      this.queue.push({ resolve, reject, timer });
      this.sock!.write(JSON.stringify(args ? { execute: command, arguments: args } : { execute: command }) + '\n');
    });
  }

  /** `query-status`: { running, status: 'running' | 'paused' | 'shutdown' | ... }. */
  async status(): Promise<{ running: boolean; status: string }> {
    return (await this.execute('query-status')) as { running: boolean; status: string };
  }

  close(): void {
    this.sock?.destroy();
    this.finish(undefined);
  }
}
