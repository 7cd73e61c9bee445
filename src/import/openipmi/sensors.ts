// One ipmi_sim sensor (its state after the emulator commands ran) and the SDR that describes it
// → one entry of ipmi-sim's `sensors:` section, and the entry of `sdr.records` that serves its
// SDR: the generated record when it equals ipmi_sim's byte for byte, else the bytes.
//
// Every entry is checked by loading it with the real config parser and comparing what the BMC
// will answer (raw reading, thresholds, hysteresis, masks, state) with what ipmi_sim answers; a
// difference the config cannot express is an ImportError naming the statement.

import { parseConfig } from '../../bmc/config/load.js';
import { ConfigError } from '../../bmc/config/schema.js';
import { isThreshold, rawHysteresis, rawThresholds, sensorSdr, thresholdMask, type SensorConfig } from '../../bmc/state/sensor-records.js';
import { isNonLinear, Linearization, rawToSigned, rawToUnits, unitsToHysteresis, unitsToRaw, type ConversionFactors } from '../../ipmi/sdr/conversion.js';
import { decodeSdr, encodeSdr, type SdrRecord, type SensorUnits } from '../../ipmi/sdr/records.js';
import { entityIdNames } from '../../ipmi/tables/entity-ids.js';
import { eventStateRows } from '../../ipmi/tables/event-types.js';
import { sensorTypeNames } from '../../ipmi/tables/sensor-types.js';
import { thresholdLabels, thresholdOrder } from '../../ipmi/tables/thresholds.js';
import { ModifierUnitRelation, unitNames } from '../../ipmi/tables/units.js';
import { stringify } from 'yaml';
import type { SimSensor } from './emu.js';
import type { Notes } from './notes.js';
import { ImportError, posText, type SourcePos } from './words.js';

/** An SDR from main_sdr_add, with where it was added. */
export interface SourceSdr {
  at: SourcePos;
  bytes: Uint8Array;
}

export interface ConvertedSensor {
  name: string;
  number: number;
  /** The `sensors:` entry. */
  entry: Record<string, unknown>;
  /** What the entry loads as. */
  config: SensorConfig;
}

const ACCESS_NAMES = ['none', 'readable', 'settable', 'fixed'] as const;
const EVENT_CONTROL_NAMES = ['per-event', 'sensor', 'global', 'none'] as const;
const FORMAT_NAMES = ['unsigned', 'ones-complement', 'twos-complement'] as const;
const LINEARIZATION_NAMES: Record<number, string> = {
  [Linearization.Linear]: 'linear',
  [Linearization.Ln]: 'ln',
  [Linearization.Log10]: 'log10',
  [Linearization.Log2]: 'log2',
  [Linearization.E]: 'e',
  [Linearization.Exp10]: 'exp10',
  [Linearization.Exp2]: 'exp2',
  [Linearization.OneOverX]: '1/x',
  [Linearization.Sqr]: 'sqr',
  [Linearization.Cube]: 'cube',
  [Linearization.Sqrt]: 'sqrt',
  [Linearization.CubeRoot]: 'cuberoot',
};

/** Event/reading type codes by the config's names for them. */
const EVENT_TYPE_NAMES: Record<number, string> = {
  0x01: 'threshold',
  0x02: 'usage',
  0x03: 'state',
  0x04: 'predictive-failure',
  0x05: 'limit',
  0x06: 'performance',
  0x07: 'severity',
  0x08: 'presence',
  0x09: 'enabled',
  0x0a: 'availability',
  0x0b: 'redundancy',
  0x0c: 'acpi-power',
  0x6f: 'sensor-specific',
};

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9%]/g, '');

/** The shortest decimal that is the exact value (up to float noise) and converts back to the same raw value. */
function units(raw: number, toRaw: (u: number) => number | undefined, exact: number): number {
  for (let digits = 1; digits <= 15; digits++) {
    const v = Number(exact.toPrecision(digits));
    if (Math.abs(v - exact) <= 1e-9 * Math.max(1, Math.abs(exact)) && toRaw(v) === raw) return v;
  }
  return exact;
}

