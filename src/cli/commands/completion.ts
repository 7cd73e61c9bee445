// `ipmi-sim completion bash|zsh|fish`: prints the completion script (same text as the
// committed files in completions/).

import { Command, Argument } from 'commander';
import { completionScript, SHELLS, type Shell } from '../completion.js';
import type { CliContext } from '../context.js';

export function completionCommand(ctx: CliContext, root: () => Command): Command {
  return new Command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'shell').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  ipmi-sim completion bash > ~/.local/share/bash-completion/completions/ipmi-sim
  ipmi-sim completion zsh > ~/.zfunc/_ipmi-sim        # a directory on $fpath
  ipmi-sim completion fish > ~/.config/fish/completions/ipmi-sim.fish
`,
    )
    .action((shell: Shell) => {
      ctx.io.out(completionScript(root(), shell));
    });
}
