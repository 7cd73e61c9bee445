// Sensor/Event netFn (0x04) commands (IPMI v2.0 §29, §35). Privileges follow Appendix G:
// reading is USER, changing a sensor is OPERATOR, the event receiver is ADMINISTRATOR.

import { Reader, Writer } from '../../protocol/bytes.js';
import { Privilege, defineCommand, EMPTY, NetFn, rawField, type AnySpec, type Codec } from '../spec.js';
import { getSdr, type GetSdrRequest, type GetSdrResponse } from './sdr-repository.js';
import { reservationIdCodec } from './storage.js';

const { User, Operator, Administrator } = Privilege;

const sensorNumber: Codec<{ sensorNumber: number }> = {
  encode: (w, v) => void w.u8(v.sensorNumber),
  decode: (r) => ({ sensorNumber: r.u8() }),
};

/** The 15 state/event bits of discrete sensors, or the 12 threshold event offsets, as two LE bytes. */
const optU16 = (r: Reader): number | undefined => {
  if (r.remaining === 0) return undefined;
  const lo = r.u8();
  return lo | (r.optU8(0) << 8);
};

// ---- event receiver and Platform Event Message (§29) --------------------------------------

export interface EventReceiver {
  /** 0xFF disables event message generation. */
  slaveAddress: number;
  lun: number;
}
const eventReceiverCodec: Codec<EventReceiver> = {
  encode: (w, v) => void w.u8(v.slaveAddress).u8(v.lun & 0x03),
  decode: (r) => ({ slaveAddress: r.u8(), lun: r.u8() & 0x03 }),
};
export const setEventReceiver = defineCommand({ name: 'Set Event Receiver', netFn: NetFn.SensorEvent, cmd: 0x00, access: Administrator, minRequestLength: 2, request: eventReceiverCodec, response: EMPTY });
export const getEventReceiver = defineCommand({ name: 'Get Event Receiver', netFn: NetFn.SensorEvent, cmd: 0x01, access: User, minRequestLength: 0, request: EMPTY, response: eventReceiverCodec });

export interface PlatformEvent {
  /** Present only when the message comes from the system interface (software ID, e.g. 0x41 BIOS). */
  generatorId?: number;
  evmRev: number;
  sensorType: number;
  sensorNumber: number;
  deassertion: boolean;
  eventType: number;
  /** Event data 1, and optionally 2 and 3. */
  eventData: number[];
}

/**
 * Platform Event Message data (§29.3): on the system interface the generator ID comes first; on
 * IPMB and LAN the generator is the requester and the byte is absent. Event data 2 and 3 are
 * optional, so the layout cannot be told from the length alone: the caller knows the channel.
 */
export function decodePlatformEvent(data: Uint8Array, withGeneratorId: boolean): PlatformEvent | undefined {
  const r = new Reader(data);
  const fixed = withGeneratorId ? 6 : 5;
  if (data.length < fixed || data.length > fixed + 2) return undefined;
  const generatorId = withGeneratorId ? r.u8() : undefined;
  const evmRev = r.u8();
  const sensorType = r.u8();
  const sensorNo = r.u8();
  const dirType = r.u8();
  const eventData = Array.from(r.rest());
  const ev: PlatformEvent = { evmRev, sensorType, sensorNumber: sensorNo, deassertion: (dirType & 0x80) !== 0, eventType: dirType & 0x7f, eventData };
  if (generatorId !== undefined) ev.generatorId = generatorId;
  return ev;
}

export function encodePlatformEvent(ev: PlatformEvent): Uint8Array {
  const w = new Writer(8);
  if (ev.generatorId !== undefined) w.u8(ev.generatorId);
  w.u8(ev.evmRev).u8(ev.sensorType).u8(ev.sensorNumber).u8((ev.deassertion ? 0x80 : 0) | (ev.eventType & 0x7f));
  w.bytes(ev.eventData.slice(0, 3));
  return w.finish();
}

export const platformEventMessage = defineCommand({
  name: 'Platform Event Message',
  netFn: NetFn.SensorEvent,
  cmd: 0x02,
  access: Operator,
  minRequestLength: 5,
  maxRequestLength: 8,
  request: rawField('data'),
  response: EMPTY,
});

