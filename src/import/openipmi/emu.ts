// OpenIPMI ipmi_sim's emulator command file (`ipmi_sim -f FILE.emu`, man 5 ipmi_sim_cmd), read
// and run the way ipmi_sim 2.0.33 runs it at start-up (lanserv/emu_cmd.c read_command_file and
// the command handlers; lanserv/bmc.c, bmc_sensor.c, bmc_storage.c for what they do). The
// result is the state the simulated MCs are in when ipmi_sim starts answering: identity,
// SDRs, sensors (with the state their SDRs initialised and the later commands changed), FRU
// data, SEL settings. Positions are kept so that the converter can name the statement behind
// every value.
//
// Lines: a trailing "\" joins the next line (the backslash is dropped, nothing is inserted); a
// line whose first character is "#" is skipped, also inside a continuation; a blank line ends
// one. ipmi_sim stops reading a file at its first failing command and ignores the rest; here
// that command is an ImportError.

import { fileLines } from './lan-conf.js';
import { ImportError, Words, type SourcePos, type Variables } from './words.js';

export interface EmuStatement {
  at: SourcePos;
  text: string;
}

/** Joins continued lines into statements, exactly as read_command_file does. */
export function emuStatements(text: string, file: string): { statements: EmuStatement[]; danglingContinuation?: SourcePos; crlfLine?: number } {
  const { lines, crlfLine } = fileLines(text);
  const statements: EmuStatement[] = [];
  let buffer = '';
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('#')) continue;
    if (buffer === '') start = i + 1;
    const joined = buffer + line;
    if (joined.length <= 1) {
      // ipmi_sim drops a statement of one character; it also forgets what was being continued.
      buffer = '';
      continue;
    }
    if (joined.endsWith('\\')) {
      buffer = joined.slice(0, -1);
      continue;
    }
    statements.push({ at: { file, line: start }, text: joined });
    buffer = '';
  }
  const out: { statements: EmuStatement[]; danglingContinuation?: SourcePos; crlfLine?: number } = { statements };
  if (buffer !== '') out.danglingContinuation = { file, line: start };
  if (crlfLine !== undefined) out.crlfLine = crlfLine;
  return out;
}

export interface FilePoll {
  at: SourcePos;
  rateMs: number;
  path: string;
  div: number;
  mult: number;
  sub: number;
  base: number;
  mask: number;
  initstate: number;
  raw: boolean;
  offset: number;
  length: number;
  depends?: { mc: number; lun: number; sensor: number; bit: number };
}

/** One sensor_add'ed sensor with its state after the whole file ran. */
export interface SimSensor {
  at: SourcePos;
  lun: number;
  number: number;
  sensorType: number;
  eventReadingType: number;
  eventOnly: boolean;
  poll?: FilePoll;
  /** The reading byte (analog value, or the discrete "value" byte). */
  value: number;
  valueAt?: SourcePos;
  /** Bits 0-14: threshold comparison bits or asserted discrete states. */
  eventStatus: number;
  /** 0 none, 1 readable, 2 settable, 3 fixed. */
  thresholdSupport: number;
  /** Bit i = threshold i (0 LNC, 1 LC, 2 LNR, 3 UNC, 4 UC, 5 UNR) is compared and returned. */
  thresholdSupported: number;
  thresholds: number[];
  thresholdAt?: SourcePos;
  hysteresisSupport: number;
  positiveHysteresis: number;
  negativeHysteresis: number;
  hysteresisAt?: SourcePos;
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  /** 0 per state, 1 entire sensor, 2 global, 3 none. */
  eventSupport: number;
  assertSupported: number;
  deassertSupported: number;
  assertEnabled: number;
  deassertEnabled: number;
  eventAt?: SourcePos;
  /** The SDR that initialised the sensor when it was added (index into the MC's SDRs). */
  initialisedFrom?: number;
  /** A sensor_set_value / bit command asked for an event that ipmi_sim logged at start-up. */
  startupEvents: SourcePos[];
  /** sensor_set_bit on a threshold sensor, or a value set before the thresholds: positions. */
  statusQuirks: SourcePos[];
}

