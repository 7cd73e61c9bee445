// The serial port of a standalone BMC (no VM behind it), so SOL clients can be developed and
// tested without QEMU. Modes (config `sol.console.mode`):
//   echo    every character comes back; CR comes back as CR LF
//   login   a getty-like console: "<hostname> login: ", "Password: " (no echo), "Login
//           incorrect" after a delay for a wrong one, then a shell prompt that answers a few
//           commands (echo, uname, hostname, whoami, id, pwd, date, help, exit/logout)
//   script  input is echoed and read line by line; the first rule whose `expect` matches the
//           line sends its `send` text
//   none    the port takes characters and nothing ever answers
// Pure: time comes from the injected clock. Output is produced from clock timers, never inside
// write(), so the SOL engine that calls write() is never re-entered by its own listener.
// login and script print their greeting (banner, login prompt) when the first SOL client
// subscribes, and again when the system powers on (setPower) or is reset (reboot) while a
// client is there; while it is off the port is unavailable.

import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { SolConfig, StandaloneConsoleConfig } from '../config/sol.js';
import { splitCommandLine } from '../config/vm.js';
import { HostConsoleBase } from './host-console-base.js';

/** Console → system bytes waiting to be read by the console program. */
const INPUT_LIMIT = 4096;
/** Longest input line the line editor keeps (a tty's canonical buffer is 4096). */
const LINE_LIMIT = 1024;
/** How long a wrong password takes to be refused (login(1) waits a few seconds). */
export const LOGIN_FAIL_DELAY_MS = 1000;
/** Pause between logout and the next login prompt (getty respawning). */
const RESPAWN_MS = 100;
const KERNEL_RELEASE = '6.1.0-ipmi-sim';

const CR = 0x0d;
const LF = 0x0a;
const encoder = new TextEncoder();

/** Output of one round of input processing, sent as one chunk. */
class Output {
  private parts: Uint8Array[] = [];

  text(s: string): void {
    if (s) this.parts.push(encoder.encode(s));
  }

  bytes(b: Uint8Array): void {
    if (b.length) this.parts.push(b);
  }

  take(): Uint8Array {
    const parts = this.parts;
    this.parts = [];
    if (parts.length === 1) return parts[0]!;
    return Buffer.concat(parts);
  }
}

/** Text for a terminal: every lone LF becomes CR LF. */
function crlf(s: string): string {
  return s.replace(/\r?\n/g, '\r\n');
}

type LineEvent = { kind: 'line'; text: string } | { kind: 'interrupt' } | { kind: 'eof' };

/**
 * A tty's canonical mode in miniature: echo (when on), backspace/DEL erase a character,
 * Ctrl-U the line, Ctrl-C interrupts, Ctrl-D on an empty line is end of file, CR, LF or CR LF
 * end a line, escape sequences (arrow keys) are dropped.
 */
class LineEditor {
  echo = true;
  private line: number[] = [];
  private afterCr = false;
  /** 0 none, 1 after ESC, 2 inside a CSI/SS3 sequence. */
  private escape = 0;

  reset(): void {
    this.line = [];
    this.afterCr = false;
    this.escape = 0;
  }

  feed(b: number, out: Output): LineEvent | undefined {
    const afterCr = this.afterCr;
    this.afterCr = false;
    if (this.escape === 1) {
      this.escape = b === 0x5b || b === 0x4f ? 2 : 0;
      return undefined;
    }
    if (this.escape === 2) {
      if (b >= 0x40 && b <= 0x7e) this.escape = 0;
      return undefined;
    }
    switch (b) {
      case CR:
      case LF: {
        if (b === LF && afterCr) return undefined; // the LF of a CR LF
        this.afterCr = b === CR;
        out.text('\r\n');
        const text = Buffer.from(this.line).toString('utf8');
        this.line = [];
        return { kind: 'line', text };
      }
      case 0x08:
      case 0x7f:
        if (this.line.length === 0) return undefined;
        // A whole UTF-8 character: continuation bytes, then its lead byte.
        while (this.line.length > 1 && (this.line[this.line.length - 1]! & 0xc0) === 0x80) this.line.pop();
        this.line.pop();
        if (this.echo) out.text('\b \b');
        return undefined;
      case 0x15:
        if (this.echo) out.text('\b \b'.repeat(Buffer.from(this.line).toString('utf8').length));
        this.line = [];
        return undefined;
      case 0x03:
        this.line = [];
        out.text('^C\r\n');
        return { kind: 'interrupt' };
      case 0x04:
        return this.line.length === 0 ? { kind: 'eof' } : undefined;
      case 0x1b:
        this.escape = 1;
        return undefined;
    }
    if (b < 0x20 || this.line.length >= LINE_LIMIT) return undefined;
    this.line.push(b);
    if (this.echo) out.bytes(Uint8Array.of(b));
    return undefined;
  }
}

/** What a console program may do besides producing output for the current input. */
interface ProgramHost {
  /** Stops reading input for `ms`, then runs `then` (its output is sent) and reads on. */
  pause(ms: number, then: (out: Output) => void): void;
}

