// The output form a client command was asked for: ipmitool text, -c CSV, --json / -o json, or
// -o table, and whether status words may be coloured (decided once per run, see color.ts).

import type { CliContext, Output } from '../context.js';
import type { GlobalOptions } from '../global-options.js';
import { applyColor, decideColor } from './color.js';
import { renderTable } from './table.js';

export interface Modes {
  json: ((value: unknown) => void) | undefined;
  csv: boolean;
  table: boolean;
  color: boolean;
  verbose: number;
  /** -Z. */
  utc: boolean;
}

export function outputModes(ctx: CliContext, o: GlobalOptions, out: Output): Modes {
  const json = out.json ?? (o.output === 'json' ? (v: unknown) => ctx.io.out(JSON.stringify(v, jsonBytes, 2) + '\n') : undefined);
  const color = decideColor({ ...(o.color === false ? { color: false } : {}), json: json !== undefined }, ctx.io.env, ctx.io.stdoutIsTTY);
  applyColor(color);
  return { json, csv: out.csv || o.output === 'csv', table: o.output === 'table', color, verbose: o.verbose, utc: !!o.Z };
}

function jsonBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
}

/** Writes a cli-table3 table (the -o table form of a list). */
export function writeTable(out: Output, head: string[], rows: (string | number)[][]): void {
  out.text(renderTable(head, rows));
}
