// `sensor` client commands (ipmitool lib/ipmi_sensor.c syntax and output): list, get, thresh,
// reading; plus `sensor set`, which writes a simulated reading or state through Set Sensor
// Reading And Event Status (netFn 04h, cmd 30h), and `sensor list --watch`.

import { Command, Option } from 'commander';
import type { LanClient } from '../../client/lan-client.js';
import { ExitCode, IpmiCompletionError, OperationError, UsageError } from '../../client/errors.js';
import { hasNumericUnits, isThresholdSensor, readEventBits, readSensor, readThresholds, type ReadableSensorRecord, type SensorValue } from '../../client/sensor-reading.js';
import { encodeWith } from '../../ipmi/spec.js';
import { getSensorReading, setSensorReadingAndEventStatus, setSensorThresholds, StatusBitsOp, type ThresholdBytes } from '../../ipmi/commands/sensor-event.js';
import { ipmitoolUnitsToRaw, rawToUnits, unitsToRaw } from '../../ipmi/sdr/conversion.js';
import type { EventOnlySensorRecord, FullSensorRecord } from '../../ipmi/sdr/records.js';
import { eventStateRows } from '../../ipmi/tables/event-types.js';
import { formatFixed, formatReading } from '../../ipmi/printf.js';
import { unitString } from '../../ipmi/tables/units.js';
import { CC, completionCodeName } from '../../protocol/completion-codes.js';
import { example } from '../help.js';
import type { CliContext, Output } from '../context.js';
import { findSdrById, loadSdrs, type SdrEntry } from '../sdrs.js';
import { outputModes, type Modes } from '../output/modes.js';
import { sensorJson, tidy } from '../output/sdr-json.js';
import { recordText, pad16 } from '../output/sdr-text.js';
import { sensorGetBlock, sensorListRow, type Thresholds } from '../output/sensor-text.js';
import { renderTable } from '../output/table.js';
import { statusColor } from '../output/color.js';

type Reading = { v: SensorValue; thresholds: Thresholds | undefined };

/** Reading and (threshold sensors) thresholds of every full and compact record, in SDR order. */
async function readAll(client: LanClient, records: readonly ReadableSensorRecord[], stop?: () => boolean): Promise<Reading[]> {
  const out: Reading[] = [];
  for (const r of records) {
    if (stop?.()) break;
    const v = await readSensor(client, r);
    out.push({ v, thresholds: isThresholdSensor(r) ? await readThresholds(client, r) : undefined });
  }
  return out;
}

const readable = (entries: readonly SdrEntry[]): ReadableSensorRecord[] =>
  entries.map((e) => e.record).filter((r): r is ReadableSensorRecord => r.kind === 'full' || r.kind === 'compact');

function listText(readings: Reading[], m: Modes): string {
  return readings.map(({ v, thresholds }) => sensorListRow(v, thresholds, { csv: m.csv, color: m.color }) + '\n').join('');
}

function listTable(readings: Reading[], color: boolean): string {
  const rows = readings.map(({ v, thresholds }) => {
    const cols = sensorListRow(v, thresholds, { csv: false }).split('|').map((c) => c.trim());
    if (color) cols[3] = statusColor(cols[3]!);
    return cols;
  });
  return renderTable(['Name', 'Value', 'Units', 'Status', 'LNR', 'LCR', 'LNC', 'UNC', 'UCR', 'UNR'], rows);
}

async function printList(client: LanClient, entries: readonly SdrEntry[], m: Modes, out: Output): Promise<void> {
  const records = readable(entries);
  if (m.json) {
    const readings = await readAll(client, records);
    m.json(readings.map(({ v, thresholds }) => sensorJson(v, isThresholdSensor(v.record) ? (thresholds ?? null) : undefined)));
    return;
  }
  if (m.table) {
    out.text(listTable(await readAll(client, records), m.color));
    return;
  }
  for (const r of records) {
    const [reading] = await readAll(client, [r]);
    if (m.verbose) out.text(await getBlock(client, reading!));
    else out.text(listText([reading!], m));
  }
}

async function getBlock(client: LanClient, { v, thresholds }: Reading): Promise<string> {
  const threshold = isThresholdSensor(v.record);
  const status = threshold ? await readEventBits(client, v.record, 'status') : undefined;
  const enable = threshold ? await readEventBits(client, v.record, 'enable') : undefined;
  return sensorGetBlock(v, thresholds, status, enable);
}

