// `raw NETFN CMD [DATA...]`: ipmitool's byte-level escape hatch, same arguments and output.

import { Command } from 'commander';
import { completionCodeName } from '../../protocol/completion-codes.js';
import { findCommand } from '../../ipmi/registry.js';
import { ExitCode, UsageError } from '../../client/errors.js';
import type { CliContext } from '../context.js';

export function parseByte(text: string, what: string): number {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new UsageError(`invalid ${what} "${text}" (expected 0-255, decimal or 0x hex)`);
  return n;
}

/** ipmitool's layout: " %02x" per byte, 16 per line. */
export function formatRawBytes(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i++) {
    if (i > 0 && i % 16 === 0) s += '\n';
    s += ' ' + data[i]!.toString(16).padStart(2, '0');
  }
  return s + '\n';
}

export function rawCommand(ctx: CliContext): Command {
  return new Command('raw')
    .description('send a raw IPMI request and print the response data')
    .argument('<netfn>', 'network function (e.g. 0x06)')
    .argument('<cmd>', 'command (e.g. 0x01)')
    .argument('[data...]', 'request data bytes')
    .addHelpText('after', '\nExample:\n  ipmi-sim raw 0x06 0x01          # Get Device ID\n')
    .action(async (netfnText: string, cmdText: string, dataText: string[], _o, cmd: Command) => {
      let netFn: number, command: number, data: Uint8Array;
      try {
        netFn = parseByte(netfnText, 'netfn');
        command = parseByte(cmdText, 'command');
        data = Uint8Array.from(dataText.map((d) => parseByte(d, 'data byte')));
      } catch (e) {
        ctx.fail(e, ctx.globals(cmd));
        return;
      }
      await ctx.run(cmd, async (client, out) => {
        const r = await client.request(netFn, command, data);
        const spec = findCommand(netFn, command);
        if (out.json) {
          out.json({ netFn, cmd: command, command: spec?.name ?? null, completionCode: r.cc, data: r.data });
          return r.cc === 0 ? ExitCode.Ok : ExitCode.Failure;
        }
        if (r.cc !== 0) {
          ctx.io.err(
            `Unable to send RAW command (channel=0x0 netfn=0x${netFn.toString(16)} lun=0x0 cmd=0x${command.toString(16)} rsp=0x${r.cc.toString(16)}): ${completionCodeName(r.cc, spec?.completionCodes)}\n`,
          );
          return ExitCode.Failure;
        }
        out.text(formatRawBytes(r.data));
      });
    });
}
