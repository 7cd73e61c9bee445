// Handlers for the Sensor/Event netFn (0x04): sensor readings, thresholds, hysteresis, event
// enables and status, re-arm, Platform Event Message, Set Sensor Reading and Event Status, and
// the device SDR commands (served from the BMC's SDR repository). Specs: src/ipmi/commands/.

import { CC } from '../../protocol/completion-codes.js';
import * as se from '../../ipmi/commands/sensor-event.js';
import { fail, handle, type Completion, type HandlerEntry } from '../dispatch.js';
import { SYSTEM_INTERFACE_CHANNEL, type BmcCore, type HandlerContext } from '../core.js';
import { Access } from '../state/sensor-records.js';
import type { EventDataOverride, Sensor } from '../state/sensors.js';
import { getSdrResult, reserveSdr } from './sdr.js';

const EMPTY = {} as Record<string, never>;

/** Software ID of a remote console (IPMI v2.0 §5.5): the generator of events sent over LAN. */
const REMOTE_CONSOLE_SWID = 0x81;

/** A handler of a command addressed to a sensor: unknown sensor numbers answer 0xCB. */
function onSensor<Req extends { sensorNumber: number }, Res>(fn: (s: Sensor, req: Req, bmc: BmcCore) => Res | Completion) {
  return (req: Req, { bmc }: HandlerContext): Res | Completion => {
    const s = bmc.sensors.get(req.sensorNumber);
    return s ? fn(s, req, bmc) : fail(CC.NotPresent);
  };
}

const readable = (access: number) => access === Access.Readable || access === Access.Settable;

