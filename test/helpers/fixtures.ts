import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Compiled tests run from dist/test/**, fixtures stay in the source tree under test/fixtures.
const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of test/fixtures/<parts>. */
export function fixturePath(...parts: string[]): string {
  return [root, 'test', 'fixtures', ...parts].join('/').replace(/\/+/g, '/');
}

/** The lines of a text fixture, without the final newline. */
export function fixtureLines(...parts: string[]): string[] {
  return readFileSync(fixturePath(...parts), 'utf8').replace(/\n$/, '').split('\n');
}
