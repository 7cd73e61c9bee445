// The system's serial port (the guest's ttyS0) as SOL sees it: a server for QEMU's
// `-chardev socket,id=sol0,...,reconnect=N -serial chardev:sol0`, which dials us (sol.md §6.5).
//
//   - One VM connection at a time. A QEMU restart is a reconnect; a second connection while one
//     is up is refused and logged (as the extern chardev and ipmi_sim do), so whoever else dials
//     in (a stray QEMU, a curious nc) cannot take the guest's console away.
//   - Guest output is read continuously, whether or not anyone is on SOL, into the history ring
//     and console.log: QEMU stalls the guest's UART when its socket is not drained (sol.md §6.3).
//   - Console → guest bytes go through a bounded queue and are written only as fast as the
//     socket takes them (QEMU reads as the UART's receive FIFO frees, §6.3), so TCP
//     backpressure holds; write() takes what fits and never blocks.
//   - Break: IAC BREAK in-band when the peer speaks telnet (it opened with telnet negotiation),
//     else QMP chardev-send-break when serve owns the VM (`qmpBreak`), else logged as lost.
//     Bytes queued after a break wait until the break went out, so "break, h" stays in order.

import net from 'node:net';
import { HostConsoleBase } from '../bmc/sol/host-console-base.js';
import { IAC, TELNET_BREAK, TelnetReader, telnetEscape } from '../protocol/telnet.js';
import { ConsoleLog } from './console-log.js';
import { describeListen, describePeer, listenStream, type LogLevel, type StreamListen } from './stream-listen.js';

export interface SolSerialOptions {
  listen: StreamListen;
  /** Bytes of output kept for replay and the history instance (config sol.history.size). */
  historySize: number;
  /** Where all output is appended (`<state-dir>/console.log`); undefined: no log. */
  logFile?: string;
  /** console.log rotation size (default CONSOLE_LOG_MAX_BYTES). */
  logMaxBytes?: number;
  /** Console → guest bytes held beyond what the socket has taken (default 64 KiB). */
  maxInputQueue?: number;
  /**
   * Sends a break to the chardev out of band (QMP chardev-send-break); resolves false when it
   * could not. Given when serve owns the VM.
   */
  qmpBreak?: () => Promise<boolean>;
  log?: (level: LogLevel, message: string) => void;
}

export interface SolSerialStats {
  connections: number;
  rejectedConnections: number;
  /** Guest → console data bytes (telnet commands excluded). */
  bytesFromSystem: number;
  /** Console → guest data bytes handed to the socket. */
  bytesToSystem: number;
  /** Console → guest bytes refused because the queue was full, or dropped on disconnect/flush. */
  inputDropped: number;
  breaks: { telnet: number; qmp: number; lost: number };
  /** IAC BREAK received from a telnet peer (the system sent a break). */
  breaksFromSystem: number;
}

/** Keep at most this much in the socket's own buffer: what is there cannot be flushed (SOL flush inbound). */
const SOCKET_BACKLOG = 4096;
const DEFAULT_INPUT_QUEUE = 64 * 1024;
const BREAK = Symbol('break');

type QueueItem = Uint8Array | typeof BREAK;

class SerialConnection {
  readonly socket: net.Socket;
  readonly remote: string;
  /** Decided by the first bytes: a telnet peer opens with IAC negotiation. */
  telnet: TelnetReader | undefined;
  sawData = false;
  queue: QueueItem[] = [];
  queued = 0;
  /** A QMP break is on its way: what follows waits. */
  breakInFlight = false;
  warnedBreak = false;

  constructor(socket: net.Socket, remote: string) {
    this.socket = socket;
    this.remote = remote;
  }
}

export class SolSerialServer extends HostConsoleBase {
  private readonly o: SolSerialOptions;
  private readonly log: (level: LogLevel, message: string) => void;
  private readonly maxInputQueue: number;
  private readonly consoleLog: ConsoleLog | undefined;
  private server: net.Server | undefined;
  private conn: SerialConnection | undefined;
  private boundAddress: StreamListen | undefined;
  private readonly counters: SolSerialStats = {
    connections: 0,
    rejectedConnections: 0,
    bytesFromSystem: 0,
    bytesToSystem: 0,
    inputDropped: 0,
    breaks: { telnet: 0, qmp: 0, lost: 0 },
    breaksFromSystem: 0,
  };

  constructor(o: SolSerialOptions) {
    const log = o.log ?? (() => {});
    super(o.historySize, false, (e) => log('warn', `SOL listener failed: ${e instanceof Error ? e.message : String(e)}`));
    this.o = o;
    this.log = log;
    this.maxInputQueue = o.maxInputQueue ?? DEFAULT_INPUT_QUEUE;
    this.consoleLog = o.logFile
      ? new ConsoleLog(o.logFile, { ...(o.logMaxBytes !== undefined ? { maxBytes: o.logMaxBytes } : {}), onError: (e) => log('warn', `console log ${o.logFile}: ${e.message}`) })
      : undefined;
  }

  /** Where the server listens (the real port when 0 was asked for); undefined before listen(). */
  get address(): StreamListen | undefined {
    return this.boundAddress;
  }

  get stats(): SolSerialStats {
    return { ...this.counters, breaks: { ...this.counters.breaks } };
  }

  /** Whether the connected peer speaks telnet (undefined while nothing is connected or it has not spoken yet). */
  get telnet(): boolean | undefined {
    const c = this.conn;
    return c && (c.telnet ? true : c.sawData ? false : undefined);
  }

