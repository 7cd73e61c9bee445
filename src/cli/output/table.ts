// Tables for `-o table`. cli-table3 colours its borders and headers even into a pipe unless
// told not to, so styling is always off here and colour (if any) is applied to cell text.

import Table from 'cli-table3';

export function renderTable(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map(String));
  return t.toString() + '\n';
}