// ---- device SDR repository (§35.2-35.4) ----------------------------------------------------

export interface DeviceSdrInfo {
  /** Sensors on the LUN the request was sent to, or SDRs in the device repository. */
  count: number;
  /** Bit 7 dynamic population, bits 0-3 LUNs 0-3 have sensors. */
  flags: number;
  /** Timestamp of the last population change (dynamic devices), else 0. */
  populationChange: number;
}
export const getDeviceSdrInfo = defineCommand<{ sdrCount: boolean }, DeviceSdrInfo>({
  name: 'Get Device SDR Info',
  netFn: NetFn.SensorEvent,
  cmd: 0x20,
  access: User,
  minRequestLength: 0,
  maxRequestLength: 1,
  request: {
    encode: (w, v) => void (v.sdrCount && w.u8(1)),
    decode: (r) => ({ sdrCount: (r.optU8(0) & 1) === 1 }),
  },
  response: {
    encode: (w, v) => void w.u8(v.count).u8(v.flags).u32(v.populationChange),
    decode: (r) => ({ count: r.u8(), flags: r.u8(), populationChange: r.remaining >= 4 ? r.u32() : 0 }),
  },
});

/** Same layout as the repository's Get SDR (§35.3). */
export const getDeviceSdr = defineCommand<GetSdrRequest, GetSdrResponse>({ ...getSdr, name: 'Get Device SDR', netFn: NetFn.SensorEvent, cmd: 0x21 });
export const reserveDeviceSdrRepository = defineCommand({ name: 'Reserve Device SDR Repository', netFn: NetFn.SensorEvent, cmd: 0x22, access: User, minRequestLength: 0, request: EMPTY, response: reservationIdCodec });

// ---- factors, hysteresis, thresholds (§35.5-35.9) ------------------------------------------

/** M, tolerance, B, accuracy, exponents packed as full-SDR bytes 25-30. */
export interface ReadingFactors {
  m: number;
  tolerance: number;
  b: number;
  accuracy: number;
  accuracyExp: number;
  rExp: number;
  bExp: number;
}
export const getSensorReadingFactors = defineCommand<{ sensorNumber: number; reading: number }, { nextReading: number; factors: ReadingFactors }>({
  name: 'Get Sensor Reading Factors',
  netFn: NetFn.SensorEvent,
  cmd: 0x23,
  access: User,
  minRequestLength: 2,
  request: {
    encode: (w, v) => void w.u8(v.sensorNumber).u8(v.reading),
    decode: (r) => ({ sensorNumber: r.u8(), reading: r.u8() }),
  },
  response: {
    encode(w, { nextReading, factors: f }) {
      const m = f.m & 0x3ff;
      const b = f.b & 0x3ff;
      w.u8(nextReading).u8(m & 0xff).u8(((m >> 8) << 6) | (f.tolerance & 0x3f));
      w.u8(b & 0xff).u8(((b >> 8) << 6) | (f.accuracy & 0x3f)).u8(((f.accuracy >> 6) << 4) | ((f.accuracyExp & 3) << 2));
      w.u8(((f.rExp & 0x0f) << 4) | (f.bExp & 0x0f));
    },
    decode(r) {
      const nextReading = r.u8();
      const [mLo, mTol, bLo, bAcc, accExp, exps] = Array.from(r.bytes(6));
      const s = (v: number, width: number) => (v & ((1 << (width - 1)) - 1)) - (v & (1 << (width - 1)));
      return {
        nextReading,
        factors: {
          m: s(mLo! | ((mTol! >> 6) << 8), 10),
          tolerance: mTol! & 0x3f,
          b: s(bLo! | ((bAcc! >> 6) << 8), 10),
          accuracy: (bAcc! & 0x3f) | ((accExp! >> 4) << 6),
          accuracyExp: (accExp! >> 2) & 3,
          rExp: s(exps! >> 4, 4),
          bExp: s(exps! & 0x0f, 4),
        },
      };
    },
  },
});

