// `ipmi-sim import-openipmi LAN_CONF [EMU_FILE]`: converts an OpenIPMI ipmi_sim configuration
// into an ipmi-sim YAML config (stdout, or --out FILE), with what was approximated or dropped
// on stderr (or, with --json, everything as one JSON document).

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ExitCode } from '../../client/errors.js';
import { isJson, type CliContext } from '../context.js';
import { writeFileAtomic } from '../../util/atomic-file.js';

interface ImportCommandOptions {
  out?: string;
  lenient?: boolean;
}

function readOrUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

export function importOpenIpmiCommand(ctx: CliContext): Command {
  return new Command('import-openipmi')
    .description('convert an OpenIPMI ipmi_sim configuration (lan.conf and the .emu command file) into an ipmi-sim YAML config')
    .argument('<lan.conf>', 'ipmi_sim\'s LAN configuration (ipmi_sim -c)')
    .argument('[file.emu]', 'ipmi_sim\'s emulator command file (ipmi_sim -f): MCs, sensors, SDRs, FRU data')
    .option('-O, --out <file>', 'write the YAML config to FILE (mode 0600: it holds passwords) instead of stdout')
    .option('--lenient', 'drop what ipmi-sim cannot express (listed as dropped) instead of failing')
    .addHelpText(
      'after',
      `
Statements that cannot be converted are errors naming file and line; approximations and
dropped statements are listed on stderr and in the YAML's header. Include files are looked
up as ipmi_sim does (its working directory, then /usr/etc/ipmi), then next to the includer.
The config loads with "ipmi-sim serve --config FILE"; the listen addresses (addr, serial)
become serve options, printed at the end.

Examples:
  ipmi-sim import-openipmi /etc/ipmi/lan.conf /etc/ipmi/lab.emu -O lab.yaml
  ipmi-sim import-openipmi lan.conf lab.emu --lenient > lab.yaml
  ipmi-sim --json import-openipmi lan.conf lab.emu -O lab.yaml   # summary and notes as JSON
`,
    )
    .action(async (lanPath: string, emuPath: string | undefined, o: ImportCommandOptions, cmd: Command) => {
      const json = isJson(ctx.globals(cmd));
      const { importOpenIpmi } = await import('../../import/openipmi/convert.js');
      const { ImportError } = await import('../../import/openipmi/words.js');
      const { noteText } = await import('../../import/openipmi/notes.js');
      const fail = (message: string, code: number, at?: { file: string; line: number }) => {
        if (json) ctx.io.out(JSON.stringify({ error: { message, ...(at ? { file: at.file, ...(at.line > 0 ? { line: at.line } : {}) } : {}) } }, null, 2) + '\n');
        else ctx.io.err(`ipmi-sim import-openipmi: ${message}\n`);
        ctx.exitCode = code;
      };
      const read = (path: string) => {
        const text = readOrUndefined(() => readFileSync(path, 'utf8'));
        if (text === undefined) throw new ImportError({ file: path, line: 0 }, 'cannot read the file');
        return { path, text };
      };
      try {
        const input = { lanConf: read(lanPath), ...(emuPath ? { emu: read(emuPath) } : {}) };
        const env = {
          cwd: process.cwd(),
          readText: (p: string) => readOrUndefined(() => readFileSync(p, 'utf8')),
          readBytes: (p: string) => readOrUndefined(() => new Uint8Array(readFileSync(p))),
        };
        const result = importOpenIpmi(input, env, { lenient: o.lenient === true });
        // Atomic and private (0600): the config holds passwords.
        if (o.out) writeFileAtomic(o.out, result.yaml);
        if (json) {
          const notes = result.notes.map((n) => ({ kind: n.kind, ...(n.at ? { file: n.at.file, line: n.at.line } : {}), message: n.message }));
          ctx.io.out(JSON.stringify({ output: o.out ?? null, summary: result.summary, notes, ...(o.out ? {} : { yaml: result.yaml }) }, null, 2) + '\n');
          return;
        }
        if (!o.out) ctx.io.out(result.yaml);
        for (const n of result.notes) ctx.io.err(`${noteText(n)}\n`);
        const s = result.summary;
        ctx.io.err(
          `converted: ${s.users} users, ${s.sensors} sensors, ${s.sdrGenerated + s.sdrRaw} SDRs (${s.sdrRaw} as bytes), ${s.fruDevices} FRU devices${o.out ? ` → ${o.out}` : ''}\n` +
            (s.serveOptions.length ? `serve with: ipmi-sim serve --config ${o.out ?? 'FILE'} ${s.serveOptions.join(' ')}\n` : ''),
        );
      } catch (e) {
        if (e instanceof ImportError) return fail(e.at.line > 0 ? e.message : `${e.at.file}: ${e.reason}`, ExitCode.Config, e.at);
        const err = e as NodeJS.ErrnoException;
        if (err.code && err.syscall) return fail(`${err.path ?? ''}: ${err.code}`, ExitCode.Failure);
        throw e;
      }
    });
}
