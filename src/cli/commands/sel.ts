// `sel` client commands (ipmitool lib/ipmi_sel.c syntax and output): info, list / elist
// [N | first N | last N], get, add FILE, delete, clear, time get, time set.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import type { LanClient } from '../../client/lan-client.js';
import { ExitCode, IpmiCompletionError, IpmiTimeoutError, UsageError } from '../../client/errors.js';
import { readEventBits, readSensor, readThresholds, isThresholdSensor } from '../../client/sensor-reading.js';
import { encodeWith, decodeWith } from '../../ipmi/spec.js';
import {
  addSelEntry,
  clearSel,
  ClearSelOperation,
  CLR,
  deleteSelEntry,
  getSelAllocationInfo,
  getSelEntry,
  getSelInfo,
  getSelTime,
  reserveSel,
  SEL_LAST,
  SelOperations,
  setSelTime,
} from '../../ipmi/commands/storage.js';
import type { SdrRecord } from '../../ipmi/sdr/records.js';
import { decodeSel, encodeSel, type SelRecord, type SystemEventRecord } from '../../ipmi/sel/records.js';
import { sdrForSelRecord, selEventDescription, selExtraText, selSensorText } from '../../ipmi/sel/describe.js';
import { sensorTypeName } from '../../ipmi/tables/sensor-types.js';
import { CC, completionCodeName } from '../../protocol/completion-codes.js';
import { localToEpoch } from '../../util/tz.js';
import { example } from '../help.js';
import type { CliContext, Output } from '../context.js';
import { parseCInt, parseCUnsigned } from '../c-numbers.js';
import { fruLocatorText } from '../fru-print.js';
import { loadSdrs } from '../sdrs.js';
import { outputModes, writeTable, type Modes } from '../output/modes.js';
import { eventOnlyBlock } from '../output/sdr-text.js';
import { sensorGetBlock } from '../output/sensor-text.js';
import { selExtendedBlock, selInfoText, selLine, selTableRow, selVerboseBlock } from '../output/sel-text.js';
import { timestampNumeric, type TimeOptions } from '../output/time.js';

/** Get SEL Entry of a whole record; the next ID, or 0 after an error (ipmitool's convention). */
async function getEntry(ctx: CliContext, client: LanClient, id: number): Promise<{ next: number; record?: SelRecord }> {
  let r;
  try {
    r = await client.request(getSelEntry.netFn, getSelEntry.cmd, encodeWith(getSelEntry.request, { reservationId: 0, recordId: id, offset: 0, count: 0xff }));
  } catch (e) {
    if (!(e instanceof IpmiTimeoutError)) throw e;
    ctx.io.err(`Get SEL Entry ${id.toString(16)} command failed\n`);
    return { next: 0 };
  }
  if (r.cc !== 0) {
    ctx.io.err(`Get SEL Entry ${id.toString(16)} command failed: ${completionCodeName(r.cc, getSelEntry.completionCodes)}\n`);
    return { next: 0 };
  }
  const { nextRecordId, data } = decodeWith(getSelEntry.response, r.data);
  try {
    return { next: nextRecordId, record: decodeSel(data.subarray(0, 16)) };
  } catch {
    ctx.io.err(`Get SEL Entry ${id.toString(16)}: ${data.length} bytes, not a 16-byte record\n`);
    return { next: 0 };
  }
}

/** The entries `sel list [count]` shows: the first `count`, the last `-count`, or all (0). */
async function listEntries(ctx: CliContext, client: LanClient, count: number, entries: number, each: (r: SelRecord) => Promise<void>): Promise<void> {
  let next = 0;
  const fetch = async (id: number) => {
    let g = await getEntry(ctx, client, id);
    // "usually next_id of zero means end but retry because some hardware has quirks"
    if (g.next === 0) g = await getEntry(ctx, client, id);
    return g;
  };
  if (count < 0) {
    if (-count > entries) count = -entries;
    for (let i = 0; i < entries + count; i++) {
      const g = await fetch(next);
      if (g.next === 0) break;
      next = g.next;
    }
  }
  let n = 0;
  const seen = new Set<number>();
  while (next !== SEL_LAST) {
    if (seen.has(next)) break;
    seen.add(next);
    const g = await fetch(next);
    if (g.next === 0 || !g.record) break;
    next = g.next;
    await each(g.record);
    if (++n === count) break;
  }
}

