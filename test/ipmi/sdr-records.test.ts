import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError } from '../../src/protocol/bytes.js';
import {
  decodeSdr,
  decodeSdrs,
  encodeSdr,
  sdrRecordType,
  type CompactSensorRecord,
  type EventOnlySensorRecord,
  type FruDeviceLocatorRecord,
  type FullSensorRecord,
  type GenericDeviceLocatorRecord,
  type McDeviceLocatorRecord,
  type SdrRecord,
} from '../../src/ipmi/sdr/records.js';
import { hex } from '../helpers/bytes.js';
import { plainRecord } from '../helpers/fc.js';
import { compactSensor, fullSensor, sdrCorpus } from './sdr-corpus.js';

/** parse / encode / mirror for one annotated vector. */
function vector(name: string, bytes: Uint8Array, record: SdrRecord): void {
  test(`${name}: parse`, () => assert.deepEqual(decodeSdr(bytes), record));
  test(`${name}: encode`, () => assert.deepEqual(encodeSdr(record), bytes));
  test(`${name}: mirror`, () => assert.deepEqual(decodeSdr(encodeSdr(record)), record));
  test(`${name}: every truncation throws ProtocolError`, () => {
    for (let n = 0; n < bytes.length; n++) {
      assert.throws(() => decodeSdr(bytes.subarray(0, n)), ProtocolError, `length ${n}`);
    }
  });
}

// QEMU's ipmi-bmc-sim default repository: one compact record for its watchdog sensor
// (spec/qemu-ipmi.md §2.4, captured from Get SDR 0).
vector(
  'QEMU watchdog compact record',
  hex`
    00 00        // record ID 0
    51           // SDR version 1.5
    02           // compact sensor record
    23           // 35 bytes follow
    20           // b6  sensor owner: BMC (slave address 0x20)
    00           // b7  channel 0, LUN 0
    00           // b8  sensor number 0
    23 01        // b9  entity 0x23 (operating system), b10 instance 1, physical
    63           // b11 init scanning + init events + events enabled + scanning enabled
    00           // b12 capabilities
    23 6f        // b13 sensor type: watchdog 2, b14 sensor-specific
    0f 01        // b15-16 assertions: offsets 0-3 and 8
    00 00 00 00  // b17-20 deassertion and reading masks
    00 00 00     // b21-23 units
    00 00        // b24-25 sharing
    00 00        // b26-27 hysteresis
    00 00 00 00  // b28-30 reserved, b31 OEM
    c8 57 61 74 63 68 64 6f 67   // 8-bit ASCII, 8 bytes: "Watchdog"
  `,
  {
    kind: 'compact',
    recordId: 0,
    sdrVersion: 0x51,
    sensorOwnerId: 0x20,
    sensorOwnerLun: 0,
    channelNumber: 0,
    sensorNumber: 0,
    entityId: 0x23,
    entityInstance: 1,
    logicalEntity: false,
    initialization: {
      settable: false,
      initScanning: true,
      initEvents: true,
      initThresholds: false,
      initHysteresis: false,
      initSensorType: false,
      eventGenerationEnabled: true,
      sensorScanningEnabled: true,
    },
    capabilities: { ignoreIfEntityAbsent: false, autoRearm: false, hysteresisSupport: 0, thresholdAccess: 0, eventMessageControl: 0 },
    sensorType: 0x23,
    eventReadingType: 0x6f,
    assertionMask: 0x010f,
    deassertionMask: 0,
    readingMask: 0,
    units: { analogDataFormat: 0, rateUnit: 0, modifierUnitRelation: 0, percentage: false, baseUnit: 0, modifierUnit: 0 },
    sensorDirection: 0,
    idStringInstanceModifierType: 0,
    shareCount: 0,
    entityInstanceSharing: false,
    idStringInstanceModifierOffset: 0,
    positiveHysteresis: 0,
    negativeHysteresis: 0,
    oem: 0,
    idString: 'Watchdog',
  },
);