  async listen(): Promise<StreamListen> {
    if (this.server) throw new Error('already listening');
    const server = net.createServer((socket) => this.onConnection(socket));
    this.server = server;
    try {
      this.boundAddress = await listenStream(server, this.o.listen, (m) => this.log('info', m));
    } catch (err) {
      this.server = undefined;
      throw err;
    }
    server.on('error', (err) => this.log('warn', `SOL serial server error: ${err.message}`));
    this.log('info', `waiting for the VM's serial port on ${describeListen(this.boundAddress)}`);
    return this.boundAddress;
  }

  /** Resolves once console.log has everything received so far. */
  async logDrained(): Promise<void> {
    await this.consoleLog?.drained();
  }

  /** Stops listening, drops the VM connection (QEMU keeps redialling), flushes console.log. */
  async shutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    this.conn?.socket.destroy();
    await closed;
    await this.consoleLog?.close();
    super.close();
  }

  /** HostConsole.close(): shutdown() without waiting. */
  override close(): void {
    void this.shutdown();
  }

  write(data: Uint8Array): number {
    const c = this.conn;
    if (!c || data.length === 0) return 0;
    const room = this.maxInputQueue - c.queued;
    const n = Math.min(data.length, Math.max(0, room));
    if (n < data.length) this.counters.inputDropped += data.length - n;
    if (n === 0) return 0;
    c.queue.push(data.slice(0, n));
    c.queued += n;
    this.pump(c);
    return n;
  }

  sendBreak(): void {
    const c = this.conn;
    if (!c) {
      this.counters.breaks.lost++;
      this.log('debug', 'break dropped: the VM serial port is not connected');
      return;
    }
    c.queue.push(BREAK);
    this.pump(c);
  }

  flushInput(): void {
    const c = this.conn;
    if (!c) return;
    // Breaks are not input characters: they stay.
    this.counters.inputDropped += c.queued;
    c.queue = c.queue.filter((i) => i === BREAK);
    c.queued = 0;
  }

  private onConnection(socket: net.Socket): void {
    const remote = describePeer(socket, this.boundAddress);
    socket.on('error', (err) => this.log('debug', `VM serial socket ${remote}: ${err.message}`));
    if (this.conn) {
      this.counters.rejectedConnections++;
      this.log('warn', `refusing a second connection to the VM serial port from ${remote}: ${this.conn.remote} is connected`);
      socket.destroy();
      return;
    }
    if ('host' in (this.boundAddress ?? {})) socket.setNoDelay(true);
    const c = new SerialConnection(socket, remote);
    this.conn = c;
    this.counters.connections++;
    socket.on('data', (chunk: Buffer) => this.onData(c, chunk));
    socket.on('drain', () => this.pump(c));
    socket.on('close', () => this.onClose(c));
    this.log('info', `VM serial port connected from ${remote}`);
    this.setAvailable(true);
  }

  private onData(c: SerialConnection, chunk: Buffer): void {
    if (this.conn !== c) return;
    if (!c.sawData) {
      c.sawData = true;
      if (chunk[0] === IAC) {
        c.telnet = new TelnetReader();
        this.log('info', `VM serial peer ${c.remote} speaks telnet`);
      }
    }
    let data: Uint8Array = chunk;
    if (c.telnet) {
      const r = c.telnet.feed(chunk);
      if (r.reply.length > 0) c.socket.write(r.reply);
      if (r.breaks > 0) {
        this.counters.breaksFromSystem += r.breaks;
        this.log('debug', `the system sent ${r.breaks} break(s)`);
      }
      data = r.data;
    }
    if (data.length === 0) return;
    this.counters.bytesFromSystem += data.length;
    this.consoleLog?.append(data);
    this.emit(data);
  }

  private onClose(c: SerialConnection): void {
    if (this.conn !== c) return;
    this.conn = undefined;
    if (c.queued > 0) {
      this.counters.inputDropped += c.queued;
      this.log('debug', `${c.queued} byte(s) for the VM serial port dropped with the connection`);
    }
    this.log('info', `VM serial port ${c.remote} disconnected`);
    this.setAvailable(false);
  }

  /** Moves queued items to the socket while it takes them. */
  private pump(c: SerialConnection): void {
    const s = c.socket;
    while (c.queue.length > 0 && !c.breakInFlight && this.conn === c && !s.destroyed) {
      const item = c.queue[0]!;
      if (item === BREAK) {
        // Out of band (QMP): first let what was typed before the break reach the socket.
        if (!c.telnet && this.o.qmpBreak && s.writableLength > 0) return;
        c.queue.shift();
        this.breakNow(c);
        continue;
      }
      if (s.writableLength >= SOCKET_BACKLOG) return; // 'drain' calls again
      c.queue.shift();
      c.queued -= item.length;
      this.counters.bytesToSystem += item.length;
      s.write(c.telnet ? telnetEscape(item) : item);
    }
  }

  /** Sends the break (telnet), starts it (QMP: breakInFlight until it is done), or counts it lost. */
  private breakNow(c: SerialConnection): void {
    if (c.telnet) {
      this.counters.breaks.telnet++;
      c.socket.write(TELNET_BREAK);
      return;
    }
    const qmpBreak = this.o.qmpBreak;
    if (!qmpBreak) {
      this.counters.breaks.lost++;
      if (!c.warnedBreak) {
        c.warnedBreak = true;
        this.log('warn', 'break not delivered: the VM serial chardev is raw (QEMU handles telnet only on server sockets) and serve has no QMP connection to this VM');
      }
      return;
    }
    c.breakInFlight = true;
    const done = (ok: boolean, why?: string) => {
      c.breakInFlight = false;
      if (ok) this.counters.breaks.qmp++;
      else {
        this.counters.breaks.lost++;
        this.log('warn', `break not delivered: QMP chardev-send-break failed${why ? ` (${why})` : ''}`);
      }
      this.pump(c);
    };
    qmpBreak().then(
      (ok) => done(ok),
      (e: Error) => done(false, e.message),
    );
  }
}