/** --json for a SEL record: its decoded fields plus the texts `sel elist` shows. */
function selJson(rec: SelRecord, sdrs: readonly SdrRecord[] | undefined): Record<string, unknown> {
  const j: Record<string, unknown> = { ...rec };
  if (rec.kind !== 'system') return j;
  const sdr = sdrs ? sdrForSelRecord(sdrs, rec) : undefined;
  j.sensorTypeName = sensorTypeName(rec.sensorType);
  j.sensor = selSensorText(rec, sdr?.idString);
  if (sdr) j.idString = sdr.idString;
  j.eventDescription = selEventDescription(rec) ?? null;
  j.extra = selExtraText(rec, sdr?.kind === 'full' ? sdr : undefined) ?? null;
  return j;
}

async function readInfo(client: LanClient) {
  return client.invoke(getSelInfo, {});
}

async function reserve(client: LanClient, out: Output): Promise<number | undefined> {
  const r = await client.request(reserveSel.netFn, reserveSel.cmd);
  if (r.cc !== 0) {
    // ipmitool prints this one on stdout, without a newline.
    out.text(`Unable to reserve SEL: ${completionCodeName(r.cc, reserveSel.completionCodes)}`);
    return undefined;
  }
  return decodeWith(reserveSel.response, r.data).reservationId;
}

/** `sel time set` argument: "MM/DD/YYYY HH:MM:SS" (or a 2-digit year, as %x %X parses), or "now". */
export function parseSelTime(text: string, t: TimeOptions): number {
  if (/^now$/i.test(text.trim())) return Math.floor(Date.now() / 1000);
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})\s+(\d{1,2}):(\d{1,2}):(\d{1,2})\s*$/.exec(text);
  if (!m) throw new UsageError('Specified time could not be parsed (expected "MM/DD/YYYY HH:MM:SS" or "now")');
  let [mon, day, year, h, min, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  // strptime %y: 69-99 are 19xx, 00-68 20xx.
  if (m[3]!.length === 2) year += year >= 69 ? 1900 : 2000;
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) throw new UsageError('Specified time could not be parsed');
  const epoch = t.utc ? Date.UTC(year, mon - 1, day, h, min, s) / 1000 : localToEpoch(year, mon, day, h, min, s, (t.env ?? process.env).TZ);
  if (!(epoch >= 0 && epoch <= 0xfffffffe)) throw new UsageError('Specified time is out of range');
  return epoch;
}

