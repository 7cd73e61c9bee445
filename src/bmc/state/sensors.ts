// Sensors and their readings, thresholds, event state and value sources (IPMI v2.0 §35-36).
// Owner: sensors.
//
// Threshold sensors compare the raw reading (as a signed number for signed formats) with each
// configured threshold. A lower threshold is crossed at reading <= threshold and recovers above
// threshold + negative-going hysteresis; an upper one is crossed at >= threshold and recovers
// below threshold - positive-going hysteresis. Each crossing asserts the threshold's "going low"
// (lower) or "going high" (upper) event and each recovery deasserts it, with event data 1 =
// 0x50 | offset, 2 = the trigger reading, 3 = the threshold, as ipmitool's `sel elist` expects.
// The opposite-direction offsets (e.g. LNC going high), when the SDR lists them, mirror them:
// they assert on recovery and deassert on the crossing.
//
// Events go through bmc.events (SEL, event message buffer) when the sensor's event messages
// are enabled, the offset is enabled, and the SDR says the sensor can generate it.
//
// A reading set over IPMI (Set Sensor Reading and Event Status) replaces the source's value
// until the source produces a different value: forever for fixed sources, until the file's
// number changes for file sources, until the next tick for waveforms.

import { rawToSigned, rawToUnits, unitsToRaw, type ConversionFactors } from '../../ipmi/sdr/conversion.js';
import type { SensorRecord } from '../../ipmi/sdr/records.js';
import { thresholdOrder } from '../../ipmi/tables/thresholds.js';
import type { BmcCore } from '../core.js';
import type { SystemEvent } from '../events.js';
import { isThreshold, naturalOffset, rawHysteresis, rawThresholds, sensorSdr, thresholdMask, type SensorConfig } from './sensor-records.js';
import { startSource, type RunningSource, type SensorSourceIo } from './sensor-sources.js';
import { fingerprint, SavedReader } from './persist.js';

export type { SensorConfig };

const STORE_KEY = 'sensors';

/** Event data overrides for events caused by Set Sensor Reading and Event Status. */
export interface EventDataOverride {
  /** Replace event data 1 entirely (true) or keep the event's offset in bits 3:0 (false). */
  includingOffset: boolean;
  data1: number;
  data2: number;
  data3: number;
}

/** Settings that can change over IPMI and are persisted. */
interface Settings {
  thresholds: number[];
  hysteresis: [number, number];
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  assertEnable: number;
  deassertEnable: number;
}

export class Sensor {
  readonly cfg: SensorConfig;
  readonly sdr: SensorRecord;
  /** Conversion factors of analog sensors. */
  readonly factors: ConversionFactors | undefined;
  private readonly sensors: Sensors;

  /** Raw reading byte. */
  raw = 0;
  /** Reading / state unavailable (Get Sensor Reading byte 3 bit 5). */
  unavailable = false;
  /** Raw thresholds in command order LNC, LC, LNR, UNC, UC, UNR. */
  thresholds: number[];
  /** Thresholds Get Sensor Thresholds returns (bit i = thresholdOrder[i]). */
  readonly readable: number;
  readonly settable: number;
  positiveHysteresis: number;
  negativeHysteresis: number;
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  assertEnable: number;
  deassertEnable: number;
  /** Threshold sensors: comparison bits (hysteresis applied). Discrete sensors: asserted states. */
  state = 0;
  /** Get Sensor Event Status bits. */
  assertStatus = 0;
  deassertStatus = 0;
  /** Set while a value written over IPMI overrides the source: the source value it replaced. */
  private override: { sourceValue: number | undefined } | undefined;
  private lastSource: number | undefined;
  source: RunningSource | undefined;

  constructor(cfg: SensorConfig, sensors: Sensors) {
    this.cfg = cfg;
    this.sensors = sensors;
    this.sdr = sensorSdr(cfg, 0);
    this.factors = cfg.analog?.factors;
    const t = rawThresholds(cfg);
    this.thresholds = thresholdOrder.map((n) => t[n]);
    this.readable = isThreshold(cfg) ? thresholdMask(cfg) : 0;
    this.settable = cfg.settableThresholds & this.readable;
    const h = rawHysteresis(cfg);
    this.positiveHysteresis = h.positive;
    this.negativeHysteresis = h.negative;
    this.eventsEnabled = cfg.eventsEnabled;
    this.scanningEnabled = cfg.scanningEnabled;
    this.assertEnable = (cfg.assertionsEnabled ?? 0x7fff) & this.supportedAssertions;
    this.deassertEnable = (cfg.deassertionsEnabled ?? 0x7fff) & this.supportedDeassertions;
    this.discreteReadingByte();
  }

