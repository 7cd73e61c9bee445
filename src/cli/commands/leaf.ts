// Read-only leaf commands that fetch one thing and print it (text, JSON or a table) are
// declared as data: a name, a help example, a fetch and the renderers.

import type { Command } from 'commander';
import type { LanClient } from '../../client/lan-client.js';
import type { CliContext, Output } from '../context.js';

export interface ReadLeaf<T> {
  name: string;
  description: string;
  /** The command line shown under "Example:" in --help. */
  example: string;
  fetch(client: LanClient): Promise<T>;
  text(value: T): string;
  /** Default: the value itself. */
  json?(value: T): unknown;
  /** -o table; default: the text. */
  table?(value: T): string;
  /** Exit status after printing (default 0). */
  status?(value: T): number;
}

export function addReadLeaf<T>(ctx: CliContext, parent: Command, leaf: ReadLeaf<T>): Command {
  return parent
    .command(leaf.name)
    .description(leaf.description)
    .addHelpText('after', `\nExample:\n  ${leaf.example}\n`)
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out: Output) => {
        const value = await leaf.fetch(client);
        if (out.json) out.json(leaf.json ? leaf.json(value) : value);
        else out.text(out.table && leaf.table ? leaf.table(value) : leaf.text(value));
        return leaf.status?.(value) ?? 0;
      });
    });
}
