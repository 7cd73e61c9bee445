// A password prompt that does not echo, like getpass(3). Only on an interactive terminal:
// a script without a TTY gets a usage error instead of a hang.

import { createInterface } from 'node:readline';
import { UsageError } from '../client/errors.js';

export async function promptHidden(prompt: string): Promise<string> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError(`no password given and no terminal to ask on (${prompt.trim()})`);
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo the prompt, then nothing of what is typed.
  let muted = false;
  (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = (s: string) => {
    if (!muted) process.stderr.write(s);
  };
  try {
    return await new Promise<string>((resolve) => {
      rl.question(prompt, (answer) => resolve(answer));
      muted = true;
    });
  } finally {
    process.stderr.write('\n');
    rl.close();
  }
}