  get number(): number {
    return this.cfg.number;
  }
  get name(): string {
    return this.cfg.name;
  }
  get threshold(): boolean {
    return isThreshold(this.cfg);
  }
  get eventOnly(): boolean {
    return this.cfg.record === 'eventOnly';
  }
  /** Event offsets the SDR says this sensor generates. */
  get supportedAssertions(): number {
    return this.cfg.assertionMask & (this.threshold ? 0x0fff : 0x7fff);
  }
  get supportedDeassertions(): number {
    return this.cfg.deassertionMask & (this.threshold ? 0x0fff : 0x7fff);
  }

  private discreteReadingByte(): void {
    if (!this.threshold) this.raw = this.cfg.discreteReading & 0xff;
  }

  settings(): Settings {
    return {
      thresholds: [...this.thresholds],
      hysteresis: [this.positiveHysteresis, this.negativeHysteresis],
      eventsEnabled: this.eventsEnabled,
      scanningEnabled: this.scanningEnabled,
      assertEnable: this.assertEnable,
      deassertEnable: this.deassertEnable,
    };
  }

  applySettings(s: Settings): void {
    this.thresholds = s.thresholds.map((v) => v & 0xff);
    [this.positiveHysteresis, this.negativeHysteresis] = s.hysteresis;
    this.eventsEnabled = s.eventsEnabled;
    this.scanningEnabled = s.scanningEnabled;
    this.assertEnable = s.assertEnable & this.supportedAssertions;
    this.deassertEnable = s.deassertEnable & this.supportedDeassertions;
  }

  // ---- values -----------------------------------------------------------------------------

  /** The reading in units (analog sensors with a reading), else undefined. */
  get value(): number | undefined {
    return !this.factors || this.unavailable ? undefined : rawToUnits(this.raw, this.factors);
  }

  /** The first value of the source: sets reading and state without logging events. */
  initialize(value: number): void {
    this.unavailable = false;
    if (this.threshold || this.factors) {
      this.raw = this.unitsToRaw(value);
      this.evaluate(false);
    } else {
      this.state = value & 0x7fff;
      this.assertStatus = this.state;
    }
  }

  /** A value from the sensor's source: units (analog) or a state mask (discrete). */
  sourceUpdate(value: number | undefined): void {
    if (this.override) {
      if (value === this.override.sourceValue) return;
      this.override = undefined;
    }
    this.lastSource = value;
    if (value === undefined) {
      this.unavailable = true;
      return;
    }
    this.unavailable = false;
    if (this.threshold || this.factors) this.setRaw(this.unitsToRaw(value));
    else this.setStates(value & 0x7fff);
  }

  unitsToRaw(value: number): number {
    return this.factors ? (unitsToRaw(value, this.factors) ?? 0) : Math.round(value) & 0xff;
  }

  /** Sets the raw reading as if measured, then compares it with the thresholds. */
  setRaw(raw: number, data?: EventDataOverride): void {
    this.raw = raw & 0xff;
    this.unavailable = false;
    if (this.threshold) this.evaluate(true, data);
  }

  /** A value written over IPMI replaces the source's until the source changes (module comment). */
  overrideSource(): void {
    this.override = { sourceValue: this.lastSource };
  }

  /** A reading written over IPMI: overrides the source. */
  setRawOverride(raw: number, data?: EventDataOverride): void {
    this.overrideSource();
    this.setRaw(raw, data);
  }

  /** Discrete sensors: sets the asserted states; each changed bit logs its event. */
  setStates(mask: number, data?: EventDataOverride): void {
    const next = mask & 0x7fff;
    const changed = this.state ^ next;
    this.state = next;
    for (let bit = 0; bit < 15; bit++) {
      if (!((changed >> bit) & 1)) continue;
      if ((next >> bit) & 1) this.asserted(bit, this.discreteData(bit), data);
      else this.deasserted(bit, this.discreteData(bit), data);
    }
  }

  private discreteData(offset: number): [number, number, number] {
    // Event data 2 and 3 unspecified (0xFF), flagged as such in data 1 bits 7:4 = 0.
    return [offset, 0xff, 0xff];
  }

  // ---- thresholds ---------------------------------------------------------------------------

  private signed(raw: number): number {
    return rawToSigned(raw, this.factors?.analogDataFormat ?? 0) ?? raw;
  }