export interface SimFru {
  at: SourcePos;
  deviceId: number;
  size: number;
  data?: Uint8Array;
  file?: { offset: number; path: string };
}

export interface SimMc {
  ipmb: number;
  /** mc_add; undefined while only lan.conf or other commands mentioned the MC. */
  added?: {
    at: SourcePos;
    deviceId: number;
    hasDeviceSdrs: boolean;
    deviceRevision: number;
    fwMajor: number;
    fwMinor: number;
    deviceSupport: number;
    manufacturerId: number;
    productId: number;
    dynsens: boolean;
    persistSdr: boolean;
    /** mc_add came before mc_setbmc named this MC the BMC: ipmi_sim then skips the BMC set-up. */
    beforeSetBmc: boolean;
  };
  enabled?: SourcePos;
  guid?: { at: SourcePos; bytes: Uint8Array };
  sel?: { at: SourcePos; maxEntries: number; flags: number };
  selAdds: SourcePos[];
  mainSdrs: { at: SourcePos; bytes: Uint8Array }[];
  deviceSdrs: SourcePos[];
  sensors: Map<string, SimSensor>;
  frus: Map<number, SimFru>;
  /** Commands about this MC that the converter cannot express (mc_set_power, LEDs, ...). */
  other: { at: SourcePos; command: string }[];
}

export interface EmuModel {
  bmc?: { at: SourcePos; ipmb: number };
  mcs: Map<number, SimMc>;
  /** Statements that only steer ipmi_sim itself (debug, sleep, persist, mc_dump_fru_data). */
  ignored: { at: SourcePos; command: string }[];
  /** Statements that cannot be expressed at all (quit, atca_*, mc_delete, ...). */
  unsupported: { at: SourcePos; command: string }[];
  danglingContinuation?: SourcePos;
  crlf?: SourcePos;
}

export const sensorKey = (lun: number, number: number) => `${lun}.${number}`;

/** Reads include files: returns the text, or undefined when the file does not exist. */
export type ReadText = (path: string) => string | undefined;

export interface EmuOptions {
  vars: Variables;
  readText: ReadText;
  /** Resolves an include name the way ipmi_sim does (relative to its working directory, then /usr/etc/ipmi). */
  includeCandidates: (name: string, from: string) => string[];
  /** MCs lan.conf's set_working_mc allocated (0x20 always exists). */
  knownMcs: Iterable<number>;
}

const MAX_INCLUDE_DEPTH = 16;
const MAX_FRU_SIZE = 8192;
const SDR_REPOSITORY = 0x02;

export function runEmu(text: string, file: string, opts: EmuOptions): EmuModel {
  const model: EmuModel = { mcs: new Map(), ignored: [], unsupported: [] };
  for (const ipmb of [0x20, ...opts.knownMcs]) if (!model.mcs.has(ipmb)) model.mcs.set(ipmb, blankMc(ipmb));
  new EmuRunner(model, opts).runFile(text, file, []);
  return model;
}

function blankMc(ipmb: number): SimMc {
  return { ipmb, selAdds: [], mainSdrs: [], deviceSdrs: [], sensors: new Map(), frus: new Map(), other: [] };
}

function newSensor(at: SourcePos, lun: number, number: number, sensorType: number, eventReadingType: number, eventOnly: boolean): SimSensor {
  return {
    at,
    lun,
    number,
    sensorType,
    eventReadingType,
    eventOnly,
    value: 0,
    eventStatus: 0,
    thresholdSupport: 0,
    thresholdSupported: 0,
    thresholds: [0, 0, 0, 0, 0, 0],
    hysteresisSupport: 0,
    positiveHysteresis: 0,
    negativeHysteresis: 0,
    eventsEnabled: false,
    scanningEnabled: false,
    eventSupport: 0,
    assertSupported: 0,
    deassertSupported: 0,
    assertEnabled: 0,
    deassertEnabled: 0,
    startupEvents: [],
    statusQuirks: [],
  };
}

const bitSet = (v: number, i: number) => ((v >> i) & 1) === 1;

