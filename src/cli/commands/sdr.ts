// `sdr` client commands (ipmitool lib/ipmi_sdr.c syntax and output): list, elist, type, entity,
// get, info, dump, plus `sdr cache clear` for our SDR cache.

import { writeFileSync } from 'node:fs';
import { Argument, Command } from 'commander';
import type { LanClient } from '../../client/lan-client.js';
import { ExitCode, OperationError, UsageError } from '../../client/errors.js';
import { clearSdrCache, sdrCacheDir, sdrCachePath } from '../../client/sdr-cache.js';
import { sdrRepositoryState } from '../../client/sdr-repository.js';
import { readEventBits, readSensor, type SensorValue } from '../../client/sensor-reading.js';
import { SdrOperations } from '../../ipmi/commands/sdr-repository.js';
import { SdrRecordType, type SdrRecord } from '../../ipmi/sdr/records.js';
import { entityIdNames } from '../../ipmi/tables/entity-ids.js';
import { sensorTypeByName, sensorTypeNames } from '../../ipmi/tables/sensor-types.js';
import { example } from '../help.js';
import type { CliContext, Output } from '../context.js';
import { findSdrById, loadSdrs, type SdrEntry } from '../sdrs.js';
import { outputModes, writeTable, type Modes } from '../output/modes.js';
import { recordJson, sensorJson } from '../output/sdr-json.js';
import { recordText, sensorBlock, sensorLine, type SdrTextMode } from '../output/sdr-text.js';
import { timestampNumeric } from '../output/time.js';

/** `sdr list` filters and the record types they select; "sensors" is ipmitool's default (full + compact). */
const FILTERS: Record<string, number[] | 'all'> = {
  all: 'all',
  full: [SdrRecordType.FullSensor],
  compact: [SdrRecordType.CompactSensor],
  event: [SdrRecordType.EventOnlySensor],
  mcloc: [SdrRecordType.McDeviceLocator],
  fru: [SdrRecordType.FruDeviceLocator],
  generic: [SdrRecordType.GenericDeviceLocator],
};
const SENSORS = [SdrRecordType.FullSensor, SdrRecordType.CompactSensor];

const recordTypeOf = (e: SdrEntry) => e.bytes[3]!;

export interface ListOptions {
  extended: boolean;
}

/**
 * Prints entries the way ipmitool's list loop does: sensors with a fresh reading, other records
 * from the SDR alone. Lines are written as they are ready; JSON and tables are written at the end.
 */
export async function printSdrEntries(client: LanClient, entries: readonly SdrEntry[], m: Modes, out: Output, opts: ListOptions): Promise<void> {
  const mode: SdrTextMode = { extended: opts.extended, csv: m.csv, verbose: m.verbose, color: m.color && !m.csv };
  const json: unknown[] = [];
  const rows: (string | number)[][] = [];
  for (const { record } of entries) {
    if (record.kind === 'full' || record.kind === 'compact') {
      const v = await readSensor(client, record);
      if (m.json) json.push(sensorJson(v));
      else if (m.table) rows.push(tableRow(v, opts.extended));
      else if (m.verbose && !m.csv) out.text(sensorBlock(v, await readEventBits(client, record, 'status'), await readEventBits(client, record, 'enable')));
      else out.text(sensorLine(v, mode) + '\n');
      continue;
    }
    if (m.json) {
      if (record.kind !== 'raw') json.push(recordJson(record));
      continue;
    }
    const text = recordText(record, mode);
    if (text === undefined) continue;
    if (m.table) rows.push(locatorRow(text, opts.extended));
    else out.text(text);
  }
  if (m.json) m.json(json);
  else if (m.table) writeTable(out, opts.extended ? ['Name', 'Number', 'Status', 'Entity', 'Reading'] : ['Name', 'Value', 'Status'], rows);
}

function tableRow(v: SensorValue, extended: boolean): string[] {
  const cols = sensorLine(v, { extended, csv: false, verbose: 0, color: false }).split(' | ');
  return cols.map((c) => c.trim());
}

