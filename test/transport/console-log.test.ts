// console.log: appended as output arrives, rotated to console.log.1 past its size, and a disk
// that fails is reported once without costing the caller anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleLog } from '../../src/transport/console-log.js';
import { tempDir } from '../helpers/qemu.js';

test('appends in order across writes and reopenings', async (t) => {
  const dir = tempDir('clog-');
  t.after(dir.remove);
  const path = join(dir.path, 'console.log');
  writeFileSync(path, 'old run\n');
  const log = new ConsoleLog(path);
  for (let i = 0; i < 100; i++) log.append(Buffer.from(`line ${i}\r\n`));
  await log.close();
  const again = new ConsoleLog(path);
  again.append(Buffer.from('next run\r\n'));
  await again.close();
  const text = readFileSync(path, 'utf8');
  assert.equal(text, `old run\n${Array.from({ length: 100 }, (_, i) => `line ${i}\r\n`).join('')}next run\r\n`);
});

test('rotates past maxBytes: console.log.1 holds the previous part, nothing is lost in between', async (t) => {
  const dir = tempDir('clog-');
  t.after(dir.remove);
  const path = join(dir.path, 'console.log');
  const log = new ConsoleLog(path, { maxBytes: 1000 });
  let all = '';
  for (let i = 0; i < 60; i++) {
    const chunk = `${String(i).padStart(3, '0')}:${'x'.repeat(60)}\r\n`;
    all += chunk;
    log.append(Buffer.from(chunk));
    if (i % 7 === 0) await log.drained();
  }
  await log.close();
  const current = readFileSync(path, 'utf8');
  const previous = readFileSync(`${path}.1`, 'utf8');
  assert.ok(all.endsWith(previous + current), 'the two files are the tail of the output, in order');
  assert.ok(statSync(path).size < 1000 + 4000, 'bounded');
  assert.ok(previous.length >= 1000, 'rotated only once past the size');
});

test('a failing disk is reported once; appends never throw', async (t) => {
  const dir = tempDir('clog-');
  t.after(dir.remove);
  const path = join(dir.path, 'console.log');
  mkdirSync(path); // a directory where the file should be: open() fails
  const errors: string[] = [];
  const log = new ConsoleLog(path, { onError: (e) => errors.push(e.message) });
  for (let i = 0; i < 5; i++) {
    log.append(Buffer.from('x'));
    await log.drained();
  }
  await log.close();
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /EISDIR/);
});

test('more than maxPending queued for a slow disk: dropped with a marker, not held in memory', async (t) => {
  const dir = tempDir('clog-');
  t.after(dir.remove);
  const path = join(dir.path, 'console.log');
  const log = new ConsoleLog(path, { maxPending: 100 });
  // All in one turn, within one write batch: three chunks fit the 100 bytes of queue, the other
  // seven do not.
  for (let i = 0; i < 10; i++) log.append(Buffer.from('y'.repeat(30)));
  await log.close();
  const text = readFileSync(path, 'utf8');
  assert.match(text, /^y{90}\r\n\[ipmi-sim: 210 bytes of console output not logged: the disk was too slow\]\r\n$/);
});