// Every field of the full record layout (ipmi-protocol.md §6.2) set to a distinct value, so a
// field read from the wrong bits shows up.
const fullLayout: FullSensorRecord = {
  kind: 'full',
  recordId: 0x1234,
  sdrVersion: 0x51,
  sensorOwnerId: 0x21,
  sensorOwnerLun: 2,
  channelNumber: 5,
  sensorNumber: 0x99,
  entityId: 0x03,
  entityInstance: 5,
  logicalEntity: true,
  initialization: {
    settable: true,
    initScanning: true,
    initEvents: false,
    initThresholds: true,
    initHysteresis: false,
    initSensorType: true,
    eventGenerationEnabled: false,
    sensorScanningEnabled: true,
  },
  capabilities: { ignoreIfEntityAbsent: true, autoRearm: false, hysteresisSupport: 1, thresholdAccess: 3, eventMessageControl: 2 },
  sensorType: 0x02,
  eventReadingType: 0x01,
  assertionMask: 0x7a95,
  deassertionMask: 0x1234,
  readingMask: 0x1b2d,
  units: { analogDataFormat: 2, rateUnit: 3, modifierUnitRelation: 1, percentage: true, baseUnit: 4, modifierUnit: 0x18 },
  linearization: 0x07,
  m: -300,
  tolerance: 0x15,
  b: 421,
  accuracy: 695,
  accuracyExp: 2,
  sensorDirection: 1,
  rExp: -3,
  bExp: 2,
  analogFlags: { normalMinSpecified: true, normalMaxSpecified: false, nominalReadingSpecified: true },
  nominalReading: 0x40,
  normalMaximum: 0x60,
  normalMinimum: 0x20,
  sensorMaximumReading: 0xfe,
  sensorMinimumReading: 0x01,
  thresholds: { upperNonRecoverable: 0xf0, upperCritical: 0xe0, upperNonCritical: 0xd0, lowerNonRecoverable: 0x10, lowerCritical: 0x20, lowerNonCritical: 0x30 },
  positiveHysteresis: 3,
  negativeHysteresis: 4,
  oem: 0xab,
  idString: 'Vcore Max',
};

vector(
  'full sensor record, every field distinct',
  hex`
    34 12 51 01  // record ID 0x1234, v1.5, full sensor
    34           // 52 bytes follow
    21           // b6  owner: software ID 0x10 (bit 0 set)
    52           // b7  channel 5 [7:4], LUN 2 [1:0]
    99           // b8  sensor number
    03 85        // b9  entity 3 (processor), b10 logical, instance 5
    d5           // b11 settable, init scanning, init thresholds, init type, scanning enabled
    9e           // b12 ignore if absent, hysteresis 1 [5:4], threshold access 3 [3:2], event control 2
    02 01        // b13 voltage, b14 threshold
    95 7a        // b15-16 assertion mask 0x7a95
    34 12        // b17-18 deassertion mask 0x1234
    2d 1b        // b19 readable, b20 settable
    9b           // b21 two's complement [7:6], rate 3 [5:3], divide [2:1], percentage [0]
    04 18        // b22 Volts, b23 hour
    07           // b24 linearization 1/x
    d4 95        // b25 M low 0xd4, b26 M high 10b + tolerance 0x15: M = 0x2d4 = -300
    a5 77        // b27 B low 0xa5, b28 B high 01b + accuracy low 0x37: B = 0x1a5 = 421
    a9           // b29 accuracy high 0xa (695 = 0x2b7), accuracy exp 2, direction input
    d2           // b30 R exp -3 [7:4], B exp 2 [3:0]
    05           // b31 normal min + nominal given
    40 60 20     // b32 nominal, b33 normal max, b34 normal min
    fe 01        // b35 sensor max, b36 sensor min
    f0 e0 d0     // b37-39 UNR, UC, UNC
    10 20 30     // b40-42 LNR, LC, LNC
    03 04        // b43-44 hysteresis +/-
    00 00 ab     // b45-46 reserved, b47 OEM
    c9 56 63 6f 72 65 20 4d 61 78   // 8-bit ASCII, 9 bytes: "Vcore Max"
  `,
  fullLayout,
);

