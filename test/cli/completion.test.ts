// Completion scripts: committed files match the command tree, every script parses in its
// shell, and the bash one completes in a real bash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completionScript } from '../../src/cli/completion.js';
import { createProgram } from '../../src/cli/program.js';
import { CliContext } from '../../src/cli/context.js';
import { bufferIo } from '../../src/cli/io.js';
import { repoRoot, run } from '../helpers/run.js';
import { requirePeers } from '../helpers/peers.js';
import { bashComplete } from '../helpers/completion.js';

const program = () => createProgram(new CliContext(bufferIo()));
const files = { bash: 'ipmi-sim.bash', zsh: '_ipmi-sim', fish: 'ipmi-sim.fish' } as const;

test('committed completion scripts are up to date (regenerate: npm run completions)', () => {
  for (const [shell, file] of Object.entries(files) as [keyof typeof files, string][]) {
    const committed = readFileSync(join(repoRoot, 'completions', file), 'utf8');
    assert.equal(committed, completionScript(program(), shell), `completions/${file} is stale`);
  }
});

for (const [shell, check] of [
  ['bash', ['bash', '-n']],
  ['zsh', ['zsh', '-n']],
  ['fish', ['fish', '-n']],
] as const) {
  test(`${shell} parses the ${shell} script`, async (t) => {
    if (!requirePeers(t, shell)) return;
    const r = await run(check[0], [check[1], join(repoRoot, 'completions', files[shell])]);
    assert.equal(r.code, 0, r.stderr);
  });
}

test('bash completes subcommands, nested subcommands, options and option choices', async () => {
  assert.deepEqual(await bashComplete('ipmi-sim m'), ['mc']);
  assert.deepEqual((await bashComplete('ipmi-sim mc ')).sort(), ['getenables', 'guid', 'info', 'reset', 'selftest', 'setenables', 'watchdog']);
  assert.deepEqual(await bashComplete('ipmi-sim po'), ['power']);
  assert.deepEqual((await bashComplete('ipmi-sim chassis bootdev ')).slice(0, 8), ['none', 'pxe', 'disk', 'safe', 'diag', 'cdrom', 'bios', 'floppy']);
  assert.deepEqual(await bashComplete('ipmi-sim chassis bootdev c'), ['cdrom']);
  assert.deepEqual((await bashComplete('ipmi-sim power ')).sort(), ['acpi', 'cycle', 'diag', 'down', 'off', 'on', 'reset', 'soft', 'status', 'up']);
  assert.deepEqual(await bashComplete('ipmi-sim -I lanp'), ['lanplus']);
  assert.deepEqual((await bashComplete('ipmi-sim -H 10.0.0.1 -U admin mc g')).sort(), ['getenables', 'guid']);
  assert.ok((await bashComplete('ipmi-sim serve --')).includes('--state-dir'));
  assert.deepEqual(await bashComplete('ipmi-sim completion z'), ['zsh']);
  // issue 5: ipmi-sim po<TAB> and ipmi-sim chassis bootdev <TAB>
  assert.deepEqual(await bashComplete('ipmi-sim po'), ['power']);
  const devices = await bashComplete('ipmi-sim chassis bootdev ');
  for (const d of ['none', 'pxe', 'disk', 'safe', 'diag', 'cdrom', 'bios', 'floppy']) assert.ok(devices.includes(d), d);
  assert.deepEqual(await bashComplete('ipmi-sim -H bmc1 -U admin chassis bootdev pX'), []);
  assert.deepEqual(await bashComplete('ipmi-sim -H bmc1 -U admin chassis bootdev px'), ['pxe']);
});