/** `sel add` file lines: seven bytes (EvM rev, sensor type, number, direction|type, data 1-3), # comments. */
export function parseSelAddLine(line: string): { bytes: number[]; ok: boolean } | undefined {
  const text = line.replace(/#.*$/, '').trim();
  if (text === '') return undefined;
  const bytes = [0, 0, 0, 0, 0, 0, 0, 0];
  let i = 0;
  for (const tok of text.split(' ').filter((t) => t !== '')) {
    if (i === 7) break;
    const j = i++;
    const v = parseCUnsigned(tok, 255);
    if (v === undefined) break;
    bytes[j] = v;
  }
  return { bytes, ok: i >= 7 };
}

export function selCommand(ctx: CliContext): Command {
  const sel = new Command('sel').description('System Event Log: show, add, delete, clear entries; get and set the SEL clock').addHelpText('after', example('  ipmi-sim sel elist\n  ipmi-sim sel list last 10\n  ipmi-sim sel clear'));

  sel
    .command('info', { isDefault: true })
    .description('print SEL information (Get SEL Info, Get SEL Allocation Info)')
    .addHelpText('after', example('  ipmi-sim sel info'))
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const m = outputModes(ctx, ctx.globals(cmd), out);
        const info = await readInfo(client);
        const alloc = info.operations & SelOperations.AllocationInfo ? await client.invoke(getSelAllocationInfo, {}) : undefined;
        if (m.json) return m.json({ ...info, overflow: (info.operations & SelOperations.Overflow) !== 0, ...(alloc ? { allocation: alloc } : {}) });
        out.text(selInfoText(info, alloc, { utc: m.utc, env: ctx.io.env }));
      });
    });

  const listLike = (name: 'list' | 'elist', help: string) =>
    sel
      .command(name)
      .description(help)
      .argument('[args...]', 'N (the first N), first N, or last N')
      .addHelpText('after', example(`  ipmi-sim sel ${name}\n  ipmi-sim sel ${name} last 10\n  ipmi-sim -c sel ${name}`))
      .action(async (args: string[], _o, cmd: Command) => {
        const count = ctx.args(cmd, () => {
          if (args.length > 2) throw new UsageError(`usage: sel ${name} [N | first N | last N]`);
          const countText = args.length === 2 ? args[1]! : args[0];
          if (args.length === 2 && args[0] !== 'first' && args[0] !== 'last') throw new UsageError('Unknown sel list option');
          if (countText === undefined) return 0;
          const n = parseCInt(countText);
          if (n === undefined) throw new UsageError(`Numeric argument required; got '${countText}'`);
          return args[0] === 'last' ? -n : n;
        });
        if (count === undefined) return;
        await ctx.run(cmd, async (client, out, settings) => {
          const o = ctx.globals(cmd);
          const m = outputModes(ctx, o, out);
          const info = await readInfo(client);
          if (info.entries === 0) {
            if (m.json) return m.json([]);
            ctx.io.err('SEL has no entries\n');
            return;
          }
          const sdrs = name === 'elist' ? (await loadSdrs(ctx.io, o, client, settings)).entries.map((e) => e.record) : undefined;
          const time = { utc: m.utc, env: ctx.io.env };
          const json: unknown[] = [];
          const rows: string[][] = [];
          await listEntries(ctx, client, count, info.entries, async (rec) => {
            if (m.json) json.push(selJson(rec, sdrs));
            else if (m.table) rows.push(selTableRow(rec, { ...(sdrs ? { sdrs } : {}), time }));
            else if (m.verbose && !m.csv) out.text(selVerboseBlock(rec, time));
            else out.text(selLine(rec, { csv: m.csv, sdrs, time }) + '\n');
          });
          if (m.json) m.json(json);
          else if (m.table) writeTable(out, ['ID', 'Date', 'Time', 'Sensor', 'Event', 'Direction', 'Detail'], rows);
        });
      });
  listLike('list', 'list SEL entries (sensor numbers)');
  listLike('elist', 'list SEL entries with sensor names from the SDRs and threshold readings');

  sel
    .command('get')
    .description('print SEL entries in full, with the sensor they name')
    .argument('<id...>', 'record IDs (decimal or 0x hex)')
    .addHelpText('after', example('  ipmi-sim sel get 0x1'))
    .action(async (ids: string[], _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const time = { utc: m.utc, env: ctx.io.env };
        let sdrs: SdrRecord[] | undefined;
        const json: unknown[] = [];
        let rc: number = ExitCode.Ok;
        for (const [i, text] of ids.entries()) {
          const id = parseCUnsigned(text, 0xffff);
          if (id === undefined) {
            ctx.io.err(`Given SEL ID '${text}' is invalid.\n`);
            rc = ExitCode.Failure;
            continue;
          }
          const g = await getEntry(ctx, client, id);
          if (g.next === 0 || !g.record) {
            rc = ExitCode.Failure;
            continue;
          }
          const rec = g.record;
          if (rec.kind === 'system' && rec.sensorNumber === 0 && rec.sensorType === 0 && rec.recordType === 0) {
            ctx.io.err(`SEL Entry 0x${id.toString(16)} not found\n`);
            rc = ExitCode.Failure;
            continue;
          }
          sdrs ??= (await loadSdrs(ctx.io, o, client, settings)).entries.map((e) => e.record);
          const sdr = rec.kind === 'system' ? sdrForSelRecord(sdrs, rec) : undefined;
          if (m.json) {
            json.push(selJson(rec, sdrs));
            continue;
          }
          out.text(selExtendedBlock(rec, sdr, time));
          if (sdr) out.text(await sdrText(client, sdr, sdrs, { verbose: Math.max(1, m.verbose), time, io: ctx.io }));
          if (ids.length > 1 && i < ids.length - 1) out.text('----------------------\n\n');
        }
        if (m.json) m.json(json);
        return rc;
      });
    });

  sel
    .command('add')
    .description('add events from a file: one per line, "EVMREV TYPE NUMBER DIR|EVENTTYPE DATA1 DATA2 DATA3"')
    .argument('<file>', 'event file (# starts a comment)')
    .addHelpText('after', example('  ipmi-sim sel add events.txt\nwhere events.txt has lines such as\n  0x04 0x23 0x00 0x6f 0x01 0xff 0xff   # watchdog 2: hard reset'))
    .action(async (file: string, _o, cmd: Command) => {
      let text: string;
      try {
        text = readFileSync(file, 'latin1');
      } catch (e) {
        ctx.fail(new UsageError(`Unable to open file '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`), ctx.globals(cmd));
        return;
      }
      await ctx.run(cmd, async (client, out) => {
        const m = outputModes(ctx, ctx.globals(cmd), out);
        const time = { utc: m.utc, env: ctx.io.env };
        const added: unknown[] = [];
        for (const line of text.split('\n')) {
          const p = parseSelAddLine(line.replace(/\r$/, ''));
          if (!p) continue;
          if (!p.ok) {
            ctx.io.err(`Invalid Event: ${p.bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}\n`);
            continue;
          }
          const [evmRevision, sensorType, sensorNumber, dirType, eventData1, eventData2, eventData3] = p.bytes as [number, number, number, number, number, number, number];
          const rec: SystemEventRecord = {
            kind: 'system',
            recordId: 0,
            recordType: 0x02,
            timestamp: 0,
            // System management software, software ID 1 (IPMI v2.0 §5.5): what ipmitool sends.
            generatorId: 0x41,
            evmRevision,
            sensorType,
            sensorNumber,
            eventDirection: dirType & 0x80 ? 'deassertion' : 'assertion',
            eventReadingType: dirType & 0x7f,
            eventData1,
            eventData2,
            eventData3,
          };
          if (!m.json) out.text(selLine(rec, { csv: m.csv, time }) + '\n');
          const r = await client.request(addSelEntry.netFn, addSelEntry.cmd, encodeWith(addSelEntry.request, { record: encodeSel(rec) }));
          if (r.cc !== 0) throw new IpmiCompletionError(r.cc, addSelEntry.netFn, addSelEntry.cmd, addSelEntry.name, addSelEntry.completionCodes, `Add SEL Entry failed: ${completionCodeName(r.cc, addSelEntry.completionCodes)}`);
          added.push({ ...rec, recordId: decodeWith(addSelEntry.response, r.data).recordId });
        }
        if (m.json) m.json(added);
      });
    });

  sel
    .command('delete')
    .description('delete SEL entries by record ID')
    .argument('<id...>', 'record IDs (decimal or 0x hex)')
    .addHelpText('after', example('  ipmi-sim sel delete 3 4'))
    .action(async (ids: string[], _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const m = outputModes(ctx, ctx.globals(cmd), out);
        let reservationId = await reserve(client, out);
        if (reservationId === undefined) return ExitCode.Failure;
        let rc: number = ExitCode.Ok;
        const deleted: number[] = [];
        const del = (recordId: number) => client.request(deleteSelEntry.netFn, deleteSelEntry.cmd, encodeWith(deleteSelEntry.request, { reservationId: reservationId!, recordId }));
        // ipmitool deletes from the last argument to the first.
        for (const text of [...ids].reverse()) {
          const id = parseCUnsigned(text, 0xffff);
          if (id === undefined) {
            ctx.io.err(`Given SEL ID '${text}' is invalid.\n`);
            rc = ExitCode.Failure;
            continue;
          }
          let r = await del(id);
          // A BMC may cancel the reservation when an entry goes (ipmitool then fails the rest): reserve again.
          if (r.cc === CC.ReservationCancelled) {
            reservationId = await reserve(client, out);
            if (reservationId === undefined) return ExitCode.Failure;
            r = await del(id);
          }
          if (r.cc !== 0) {
            ctx.io.err(`Unable to delete entry ${id}: ${completionCodeName(r.cc, deleteSelEntry.completionCodes)}\n`);
            rc = ExitCode.Failure;
          } else {
            deleted.push(id);
            if (!m.json) out.text(`Deleted entry ${id}\n`);
          }
        }
        if (m.json) m.json({ deleted });
        return rc;
      });
    });

  sel
    .command('clear')
    .description('erase the SEL')
    .addHelpText('after', example('  ipmi-sim sel clear'))
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const m = outputModes(ctx, ctx.globals(cmd), out);
        const reservationId = await reserve(client, out);
        if (reservationId === undefined) return ExitCode.Failure;
        const r = await client.request(clearSel.netFn, clearSel.cmd, encodeWith(clearSel.request, { reservationId, confirm: CLR, operation: ClearSelOperation.InitiateErase }));
        if (r.cc !== 0) throw new IpmiCompletionError(r.cc, clearSel.netFn, clearSel.cmd, clearSel.name, clearSel.completionCodes, `Unable to clear SEL: ${completionCodeName(r.cc, clearSel.completionCodes)}`);
        if (m.json) return m.json({ cleared: true });
        out.text('Clearing SEL.  Please allow a few seconds to erase.\n');
      });
    });

  const time = sel.command('time').description('get or set the SEL clock').addHelpText('after', example('  ipmi-sim sel time get\n  ipmi-sim sel time set now'));
  const printTime = async (client: LanClient, m: Modes, out: Output) => {
    const r = await client.request(getSelTime.netFn, getSelTime.cmd);
    if (r.cc !== 0) throw new IpmiCompletionError(r.cc, getSelTime.netFn, getSelTime.cmd, getSelTime.name, undefined, `Get SEL Time command failed: ${completionCodeName(r.cc)}`);
    const { time: t } = decodeWith(getSelTime.response, r.data);
    const text = timestampNumeric(t, { utc: m.utc, env: ctx.io.env });
    if (m.json) m.json({ time: t, text });
    else out.text(text + '\n');
  };
  time
    .command('get')
    .description('print the SEL clock')
    .addHelpText('after', example('  ipmi-sim sel time get\n  ipmi-sim -Z sel time get'))
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => printTime(client, outputModes(ctx, ctx.globals(cmd), out), out));
    });
  time
    .command('set')
    .description('set the SEL clock: "MM/DD/YYYY HH:MM:SS" in local time (UTC with -Z), or now')
    .argument('<time>', '"MM/DD/YYYY HH:MM:SS" or now')
    .addHelpText('after', example('  ipmi-sim sel time set "11/24/2026 09:30:00"\n  ipmi-sim sel time set now'))
    .action(async (text: string, _o, cmd: Command) => {
      const o = ctx.globals(cmd);
      const t = ctx.args(cmd, () => parseSelTime(text, { utc: !!o.Z, env: ctx.io.env }));
      if (t === undefined) return;
      await ctx.run(cmd, async (client, out) => {
        const m = outputModes(ctx, o, out);
        const r = await client.request(setSelTime.netFn, setSelTime.cmd, encodeWith(setSelTime.request, { time: t }));
        if (r.cc !== 0) throw new IpmiCompletionError(r.cc, setSelTime.netFn, setSelTime.cmd, setSelTime.name, undefined, `Set SEL Time command failed: ${completionCodeName(r.cc)}`);
        await printTime(client, m, out);
      });
    });

  return sel;
}

