// The whole command tree. Pure: building it performs no I/O, so tests, completion generation
// and the man-page check can load it. Running one command does not need the whole tree:
// run.ts loads only that command's module (command-index.ts) to keep start-up short.

import type { Command } from 'commander';
import type { CliContext } from './context.js';
import { createRoot, inheritBehaviour } from './root.js';
import { mcCommand } from './commands/mc.js';
import { powerCommand } from './commands/power.js';
import { chassisCommand } from './commands/chassis.js';
import { userCommand } from './commands/user.js';
import { channelCommand } from './commands/channel.js';
import { sessionCommand } from './commands/session.js';
import { lanCommand } from './commands/lan.js';
import { execCommand } from './commands/exec.js';
import { rawCommand } from './commands/raw.js';
import { sdrCommand } from './commands/sdr.js';
import { sensorCommand } from './commands/sensor.js';
import { selCommand } from './commands/sel.js';
import { fruCommand } from './commands/fru.js';
import { serveCommand } from './commands/serve.js';
import { completionCommand } from './commands/completion.js';
import { qemuArgsCommand } from './commands/qemu-args.js';
import { importOpenIpmiCommand } from './commands/import-openipmi.js';

export { VERSION } from './root.js';

export function createProgram(ctx: CliContext): Command {
  const program = createRoot(ctx);
  for (const make of [serveCommand, powerCommand, chassisCommand, mcCommand, sdrCommand, sensorCommand, selCommand, fruCommand, userCommand, channelCommand, sessionCommand, lanCommand, rawCommand, qemuArgsCommand, importOpenIpmiCommand]) {
    program.addCommand(make(ctx));
  }
  program.addCommand(execCommand(ctx, (sub) => createProgram(sub)));
  program.addCommand(completionCommand(ctx, () => program));
  inheritBehaviour(program, ctx);
  return program;
}