/** `sensor list --watch`: redraws in place on a TTY, repeats the plain output otherwise. */
async function watch(ctx: CliContext, client: LanClient, entries: readonly SdrEntry[], m: Modes, out: Output, seconds: number, count: number | undefined, where: string): Promise<void> {
  const records = readable(entries);
  let stopped = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stopped = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = ctx.io.stdoutIsTTY && !m.json && !m.csv;
  let drawn = 0;
  try {
    if (tty) out.text('\x1b[?25l');
    for (let round = 0; !stopped && (count === undefined || round < count); round++) {
      const readings = await readAll(client, records, () => stopped);
      if (stopped) break;
      if (m.json) {
        out.text(JSON.stringify({ time: new Date().toISOString(), sensors: readings.map(({ v, thresholds }) => sensorJson(v, isThresholdSensor(v.record) ? (thresholds ?? null) : undefined)) }) + '\n');
      } else if (tty) {
        const frame = `Every ${seconds}s: sensor list on ${where}    ${new Date().toLocaleTimeString()}\n\n${listTable(readings, m.color)}`;
        // Back to the top of the previous frame, clear to the end of the screen, draw.
        out.text((drawn ? `\x1b[${drawn}A\r\x1b[J` : '') + frame);
        drawn = frame.split('\n').length - 1;
      } else {
        out.text(listText(readings, m) + (count === undefined || round < count - 1 ? '\n' : ''));
      }
      if (count !== undefined && round === count - 1) break;
      // Sleep until the next refresh; a signal wakes it early.
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, seconds * 1000);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
        if (stopped) wake();
      });
    }
  } finally {
    if (tty) out.text('\x1b[?25h');
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// ---- thresh ------------------------------------------------------------------------------------

const THRESHOLDS = {
  unr: { bit: 0x20, index: 5, label: 'Upper Non-Recoverable' },
  ucr: { bit: 0x10, index: 4, label: 'Upper Critical' },
  unc: { bit: 0x08, index: 3, label: 'Upper Non-Critical' },
  lnc: { bit: 0x01, index: 0, label: 'Lower Non-Critical' },
  lcr: { bit: 0x02, index: 1, label: 'Lower Critical' },
  lnr: { bit: 0x04, index: 2, label: 'Lower Non-Recoverable' },
} as const;
type ThresholdKey = keyof typeof THRESHOLDS;

/** C strtod() of the whole argument, as ipmitool's str2double. */
function str2double(s: string): number | undefined {
  if (!/^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i.test(s) && s !== '') return undefined;
  const n = Number(s.trim().replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
  return Number.isNaN(n) && !/nan/i.test(s) ? undefined : n || 0;
}

export interface ThreshArgs {
  id: string;
  settings: { key: ThresholdKey; value: number }[];
  /** Single threshold: ipmitool validates it against the others first. */
  single: boolean;
}

/** Parses `sensor thresh ID THRESH VALUE` / `ID upper UNC UCR UNR` / `ID lower LNR LCR LNC`. */
export function parseThresh(args: string[]): ThreshArgs {
  if (args.length < 3) throw new UsageError('usage: sensor thresh <id> <unr|ucr|unc|lnc|lcr|lnr> <value> | <id> upper <unc> <ucr> <unr> | <id> lower <lnr> <lcr> <lnc>');
  const [id, thresh] = args as [string, string];
  const num = (text: string, what: string) => {
    const v = str2double(text);
    if (v === undefined) throw new UsageError(`Given ${what} '${text}' is invalid.`);
    return v;
  };
  if (thresh === 'upper' || thresh === 'lower') {
    if (args.length < 5) throw new UsageError(`usage: sensor thresh <id> ${thresh} ${thresh === 'upper' ? '<unc> <ucr> <unr>' : '<lnr> <lcr> <lnc>'}`);
    const names: ThresholdKey[] = thresh === 'upper' ? ['unc', 'ucr', 'unr'] : ['lnr', 'lcr', 'lnc'];
    // ipmitool's messages call the three lower values lnc, lcr, lnr in that order.
    const msgs = thresh === 'upper' ? ['unc', 'ucr', 'unr'] : ['lnc', 'lcr', 'lnr'];
    return { id, single: false, settings: names.map((key, i) => ({ key, value: num(args[2 + i]!, msgs[i]!) })) };
  }
  if (!(thresh in THRESHOLDS)) throw new UsageError(`Valid threshold '${thresh}' for sensor '${id}' not specified!`);
  return { id, single: true, settings: [{ key: thresh as ThresholdKey, value: num(args[2]!, `${thresh} threshold value`) }] };
}

/** ipmitool's check that a single new threshold keeps the order lnr < lcr < lnc < unc < ucr < unr. */
function thresholdOrderOk(key: ThresholdKey, value: number, readableMask: number, current: number[]): boolean {
  const has = (k: ThresholdKey) => (readableMask & THRESHOLDS[k].bit) !== 0;
  // ipmitool compares with the current values in units, negative ones as 0.
  const cur = (k: ThresholdKey) => Math.max(0, current[THRESHOLDS[k].index]!);
  if (!has(key)) return true;
  switch (key) {
    case 'unr':
      return !((has('ucr') && value <= cur('ucr')) || (has('unc') && value <= cur('unc')));
    case 'ucr':
      return !((has('unr') && value >= cur('unr')) || (has('unc') && value <= cur('unc')));
    case 'unc':
      return !((has('unr') && value >= cur('unr')) || (has('ucr') && value >= cur('ucr')) || (has('lnc') && value <= cur('lnc')));
    case 'lnc':
      return !((has('lcr') && value <= cur('lcr')) || (has('lnr') && value <= cur('lnr')) || (has('unc') && value >= cur('unc')));
    case 'lcr':
      return !((has('lnc') && value >= cur('lnc')) || (has('lnr') && value <= cur('lnr')));
    case 'lnr':
      return !((has('lnc') && value >= cur('lnc')) || (has('lcr') && value >= cur('lcr')));
  }
}

/** The raw byte ipmitool sends for a threshold in units (clamped byte for non-numeric sensors). */
function thresholdRaw(full: FullSensorRecord, value: number): number {
  if (!hasNumericUnits(full)) return value > 255 ? 255 : value < 0 ? 0 : Math.trunc(value);
  return ipmitoolUnitsToRaw(value, { m: full.m, b: full.b, bExp: full.bExp, rExp: full.rExp, linearization: full.linearization, analogDataFormat: full.units.analogDataFormat });
}

// ---- set ---------------------------------------------------------------------------------------

/**
 * The state bits a `sensor set` value names for a discrete sensor: state texts (as `sdr elist`
 * prints them, case-insensitive, comma-separated), state offsets ("0,3"), a raw mask ("0x0003"),
 * or "none".
 */
export function parseStates(record: { sensorType: number; eventReadingType: number }, text: string): number {
  const t = text.trim();
  if (/^(none|)$/i.test(t)) return 0;
  if (/^0x[0-9a-f]{1,4}$/i.test(t)) {
    const mask = parseInt(t, 16);
    if (mask > 0x7fff) throw new UsageError(`state mask ${t} has bit 15 set (states are bits 0-14)`);
    return mask;
  }
  const rows = eventStateRows(record.sensorType, record.eventReadingType).filter((r) => r[2] === undefined);
  let mask = 0;
  for (const part of t.split(',').map((p) => p.trim())) {
    if (/^\d+$/.test(part)) {
      const n = Number(part);
      if (n > 14) throw new UsageError(`state offset ${n} out of range (0-14)`);
      mask |= 1 << n;
      continue;
    }
    const row = rows.find((r) => r[1].trim().toLowerCase() === part.toLowerCase());
    if (!row) {
      const names = rows.map((r) => r[1].trim());
      throw new UsageError(`"${part}" is not a state of this sensor${names.length ? `; states: ${names.join(', ')}` : ''} (or give offsets 0-14 or a mask 0xNNNN)`);
    }
    mask |= 1 << row[0];
  }
  return mask;
}

function parseRawByte(text: string): number {
  const n = /^0x[0-9a-f]{1,2}$/i.test(text) ? parseInt(text, 16) : /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= 255)) throw new UsageError(`invalid raw reading "${text}" (0-255 or 0x00-0xff)`);
  return n;
}