  /**
   * Compares the reading with every readable threshold, updating the comparison bits and
   * logging the crossings (when `events`). Upper thresholds are taken in rising order when
   * crossed and falling order when recovered, so a jump logs what a slow change would.
   */
  evaluate(events: boolean, data?: EventDataOverride): void {
    if (!this.threshold || this.unavailable || !this.scanningEnabled) return;
    const x = this.signed(this.raw);
    const next = [0, 1, 2, 3, 4, 5].map((i) => {
      if (!((this.readable >> i) & 1)) return false;
      const t = this.signed(this.thresholds[i]!);
      const was = ((this.state >> i) & 1) === 1;
      if (i < 3) return was ? x <= t + this.negativeHysteresis : x <= t;
      return was ? x >= t - this.positiveHysteresis : x >= t;
    });
    // Crossings away from normal: LNC, LC, LNR and UNC, UC, UNR; recoveries in reverse.
    const order = [0, 1, 2, 3, 4, 5];
    for (const i of [...order.filter((i) => next[i]), ...order.filter((i) => !next[i]).reverse()]) {
      const was = ((this.state >> i) & 1) === 1;
      if (next[i] === was) continue;
      this.state ^= 1 << i;
      const natural = naturalOffset(i);
      const ev = (offset: number): [number, number, number] => [0x50 | offset, this.raw, this.thresholds[i]!];
      if (next[i]) {
        this.asserted(natural, ev(natural), data, events);
        this.deasserted(natural ^ 1, ev(natural ^ 1), data, events);
      } else {
        this.deasserted(natural, ev(natural), data, events);
        this.asserted(natural ^ 1, ev(natural ^ 1), data, events);
      }
    }
  }

  /** Re-arm (§35.12): forgets the selected event status and regenerates events for present conditions. */
  rearm(assertion: number, deassertion: number): void {
    this.assertStatus &= ~assertion;
    this.deassertStatus &= ~deassertion;
    if (this.threshold) {
      for (let i = 0; i < 6; i++) if ((assertion >> naturalOffset(i)) & 1) this.state &= ~(1 << i);
      this.evaluate(true);
      return;
    }
    for (let bit = 0; bit < 15; bit++) if ((assertion >> bit) & (this.state >> bit) & 1) this.asserted(bit, this.discreteData(bit));
  }

  // ---- event status bits and events ------------------------------------------------------------

  /** Set Sensor Reading and Event Status: writes the assertion / deassertion event status bits. */
  writeStatus(kind: 'assertion' | 'deassertion', next: number, data?: EventDataOverride): void {
    const mask = this.threshold ? 0x0fff : 0x7fff;
    next &= mask;
    if (kind === 'assertion' && !this.threshold) {
      this.setStates(next, data);
      return;
    }
    const cur = kind === 'assertion' ? this.assertStatus : this.deassertStatus;
    const rising = next & ~cur;
    if (kind === 'assertion') this.assertStatus = next;
    else this.deassertStatus = next;
    for (let bit = 0; bit < 15; bit++) {
      if (!((rising >> bit) & 1)) continue;
      const ev = this.threshold ? ([0x50 | bit, this.raw, this.thresholds[bit >> 1] ?? 0] as [number, number, number]) : this.discreteData(bit);
      if (kind === 'assertion') this.log(bit, false, ev, data);
      else this.log(bit, true, ev, data);
    }
  }

  /** Event offsets the sensor tracks: those its SDR lists (the others never occur). */
  private tracks(offset: number): boolean {
    return (((this.supportedAssertions | this.supportedDeassertions) >> offset) & 1) === 1;
  }

  private asserted(offset: number, ev: [number, number, number], data?: EventDataOverride, log = true): void {
    if (!this.tracks(offset)) return;
    this.assertStatus |= 1 << offset;
    this.deassertStatus &= ~(1 << offset);
    if (log) this.log(offset, false, ev, data);
  }

  private deasserted(offset: number, ev: [number, number, number], data?: EventDataOverride, log = true): void {
    // Only an event that was asserted can be deasserted.
    if (!this.tracks(offset) || !((this.assertStatus >> offset) & 1)) return;
    this.assertStatus &= ~(1 << offset);
    this.deassertStatus |= 1 << offset;
    if (log) this.log(offset, true, ev, data);
  }