const eventOnly: EventOnlySensorRecord = {
  kind: 'eventOnly',
  recordId: 7,
  sdrVersion: 0x51,
  sensorOwnerId: 0x20,
  sensorOwnerLun: 1,
  fruInventoryDeviceOwnerLun: 3,
  channelNumber: 2,
  sensorNumber: 0x50,
  entityId: 0x2e,
  entityInstance: 0,
  logicalEntity: false,
  sensorType: 0x23,
  eventReadingType: 0x6f,
  sensorDirection: 2,
  idStringInstanceModifierType: 1,
  shareCount: 4,
  entityInstanceSharing: true,
  idStringInstanceModifierOffset: 0x11,
  oem: 0x5a,
  idString: 'WD',
};

vector(
  'event-only record',
  hex`
    07 00 51 03 0e   // record 7, event-only, 14 bytes follow
    20               // b6  owner BMC
    2d               // b7  channel 2, FRU owner LUN 3 [3:2], sensor owner LUN 1
    50 2e 00         // b8  sensor 0x50, b9 entity 0x2e, b10 instance 0
    23 6f            // b11 watchdog 2, b12 sensor-specific
    94               // b13 direction output [7:6], alpha modifier [5:4], share count 4
    91               // b14 instance sharing [7], modifier offset 0x11
    00 5a            // b15 reserved, b16 OEM
    c2 57 44         // "WD"
  `,
  eventOnly,
);

const fruLocator: FruDeviceLocatorRecord = {
  kind: 'fruLocator',
  recordId: 8,
  sdrVersion: 0x51,
  deviceAccessAddress: 0x20,
  fruDeviceId: 1,
  logicalFruDevice: true,
  accessLun: 2,
  privateBusId: 5,
  channelNumber: 7,
  deviceType: 0x10,
  deviceTypeModifier: 0x02,
  entityId: 0x0a,
  entityInstance: 0x81,
  oem: 0,
  idString: 'PSU1 FRU',
};

vector(
  'FRU device locator',
  hex`
    08 00 51 11 13   // record 8, FRU locator, 19 bytes follow
    20               // b6  device access address
    01               // b7  FRU device ID 1
    95               // b8  logical [7], access LUN 2 [4:3], private bus 5 [2:0]
    70               // b9  channel 7 [7:4]
    00               // b10 reserved
    10 02            // b11 FRU inventory device, b12 modifier
    0a 81 00         // b13 power supply, b14 instance byte, b15 OEM
    c8 50 53 55 31 20 46 52 55   // "PSU1 FRU"
  `,
  fruLocator,
);

const mcLocator: McDeviceLocatorRecord = {
  kind: 'mcLocator',
  recordId: 9,
  sdrVersion: 0x51,
  deviceSlaveAddress: 0x20,
  channelNumber: 0,
  powerStateNotification: 0x5,
  globalInitialization: 0x9,
  deviceCapabilities: 0xbf,
  entityId: 0x2e,
  entityInstance: 1,
  logicalEntity: true,
  oem: 0,
  idString: 'Sim BMC',
};

vector(
  'MC device locator',
  hex`
    09 00 51 12 12   // record 9, MC locator, 18 bytes follow
    20 00            // b6 slave address, b7 channel 0
    a9               // b8 power state notification 101b [7:5], global init 1001b [3:0]
    bf               // b9 every device capability except bridge [6]
    00 00 00         // b10-12 reserved
    2e 81 00         // b13 entity, b14 logical instance 1, b15 OEM
    c7 53 69 6d 20 42 4d 43   // "Sim BMC"
  `,
  mcLocator,
);

const genericLocator: GenericDeviceLocatorRecord = {
  kind: 'genericLocator',
  recordId: 11,
  sdrVersion: 0x51,
  deviceAccessAddress: 0x20,
  deviceSlaveAddress: 0x9e,
  channelNumber: 5,
  accessLun: 1,
  privateBusId: 3,
  addressSpan: 2,
  deviceType: 0x04,
  deviceTypeModifier: 0x00,
  entityId: 0x07,
  entityInstance: 0x61,
  oem: 0x12,
  idString: 'LM75',
};

vector(
  'generic device locator',
  hex`
    0b 00 51 10 0f   // record 11, generic locator, 15 bytes follow
    20               // b6  device access address
    9e               // b7  device slave address
    ab               // b8  channel 5 [7:5], access LUN 1 [4:3], private bus 3 [2:0]
    02               // b9  address span 2 [2:0]
    00               // b10 reserved
    04 00            // b11 LM75 temperature sensor, b12 modifier
    07 61 12         // b13 system board, b14 instance byte, b15 OEM
    c4 4c 4d 37 35   // "LM75"
  `,
  genericLocator,
);

