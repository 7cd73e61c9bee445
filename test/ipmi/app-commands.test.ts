// The App command table's codecs run on untrusted bytes on both sides: the BMC decodes requests
// (the dispatcher maps a ProtocolError to 0xC7, anything else to 0xCC) and the client decodes
// responses. Every decoder must return or throw ProtocolError, on any input.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { appCommands } from '../../src/ipmi/commands/app.js';
import { Reader } from '../../src/protocol/bytes.js';
import { decodeOrProtocolError } from '../helpers/props.js';

test('every App command request and response decoder throws only ProtocolError on random input', () => {
  for (const spec of appCommands) {
    for (const [side, codec] of [['request', spec.request], ['response', spec.response]] as const) {
      const decode = (b: Uint8Array) => codec.decode(new Reader(b));
      for (let n = 0; n <= 24; n++) decodeOrProtocolError(decode, new Uint8Array(n).fill(0xff));
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 48 }), (b) => {
          try {
            decodeOrProtocolError(decode, b);
          } catch (e) {
            assert.fail(`${spec.name} ${side}: ${(e as Error).message}`);
          }
        }),
        { numRuns: 300 },
      );
    }
  }
});
