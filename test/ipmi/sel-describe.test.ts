// Our SEL text against what the real ipmitool 1.8.19 printed for the same records
// (test/fixtures/ipmitool/sel-*.txt, recorded by test/interop/records-ipmitool.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sdrForSelRecord, selEventDescription, selExtraText } from '../../src/ipmi/sel/describe.js';
import type { SystemEventRecord } from '../../src/ipmi/sel/records.js';
import { fixtureLines } from '../helpers/fixtures.js';
import { sdrCorpus } from './sdr-corpus.js';
import { selCorpus } from './sel-corpus.js';
import { listColumns, ourColumns } from './sel-lines.js';

for (const [file, withSdr] of [
  ['sel-readraw.txt', false],
  ['sel-ereadraw.txt', true],
] as const) {
  test(`every line of ipmitool's ${file}`, () => {
    const lines = fixtureLines('ipmitool', file);
    assert.equal(lines.length, selCorpus.length);
    selCorpus.forEach((rec, i) => {
      assert.deepEqual(ourColumns(rec, withSdr ? sdrCorpus : undefined, true), listColumns(lines[i]!), `line ${i}: ${lines[i]}`);
    });
  });
}

const event = (sensorType: number, eventReadingType: number, ed1: number, ed2 = 0xff, ed3 = 0xff): SystemEventRecord => ({
  kind: 'system',
  recordId: 1,
  recordType: 2,
  timestamp: 0,
  generatorId: 0x20,
  evmRevision: 4,
  sensorType,
  sensorNumber: 1,
  eventDirection: 'assertion',
  eventReadingType,
  eventData1: ed1,
  eventData2: ed2,
  eventData3: ed3,
});

test('description rules, spelled out', () => {
  assert.equal(selEventDescription(event(0x01, 0x01, 0x02)), 'Lower Critical going low ');
  assert.equal(selEventDescription(event(0x0f, 0x6f, 0x00, 0x03)), 'Unknown Error'); // data 2 not flagged
  assert.equal(selEventDescription(event(0x0f, 0x6f, 0xc0, 0x03)), 'Unrecoverable IDE device failure');
  assert.equal(selEventDescription(event(0x23, 0x6f, 0xc3, 0x42)), 'Power cycle'); // watchdog data 2 unused
  assert.equal(selEventDescription(event(0x12, 0x72, 0x00)), undefined);
  assert.equal(selEventDescription({ kind: 'oemNonTimestamped', recordId: 1, recordType: 0xe0, oemData: new Uint8Array(13) }), undefined);
});

test('the memory sensor 0 extra column appears without an SDR', () => {
  const ecc = { ...event(0x0c, 0x6f, 0xa0, 0, 0x53), sensorNumber: 0 };
  assert.equal(selExtraText(ecc), 'CPU 3 DIMM 5');
  assert.equal(selExtraText({ ...ecc, eventData1: 0x80 }), undefined); // data 3 not sensor-specific
  assert.equal(selExtraText({ ...ecc, sensorNumber: 1 }), undefined);
});

test('sdrForSelRecord matches owner, number and type', () => {
  const rec = event(0x01, 0x01, 0x59);
  assert.equal(sdrForSelRecord(sdrCorpus, { ...rec, sensorNumber: 0x30 })?.idString, 'CPU Temp');
  assert.equal(sdrForSelRecord(sdrCorpus, { ...rec, sensorNumber: 0x30, generatorId: 0x0021 }), undefined);
  assert.equal(sdrForSelRecord(sdrCorpus, { ...rec, sensorNumber: 0x30, sensorType: 0x02 }), undefined);
});