class EmuRunner {
  private readonly model: EmuModel;
  private readonly opts: EmuOptions;

  constructor(model: EmuModel, opts: EmuOptions) {
    this.model = model;
    this.opts = opts;
  }

  runFile(text: string, file: string, stack: string[]): void {
    const { statements, danglingContinuation, crlfLine } = emuStatements(text, file);
    if (danglingContinuation && !this.model.danglingContinuation) this.model.danglingContinuation = danglingContinuation;
    if (crlfLine !== undefined && !this.model.crlf) this.model.crlf = { file, line: crlfLine };
    for (const s of statements) this.run(s, [...stack, file]);
  }

  private mc(w: Words): SimMc {
    const ipmb = w.byte('MC address');
    const mc = this.model.mcs.get(ipmb);
    if (!mc) throw w.error(`no MC at 0x${ipmb.toString(16)} (add it with mc_add first; ipmi_sim: "Invalid MC address")`);
    return mc;
  }

  private sensor(w: Words, mc: SimMc): SimSensor {
    const lun = w.byte('LUN');
    const num = w.byte('sensor number');
    const s = mc.sensors.get(sensorKey(lun, num));
    if (!s || lun >= 4 || num >= 255) throw w.error(`MC 0x${mc.ipmb.toString(16)} has no sensor ${num} on LUN ${lun} (sensor_add it first)`);
    return s;
  }

