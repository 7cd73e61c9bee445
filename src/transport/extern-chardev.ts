// The BMC end of QEMU's `ipmi-bmc-extern` chardev (qemu-ipmi.md §1): QEMU dials in over TCP or a
// Unix socket, sends system-interface requests as VM-codec message frames, and takes control
// frames from us (attention, IRQ enable, power, reset, NMI). Behaves like OpenIPMI ipmi_sim's
// serial channel with `codec VM` (§1.6 "ipmi_sim side"), minus its known hazards (§1.8).
//
// The BMC is injected and synchronous, so every request is answered exactly once, with its own
// seq, in the same turn of the event loop that completed the frame (quirk Q2).

import net from 'node:net';
import { EventEmitter } from 'node:events';
import { concat, toHex } from '../protocol/bytes.js';
import { describeListen, describePeer, listenStream, type LogLevel, type StreamListen } from './stream-listen.js';
import {
  VmCapability,
  VmCmd,
  VmDeframer,
  VmLimits,
  encodeVmControl,
  encodeVmMessage,
  vmCapabilityNames,
  vmCmdName,
  vmParserReset,
  vmProtocolVersion,
  vmRequiredCapability,
  type VmErrorReason,
  type VmEvent,
} from '../protocol/vm-codec.js';

export interface SystemRequest {
  netFn: number;
  lun: number;
  cmd: number;
  data: Uint8Array;
}

export interface SystemResponse {
  cc: number;
  data: Uint8Array;
}

export interface SystemInterfaceBmc {
  /**
   * Handle one request from the guest's system interface (channel 15). Synchronous. Control
   * methods of the server called from inside this go out in the same write as the response:
   * IRQ enable/disable and attention first, power/reset/NMI/shutdown after it.
   */
  dispatchSystem(req: SystemRequest): SystemResponse;
  /** Current message-flag attention state, for ATN/ATN_IRQ/NOATTN. */
  attention(): { pending: boolean; irqEnabled: boolean };
}

export type ExternListen = StreamListen;

export type { LogLevel };

export interface ExternChardevOptions {
  bmc: SystemInterfaceBmc;
  listen: ExternListen;
  log?: (level: LogLevel, message: string) => void;
  /** Sees every chunk read and every buffer written, e.g. for a wire trace. */
  trace?: (direction: 'in' | 'out', bytes: Uint8Array) => void;
  /** Bytes queued towards a peer that does not read, above which it is dropped. Default 64 KiB. */
  maxWriteBacklog?: number;
}

/** Outcome of asking the VM to do something; anything but 'sent' means "fall back". */
export type VmControlResult = 'sent' | 'not-connected' | 'not-supported';

export interface ExternChardevStats {
  connections: number;
  rejectedConnections: number;
  requests: number;
  responses: number;
  controlsIn: number;
  controlsOut: number;
  malformed: { checksum: number; tooShort: number; tooLong: number; escape: number };
  dispatchErrors: number;
  oversizeResponses: number;
  droppedPeers: number;
}

export type ExternChardevEvents = {
  connect: [info: { remote: string }];
  disconnect: [info: { remote: string }];
  capabilities: [caps: number];
  /** The VM says it was reset (control 0x04). Defined by the protocol; QEMU never sends it (Q6). */
  vmReset: [];
  rejected: [info: { remote: string }];
  malformed: [info: { reason: VmErrorReason; bytes: Uint8Array }];
};

const malformedKey = {
  checksum: 'checksum',
  'too-short': 'tooShort',
  'too-long': 'tooLong',
  escape: 'escape',
} as const satisfies Record<VmErrorReason, keyof ExternChardevStats['malformed']>;

/** Completion code when a BMC response cannot fit QEMU's 302-byte frame (§1.3). */
const ccCannotReturnBytes = 0xca;
const ccUnspecified = 0xff;
const noData = new Uint8Array(0);

interface Batch {
  before: Uint8Array[];
  after: Uint8Array[];
}

