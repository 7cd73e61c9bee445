// `exec FILE`: runs one command per line in a single session (ipmitool src/ipmishell.c rules
// for splitting lines). The exit status is the last non-zero status of a line.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ExitCode, UsageError } from '../../client/errors.js';
import { CliContext } from '../context.js';
import { bufferIo, type CliIo } from '../io.js';

/**
 * Splits one line the way ipmitool's exec does: `#` starts a comment; inside '…' or "…"
 * whitespace is kept (ipmitool swaps it for `~` and back, so a `~` inside quotes also reads as
 * a space); words are separated by spaces; a word that starts with a quote loses it and ends at
 * the closing quote. Returns [] for a blank or comment line.
 */
export function splitExecLine(line: string): string[] {
  const hash = line.indexOf('#');
  let buf = [...(hash >= 0 ? line.slice(0, hash) : line)];
  for (let i = 0; i < buf.length; i++) {
    const q = buf[i];
    if (q !== '"' && q !== "'") continue;
    for (i++; i < buf.length && buf[i] !== q; i++) if (/\s/.test(buf[i]!)) buf[i] = '~';
  }
  const text = buf.join('').trim();
  buf = [];
  if (text === '') return [];
  return text
    .split(' ')
    .filter((t) => t !== '')
    .map((tok) => {
      const q = tok[0];
      if (q !== '"' && q !== "'") return tok;
      const body = tok.slice(1);
      const end = body.indexOf(q);
      return (end >= 0 ? body.slice(0, end) : body).replace(/~/g, ' ');
    });
}

function lineResult(words: string[], exitCode: number, stdout: string, stderr: string): Record<string, unknown> {
  const parse = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  const doc: Record<string, unknown> = { command: words.join(' '), exitCode };
  if (stdout.trim() !== '') doc.result = parse(stdout);
  if (stderr.trim() !== '') {
    const e = parse(stderr);
    doc.error = typeof e === 'object' && e !== null && 'error' in e ? (e as { error: unknown }).error : { message: stderr.trim() };
  }
  return doc;
}

export function execCommand(ctx: CliContext, makeProgram: (sub: CliContext) => Command): Command {
  return new Command('exec')
    .description('run the commands in FILE, one per line, in one session')
    .argument('<file>', 'command file ("-" for standard input)')
    .addHelpText(
      'after',
      `
Each line is a command as typed after "ipmi-sim" (global options of this run apply to every
line); # starts a comment; '…' and "…" quote words with spaces.
Example:
  printf 'power status\\nchassis status\\nmc info\\n' > cmds.txt
  ipmi-sim -H 10.0.0.5 -U admin -P secret exec cmds.txt
`,
    )
    .action(async (file: string, _o, cmd: Command) => {
      const lines = ctx.args(cmd, () => {
        try {
          return readFileSync(file === '-' ? 0 : file, 'utf8').split('\n');
        } catch (e) {
          throw new UsageError(`Unable to open file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      });
      if (lines === undefined) return;
      await ctx.run(cmd, async (client, out, settings) => {
        let rc: number = ExitCode.Ok;
        // With --json: one document for the whole file, an entry per command line.
        const results: Record<string, unknown>[] = [];
        for (const line of lines) {
          const words = splitExecLine(line);
          if (words.length === 0) continue;
          if (words[0] === 'serve') {
            ctx.fail(new UsageError('exec: serve cannot run inside exec'), ctx.globals(cmd));
            rc = ExitCode.Usage;
            continue;
          }
          const captured = out.json ? bufferIo(ctx.io.env) : undefined;
          // Write where this run's output goes (with -H lists that is the host's own buffer).
          const io: CliIo = captured ?? { out: out.text, err: out.note, stdoutIsTTY: out.color, stderrIsTTY: out.interactive, env: ctx.io.env };
          const sub = new CliContext(io, { client, settings, globals: ctx.globals(cmd) });
          const program = makeProgram(sub);
          let status: number;
          try {
            await program.parseAsync(words, { from: 'user' });
            status = sub.exitCode;
          } catch (e) {
            status = e instanceof CommanderError ? (e.exitCode === 0 ? 0 : ExitCode.Usage) : ExitCode.Software;
            if (!(e instanceof CommanderError)) sub.fail(e, ctx.globals(cmd));
          }
          if (status !== 0) rc = status;
          if (captured) results.push(lineResult(words, status, captured.stdout, captured.stderr));
        }
        if (out.json) out.json(results);
        return rc;
      });
    });
}