type SettableRecord = ReadableSensorRecord | EventOnlySensorRecord;

export interface SetPlan {
  record: SettableRecord;
  /** Threshold sensors: the raw reading to write. */
  raw?: number;
  /** Discrete sensors: the state bits to write. */
  states?: number;
}

/** Works out what `sensor set NAME VALUE` writes. */
export function planSet(record: SettableRecord, value: string, raw: boolean): SetPlan {
  if (isThresholdSensor(record)) {
    if (record.kind === 'eventOnly') throw new UsageError(`sensor "${record.idString}" is event-only: it has no reading to set`);
    if (raw || record.kind !== 'full' || !hasNumericUnits(record)) return { record, raw: parseRawByte(value) };
    const units = str2double(value);
    if (units === undefined || !Number.isFinite(units)) throw new UsageError(`invalid reading "${value}" (a number in ${unitString(record.units)}; --raw for a raw byte)`);
    const r = unitsToRaw(units, { m: record.m, b: record.b, bExp: record.bExp, rExp: record.rExp, linearization: record.linearization, analogDataFormat: record.units.analogDataFormat });
    if (r === undefined) throw new UsageError(`${value} ${unitString(record.units)} cannot be expressed as a raw reading of "${record.idString}"`);
    return { record, raw: r };
  }
  return { record, states: parseStates(record, value) };
}

