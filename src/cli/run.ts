// Process entry: build the program, parse, map errors to exit codes. No logic lives here.

import { CommanderError } from 'commander';
import { ExitCode } from '../client/errors.js';
import { CliContext } from './context.js';
import { processIo } from './io.js';
import { createProgram } from './program.js';

export async function main(argv: string[]): Promise<void> {
  const ctx = new CliContext(processIo());
  const program = createProgram(ctx);
  try {
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
