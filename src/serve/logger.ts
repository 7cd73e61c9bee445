// Log lines for `serve` on stderr: human text or NDJSON. Secrets never reach the logger
// (passwords and keys are not passed in fields).

import type { Logger } from '../bmc/log.js';

// Field values can come off the wire (the user name of a refused login), so they must not
// reach a terminal raw: JSON.stringify escapes C0 controls, and C1 controls (0x80-0x9F, where
// 0x9B is CSI) and DEL are escaped here as well.
function escapeControls(json: string): string {
  return json.replace(/[\u007f-\u009f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function textValue(v: unknown): string {
  const s = String(v);
  return typeof v === 'string' && /[^\x21-\x7e]/.test(s) ? escapeControls(JSON.stringify(s)) : s;
}

export function streamLogger(write: (line: string) => void, format: 'text' | 'json', verbose: number): Logger {
  const emit = (level: string, msg: string, fields?: Record<string, unknown>) => {
    const time = new Date().toISOString();
    if (format === 'json') {
      write(escapeControls(JSON.stringify({ time, level, msg, ...fields })) + '\n');
      return;
    }
    const kv = fields
      ? Object.entries(fields)
          .map(([k, v]) => `${k}=${textValue(v)}`)
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
