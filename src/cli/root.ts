// The root command: description, version, global options, and the output/exit behaviour every
// subcommand inherits. Shared by the full tree (program.ts) and the one-command fast path
// (run.ts), which must agree on both.

import { Command } from 'commander';
import type { CliContext } from './context.js';
import { addGlobalOptions } from './global-options.js';

export const VERSION = '0.1.0';

export function createRoot(ctx: CliContext): Command {
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
  return program;
}

/** Subcommands inherit the error/output behaviour so usage errors exit 64 everywhere. */
export function inheritBehaviour(program: Command, ctx: CliContext): void {
  const inherit = (c: Command) => {
    c.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) }).showSuggestionAfterError(true);
    c.commands.forEach(inherit);
  };
  program.commands.forEach(inherit);
}