vector(
  'OEM record kept raw',
  hex`
    0a 00 51 c0 05   // record 10, OEM, 5 bytes follow
    57 01 00 aa bb   // IANA 0x000157 + data
  `,
  { kind: 'raw', recordId: 10, sdrVersion: 0x51, recordType: 0xc0, body: hex`57 01 00 aa bb` },
);

// Records produced outside this project: OpenIPMI sdrcomp output served by ipmi_sim and read by
// a guest's ipmitool over QEMU's extern link (reassembled from the Get SDR header/body reads in
// shared/captures/extern-chardev-capture.txt).
const capturedRecords = [
  hex`01 00 51 12 12 20 00 00 bf 00 00 00 07 01 00 c7 4c 61 62 20 42 4d 43`,
  hex`02 00 51 03 14 20 00 00 07 01 23 6f 00 00 00 00 c8 57 61 74 63 68 64 6f 67`,
  hex`03 00 51 01 33 20 00 01 03 01 77 48 01 01 80 0a 80 7a 38 38 00 01 00 00 01 00 00 01 01 00 00 00 00 00 ff 00 69 5f 55 00 00 00 00 00 00 00 00 c8 43 50 55 20 54 65 6d 70`,
  hex`04 00 51 01 36 20 00 02 07 01 77 48 01 01 80 0a 80 7a 38 38 00 01 00 00 01 00 00 01 01 00 00 00 00 00 ff 00 50 46 3c 00 00 00 00 00 00 00 00 cb 53 79 73 74 65 6d 20 54 65 6d 70`,
  hex`05 00 51 01 2f 20 00 03 1d 01 77 48 04 01 05 30 05 00 03 03 00 12 00 00 32 00 00 01 01 00 00 00 00 00 ff 00 00 00 00 00 0a 14 00 00 00 00 00 c4 46 61 6e 31`,
  hex`06 00 51 01 33 20 00 04 0a 01 77 48 02 01 04 22 04 22 12 12 00 04 00 00 01 00 00 01 01 f0 00 00 00 00 ff 00 00 84 00 00 6c 00 00 00 00 00 00 c8 31 32 56 20 6d 61 69 6e`,
];

test('captured ipmi_sim records decode and re-encode byte for byte', () => {
  const decoded = capturedRecords.map(decodeSdr);
  assert.deepEqual(decoded.map((r) => (r.kind === 'raw' ? r.kind : `${r.kind} ${r.idString}`)), [
    'mcLocator Lab BMC',
    'eventOnly Watchdog',
    'full CPU Temp',
    'full System Temp',
    'full Fan1',
    'full 12V main',
  ]);
  decoded.forEach((r, i) => assert.deepEqual(encodeSdr(r), capturedRecords[i]));
  const fan = decoded[4] as FullSensorRecord;
  assert.deepEqual([fan.m, fan.units.baseUnit, fan.thresholds.lowerCritical, fan.thresholds.lowerNonCritical], [50, 18, 10, 20]);
  const rail = decoded[5] as FullSensorRecord;
  assert.deepEqual([rail.m, rail.rExp, rail.thresholds.upperCritical, rail.thresholds.lowerCritical], [1, -1, 132, 108]);
});

test('ID strings in 6-bit packed ASCII and BCD plus decode and re-encode unchanged', () => {
  // "IPMI" packs into 29 dc a6 (FRU spec §13.2's example); type 10b, 3 bytes.
  const packed = encodeSdr({ ...eventOnly, idStringType: 'sixBitAscii', idString: 'IPMI' });
  assert.deepEqual(packed.subarray(-4), hex`83 29 dc a6`);
  assert.equal((decodeSdr(packed) as EventOnlySensorRecord).idString, 'IPMI');
  const bcd = encodeSdr({ ...eventOnly, idStringType: 'bcdPlus', idString: '12-3.' });
  assert.deepEqual(bcd.subarray(-4), hex`43 12 b3 ca`); // odd length padded with a space nibble
  assert.equal((decodeSdr(bcd) as EventOnlySensorRecord).idString, '12-3. ');
  // Type 00 is kept byte for byte.
  const raw = encodeSdr({ ...eventOnly, idStringType: 'unicode', idString: 'A\u0000\u00ff' });
  assert.deepEqual(raw.subarray(-4), hex`03 41 00 ff`);
  assert.equal((decodeSdr(raw) as EventOnlySensorRecord).idString, 'A\u0000\u00ff');
});

