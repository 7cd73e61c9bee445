// Log lines for `serve` on stderr: human text or NDJSON. Secrets never reach the logger
// (passwords and keys are not passed in fields).

import type { Logger } from '../bmc/log.js';

export function streamLogger(write: (line: string) => void, format: 'text' | 'json', verbose: number): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const time = new Date().toISOString();
    if (format === 'json') {
      write(JSON.stringify({ time, level, msg, ...fields }) + '\n');
      return;
    }
    const kv = fields
      ? Object.entries(fields)
          .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`)
          .join(' ')
      : '';
    write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${kv ? ' ' + kv : ''}\n`);
  };
  return {
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    debug: (m, f) => {
      if (verbose > 0) emit('debug', m, f);
    },
  };
}
