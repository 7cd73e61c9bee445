import { fromHex, toHex } from '../../src/protocol/bytes.js';

/** hex`20 18 c8` → bytes. Whitespace, "|" separators and "//" comments are ignored. */
export function hex(strings: TemplateStringsArray, ...values: unknown[]): Uint8Array {
  let text = '';
  strings.forEach((s, i) => {
    text += s;
    if (i < values.length) text += String(values[i]);
  });
  text = text
    .split('\n')
    .map((line) => line.replace(/\/\/.*$/, ''))
    .join(' ')
    .replace(/\|/g, ' ');
  return fromHex(text);
}

export { toHex };
