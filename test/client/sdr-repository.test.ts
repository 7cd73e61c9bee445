// The SDR reader against a scripted repository: whole-record reads, the chunked fallback on
// each "too big" completion code and on short answers, re-reservation after C5h, device SDRs
// when there is no repository, and a looping repository refused instead of read forever.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LanClient, RawResponse } from '../../src/client/lan-client.js';
import { readSdrRecords, sdrRepositoryState } from '../../src/client/sdr-repository.js';
import { decodeWith, encodeWith } from '../../src/ipmi/spec.js';
import { getSdr, getSdrRepositoryInfo, reserveSdrRepository } from '../../src/ipmi/commands/sdr-repository.js';
import { getDeviceSdr, getDeviceSdrInfo } from '../../src/ipmi/commands/sensor-event.js';
import { encodeSdr } from '../../src/ipmi/sdr/records.js';
import { sdrCorpus } from '../ipmi/sdr-corpus.js';

const records = sdrCorpus.slice(0, 6).map((r, i) => encodeSdr({ ...r, recordId: 0x10 + i }));

interface Script {
  /** Largest Get SDR answer (bytes of record data); larger asks get this code. */
  maxRead?: number;
  tooBigCode?: number;
  /** Answer a short record to whole reads (some BMCs cut at their buffer size). */
  truncateWhole?: boolean;
  /** Cancel the reservation before the Nth partial read (1-based). */
  cancelAt?: number;
  /** No SDR repository: Get SDR Repository Info answers C1h and Get Device SDR serves. */
  deviceOnly?: boolean;
  loop?: boolean;
}

function fakeBmc(s: Script) {
  const log: string[] = [];
  let reservation = 0;
  let partials = 0;
  const ok = (data: Uint8Array): RawResponse => ({ cc: 0, data });
  const client = {
    async request(netFn: number, cmd: number, data: Uint8Array = new Uint8Array()): Promise<RawResponse> {
      if (netFn === getSdrRepositoryInfo.netFn && cmd === getSdrRepositoryInfo.cmd) {
        log.push('info');
        if (s.deviceOnly) return { cc: 0xc1, data: new Uint8Array() };
        return ok(encodeWith(getSdrRepositoryInfo.response, { version: 0x51, recordCount: records.length, freeSpace: 1000, lastAddTime: 1234, lastEraseTime: 0xffffffff, operations: 0x2f }));
      }
      if (netFn === getDeviceSdrInfo.netFn && cmd === getDeviceSdrInfo.cmd) {
        log.push('device-info');
        return ok(encodeWith(getDeviceSdrInfo.response, { count: records.length, flags: 0x01, populationChange: 99 }));
      }
      if ((netFn === reserveSdrRepository.netFn && cmd === reserveSdrRepository.cmd) || (netFn === 0x04 && cmd === 0x22)) {
        reservation++;
        log.push(`reserve ${reservation}`);
        return ok(encodeWith(reserveSdrRepository.response, { reservationId: reservation }));
      }
      const device = netFn === getDeviceSdr.netFn && cmd === getDeviceSdr.cmd;
      if (device || (netFn === getSdr.netFn && cmd === getSdr.cmd)) {
        if (device !== !!s.deviceOnly) return { cc: 0xc1, data: new Uint8Array() };
        const q = decodeWith(getSdr.request, data);
        log.push(`get ${q.recordId.toString(16)} ${q.offset} ${q.count}`);
        const index = q.recordId === 0 ? 0 : records.findIndex((_, i) => 0x10 + i === q.recordId);
        if (index < 0) return { cc: 0xcb, data: new Uint8Array() };
        const rec = records[index]!;
        if (q.offset > 0) {
          partials++;
          if (s.cancelAt === partials) {
            reservation++;
            return { cc: 0xc5, data: new Uint8Array() };
          }
          if (q.reservationId !== reservation) return { cc: 0xc5, data: new Uint8Array() };
        }
        const want = q.count === 0xff ? rec.length - q.offset : q.count;
        if (s.maxRead !== undefined && want > s.maxRead) return { cc: s.tooBigCode ?? 0xca, data: new Uint8Array() };
        let part = rec.subarray(q.offset, q.offset + want);
        if (s.truncateWhole && q.count === 0xff) part = part.subarray(0, 20);
        const next = s.loop && index === 2 ? 0x10 : index + 1 < records.length ? 0x11 + index : 0xffff;
        return ok(encodeWith(getSdr.response, { nextRecordId: next, data: part }));
      }
      throw new Error(`unexpected request ${netFn}/${cmd}`);
    },
    async invoke<Req, Res>(spec: { netFn: number; cmd: number; request: { encode: unknown }; response: unknown }, req: Req): Promise<Res> {
      const r = await client.request(spec.netFn, spec.cmd, encodeWith(spec.request as never, req));
      if (r.cc !== 0) throw new Error(`cc ${r.cc}`);
      return decodeWith(spec.response as never, r.data);
    },
  };
  return { client: client as unknown as LanClient, log };
}

test('whole records in one Get SDR each, no reservation needed', async () => {
  const { client, log } = fakeBmc({});
  const state = await sdrRepositoryState(client);
  const { records: got, stats } = await readSdrRecords(client, state);
  assert.deepEqual(got, records);
  assert.equal(stats.requests, records.length);
  assert.equal(stats.chunked, false);
  assert.ok(!log.some((l) => l.startsWith('reserve')));
});

for (const code of [0xca, 0xff, 0xc7, 0xc8]) {
  test(`completion code 0x${code.toString(16)} to a whole read: header and chunks from then on`, async () => {
    const { client, log } = fakeBmc({ maxRead: 16, tooBigCode: code });
    const { records: got, stats } = await readSdrRecords(client, await sdrRepositoryState(client));
    assert.deepEqual(got, records);
    assert.equal(stats.chunked, true);
    assert.equal(log.filter((l) => l.endsWith(' 255')).length, 1, 'only the first record is tried whole');
    assert.equal(log.filter((l) => l.startsWith('reserve')).length, 1);
  });
}

test('a BMC that can only return 8 bytes: chunks shrink after a refusal', async () => {
  const { client } = fakeBmc({ maxRead: 8 });
  const { records: got } = await readSdrRecords(client, await sdrRepositoryState(client));
  assert.deepEqual(got, records);
});

test('a whole read answered short is read again in chunks', async () => {
  const { client } = fakeBmc({ truncateWhole: true });
  const { records: got, stats } = await readSdrRecords(client, await sdrRepositoryState(client));
  assert.deepEqual(got, records);
  assert.equal(stats.chunked, true);
});

test('C5h (reservation cancelled) re-reserves and goes on', async () => {
  const { client, log } = fakeBmc({ maxRead: 16, cancelAt: 3 });
  const { records: got } = await readSdrRecords(client, await sdrRepositoryState(client));
  assert.deepEqual(got, records);
  assert.equal(log.filter((l) => l.startsWith('reserve')).length, 2);
});

test('no SDR repository (C1h): device SDRs', async () => {
  const { client, log } = fakeBmc({ deviceOnly: true });
  const state = await sdrRepositoryState(client);
  assert.equal(state.kind, 'device');
  assert.equal(state.lastAddTime, 99);
  const { records: got } = await readSdrRecords(client, state);
  assert.deepEqual(got, records);
  assert.ok(log.includes('device-info'));
});

test('a repository whose next-record chain loops is refused', async () => {
  const { client } = fakeBmc({ loop: true });
  await assert.rejects(readSdrRecords(client, await sdrRepositoryState(client)), /loops/);
});
