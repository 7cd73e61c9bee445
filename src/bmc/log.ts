// The BMC core reports events through this interface and never writes to a stream itself.

export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} };

/** Collects log lines; used by tests to assert on what was logged. */
export class MemoryLogger implements Logger {
  lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  info(msg: string, fields?: Record<string, unknown>) {
    this.lines.push(fields ? { level: 'info', msg, fields } : { level: 'info', msg });
  }
  warn(msg: string, fields?: Record<string, unknown>) {
    this.lines.push(fields ? { level: 'warn', msg, fields } : { level: 'warn', msg });
  }
  debug(msg: string, fields?: Record<string, unknown>) {
    this.lines.push(fields ? { level: 'debug', msg, fields } : { level: 'debug', msg });
  }
}
