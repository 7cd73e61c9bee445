// `<state-dir>/console.log`: every byte the system printed, appended as it arrives (raw, like
// QEMU's chardev logfile=). Bounded on disk: once the file passes `maxBytes` it is renamed to
// console.log.1 (replacing the previous one) and a new file starts, so at most about twice
// maxBytes are kept. Appends use O_APPEND and the rotation is a rename, so a reader (tail -F)
// never sees a half-rewritten file. Writes are asynchronous and never hold up the reader of the
// serial port: what a slow disk cannot take within `maxPending` bytes is dropped and a marker
// says how much.

import { open, rename, type FileHandle } from 'node:fs/promises';

export const CONSOLE_LOG_MAX_BYTES = 4 * 1024 * 1024;
const DEFAULT_MAX_PENDING = 1024 * 1024;
/**
 * Output is gathered this long before a write: QEMU sends the guest's serial output a few
 * bytes at a time, and a file write per chunk would cost more than everything else together.
 */
const BATCH_MS = 20;
/** ...unless this much is waiting already. */
const BATCH_BYTES = 64 * 1024;

export interface ConsoleLogOptions {
  /** Rotate once the file reaches this many bytes (default CONSOLE_LOG_MAX_BYTES). */
  maxBytes?: number;
  /** Bytes queued for a slow disk before output is dropped from the log (default 1 MiB). */
  maxPending?: number;
  /** Reports write failures (once per failure streak). */
  onError?: (e: Error) => void;
}

export class ConsoleLog {
  readonly path: string;
  private readonly maxBytes: number;
  private readonly maxPending: number;
  private readonly onError: (e: Error) => void;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private dropped = 0;
  private file: FileHandle | undefined;
  private size = 0;
  private writing: Promise<void> | undefined;
  private batchTimer: NodeJS.Timeout | undefined;
  private failing = false;
  private closed = false;

  constructor(path: string, o: ConsoleLogOptions = {}) {
    this.path = path;
    this.maxBytes = o.maxBytes ?? CONSOLE_LOG_MAX_BYTES;
    this.maxPending = o.maxPending ?? DEFAULT_MAX_PENDING;
    this.onError = o.onError ?? (() => {});
  }

  /** Queues `data` (copied) for the file. */
  append(data: Uint8Array): void {
    if (this.closed || data.length === 0) return;
    if (this.pendingBytes + data.length > this.maxPending) {
      this.dropped += data.length;
    } else {
      this.pending.push(data.slice());
      this.pendingBytes += data.length;
    }
    if (this.pendingBytes >= BATCH_BYTES) this.kick();
    else this.batchTimer ??= setTimeout(() => this.kick(), BATCH_MS).unref();
  }

  private kick(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.writing) return;
    this.writing = this.flush().finally(() => {
      this.writing = undefined;
      if (this.pending.length > 0 || this.dropped > 0) this.kick();
    });
  }

  /** Resolves once everything queued so far is on disk (or failed). */
  async drained(): Promise<void> {
    if (this.batchTimer) this.kick();
    while (this.writing) await this.writing;
  }

  /** Writes what is queued and closes the file. */
  async close(): Promise<void> {
    await this.drained();
    this.closed = true;
    const f = this.file;
    this.file = undefined;
    await f?.close().catch(() => {});
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0 || this.dropped > 0) {
      const chunks = this.pending;
      this.pending = [];
      this.pendingBytes = 0;
      if (this.dropped > 0) {
        chunks.push(Buffer.from(`\r\n[ipmi-sim: ${this.dropped} bytes of console output not logged: the disk was too slow]\r\n`));
        this.dropped = 0;
      }
      try {
        await this.writeOut(Buffer.concat(chunks));
        this.failing = false;
      } catch (e) {
        if (!this.failing) this.onError(e as Error);
        this.failing = true;
        await this.file?.close().catch(() => {});
        this.file = undefined;
      }
    }
  }

  private async writeOut(bytes: Uint8Array): Promise<void> {
    if (!this.file) {
      this.file = await open(this.path, 'a');
      this.size = (await this.file.stat()).size;
    }
    if (this.size >= this.maxBytes) await this.rotate();
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await this.file!.write(bytes, off, bytes.length - off);
      off += bytesWritten;
    }
    this.size += bytes.length;
  }

  private async rotate(): Promise<void> {
    await this.file!.close();
    this.file = undefined;
    await rename(this.path, `${this.path}.1`);
    this.file = await open(this.path, 'a');
    this.size = 0;
  }
}