function unitText(u: SensorUnits): string | undefined {
  const name = (code: number) => unitNames[code];
  const base = name(u.baseUnit);
  if (base === undefined || base === 'reserved') return undefined;
  if (u.percentage && u.baseUnit === 0 && u.modifierUnitRelation === ModifierUnitRelation.None) return 'percent';
  const mod = name(u.modifierUnit);
  let text = base;
  if (u.modifierUnitRelation === ModifierUnitRelation.Divide && mod) text = `${base}/${mod}`;
  else if (u.modifierUnitRelation === ModifierUnitRelation.Multiply && mod) text = `${base}*${mod}`;
  return u.percentage ? `% ${text}` : text;
}

/** Threshold event offsets (bits 0-11) the way the config writes them: lnc- ... unr+. */
function thresholdEventNames(mask: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 12; bit++) {
    if (!((mask >> bit) & 1)) continue;
    out.push(`${thresholdLabels[thresholdOrder[bit >> 1]!].abbreviation}${bit & 1 ? '+' : '-'}`);
  }
  return out;
}

/** Discrete state offsets as names where the state table names them unambiguously. */
function stateList(mask: number, sensorType: number, ert: number): (string | number)[] {
  const rows = eventStateRows(sensorType, ert).filter(([o]) => o < 15);
  const out: (string | number)[] = [];
  for (let bit = 0; bit < 15; bit++) {
    if (!((mask >> bit) & 1)) continue;
    const named = rows.filter(([o]) => o === bit);
    const text = named[0]?.[1];
    const unique = text !== undefined && named.length === 1 && rows.filter(([, t]) => norm(t) === norm(text)).length === 1 && text.toLowerCase() !== 'reserved';
    out.push(unique ? text.trim() : bit);
  }
  return out;
}

/** Loads one sensor entry with the config parser. */
function load(entry: Record<string, unknown>, at: SourcePos): SensorConfig {
  try {
    return parseConfig(stringify({ sensors: [entry] }), '<converted sensor>').sensors[0]!;
  } catch (e) {
    if (e instanceof ConfigError) throw new ImportError(at, `the sensor cannot be expressed: ${e.message.replace(/^<converted sensor>:\d+:\d+: sensors\[0\]\.?/, '')}`);
    throw e;
  }
}

/** Decodes an SDR; a record that does not decode is still served as bytes. */
export function decodeOrUndefined(bytes: Uint8Array): SdrRecord | undefined {
  try {
    return decodeSdr(bytes);
  } catch {
    return undefined;
  }
}

