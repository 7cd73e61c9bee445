// The QEMU `ipmi-bmc-extern` / OpenIPMI "VM" chardev codec (qemu-ipmi.md §1): byte-stuffed
// frames ended by 0xA0 (IPMI message) or 0xA1 (control command). Pure: no I/O, no timers.
//
// The deframer reproduces QEMU's own receive parser (qemu/qemu hw/ipmi/ipmi_bmc_extern.c
// `receive`/`handle_msg`, §1.6 "Receive parser") rather than ipmi_sim's, because QEMU's quirks
// are the ones that can hurt us: an escape left pending by a dropped message frame survives the
// terminator, over-long frames are cut at 302 content bytes, and an empty command frame is a
// silent no-op. The one knob is the shortest accepted message: QEMU needs 5 bytes (responses carry
// a completion code), a request from QEMU can be 4 (seq, netFn/LUN, cmd, checksum), as ipmi_sim
// accepts (serial_ipmi.c `vm_handle_msg`).

import { ProtocolError, checksum8, toHex } from './bytes.js';

/** Framing bytes (§1.2). */
export const VmFraming = {
  msgEnd: 0xa0,
  cmdEnd: 0xa1,
  escape: 0xaa,
} as const;

/** Control command codes (§1.4). `disable`/`enable` exist only in OpenIPMI after 2.0.37; QEMU ignores them. */
export const VmCmd = {
  noAttn: 0x00,
  attn: 0x01,
  attnIrq: 0x02,
  powerOff: 0x03,
  reset: 0x04,
  enableIrq: 0x05,
  disableIrq: 0x06,
  sendNmi: 0x07,
  capabilities: 0x08,
  gracefulShutdown: 0x09,
  disable: 0x0a,
  enable: 0x0b,
  version: 0xff,
} as const;

/** Bits of the capabilities byte the VM sends with 0x08 (§1.5). QEMU >= 2.8 always sends 0x3F. */
export const VmCapability = {
  power: 0x01,
  reset: 0x02,
  irq: 0x04,
  nmi: 0x08,
  attn: 0x10,
  gracefulShutdown: 0x20,
  enable: 0x40,
} as const;

export const vmProtocolVersion = 1;

/**
 * Size limits in unescaped content bytes (seq through checksum), §1.3. QEMU's receive buffer
 * is MAX_IPMI_MSG_SIZE + 2 = 302; anything longer is cut and turned into a 0xC6 by QEMU.
 */
export const VmLimits = {
  maxContent: 302,
  minRequest: 4,
  minResponse: 5,
} as const;

/**
 * Leaves QEMU's receive parser clean whatever a dead connection left in it (quirk Q1), without
 * side effects: the escape makes the 0xA0 a dropped "escape not ended" frame (so a stale
 * over-long or checksum-valid partial frame is never delivered as a response, which a lone 0xA0
 * would do), the 0xA0 clears the length and too-long state, and the 0xA1 is discarded as
 * "cmd in escape", clearing the escape. Verified against QEMU 7.2 (test/transport/extern-qemu.test.ts).
 */
export const vmParserReset: Uint8Array = Uint8Array.of(VmFraming.escape, VmFraming.msgEnd, VmFraming.cmdEnd);

const cmdNames = new Map<number, string>(Object.entries(VmCmd).map(([name, code]) => [code, name]));

/** Name of a control code for logs, e.g. "powerOff" or "0x42". */
export function vmCmdName(code: number): string {
  return cmdNames.get(code) ?? `0x${code.toString(16).padStart(2, '0')}`;
}

/** Names of the capability bits set in `caps`, for logs. */
export function vmCapabilityNames(caps: number): string[] {
  return Object.entries(VmCapability)
    .filter(([, bit]) => (caps & bit) !== 0)
    .map(([name]) => name);
}

const requiredCapability = new Map<number, number>([
  [VmCmd.noAttn, VmCapability.attn],
  [VmCmd.attn, VmCapability.attn],
  [VmCmd.attnIrq, VmCapability.attn],
  [VmCmd.powerOff, VmCapability.power],
  [VmCmd.reset, VmCapability.reset],
  [VmCmd.enableIrq, VmCapability.irq],
  [VmCmd.disableIrq, VmCapability.irq],
  [VmCmd.sendNmi, VmCapability.nmi],
  [VmCmd.gracefulShutdown, VmCapability.gracefulShutdown],
  [VmCmd.disable, VmCapability.enable],
  [VmCmd.enable, VmCapability.enable],
]);

