// run.ts loads one command module by name (command-index.ts); program.ts builds the whole tree.
// They must list the same commands, or a command would only work through the slow path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_INDEX, commandWord } from '../../src/cli/command-index.js';
import { createProgram } from '../../src/cli/program.js';
import { createRoot } from '../../src/cli/root.js';
import { CliContext } from '../../src/cli/context.js';
import { bufferIo } from '../../src/cli/io.js';

test('every command of the full tree except exec and completion is in the index, with its aliases', async () => {
  const ctx = new CliContext(bufferIo());
  const full = createProgram(ctx).commands.filter((c) => !['exec', 'completion'].includes(c.name()));
  assert.deepEqual(
    COMMAND_INDEX.map((e) => [...e.names].sort()).sort(),
    full.map((c) => [c.name(), ...c.aliases()].sort()).sort(),
  );
  for (const e of COMMAND_INDEX) {
    const cmd = (await e.load())(ctx);
    assert.equal(cmd.name(), e.names[0]);
  }
});

test('commandWord skips global options and their values', () => {
  const root = createRoot(new CliContext(bufferIo()));
  assert.equal(commandWord(root, ['power', 'status']), 'power');
  assert.equal(commandWord(root, ['-I', 'lanplus', '-H', 'bmc1', '-U', 'admin', '-P', 'x', 'sdr', 'list']), 'sdr');
  assert.equal(commandWord(root, ['-Hbmc1', '-vv', '--json', 'mc', 'info']), 'mc');
  assert.equal(commandWord(root, ['--fanout', '8', '--consolidate', 'power', 'status']), 'power');
  assert.equal(commandWord(root, ['--fanout=8', 'raw', '6', '1']), 'raw');
  assert.equal(commandWord(root, ['-v']), undefined);
});
