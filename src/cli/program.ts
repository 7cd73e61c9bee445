// The command tree. Pure: building it performs no I/O and imports nothing heavy, so tests,
// completion generation and the man-page check can load it.

import { Command } from 'commander';
import type { CliContext } from './context.js';
import { addGlobalOptions } from './global-options.js';
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

export const VERSION = '0.1.0';

export function createProgram(ctx: CliContext): Command {
  const program = new Command('ipmi-sim')
    .description('IPMI BMC simulator (LAN and QEMU) and ipmitool-compatible client')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Examples:
  ipmi-sim serve &                      # a BMC on 127.0.0.1:6230 (admin / password)
  ipmi-sim power status                 # no -H: that local simulator
  ipmi-sim -I lanplus -H 10.0.0.5 -U admin -P secret chassis status
  ipmi-sim -H 'bmc[01-20]' -E --json power status
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  addGlobalOptions(program);
  for (const make of [serveCommand, powerCommand, chassisCommand, mcCommand, sdrCommand, sensorCommand, selCommand, fruCommand, userCommand, channelCommand, sessionCommand, lanCommand, rawCommand, qemuArgsCommand]) {
    const cmd = make(ctx);
    program.addCommand(cmd);
  }
  program.addCommand(execCommand(ctx, (sub) => createProgram(sub)));
  program.addCommand(completionCommand(ctx, () => program));
  // Subcommands inherit the error/output behaviour so usage errors exit 64 everywhere.
  const inherit = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) }).showSuggestionAfterError(true);
    c.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
  return program;
}