interface Program {
  /** Printed when the first client subscribes or the system powers on; may be empty. */
  greet(out: Output): void;
  /** One input byte. */
  input(b: number, out: Output, host: ProgramHost): void;
  /** Power off: back to the initial state. */
  reset(): void;
}

class EchoProgram implements Program {
  greet(): void {}

  input(b: number, out: Output): void {
    out.bytes(b === CR ? Uint8Array.of(CR, LF) : Uint8Array.of(b));
  }

  reset(): void {}
}

class ScriptProgram implements Program {
  private readonly editor = new LineEditor();
  private readonly cfg: StandaloneConsoleConfig;

  constructor(cfg: StandaloneConsoleConfig) {
    this.cfg = cfg;
  }

  greet(out: Output): void {
    if (this.cfg.banner) out.text(crlf(this.cfg.banner));
  }

  input(b: number, out: Output): void {
    const ev = this.editor.feed(b, out);
    if (ev?.kind !== 'line') return;
    const rule = this.cfg.script.find((r) => r.expect.test(ev.text));
    if (rule) out.text(rule.send);
  }

  reset(): void {
    this.editor.reset();
  }
}

type LoginState = 'login' | 'password' | 'shell';

class LoginProgram implements Program {
  private readonly editor = new LineEditor();
  private readonly cfg: StandaloneConsoleConfig;
  private readonly hostname: string;
  private readonly clock: Clock;
  private state: LoginState = 'login';
  private user = '';

  constructor(cfg: StandaloneConsoleConfig, hostname: string, clock: Clock) {
    this.cfg = cfg;
    this.hostname = hostname;
    this.clock = clock;
  }

  greet(out: Output): void {
    this.toLogin();
    const banner = this.cfg.banner ? crlf(this.cfg.banner).replace(/(\r\n)+$/, '') + '\r\n\r\n' : '';
    out.text(`\r\n${banner}${this.hostname} login: `);
  }

  reset(): void {
    this.toLogin();
  }

  private toLogin(): void {
    this.state = 'login';
    this.user = '';
    this.editor.reset();
    this.editor.echo = true;
  }

  private get home(): string {
    return this.user === 'root' ? '/root' : `/home/${this.user}`;
  }

  private prompt(): string {
    return `${this.user}@${this.hostname}:~${this.user === 'root' ? '#' : '$'} `;
  }

  input(b: number, out: Output, host: ProgramHost): void {
    const ev = this.editor.feed(b, out);
    if (!ev) return;
    switch (this.state) {
      case 'login':
        if (ev.kind !== 'line') {
          if (ev.kind === 'interrupt') out.text(`${this.hostname} login: `);
          return;
        }
        this.user = ev.text.trim();
        if (!this.user) {
          out.text(`${this.hostname} login: `);
          return;
        }
        this.state = 'password';
        this.editor.echo = false;
        out.text('Password: ');
        return;
      case 'password': {
        if (ev.kind === 'eof') return;
        const ok = ev.kind === 'line' && this.user === this.cfg.user && ev.text === this.cfg.password;
        this.editor.echo = true;
        if (ok) {
          this.state = 'shell';
          out.text(this.prompt());
          return;
        }
        // Like login(1): a pause, "Login incorrect", a new login prompt.
        host.pause(LOGIN_FAIL_DELAY_MS, (later) => {
          this.toLogin();
          later.text(`\r\nLogin incorrect\r\n${this.hostname} login: `);
        });
        return;
      }
      case 'shell':
        if (ev.kind === 'interrupt') {
          out.text(this.prompt());
          return;
        }
        if (ev.kind === 'eof' || this.run(ev.text, out) === 'logout') {
          out.text('logout\r\n');
          host.pause(RESPAWN_MS, (later) => this.greet(later));
          return;
        }
        out.text(this.prompt());
    }
  }

  /** One shell command line; output goes to `out`. */
  private run(line: string, out: Output): 'logout' | undefined {
    let words: string[];
    try {
      words = splitCommandLine(line);
    } catch {
      out.text('-sh: syntax error: unterminated quoted string\r\n');
      return undefined;
    }
    const [cmd, ...args] = words;
    const say = (s: string) => out.text(`${s}\r\n`);
    const root = this.user === 'root';
    switch (cmd) {
      case undefined:
        return undefined;
      case 'exit':
      case 'logout':
        return 'logout';
      case 'echo':
        say(args.join(' '));
        return undefined;
      case 'hostname':
        say(this.hostname);
        return undefined;
      case 'whoami':
        say(this.user);
        return undefined;
      case 'id':
        say(root ? 'uid=0(root) gid=0(root) groups=0(root)' : `uid=1000(${this.user}) gid=1000(${this.user}) groups=1000(${this.user})`);
        return undefined;
      case 'pwd':
        say(this.home);
        return undefined;
      case 'date':
        say(formatDate(this.clock.now()));
        return undefined;
      case 'uname':
        say(uname(args, this.hostname));
        return undefined;
      case 'help':
        say('commands: echo, uname [-asnrmo], hostname, whoami, id, pwd, date, help, exit');
        return undefined;
      default:
        say(`-sh: ${cmd}: command not found`);
        return undefined;
    }
  }
}

