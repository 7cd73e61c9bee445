// Tables for `-o table`. cli-table3 colours its borders and headers even into a pipe unless
// told not to, so styling is always off here and colour (if any) is applied to cell text.
// It is loaded on first use: most runs print no table and start faster without it.

import { createRequire } from 'node:module';
import type TableType from 'cli-table3';

let Table: typeof TableType | undefined;

export function renderTable(head: string[], rows: (string | number)[][]): string {
  Table ??= createRequire(import.meta.url)('cli-table3') as typeof TableType;
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString() + '\n';
}
