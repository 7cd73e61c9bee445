// YAML sections "sensors" (a list of sensors) and "sdr" (SDR repository options). Owner: see
// src/bmc/state/sensors.ts. Every field is checked with its position; unknown fields are errors.
//
//   sensors:
//     - name: CPU Temp               # SDR ID string, at most 16 characters
//       number: 0x01                 # optional: numbered 1, 2, ... in file order
//       type: temperature            # sensor type name (as ipmitool prints it) or code
//       entity: processor.1          # entity name or code, optional ".instance" (default 1)
//       unit: degrees C              # "Volts", "RPM", "percent", "% RPM", "Watts/hour", ...
//       range: [0, 127]              # readings the 8-bit raw value must cover (or factors:)
//       thresholds: { unc: 80, ucr: 90, unr: 100 }   # any of lnr lcr lnc unc ucr unr
//       hysteresis: 2                # or { positive: 2, negative: 1 }
//       source: 45                   # or { file: PATH, interval: 1 } or { waveform: sine, ... }
//     - name: PSU1 Status
//       type: power supply
//       states: [Presence detected]  # discrete: asserted states (names or offsets)
//       assertionsEnabled: []        # events enabled at start (default: all of assertions)
//   sdr:
//     maxReadBytes: 240              # larger Get SDR reads answer 0xCA
//     mcLocator: { name: BMC }       # or false
//     records:                       # or give the whole repository, in order:
//       - { sensor: CPU Temp }       #   a sensor's generated record (by name or number)
//       - { raw: "00 00 51 12 ..." } #   a record as bytes (its record ID is replaced)
// With records, sensors not listed have no SDR (their readings still answer) and no locator is
// generated. A raw record of a listed sensor must agree with it on what readings depend on.

import { chooseFactors, Linearization, unitsToRaw, rawToUnits, resolution, type ConversionFactors } from '../../ipmi/sdr/conversion.js';
import type { SensorUnits } from '../../ipmi/sdr/records.js';
import { entityIdNames } from '../../ipmi/tables/entity-ids.js';
import { EventReadingType, eventStateRows } from '../../ipmi/tables/event-types.js';
import { sensorTypeNames } from '../../ipmi/tables/sensor-types.js';
import { thresholdLabels, thresholdOrder, type ThresholdName } from '../../ipmi/tables/thresholds.js';
import { ModifierUnitRelation, unitNames } from '../../ipmi/tables/units.js';
import type { BmcConfig } from './model.js';
import type { ConfigNode, ConfigSection } from './schema.js';
import { isScalar, isSeq } from 'yaml';
import { Access, defaultSdrConfig, defaultThresholdEventMask, type AnalogConfig, type SensorConfig } from '../state/sensor-records.js';
import { WAVEFORM_SHAPES, type SensorSourceConfig, type WaveformShape } from '../state/sensor-sources.js';
import { BMC_ADDRESS, type SdrRecordSpec } from '../state/sensor-records.js';
import { decodeSdr } from '../../ipmi/sdr/records.js';
import { fromHex } from '../../protocol/bytes.js';

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9%]/g, '');
/** The scalar value of a node (number, string, boolean), if it is a scalar. */
const scalar = (n: ConfigNode): unknown => (isScalar(n.node) ? n.node.value : undefined);

const SENSOR_FIELDS = [
  'name',
  'number',
  'type',
  'eventType',
  'record',
  'entity',
  'unit',
  'units',
  'range',
  'factors',
  'nominal',
  'normal',
  'thresholds',
  'settable',
  'thresholdAccess',
  'hysteresis',
  'hysteresisAccess',
  'assertions',
  'deassertions',
  'assertionsEnabled',
  'deassertionsEnabled',
  'events',
  'scanning',
  'eventControl',
  'states',
  'reading',
  'value',
  'source',
] as const;