  private run(st: EmuStatement, stack: string[]): void {
    const w = new Words(st.text, st.at, this.opts.vars);
    const cmd = w.next();
    if (cmd === undefined || cmd.startsWith('#')) return;
    const m = this.model;
    switch (cmd) {
      case 'define': {
        const name = w.need('variable name');
        this.opts.vars.set(name, w.string(`value of ${name}`));
        return;
      }
      case 'include':
      case 'read_cmds':
        return this.include(w, stack);
      case 'debug':
      case 'sleep':
      case 'persist':
        m.ignored.push({ at: st.at, command: cmd });
        return;
      case 'quit':
      case 'atca_enable':
      case 'atca_set_site':
        m.unsupported.push({ at: st.at, command: cmd });
        return;
      case 'mc_setbmc': {
        const ipmb = w.byte('IPMB address of the BMC');
        if (ipmb & 1) throw w.error(`0x${ipmb.toString(16)} is not an IPMB address (it must be even)`);
        m.bmc = { at: st.at, ipmb };
        return;
      }
      case 'mc_add':
        return this.mcAdd(w);
    }
    const mc = this.mcCommand(cmd, w);
    // Only FRU data and the GUID can be given to an MC that lan.conf named but mc_add did not
    // add yet; ipmi_sim crashes on the rest.
    if (!mc.added && cmd !== 'mc_add_fru_data' && cmd !== 'mc_set_guid') throw w.error(`MC 0x${mc.ipmb.toString(16)} is not added yet (mc_add it first)`);
    switch (cmd) {
      case 'mc_enable':
        mc.enabled = st.at;
        return;
      case 'mc_dump_fru_data':
        m.ignored.push({ at: st.at, command: cmd });
        return;
      case 'mc_delete':
      case 'mc_disable':
      case 'mc_set_power':
      case 'mc_set_num_leds':
        mc.other.push({ at: st.at, command: cmd });
        return;
      case 'mc_set_guid':
        mc.guid = { at: st.at, bytes: guidBytes(w) };
        return;
      case 'sel_enable': {
        const maxEntries = w.uint('max records');
        const flags = w.byte('flags');
        mc.sel = { at: st.at, maxEntries, flags: flags & 0x0b };
        return;
      }
      case 'sel_add':
        w.byte('record type');
        for (let i = 0; i < 13; i++) w.byte('data byte');
        mc.selAdds.push(st.at);
        return;
      case 'main_sdr_add':
        return this.mainSdrAdd(w, mc);
      case 'device_sdr_add':
        w.byte('LUN');
        mc.deviceSdrs.push(st.at);
        return;
      case 'mc_add_fru_data':
        return this.fruData(w, mc);
      case 'sensor_add':
        return this.sensorAdd(w, mc);
      case 'sensor_set_value': {
        const s = this.sensor(w, mc);
        const value = w.byte('value');
        const gen = w.byte('generate event');
        s.value = value;
        s.valueAt = st.at;
        this.checkThresholds(s, gen !== 0, st.at);
        return;
      }
      case 'sensor_set_bit':
      case 'sensor_set_bit_clr_rest': {
        const s = this.sensor(w, mc);
        const bit = w.byte('bit to set');
        const value = cmd === 'sensor_set_bit' ? w.byte('bit value') : 1;
        const gen = w.byte('generate event') !== 0;
        if (bit >= 15) throw w.error(`bit ${bit} is above 14`);
        if (cmd === 'sensor_set_bit_clr_rest') {
          for (let i = 0; i < 15; i++) if (i !== bit && bitSet(s.eventStatus, i)) this.setBit(s, i, false, gen, st.at);
          s.value = bit;
          s.valueAt = st.at;
        }
        this.setBit(s, bit, value !== 0, gen, st.at);
        if (s.eventReadingType === 0x01) s.statusQuirks.push(st.at);
        return;
      }
      case 'sensor_set_hysteresis': {
        const s = this.sensor(w, mc);
        s.hysteresisSupport = w.byteOr('hysteresis support', { none: 0, readable: 1, settable: 2, fixed: 3 });
        s.positiveHysteresis = w.byte('positive hysteresis');
        s.negativeHysteresis = w.byte('negative hysteresis');
        s.hysteresisAt = st.at;
        return;
      }
      case 'sensor_set_threshold': {
        const s = this.sensor(w, mc);
        s.thresholdSupport = w.byteOr('threshold support', { none: 0, readable: 1, settable: 2, fixed: 3 });
        s.thresholdSupported = w.bitmask('threshold enabled', 6);
        // Values are given from threshold 5 (UNR) down to 0 (LNC).
        for (let i = 5; i >= 0; i--) s.thresholds[i] = w.byte('threshold value');
        s.thresholdAt = st.at;
        return;
      }
      case 'sensor_set_event_support': {
        const s = this.sensor(w, mc);
        s.eventsEnabled = w.byteOr('events enable', { enable: 1, true: 1, disable: 0, false: 0 }) !== 0;
        s.scanningEnabled = w.byteOr('scanning', { scanning: 1, true: 1, 'no-scanning': 0, false: 0 }) !== 0;
        s.eventSupport = w.byteOr('event support', { 'per-state': 0, 'entire-sensor': 1, global: 2, none: 3 });
        s.assertSupported = w.bitmask('assert support', 15);
        s.deassertSupported = w.bitmask('deassert support', 15);
        s.assertEnabled = w.bitmask('assert enabled', 15) & s.assertSupported;
        s.deassertEnabled = w.bitmask('deassert enabled', 15) & s.deassertSupported;
        s.eventAt = st.at;
        return;
      }
      default:
        throw w.error(`unknown command "${cmd}" (ipmi_sim: "**Unknown command: ${cmd}")`);
    }
  }

  /** Commands whose first argument is an MC address; unknown commands fail before it is read. */
  private mcCommand(cmd: string, w: Words): SimMc {
    const MC_COMMANDS = [
      'mc_enable',
      'mc_dump_fru_data',
      'mc_delete',
      'mc_disable',
      'mc_set_power',
      'mc_set_num_leds',
      'mc_set_guid',
      'sel_enable',
      'sel_add',
      'main_sdr_add',
      'device_sdr_add',
      'mc_add_fru_data',
      'sensor_add',
      'sensor_set_value',
      'sensor_set_bit',
      'sensor_set_bit_clr_rest',
      'sensor_set_hysteresis',
      'sensor_set_threshold',
      'sensor_set_event_support',
    ];
    if (!MC_COMMANDS.includes(cmd)) throw w.error(`unknown command "${cmd}" (ipmi_sim: "**Unknown command: ${cmd}")`);
    return this.mc(w);
  }