function describeSet(p: SetPlan): { text: string; json: Record<string, unknown> } {
  const r = p.record;
  const base = { idString: r.idString, sensorNumber: r.sensorNumber };
  if (p.raw !== undefined) {
    if (r.kind === 'full' && hasNumericUnits(r)) {
      const f = { m: r.m, b: r.b, bExp: r.bExp, rExp: r.rExp, linearization: r.linearization, analogDataFormat: r.units.analogDataFormat };
      const value = rawToUnits(p.raw, f) ?? 0;
      const unit = unitString(r.units);
      return { text: `Setting sensor "${r.idString}" reading to ${formatReading(value, 3)} ${unit} (raw 0x${p.raw.toString(16).padStart(2, '0')})\n`, json: { ...base, rawReading: p.raw, reading: tidy(value), unit } };
    }
    return { text: `Setting sensor "${r.idString}" reading to raw 0x${p.raw.toString(16).padStart(2, '0')}\n`, json: { ...base, rawReading: p.raw, reading: null, unit: null } };
  }
  const rows = eventStateRows(r.sensorType, r.eventReadingType).filter((x) => x[2] === undefined);
  const names = rows.filter(([offset]) => (p.states! >> offset) & 1).map(([, t]) => t.trim());
  const mask = `0x${p.states!.toString(16).padStart(4, '0')}`;
  return { text: `Setting sensor "${r.idString}" states to ${names.length ? names.join(', ') : 'none'} (${mask})\n`, json: { ...base, stateBits: p.states, states: names } };
}

async function applySet(client: LanClient, p: SetPlan): Promise<void> {
  const spec = setSensorReadingAndEventStatus;
  const req =
    p.raw !== undefined
      ? { sensorNumber: p.record.sensorNumber, readingOp: 1, deassertionOp: StatusBitsOp.None, assertionOp: StatusBitsOp.None, eventDataOp: 0, reading: p.raw }
      : { sensorNumber: p.record.sensorNumber, readingOp: 0, deassertionOp: StatusBitsOp.None, assertionOp: StatusBitsOp.Write, eventDataOp: 0, reading: 0, assertion: p.states! };
  const r = await client.request(spec.netFn, spec.cmd, encodeWith(spec.request, req), p.record.sensorOwnerLun);
  if (r.cc === CC.InvalidCommand) {
    throw new IpmiCompletionError(
      r.cc,
      spec.netFn,
      spec.cmd,
      spec.name,
      spec.completionCodes,
      `Unable to set sensor "${p.record.idString}": the BMC does not implement Set Sensor Reading And Event Status (${completionCodeName(r.cc)}); only a simulator such as ipmi-sim serve accepts simulated readings`,
    );
  }
  if (r.cc !== 0) throw new IpmiCompletionError(r.cc, spec.netFn, spec.cmd, spec.name, spec.completionCodes, `Unable to set sensor "${p.record.idString}": ${completionCodeName(r.cc, spec.completionCodes)}`);
}

// ---- the command -------------------------------------------------------------------------------

