// Drives the committed bash completion script in a real bash, as a TAB would.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { repoRoot, run } from './run.js';

/** Completes `line` (the cursor at its end) with the bash script and returns the candidates. */
export async function bashComplete(line: string): Promise<string[]> {
  const script = join(repoRoot, 'completions', 'ipmi-sim.bash');
  const words = line.split(' ');
  const driver = `
source ${JSON.stringify(script)}
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})
COMP_CWORD=${words.length - 1}
COMP_LINE=${JSON.stringify(line)}
COMP_POINT=${line.length}
_ipmi_sim ipmi-sim "${words[words.length - 1]}" "${words[words.length - 2] ?? ''}"
printf '%s\\n' "\${COMPREPLY[@]}"
`;
  const r = await run('bash', ['-c', driver]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