export interface Hysteresis {
  positive: number;
  negative: number;
}
export const setSensorHysteresis = defineCommand<{ sensorNumber: number } & Hysteresis, Record<string, never>>({
  name: 'Set Sensor Hysteresis',
  netFn: NetFn.SensorEvent,
  cmd: 0x24,
  access: Operator,
  minRequestLength: 4,
  request: {
    // Byte 2 is the "reserved for future hysteresis mask definition" byte: FFh.
    encode: (w, v) => void w.u8(v.sensorNumber).u8(0xff).u8(v.positive).u8(v.negative),
    decode(r) {
      const sensorNo = r.u8();
      r.skip(1);
      return { sensorNumber: sensorNo, positive: r.u8(), negative: r.u8() };
    },
  },
  response: EMPTY,
});
export const getSensorHysteresis = defineCommand<{ sensorNumber: number }, Hysteresis>({
  name: 'Get Sensor Hysteresis',
  netFn: NetFn.SensorEvent,
  cmd: 0x25,
  access: User,
  minRequestLength: 1,
  request: { encode: (w, v) => void w.u8(v.sensorNumber).u8(0xff), decode: (r) => ({ sensorNumber: r.u8() }) },
  response: { encode: (w, v) => void w.u8(v.positive).u8(v.negative), decode: (r) => ({ positive: r.u8(), negative: r.u8() }) },
});

/** Raw thresholds in command order LNC, LC, LNR, UNC, UC, UNR (bit i of the masks). */
export type ThresholdBytes = [number, number, number, number, number, number];

export const setSensorThresholds = defineCommand<{ sensorNumber: number; mask: number; values: ThresholdBytes }, Record<string, never>>({
  name: 'Set Sensor Thresholds',
  netFn: NetFn.SensorEvent,
  cmd: 0x26,
  access: Operator,
  minRequestLength: 8,
  request: {
    encode: (w, v) => void w.u8(v.sensorNumber).u8(v.mask & 0x3f).bytes(v.values),
    decode: (r) => ({ sensorNumber: r.u8(), mask: r.u8() & 0x3f, values: Array.from(r.bytes(6)) as ThresholdBytes }),
  },
  response: EMPTY,
});
export const getSensorThresholds = defineCommand<{ sensorNumber: number }, { readable: number; values: ThresholdBytes }>({
  name: 'Get Sensor Thresholds',
  netFn: NetFn.SensorEvent,
  cmd: 0x27,
  access: User,
  minRequestLength: 1,
  request: sensorNumber,
  response: {
    encode: (w, v) => void w.u8(v.readable & 0x3f).bytes(v.values),
    decode: (r) => ({ readable: r.u8() & 0x3f, values: Array.from(r.bytes(6)) as ThresholdBytes }),
  },
});

// ---- event enables, re-arm, status (§35.10-35.13) ------------------------------------------

/** Set Sensor Event Enable byte 2 [5:4]. */
export const EventEnableOp = { None: 0, Enable: 1, Disable: 2 } as const;

export interface SetEventEnableRequest {
  sensorNumber: number;
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  /** 0 do not change the per-event bits, 1 enable the selected ones, 2 disable them (3 reserved). */
  op: number;
  /** Absent bytes select nothing. */
  assertion?: number;
  deassertion?: number;
}
export const setSensorEventEnable = defineCommand<SetEventEnableRequest, Record<string, never>>({
  name: 'Set Sensor Event Enable',
  netFn: NetFn.SensorEvent,
  cmd: 0x28,
  access: Operator,
  minRequestLength: 2,
  maxRequestLength: 6,
  request: {
    encode(w, v) {
      w.u8(v.sensorNumber).u8((v.eventsEnabled ? 0x80 : 0) | (v.scanningEnabled ? 0x40 : 0) | ((v.op & 3) << 4));
      if (v.assertion !== undefined || v.deassertion !== undefined) w.u16(v.assertion ?? 0);
      if (v.deassertion !== undefined) w.u16(v.deassertion);
    },
    decode(r) {
      const sensorNo = r.u8();
      const flags = r.u8();
      const out: SetEventEnableRequest = { sensorNumber: sensorNo, eventsEnabled: (flags & 0x80) !== 0, scanningEnabled: (flags & 0x40) !== 0, op: (flags >> 4) & 3 };
      const a = optU16(r);
      const d = optU16(r);
      if (a !== undefined) out.assertion = a;
      if (d !== undefined) out.deassertion = d;
      return out;
    },
  },
  response: EMPTY,
});