  private include(w: Words, stack: string[]): void {
    const name = w.string('file name');
    const from = stack[stack.length - 1]!;
    if (stack.length > MAX_INCLUDE_DEPTH) throw w.error(`includes nested more than ${MAX_INCLUDE_DEPTH} deep`);
    for (const path of this.opts.includeCandidates(name, from)) {
      if (stack.includes(path)) throw w.error(`"${name}" includes itself (through ${stack.join(' → ')}): ipmi_sim would loop`);
      const text = this.opts.readText(path);
      if (text === undefined) continue;
      this.runFile(text, path, stack);
      return;
    }
    throw w.error(`cannot read include file "${name}" (tried ${this.opts.includeCandidates(name, from).join(', ')})`);
  }

  private mcAdd(w: Words): void {
    const at = w.at;
    const ipmb = w.byte('IPMB address');
    const deviceId = w.byte('device ID');
    const hasDeviceSdrs = w.byteOr('has device SDRs', { 'has-device-sdrs': 1, 'no-device-sdrs': 0 }) !== 0;
    const deviceRevision = w.byte('device revision');
    const fwMajor = w.byte('major firmware revision');
    const fwMinor = w.byte('minor firmware revision');
    const deviceSupport = w.byte('device support');
    const manufacturerId = w.uint('manufacturer ID') & 0xffffff;
    const productId = w.uint('product ID') & 0xffff;
    let dynsens = false;
    let persistSdr = false;
    for (const flag of w.rest()) {
      if (flag === 'dynsens') dynsens = true;
      else if (flag === 'persist_sdr') persistSdr = true;
      else throw w.error(`unknown MC flag "${flag}" (dynsens, persist_sdr)`);
    }
    let mc = this.model.mcs.get(ipmb);
    if (mc?.added) throw w.error(`MC 0x${ipmb.toString(16)} is added twice (first at line ${mc.added.at.line} of ${mc.added.at.file})`);
    if (!mc) this.model.mcs.set(ipmb, (mc = blankMc(ipmb)));
    const beforeSetBmc = this.model.bmc?.ipmb !== ipmb;
    mc.added = { at, deviceId, hasDeviceSdrs, deviceRevision, fwMajor, fwMinor, deviceSupport, manufacturerId, productId, dynsens, persistSdr, beforeSetBmc };
  }

  private mainSdrAdd(w: Words, mc: SimMc): void {
    const bytes: number[] = [];
    for (let word = w.next(); word !== undefined; word = w.next()) {
      if (bytes.length >= 256) throw w.error('an SDR has at most 256 bytes here');
      bytes.push(w.byteWord(word, `data byte ${bytes.length}`));
    }
    if (!mc.added || !(mc.added.deviceSupport & SDR_REPOSITORY)) throw w.error(`MC 0x${mc.ipmb.toString(16)} has no SDR repository (mc_add's device support lacks bit 1, 0x02)`);
    if (bytes.length < 5 || bytes.length !== bytes[4]! + 5) throw w.error(`the record's length byte (byte 4) says ${bytes[4] ?? 0} + 5 bytes, but ${bytes.length} are given`);
    mc.mainSdrs.push({ at: w.at, bytes: Uint8Array.from(bytes) });
  }

  private fruData(w: Words, mc: SimMc): void {
    const deviceId = w.byte('device ID');
    const size = w.uint('FRU physical size');
    if (size > MAX_FRU_SIZE) throw w.error(`FRU size ${size} is larger than ${MAX_FRU_SIZE} (ipmi_sim refuses it)`);
    const kind = w.need('FRU data type (data or file)');
    if (kind === 'file') {
      const offset = w.uint('file offset');
      mc.frus.set(deviceId, { at: w.at, deviceId, size, file: { offset, path: w.string('FRU file name') } });
      return;
    }
    if (kind !== 'data') throw w.error(`expected "data" or "file" after the FRU size, got "${kind}"`);
    const data = new Uint8Array(size);
    let n = 0;
    for (let word = w.next(); word !== undefined; word = w.next()) {
      if (n >= size) throw w.error(`more than ${size} data bytes for a FRU of size ${size}`);
      data[n++] = w.byteWord(word, `data byte ${n}`);
    }
    mc.frus.set(deviceId, { at: w.at, deviceId, size, data });
  }