const EVENT_TYPES: Record<string, number> = {
  threshold: EventReadingType.Threshold,
  usage: EventReadingType.DiscreteUsage,
  state: EventReadingType.DigitalState,
  predictivefailure: EventReadingType.DigitalPredictiveFailure,
  limit: EventReadingType.DigitalLimit,
  performance: EventReadingType.DigitalPerformance,
  severity: EventReadingType.DiscreteSeverity,
  presence: EventReadingType.DigitalPresence,
  enabled: EventReadingType.DigitalEnabled,
  availability: EventReadingType.DiscreteAvailability,
  redundancy: EventReadingType.DiscreteRedundancy,
  acpipower: EventReadingType.DiscreteAcpiPowerState,
  sensorspecific: EventReadingType.SensorSpecific,
};

const ENTITY_ALIASES: Record<string, number> = { cpu: 0x03, fan: 0x1d, psu: 0x0a, inlet: 0x37, chassis: 0x17, bmc: 0x06 };

const ACCESS = { none: Access.None, readable: Access.Readable, settable: Access.Settable, fixed: Access.Fixed } as const;
const EVENT_CONTROL = { 'per-event': 0, sensor: 1, global: 2, none: 3 } as const;
const FORMATS = { unsigned: 0, 'ones-complement': 1, 'twos-complement': 2 } as const;
const LINEARIZATIONS: Record<string, number> = {
  linear: Linearization.Linear,
  ln: Linearization.Ln,
  log10: Linearization.Log10,
  log2: Linearization.Log2,
  e: Linearization.E,
  exp10: Linearization.Exp10,
  exp2: Linearization.Exp2,
  '1/x': Linearization.OneOverX,
  sqr: Linearization.Sqr,
  cube: Linearization.Cube,
  sqrt: Linearization.Sqrt,
  cuberoot: Linearization.CubeRoot,
};

/** The code whose name matches exactly, else the only one it abbreviates ("drive slot"). */
function byName(names: Iterable<[number, string]>, wanted: string): number | undefined {
  const w = norm(wanted);
  const all = [...names].filter(([, t]) => t.toLowerCase() !== 'reserved');
  const exact = all.find(([, t]) => norm(t) === w);
  if (exact) return exact[0];
  const prefixed = new Set(all.filter(([, t]) => w.length >= 3 && norm(t).startsWith(w)).map(([code]) => code));
  return prefixed.size === 1 ? [...prefixed][0] : undefined;
}

/** A name or a code: "temperature", "Power Supply", 0x08. */
function sensorType(n: ConfigNode): number {
  if (typeof scalar(n) === 'number') return n.int(0, 255);
  const s = n.str();
  const i = byName(
    sensorTypeNames.map((t, code) => [code, t] as [number, string]).filter(([code]) => code > 0),
    s,
  ) ?? -1;
  if (i < 0) throw n.error(`unknown sensor type "${s}" (a name as ipmitool prints it, e.g. Temperature, Voltage, Fan, Power Supply, Physical Security, Watchdog2, or a code)`);
  return i;
}

function eventType(n: ConfigNode): number {
  if (typeof scalar(n) === 'number') {
    const v = n.int(0x01, 0x7f);
    if (v > 0x0c && v !== 0x6f && v < 0x70) throw n.error(`event/reading type 0x${v.toString(16)} is reserved`);
    return v;
  }
  const s = n.str();
  const v = EVENT_TYPES[norm(s)];
  if (v === undefined) throw n.error(`expected one of threshold, sensor-specific, ${Object.keys(EVENT_TYPES).slice(1, -1).join(', ')} or a code, got "${s}"`);
  return v;
}

/** "processor", "system board.2", 7, "7.1", { id, instance }. */
function entity(n: ConfigNode): { entityId: number; entityInstance: number } {
  const raw = scalar(n);
  if (typeof raw === 'number' && Number.isInteger(raw)) return { entityId: n.int(0, 255), entityInstance: 1 };
  const s = n.str();
  const m = /^(.*?)(?:\.(\d+))?$/.exec(s.trim())!;
  const name = m[1]!;
  const instance = m[2] === undefined ? 1 : Number(m[2]);
  if (instance > 0x7f) throw n.error(`entity instance ${instance} is above 127`);
  let id: number | undefined;
  if (/^(0x[0-9a-f]+|\d+)$/i.test(name)) id = Number(name);
  else id = ENTITY_ALIASES[norm(name)] ?? byName(entityIdNames, name);
  if (id === undefined || id > 255) throw n.error(`unknown entity "${name}" (an entity name such as processor, system board, power supply, fan device, air inlet, system chassis, or a code; ".N" adds the instance)`);
  return { entityId: id, entityInstance: instance };
}

