// `mc` client commands (ipmitool lib/ipmi_mc.c syntax and output).

import { Command } from 'commander';
import { getDeviceId, getSystemGuid } from '../../ipmi/commands/app.js';
import type { CliContext } from '../context.js';
import { formatDeviceId, formatGuid, parseGuid } from '../output/mc.js';
import { formatTimestamp } from '../output/time.js';

export function mcCommand(ctx: CliContext): Command {
  const mc = new Command('mc').alias('bmc').description('management controller status and global enables');
  mc.command('info')
    .description('print the BMC device ID (Get Device ID)')
    .addHelpText('after', '\nExample:\n  ipmi-sim -H 10.0.0.5 -U admin -P secret mc info\n')
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const d = await client.invoke(getDeviceId, {});
        if (out.json) return out.json(d);
        out.text(formatDeviceId(d, ctx.io.env));
      });
    });
  mc.command('guid')
    .description('print the system GUID (Get System GUID)')
    .addHelpText('after', '\nExample:\n  ipmi-sim mc guid\n')
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const { guid } = await client.invoke(getSystemGuid, {});
        if (out.json) return out.json({ guid: parseGuid(guid), raw: Buffer.from(guid).toString('hex') });
        out.text(formatGuid(guid, (s) => formatTimestamp(s, ctx.io.env)));
      });
    });
  return mc;
}