test('8-bit ID strings stop at a NUL, as BMCs pad them', () => {
  const bytes = encodeSdr({ ...eventOnly, idString: 'WD' });
  const padded = new Uint8Array([...bytes.subarray(0, 4), bytes[4]! + 2, ...bytes.subarray(5, -3), 0xc4, 0x57, 0x44, 0, 0]);
  assert.equal((decodeSdr(padded) as EventOnlySensorRecord).idString, 'WD');
});

test('encodeSdr rejects values that do not fit their fields', () => {
  assert.throws(() => encodeSdr({ ...fullLayout, m: 512 }), RangeError);
  assert.throws(() => encodeSdr({ ...fullLayout, rExp: -9 }), RangeError);
  assert.throws(() => encodeSdr({ ...fullLayout, entityInstance: 0x80 }), RangeError);
  assert.throws(() => encodeSdr({ ...fullLayout, idString: 'seventeen chars!!' }), RangeError);
  assert.throws(() => encodeSdr({ ...fullLayout, idString: 'snow \u2603' }), RangeError);
});

test('decodeSdr rejects bytes beyond the record and ID strings past its end', () => {
  const bytes = encodeSdr(eventOnly);
  assert.throws(() => decodeSdr(new Uint8Array([...bytes, 0])), ProtocolError);
  const short = bytes.slice();
  short[4] = short[4]! - 1; // length byte one short: the ID string runs past the record
  assert.throws(() => decodeSdr(short.subarray(0, -1)), ProtocolError);
});

test('bytes after the ID string inside the record are ignored', () => {
  const bytes = encodeSdr(eventOnly);
  const longer = new Uint8Array([...bytes, 0xee]);
  longer[4] = longer[4]! + 1;
  assert.deepEqual(decodeSdr(longer), eventOnly);
});

test('decodeSdrs walks a repository dump and flags a truncated tail', () => {
  const parts = sdrCorpus.map(encodeSdr);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  assert.deepEqual(decodeSdrs(all), sdrCorpus);
  assert.deepEqual(decodeSdrs(new Uint8Array(0)), []);
  assert.throws(() => decodeSdrs(all.subarray(0, all.length - 1)), ProtocolError);
});

test('sdrRecordType maps kinds to header type bytes', () => {
  assert.deepEqual(
    [fullLayout, compactSensor({}), eventOnly, fruLocator, mcLocator].map(sdrRecordType),
    [0x01, 0x02, 0x03, 0x11, 0x12],
  );
});

// ---- properties ---------------------------------------------------------------------------

const u8 = fc.integer({ min: 0, max: 0xff });
const bool = fc.boolean();
const bits = (n: number) => fc.integer({ min: 0, max: (1 << n) - 1 });
const chars = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((c) => String.fromCharCode(c));
type IdFields = { idString: string; idStringType?: 'bcdPlus' | 'sixBitAscii' };
/** An ID string in any packing, sized to fit 16 bytes and to survive the packing's padding. */
const idString: fc.Arbitrary<IdFields> = fc.oneof(
  fc.string({ unit: chars(0x20, 0xff), maxLength: 16 }).map((id) => ({ idString: id })),
  fc.string({ unit: chars(0x20, 0x5f), maxLength: 21 }).filter((id) => id.length % 4 !== 3).map((id) => ({ idString: id, idStringType: 'sixBitAscii' as const })),
  fc.string({ unit: fc.constantFrom(...'0123456789 -.:,_'), maxLength: 32 }).filter((id) => id.length % 2 === 0).map((id) => ({ idString: id, idStringType: 'bcdPlus' as const })),
);
const withId = <T,>(arb: fc.Arbitrary<T>): fc.Arbitrary<T & IdFields> => fc.tuple(arb, idString).map(([r, id]) => ({ ...r, ...id }));

