import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProtocolError, checksum8 } from '../../src/protocol/bytes.js';
import { FRU_DATE_EPOCH_MS, decodeFru, encodeFru, type FruData, type FruField } from '../../src/ipmi/fru/format.js';
import { hex } from '../helpers/bytes.js';
import { plainRecord } from '../helpers/fc.js';
import { atcaAmcFru, sampleFru } from './fru-vectors.js';

// Checked against ipmitool `fru print` (through ipmi_sim) and FreeIPMI `ipmi-fru --fru-file`
// (test/fixtures/freeipmi/ours-ipmi-fru.txt).
const sampleBytes = hex`
  01 00 01 06 0d 00 00 eb    // common header: v1, chassis at 8, board at 48, product at 104; checksum
  01 05 17                   // chassis area v1, 5x8 bytes, type 17h rack mount
  c7 43 48 2d 50 4e 2d 31    // part number "CH-PN-1"
  c8 43 48 53 4e 30 30 30 31 // serial "CHSN0001"
  cd 63 68 61 73 73 69 73 20 65 78 74 72 61   // custom "chassis extra"
  c1 00 00 00 00 f3          // end of fields, padding, checksum
  01 07 00                   // board area v1, 7x8 bytes, language 0 (English)
  7b c5 e1                   // mfg date: 0xe1c57b minutes after 1996-01-01 = 2024-02-18 02:35 UTC
  c9 41 63 6d 65 20 43 6f 72 70   // manufacturer "Acme Corp"
  c8 53 69 6d 42 6f 61 72 64 // product name "SimBoard"
  c5 42 53 4e 34 32          // serial "BSN42"
  c5 42 50 4e 2d 37          // part number "BPN-7"
  c7 66 72 75 2e 62 69 6e    // FRU file ID "fru.bin"
  c2 62 31                   // custom "b1"
  83 29 dc a6                // custom, 6-bit ASCII "IPMI"
  c1 00 00 35                // end, padding, checksum
  01 07 00                   // product area v1, 7x8 bytes, English
  c9 41 63 6d 65 20 43 6f 72 70   // manufacturer
  c8 69 70 6d 69 2d 73 69 6d // name "ipmi-sim"
  c5 50 50 4e 2d 31          // part/model "PPN-1"
  c3 31 2e 30                // version "1.0"
  c5 50 53 4e 2d 39          // serial "PSN-9"
  c6 41 53 53 45 54 37       // asset tag "ASSET7"
  c0                         // FRU file ID: empty
  c2 78 00                   // custom "x": a 1-byte 8-bit field would read as C1h, so it is NUL-padded
  c1 00 00 00 00 00 61       // end, padding, checksum
`;

test('sample FRU: encode', () => assert.deepEqual(encodeFru(sampleFru), sampleBytes));
test('sample FRU: parse', () => assert.deepEqual(decodeFru(sampleBytes), { fru: sampleFru, warnings: [] }));
test('sample FRU: every area sums to zero and is 8-byte aligned', () => {
  const header = sampleBytes.subarray(0, 8);
  assert.equal(checksum8(header), 0);
  for (const off of [1, 2, 3]) {
    const start = header[off]! * 8;
    const area = sampleBytes.subarray(start, start + sampleBytes[start + 1]! * 8);
    assert.equal(checksum8(area), 0);
  }
});

test('ATCA AdvancedMC image (OpenIPMI sample): decodes as ipmi-fru shows it and re-encodes byte for byte', () => {
  const { fru, warnings } = decodeFru(atcaAmcFru);
  assert.deepEqual(warnings, []);
  assert.deepEqual(fru.board, {
    languageCode: 25,
    mfgDate: new Date('2005-10-10T23:00:00Z'),
    manufacturer: 'CES',
    productName: 'AdvancedMC 9478',
    serialNumber: { type: 'sixBitAscii', text: 'CH52300123  ' },
    partNumber: { type: 'sixBitAscii', text: '9478A   ' },
    fruFileId: 'fru-info-0-0-4.inf',
    extra: [],
  });
  assert.equal(fru.product!.version, 'Beta prototypes / CES IPMI rev 0.1.0');
  assert.deepEqual(fru.product!.assetTag, { type: 'sixBitAscii', text: '0.0.4   ' });
  assert.deepEqual(
    fru.multiRecords!.map((r) => [r.type, r.data.length]),
    [
      [0xc0, 6],
      [0xc0, 34],
    ],
  );
  assert.equal(fru.chassis, undefined);
  assert.deepEqual(encodeFru(fru), atcaAmcFru);
});

