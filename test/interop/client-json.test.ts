// Must-show (issue 5, part B, #3): --json of every sdr, sensor, sel and fru read command is one
// JSON document with the documented fields (README "JSON output"), spec names in camelCase as
// the codecs use them; errors are JSON on stderr with nothing on stdout.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, type RunResult } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';

let bmc: ServeHandle;
let dir = '';
const env = () => ({ XDG_CACHE_HOME: join(dir, 'cache'), TZ: 'UTC' });
const ours = (...args: string[]): Promise<RunResult> => cli(['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'password', ...args], { env: env() });

async function json(...args: string[]): Promise<unknown> {
  const r = await ours('--json', ...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stderr, '');
  assert.ok(r.stdout.endsWith('}\n') || r.stdout.endsWith(']\n'), 'one document and a newline');
  return JSON.parse(r.stdout);
}

type FieldType = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'null';
interface Schema {
  [key: string]: FieldType | FieldType[] | Schema;
}

/** Checks that every field of `schema` is present with its type; `where` names the place for messages. */
function conforms(value: unknown, schema: Schema, where: string): void {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${where}: not an object`);
  const v = value as Record<string, unknown>;
  for (const [key, want] of Object.entries(schema)) {
    assert.ok(key in v, `${where}: no "${key}" in ${JSON.stringify(v).slice(0, 200)}`);
    const got = v[key];
    if (typeof want === 'object' && !Array.isArray(want)) {
      conforms(got, want, `${where}.${key}`);
      continue;
    }
    const types = Array.isArray(want) ? want : [want];
    const actual: FieldType = got === null ? 'null' : Array.isArray(got) ? 'array' : (typeof got as FieldType);
    assert.ok(types.includes(actual), `${where}.${key}: ${actual}, expected ${types.join('|')}`);
  }
}

const SENSOR: Schema = {
  recordId: 'number',
  recordType: 'string',
  idString: 'string',
  sensorNumber: 'number',
  sensorOwnerId: 'number',
  sensorOwnerLun: 'number',
  entityId: 'number',
  entityInstance: 'number',
  entityName: 'string',
  sensorType: 'number',
  sensorTypeName: 'string',
  eventReadingType: 'number',
  readingAvailable: 'boolean',
  scanningEnabled: 'boolean',
  eventsEnabled: 'boolean',
  rawReading: ['number', 'null'],
  reading: ['number', 'null'],
  unit: ['string', 'null'],
  status: 'string',
  states: 'array',
  stateBits: 'number',
};
const THRESHOLDS: Schema = {
  lowerNonRecoverable: ['number', 'null'],
  lowerCritical: ['number', 'null'],
  lowerNonCritical: ['number', 'null'],
  upperNonCritical: ['number', 'null'],
  upperCritical: ['number', 'null'],
  upperNonRecoverable: ['number', 'null'],
};
const SEL_SYSTEM: Schema = {
  kind: 'string',
  recordId: 'number',
  recordType: 'number',
  timestamp: 'number',
  generatorId: 'number',
  evmRevision: 'number',
  sensorType: 'number',
  sensorTypeName: 'string',
  sensorNumber: 'number',
  sensor: 'string',
  eventDirection: 'string',
  eventReadingType: 'number',
  eventData1: 'number',
  eventData2: 'number',
  eventData3: 'number',
  eventDescription: ['string', 'null'],
  extra: ['string', 'null'],
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-json-'));
  bmc = await startServe();
  // Events: threshold (from sensor set), a watchdog event (sel add), an OEM record (raw).
  assert.equal((await ours('sensor', 'set', 'CPU1 Temp', '95')).code, 0);
  writeFileSync(join(dir, 'ev'), '0x04 0x23 0x00 0x6f 0x01 0xff 0xff\n');
  assert.equal((await ours('sel', 'add', join(dir, 'ev'))).code, 0);
  assert.equal((await ours('raw', '0x0a', '0x44', '0', '0', '0xc1', '1', '2', '3', '4', '0x57', '0x01', '0', '1', '2', '3', '4', '5', '6')).code, 0);
});
after(async () => {
  await bmc?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('sdr list / elist / type / entity / get: sensors and locators', async () => {
  for (const args of [['sdr', 'list'], ['sdr', 'elist', 'all'], ['sdr', 'type', 'Temperature'], ['sdr', 'entity', '29'], ['sdr', 'get', 'CPU1 Temp', 'BMC']]) {
    const doc = (await json(...args)) as Record<string, unknown>[];
    assert.ok(Array.isArray(doc) && doc.length > 0, args.join(' '));
    for (const item of doc) {
      if (item.recordType === 'full' || item.recordType === 'compact') conforms(item, SENSOR, args.join(' '));
      else conforms(item, { recordType: 'string', recordId: 'number', idString: 'string', entityId: 'number', entityName: 'string' }, args.join(' '));
    }
  }
  const list = (await json('sdr', 'list')) as Record<string, unknown>[];
  const cpu = list.find((s) => s.idString === 'CPU1 Temp')!;
  assert.equal(cpu.reading, 95);
  assert.equal(cpu.unit, 'degrees C');
  assert.equal(cpu.status, 'ucr');
  const psu = list.find((s) => s.idString === 'PSU1 Status')!;
  assert.deepEqual(psu.states, ['Presence detected']);
  assert.equal(psu.reading, null);
  const all = (await json('sdr', 'elist', 'all')) as Record<string, unknown>[];
  conforms(all.find((r) => r.recordType === 'mcLocator'), { deviceSlaveAddress: 'number', deviceCapabilities: 'number', powerStateNotification: 'number' }, 'mcLocator');
});

test('sdr info', async () => {
  conforms(await json('sdr', 'info'), {
    version: 'number',
    recordCount: 'number',
    freeSpace: 'number',
    lastAddTime: 'number',
    lastEraseTime: 'number',
    operations: 'number',
    overflow: 'boolean',
    updateSupport: 'string',
    deleteSupported: 'boolean',
    partialAddSupported: 'boolean',
    reserveSupported: 'boolean',
    allocationInfoSupported: 'boolean',
  }, 'sdr info');
});

test('sensor list / get / reading / set', async () => {
  const list = (await json('sensor', 'list')) as Record<string, unknown>[];
  assert.equal(list.length, 14);
  for (const s of list) {
    conforms(s, SENSOR, `sensor list ${s.idString}`);
    if (s.eventReadingType === 1) conforms(s, { thresholds: THRESHOLDS }, `sensor list ${s.idString}`);
  }
  const inlet = list.find((s) => s.idString === 'Inlet Temp')!;
  assert.deepEqual(inlet.thresholds, { lowerNonCritical: 5, lowerCritical: 0, lowerNonRecoverable: null, upperNonCritical: 40, upperCritical: 45, upperNonRecoverable: null });
  const get = (await json('sensor', 'get', 'FAN1')) as unknown[];
  conforms(get[0], { ...SENSOR, thresholds: THRESHOLDS }, 'sensor get');
  const reading = (await json('sensor', 'reading', '12V')) as unknown[];
  assert.deepEqual(reading, [{ idString: '12V', reading: 12.1, unit: 'Volts' }]);
  conforms(await json('sensor', 'set', 'FAN2', '4000'), { idString: 'string', sensorNumber: 'number', rawReading: 'number', reading: 'number', unit: 'string' }, 'sensor set');
  conforms(await json('sensor', 'set', 'PSU2 Status', 'Presence detected'), { idString: 'string', sensorNumber: 'number', stateBits: 'number', states: 'array' }, 'sensor set discrete');
});

test('sel info / list / elist / get / time get', async () => {
  conforms(await json('sel', 'info'), {
    version: 'number',
    entries: 'number',
    freeBytes: 'number',
    lastAddTime: 'number',
    lastEraseTime: 'number',
    operations: 'number',
    overflow: 'boolean',
    allocation: { allocationUnits: 'number', unitSize: 'number', freeUnits: 'number', largestFreeBlock: 'number', maxRecordSize: 'number' },
  }, 'sel info');
  for (const args of [['sel', 'list'], ['sel', 'elist'], ['sel', 'get', '1', '4']]) {
    const doc = (await json(...args)) as Record<string, unknown>[];
    assert.ok(doc.length > 0, args.join(' '));
    for (const r of doc) {
      if (r.kind === 'system') conforms(r, SEL_SYSTEM, args.join(' '));
      else conforms(r, { kind: 'string', recordId: 'number', recordType: 'number', manufacturerId: 'number', oemData: 'string' }, args.join(' '));
    }
  }
  const elist = (await json('sel', 'elist')) as Record<string, unknown>[];
  const ucr = elist.find((r) => r.eventDescription === 'Upper Critical going high')!;
  assert.equal(ucr.idString, 'CPU1 Temp');
  assert.equal(ucr.extra, 'Reading 95 > Threshold 90 degrees C');
  const oem = elist.find((r) => r.kind === 'oemTimestamped')!;
  assert.equal(oem.manufacturerId, 0x000157);
  assert.equal(oem.oemData, '010203040506');
  conforms(await json('sel', 'time', 'get'), { time: 'number', text: 'string' }, 'sel time get');
});

test('fru print', async () => {
  const doc = (await json('fru', 'print')) as Record<string, unknown>[];
  assert.equal(doc.length, 1);
  conforms(doc[0], {
    fruId: 'number',
    description: 'string',
    size: 'number',
    wordAccess: 'boolean',
    warnings: 'array',
    chassis: { type: 'number', partNumber: 'string', serialNumber: 'string', extra: 'array' },
    board: { mfgDate: 'string', manufacturer: 'string', productName: 'string', serialNumber: 'string', partNumber: 'string' },
    product: { manufacturer: 'string', name: 'string', partNumber: 'string', version: 'string', serialNumber: 'string' },
  }, 'fru print');
  const board = (doc[0] as { board: { mfgDate: string } }).board;
  assert.equal(board.mfgDate, '2024-01-15T08:00:00.000Z');
  const missing = (await json('fru', 'print', '9')) as Record<string, unknown>[];
  conforms(missing[0], { fruId: 'number', error: 'string', completionCode: 'number' }, 'fru print 9');
});

test('errors are one JSON document on stderr, nothing on stdout', async () => {
  const r = await cli(['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'wrong', '--json', 'sdr', 'list'], { env: env() });
  assert.equal(r.code, 77);
  assert.equal(r.stdout, '');
  conforms(JSON.parse(r.stderr), { error: { code: 'string', message: 'string' } }, 'error');
  const cc = await ours('--json', 'sensor', 'set', 'CPU1 Temp', 'warm');
  assert.equal(cc.code, 64);
  assert.equal(JSON.parse(cc.stderr).error.code, 'USAGE');
});