function locatorRow(line: string, extended: boolean): string[] {
  const cols = line.trimEnd().split(' | ').map((c) => c.trim());
  while (cols.length < (extended ? 5 : 3)) cols.push('');
  return cols;
}

/** The records `sdr list FILTER` prints, in repository order. */
export function selectByType(entries: readonly SdrEntry[], filter: string | undefined): SdrEntry[] {
  const types = filter === undefined ? SENSORS : FILTERS[filter]!;
  return entries.filter((e) => types === 'all' || types.includes(recordTypeOf(e)));
}

function sensorTypeTable(): string {
  let s = 'Sensor Types:\n';
  for (let x = 1; x < 0x2c; x += 2) {
    s += `\t${sensorTypeNames[x]!.padEnd(25)} (0x${x.toString(16).padStart(2, '0')})   ${sensorTypeNames[x + 1]!.padEnd(25)} (0x${(x + 1).toString(16).padStart(2, '0')})\n`;
  }
  return s;
}

function entityTable(): string {
  const list = [...entityIdNames.entries()];
  let s = '\nEntity IDs:\n\n';
  for (let i = 0; i < list.length; i += 2) {
    const [v1, s1] = list[i]!;
    const next = list[i + 1];
    s += next ? `  ${String(v1).padStart(4)}  ${s1.padEnd(32)}    ${String(next[0]).padStart(4)}  ${next[1].padEnd(32)}\n` : `  ${String(v1).padStart(4)}  ${s1.padEnd(32)}\n`;
  }
  return s + '\n';
}

/** `sdr entity` argument: "ID", "ID.INSTANCE" or an entity name; instance 0x7F = any. */
export function parseEntity(text: string): { id: number; instance: number } {
  let m = /^(\d+)\.(\d+)/.exec(text);
  if (m) return { id: Number(m[1]) & 0xff, instance: Number(m[2]) };
  m = /^(\d+)/.exec(text);
  if (m) return { id: Number(m[1]) & 0xff, instance: 0x7f };
  let found: number | undefined;
  for (const [id, name] of entityIdNames) if (name.toLowerCase() === text.toLowerCase()) found = id;
  if (found === undefined) throw new UsageError(`Invalid entity: ${text}`);
  return { id: found, instance: 0x7f };
}

function entityOf(r: SdrRecord): { id: number; instance: number } | undefined {
  if (r.kind === 'raw') return undefined;
  return { id: r.entityId, instance: r.entityInstance & 0x7f };
}

/** The `sdr info` lines (ipmi_sdr_print_info). */
export function formatSdrInfo(i: { version: number; recordCount: number; freeSpace: number; lastAddTime: number; lastEraseTime: number; operations: number }, utc: boolean, env: NodeJS.ProcessEnv): string {
  const op = i.operations;
  const free = i.freeSpace === 0 ? 'none (full)' : i.freeSpace === 0xffff ? 'unspecified' : i.freeSpace === 0xfffe ? '> 64Kb - 2 bytes' : `${i.freeSpace} bytes`;
  const yn = (b: number) => (op & b ? 'yes' : 'no');
  const t = (s: number) => timestampNumeric(s, { utc, env });
  return [
    `SDR Version                         : 0x${i.version.toString(16)}`,
    `Record Count                        : ${i.recordCount}`,
    `Free Space                          : ${free}`,
    `Most recent Addition                : ${op & SdrOperations.PartialAdd ? t(i.lastAddTime) : 'NA'}`,
    `Most recent Erase                   : ${op & SdrOperations.Delete ? t(i.lastEraseTime) : 'NA'}`,
    `SDR overflow                        : ${op & SdrOperations.Overflow ? 'yes' : 'no'}`,
    `SDR Repository Update Support       : ${['unspecified', 'non-modal', 'modal', 'modal and non-modal'][(op >> 5) & 3]}`,
    `Delete SDR supported                : ${yn(SdrOperations.Delete)}`,
    `Partial Add SDR supported           : ${yn(SdrOperations.PartialAdd)}`,
    `Reserve SDR repository supported    : ${yn(SdrOperations.Reserve)}`,
    `SDR Repository Alloc info supported : ${yn(SdrOperations.AllocationInfo)}`,
  ].join('\n') + '\n';
}

