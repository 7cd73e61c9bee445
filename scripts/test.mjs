#!/usr/bin/env node
// Builds once with tsc, then runs every compiled test file with node:test. Node 20 neither
// expands globs nor finds .ts tests itself, so the file list is built here.
//   node scripts/test.mjs [substring ...]   run only test files whose path contains a substring
//   --no-build                              skip the tsc step
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const noBuild = args.includes('--no-build');
const filters = args.filter((a) => !a.startsWith('--'));

if (!noBuild) {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}

const testRoot = join(root, 'dist/test');
if (!existsSync(testRoot)) {
  console.error('no compiled tests under dist/test');
  process.exit(1);
}
const files = readdirSync(testRoot, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.js'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort()
  .map((f) => join(testRoot, f));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// Interop tests mostly wait on sockets and child processes, so run more files than cores.
const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
