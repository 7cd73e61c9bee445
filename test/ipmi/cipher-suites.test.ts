// Cipher suite records of Get Channel Cipher Suites (IPMI v2.0 §22.15.2, ipmi-protocol.md §4.8).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bmc } from '../../src/bmc/bmc.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { baseConfig } from '../../src/bmc/config/model.js';
import { silentLogger } from '../../src/bmc/log.js';
import { SeededRng } from '../../src/bmc/rng.js';
import { decodeCipherSuiteRecords, encodeCipherSuiteRecords, getChannelCipherSuites } from '../../src/ipmi/commands/app.js';
import { decodeWith, encodeWith } from '../../src/ipmi/spec.js';
import { cipherSuiteById } from '../../src/protocol/crypto.js';
import { concat } from '../../src/protocol/bytes.js';
import { hex } from '../helpers/bytes.js';
import { decodeOrProtocolError, mutationOf } from '../helpers/props.js';

// A real reply's record data (kontron/python-ipmi issue #188): suites 3 and 17.
const records3and17 = hex`
  c0 03   // standard record, suite 3
  01      // auth: tag 00 | HMAC-SHA1
  41      // integrity: tag 01 | HMAC-SHA1-96
  81      // confidentiality: tag 10 | AES-CBC-128
  c0 11   // suite 17
  03 44 81`;

test('cipher suite records: parse, generate, mirror', () => {
  const suites = decodeCipherSuiteRecords(records3and17);
  assert.deepEqual(suites, [
    { id: 3, auth: 1, integrity: 1, confidentiality: 1 },
    { id: 17, auth: 3, integrity: 4, confidentiality: 1 },
  ]);
  assert.deepEqual(encodeCipherSuiteRecords(suites), records3and17);
});

test('cipher suite records: OEM records carry a 3-byte IANA; truncated records end the list', () => {
  assert.deepEqual(decodeCipherSuiteRecords(hex`c1 80 57 01 00 02 42 80 | c0 01 01 40 80`), [
    { id: 0x80, iana: 343, auth: 2, integrity: 2, confidentiality: 0 },
    { id: 1, auth: 1, integrity: 0, confidentiality: 0 },
  ]);
  assert.deepEqual(decodeCipherSuiteRecords(hex`c0 03 01 41 81 c0`), [{ id: 3, auth: 1, integrity: 1, confidentiality: 1 }]);
  assert.deepEqual(decodeCipherSuiteRecords(hex`c0 03 01 41 81 c1 80 57`), [{ id: 3, auth: 1, integrity: 1, confidentiality: 1 }]);
  assert.deepEqual(decodeCipherSuiteRecords(hex`00 c0 03 01`), [], 'data that does not start with a record tag');
  assert.deepEqual(decodeCipherSuiteRecords(new Uint8Array(0)), []);
});

test('cipher suite records mirror over random suites; the decoder is total over random bytes', () => {
  const suite = fc.record({
    id: fc.integer({ min: 0, max: 255 }),
    auth: fc.integer({ min: 0, max: 0x3f }),
    integrity: fc.integer({ min: 0, max: 0x3f }),
    confidentiality: fc.integer({ min: 0, max: 0x3f }),
  });
  fc.assert(
    fc.property(fc.array(suite, { maxLength: 20 }), (suites) => {
      assert.deepEqual(decodeCipherSuiteRecords(encodeCipherSuiteRecords(suites)), suites.map((s) => ({ ...s })));
    }),
  );
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), mutationOf([records3and17])), (b) => {
      assert.equal(decodeOrProtocolError(decodeCipherSuiteRecords, b), 'ok');
    }),
    { numRuns: 2000 },
  );
});

test('Get Channel Cipher Suites: the BMC lists its suites in 16-byte chunks that reassemble into every offered record', () => {
  const bmc = new Bmc(baseConfig(), { clock: new ManualClock(), rng: new SeededRng(1), log: silentLogger });
  const ask = (listIndex: number, listBySuite = true) => {
    const r = bmc.dispatch(
      { netFn: 0x06, lun: 0, cmd: 0x54, data: encodeWith(getChannelCipherSuites.request, { channel: 0x0e, payloadType: 0, listBySuite, listIndex }) },
      { channel: 1, privilege: 'none' },
    );
    assert.equal(r.cc, 0);
    const rsp = decodeWith(getChannelCipherSuites.response, r.data);
    assert.equal(rsp.channel, 1, '"this channel" resolves to the LAN channel');
    return rsp.data;
  };
  const chunks: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    const c = ask(i);
    chunks.push(c);
    if (c.length < 16) break;
    assert.ok(i < 10);
  }
  assert.ok(chunks.length >= 4, 'the default list (11 suites x 5 bytes) spans several chunks');
  const ids = decodeCipherSuiteRecords(concat(chunks));
  assert.deepEqual(
    ids,
    [17, 3, 1, 2, 6, 7, 8, 11, 12, 15, 16].map((id) => ({ ...cipherSuiteById(id)! })),
  );
  // Suite 0 is not listed unless allowed, and the RC4 suites never are.
  assert.equal(ids.some((s) => [0, 4, 5, 9, 10, 13, 14, 18, 19].includes(s.id)), false);
  // The "supported algorithms" form lists each tagged algorithm once.
  assert.deepEqual([...ask(0, false)].sort((a, b) => a - b), [0x01, 0x02, 0x03, 0x40, 0x41, 0x42, 0x43, 0x44, 0x80, 0x81]);
});