  /** Whether an event for this offset and direction would be logged now. */
  eventAllowed(offset: number, deassertion: boolean): boolean {
    const supported = deassertion ? this.supportedDeassertions : this.supportedAssertions;
    const enabled = deassertion ? this.deassertEnable : this.assertEnable;
    const control = this.cfg.eventMessageControl;
    if (control === 3 || !this.eventsEnabled) return false;
    // Entire-sensor and global control have no per-event enables.
    if (control !== 0) return ((supported >> offset) & 1) === 1;
    return ((supported & enabled) >> offset) & 1 ? true : false;
  }

  private log(offset: number, deassertion: boolean, ev: [number, number, number], data?: EventDataOverride): number | undefined {
    if (!this.eventAllowed(offset, deassertion)) return undefined;
    let [d1, d2, d3] = ev;
    if (data) {
      d1 = data.includingOffset ? data.data1 : (data.data1 & 0xf0) | (offset & 0x0f);
      d2 = data.data2;
      d3 = data.data3;
    }
    return this.sensors.emit(this, { deassertion, data1: d1, data2: d2, data3: d3 });
  }

  /**
   * A one-shot event from this sensor (a watchdog expiry, a button press): logged when enabled,
   * recorded in the event status; the state bit is set (assertion) or cleared (deassertion).
   */
  raise(offset: number, opts: { deassertion?: boolean; data1?: number; data2?: number; data3?: number } = {}): number | undefined {
    const bit = 1 << (offset & 0x0f);
    if (opts.deassertion) {
      this.assertStatus &= ~bit;
      this.deassertStatus |= bit;
      if (!this.threshold) this.state &= ~bit;
    } else {
      this.assertStatus |= bit;
      this.deassertStatus &= ~bit;
      if (!this.threshold) this.state |= bit;
    }
    if (!this.eventAllowed(offset & 0x0f, opts.deassertion ?? false)) return undefined;
    return this.sensors.emit(this, {
      deassertion: opts.deassertion ?? false,
      data1: opts.data1 ?? offset & 0x0f,
      data2: opts.data2 ?? 0xff,
      data3: opts.data3 ?? 0xff,
    });
  }
}

