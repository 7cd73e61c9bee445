// A program on a real terminal, for clients that need one (`ipmitool sol activate` puts its tty
// in raw mode and reads keystrokes): a detached tmux session on its own server socket (no user
// config), driven with send-keys and read with capture-pane. The command runs under sh, which
// prints "TERM-EXIT: <status>" when it ends and keeps the pane open, so the exit status can be
// read from the screen.

import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const exec = promisify(execFile);

export class TmuxTerminal {
  private readonly socket: string;
  private closed = false;

  private constructor(socket: string) {
    this.socket = socket;
  }

  /** Starts `argv` on a `cols` x `rows` terminal; the tmux server socket lives in `dir`. */
  static async start(dir: string, argv: readonly string[], cols = 160, rows = 50): Promise<TmuxTerminal> {
    const term = new TmuxTerminal(join(dir, 'tmux.sock'));
    // "$@" keeps every argument as given; the sleep keeps the pane (and its last words) readable.
    const script = '"$@"; echo "TERM-EXIT: $?"; exec sleep 3600';
    await term.tmux('start-server', ';', 'set-option', '-g', 'history-limit', '100000', ';', 'new-session', '-d', '-s', 'main', '-x', String(cols), '-y', String(rows), 'sh', '-c', script, 'sh', ...argv);
    return term;
  }

  private async tmux(...args: string[]): Promise<string> {
    const { stdout } = await exec('tmux', ['-S', this.socket, '-f', '/dev/null', ...args], { env: { ...process.env, TMUX: '' } });
    return stdout;
  }

  /** Everything the terminal showed, scrollback included, wrapped lines joined, trailing blanks trimmed. */
  async screen(): Promise<string> {
    const text = await this.tmux('capture-pane', '-p', '-J', '-S', '-', '-t', 'main');
    return text.replace(/\s+$/, '');
  }

  /** Types `text` literally (no key names). */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Presses named keys (Enter, C-c, ...). */
  async press(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', 'main', ...keys);
  }

  /** Resolves with the first match of `re` in the screen text after character `from`. */
  async waitFor(re: RegExp, ms = 20_000, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const text = await this.screen();
      const m = re.exec(text.slice(from));
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`the terminal did not show ${re} within ${ms} ms; it shows:\n${text.slice(-3000)}`);
      await sleep(100);
    }
  }

  /** The command's exit status once it has ended. */
  async exitStatus(ms = 20_000): Promise<number> {
    const m = await this.waitFor(/TERM-EXIT: (\d+)/, ms);
    return Number(m[1]);
  }

  /** Ends the tmux server and everything in it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tmux('kill-server').catch(() => {});
  }
}
