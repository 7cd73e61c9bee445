// `--help` of every sdr, sensor, sel and fru command (groups and subcommands) ends with an
// example; the command tree is walked so that a new subcommand without one fails here.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { createProgram } from '../../src/cli/program.js';
import { CliContext } from '../../src/cli/context.js';
import { bufferIo } from '../../src/cli/io.js';

async function help(path: string[]): Promise<string> {
  const io = bufferIo();
  const program = createProgram(new CliContext(io));
  await program.parseAsync(['node', 'ipmi-sim', ...path, '--help']).catch(() => {});
  return io.stdout;
}

function paths(cmd: Command, prefix: string[] = []): string[][] {
  return cmd.commands.flatMap((c) => [[...prefix, c.name()], ...paths(c, [...prefix, c.name()])]);
}

test('every sdr/sensor/sel/fru command shows an example in --help', async () => {
  const program = createProgram(new CliContext(bufferIo()));
  const mine = program.commands.filter((c) => ['sdr', 'sensor', 'sel', 'fru'].includes(c.name()));
  const all = mine.flatMap((c) => [[c.name()], ...paths(c, [c.name()])]);
  assert.ok(all.length > 25, `${all.length} commands`);
  for (const path of all) {
    const text = await help(path);
    assert.match(text, /^Usage: ipmi-sim /m, path.join(' '));
    assert.match(text, /\nExample:\n {2}ipmi-sim /, `ipmi-sim ${path.join(' ')} --help has no example`);
  }
});