export interface EventEnables {
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  /** Absent for sensors with entire-sensor event control only. */
  assertion?: number;
  deassertion?: number;
}
export const getSensorEventEnable = defineCommand<{ sensorNumber: number }, EventEnables>({
  name: 'Get Sensor Event Enable',
  netFn: NetFn.SensorEvent,
  cmd: 0x29,
  access: User,
  minRequestLength: 1,
  request: sensorNumber,
  response: {
    encode(w, v) {
      w.u8((v.eventsEnabled ? 0x80 : 0) | (v.scanningEnabled ? 0x40 : 0));
      if (v.assertion !== undefined) w.u16(v.assertion).u16(v.deassertion ?? 0);
    },
    decode(r) {
      const flags = r.u8();
      const out: EventEnables = { eventsEnabled: (flags & 0x80) !== 0, scanningEnabled: (flags & 0x40) !== 0 };
      const a = optU16(r);
      const d = optU16(r);
      if (a !== undefined) out.assertion = a;
      if (d !== undefined) out.deassertion = d;
      return out;
    },
  },
});

export interface RearmRequest {
  sensorNumber: number;
  /** Byte 2 bit 7 clear: re-arm every event status bit; set: only the selected ones. */
  all: boolean;
  assertion: number;
  deassertion: number;
}
export const rearmSensorEvents = defineCommand<RearmRequest, Record<string, never>>({
  name: 'Re-arm Sensor Events',
  netFn: NetFn.SensorEvent,
  cmd: 0x2a,
  access: Operator,
  minRequestLength: 2,
  maxRequestLength: 6,
  request: {
    encode: (w, v) => void w.u8(v.sensorNumber).u8(v.all ? 0 : 0x80).u16(v.assertion).u16(v.deassertion),
    decode(r) {
      const sensorNo = r.u8();
      const all = (r.u8() & 0x80) === 0;
      return { sensorNumber: sensorNo, all, assertion: optU16(r) ?? 0, deassertion: optU16(r) ?? 0 };
    },
  },
  response: EMPTY,
});

/** Byte 2 of Get Sensor Reading / Get Sensor Event Status. */
export interface SensorStatusFlags {
  eventsEnabled: boolean;
  scanningEnabled: boolean;
  unavailable: boolean;
}
const statusByte = (v: SensorStatusFlags): number => (v.eventsEnabled ? 0x80 : 0) | (v.scanningEnabled ? 0x40 : 0) | (v.unavailable ? 0x20 : 0);
const statusFlags = (b: number): SensorStatusFlags => ({ eventsEnabled: (b & 0x80) !== 0, scanningEnabled: (b & 0x40) !== 0, unavailable: (b & 0x20) !== 0 });

export interface EventStatus extends SensorStatusFlags {
  assertion: number;
  deassertion: number;
}
export const getSensorEventStatus = defineCommand<{ sensorNumber: number }, EventStatus>({
  name: 'Get Sensor Event Status',
  netFn: NetFn.SensorEvent,
  cmd: 0x2b,
  access: User,
  minRequestLength: 1,
  request: sensorNumber,
  response: {
    encode: (w, v) => void w.u8(statusByte(v)).u16(v.assertion).u16(v.deassertion),
    decode: (r) => ({ ...statusFlags(r.u8()), assertion: optU16(r) ?? 0, deassertion: optU16(r) ?? 0 }),
  },
});

// ---- reading, type, simulated reading (§35.14-35.17) ---------------------------------------

export interface SensorReading extends SensorStatusFlags {
  reading: number;
  /**
   * Threshold sensors: comparison bits 0-5 (one byte). Discrete sensors: states 0-14 (two bytes).
   * Byte 4 bit 7 is reserved ("returned as 1b" in Table 35-15) and kept as received, because
   * ipmitool prints byte 4 whole.
   */
  states: number;
  /** Byte 4 present. */
  discrete: boolean;
}
export const getSensorReading = defineCommand<{ sensorNumber: number }, SensorReading>({
  name: 'Get Sensor Reading',
  netFn: NetFn.SensorEvent,
  cmd: 0x2d,
  access: User,
  minRequestLength: 1,
  request: sensorNumber,
  response: {
    encode(w, v) {
      w.u8(v.reading).u8(statusByte(v)).u8(v.states & (v.discrete ? 0xff : 0x3f));
      if (v.discrete) w.u8((v.states >> 8) & 0xff);
    },
    decode(r) {
      const reading = r.u8();
      const flags = statusFlags(r.optU8(0));
      const lo = r.optU8(0);
      const hi = r.remaining > 0 ? r.u8() : undefined;
      return { reading, ...flags, states: hi === undefined ? lo : lo | (hi << 8), discrete: hi !== undefined };
    },
  },
});