  private sensorAdd(w: Words, mc: SimMc): void {
    const at = w.at;
    const lun = w.byte('LUN');
    const num = w.byte('sensor number');
    const type = w.byte('sensor type');
    const code = w.byte('event reading code');
    let eventOnly = false;
    let poll: FilePoll | undefined;
    for (let tok = w.next(); tok !== undefined; tok = w.next()) {
      if (tok === 'event-only') eventOnly = true;
      else if (tok === 'poll') {
        if (poll) throw w.error('poll given twice');
        const rateMs = w.uint('poll rate');
        const handler = w.need('poll handler');
        if (handler !== 'file') throw w.error(`unknown sensor poll handler "${handler}" (ipmi_sim has "file"; others come from loadlib modules)`);
        poll = filePoll(w, at, rateMs);
        // file_init consumed the rest of the line
      } else throw w.error(`unknown sensor option "${tok}" (poll, event-only)`);
    }
    if (poll && eventOnly) throw w.error('an event-only sensor cannot be polled');
    if (lun >= 4 || num >= 255) throw w.error(`sensor ${num} on LUN ${lun}: LUN must be 0-3 and the number 0-254`);
    const key = sensorKey(lun, num);
    if (mc.sensors.has(key)) throw w.error(`sensor ${num} on LUN ${lun} is added twice`);
    const s = newSensor(at, lun, num, type, code, eventOnly);
    if (poll) s.poll = poll;
    mc.sensors.set(key, s);
    // The BMC's SDR for this sensor (owner = this MC, same LUN and number) initialises it.
    const bmc = this.model.bmc ? this.model.mcs.get(this.model.bmc.ipmb) : undefined;
    if (bmc) {
      const i = bmc.mainSdrs.findIndex((r) => r.bytes.length >= 8 && (r.bytes[3] === 1 || r.bytes[3] === 2) && r.bytes[5] === mc.ipmb && (r.bytes[6]! & 3) === lun && r.bytes[7] === num);
      if (i >= 0) {
        initFromSdr(s, bmc.mainSdrs[i]!.bytes);
        s.initialisedFrom = i;
      }
    }
    s.eventStatus = poll ? poll.initstate & 0x7fff : 0;
  }

  /** bmc_sensor.c check_thresholds: unsigned compares, hysteresis on the way back. */
  private checkThresholds(s: SimSensor, gen: boolean, at: SourcePos): void {
    const before = s.eventStatus;
    for (let i = 0; i < 6; i++) {
      if (!bitSet(s.thresholdSupported, i)) continue;
      const t = s.thresholds[i]!;
      let set: boolean | undefined;
      if (i < 3) set = s.value <= t ? true : s.value - s.negativeHysteresis > t ? false : undefined;
      else set = s.value >= t ? true : s.value + s.positiveHysteresis < t ? false : undefined;
      if (set === true) s.eventStatus |= 1 << i;
      else if (set === false) s.eventStatus &= ~(1 << i);
    }
    if (gen && before !== s.eventStatus && s.eventsEnabled) s.startupEvents.push(at);
  }

  private setBit(s: SimSensor, bit: number, value: boolean, gen: boolean, at: SourcePos): void {
    if (bitSet(s.eventStatus, bit) === value) return;
    s.eventStatus = value ? s.eventStatus | (1 << bit) : s.eventStatus & ~(1 << bit);
    const enabled = value ? s.assertEnabled : s.deassertEnabled;
    if (gen && s.eventsEnabled && bitSet(enabled, bit)) s.startupEvents.push(at);
  }
}

