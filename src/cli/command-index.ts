// Command name → module, so that running one command loads only that command's code (a Node
// CLI's start-up is dominated by module loading). program.ts has the same commands statically;
// a test keeps the two in step.

import type { Command } from 'commander';
import type { CliContext } from './context.js';

export interface IndexedCommand {
  names: readonly string[];
  load: () => Promise<(ctx: CliContext) => Command>;
}

export const COMMAND_INDEX: readonly IndexedCommand[] = [
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).serveCommand },
  { names: ['power'], load: async () => (await import('./commands/power.js')).powerCommand },
  { names: ['chassis'], load: async () => (await import('./commands/chassis.js')).chassisCommand },
  { names: ['mc', 'bmc'], load: async () => (await import('./commands/mc.js')).mcCommand },
  { names: ['sdr'], load: async () => (await import('./commands/sdr.js')).sdrCommand },
  { names: ['sensor'], load: async () => (await import('./commands/sensor.js')).sensorCommand },
  { names: ['sel'], load: async () => (await import('./commands/sel.js')).selCommand },
  { names: ['fru'], load: async () => (await import('./commands/fru.js')).fruCommand },
  { names: ['user'], load: async () => (await import('./commands/user.js')).userCommand },
  { names: ['channel'], load: async () => (await import('./commands/channel.js')).channelCommand },
  { names: ['session'], load: async () => (await import('./commands/session.js')).sessionCommand },
  { names: ['lan'], load: async () => (await import('./commands/lan.js')).lanCommand },
  { names: ['raw'], load: async () => (await import('./commands/raw.js')).rawCommand },
  { names: ['qemu-args'], load: async () => (await import('./commands/qemu-args.js')).qemuArgsCommand },
  { names: ['import-openipmi'], load: async () => (await import('./commands/import-openipmi.js')).importOpenIpmiCommand },
];

/**
 * The subcommand word in argv (after the global options and their values), or undefined.
 * `root` supplies which global options take a value.
 */
export function commandWord(root: Command, args: readonly string[]): string | undefined {
  const takesValue = new Set<string>();
  for (const o of root.options) {
    if (!(o.required || o.optional)) continue;
    if (o.short) takesValue.add(o.short);
    if (o.long) takesValue.add(o.long);
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1];
    if (!a.startsWith('-') || a === '-') return a;
    if (a.startsWith('--')) {
      if (!a.includes('=') && takesValue.has(a)) i++;
    } else if (a.length === 2 && takesValue.has(a)) {
      i++; // "-H host"; "-Hhost" carries its value
    }
  }
  return undefined;
}