function unitCode(n: ConfigNode, text: string): number {
  const i = unitNames.findIndex((u) => norm(u) === norm(text));
  if (i < 0 || text.trim() === '') throw n.error(`unknown unit "${text}" (e.g. degrees C, Volts, Amps, Watts, RPM, percent; "A/B" divides, "A*B" multiplies, a leading "% " marks a percentage)`);
  return i;
}

/** "degrees C", "% RPM", "percent", "Watts/hour", "Amps*hour". */
function units(n: ConfigNode): SensorUnits {
  let s = n.str().trim();
  const base = { analogDataFormat: 0, rateUnit: 0, percentage: false, modifierUnitRelation: ModifierUnitRelation.None, baseUnit: 0, modifierUnit: 0 };
  if (norm(s) === 'percent') return { ...base, percentage: true };
  const percentage = s.startsWith('%');
  if (percentage) s = s.slice(1).trim();
  const m = /^(.+?)\s*([/*])\s*(.+)$/.exec(s);
  if (!m) return { ...base, percentage, baseUnit: unitCode(n, s) };
  return {
    ...base,
    percentage,
    baseUnit: unitCode(n, m[1]!),
    modifierUnit: unitCode(n, m[3]!),
    modifierUnitRelation: m[2] === '/' ? ModifierUnitRelation.Divide : ModifierUnitRelation.Multiply,
  };
}

function pair(n: ConfigNode, what: string): [number, number] {
  let lo: number, hi: number;
  if (isSeq(n.node)) {
    const items = n.list();
    if (items.length !== 2) throw n.error(`expected [min, max], got ${items.length} values`);
    lo = items[0]!.number();
    hi = items[1]!.number();
  } else {
    const f = n.map(['min', 'max']);
    if (!f.get('min') || !f.get('max')) throw n.error(`expected [min, max] or { min, max } for ${what}`);
    lo = f.get('min')!.number();
    hi = f.get('max')!.number();
  }
  if (!(hi > lo)) throw n.error(`${what}: max must be above min`);
  return [lo, hi];
}

function factors(n: ConfigNode): { factors: ConversionFactors; tolerance: number } {
  const f = n.map(['m', 'b', 'bExp', 'rExp', 'format', 'linearization', 'tolerance']);
  const m = f.get('m');
  if (!m) throw n.error('missing field "m"');
  const lin = f.get('linearization');
  let linearization: number = Linearization.Linear;
  if (lin) {
    const v = LINEARIZATIONS[lin.str().toLowerCase()];
    if (v === undefined) throw lin.error(`expected one of ${Object.keys(LINEARIZATIONS).join(', ')}`);
    linearization = v;
  }
  return {
    factors: {
      m: m.int(-512, 511),
      b: f.get('b')?.int(-512, 511) ?? 0,
      bExp: f.get('bExp')?.int(-8, 7) ?? 0,
      rExp: f.get('rExp')?.int(-8, 7) ?? 0,
      linearization,
      analogDataFormat: FORMATS[f.get('format')?.oneOf(Object.keys(FORMATS) as (keyof typeof FORMATS)[]) ?? 'unsigned'],
    },
    tolerance: f.get('tolerance')?.int(0, 63) ?? 0,
  };
}

/** Threshold event offsets written like ipmitool prints them: lnc- lnc+ lcr- ... unr+. */
function thresholdEvents(n: ConfigNode): number {
  let mask = 0;
  for (const item of n.list()) {
    const s = item.str().toLowerCase();
    const m = /^(lnc|lcr|lnr|unc|ucr|unr)([+-])$/.exec(s);
    if (!m) throw item.error(`expected a threshold event like ucr+ (going high) or lnc- (going low), got "${s}"`);
    const i = thresholdOrder.findIndex((t) => thresholdLabels[t].abbreviation === m[1]);
    mask |= 1 << (i * 2 + (m[2] === '+' ? 1 : 0));
  }
  return mask;
}

/** Discrete states by offset or by the text ipmitool prints ("Presence detected"). */
function discreteStates(n: ConfigNode, type: number, ert: number): number {
  if (typeof scalar(n) === 'number') return n.int(0, 0x7fff);
  const rows = eventStateRows(type, ert);
  let mask = 0;
  for (const item of n.list()) {
    let offset: number;
    if (typeof scalar(item) === 'number') offset = item.int(0, 14);
    else {
      const s = item.str();
      const row = rows.find(([, text]) => norm(text) === norm(s));
      if (!row) throw item.error(`unknown state "${s}" for this sensor (${rows.length ? 'one of: ' + [...new Set(rows.map((r) => r[1].trim()))].join(', ') : 'use offsets 0-14'})`);
      offset = row[0];
    }
    mask |= 1 << offset;
  }
  return mask;
}

function source(n: ConfigNode, range: [number, number] | undefined): SensorSourceConfig {
  const raw = scalar(n);
  if (typeof raw === 'number') return { kind: 'fixed', value: n.number() };
  const f = n.map(['fixed', 'file', 'interval', 'scale', 'offset', 'waveform', 'min', 'max', 'period', 'step']);
  const kinds = ['fixed', 'file', 'waveform'].filter((k) => f.has(k));
  if (kinds.length !== 1) throw n.error('expected exactly one of fixed, file, waveform');
  const allowed: Record<string, string[]> = { fixed: ['fixed'], file: ['file', 'interval', 'scale', 'offset'], waveform: ['waveform', 'min', 'max', 'period', 'interval', 'step'] };
  for (const [k, v] of f) if (!allowed[kinds[0]!]!.includes(k)) throw v.error(`not a field of a ${kinds[0]} source (expected ${allowed[kinds[0]!]!.join(', ')})`);
  const seconds = (key: string, dflt: number) => Math.round((f.get(key)?.number(0.01, 86400) ?? dflt) * 1000);
  if (f.has('fixed')) return { kind: 'fixed', value: f.get('fixed')!.number() };
  if (f.has('file')) {
    return { kind: 'file', path: f.get('file')!.str(), intervalMs: seconds('interval', 1), scale: f.get('scale')?.number() ?? 1, offset: f.get('offset')?.number() ?? 0 };
  }
  const shapeNode = f.get('waveform')!;
  const shape = shapeNode.oneOf(WAVEFORM_SHAPES) as WaveformShape;
  const min = f.get('min')?.number() ?? range?.[0];
  const max = f.get('max')?.number() ?? range?.[1];
  if (min === undefined || max === undefined) throw n.error('a waveform needs min and max (or the sensor\'s range)');
  if (!(max > min)) throw (f.get('max') ?? n).error('max must be above min');
  return { kind: 'waveform', shape, min, max, periodMs: seconds('period', 60), intervalMs: seconds('interval', 1), step: f.get('step')?.number(0) ?? (max - min) / 20 };
}

function parseSensor(item: ConfigNode, usedNumbers: Set<number>, usedNames: Map<string, ConfigNode>): SensorConfig & { numberNode?: ConfigNode } {
  const f = item.map(SENSOR_FIELDS);
  const nameNode = f.get('name');
  if (!nameNode) throw item.error('missing field "name"');
  const name = nameNode.str(16);
  if (!/^[\x20-\x7e]+$/.test(name)) throw nameNode.error('expected printable ASCII');
  if (usedNames.has(name)) throw nameNode.error(`sensor "${name}" is defined twice`);
  usedNames.set(name, nameNode);
  const typeNode = f.get('type');
  if (!typeNode) throw item.error('missing field "type" (e.g. temperature, voltage, fan, power supply)');
  const type = sensorType(typeNode);

  const analogHints = ['unit', 'units', 'range', 'factors', 'thresholds', 'nominal', 'normal', 'hysteresis'].some((k) => f.has(k));
  const ert = f.get('eventType') ? eventType(f.get('eventType')!) : analogHints ? EventReadingType.Threshold : EventReadingType.SensorSpecific;
  const threshold = ert === EventReadingType.Threshold;
  if (!threshold) {
    for (const k of ['range', 'factors', 'thresholds', 'nominal', 'normal', 'hysteresis', 'settable', 'thresholdAccess', 'hysteresisAccess'] as const) {
      if (f.has(k)) throw f.get(k)!.error('only threshold sensors (eventType: threshold) have this field');
    }
  } else if (f.has('states')) throw f.get('states')!.error('threshold sensors have no discrete states (use eventType for a discrete sensor)');

  const recordNode = f.get('record');
  const record = recordNode ? ({ full: 'full', compact: 'compact', 'event-only': 'eventOnly' } as const)[recordNode.oneOf(['full', 'compact', 'event-only'] as const)] : threshold ? 'full' : 'compact';
  if (threshold && record !== 'full') throw recordNode!.error('threshold sensors need a full record (compact records carry no conversion factors)');
  if (!threshold && record === 'full') throw recordNode!.error('discrete sensors use compact or event-only records');

  const { entityId, entityInstance } = f.get('entity') ? entity(f.get('entity')!) : { entityId: 0x07, entityInstance: 1 };
  if (f.has('unit') && f.has('units')) throw f.get('units')!.error('give unit or units, not both');
  const unitNode = f.get('unit') ?? f.get('units');
  const unitsSpec = unitNode ? units(unitNode) : { analogDataFormat: 0, rateUnit: 0, percentage: false, modifierUnitRelation: 0, baseUnit: 0, modifierUnit: 0 };

  const cfg: SensorConfig & { numberNode?: ConfigNode } = {
    number: 0,
    name,
    lun: 0,
    sensorType: type,
    eventReadingType: ert,
    record,
    entityId,
    entityInstance,
    units: unitsSpec,
    thresholds: {},
    settableThresholds: 0,
    thresholdAccess: Access.None,
    hysteresis: { positive: 0, negative: 0 },
    hysteresisAccess: Access.None,
    assertionMask: 0,
    deassertionMask: 0,
    discreteReadingMask: 0,
    eventsEnabled: f.get('events')?.bool() ?? true,
    scanningEnabled: f.get('scanning')?.bool() ?? true,
    eventMessageControl: f.get('eventControl') ? EVENT_CONTROL[f.get('eventControl')!.oneOf(Object.keys(EVENT_CONTROL) as (keyof typeof EVENT_CONTROL)[])] : 0,
    discreteReading: f.get('reading')?.int(0, 255) ?? 0,
    source: { kind: 'fixed', value: 0 },
  };
  const numberNode = f.get('number');
  if (numberNode) {
    cfg.number = numberNode.int(0, 254);
    if (usedNumbers.has(cfg.number)) throw numberNode.error(`sensor number ${cfg.number} is used twice`);
    usedNumbers.add(cfg.number);
    cfg.numberNode = numberNode;
  } else cfg.number = -1;
  if (f.has('reading') && threshold) throw f.get('reading')!.error('only discrete sensors have a fixed reading byte (threshold sensors take value or source)');

  if (threshold) parseAnalog(item, f, cfg);
  else {
    const rows = eventStateRows(type, ert).filter(([o, text]) => o < 15 && text.toLowerCase() !== 'reserved');
    const defined = rows.reduce((m, [o]) => m | (1 << o), 0) || 0x7fff;
    cfg.discreteReadingMask = defined;
    cfg.assertionMask = f.get('assertions') ? discreteStates(f.get('assertions')!, type, ert) : defined;
    cfg.deassertionMask = f.get('deassertions') ? discreteStates(f.get('deassertions')!, type, ert) : defined;
    enabledEvents(f, cfg, (n) => discreteStates(n, type, ert));
    const states = f.get('states') ? discreteStates(f.get('states')!, type, ert) : undefined;
    if (states !== undefined && (f.has('source') || f.has('value'))) throw f.get('states')!.error('give either states or a source, not both');
    if (f.has('value')) throw f.get('value')!.error('discrete sensors take states (or a source whose value is the state mask)');
    cfg.source = f.get('source') ? source(f.get('source')!, undefined) : { kind: 'fixed', value: states ?? 0 };
    if (cfg.source.kind === 'waveform') throw f.get('source')!.error('a waveform makes no sense for a discrete sensor (use a file of state masks)');
  }
  return cfg;
}

function parseAnalog(item: ConfigNode, f: Map<string, ConfigNode>, cfg: SensorConfig): void {
  const rangeNode = f.get('range');
  const range = rangeNode ? pair(rangeNode, 'range') : undefined;
  let fac: { factors: ConversionFactors; tolerance: number };
  if (f.get('factors')) fac = factors(f.get('factors')!);
  else if (range) {
    try {
      fac = { factors: chooseFactors(range[0], range[1], { signed: range[0] < 0 }), tolerance: 0 };
    } catch (e) {
      throw rangeNode!.error((e as Error).message);
    }
  } else throw item.error('a threshold sensor needs range: [min, max] (or explicit factors)');
  const F = fac.factors;
  // Without a range, the sensor covers what its raw values can express.
  const rawEnds = F.analogDataFormat === 2 ? [0x80, 0x7f] : F.analogDataFormat === 1 ? [0x80, 0x7f] : [0x00, 0xff];
  const ends = rawEnds.map((r) => rawToUnits(r, F)!).sort((a, b) => a - b) as [number, number];
  const [min, max] = range ?? ends;
  cfg.units = { ...cfg.units, analogDataFormat: F.analogDataFormat };

  const representable = (n: ConfigNode, v: number, what: string) => {
    const back = rawToUnits(unitsToRaw(v, F) ?? 0, F)!;
    if (Math.abs(back - v) > resolution(F) / 2 + 1e-9) throw n.error(`${what} ${v} is outside what the sensor's raw values express (${ends[0]} to ${ends[1]}); widen range`);
    return v;
  };
  const analog: AnalogConfig = { factors: F, tolerance: fac.tolerance, accuracy: 0, accuracyExp: 0, min, max };
  if (f.get('nominal')) analog.nominal = representable(f.get('nominal')!, f.get('nominal')!.number(), 'nominal');
  if (f.get('normal')) [analog.normalMin, analog.normalMax] = pair(f.get('normal')!, 'normal');
  cfg.analog = analog;

  const tNode = f.get('thresholds');
  if (tNode) {
    const t = tNode.map(thresholdOrder.map((n) => thresholdLabels[n].abbreviation));
    for (const [abbr, v] of t) {
      const name = thresholdOrder.find((n) => thresholdLabels[n].abbreviation === abbr)!;
      cfg.thresholds[name] = representable(v, v.number(), abbr);
    }
    // Lower thresholds below upper ones, and each side in order of severity.
    const val = (n: ThresholdName) => cfg.thresholds[n];
    const chain: ThresholdName[] = ['lowerNonRecoverable', 'lowerCritical', 'lowerNonCritical', 'upperNonCritical', 'upperCritical', 'upperNonRecoverable'];
    const present = chain.filter((n) => val(n) !== undefined);
    for (let i = 1; i < present.length; i++) {
      if (val(present[i]!)! < val(present[i - 1]!)!) throw tNode.error(`${thresholdLabels[present[i]!].abbreviation} (${val(present[i]!)}) is below ${thresholdLabels[present[i - 1]!].abbreviation} (${val(present[i - 1]!)})`);
    }
  }
  const configured = thresholdOrder.filter((n) => cfg.thresholds[n] !== undefined);
  const settable = f.get('settable');
  if (settable) {
    for (const it of settable.list()) {
      const abbr = it.oneOf(thresholdOrder.map((n) => thresholdLabels[n].abbreviation));
      const i = thresholdOrder.findIndex((n) => thresholdLabels[n].abbreviation === abbr);
      if (cfg.thresholds[thresholdOrder[i]!] === undefined) throw it.error(`${abbr} is not among the configured thresholds`);
      cfg.settableThresholds |= 1 << i;
    }
  } else for (const n of configured) cfg.settableThresholds |= 1 << thresholdOrder.indexOf(n);
  cfg.thresholdAccess = f.get('thresholdAccess') ? ACCESS[f.get('thresholdAccess')!.oneOf(Object.keys(ACCESS) as (keyof typeof ACCESS)[])] : configured.length ? Access.Settable : Access.None;

  const h = f.get('hysteresis');
  if (h) {
    if (typeof scalar(h) === 'number') {
      const v = h.number(0);
      cfg.hysteresis = { positive: v, negative: v };
    } else {
      const hm = h.map(['positive', 'negative']);
      cfg.hysteresis = { positive: hm.get('positive')?.number(0) ?? 0, negative: hm.get('negative')?.number(0) ?? 0 };
    }
    for (const v of [cfg.hysteresis.positive, cfg.hysteresis.negative]) {
      if (v / resolution(F) > 255) throw h.error(`hysteresis ${v} is more than 255 raw counts`);
    }
  }
  cfg.hysteresisAccess = f.get('hysteresisAccess') ? ACCESS[f.get('hysteresisAccess')!.oneOf(Object.keys(ACCESS) as (keyof typeof ACCESS)[])] : Access.Settable;

  const dflt = defaultThresholdEventMask(cfg);
  cfg.assertionMask = f.get('assertions') ? thresholdEvents(f.get('assertions')!) : dflt;
  cfg.deassertionMask = f.get('deassertions') ? thresholdEvents(f.get('deassertions')!) : dflt;
  enabledEvents(f, cfg, thresholdEvents);

  if (f.has('value') && f.has('source')) throw f.get('value')!.error('give either value or source, not both');
  if (f.has('value')) cfg.source = { kind: 'fixed', value: representable(f.get('value')!, f.get('value')!.number(), 'value') };
  else if (f.has('source')) cfg.source = source(f.get('source')!, [min, max]);
  else cfg.source = { kind: 'fixed', value: defaultValue(cfg, min, max) };
}

/** The events enabled at start (Set Sensor Event Enable state): a subset of the supported ones. */
function enabledEvents(f: Map<string, ConfigNode>, cfg: SensorConfig, parse: (n: ConfigNode) => number): void {
  for (const [key, supported, field] of [
    ['assertionsEnabled', cfg.assertionMask, 'assertions'],
    ['deassertionsEnabled', cfg.deassertionMask, 'deassertions'],
  ] as const) {
    const n = f.get(key);
    if (!n) continue;
    const mask = parse(n);
    if (mask & ~supported) throw n.error(`enables events that ${field} does not list (0x${(mask & ~supported).toString(16)})`);
    if (key === 'assertionsEnabled') cfg.assertionsEnabled = mask;
    else cfg.deassertionsEnabled = mask;
  }
}

/** Without a source: the nominal reading, else the middle of the normal (no threshold crossed) band. */
function defaultValue(cfg: SensorConfig, min: number, max: number): number {
  if (cfg.analog?.nominal !== undefined) return cfg.analog.nominal;
  const t = cfg.thresholds;
  const lo = Math.max(min, ...[t.lowerNonCritical, t.lowerCritical, t.lowerNonRecoverable].filter((v) => v !== undefined));
  const hi = Math.min(max, ...[t.upperNonCritical, t.upperCritical, t.upperNonRecoverable].filter((v) => v !== undefined));
  return (lo + hi) / 2;
}

export const sensorsSection: ConfigSection = {
  name: 'sensors',
  parse: (node, config: BmcConfig) => {
    const usedNumbers = new Set<number>();
    const usedNames = new Map<string, ConfigNode>();
    const parsed = node.list().map((item) => parseSensor(item, usedNumbers, usedNames));
    let next = 1;
    config.sensors = parsed.map(({ numberNode: _n, ...cfg }) => {
      if (cfg.number < 0) {
        while (usedNumbers.has(next)) next++;
        if (next > 254) throw node.error('more than 254 sensors');
        cfg.number = next;
        usedNumbers.add(next);
      }
      return cfg;
    });
  },
};

export const sdrSection: ConfigSection = {
  name: 'sdr',
  parse: (node, config: BmcConfig) => {
    const f = node.map(['capacity', 'maxReadBytes', 'mcLocator', 'fruLocators', 'records']);
    const sdr = (config.sdr ??= defaultSdrConfig());
    if (f.get('capacity')) sdr.capacity = f.get('capacity')!.int(64, 0xfffe);
    if (f.get('maxReadBytes')) sdr.maxReadBytes = f.get('maxReadBytes')!.int(5, 0xff);
    const mc = f.get('mcLocator');
    if (mc) {
      if (scalar(mc) === false) sdr.mcLocator = undefined;
      else {
        const m = mc.map(['name', 'entity']);
        sdr.mcLocator = { name: m.get('name')?.str(16) ?? 'BMC', ...(m.get('entity') ? entity(m.get('entity')!) : { entityId: 0x06, entityInstance: 1 }) };
      }
    }
    const fl = f.get('fruLocators');
    if (fl) {
      const seen = new Set<number>();
      sdr.fruLocators = fl.list().map((it) => {
        const m = it.map(['id', 'name', 'entity']);
        if (!m.get('id') || !m.get('name')) throw it.error('a FRU locator needs id and name');
        const id = m.get('id')!.int(0, 254);
        if (seen.has(id)) throw m.get('id')!.error(`FRU device ${id} is listed twice`);
        seen.add(id);
        return { id, name: m.get('name')!.str(16), ...(m.get('entity') ? entity(m.get('entity')!) : { entityId: 0x07, entityInstance: 1 }) };
      });
    }
    const records = f.get('records');
    if (records) {
      for (const k of ['mcLocator', 'fruLocators'] as const) if (f.has(k)) throw f.get(k)!.error('give either records (the whole repository) or locators, not both');
      sdr.records = records.list().map((it) => sdrRecordSpec(it, config));
      sdr.mcLocator = undefined;
      sdr.fruLocators = [];
    }
  },
};

/** The most bytes an SDR has: a 5-byte header and a 255-byte body. */
const MAX_SDR = 260;

function sdrRecordSpec(it: ConfigNode, config: BmcConfig): SdrRecordSpec {
  const m = it.map(['sensor', 'raw']);
  if (m.size !== 1) throw it.error('expected { sensor: NAME } or { raw: "HEX BYTES" }');
  const sensorNode = m.get('sensor');
  if (sensorNode) {
    const v = scalar(sensorNode);
    const s = typeof v === 'number' ? config.sensors.find((x) => x.number === v) : config.sensors.find((x) => x.name === sensorNode.str());
    if (!s) throw sensorNode.error(`no sensor ${typeof v === 'number' ? 'number ' + v : `named "${String(v)}"`} in sensors:`);
    return { sensor: s.number };
  }
  const rawNode = m.get('raw')!;
  const text = rawNode.str(MAX_SDR * 5);
  if (!/^\s*(?:(?:0x)?[0-9a-f]{2}[\s:-]*)*$/i.test(text)) throw rawNode.error('expected hexadecimal bytes like "00 00 51 01 33 ..."');
  const bytes = fromHex(text);
  if (bytes.length < 5 || bytes.length !== 5 + bytes[4]!) throw rawNode.error(`the length byte (byte 4) says ${5 + (bytes[4] ?? 0)} bytes, but ${bytes.length} are given`);
  checkRawSensorRecord(rawNode, bytes, config);
  return { raw: bytes };
}

/** A raw record of a configured sensor must carry the sensor's type and conversion (its readings depend on them). */
function checkRawSensorRecord(n: ConfigNode, bytes: Uint8Array, config: BmcConfig): void {
  let rec;
  try {
    rec = decodeSdr(bytes);
  } catch {
    return; // served as is, like any malformed record a real BMC holds
  }
  if (rec.kind !== 'full' && rec.kind !== 'compact' && rec.kind !== 'eventOnly') return;
  if (rec.sensorOwnerId !== BMC_ADDRESS || rec.sensorOwnerLun !== 0) return;
  const s = config.sensors.find((x) => x.number === rec.sensorNumber);
  if (!s) return;
  if (rec.eventReadingType !== s.eventReadingType) throw n.error(`describes sensor ${s.number} ("${s.name}") with event/reading type 0x${rec.eventReadingType.toString(16)}, the sensor has 0x${s.eventReadingType.toString(16)}`);
  if (rec.kind !== 'full' || !s.analog) return;
  const f = s.analog.factors;
  const mine = [f.m, f.b, f.bExp, f.rExp, f.linearization, f.analogDataFormat];
  const theirs = [rec.m, rec.b, rec.bExp, rec.rExp, rec.linearization, rec.units.analogDataFormat];
  if (mine.some((v, i) => v !== theirs[i])) throw n.error(`describes sensor ${s.number} ("${s.name}") with conversion factors m, b, bExp, rExp, linearization, format = ${theirs.join(', ')}; the sensor's are ${mine.join(', ')}`);
}