test('internal use and multi-record areas', () => {
  const fru: FruData = {
    internalUse: hex`de ad be ef 00 00 00`,
    multiRecords: [
      { type: 0x00, data: hex`01 02 03` },
      { type: 0xc0, formatVersion: 1, data: hex`57 01 00` },
    ],
  };
  const bytes = encodeFru(fru);
  assert.deepEqual(
    bytes,
    hex`
      01 01 00 00 00 02 00 fc    // internal use at 8, multi-record at 16
      01 de ad be ef 00 00 00    // internal use: version 1 + 7 data bytes
      00 02 03 fa 01 01 02 03    // power supply record: v2, 3 bytes, data sum fa, header sum 01
      c0 81 03 a8 14 57 01 00    // OEM record: end of list + v1, 3 bytes, data sum a8, header sum 14
    `,
  );
  assert.deepEqual(decodeFru(bytes), { fru, warnings: [] });
});

test('bad checksums, versions and a missing end marker become warnings', () => {
  const bytes = sampleBytes.slice();
  bytes[7]! ^= 0xff; // common header checksum
  bytes[8 + 39]! ^= 0x01; // chassis area checksum
  bytes[48] = 0x02; // board area version
  const { fru, warnings } = decodeFru(bytes);
  assert.deepEqual(warnings, ['common header: bad checksum', 'chassis area: bad checksum', 'board area: format version 2', 'board area: bad checksum']);
  assert.deepEqual(fru, sampleFru);

  const noEnd = encodeFru({ chassis: { type: 1, partNumber: 'P', serialNumber: 'S', extra: [] } });
  const area = noEnd.subarray(8);
  area.fill(0, area.indexOf(0xc1)); // drop the end marker and padding
  area[area.length - 1] = checksum8(area, 0, area.length - 1);
  assert.deepEqual(decodeFru(noEnd).warnings, ['chassis area: no end-of-fields marker']);
});

test('fields: 8-bit with NUL or 0xFF padding, binary, BCD plus, and 2-byte Unicode areas', () => {
  const chassis = (fields: number[]): Uint8Array => {
    const area = [0x01, 0x00, 0x17, ...fields, 0xc1];
    const size = Math.ceil((area.length + 1) / 8) * 8;
    const out = new Uint8Array(8 + size);
    out.set([0x01, 0x00, 0x01, 0, 0, 0, 0, 0xfe]);
    out.set(area, 8);
    out[9] = size / 8;
    out[out.length - 1] = checksum8(out, 8, out.length - 1);
    return out;
  };
  const { fru } = decodeFru(chassis([0xc4, 0x41, 0x42, 0x00, 0x00, 0xc3, 0x53, 0xff, 0xff, 0x03, 0x01, 0x02, 0x03, 0x42, 0x12, 0xbc]));
  assert.deepEqual(fru.chassis, {
    type: 0x17,
    partNumber: 'AB',
    serialNumber: 'S',
    extra: [{ type: 'binary', data: hex`01 02 03` }, { type: 'bcdPlus', text: '12-.' }],
  });

  const product = { manufacturer: 'Zo\u00eb', name: '\u65e5\u672c', partNumber: '', version: '', serialNumber: '', assetTag: '', fruFileId: '', extra: [] };
  const japanese = encodeFru({ product: { languageCode: 0x1c, ...product } });
  assert.deepEqual(japanese.subarray(11, 11 + 7), hex`c6 5a 00 6f 00 eb 00`); // "Zoë" as 2-byte Unicode
  assert.deepEqual(decodeFru(japanese).fru.product, { languageCode: 0x1c, ...product });
});

test('board mfg date: minutes since 1996-01-01 UTC, 0 = unspecified', () => {
  const board = { manufacturer: '', productName: '', serialNumber: '', partNumber: '', fruFileId: '', extra: [] };
  const at = (date?: Date) => encodeFru({ board: { ...board, ...(date && { mfgDate: date }) } }).subarray(11, 14);
  assert.deepEqual(at(), hex`00 00 00`);
  assert.deepEqual(at(new Date(FRU_DATE_EPOCH_MS + 60_000)), hex`01 00 00`);
  assert.deepEqual(at(new Date(FRU_DATE_EPOCH_MS + 90_000)), hex`01 00 00`); // seconds are dropped
  assert.throws(() => at(new Date(FRU_DATE_EPOCH_MS)), RangeError); // minute 0 would read back as unspecified
  assert.throws(() => at(new Date(FRU_DATE_EPOCH_MS + 0x1000000 * 60_000)), RangeError);
  assert.equal(decodeFru(encodeFru({ board })).fru.board!.mfgDate, undefined);
});