/** The simulated sensors of the BMC, by number (LUN 0). */
export class Sensors {
  private readonly bmc: BmcCore;
  readonly list: Sensor[] = [];
  private readonly byNumber = new Map<number, Sensor>();
  private readonly bases = new Map<number, string>();
  private io: SensorSourceIo | undefined;
  private readonly problems = new Set<string>();
  /** Set/Get Event Receiver: where sensor events go; slave address 0xFF turns them off. */
  eventReceiver = { slaveAddress: 0x20, lun: 0 };

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
    const saved = this.load();
    for (const cfg of bmc.config.sensors) {
      const s = new Sensor(cfg, this);
      // The source is left out: a new value source keeps thresholds set over IPMI.
      const { source: _source, ...described } = cfg;
      const base = fingerprint({ described, settings: s.settings() });
      this.bases.set(cfg.number, base);
      const mine = saved.get(cfg.number);
      // A saved change applies while the config still describes the sensor the same way.
      if (mine && mine.base === base) s.applySettings(mine.settings);
      else if (mine) bmc.log.warn(`sensor "${cfg.name}": settings changed over IPMI are dropped: the config changed since they were saved`);
      this.list.push(s);
      this.byNumber.set(cfg.number, s);
    }
    for (const s of this.list) this.startSource(s);
  }

  /** Saved settings by sensor number, checked field by field (a malformed file is a StateError). */
  private load(): Map<number, { base: string; settings: Settings }> {
    const out = new Map<number, { base: string; settings: Settings }>();
    const v = this.bmc.store.load(STORE_KEY);
    if (v === undefined) return out;
    const rd = new SavedReader(STORE_KEY);
    const all = rd.object(rd.object(v, 'sensors').sensors, 'sensors');
    for (const [key, entry] of Object.entries(all)) {
      const p = `sensors.${key}`;
      const e = rd.object(entry, p);
      const st = rd.object(e.settings, `${p}.settings`);
      const byte = (x: unknown, path: string) => rd.int(x, path, 0, 255);
      const thresholds = rd.array(st.thresholds, `${p}.thresholds`).map((x, i) => byte(x, `${p}.thresholds[${i}]`));
      const hyst = rd.array(st.hysteresis, `${p}.hysteresis`).map((x, i) => byte(x, `${p}.hysteresis[${i}]`));
      if (thresholds.length !== 6) rd.fail(`${p}.thresholds`, '6 raw thresholds');
      if (hyst.length !== 2) rd.fail(`${p}.hysteresis`, 'positive and negative hysteresis');
      out.set(rd.int(Number(key), p, 0, 255), {
        base: rd.str(e.base, `${p}.base`),
        settings: {
          thresholds,
          hysteresis: [hyst[0]!, hyst[1]!],
          eventsEnabled: rd.bool(st.eventsEnabled, `${p}.eventsEnabled`),
          scanningEnabled: rd.bool(st.scanningEnabled, `${p}.scanningEnabled`),
          assertEnable: rd.int(st.assertEnable, `${p}.assertEnable`, 0, 0x7fff),
          deassertEnable: rd.int(st.deassertEnable, `${p}.deassertEnable`, 0, 0x7fff),
        },
      });
    }
    return out;
  }

  private startSource(s: Sensor): void {
    let started = false;
    s.source = startSource(s.cfg.source, {
      clock: this.bmc.clock,
      rng: this.bmc.rng,
      update: (v) => {
        // The first value is where the simulation starts: it sets the state without events.
        if (!started && v !== undefined) {
          started = true;
          s.initialize(v);
        }
        s.sourceUpdate(v);
      },
      problem: (message) => {
        if (this.problems.has(message)) return;
        this.problems.add(message);
        this.bmc.log.warn(`sensor "${s.name}": ${message}`);
      },
    });
    if (s.cfg.source.kind === 'file') s.unavailable = true;
  }

  get count(): number {
    return this.list.length;
  }

  /** The sensor with this number (LUN 0), if configured. */
  get(number: number): Sensor | undefined {
    return this.byNumber.get(number);
  }

  /** The first sensor of a sensor type, e.g. 0x23 Watchdog 2 for the watchdog's events. */
  byType(sensorType: number): Sensor | undefined {
    return this.list.find((s) => s.cfg.sensorType === sensorType);
  }

  /** The number of the first sensor of a type (the watchdog uses 0x23), if any. */
  sensorNumberOfType(sensorType: number): number | undefined {
    return this.byType(sensorType)?.number;
  }

  byName(name: string): Sensor | undefined {
    return this.list.find((s) => s.name === name);
  }

  /** Starts file sources: `serve` passes the file system, tests a fake. */
  attachIo(io: SensorSourceIo): void {
    this.io = io;
    for (const s of this.list) s.source?.attach?.(io);
  }

  get hasIo(): boolean {
    return this.io !== undefined;
  }

  /** Stops every source timer. */
  stop(): void {
    for (const s of this.list) s.source?.stop();
  }

  /** Persists the settings changed over IPMI (thresholds, hysteresis, enables). */
  saveSettings(): void {
    const out: Record<string, { base: string; settings: Settings }> = {};
    for (const s of this.list) out[String(s.number)] = { base: this.bases.get(s.number)!, settings: s.settings() };
    this.bmc.store.save(STORE_KEY, { sensors: out });
  }

  /**
   * Logs an event for a sensor through the event router (SEL, event message buffer). Callers
   * inside this module have checked the enables already.
   */
  emit(s: Sensor, e: { deassertion: boolean; data1: number; data2: number; data3: number }): number | undefined {
    if (this.eventReceiver.slaveAddress === 0xff) return undefined;
    return this.bmc.events.log({
      sensorType: s.cfg.sensorType,
      sensorNumber: s.number,
      eventType: s.cfg.eventReadingType,
      deassertion: e.deassertion,
      data1: e.data1,
      data2: e.data2,
      data3: e.data3,
    });
  }

  /**
   * A one-shot event from the sensor with this number (see Sensor.raise); undefined when the
   * sensor does not exist or its events are disabled.
   */
  raise(number: number, offset: number, opts?: Parameters<Sensor['raise']>[1]): number | undefined {
    return this.get(number)?.raise(offset, opts);
  }

  /**
   * An event from another subsystem (watchdog expiry, a button, the QEMU link): when the config
   * has a sensor of that number and type, through it (its enables, state and event status
   * apply); otherwise straight to the event router. Returns the SEL record ID if logged there.
   */
  logEvent(e: Omit<SystemEvent, 'generatorId' | 'generatorChannelLun' | 'evmRev'>): number | undefined {
    const s = this.get(e.sensorNumber);
    if (!s || s.cfg.sensorType !== e.sensorType) return this.bmc.events.log(e);
    return s.raise(e.data1 & 0x0f, { deassertion: e.deassertion, data1: e.data1, data2: e.data2, data3: e.data3 });
  }
}