const common = {
  recordId: fc.integer({ min: 0, max: 0xffff }),
  sdrVersion: u8,
  sensorOwnerId: u8,
  sensorOwnerLun: bits(2),
  channelNumber: bits(4),
  sensorNumber: u8,
  entityId: u8,
  entityInstance: bits(7),
  logicalEntity: bool,
  sensorType: u8,
  eventReadingType: u8,
  oem: u8,
  initialization: plainRecord({
    settable: bool,
    initScanning: bool,
    initEvents: bool,
    initThresholds: bool,
    initHysteresis: bool,
    initSensorType: bool,
    eventGenerationEnabled: bool,
    sensorScanningEnabled: bool,
  }),
  capabilities: plainRecord({ ignoreIfEntityAbsent: bool, autoRearm: bool, hysteresisSupport: bits(2), thresholdAccess: bits(2), eventMessageControl: bits(2) }),
  assertionMask: bits(16),
  deassertionMask: bits(16),
  readingMask: bits(16),
  units: plainRecord({ analogDataFormat: bits(2), rateUnit: bits(3), modifierUnitRelation: bits(2), percentage: bool, baseUnit: u8, modifierUnit: u8 }),
  positiveHysteresis: u8,
  negativeHysteresis: u8,
};

const fullArb: fc.Arbitrary<FullSensorRecord> = withId(plainRecord({
  ...common,
  kind: fc.constant('full' as const),
  linearization: bits(7),
  m: fc.integer({ min: -512, max: 511 }),
  tolerance: bits(6),
  b: fc.integer({ min: -512, max: 511 }),
  accuracy: bits(10),
  accuracyExp: bits(2),
  sensorDirection: bits(2),
  rExp: fc.integer({ min: -8, max: 7 }),
  bExp: fc.integer({ min: -8, max: 7 }),
  analogFlags: plainRecord({ normalMinSpecified: bool, normalMaxSpecified: bool, nominalReadingSpecified: bool }),
  nominalReading: u8,
  normalMaximum: u8,
  normalMinimum: u8,
  sensorMaximumReading: u8,
  sensorMinimumReading: u8,
  thresholds: plainRecord({ lowerNonCritical: u8, lowerCritical: u8, lowerNonRecoverable: u8, upperNonCritical: u8, upperCritical: u8, upperNonRecoverable: u8 }),
}));

const sharing = {
  sensorDirection: bits(2),
  idStringInstanceModifierType: bits(2),
  shareCount: bits(4),
  entityInstanceSharing: bool,
  idStringInstanceModifierOffset: bits(7),
};

const compactArb: fc.Arbitrary<CompactSensorRecord> = withId(plainRecord({ ...common, ...sharing, kind: fc.constant('compact' as const) }));

const anySdr: fc.Arbitrary<SdrRecord> = fc.oneof(
  fullArb,
  compactArb,
  plainRecord({ kind: fc.constant('raw' as const), recordId: bits(16), sdrVersion: u8, recordType: fc.constantFrom(0x08, 0x09, 0x13, 0x14, 0xc0), body: fc.uint8Array({ maxLength: 60 }) }),
);

test('property: decodeSdr(encodeSdr(x)) deep-equals x', () => {
  fc.assert(fc.property(anySdr, (r) => assert.deepEqual(decodeSdr(encodeSdr(r)), r)));
});

test('property: the length byte always matches the body', () => {
  fc.assert(fc.property(anySdr, (r) => {
    const b = encodeSdr(r);
    assert.equal(b[4], b.length - 5);
  }));
});

test('property: arbitrary bytes decode or throw ProtocolError, never anything else', () => {
  const header = fc.tuple(bits(16), u8, fc.constantFrom(0x01, 0x02, 0x03, 0x11, 0x12, 0x08), u8);
  fc.assert(
    fc.property(header, fc.uint8Array({ maxLength: 80 }), ([id, ver, type, len], body) => {
      const bytes = new Uint8Array([id & 0xff, id >> 8, ver, type, Math.min(len, body.length), ...body.subarray(0, len)]);
      try {
        decodeSdr(bytes);
      } catch (e) {
        assert.ok(e instanceof ProtocolError, String(e));
      }
    }),
  );
});

test('the corpus full sensor helper produces valid records', () => {
  assert.deepEqual(decodeSdr(encodeSdr(fullSensor({}))), fullSensor({}));
});