/** bmc_sensor.c init_sensor_from_sdr: what a full or compact SDR sets in a new sensor. */
function initFromSdr(s: SimSensor, sdr: Uint8Array): void {
  if (sdr[4]! < 20) return;
  const init = sdr[10]!;
  const caps = sdr[11]!;
  if ((init >> 2) & 1) {
    s.sensorType = sdr[12]!;
    s.eventReadingType = sdr[13]!;
  }
  if ((init >> 5) & 1) s.eventsEnabled = ((init >> 1) & 1) === 1;
  if ((init >> 6) & 1) s.scanningEnabled = (init & 1) === 1;
  s.eventSupport = caps & 3;
  // The masks include bits 12-14 (the threshold reading masks) of threshold sensors.
  s.assertSupported = s.assertEnabled = sdr[14]! | (sdr[15]! << 8);
  s.deassertSupported = s.deassertEnabled = sdr[16]! | (sdr[17]! << 8);
  if ((init >> 4) & 1) {
    s.thresholdSupport = (caps >> 2) & 3;
    s.thresholdSupported = ((sdr[15]! >> 4) & 7) | (((sdr[17]! >> 4) & 7) << 3);
    if (s.thresholdSupport === 2 && sdr[3] === 1) s.thresholds = [sdr[41]!, sdr[40]!, sdr[39]!, sdr[38]!, sdr[37]!, sdr[36]!];
  }
  if ((init >> 3) & 1) {
    s.hysteresisSupport = (caps >> 4) & 3;
    if (sdr[3] === 1) [s.positiveHysteresis, s.negativeHysteresis] = [sdr[42]!, sdr[43]!];
    else [s.positiveHysteresis, s.negativeHysteresis] = [sdr[25]!, sdr[26]!];
  }
}

function guidBytes(w: Words): Uint8Array {
  const word = w.need('GUID');
  const out = new Uint8Array(16);
  if (word.startsWith('"')) {
    if (!word.endsWith('"') || word.length < 2) throw w.error('a quoted GUID is one word without spaces');
    const s = word.slice(1, -1);
    for (let i = 0; i < Math.min(s.length, 15); i++) out[i] = s.charCodeAt(i) & 0xff;
    return out;
  }
  if (!/^[0-9a-fA-F]{32}$/.test(word)) throw w.error(`GUID: expected 32 hexadecimal digits or "text", got "${word}"`);
  for (let i = 0; i < 16; i++) out[i] = parseInt(word.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function filePoll(w: Words, at: SourcePos, rateMs: number): FilePoll {
  const path = w.string('sensor file name');
  const p: FilePoll = { at, rateMs, path, div: 0, mult: 0, sub: 0, base: 0, mask: 0, initstate: 0, raw: false, offset: 0, length: 0 };
  const int = (v: string, what: string) => {
    const n = v.startsWith('-') ? -w.numberWord(v.slice(1), what, 0x7fffffff) : w.numberWord(v, what, 0xffffffff);
    return n;
  };
  for (let tok = w.next(); tok !== undefined; tok = w.next()) {
    const [key, value] = tok.includes('=') ? [tok.slice(0, tok.indexOf('=')), tok.slice(tok.indexOf('=') + 1)] : [tok, undefined];
    switch (key) {
      case 'div':
      case 'mult':
      case 'sub':
      case 'base':
      case 'mask':
      case 'initstate':
      case 'offset':
      case 'length':
        if (value === undefined) throw w.error(`${key}= needs a value`);
        p[key] = int(value, key);
        break;
      case 'raw':
        p.raw = true;
        break;
      case 'ascii':
        p.raw = false;
        break;
      case 'depends': {
        const parts = (value ?? '').split(',');
        if (parts.length < 4) throw w.error('depends= needs MC,LUN,SENSOR,BIT');
        const [mc, lun, sensor, bit] = parts.map((x, i) => int(x, ['depends MC', 'depends LUN', 'depends sensor', 'depends bit'][i]!));
        if (lun! >= 4 || bit! >= 15) throw w.error('depends: LUN must be 0-3 and the bit 0-14');
        p.depends = { mc: mc!, lun: lun!, sensor: sensor!, bit: bit! };
        break;
      }
      default:
        throw w.error(`unknown file sensor option "${tok}" (div=, mult=, sub=, base=, mask=, initstate=, raw, ascii, offset=, length=, depends=)`);
    }
  }
  return p;
}

export { ImportError };
