// serve's log lines: field values can be chosen by whoever sends a datagram (the user name in a
// refused RAKP 1 or Get Session Challenge), so no control character may reach the terminal raw.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamLogger } from '../../src/serve/logger.js';

const hostile = 'ro\u001b[2J\u001b]0;pwned\u0007ot\u009b31m\r\n';

function lines(format: 'text' | 'json'): string[] {
  const out: string[] = [];
  const log = streamLogger((l) => out.push(l), format, 0);
  log.warn('authentication rejected', { reason: 'unknown or disabled user', user: hostile, remote: '192.0.2.1:623' });
  log.info('session opened', { user: 'admin', privilege: 4 });
  return out;
}

// Every character of a line is printable, apart from its final newline.
function assertPrintable(line: string): void {
  assert.ok(line.endsWith('\n'));
  assert.equal(/[\u0000-\u001f\u007f-\u009f]/.test(line.slice(0, -1)), false, JSON.stringify(line));
}

test('text log lines escape control characters in field values and leave plain values alone', () => {
  const [rejected, opened] = lines('text');
  assertPrintable(rejected!);
  assert.ok(rejected!.includes('user="ro\\u001b[2J\\u001b]0;pwned\\u0007ot\\u009b31m\\r\\n"'), rejected);
  assert.ok(rejected!.includes('reason="unknown or disabled user"'));
  assert.ok(rejected!.includes('remote=192.0.2.1:623'));
  assert.ok(opened!.endsWith('INFO  session opened user=admin privilege=4\n'), opened);
});

test('JSON log lines escape C1 controls too and still parse back to the original value', () => {
  const [rejected] = lines('json');
  assertPrintable(rejected!);
  assert.equal(JSON.parse(rejected!).user, hostile);
});
