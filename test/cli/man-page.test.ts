// The man page documents every command and option of the command tree, and groff renders it
// without warnings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { createProgram } from '../../src/cli/program.js';
import { CliContext } from '../../src/cli/context.js';
import { bufferIo } from '../../src/cli/io.js';
import { repoRoot, run } from '../helpers/run.js';
import { requirePeers } from '../helpers/peers.js';

const manPath = join(repoRoot, 'man/ipmi-sim.1');
// Plain text of the roff source: escapes and font changes removed.
const text = readFileSync(manPath, 'utf8')
  .replace(/\\-/g, '-')
  .replace(/\\f[BIRP]/g, '')
  .replace(/\\e/g, '\\');

function walk(c: Command, path: string[], out: { path: string[]; cmd: Command }[]): void {
  out.push({ path, cmd: c });
  for (const s of c.commands) walk(s, [...path, s.name()], out);
}

test('every command, alias and option of the tree appears in man/ipmi-sim.1', () => {
  const all: { path: string[]; cmd: Command }[] = [];
  walk(createProgram(new CliContext(bufferIo())), [], all);
  const missing: string[] = [];
  for (const { path, cmd } of all) {
    for (const name of [cmd.name(), ...cmd.aliases()]) {
      if (path.length > 0 && !new RegExp(`(^|[^A-Za-z_-])${name.replace(/[-]/g, '\\-')}([^A-Za-z_-]|$)`, 'm').test(text)) missing.push(`command ${[...path.slice(0, -1), name].join(' ')}`);
    }
    for (const o of cmd.options) {
      for (const flag of [o.short, o.long].filter((f): f is string => !!f)) {
        const plain = flag.replace(/^--no-/, '--no-');
        if (!new RegExp(`(^|[^A-Za-z-])${plain.replace(/-/g, '\\-')}([^A-Za-z-]|$)`, 'm').test(text)) missing.push(`option ${flag} of ${path.join(' ') || 'ipmi-sim'}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('package.json lists the man page', () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { man: string[] };
  assert.deepEqual(pkg.man, ['./man/ipmi-sim.1']);
});

test('groff -ww -man renders the page without warnings', async (t) => {
  if (!requirePeers(t, 'groff')) return;
  const r = await run('groff', ['-man', '-Tutf8', '-ww', '-z', manPath]);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
});
