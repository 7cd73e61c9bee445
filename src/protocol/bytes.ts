// Bounds-checked little-endian byte cursor and a growable writer. IPMI multi-byte fields are
// little-endian; RMCP/ASF headers are big-endian, so both orders are provided. Every read is
// checked: datagrams are untrusted, and a short read must surface as a ProtocolError value at
// the transport edge, never as a crash.

export class ProtocolError extends Error {
  readonly offset: number;
  constructor(message: string, offset = -1) {
    super(message);
    this.name = 'ProtocolError';
    this.offset = offset;
  }
}

export class Reader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.end) {
      throw new ProtocolError(`truncated ${what}: need ${n} byte(s) at offset ${this.pos}, have ${this.end - this.pos}`, this.pos);
    }
  }

  u8(what = 'byte'): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what = 'u16'): number {
    this.need(2, what);
    const b = this.buf;
    const v = b[this.pos]! | (b[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u24(what = 'u24'): number {
    this.need(3, what);
    const b = this.buf;
    const v = b[this.pos]! | (b[this.pos + 1]! << 8) | (b[this.pos + 2]! << 16);
    this.pos += 3;
    return v;
  }

  u32(what = 'u32'): number {
    this.need(4, what);
    const b = this.buf;
    const v = (b[this.pos]! | (b[this.pos + 1]! << 8) | (b[this.pos + 2]! << 16)) + b[this.pos + 3]! * 0x1000000;
    this.pos += 4;
    return v;
  }

  u16be(what = 'u16be'): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32be(what = 'u32be'): number {
    this.need(4, what);
    const b = this.buf;
    const v = b[this.pos]! * 0x1000000 + ((b[this.pos + 1]! << 16) | (b[this.pos + 2]! << 8) | b[this.pos + 3]!);
    this.pos += 4;
    return v;
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number, what = 'bytes'): Uint8Array {
    if (n < 0) throw new ProtocolError(`negative length for ${what}`, this.pos);
    this.need(n, what);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** A view of everything that is left. */
  rest(): Uint8Array {
    const v = this.buf.subarray(this.pos, this.end);
    this.pos = this.end;
    return v;
  }

  /** Reads an optional trailing byte: the default when the message stopped early (IPMI allows short replies). */
  optU8(dflt: number): number {
    return this.pos < this.end ? this.buf[this.pos++]! : dflt;
  }

  skip(n: number, what = 'reserved'): void {
    this.need(n, what);
    this.pos += n;
  }

  expectEnd(what = 'message'): void {
    if (this.pos !== this.end) throw new ProtocolError(`${this.end - this.pos} trailing byte(s) after ${what}`, this.pos);
  }
}

export class Writer {
  buf: Uint8Array;
  length = 0;

  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
  }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): this {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.buf[this.length++] = v & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    return this;
  }

  u24(v: number): this {
    this.ensure(3);
    this.buf[this.length++] = v & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.buf[this.length++] = v & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 24) & 0xff;
    return this;
  }

  u16be(v: number): this {
    this.ensure(2);
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  u32be(v: number): this {
    this.ensure(4);
    this.buf[this.length++] = (v >>> 24) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  bytes(v: Uint8Array | readonly number[]): this {
    this.ensure(v.length);
    this.buf.set(v, this.length);
    this.length += v.length;
    return this;
  }

  /** Writes v into exactly n bytes, NUL-padded (truncated if longer). */
  padded(v: Uint8Array, n: number): this {
    this.ensure(n);
    const m = Math.min(v.length, n);
    this.buf.set(v.subarray(0, m), this.length);
    this.buf.fill(0, this.length + m, this.length + n);
    this.length += n;
    return this;
  }

  fill(value: number, n: number): this {
    this.ensure(n);
    this.buf.fill(value, this.length, this.length + n);
    this.length += n;
    return this;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** A view of what was written; valid until the next write. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** IPMB two's-complement checksum: the bytes plus the checksum sum to 0 mod 256. */
export function checksum8(buf: Uint8Array, start = 0, end = buf.length): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += buf[i]!;
  return -sum & 0xff;
}

/** Extracts `width` bits starting at bit `shift`. */
export function bits(value: number, shift: number, width: number): number {
  return (value >>> shift) & ((1 << width) - 1);
}

export function toHex(buf: Uint8Array, sep = ' '): string {
  let s = '';
  for (let i = 0; i < buf.length; i++) {
    if (i > 0) s += sep;
    s += buf[i]!.toString(16).padStart(2, '0');
  }
  return s;
}

/** Parses "20 18 c8", "2018c8" or "0x20 0x18" into bytes. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, ' ').replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2 !== 0) throw new Error(`odd number of hex digits in "${text}"`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function hexdump(buf: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < buf.length; off += 16) {
    const row = buf.subarray(off, off + 16);
    const hex = toHex(row).padEnd(47, ' ');
    let ascii = '';
    for (const b of row) ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hex}  ${ascii}`);
  }
  return lines.join('\n');
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const latin1 = new TextDecoder('latin1');
/** Decodes NUL-terminated/padded 8-bit text. */
export function cstring(buf: Uint8Array): string {
  let end = buf.indexOf(0);
  if (end < 0) end = buf.length;
  return latin1.decode(buf.subarray(0, end));
}

export function asciiBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