export function sdrCommand(ctx: CliContext): Command {
  const sdr = new Command('sdr').description('print Sensor Data Repository entries and readings').addHelpText('after', example('  ipmi-sim sdr elist\n  ipmi-sim -c sdr list all\n  ipmi-sim sdr get "CPU1 Temp"'));

  const listLike = (name: string, extended: boolean, help: string) =>
    sdr
      .command(name, { isDefault: name === 'list' })
      .description(help)
      .addArgument(new Argument('[filter]', 'record types: all, full, compact, event, mcloc, fru, generic (default: full and compact)').choices(Object.keys(FILTERS)))
      .addHelpText('after', example(`  ipmi-sim sdr ${name}\n  ipmi-sim -c sdr ${name} all\n  ipmi-sim --json sdr ${name}`))
      .action(async (filter: string | undefined, _o, cmd: Command) => {
        await ctx.run(cmd, async (client, out, settings) => {
          const o = ctx.globals(cmd);
          const m = outputModes(ctx, o, out);
          const { entries } = await loadSdrs(ctx.io, o, client, settings);
          await printSdrEntries(client, selectByType(entries, filter), m, out, { extended });
        });
      });
  listLike('list', false, 'list sensors: name, reading, status (full and compact records unless a filter is given)');
  listLike('elist', true, 'list sensors with number, entity and the asserted states');

  sdr
    .command('type')
    .description('list the sensors of a sensor type (name or 0xNN), or the types with "list"')
    .argument('[type]', 'sensor type name (e.g. Temperature), hex code, or "list"')
    .addHelpText('after', example('  ipmi-sim sdr type Temperature\n  ipmi-sim sdr type 0x04\n  ipmi-sim sdr type list'))
    .action(async (type: string | undefined, _o, cmd: Command) => {
      const o = ctx.globals(cmd);
      if (type === undefined || /^(help|list)$/i.test(type)) {
        ctx.io.out(sensorTypeTable());
        return;
      }
      const code = /^0x[0-9a-f]{1,2}$/i.test(type) ? parseInt(type, 16) : sensorTypeByName(type);
      if (code === undefined) {
        ctx.io.err(`Sensor Type "${type}" not found.\n`);
        ctx.io.out(sensorTypeTable());
        return;
      }
      await ctx.run(cmd, async (client, out, settings) => {
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        const list = entries.filter((e) => (e.record.kind === 'full' || e.record.kind === 'compact' || e.record.kind === 'eventOnly') && e.record.sensorType === code);
        await printSdrEntries(client, list, m, out, { extended: true });
      });
    });

  sdr
    .command('entity')
    .description('list the sensors and locators of an entity (ID, ID.INSTANCE or name), or the entity IDs with "list"')
    .argument('[entity]', 'e.g. 3 or 3.1 or Processor, or "list"')
    .addHelpText('after', example('  ipmi-sim sdr entity 3.1\n  ipmi-sim sdr entity 29'))
    .action(async (entity: string | undefined, _o, cmd: Command) => {
      if (entity === undefined || /^(help|list)$/i.test(entity)) {
        ctx.io.out(entityTable());
        return;
      }
      const want = ctx.args(cmd, () => parseEntity(entity));
      if (!want) return;
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        const list = entries.filter((e) => {
          const ent = entityOf(e.record);
          return ent !== undefined && ent.id === want.id && (want.instance === 0x7f || ent.instance === want.instance);
        });
        await printSdrEntries(client, list, m, out, { extended: true });
      });
    });

  sdr
    .command('get')
    .description('print everything about sensors, by ID string (sensor name)')
    .argument('<id...>', 'sensor names, e.g. "CPU1 Temp"')
    .addHelpText('after', example('  ipmi-sim sdr get "CPU1 Temp" FAN1'))
    .action(async (ids: string[], _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        const json: unknown[] = [];
        let rc: number = ExitCode.Ok;
        for (const id of ids) {
          const e = findSdrById(entries, id);
          if (!e) {
            ctx.io.err(`Unable to find sensor id '${id}'\n`);
            rc = ExitCode.Failure;
            continue;
          }
          if (m.json) {
            await printSdrEntries(client, [e], { ...m, json: (v) => json.push(...(v as unknown[])) }, out, { extended: false });
            continue;
          }
          await printSdrEntries(client, [e], { ...m, verbose: Math.max(1, m.verbose) }, out, { extended: false });
        }
        if (m.json) m.json(json);
        return rc;
      });
    });

  sdr
    .command('info')
    .description('print the SDR repository information (Get SDR Repository Info)')
    .addHelpText('after', example('  ipmi-sim sdr info'))
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const state = await sdrRepositoryState(client);
        if (!state.info) throw new OperationError('this controller has device SDRs, not an SDR repository');
        const i = state.info;
        if (m.json) {
          return m.json({
            ...i,
            overflow: (i.operations & SdrOperations.Overflow) !== 0,
            updateSupport: ['unspecified', 'non-modal', 'modal', 'modal and non-modal'][(i.operations >> 5) & 3],
            deleteSupported: (i.operations & SdrOperations.Delete) !== 0,
            partialAddSupported: (i.operations & SdrOperations.PartialAdd) !== 0,
            reserveSupported: (i.operations & SdrOperations.Reserve) !== 0,
            allocationInfoSupported: (i.operations & SdrOperations.AllocationInfo) !== 0,
          });
        }
        out.text(formatSdrInfo(i, m.utc, ctx.io.env));
      });
    });

  sdr
    .command('dump')
    .description('write the raw SDRs to a file (readable with -S FILE)')
    .argument('<file>', 'output file')
    .addHelpText('after', example('  ipmi-sim sdr dump /tmp/bmc.sdr\n  ipmi-sim -S /tmp/bmc.sdr sdr list'))
    .action(async (file: string, _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        out.text(`Dumping Sensor Data Repository to '${file}'\n`);
        writeFileSync(file, Buffer.concat(entries.map((e) => e.bytes)));
      });
    });

  const cache = sdr
    .command('cache')
    .description('the local SDR cache (${XDG_CACHE_HOME:-~/.cache}/ipmi-sim/sdr)')
    .addHelpText('after', example('  ipmi-sim sdr cache path\n  ipmi-sim sdr cache clear --all'));
  cache
    .command('clear')
    .description("remove the cached SDRs of the BMC selected by -H/-p (or every BMC's with --all)")
    .option('--all', 'remove the cache of every BMC')
    .addHelpText('after', example('  ipmi-sim -H 10.0.0.5 sdr cache clear\n  ipmi-sim sdr cache clear --all'))
    .action(async (opts: { all?: boolean }, cmd: Command) => {
      await ctx.local(cmd, (out) => {
        if (opts.all) {
          const n = clearSdrCache(ctx.io.env);
          out.text(`Removed ${n} cache file(s) from ${sdrCacheDir(ctx.io.env)}\n`);
          return;
        }
        const s = ctx.settings(cmd);
        const n = clearSdrCache(ctx.io.env, { host: s.host, port: s.port });
        out.text(n ? `Removed ${sdrCachePath(ctx.io.env, s.host, s.port)}\n` : `No SDR cache for ${s.host}:${s.port}\n`);
      });
    });
  cache
    .command('path')
    .description('print where the SDRs of the BMC selected by -H/-p are cached')
    .addHelpText('after', example('  ipmi-sim -H 10.0.0.5 sdr cache path'))
    .action(async (_o, cmd: Command) => {
      await ctx.local(cmd, (out) => {
        const s = ctx.settings(cmd);
        out.text(sdrCachePath(ctx.io.env, s.host, s.port) + '\n');
      });
    });
  return sdr;
}
