// What every client command needs: resolved connection settings, an open session that is
// always closed, output helpers (text, JSON), and one place that turns errors into messages
// and exit codes.

import type { Command } from 'commander';
import type { LanClient } from '../client/lan-client.js';
import { ExitCode, IpmiAuthError, IpmiCipherSuiteError, IpmiCompletionError, IpmiError, IpmiSessionError, IpmiTimeoutError } from '../client/errors.js';
import { resolveConnection, type ConnectionSettings } from './connection.js';
import type { GlobalOptions } from './global-options.js';
import type { CliIo } from './io.js';
import { withClient } from './session.js';

export interface Output {
  text(s: string): void;
  /** Set when --json was given: write one document and return. */
  json: ((value: unknown) => void) | undefined;
  csv: boolean;
  verbose: number;
}

export class CliContext {
  readonly io: CliIo;
  exitCode = 0;

  constructor(io: CliIo) {
    this.io = io;
  }

  globals(cmd: Command): GlobalOptions {
    return cmd.optsWithGlobals() as GlobalOptions;
  }

  output(o: GlobalOptions): Output {
    return {
      text: (s) => this.io.out(s),
      json: o.json ? (v) => this.io.out(JSON.stringify(v, jsonReplacer, 2) + '\n') : undefined,
      csv: !!o.c,
      verbose: o.v,
    };
  }

  settings(cmd: Command): ConnectionSettings {
    return resolveConnection(this.globals(cmd), this.io);
  }

  /** Runs a client command in a session; errors become a message and an exit code. */
  async run(cmd: Command, fn: (client: LanClient, out: Output, settings: ConnectionSettings) => Promise<void | number>): Promise<void> {
    const o = this.globals(cmd);
    const out = this.output(o);
    try {
      const s = resolveConnection(o, this.io);
      const rc = await withClient(s, (c) => fn(c, out, s));
      if (typeof rc === 'number') this.exitCode = Math.max(this.exitCode, rc);
    } catch (e) {
      this.fail(e, o);
    }
  }

  /** Reports an error the way the user asked (text or JSON on stderr) and sets the exit code. */
  fail(e: unknown, o: GlobalOptions): void {
    const err = e instanceof IpmiError ? e : undefined;
    this.exitCode = err?.exitCode ?? ExitCode.Software;
    if (o.json) {
      const body: Record<string, unknown> = { code: err?.code ?? 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
      if (e instanceof IpmiCompletionError) body.completionCode = e.completionCode;
      this.io.err(JSON.stringify({ error: body }) + '\n');
      return;
    }
    this.io.err(describeError(e, o) + '\n');
    if (!err && e instanceof Error && e.stack && o.v > 0) this.io.err(e.stack + '\n');
  }
}

export function describeError(e: unknown, o: GlobalOptions): string {
  const v2 = (o.I ?? 'lanplus') === 'lanplus';
  const sessionLine = v2 ? 'Error: Unable to establish IPMI v2 / RMCP+ session' : 'Error: Unable to establish IPMI v1.5 / RMCP session';
  if (e instanceof IpmiAuthError || e instanceof IpmiCipherSuiteError || e instanceof IpmiSessionError) return `${sessionLine}: ${e.message}`;
  if (e instanceof IpmiTimeoutError) return `Error: ${e.message}`;
  if (e instanceof IpmiError) return e.message;
  return `Error: ${e instanceof Error ? e.message : String(e)}`;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}