/** What `sel get` prints after the entry: the sensor (as `sensor get`), then its entity's FRUs. */
async function sdrText(client: LanClient, sdr: Exclude<SdrRecord, { kind: 'raw' }> & { sensorNumber: number }, sdrs: readonly SdrRecord[], opts: { verbose: number; time: TimeOptions; io: CliContext['io'] }): Promise<string> {
  let text = '';
  if (sdr.kind === 'full' || sdr.kind === 'compact') {
    const v = await readSensor(client, sdr);
    const threshold = isThresholdSensor(sdr);
    const thresholds = threshold ? await readThresholds(client, sdr) : undefined;
    text += sensorGetBlock(v, thresholds, threshold ? await readEventBits(client, sdr, 'status') : undefined, threshold ? await readEventBits(client, sdr, 'enable') : undefined);
  } else if (sdr.kind === 'eventOnly') {
    text += eventOnlyBlock(sdr);
  } else {
    return '';
  }
  const entityId = sdr.entityId;
  const instance = sdr.entityInstance;
  for (const r of sdrs) {
    if (r.kind !== 'fruLocator' || r.entityId !== entityId || (r.entityInstance & 0x7f) !== instance) continue;
    const p = await fruLocatorText(client, r, opts);
    if (p) text += p.text;
  }
  return text;
}