/** Per-connection state: a new peer never inherits a partial frame or capabilities (unlike QEMU, Q1). */
class VmConnection {
  readonly socket: net.Socket;
  readonly remote: string;
  readonly deframer = new VmDeframer();
  caps = 0;
  /** Attention code last sent on this connection; undefined until the first one (QEMU clears ATN on connect). */
  lastAttention: number | undefined;
  /** Set while the BMC handles a request, so controls it triggers join the response's write. */
  batch: Batch | undefined;

  constructor(socket: net.Socket, remote: string) {
    this.socket = socket;
    this.remote = remote;
  }
}

export class ExternChardevServer extends EventEmitter<ExternChardevEvents> {
  private readonly bmc: SystemInterfaceBmc;
  private readonly listenAt: ExternListen;
  private readonly log: (level: LogLevel, message: string) => void;
  private readonly trace: ((direction: 'in' | 'out', bytes: Uint8Array) => void) | undefined;
  private readonly maxWriteBacklog: number;
  private server: net.Server | undefined;
  private conn: VmConnection | undefined;
  private boundAddress: ExternListen | undefined;
  private readonly counters: ExternChardevStats = {
    connections: 0,
    rejectedConnections: 0,
    requests: 0,
    responses: 0,
    controlsIn: 0,
    controlsOut: 0,
    malformed: { checksum: 0, tooShort: 0, tooLong: 0, escape: 0 },
    dispatchErrors: 0,
    oversizeResponses: 0,
    droppedPeers: 0,
  };

  constructor(options: ExternChardevOptions) {
    super();
    this.bmc = options.bmc;
    this.listenAt = options.listen;
    this.log = options.log ?? (() => {});
    this.trace = options.trace;
    this.maxWriteBacklog = options.maxWriteBacklog ?? 64 * 1024;
  }

  get connected(): boolean {
    return this.conn !== undefined;
  }

  /** Capability byte the current VM advertised (0 when disconnected or not yet told). */
  get capabilities(): number {
    return this.conn?.caps ?? 0;
  }

  /** Where the server listens (with the real port when 0 was asked for); undefined before listen(). */
  get address(): ExternListen | undefined {
    return this.boundAddress;
  }

  get stats(): ExternChardevStats {
    return { ...this.counters, malformed: { ...this.counters.malformed } };
  }

  /** True when a VM is connected and advertised every bit of `capability` (VmCapability). */
  supports(capability: number): boolean {
    return this.conn !== undefined && (this.conn.caps & capability) === capability;
  }

  async listen(): Promise<ExternListen> {
    if (this.server) throw new Error('already listening');
    const server = net.createServer((socket) => this.onConnection(socket));
    this.server = server;
    try {
      this.boundAddress = await listenStream(server, this.listenAt, (m) => this.log('info', m));
    } catch (err) {
      this.server = undefined;
      throw err;
    }
    // Only now: listen errors above are the caller's; later ones (e.g. EMFILE on accept) are logged.
    server.on('error', (err) => this.log('warn', `extern chardev server error: ${err.message}`));
    this.log('info', `waiting for the VM on ${describeListen(this.boundAddress)}`);
    return this.boundAddress;
  }

