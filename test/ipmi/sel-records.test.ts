import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../src/protocol/bytes.js';
import { decodeSel, encodeSel, type SelRecord } from '../../src/ipmi/sel/records.js';
import { hex } from '../helpers/bytes.js';
import { plainRecord } from '../helpers/fc.js';

function vector(name: string, bytes: Uint8Array, record: SelRecord): void {
  test(`${name}: parse`, () => assert.deepEqual(decodeSel(bytes), record));
  test(`${name}: encode`, () => assert.deepEqual(encodeSel(record), bytes));
  test(`${name}: mirror`, () => assert.deepEqual(decodeSel(encodeSel(record)), record));
}

vector(
  'system event record',
  hex`
    34 12          // record ID 0x1234
    02             // system event record
    00 00 00 60    // timestamp 0x60000000 (2021-01-14 08:25:36 UTC)
    20 00          // generator: BMC (slave address 0x20), channel 0 LUN 0
    04             // EvM revision: IPMI v1.5+
    01 30          // sensor type temperature, sensor 0x30
    81             // deassertion [7], threshold [6:0]
    59 5f 5a       // data 1: trigger reading + threshold [7:4], offset 9 (UC going high); data 2-3
  `,
  {
    kind: 'system',
    recordId: 0x1234,
    recordType: 0x02,
    timestamp: 0x60000000,
    generatorId: 0x0020,
    evmRevision: 0x04,
    sensorType: 0x01,
    sensorNumber: 0x30,
    eventDirection: 'deassertion',
    eventReadingType: 0x01,
    eventData1: 0x59,
    eventData2: 0x5f,
    eventData3: 0x5a,
  },
);

vector(
  'OEM timestamped record',
  hex`
    01 00 c1 ff ff ff 7f   // record 1, type C1h, timestamp 0x7fffffff
    57 01 00               // manufacturer 0x000157 (Intel), little-endian
    01 02 03 04 05 06      // OEM data
  `,
  { kind: 'oemTimestamped', recordId: 1, recordType: 0xc1, timestamp: 0x7fffffff, manufacturerId: 0x000157, oemData: hex`01 02 03 04 05 06` },
);

vector(
  'OEM non-timestamped record',
  hex`
    ff ff e0                                  // record 0xFFFF, type E0h
    00 01 02 03 04 05 06 07 08 09 0a 0b 0c    // 13 bytes of OEM data
  `,
  { kind: 'oemNonTimestamped', recordId: 0xffff, recordType: 0xe0, oemData: hex`00 01 02 03 04 05 06 07 08 09 0a 0b 0c` },
);

test('types below C0h other than 02h decode with the system event layout, as ipmitool reads them', () => {
  const rec = decodeSel(hex`01 00 10 00 00 00 00 41 00 04 12 00 6f 05 ff ff`);
  assert.equal(rec.kind, 'system');
  assert.equal(rec.recordType, 0x10);
});

test('anything but 16 bytes throws ProtocolError', () => {
  const good = encodeSel({ kind: 'oemNonTimestamped', recordId: 1, recordType: 0xe0, oemData: new Uint8Array(13) });
  for (let n = 0; n < 16; n++) assert.throws(() => decodeSel(good.subarray(0, n)), ProtocolError);
  assert.throws(() => decodeSel(new Uint8Array(17)), ProtocolError);
});

test('encodeSel refuses record types and OEM data that do not fit the kind', () => {
  const system = decodeSel(hex`01 00 02 00 00 00 00 20 00 04 01 30 01 59 5f 5a`);
  assert.throws(() => encodeSel({ ...system, recordType: 0xc0 } as SelRecord), RangeError);
  assert.throws(() => encodeSel({ kind: 'oemTimestamped', recordId: 1, recordType: 0xe0, timestamp: 0, manufacturerId: 0, oemData: new Uint8Array(6) }), RangeError);
  assert.throws(() => encodeSel({ kind: 'oemNonTimestamped', recordId: 1, recordType: 0xe0, oemData: new Uint8Array(12) }), RangeError);
});

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const anySel: fc.Arbitrary<SelRecord> = fc.oneof(
  plainRecord({
    kind: fc.constant('system' as const),
    recordId: u16,
    recordType: fc.integer({ min: 0, max: 0xbf }),
    timestamp: u32,
    generatorId: u16,
    evmRevision: u8,
    sensorType: u8,
    sensorNumber: u8,
    eventDirection: fc.constantFrom('assertion' as const, 'deassertion' as const),
    eventReadingType: fc.integer({ min: 0, max: 0x7f }),
    eventData1: u8,
    eventData2: u8,
    eventData3: u8,
  }),
  plainRecord({
    kind: fc.constant('oemTimestamped' as const),
    recordId: u16,
    recordType: fc.integer({ min: 0xc0, max: 0xdf }),
    timestamp: u32,
    manufacturerId: fc.integer({ min: 0, max: 0xffffff }),
    oemData: fc.uint8Array({ minLength: 6, maxLength: 6 }),
  }),
  plainRecord({
    kind: fc.constant('oemNonTimestamped' as const),
    recordId: u16,
    recordType: fc.integer({ min: 0xe0, max: 0xff }),
    oemData: fc.uint8Array({ minLength: 13, maxLength: 13 }),
  }),
);

test('property: decodeSel(encodeSel(x)) deep-equals x, and encodeSel(decodeSel(b)) equals b', () => {
  fc.assert(fc.property(anySel, (r) => assert.deepEqual(decodeSel(encodeSel(r)), r)));
  fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => assert.deepEqual(encodeSel(decodeSel(b)), b)));
});