/**
 * Capability bits the VM must have advertised before we send this control code (0: none).
 * README.vm: "The simulator will not send a command where the VM does not have the capability."
 */
export function vmRequiredCapability(code: number): number {
  return requiredCapability.get(code) ?? 0;
}

function isFramingByte(b: number): boolean {
  return b === VmFraming.msgEnd || b === VmFraming.cmdEnd || b === VmFraming.escape;
}

/** Escapes content bytes: A0/A1/AA become AA B0/B1/BA; nothing else changes (§1.2). */
export function escapeVm(content: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of content) if (isFramingByte(b)) extra++;
  const out = new Uint8Array(content.length + extra);
  let o = 0;
  for (const b of content) {
    if (isFramingByte(b)) {
      out[o++] = VmFraming.escape;
      out[o++] = b | 0x10;
    } else {
      out[o++] = b;
    }
  }
  return out;
}

/**
 * Inverse of escapeVm for one frame body (terminator excluded). Like both real decoders it
 * clears bit 4 of whatever follows an escape; a bare terminator or a dangling escape is an error.
 */
export function unescapeVm(wire: Uint8Array): Uint8Array {
  const out = new Uint8Array(wire.length);
  let o = 0;
  let escaped = false;
  for (let i = 0; i < wire.length; i++) {
    const b = wire[i]!;
    if (b === VmFraming.msgEnd || b === VmFraming.cmdEnd) throw new ProtocolError(`unescaped terminator 0x${b.toString(16)}`, i);
    if (b === VmFraming.escape) {
      if (escaped) throw new ProtocolError('escape followed by escape', i);
      escaped = true;
      continue;
    }
    out[o++] = escaped ? b & ~0x10 : b;
    escaped = false;
  }
  if (escaped) throw new ProtocolError('dangling escape', wire.length);
  return out.slice(0, o);
}

