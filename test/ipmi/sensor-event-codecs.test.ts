// Byte vectors and encode/decode mirrors for the Sensor/Event and SDR repository command codecs.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWith, encodeWith, type Codec } from '../../src/ipmi/spec.js';
import * as se from '../../src/ipmi/commands/sensor-event.js';
import * as sdr from '../../src/ipmi/commands/sdr-repository.js';

function vector<T>(codec: Codec<T>, value: T, bytes: number[]): void {
  assert.deepEqual([...encodeWith(codec, value)], bytes);
  assert.deepEqual(decodeWith(codec, Uint8Array.from(bytes)), value);
}

test('Get Sensor Reading: threshold (one state byte) and discrete (two)', () => {
  vector(se.getSensorReading.response, { reading: 95, eventsEnabled: true, scanningEnabled: true, unavailable: false, states: 0x18, discrete: false }, [95, 0xc0, 0x18]);
  vector(se.getSensorReading.response, { reading: 0, eventsEnabled: false, scanningEnabled: true, unavailable: true, states: 0x4101, discrete: true }, [0, 0x60, 0x01, 0x41]);
  // Byte 4 bit 7 is reserved ("returned as 1b"); it is kept because ipmitool prints byte 4 whole.
  vector(se.getSensorReading.response, { reading: 0, eventsEnabled: true, scanningEnabled: true, unavailable: false, states: 0x8001, discrete: true }, [0, 0xc0, 0x01, 0x80]);
  // Short replies: reading and flags only.
  assert.deepEqual(decodeWith(se.getSensorReading.response, Uint8Array.from([7, 0x40])), { reading: 7, eventsEnabled: false, scanningEnabled: true, unavailable: false, states: 0, discrete: false });
});

test('Set Sensor Reading and Event Status: operation byte and optional tails', () => {
  vector(se.setSensorReadingAndEventStatus.request, { sensorNumber: 1, readingOp: 1, deassertionOp: 0, assertionOp: 0, eventDataOp: 0, reading: 95 }, [1, 0x01, 95]);
  vector(
    se.setSensorReadingAndEventStatus.request,
    { sensorNumber: 11, readingOp: 0, deassertionOp: 3, assertionOp: 2, eventDataOp: 2, reading: 0, assertion: 0x0102, deassertion: 0x0004, eventData: [0xa0, 0x12, 0x34] },
    [11, 0xac, 0, 0x02, 0x01, 0x04, 0x00, 0xa0, 0x12, 0x34],
  );
  vector(se.setSensorReadingAndEventStatus.request, { sensorNumber: 2, readingOp: 0, deassertionOp: 0, assertionOp: 1, eventDataOp: 0, reading: 0, assertion: 0x0008 }, [2, 0x10, 0, 0x08, 0x00]);
});

test('thresholds, hysteresis, event enables, re-arm, event status, factors', () => {
  vector(se.setSensorThresholds.request, { sensorNumber: 1, mask: 0x10, values: [0, 0, 0, 0, 92, 0] }, [1, 0x10, 0, 0, 0, 0, 92, 0]);
  vector(se.getSensorThresholds.response, { readable: 0x38, values: [0, 0, 0, 85, 90, 100] }, [0x38, 0, 0, 0, 85, 90, 100]);
  vector(se.setSensorHysteresis.request, { sensorNumber: 1, positive: 2, negative: 3 }, [1, 0xff, 2, 3]);
  vector(se.setSensorEventEnable.request, { sensorNumber: 1, eventsEnabled: true, scanningEnabled: true, op: 2, assertion: 0x0200 }, [1, 0xe0, 0x00, 0x02]);
  vector(se.setSensorEventEnable.request, { sensorNumber: 1, eventsEnabled: false, scanningEnabled: true, op: 0 }, [1, 0x40]);
  vector(se.getSensorEventEnable.response, { eventsEnabled: true, scanningEnabled: false, assertion: 0x0a80, deassertion: 0x0a80 }, [0x80, 0x80, 0x0a, 0x80, 0x0a]);
  vector(se.getSensorEventEnable.response, { eventsEnabled: true, scanningEnabled: true }, [0xc0]);
  vector(se.rearmSensorEvents.request, { sensorNumber: 1, all: false, assertion: 0x0200, deassertion: 0 }, [1, 0x80, 0x00, 0x02, 0x00, 0x00]);
  assert.deepEqual(decodeWith(se.rearmSensorEvents.request, Uint8Array.from([1, 0])), { sensorNumber: 1, all: true, assertion: 0, deassertion: 0 });
  vector(se.getSensorEventStatus.response, { eventsEnabled: true, scanningEnabled: true, unavailable: false, assertion: 0x0280, deassertion: 0 }, [0xc0, 0x80, 0x02, 0, 0]);
  vector(se.getSensorReadingFactors.response, { nextReading: 0xff, factors: { m: -3, tolerance: 5, b: 300, accuracy: 0x155, accuracyExp: 2, rExp: -2, bExp: 1 } }, [0xff, 0xfd, 0xc5, 0x2c, 0x55, 0x58, 0xe1]);
});

test('Platform Event Message: the generator ID byte only on the system interface', () => {
  const lan = { evmRev: 4, sensorType: 1, sensorNumber: 0x30, deassertion: true, eventType: 1, eventData: [0x59, 0x48, 0x46] };
  assert.deepEqual([...se.encodePlatformEvent(lan)], [4, 1, 0x30, 0x81, 0x59, 0x48, 0x46]);
  assert.deepEqual(se.decodePlatformEvent(Uint8Array.from([4, 1, 0x30, 0x81, 0x59, 0x48, 0x46]), false), lan);
  assert.deepEqual(se.decodePlatformEvent(Uint8Array.from([0x41, 4, 1, 0x30, 0x81, 0x59]), true), { ...lan, generatorId: 0x41, eventData: [0x59] });
  assert.equal(se.decodePlatformEvent(Uint8Array.from([4, 1, 0x30, 0x81]), false), undefined);
});

test('SDR repository codecs', () => {
  vector(sdr.getSdr.request, { reservationId: 0x1234, recordId: 0xffff, offset: 5, count: 0xff }, [0x34, 0x12, 0xff, 0xff, 5, 0xff]);
  vector(sdr.getSdr.response, { nextRecordId: 2, data: Uint8Array.from([1, 0, 0x51]) }, [2, 0, 1, 0, 0x51]);
  vector(
    sdr.getSdrRepositoryInfo.response,
    { version: 0x51, recordCount: 15, freeSpace: 15653, lastAddTime: 0x60000000, lastEraseTime: 0xffffffff, operations: 0x2f },
    [0x51, 15, 0, 0x25, 0x3d, 0, 0, 0, 0x60, 0xff, 0xff, 0xff, 0xff, 0x2f],
  );
  vector(sdr.partialAddSdr.request, { reservationId: 1, recordId: 17, offset: 20, last: true, data: Uint8Array.from([9, 9]) }, [1, 0, 17, 0, 20, 1, 9, 9]);
  vector(sdr.clearSdrRepository.request, { reservationId: 3, clr: Uint8Array.from(sdr.CLR), op: 0xaa }, [3, 0, 0x43, 0x4c, 0x52, 0xaa]);
  vector(se.getDeviceSdrInfo.response, { count: 14, flags: 0x01, populationChange: 0 }, [14, 1, 0, 0, 0, 0]);
});