  /** Stops listening and drops the VM connection (QEMU with reconnect= will keep retrying). */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.conn?.socket.destroy();
    await closed;
  }

  /**
   * Drops the current VM connection but keeps listening; QEMU with reconnect= dials again and
   * gets a fresh handshake. False when no VM was connected.
   */
  disconnect(): boolean {
    if (!this.conn) return false;
    this.conn.socket.destroy();
    return true;
  }

  /** Hard power off (0x03): QEMU exits, or pauses with -no-shutdown. */
  powerOff(): VmControlResult {
    return this.control(VmCmd.powerOff, 'after');
  }

  /** Hard reset (0x04). */
  reset(): VmControlResult {
    return this.control(VmCmd.reset, 'after');
  }

  /** NMI (0x07), as the watchdog pre-timeout interrupt. */
  sendNmi(): VmControlResult {
    return this.control(VmCmd.sendNmi, 'after');
  }

  /** ACPI power-button press (0x09); the guest decides what to do. */
  gracefulShutdown(): VmControlResult {
    return this.control(VmCmd.gracefulShutdown, 'after');
  }

  /**
   * Interface interrupt on/off (0x05/0x06), for Global Enables bit 0. QEMU starts with IRQs off
   * and only this turns them on (quirk Q4). Called during the Set BMC Global Enables dispatch it
   * precedes that response in the same write, as ipmi_sim does (§1.6 ipmi_sim side, item 6).
   */
  setIrqEnabled(enabled: boolean): VmControlResult {
    return this.control(enabled ? VmCmd.enableIrq : VmCmd.disableIrq, 'before');
  }

  /**
   * Re-reads bmc.attention() and sends NOATTN/ATTN/ATTN_IRQ if it changed. The server also does
   * this after every request; call it when flags change for other reasons (events, watchdog).
   */
  updateAttention(): VmControlResult | 'unchanged' {
    if (!this.conn) return 'not-connected';
    return this.refreshAttention(this.conn, false);
  }

  private onConnection(socket: net.Socket): void {
    const remote = describePeer(socket, this.boundAddress);
    socket.on('error', (err) => this.log('debug', `VM socket ${remote}: ${err.message}`));
    if (this.conn) {
      // ipmi_sim's behaviour too: one VM per BMC; a second one is accepted and closed at once.
      this.counters.rejectedConnections++;
      this.log('warn', `refusing VM connection from ${remote}: ${this.conn.remote} is already connected`);
      socket.destroy();
      this.emit('rejected', { remote });
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true);
    const c = new VmConnection(socket, remote);
    this.conn = c;
    this.counters.connections++;
    socket.on('data', (chunk: Buffer) => this.onData(c, chunk));
    socket.on('close', () => this.onClose(c));
    // Parser reset first (Q1), then our version. Attention follows once the VM has said it has
    // an ATN bit (handleControl), so nothing unadvertised is ever sent.
    this.write(c, concat([vmParserReset, encodeVmControl(VmCmd.version, Uint8Array.of(vmProtocolVersion))]));
    this.log('info', `VM connected from ${remote}`);
    this.emit('connect', { remote });
  }

  private onData(c: VmConnection, chunk: Uint8Array): void {
    if (this.conn !== c) return;
    this.trace?.('in', chunk);
    for (const ev of c.deframer.push(chunk)) {
      // Dropped during this chunk (backlog, disconnect() from the BMC): ignore the rest of it.
      if (this.conn !== c || c.socket.destroyed) return;
      this.handleEvent(c, ev);
    }
  }

  private onClose(c: VmConnection): void {
    if (this.conn !== c) return;
    this.conn = undefined;
    if (c.deframer.buffered > 0) this.log('debug', `VM ${c.remote} left ${c.deframer.buffered} byte(s) of an unfinished frame`);
    this.log('info', `VM ${c.remote} disconnected`);
    this.emit('disconnect', { remote: c.remote });
  }

  private handleEvent(c: VmConnection, ev: VmEvent): void {
    switch (ev.kind) {
      case 'message':
        this.answer(c, ev);
        return;
      case 'control':
        this.counters.controlsIn++;
        this.handleControl(c, ev.code, ev.data);
        return;
      case 'error':
        this.counters.malformed[malformedKey[ev.reason]]++;
        this.log('debug', `dropped malformed frame from ${c.remote} (${ev.reason}): ${toHex(ev.bytes)}`);
        this.emit('malformed', { reason: ev.reason, bytes: ev.bytes });
        return;
    }
  }

  private handleControl(c: VmConnection, code: number, data: Uint8Array): void {
    switch (code) {
      case VmCmd.version:
        if (data[0] !== vmProtocolVersion) this.log('warn', `VM speaks protocol version ${data[0] ?? 'none'}, we speak ${vmProtocolVersion}`);
        return;
      case VmCmd.capabilities: {
        if (data.length < 1) return;
        // Bits are OR-ed in, as ipmi_sim does; they only live as long as this connection.
        c.caps |= data[0]!;
        this.log('info', `VM capabilities 0x${c.caps.toString(16)} (${vmCapabilityNames(c.caps).join(', ')})`);
        this.emit('capabilities', c.caps);
        if (c.lastAttention === undefined && c.caps & VmCapability.attn) this.refreshAttention(c, true);
        return;
      }
      case VmCmd.reset:
        this.emit('vmReset');
        return;
      default:
        this.log('debug', `ignoring control ${vmCmdName(code)} from the VM`);
    }
  }

  private answer(c: VmConnection, req: Extract<VmEvent, { kind: 'message' }>): void {
    this.counters.requests++;
    const batch: Batch = { before: [], after: [] };
    c.batch = batch;
    let res: SystemResponse;
    try {
      res = this.bmc.dispatchSystem({ netFn: req.netFn, lun: req.lun, cmd: req.cmd, data: req.data });
      if (!Number.isInteger(res.cc) || res.cc < 0 || res.cc > 0xff || !(res.data instanceof Uint8Array)) {
        throw new TypeError(`bad response shape (cc=${String(res.cc)})`);
      }
    } catch (err) {
      // Still answer: an unanswered request stalls the guest's interface (Q2).
      this.counters.dispatchErrors++;
      this.log('warn', `BMC failed on netFn 0x${req.netFn.toString(16)} cmd 0x${req.cmd.toString(16)}: ${(err as Error).message}`);
      res = { cc: ccUnspecified, data: noData };
    }
    try {
      this.refreshAttention(c, false);
    } finally {
      c.batch = undefined;
    }
    let data = res.data;
    let cc = res.cc;
    if (4 + data.length + 1 > VmLimits.maxContent) {
      this.counters.oversizeResponses++;
      this.log('warn', `response to netFn 0x${req.netFn.toString(16)} cmd 0x${req.cmd.toString(16)} has ${data.length} data bytes, more than QEMU takes`);
      cc = ccCannotReturnBytes;
      data = noData;
    }
    const rsp = encodeVmMessage({ seq: req.seq, netFn: req.netFn | 1, lun: req.lun, cmd: req.cmd, cc, data });
    this.write(c, concat([...batch.before, rsp, ...batch.after]));
    this.counters.responses++;
  }

  private refreshAttention(c: VmConnection, force: boolean): VmControlResult | 'unchanged' {
    if (!(c.caps & VmCapability.attn)) return 'not-supported';
    let state: { pending: boolean; irqEnabled: boolean };
    try {
      state = this.bmc.attention();
    } catch (err) {
      this.log('warn', `BMC attention() failed: ${(err as Error).message}`);
      return 'unchanged';
    }
    // Without the IRQ capability ATTN_IRQ could not raise anything; plain ATTN says the same.
    const irq = state.irqEnabled && (c.caps & VmCapability.irq) !== 0;
    const code = !state.pending ? VmCmd.noAttn : irq ? VmCmd.attnIrq : VmCmd.attn;
    if (!force && code === c.lastAttention) return 'unchanged';
    c.lastAttention = code;
    return this.control(code, 'before');
  }

  private control(code: number, position: keyof Batch): VmControlResult {
    const c = this.conn;
    if (!c) return 'not-connected';
    const need = vmRequiredCapability(code);
    if ((c.caps & need) !== need) {
      this.log('debug', `not sending ${vmCmdName(code)}: the VM did not advertise it`);
      return 'not-supported';
    }
    const frame = encodeVmControl(code);
    this.counters.controlsOut++;
    if (c.batch) c.batch[position].push(frame);
    else this.write(c, frame);
    return 'sent';
  }

  /** One write per call, so a frame is never split across writes (Q1). */
  private write(c: VmConnection, bytes: Uint8Array): void {
    // A peer gone mid-request just loses the reply; the BMC has already applied the request.
    if (c.socket.destroyed || !c.socket.writable) return;
    this.trace?.('out', bytes);
    c.socket.write(bytes);
    if (c.socket.writableLength > this.maxWriteBacklog) {
      this.counters.droppedPeers++;
      this.log('warn', `VM ${c.remote} is not reading (${c.socket.writableLength} bytes queued); dropping it`);
      c.socket.destroy();
    }
  }
}