export interface VmMessage {
  seq: number;
  netFn: number;
  lun: number;
  cmd: number;
  /** Responses only: the completion code, sent before `data`. */
  cc?: number;
  data: Uint8Array;
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} out of range: ${value}`);
}

/** One IPMI message frame: escaped `seq, netFn<<2|lun, cmd, [cc], data…, checksum` then 0xA0 (§1.3). */
export function encodeVmMessage(msg: VmMessage): Uint8Array {
  checkField('seq', msg.seq, 0xff);
  checkField('netFn', msg.netFn, 0x3f);
  checkField('lun', msg.lun, 3);
  checkField('cmd', msg.cmd, 0xff);
  if (msg.cc !== undefined) checkField('cc', msg.cc, 0xff);
  const head = msg.cc === undefined ? 3 : 4;
  const content = new Uint8Array(head + msg.data.length + 1);
  if (content.length > VmLimits.maxContent) {
    throw new RangeError(`VM message of ${content.length} content bytes exceeds ${VmLimits.maxContent}`);
  }
  content[0] = msg.seq;
  content[1] = (msg.netFn << 2) | msg.lun;
  content[2] = msg.cmd;
  if (msg.cc !== undefined) content[3] = msg.cc;
  content.set(msg.data, head);
  content[content.length - 1] = checksum8(content, 0, content.length - 1);
  return terminate(escapeVm(content), VmFraming.msgEnd);
}

/** One control frame: escaped `code, data…` then 0xA1; no sequence, no checksum (§1.4). */
export function encodeVmControl(code: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkField('control code', code, 0xff);
  const content = new Uint8Array(1 + data.length);
  content[0] = code;
  content.set(data, 1);
  return terminate(escapeVm(content), VmFraming.cmdEnd);
}

function terminate(body: Uint8Array, terminator: number): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  out[body.length] = terminator;
  return out;
}

export type VmErrorReason = 'checksum' | 'too-short' | 'too-long' | 'escape';

export type VmEvent =
  | { kind: 'message'; seq: number; netFn: number; lun: number; cmd: number; data: Uint8Array }
  | { kind: 'control'; code: number; data: Uint8Array }
  | { kind: 'error'; reason: VmErrorReason; bytes: Uint8Array };

export interface VmDeframerOptions {
  /** Shortest message frame (unescaped, checksum included). Default 4; QEMU's own parser uses 5. */
  minMessage?: number;
  /** Content bytes kept per frame; one more marks the frame too long. Default 302 (QEMU's buffer). */
  maxContent?: number;
}

/**
 * Streaming decoder: feed arbitrary chunks, get the frames they complete. Memory is one fixed
 * buffer of `maxContent` bytes, whatever the input.
 */
export class VmDeframer {
  private readonly buf: Uint8Array;
  private readonly minMessage: number;
  private pos = 0;
  private escaping = false;
  private tooLong = false;

  constructor(options: VmDeframerOptions = {}) {
    const maxContent = options.maxContent ?? VmLimits.maxContent;
    this.minMessage = options.minMessage ?? VmLimits.minRequest;
    if (!Number.isInteger(maxContent) || maxContent < 1) throw new RangeError(`maxContent must be a positive integer: ${maxContent}`);
    if (!Number.isInteger(this.minMessage) || this.minMessage < 4 || this.minMessage > maxContent) {
      throw new RangeError(`minMessage must be between 4 and maxContent: ${this.minMessage}`);
    }
    this.buf = new Uint8Array(maxContent);
  }

  /** Unescaped bytes waiting for a terminator. */
  get buffered(): number {
    return this.pos;
  }

  /** True when the last byte seen was an escape (it will change the next content byte). */
  get escapePending(): boolean {
    return this.escaping;
  }

  /** Forgets any partial frame, as a fresh connection should (QEMU does not: quirk Q1). */
  reset(): void {
    this.pos = 0;
    this.escaping = false;
    this.tooLong = false;
  }

  push(chunk: Uint8Array): VmEvent[] {
    const events: VmEvent[] = [];
    for (const raw of chunk) {
      if (raw === VmFraming.msgEnd) {
        const ev = this.endMessage();
        if (ev) events.push(ev);
        // QEMU resets length and too-long here, but not the escape flag (checked against 7.2).
        this.pos = 0;
        this.tooLong = false;
      } else if (raw === VmFraming.cmdEnd) {
        const ev = this.endControl();
        if (ev) events.push(ev);
      } else if (raw === VmFraming.escape) {
        this.escaping = true;
      } else {
        let b = raw;
        if (this.escaping) {
          b &= ~0x10;
          this.escaping = false;
        }
        if (this.tooLong) continue;
        if (this.pos >= this.buf.length) {
          // The byte that does not fit is dropped and the frame marked, as in QEMU.
          this.tooLong = true;
          continue;
        }
        this.buf[this.pos++] = b;
      }
    }
    return events;
  }

  private content(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private endMessage(): VmEvent | undefined {
    if (this.escaping) return { kind: 'error', reason: 'escape', bytes: this.content() };
    if (this.pos < this.minMessage) return { kind: 'error', reason: 'too-short', bytes: this.content() };
    if (this.tooLong) return { kind: 'error', reason: 'too-long', bytes: this.content() };
    if (checksum8(this.buf, 0, this.pos) !== 0) return { kind: 'error', reason: 'checksum', bytes: this.content() };
    const b = this.buf;
    return { kind: 'message', seq: b[0]!, netFn: b[1]! >> 2, lun: b[1]! & 3, cmd: b[2]!, data: b.slice(3, this.pos - 1) };
  }

  private endControl(): VmEvent | undefined {
    let ev: VmEvent | undefined;
    if (this.tooLong) {
      // QEMU leaves a pending escape set in this branch (checked against 7.2, unlike what
      // qemu-ipmi.md §1.6 says); only the too-long state is cleared.
      ev = { kind: 'error', reason: 'too-long', bytes: this.content() };
    } else if (this.escaping) {
      ev = { kind: 'error', reason: 'escape', bytes: this.content() };
      this.escaping = false;
    } else if (this.pos > 0) {
      ev = { kind: 'control', code: this.buf[0]!, data: this.buf.slice(1, this.pos) };
    }
    this.pos = 0;
    this.tooLong = false;
    return ev;
  }
}

/** One-line rendering of an event, for logs and test failure messages. */
export function describeVmEvent(ev: VmEvent): string {
  switch (ev.kind) {
    case 'message':
      return `message seq=${ev.seq} netFn=0x${ev.netFn.toString(16)} lun=${ev.lun} cmd=0x${ev.cmd.toString(16)} data=[${toHex(ev.data)}]`;
    case 'control':
      return `control ${vmCmdName(ev.code)}${ev.data.length ? ` [${toHex(ev.data)}]` : ''}`;
    case 'error':
      return `error ${ev.reason} [${toHex(ev.bytes)}]`;
  }
}