function uname(args: string[], hostname: string): string {
  const fields: Record<string, string> = { s: 'Linux', n: hostname, r: KERNEL_RELEASE, v: '#1 SMP', m: 'x86_64', o: 'GNU/Linux' };
  const flags = args.join('').replace(/-/g, '');
  if (flags === '') return fields.s!;
  if (flags.includes('a')) return ['s', 'n', 'r', 'v', 'm', 'o'].map((k) => fields[k]).join(' ');
  const bad = [...flags].find((f) => !(f in fields));
  if (bad) return `uname: invalid option -- '${bad}'`;
  return ['s', 'n', 'r', 'v', 'm', 'o'].filter((k) => flags.includes(k)).map((k) => fields[k]).join(' ');
}

/** date(1) in UTC: "Thu Jan  1 00:00:00 UTC 2026". */
function formatDate(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export class StandaloneConsole extends HostConsoleBase {
  readonly mode: StandaloneConsoleConfig['mode'];
  private readonly clock: Clock;
  private readonly program: Program | undefined;
  private queue: Uint8Array[] = [];
  private queued = 0;
  private timer: TimerHandle | undefined;
  /** A program pause (wrong password): input waits until it ends. */
  private paused = false;
  private greeted = false;
  private greeting: TimerHandle | undefined;

  constructor(cfg: StandaloneConsoleConfig, historySize: number, clock: Clock, hostname: string, log?: Logger) {
    super(historySize, true, (e) => log?.warn('SOL console listener failed', { error: e instanceof Error ? e.message : String(e) }));
    this.mode = cfg.mode;
    this.clock = clock;
    this.program = cfg.mode === 'echo' ? new EchoProgram() : cfg.mode === 'login' ? new LoginProgram(cfg, hostname, clock) : cfg.mode === 'script' ? new ScriptProgram(cfg) : undefined;
  }

  write(data: Uint8Array): number {
    if (!this.available) return 0;
    // Nothing reads a "none" port: the characters leave and are gone.
    if (!this.program) return data.length;
    const n = Math.min(data.length, INPUT_LIMIT - this.queued);
    if (n <= 0) return 0;
    this.queue.push(data.slice(0, n));
    this.queued += n;
    this.schedule();
    return n;
  }

  /** A break means nothing to these consoles (no SysRq); it is accepted and ignored. */
  sendBreak(): void {}

  flushInput(): void {
    this.queue = [];
    this.queued = 0;
  }

  /**
   * The standalone system's power: off makes the port unavailable and forgets a login; on
   * "boots" it (the greeting again, if a client is there).
   */
  setPower(on: boolean): void {
    if (on === this.available) return;
    this.restart();
    this.setAvailable(on);
    if (on && this.subscribers > 0) this.scheduleGreeting();
  }

  /** The system was reset: a login is forgotten and the greeting comes again (if a client is there). */
  reboot(): void {
    if (!this.available) return;
    this.restart();
    if (this.subscribers > 0) this.scheduleGreeting();
  }

  /** Back to the state before the first greeting: no pending input, output or pause. */
  private restart(): void {
    this.cancelTimers();
    this.paused = false;
    this.flushInput();
    this.program?.reset();
    this.greeted = false;
  }

  override close(): void {
    this.cancelTimers();
    super.close();
  }

  private cancelTimers(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.greeting?.cancel();
    this.greeting = undefined;
  }

  protected override subscribed(): void {
    if (!this.greeted && this.available) this.scheduleGreeting();
  }

  private scheduleGreeting(): void {
    if (!this.program) return;
    this.greeted = true;
    this.greeting = this.clock.setTimer(0, () => {
      this.greeting = undefined;
      const out = new Output();
      this.program!.greet(out);
      this.emit(out.take());
    });
  }

  private schedule(): void {
    if (this.timer || this.paused) return;
    this.timer = this.clock.setTimer(0, () => {
      this.timer = undefined;
      this.drain();
    });
  }

  private drain(): void {
    const program = this.program!;
    const out = new Output();
    const host: ProgramHost = {
      pause: (ms, then) => {
        this.paused = true;
        this.timer = this.clock.setTimer(ms, () => {
          this.timer = undefined;
          this.paused = false;
          const later = new Output();
          then(later);
          this.emit(later.take());
          if (this.queued > 0) this.drain();
        });
      },
    };
    while (this.queue.length > 0 && !this.paused) {
      const chunk = this.queue[0]!;
      let i = 0;
      while (i < chunk.length && !this.paused) program.input(chunk[i++]!, out, host);
      this.queued -= i;
      if (i === chunk.length) this.queue.shift();
      else this.queue[0] = chunk.subarray(i);
    }
    this.emit(out.take());
  }
}

/**
 * The serial port of a BMC without a VM, from the config's `sol` section. `hostname` is the
 * login console's name when the config gives none (identity.systemName).
 */
export function createStandaloneConsole(sol: SolConfig, clock: Clock, hostname: string, log?: Logger): StandaloneConsole {
  return new StandaloneConsole(sol.console, sol.historySize, clock, sol.console.hostname ?? hostname, log);
}
