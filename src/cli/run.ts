// Process entry: build the program, parse, map errors to exit codes. No logic lives here.

import { CommanderError, type Command } from 'commander';
import { ExitCode } from '../client/errors.js';
import { CliContext } from './context.js';
import { processIo } from './io.js';
import { COMMAND_INDEX, commandWord } from './command-index.js';
import { createRoot, inheritBehaviour } from './root.js';

/** Only the command being run when it can be told from argv; the whole tree otherwise (help, exec, completion, typos). */
async function programFor(ctx: CliContext, argv: string[]): Promise<Command> {
  const root = createRoot(ctx);
  const word = commandWord(root, argv.slice(2));
  const entry = word === undefined ? undefined : COMMAND_INDEX.find((c) => c.names.includes(word));
  if (!entry) return (await import('./program.js')).createProgram(ctx);
  root.addCommand((await entry.load())(ctx));
  inheritBehaviour(root, ctx);
  return root;
}

export async function main(argv: string[]): Promise<void> {
  const ctx = new CliContext(processIo());
  try {
    const program = await programFor(ctx, argv);
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every other parse problem is a usage error.
      process.exitCode = e.exitCode === 0 ? 0 : ExitCode.Usage;
      return;
    }
    ctx.fail(e, { verbose: 0 });
  }
  process.exitCode = ctx.exitCode;
}
