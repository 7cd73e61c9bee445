// `fru` client commands (ipmitool lib/ipmi_fru.c syntax and output): print [ID] (FRU 0, then
// every FRU locator in the SDRs), read ID FILE, write ID FILE.

import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { ExitCode, IpmiCompletionError, UsageError } from '../../client/errors.js';
import { FruDevice } from '../../client/fru.js';
import { getDeviceId } from '../../ipmi/commands/app.js';
import { example } from '../help.js';
import type { CliContext } from '../context.js';
import { parseCUnsigned } from '../c-numbers.js';
import { completionCodeName } from '../../protocol/completion-codes.js';
import { behindBmc, fruDeviceText, fruJson, fruLocatorText, type FruPrintOptions } from '../fru-print.js';
import { loadSdrs } from '../sdrs.js';
import { outputModes } from '../output/modes.js';

/** Get Device ID "additional device support" bit 3: the BMC has FRU inventory device 0. */
const FRU_INVENTORY_DEVICE = 0x08;

function fruIdArg(text: string): number {
  const id = parseCUnsigned(text, 255);
  if (id === undefined) throw new UsageError(`FRU ID '${text}' is either invalid or out of range.`);
  return id;
}

/** What ipmitool adds to `fru read` / `fru write` with -v. */
const verboseHeader = (id: number, file: string, dev: FruDevice) =>
  `FRU ID           : ${id}\nFRU File         : ${file}\nFru Size   = ${dev.info.size} bytes\nFru Access = ${dev.info.wordAccess ? 1 : 0}h\n`;

export function fruCommand(ctx: CliContext): Command {
  const fru = new Command('fru').description('print, read and write FRU inventory data').addHelpText('after', example('  ipmi-sim fru print\n  ipmi-sim fru read 0 /tmp/fru0.bin'));

  fru
    .command('print', { isDefault: true })
    .alias('list')
    .description('print FRU 0 and every FRU in the SDRs (FRU device locators), or one FRU by ID')
    .argument('[id]', 'FRU device ID (0-255)')
    .addHelpText('after', example('  ipmi-sim fru print\n  ipmi-sim fru print 0\n  ipmi-sim --json fru print'))
    .action(async (idText: string | undefined, _o, cmd: Command) => {
      const id = idText === undefined ? undefined : ctx.args(cmd, () => fruIdArg(idText));
      if (idText !== undefined && id === undefined) return;
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const opts: FruPrintOptions = { verbose: m.verbose, time: { utc: m.utc, env: ctx.io.env }, io: ctx.io };
        if (id !== undefined) {
          if (m.json) return m.json([await fruJson(client, id, `FRU ${id}`)]);
          const p = await fruDeviceText(client, id, opts);
          out.text(p.text);
          return p.ok ? ExitCode.Ok : ExitCode.Failure;
        }
        const json: unknown[] = [];
        let ok = true;
        const device = await client.invoke(getDeviceId, {});
        if (!m.json) out.text('FRU Device Description : Builtin FRU Device (ID 0)\n');
        if (device.additionalDeviceSupport & FRU_INVENTORY_DEVICE) {
          if (m.json) json.push(await fruJson(client, 0, 'Builtin FRU Device'));
          else {
            const p = await fruDeviceText(client, 0, opts);
            out.text(p.text + '\n');
            ok = p.ok;
          }
        }
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        for (const { record } of entries) {
          if (record.kind !== 'fruLocator' || !record.logicalFruDevice) continue;
          if (m.json) {
            const isFru = record.deviceType === 0x10 || (record.deviceTypeModifier === 0x02 && record.deviceType >= 0x08 && record.deviceType <= 0x0f);
            if (isFru && !(record.deviceAccessAddress === 0x20 && record.fruDeviceId === 0) && behindBmc(record)) json.push(await fruJson(client, record.fruDeviceId, record.idString));
            continue;
          }
          const p = await fruLocatorText(client, record, opts);
          if (!p) continue;
          out.text(p.text);
          ok = p.ok;
        }
        if (m.json) m.json(json);
        // ipmitool's status is that of the last FRU printed.
        return ok ? ExitCode.Ok : ExitCode.Failure;
      });
    });

  fru
    .command('read')
    .description('save a FRU\'s whole inventory area to a file')
    .argument('<id>', 'FRU device ID (0-255)')
    .argument('<file>', 'output file')
    .addHelpText('after', example('  ipmi-sim fru read 0 /tmp/fru0.bin'))
    .action(async (idText: string, file: string, _o, cmd: Command) => {
      const id = ctx.args(cmd, () => fruIdArg(idText));
      if (id === undefined) return;
      await ctx.run(cmd, async (client, out) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        let dev: FruDevice;
        try {
          dev = await FruDevice.open(client, id);
        } catch (e) {
          if (e instanceof IpmiCompletionError && e.completionCode === 0xc3) ctx.io.err('  Timeout accessing FRU info. (Device not present?)\n');
          throw e;
        }
        if (m.verbose && !m.json) out.text(verboseHeader(id, file, dev));
        if (!m.json) out.text(`Fru Size         : ${dev.info.size} bytes\n`);
        // Like ipmitool, a read that stops early still writes the file (zero-filled): BMCs often
        // report an area larger than what they can return.
        const { data, read, failure } = await dev.readUpTo(0, dev.info.size);
        if (failure) ctx.io.err(`FRU Read failed: ${completionCodeName(failure.completionCode)} (read ${read} of ${dev.info.size} bytes)\n`);
        writeFileSync(file, data);
        if (m.json) return m.json({ fruId: id, file, size: dev.info.size, wordAccess: dev.info.wordAccess, bytesRead: read });
        out.text('Done\n');
      });
    });

  fru
    .command('write')
    .description('write a file to a FRU\'s inventory area (at most the area size is written)')
    .argument('<id>', 'FRU device ID (0-255)')
    .argument('<file>', 'input file')
    .addHelpText('after', example('  ipmi-sim fru write 0 /tmp/fru0.bin'))
    .action(async (idText: string, file: string, _o, cmd: Command) => {
      const id = ctx.args(cmd, () => fruIdArg(idText));
      if (id === undefined) return;
      let data: Uint8Array;
      try {
        data = new Uint8Array(readFileSync(file));
      } catch (e) {
        ctx.fail(new UsageError(`Error opening file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`), ctx.globals(cmd));
        return;
      }
      await ctx.run(cmd, async (client, out) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const dev = await FruDevice.open(client, id);
        const part = data.subarray(0, dev.info.size);
        if (m.verbose && !m.json) out.text(verboseHeader(id, file, dev));
        if (!m.json) out.text(`Fru Size         : ${dev.info.size} bytes\nSize to Write    : ${part.length} bytes\n`);
        const written = part.length ? await dev.write(0, part) : 0;
        if (m.json) return m.json({ fruId: id, file, size: dev.info.size, bytesWritten: written });
      });
    });

  return fru;
}