export function convertSensor(s: SimSensor, sdr: SourceSdr | undefined, usedNames: Set<string>, notes: Notes): ConvertedSensor {
  const at = s.at;
  if (s.lun !== 0) throw new ImportError(at, `sensor ${s.number} is on LUN ${s.lun}; ipmi-sim's sensors are all on LUN 0`);
  const rec = sdr ? decodeOrUndefined(sdr.bytes) : undefined;
  const sensorRec = rec && (rec.kind === 'full' || rec.kind === 'compact' || rec.kind === 'eventOnly') ? rec : undefined;

  let name = sensorRec?.idString ?? '';
  if (!/^[\x20-\x7e]{1,16}$/.test(name)) {
    const fallback = `Sensor ${s.number}`;
    if (sensorRec) notes.info(at, `sensor ${s.number}: its SDR's ID string ${JSON.stringify(name)} is not a printable name; named "${fallback}" in the config (the SDR keeps its bytes)`);
    else if (sdr) notes.info(at, `sensor ${s.number}: its SDR (${posText(sdr.at)}) does not decode; named "${fallback}" in the config (the SDR keeps its bytes)`);
    else notes.info(at, `sensor ${s.number} has no SDR (ipmi_sim serves none for it; neither will ipmi-sim): named "${fallback}", entity system board${s.eventReadingType === 0x01 ? ', values in raw counts (m = 1)' : ''}`);
    name = fallback;
  }
  if (usedNames.has(name)) {
    let i = 2;
    while (usedNames.has(`${name.slice(0, 13)} #${i}`)) i++;
    const unique = `${name.slice(0, 13)} #${i}`;
    notes.info(at, `sensor ${s.number}: the name "${name}" is taken; named "${unique}" in the config (the SDR keeps its bytes)`);
    name = unique;
  }
  usedNames.add(name);

  const entry: Record<string, unknown> = { name, number: s.number };
  const typeName = sensorTypeNames[s.sensorType];
  entry.type = typeName && s.sensorType > 0 ? typeName : s.sensorType;
  const threshold = s.eventReadingType === 0x01;
  if (!threshold && (s.eventReadingType === 0 || s.eventReadingType > 0x7f || (s.eventReadingType > 0x0c && s.eventReadingType < 0x6f))) {
    throw new ImportError(at, `event/reading type 0x${s.eventReadingType.toString(16)} is reserved; ipmi-sim cannot serve it`);
  }
  entry.eventType = EVENT_TYPE_NAMES[s.eventReadingType] ?? s.eventReadingType;
  if (s.eventOnly) {
    if (threshold) throw new ImportError(at, `sensor ${s.number} is an event-only threshold sensor; ipmi-sim's threshold sensors have full records`);
    entry.record = 'event-only';
  }
  // Entity ID and instance are bytes 8-9 of every sensor record, also of one that does not decode.
  const entity = sdr && sdr.bytes.length >= 10 ? { id: sdr.bytes[8]!, instance: sdr.bytes[9]! } : undefined;
  if (entity) {
    const ent = entityIdNames.get(entity.id);
    entry.entity = `${ent && !/^unknown$/i.test(ent) ? ent.toLowerCase() : entity.id}.${entity.instance & 0x7f}`;
  }
  entry.events = s.eventsEnabled;
  entry.scanning = s.scanningEnabled;
  entry.eventControl = EVENT_CONTROL_NAMES[s.eventSupport & 3];

  let factors: ConversionFactors | undefined;
  if (threshold) factors = analogFields(s, sensorRec, entry, notes);
  else discreteFields(s, entry);
  if (s.poll) pollSource(s, factors, entry, notes);

  let cfg = load(entry, at);
  // Names the parser resolves differently fall back to codes.
  if (cfg.sensorType !== s.sensorType) {
    entry.type = s.sensorType;
    cfg = load(entry, at);
  }
  if (entity && (cfg.entityId !== entity.id || cfg.entityInstance !== (entity.instance & 0x7f))) {
    entry.entity = `${entity.id}.${entity.instance & 0x7f}`;
    cfg = load(entry, at);
  }
  if (!threshold && !discreteMatches(cfg, s)) {
    // A state name the parser resolves to another offset: give offsets.
    entry.assertions = bitsOf(s.assertSupported);
    entry.deassertions = bitsOf(s.deassertSupported);
    if (entry.assertionsEnabled !== undefined) entry.assertionsEnabled = bitsOf(s.assertEnabled);
    if (entry.deassertionsEnabled !== undefined) entry.deassertionsEnabled = bitsOf(s.deassertEnabled);
    if (entry.states !== undefined) entry.states = bitsOf(s.eventStatus);
    cfg = load(entry, at);
  }
  verify(s, cfg, factors, notes);
  return { name, number: s.number, entry, config: cfg };
}

const bitsOf = (mask: number) => [...Array(15).keys()].filter((b) => (mask >> b) & 1);

function discreteMatches(cfg: SensorConfig, s: SimSensor): boolean {
  const states = cfg.source.kind === 'fixed' ? cfg.source.value : s.eventStatus;
  return (
    states === s.eventStatus &&
    cfg.assertionMask === s.assertSupported &&
    cfg.deassertionMask === s.deassertSupported &&
    (cfg.assertionsEnabled ?? cfg.assertionMask) === s.assertEnabled &&
    (cfg.deassertionsEnabled ?? cfg.deassertionMask) === s.deassertEnabled
  );
}