export const getSensorType = defineCommand<{ sensorNumber: number }, { sensorType: number; eventReadingType: number }>({
  name: 'Get Sensor Type',
  netFn: NetFn.SensorEvent,
  cmd: 0x2f,
  access: User,
  minRequestLength: 1,
  request: sensorNumber,
  response: {
    encode: (w, v) => void w.u8(v.sensorType).u8(v.eventReadingType & 0x7f),
    decode: (r) => ({ sensorType: r.u8(), eventReadingType: r.u8() & 0x7f }),
  },
});

/** Set Sensor Reading and Event Status byte 2 [5:4] and [3:2] (§35.17). */
export const StatusBitsOp = { None: 0, Write: 1, Set: 2, Clear: 3 } as const;
/** Byte 2 [7:6]. */
export const EventDataOp = { BmcGenerated: 0, WriteIncludingOffset: 1, WriteExcludingOffset: 2 } as const;

export interface SetSensorReadingRequest {
  sensorNumber: number;
  /** Byte 2 [1:0]: 1 = write the reading byte. */
  readingOp: number;
  deassertionOp: number;
  assertionOp: number;
  eventDataOp: number;
  reading: number;
  /** Absent when the request stops before bytes 4-5 / 6-7 / 8-10. */
  assertion?: number;
  deassertion?: number;
  eventData?: [number, number, number];
}
export const setSensorReadingAndEventStatus = defineCommand<SetSensorReadingRequest, Record<string, never>>({
  name: 'Set Sensor Reading And Event Status',
  netFn: NetFn.SensorEvent,
  cmd: 0x30,
  access: Operator,
  minRequestLength: 3,
  maxRequestLength: 10,
  request: {
    encode(w, v) {
      w.u8(v.sensorNumber).u8(((v.eventDataOp & 3) << 6) | ((v.assertionOp & 3) << 4) | ((v.deassertionOp & 3) << 2) | (v.readingOp & 3)).u8(v.reading);
      const needEd = v.eventData !== undefined;
      const needD = needEd || v.deassertion !== undefined;
      if (needD || v.assertion !== undefined) w.u16(v.assertion ?? 0);
      if (needD) w.u16(v.deassertion ?? 0);
      if (needEd) w.bytes(v.eventData!);
    },
    decode(r) {
      const sensorNo = r.u8();
      const op = r.u8();
      const out: SetSensorReadingRequest = {
        sensorNumber: sensorNo,
        readingOp: op & 3,
        deassertionOp: (op >> 2) & 3,
        assertionOp: (op >> 4) & 3,
        eventDataOp: (op >> 6) & 3,
        reading: r.u8(),
      };
      const a = optU16(r);
      const d = optU16(r);
      if (a !== undefined) out.assertion = a;
      if (d !== undefined) out.deassertion = d;
      if (r.remaining > 0) out.eventData = [r.u8(), r.optU8(0), r.optU8(0)];
      return out;
    },
  },
  response: EMPTY,
  completionCodes: {
    0x80: 'attempt to change reading or status bits that are not settable with this command',
    0x81: 'setting event data bytes is not supported for this sensor',
  },
});

export const sensorEventCommands: readonly AnySpec[] = [
  setEventReceiver,
  getEventReceiver,
  platformEventMessage,
  getDeviceSdrInfo,
  getDeviceSdr,
  reserveDeviceSdrRepository,
  getSensorReadingFactors,
  setSensorHysteresis,
  getSensorHysteresis,
  setSensorThresholds,
  getSensorThresholds,
  setSensorEventEnable,
  getSensorEventEnable,
  rearmSensorEvents,
  getSensorEventStatus,
  getSensorReading,
  getSensorType,
  setSensorReadingAndEventStatus,
];

export type { GetSdrRequest, GetSdrResponse };