export function sensorCommand(ctx: CliContext): Command {
  const sensor = new Command('sensor').description('print sensors with thresholds, set thresholds and simulated readings').addHelpText('after', example('  ipmi-sim sensor list\n  ipmi-sim sensor thresh "CPU1 Temp" ucr 92\n  ipmi-sim sensor set "CPU1 Temp" 95'));

  sensor
    .command('list', { isDefault: true })
    .description('list every sensor: reading, units, status and the six thresholds')
    .addOption(new Option('--watch <seconds>', 'refresh every SECONDS: in place on a terminal, repeated otherwise (Ctrl-C ends it)'))
    .addOption(new Option('--count <n>', 'with --watch: stop after N refreshes'))
    .addHelpText('after', example('  ipmi-sim sensor list\n  ipmi-sim -c sensor list\n  ipmi-sim sensor list --watch 2'))
    .action(async (opts: { watch?: string; count?: string }, cmd: Command) => {
      const w = ctx.args(cmd, () => {
        const seconds = opts.watch === undefined ? undefined : Number(opts.watch);
        if (seconds !== undefined && !(seconds > 0 && seconds <= 86400)) throw new UsageError(`invalid --watch "${opts.watch}" (seconds, > 0)`);
        const count = opts.count === undefined ? undefined : Number(opts.count);
        if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new UsageError(`invalid --count "${opts.count}"`);
        if (count !== undefined && seconds === undefined) throw new UsageError('--count needs --watch');
        return { seconds, count };
      });
      if (!w) return;
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        if (w.seconds !== undefined) return watch(ctx, client, entries, m, out, w.seconds, w.count, `${settings.host}:${settings.port}`);
        await printList(client, entries, m, out);
      });
    });

  sensor
    .command('get')
    .description('print a sensor\'s reading, status, thresholds and event state, by name')
    .argument('<id...>', 'sensor names')
    .addHelpText('after', example('  ipmi-sim sensor get "CPU1 Temp"'))
    .action(async (ids: string[], _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        if (!m.json) out.text('Locating sensor record...\n');
        let rc: number = ExitCode.Ok;
        const json: unknown[] = [];
        for (const id of ids) {
          const e = findSdrById(entries, id);
          if (!e) {
            ctx.io.err(`Sensor data record "${id}" not found!\n`);
            rc = ExitCode.Failure;
            continue;
          }
          const r = e.record;
          if (r.kind === 'full' || r.kind === 'compact') {
            const [reading] = await readAll(client, [r]);
            if (m.json) json.push(sensorJson(reading!.v, isThresholdSensor(r) ? (reading!.thresholds ?? null) : undefined));
            else out.text(await getBlock(client, reading!));
            if (!reading!.v.valid) rc = ExitCode.Failure;
          } else if (m.json) {
            json.push({ recordType: r.kind, ...r });
          } else {
            const text = recordText(r, { extended: false, csv: false, verbose: 1 });
            if (text) out.text(text);
          }
        }
        if (m.json) m.json(json);
        return rc;
      });
    });

  sensor
    .command('reading')
    .description('print sensor readings only: "name | value"')
    .argument('<id...>', 'sensor names')
    .addHelpText('after', example('  ipmi-sim sensor reading "CPU1 Temp" FAN1\n  ipmi-sim -c sensor reading FAN1'))
    .action(async (ids: string[], _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        let rc: number = ExitCode.Ok;
        const json: unknown[] = [];
        for (const id of ids) {
          const e = findSdrById(entries, id);
          if (!e) {
            ctx.io.err(`Sensor "${id}" not found!\n`);
            rc = ExitCode.Failure;
            continue;
          }
          const r = e.record;
          if (r.kind !== 'full' && r.kind !== 'compact') continue;
          const v = await readSensor(client, r);
          if (r.kind !== 'full' || !v.valid) continue;
          if (!v.analog) {
            ctx.io.err(`Sensor "${id}" is a discrete sensor!\n`);
            continue;
          }
          const text = formatReading(v.value, 3);
          if (m.json) json.push({ idString: id, reading: tidy(v.value), unit: v.unit });
          else out.text(m.csv ? `${id},${text}\n` : `${pad16(id)} | ${text}\n`);
        }
        if (m.json) m.json(json);
        return rc;
      });
    });

  sensor
    .command('thresh')
    .description('set sensor thresholds: ID THRESH VALUE, ID upper UNC UCR UNR, or ID lower LNR LCR LNC (in units)')
    .argument('<args...>', 'ID unr|ucr|unc|lnc|lcr|lnr VALUE  |  ID upper UNC UCR UNR  |  ID lower LNR LCR LNC')
    .addHelpText('after', example('  ipmi-sim sensor thresh "CPU1 Temp" ucr 92\n  ipmi-sim sensor thresh FAN1 lower 300 500 800'))
    .action(async (args: string[], _o, cmd: Command) => {
      const t = ctx.args(cmd, () => parseThresh(args));
      if (!t) return;
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        out.text(`Locating sensor record '${t.id}'...\n`);
        const e = findSdrById(entries, t.id);
        if (!e) throw new OperationError('Sensor data record not found!');
        const r = e.record;
        if (r.kind !== 'full') throw new OperationError(`Invalid sensor type ${e.bytes[3]!.toString(16).padStart(2, '0')}`);
        if (!isThresholdSensor(r)) throw new OperationError(`Invalid sensor event type ${r.eventReadingType.toString(16).padStart(2, '0')}`);
        if (t.single) {
          const { key, value } = t.settings[0]!;
          // ipmitool reads the sensor and its thresholds before checking the new value's order.
          await client.request(getSensorReading.netFn, getSensorReading.cmd, encodeWith(getSensorReading.request, { sensorNumber: r.sensorNumber }), r.sensorOwnerLun);
          const cur = await readThresholds(client, r);
          if (!cur) throw new OperationError('Sensor data record not found!');
          const f = { m: r.m, b: r.b, bExp: r.bExp, rExp: r.rExp, linearization: r.linearization, analogDataFormat: r.units.analogDataFormat };
          const units = cur.values.map((raw) => rawToUnits(raw, f) ?? 0);
          if (!thresholdOrderOk(key, value, cur.readable, units)) throw new OperationError('Invalid Threshold data values. Cannot Set Threshold Data.');
        }
        let rc: number = ExitCode.Ok;
        for (const { key, value } of t.settings) {
          const th = THRESHOLDS[key];
          out.text(`Setting sensor "${r.idString}" ${th.label} threshold to ${formatFixed(value, 3)}\n`);
          const values = [0, 0, 0, 0, 0, 0] as ThresholdBytes;
          values[th.index] = thresholdRaw(r, value);
          const res = await client.request(setSensorThresholds.netFn, setSensorThresholds.cmd, encodeWith(setSensorThresholds.request, { sensorNumber: r.sensorNumber, mask: th.bit, values }), r.sensorOwnerLun);
          if (res.cc !== 0) {
            ctx.io.err(`Error setting threshold: ${completionCodeName(res.cc)}\n`);
            rc = ExitCode.Failure;
          } else {
            rc = ExitCode.Ok;
          }
        }
        return rc;
      });
    });

  sensor
    .command('set')
    .description('set a simulated reading (threshold sensors, in units) or state (discrete sensors) with Set Sensor Reading And Event Status')
    .argument('<id>', 'sensor name')
    .argument('<value>', 'reading in units (e.g. 95), or for discrete sensors: state names "Presence detected,Failure detected", offsets "0,1", a mask 0x0003, or none')
    .option('--raw', 'VALUE is the raw reading byte (0-255 or 0xNN)')
    .addHelpText(
      'after',
      example('  ipmi-sim sensor set "CPU1 Temp" 95          # crosses UNC and UCR: events in sel elist\n  ipmi-sim sensor set "PSU1 Status" "Presence detected,Failure detected"\n  ipmi-sim sensor set FAN1 0x20 --raw'),
    )
    .action(async (id: string, value: string, opts: { raw?: boolean }, cmd: Command) => {
      await ctx.run(cmd, async (client, out, settings) => {
        const o = ctx.globals(cmd);
        const m = outputModes(ctx, o, out);
        const { entries } = await loadSdrs(ctx.io, o, client, settings);
        const e = findSdrById(entries, id);
        if (!e) throw new OperationError(`Sensor data record "${id}" not found!`);
        const r = e.record;
        if (r.kind !== 'full' && r.kind !== 'compact' && r.kind !== 'eventOnly') throw new OperationError(`"${id}" is not a sensor`);
        const plan = planSet(r, value, !!opts.raw);
        const d = describeSet(plan);
        if (!m.json) out.text(`Locating sensor record '${id}'...\n` + d.text);
        await applySet(client, plan);
        if (m.json) m.json(d.json);
      });
    });

  return sensor;
}