function analogFields(s: SimSensor, rec: SdrRecord | undefined, entry: Record<string, unknown>, notes: Notes): ConversionFactors {
  let f: ConversionFactors;
  let tolerance = 0;
  if (rec?.kind === 'full') {
    f = { m: rec.m, b: rec.b, bExp: rec.bExp, rExp: rec.rExp, linearization: rec.linearization, analogDataFormat: rec.units.analogDataFormat };
    tolerance = rec.tolerance;
    if (isNonLinear(f.linearization)) throw new ImportError(s.at, `sensor ${s.number}: non-linear conversion (linearization 0x${f.linearization.toString(16)}) needs Get Sensor Reading Factors, which ipmi-sim does not serve`);
    if (LINEARIZATION_NAMES[f.linearization] === undefined) throw new ImportError(s.at, `sensor ${s.number}: linearization 0x${f.linearization.toString(16)} is reserved`);
    if (f.analogDataFormat === 3) throw new ImportError(s.at, `sensor ${s.number}: a threshold sensor whose SDR says "no analog reading" cannot be expressed`);
    if (f.m === 0) throw new ImportError(s.at, `sensor ${s.number}: M = 0 in its SDR, so no reading converts back to a raw value`);
    const unit = unitText(rec.units);
    if (unit) entry.unit = unit;
  } else {
    // No full record: readings are the raw counts (ipmitool shows them the same way only if
    // an SDR says so; without one it shows nothing).
    f = { m: 1, b: 0, bExp: 0, rExp: 0, linearization: 0, analogDataFormat: 0 };
    if (rec) notes.info(s.at, `threshold sensor ${s.number} has a ${rec.kind} SDR, without conversion factors: its values are given in raw counts (m = 1)`);
  }
  const fac: Record<string, unknown> = { m: f.m };
  if (f.b) fac.b = f.b;
  if (f.bExp) fac.bExp = f.bExp;
  if (f.rExp) fac.rExp = f.rExp;
  if (f.linearization) fac.linearization = LINEARIZATION_NAMES[f.linearization];
  if (f.analogDataFormat) fac.format = FORMAT_NAMES[f.analogDataFormat];
  if (tolerance) fac.tolerance = tolerance;
  entry.factors = fac;
  const u = (raw: number) => units(raw, (v) => unitsToRaw(v, f), rawToUnits(raw, f)!);
  if (rec?.kind === 'full') {
    const [lo, hi] = [u(rec.sensorMinimumReading), u(rec.sensorMaximumReading)];
    if (hi > lo) entry.range = [lo, hi];
    if (rec.analogFlags.nominalReadingSpecified) entry.nominal = u(rec.nominalReading);
    if (rec.analogFlags.normalMinSpecified && rec.analogFlags.normalMaxSpecified) {
      const [a, b] = [u(rec.normalMinimum), u(rec.normalMaximum)];
      if (b > a) entry.normal = [a, b];
    }
  }
  const thresholds: Record<string, number> = {};
  thresholdOrder.forEach((name, i) => {
    if ((s.thresholdSupported >> i) & 1) thresholds[thresholdLabels[name].abbreviation] = u(s.thresholds[i]!);
  });
  if (Object.keys(thresholds).length) entry.thresholds = thresholds;
  entry.thresholdAccess = ACCESS_NAMES[s.thresholdSupport & 3];
  if (s.thresholdSupport !== 2 && Object.keys(thresholds).length) entry.settable = [];
  const h = (raw: number) => units(raw, (v) => unitsToHysteresis(v, f), raw * Math.abs(f.m * 10 ** f.rExp));
  if (s.positiveHysteresis || s.negativeHysteresis) entry.hysteresis = s.positiveHysteresis === s.negativeHysteresis ? h(s.positiveHysteresis) : { positive: h(s.positiveHysteresis), negative: h(s.negativeHysteresis) };
  entry.hysteresisAccess = ACCESS_NAMES[s.hysteresisSupport & 3];
  entry.assertions = thresholdEventNames(s.assertSupported);
  entry.deassertions = thresholdEventNames(s.deassertSupported);
  if ((s.assertEnabled & 0x0fff) !== (s.assertSupported & 0x0fff)) entry.assertionsEnabled = thresholdEventNames(s.assertEnabled);
  if ((s.deassertEnabled & 0x0fff) !== (s.deassertSupported & 0x0fff)) entry.deassertionsEnabled = thresholdEventNames(s.deassertEnabled);
  if (!s.poll) entry.value = u(s.value);
  return f;
}