export const sensorHandlers: HandlerEntry<HandlerContext>[] = [
  handle(se.getEventReceiver, (_req, { bmc }) => bmc.sensors.eventReceiver),
  handle(se.setEventReceiver, (req, { bmc }) => {
    bmc.sensors.eventReceiver = { slaveAddress: req.slaveAddress, lun: req.lun };
    return EMPTY;
  }),

  handle(se.platformEventMessage, (req, ctx) => {
    const system = ctx.channel === SYSTEM_INTERFACE_CHANNEL;
    const ev = se.decodePlatformEvent(req.data, system);
    if (!ev) return fail(CC.RequestDataLengthInvalid);
    ctx.bmc.events.log({
      generatorId: ev.generatorId ?? REMOTE_CONSOLE_SWID,
      generatorChannelLun: system ? 0 : (ctx.channel & 0x0f) << 4,
      evmRev: ev.evmRev,
      sensorType: ev.sensorType,
      sensorNumber: ev.sensorNumber,
      eventType: ev.eventType,
      deassertion: ev.deassertion,
      data1: ev.eventData[0]!,
      data2: ev.eventData[1] ?? 0xff,
      data3: ev.eventData[2] ?? 0xff,
    });
    return EMPTY;
  }),

  handle(se.getDeviceSdrInfo, (req, { bmc }) => ({
    count: req.sdrCount ? bmc.sdr.records.length : bmc.sensors.count,
    flags: bmc.sensors.count > 0 ? 0x01 : 0x00,
    populationChange: 0,
  })),
  handle(se.getDeviceSdr, (req, { bmc }) => getSdrResult(bmc, req)),
  handle(se.reserveDeviceSdrRepository, (_req, { bmc }) => reserveSdr(bmc)),

  handle(se.getSensorReadingFactors, onSensor((s) => {
    if (s.sdr.kind !== 'full') return fail(CC.IllegalForSensorOrRecord);
    const r = s.sdr;
    // Linear sensors use one set of factors for every reading.
    return { nextReading: 0xff, factors: { m: r.m, tolerance: r.tolerance, b: r.b, accuracy: r.accuracy, accuracyExp: r.accuracyExp, rExp: r.rExp, bExp: r.bExp } };
  })),

  handle(se.getSensorHysteresis, onSensor((s) => {
    if (!s.threshold || !readable(s.cfg.hysteresisAccess)) return fail(CC.IllegalForSensorOrRecord);
    return { positive: s.positiveHysteresis, negative: s.negativeHysteresis };
  })),
  handle(se.setSensorHysteresis, onSensor((s, req, bmc) => {
    if (!s.threshold || s.cfg.hysteresisAccess !== Access.Settable) return fail(CC.IllegalForSensorOrRecord);
    s.positiveHysteresis = req.positive;
    s.negativeHysteresis = req.negative;
    s.evaluate(true);
    bmc.sensors.saveSettings();
    return EMPTY;
  })),

  handle(se.getSensorThresholds, onSensor((s) => {
    if (!s.threshold || !readable(s.cfg.thresholdAccess)) return fail(CC.IllegalForSensorOrRecord);
    const values = s.thresholds.map((v, i) => ((s.readable >> i) & 1 ? v : 0)) as se.ThresholdBytes;
    return { readable: s.readable, values };
  })),
  handle(se.setSensorThresholds, onSensor((s, req, bmc) => {
    if (!s.threshold || s.cfg.thresholdAccess !== Access.Settable) return fail(CC.IllegalForSensorOrRecord);
    if (req.mask & ~s.settable) return fail(CC.InvalidDataField);
    for (let i = 0; i < 6; i++) if ((req.mask >> i) & 1) s.thresholds[i] = req.values[i]!;
    s.evaluate(true);
    bmc.sensors.saveSettings();
    return EMPTY;
  })),

  handle(se.getSensorEventEnable, onSensor((s) => {
    const control = s.cfg.eventMessageControl;
    if (control >= 2) return fail(CC.IllegalForSensorOrRecord);
    const out: se.EventEnables = { eventsEnabled: s.eventsEnabled, scanningEnabled: s.scanningEnabled };
    if (control === 0) {
      out.assertion = s.assertEnable;
      out.deassertion = s.deassertEnable;
    }
    return out;
  })),
  handle(se.setSensorEventEnable, onSensor((s, req, bmc) => {
    const control = s.cfg.eventMessageControl;
    if (control >= 2) return fail(CC.IllegalForSensorOrRecord);
    if (req.op === 3 || (control === 1 && req.op !== se.EventEnableOp.None)) return fail(CC.InvalidDataField);
    const rescan = req.scanningEnabled && !s.scanningEnabled;
    s.eventsEnabled = req.eventsEnabled;
    s.scanningEnabled = req.scanningEnabled;
    if (req.op !== se.EventEnableOp.None) {
      // Offsets the SDR does not list are ignored.
      const a = (req.assertion ?? 0) & s.supportedAssertions;
      const d = (req.deassertion ?? 0) & s.supportedDeassertions;
      if (req.op === se.EventEnableOp.Enable) {
        s.assertEnable |= a;
        s.deassertEnable |= d;
      } else {
        s.assertEnable &= ~a;
        s.deassertEnable &= ~d;
      }
    }
    if (rescan) s.evaluate(true);
    bmc.sensors.saveSettings();
    return EMPTY;
  })),

  handle(se.rearmSensorEvents, onSensor((s, req) => {
    if (req.all) s.rearm(0x7fff, 0x7fff);
    else s.rearm(req.assertion & 0x7fff, req.deassertion & 0x7fff);
    return EMPTY;
  })),

  handle(
    se.getSensorEventStatus,
    onSensor((s) => ({ eventsEnabled: s.eventsEnabled, scanningEnabled: s.scanningEnabled, unavailable: s.unavailable, assertion: s.assertStatus, deassertion: s.deassertStatus })),
  ),

  handle(se.getSensorReading, (req, { bmc }) => {
    const s = bmc.sensors.get(req.sensorNumber);
    if (!s || s.eventOnly) return fail(CC.NotPresent);
    return {
      reading: s.unavailable ? 0 : s.raw,
      eventsEnabled: s.eventsEnabled,
      scanningEnabled: s.scanningEnabled,
      unavailable: s.unavailable,
      states: s.unavailable ? 0 : s.state,
      discrete: !s.threshold,
    };
  }),

  handle(se.getSensorType, onSensor((s) => ({ sensorType: s.cfg.sensorType, eventReadingType: s.cfg.eventReadingType }))),

  handle(se.setSensorReadingAndEventStatus, onSensor((s, req) => {
    if (req.readingOp > 1 || req.eventDataOp === 3) return fail(CC.InvalidDataField);
    let data: EventDataOverride | undefined;
    if (req.eventDataOp !== se.EventDataOp.BmcGenerated) {
      if (!req.eventData) return fail(CC.InvalidDataField);
      const [data1, data2, data3] = req.eventData;
      data = { includingOffset: req.eventDataOp === se.EventDataOp.WriteIncludingOffset, data1, data2, data3 };
    }
    if (req.readingOp === 1 && s.eventOnly) return fail(0x80);
    // Requested operations need their bytes.
    if ((req.assertionOp !== se.StatusBitsOp.None && req.assertion === undefined) || (req.deassertionOp !== se.StatusBitsOp.None && req.deassertion === undefined)) {
      return fail(CC.InvalidDataField);
    }
    if (req.readingOp === 1) s.setRawOverride(req.reading, data);
    const apply = (op: number, cur: number, bits: number) =>
      op === se.StatusBitsOp.Write ? bits : op === se.StatusBitsOp.Set ? cur | bits : op === se.StatusBitsOp.Clear ? cur & ~bits : cur;
    if (req.assertionOp !== se.StatusBitsOp.None) {
      // A discrete sensor's assertion bits are its state: written states hold against the source.
      if (!s.threshold) s.overrideSource();
      const cur = s.threshold ? s.assertStatus : s.state;
      s.writeStatus('assertion', apply(req.assertionOp, cur, req.assertion!), data);
    }
    if (req.deassertionOp !== se.StatusBitsOp.None) s.writeStatus('deassertion', apply(req.deassertionOp, s.deassertStatus, req.deassertion!), data);
    return EMPTY;
  })),
];
