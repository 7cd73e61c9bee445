// Just enough telnet (RFC 854/855/856/858) for a serial port behind a telnet-mode socket:
// strip the peer's option negotiation from the byte stream, answer it so both sides agree on
// 8-bit binary data, escape 0xFF on the way out and send BREAK.
//
// QEMU in telnet mode (server sockets only: a client chardev ignores telnet=on, observed on
// 7.2) opens with IAC WILL ECHO, IAC WILL SGA, IAC WILL BINARY, IAC DO BINARY, turns IAC IAC
// into FF and IAC BREAK into a serial break on input, but does not double FF in the guest's
// output (sol.md §6.1). So the reader is tolerant: IAC followed by a byte that is no telnet
// command (< 0xF0) is data, as a lone guest FF usually is. Only guest output with FF followed
// by F0-FF is misread (two FFs become one); a real telnet peer never sends that unescaped.
// Pure.

export const IAC = 0xff;
export const Telnet = {
  SE: 0xf0,
  NOP: 0xf1,
  BREAK: 0xf3,
  SB: 0xfa,
  WILL: 0xfb,
  WONT: 0xfc,
  DO: 0xfd,
  DONT: 0xfe,
} as const;

/** Options we agree to, both ways: BINARY (0), ECHO (1; the far side echoes), SGA (3). */
const AGREED_REMOTE = new Set([0, 1, 3]);
const AGREED_LOCAL = new Set([0, 3]);

const EMPTY = new Uint8Array(0);

export const TELNET_BREAK = Uint8Array.of(IAC, Telnet.BREAK);

/** Console → system bytes for a telnet peer: every FF doubled. */
export function telnetEscape(data: Uint8Array): Uint8Array {
  let ffs = 0;
  for (const b of data) if (b === IAC) ffs++;
  if (ffs === 0) return data;
  const out = new Uint8Array(data.length + ffs);
  let j = 0;
  for (const b of data) {
    out[j++] = b;
    if (b === IAC) out[j++] = IAC;
  }
  return out;
}

export interface TelnetChunk {
  /** The peer's data bytes. */
  data: Uint8Array;
  /** Negotiation answers to send back (empty when there is nothing to say). */
  reply: Uint8Array;
  /** IAC BREAK from the peer (the system sent a break). */
  breaks: number;
}

type State = 'data' | 'iac' | 'verb' | 'sb' | 'sb-iac';

/** Turns a telnet peer's stream into data, keeping state across chunks. */
export class TelnetReader {
  private state: State = 'data';
  private verb = 0;
  /** Options whose state we have answered, so a repeated request gets no second answer (no loops). */
  private readonly remote = new Map<number, boolean>();
  private readonly local = new Map<number, boolean>();
  /** Commands seen so far (negotiations, NOPs, subnegotiations). */
  commands = 0;

  feed(chunk: Uint8Array): TelnetChunk {
    const data = new Uint8Array(chunk.length + 1);
    let n = 0;
    const reply: number[] = [];
    let breaks = 0;
    for (const b of chunk) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac';
          else data[n++] = b;
          break;
        case 'iac':
          this.state = 'data';
          if (b === IAC) data[n++] = IAC;
          else if (b >= Telnet.WILL) {
            this.verb = b;
            this.state = 'verb';
          } else if (b === Telnet.SB) {
            this.state = 'sb';
          } else if (b >= Telnet.SE) {
            this.commands++;
            if (b === Telnet.BREAK) breaks++;
          } else {
            // Not a command: an unescaped FF in the data (QEMU's output), then this byte. (The
            // buffer has room: only an FF left over from the previous chunk adds a byte.)
            data[n++] = IAC;
            data[n++] = b;
          }
          break;
        case 'verb':
          this.state = 'data';
          this.commands++;
          this.answer(this.verb, b, reply);
          break;
        case 'sb':
          if (b === IAC) this.state = 'sb-iac';
          break;
        case 'sb-iac':
          if (b === Telnet.SE) {
            this.state = 'data';
            this.commands++;
          } else this.state = 'sb';
          break;
      }
    }
    return { data: n === 0 ? EMPTY : data.subarray(0, n), reply: reply.length ? Uint8Array.from(reply) : EMPTY, breaks };
  }

  /**
   * RFC 1143 in short: an offer in state "off" is agreed to (DO/WILL) or refused (DONT/WONT);
   * an offer of what is on already, or a withdrawal of what is off, gets no answer (no loops).
   */
  private answer(verb: number, option: number, reply: number[]): void {
    const remoteSide = verb === Telnet.WILL || verb === Telnet.WONT;
    const table = remoteSide ? this.remote : this.local;
    const on = table.get(option) ?? false;
    const yes = remoteSide ? Telnet.DO : Telnet.WILL;
    const no = remoteSide ? Telnet.DONT : Telnet.WONT;
    if (verb === Telnet.WILL || verb === Telnet.DO) {
      if (on) return;
      const agreed = (remoteSide ? AGREED_REMOTE : AGREED_LOCAL).has(option);
      if (agreed) table.set(option, true);
      reply.push(IAC, agreed ? yes : no, option);
    } else {
      if (!on) return;
      table.set(option, false);
      reply.push(IAC, no, option);
    }
  }
}