function discreteFields(s: SimSensor, entry: Record<string, unknown>): void {
  entry.assertions = stateList(s.assertSupported, s.sensorType, s.eventReadingType);
  entry.deassertions = stateList(s.deassertSupported, s.sensorType, s.eventReadingType);
  if (s.assertEnabled !== s.assertSupported) entry.assertionsEnabled = stateList(s.assertEnabled, s.sensorType, s.eventReadingType);
  if (s.deassertEnabled !== s.deassertSupported) entry.deassertionsEnabled = stateList(s.deassertEnabled, s.sensorType, s.eventReadingType);
  if (!s.poll) entry.states = stateList(s.eventStatus, s.sensorType, s.eventReadingType);
  if (s.value) entry.reading = s.value;
}

/** ipmi_sim's "file" poll: value = ((n & mask) - sub) × mult ÷ div, as a raw reading or a state mask. */
function pollSource(s: SimSensor, f: ConversionFactors | undefined, entry: Record<string, unknown>, notes: Notes): void {
  const p = s.poll!;
  const problems: string[] = [];
  if (p.raw) problems.push('raw (binary) reads');
  if (p.mask) problems.push('mask=');
  if (p.depends) problems.push('depends=');
  if (p.base !== 0 && p.base !== 10) problems.push(`base=${p.base}`);
  if (p.offset) problems.push('offset=');
  if (f && f.linearization !== 0) problems.push('a non-linear conversion');
  const mult = p.mult || 1;
  const div = p.div || 1;
  if (!f && (mult !== 1 || div !== 1 || p.sub)) problems.push('sub=/mult=/div= on a discrete sensor');
  if (problems.length) throw new ImportError(p.at, `sensor ${s.number}'s file poll uses ${problems.join(', ')}, which ipmi-sim's file source cannot do`);
  const src: Record<string, unknown> = { file: p.path, interval: Math.max(0.01, p.rateMs / 1000) };
  if (f) {
    // raw = (n - sub)·mult/div;  units = (m·raw + b·10^bExp)·10^rExp.
    const k = 10 ** f.rExp;
    const scale = f.m * k * (mult / div);
    const offset = (f.b * 10 ** f.bExp - (f.m * p.sub * mult) / div) * k;
    if (scale !== 1) src.scale = Number(scale.toPrecision(12));
    if (offset) src.offset = Number(offset.toPrecision(12));
  }
  entry.source = src;
  notes.approximated(p.at, `sensor ${s.number} reads ${p.path} every ${p.rateMs} ms: converted to a file source (rounding follows the SDR conversion, not ipmi_sim's integer division${p.initstate ? '; initstate= is dropped' : ''})`);
}

/** What the loaded entry will answer must be what ipmi_sim answers. */
function verify(s: SimSensor, cfg: SensorConfig, f: ConversionFactors | undefined, notes: Notes): void {
  const diffs: string[] = [];
  const want = (what: string, ours: number, theirs: number) => {
    if (ours !== theirs) diffs.push(`${what} ${ours} (ipmi_sim ${theirs})`);
  };
  if (isThreshold(cfg) && f) {
    want('threshold mask', thresholdMask(cfg), s.thresholdSupported);
    const raw = rawThresholds(cfg);
    thresholdOrder.forEach((name, i) => {
      if ((s.thresholdSupported >> i) & 1) want(thresholdLabels[name].abbreviation, raw[name], s.thresholds[i]!);
    });
    const h = rawHysteresis(cfg);
    want('positive hysteresis', h.positive, s.positiveHysteresis);
    want('negative hysteresis', h.negative, s.negativeHysteresis);
    want('threshold access', cfg.thresholdAccess, s.thresholdSupport & 3);
    want('hysteresis access', cfg.hysteresisAccess, s.hysteresisSupport & 3);
    if (cfg.source.kind === 'fixed') want('raw reading', unitsToRaw(cfg.source.value, f) ?? -1, s.value);
    want('assertion mask', cfg.assertionMask, s.assertSupported & 0x0fff);
    want('deassertion mask', cfg.deassertionMask, s.deassertSupported & 0x0fff);
    want('enabled assertions', cfg.assertionsEnabled ?? cfg.assertionMask, s.assertEnabled & 0x0fff);
    want('enabled deassertions', cfg.deassertionsEnabled ?? cfg.deassertionMask, s.deassertEnabled & 0x0fff);
    comparisonBits(s, cfg, f, notes);
  } else {
    if (cfg.source.kind === 'fixed') want('states', cfg.source.value, s.eventStatus);
    want('reading byte', cfg.discreteReading, s.value);
    want('assertion mask', cfg.assertionMask, s.assertSupported);
    want('deassertion mask', cfg.deassertionMask, s.deassertSupported);
    want('enabled assertions', cfg.assertionsEnabled ?? cfg.assertionMask, s.assertEnabled);
    want('enabled deassertions', cfg.deassertionsEnabled ?? cfg.deassertionMask, s.deassertEnabled);
  }
  want('event message control', cfg.eventMessageControl, s.eventSupport & 3);
  if (diffs.length) throw new ImportError(s.at, `sensor ${s.number} ("${cfg.name}") would answer differently: ${diffs.join(', ')}`);
  if (s.statusQuirks.length) notes.approximated(s.statusQuirks[0], `sensor ${s.number}: sensor_set_bit on a threshold sensor sets comparison bits directly; ipmi-sim derives them from the reading`);
  if (s.startupEvents.length) notes.approximated(s.startupEvents[0], `sensor ${s.number}: ipmi_sim logs an event at start-up here (generate-event 1); the converted BMC starts with its SEL empty`);
}