test('encodeFru refuses fields and areas that do not fit', () => {
  const chassis = (partNumber: FruField) => encodeFru({ chassis: { type: 1, partNumber, serialNumber: '', extra: [] } });
  assert.throws(() => chassis('x'.repeat(64)), RangeError);
  assert.throws(() => chassis('\u20ac'), RangeError);
  assert.throws(() => chassis({ type: 'sixBitAscii', text: 'lower' }), RangeError);
  assert.throws(() => encodeFru({ chassis: { type: 1, partNumber: '', serialNumber: '', extra: Array(40).fill('x'.repeat(60)) } }), RangeError);
});

test('truncated images throw ProtocolError', () => {
  for (let n = 0; n < sampleBytes.length; n++) {
    assert.throws(() => decodeFru(sampleBytes.subarray(0, n)), ProtocolError, `length ${n}`);
  }
  assert.throws(() => decodeFru(atcaAmcFru.subarray(0, atcaAmcFru.length - 1)), ProtocolError);
});

// ---- properties ---------------------------------------------------------------------------

// At most 31 characters: in a non-English area a plain string takes 2 bytes a character, and fields hold 63.
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 31 });
const field: fc.Arbitrary<FruField> = fc.oneof(
  printable,
  plainRecord({ type: fc.constant('binary' as const), data: fc.uint8Array({ maxLength: 20 }) }),
  plainRecord({
    type: fc.constant('sixBitAscii' as const),
    text: fc.string({ unit: fc.integer({ min: 0x20, max: 0x5f }).map((c) => String.fromCharCode(c)), maxLength: 40 }).filter((s) => s.length % 4 !== 3),
  }),
  plainRecord({ type: fc.constant('bcdPlus' as const), text: fc.string({ unit: fc.constantFrom(...'0123456789 -.:,_'), maxLength: 30 }).filter((s) => s.length % 2 === 0) }),
);
const extra = fc.array(field, { maxLength: 3 });
const minute = fc.integer({ min: 1, max: 0xffffff }).map((m) => new Date(FRU_DATE_EPOCH_MS + m * 60_000));

const anyFru: fc.Arbitrary<FruData> = plainRecord({
  chassis: plainRecord({ type: fc.integer({ min: 0, max: 0xff }), partNumber: field, serialNumber: field, extra }),
  board: fc.record(
    {
      languageCode: fc.constantFrom(25, 1),
      mfgDate: minute,
      manufacturer: field,
      productName: field,
      serialNumber: field,
      partNumber: field,
      fruFileId: field,
      extra,
    },
    { requiredKeys: ['manufacturer', 'productName', 'serialNumber', 'partNumber', 'fruFileId', 'extra'], noNullPrototype: true },
  ),
  product: plainRecord({ manufacturer: field, name: field, partNumber: field, version: field, serialNumber: field, assetTag: field, fruFileId: field, extra }),
  multiRecords: fc.array(plainRecord({ type: fc.integer({ min: 0, max: 0xff }), data: fc.uint8Array({ maxLength: 40 }) }), { minLength: 1, maxLength: 3 }),
});

test('property: decodeFru(encodeFru(x)) gives x back with no warnings', () => {
  fc.assert(fc.property(anyFru, (f) => assert.deepEqual(decodeFru(encodeFru(f)), { fru: f, warnings: [] })));
});

test('property: arbitrary images decode or throw ProtocolError, never anything else', () => {
  const image = fc.tuple(fc.uint8Array({ minLength: 8, maxLength: 8 }), fc.uint8Array({ maxLength: 120 })).map(([h, body]) => {
    const header = h.slice();
    header[0] = 1;
    for (let i = 1; i < 6; i++) header[i]! %= 16;
    return new Uint8Array([...header, ...body]);
  });
  fc.assert(
    fc.property(image, (bytes) => {
      try {
        decodeFru(bytes);
      } catch (e) {
        assert.ok(e instanceof ProtocolError, String(e));
      }
    }),
  );
});
