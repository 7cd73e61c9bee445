#!/usr/bin/env node
// Regenerates completions/ from the built CLI (run after `npm run build`).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = { bash: 'ipmi-sim.bash', zsh: '_ipmi-sim', fish: 'ipmi-sim.fish' };
for (const [shell, file] of Object.entries(files)) {
  const text = execFileSync(process.execPath, [join(root, 'bin/ipmi-sim'), 'completion', shell], { encoding: 'utf8' });
  writeFileSync(join(root, 'completions', file), text);
  console.log(`completions/${file}`);
}