/** The comparison bits ipmi-sim derives at start (signed compare, from no state) against ipmi_sim's. */
function comparisonBits(s: SimSensor, cfg: SensorConfig, f: ConversionFactors, notes: Notes): void {
  if (cfg.source.kind !== 'fixed') return;
  const signed = (raw: number) => rawToSigned(raw, f.analogDataFormat) ?? raw;
  const x = signed(s.value);
  let ours = 0;
  if (cfg.scanningEnabled) {
    for (let i = 0; i < 6; i++) {
      if (!((s.thresholdSupported >> i) & 1)) continue;
      const t = signed(s.thresholds[i]!);
      if (i < 3 ? x <= t : x >= t) ours |= 1 << i;
    }
  }
  const theirs = s.eventStatus & 0x3f;
  if (ours !== theirs) {
    const why = !cfg.scanningEnabled
      ? 'ipmi_sim compares even with scanning off'
      : !s.valueAt
        ? 'ipmi_sim compares only when a value is set, and no sensor_set_value sets one'
        : f.analogDataFormat !== 0
          ? 'ipmi_sim compares the raw bytes unsigned'
          : 'ipmi_sim compared the reading before its thresholds were set (sensor_set_value before sensor_set_threshold)';
    notes.approximated(s.valueAt ?? s.at, `sensor ${s.number}: ipmi_sim reports threshold status bits 0x${theirs.toString(16)}, ipmi-sim will report 0x${ours.toString(16)}: ${why}`);
  }
}

/** The `sdr.records` entry of a sensor's SDR, and why the bytes are kept when they are. */
export function sensorRecord(sensor: ConvertedSensor, sdr: SourceSdr, recordId: number): { spec: { sensor: string } | { raw: Uint8Array }; reason?: string } {
  const generated = encodeSdr(sensorSdr(sensor.config, recordId));
  const original = Uint8Array.from(sdr.bytes);
  original[0] = recordId & 0xff;
  original[1] = recordId >> 8;
  if (generated.length === original.length && generated.every((b, i) => b === original[i])) return { spec: { sensor: sensor.name } };
  return { spec: { raw: sdr.bytes }, reason: recordDifference(decodeOrUndefined(original), decodeSdr(generated)) };
}

/** The fields in which two records differ, as dotted names. */
function recordDifference(a: SdrRecord | undefined, b: SdrRecord): string {
  if (!a) return 'it does not decode as an SDR';
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (typeof x === 'object' && x !== null && typeof y === 'object' && y !== null && !(x instanceof Uint8Array)) {
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (JSON.stringify(x) !== JSON.stringify(y)) out.push(path);
  };
  walk(a, b, '');
  return out.length ? `the generated record would differ in ${out.join(', ')}` : 'the generated record differs in bytes the decoder does not name';
}
