// What every client command needs: resolved connection settings, an open session that is
// always closed, output helpers (text, JSON), and one place that turns errors into messages
// and exit codes.

import type { Command } from 'commander';
import type { LanClient } from '../client/lan-client.js';
import { ExitCode, IpmiAuthError, IpmiCipherSuiteError, IpmiCompletionError, IpmiError, IpmiSessionError, IpmiTimeoutError, UsageError } from '../client/errors.js';
import { resolveConnection, type ConnectionSettings } from './connection.js';
import type { GlobalOptions } from './global-options.js';
import type { CliIo } from './io.js';
import { withClient } from './session.js';
import { bufferIo } from './io.js';
import { expandHosts, hostLabel } from '../util/hostrange.js';
import { pool, renderConsolidated, renderJson, renderPrefixed, type HostResult } from './fanout.js';

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
      verbose: o.verbose,
    };
  }

  /**
   * Checks a command's arguments before any session is opened; a UsageError is reported (exit
   * 64) and undefined returned.
   */
  args<T>(cmd: Command, parse: () => T): T | undefined {
    try {
      return parse();
    } catch (e) {
      this.fail(e, this.globals(cmd));
      return undefined;
    }
  }

  /** Runs a command that needs no BMC (argument errors become a message and an exit code). */
  async local(cmd: Command, fn: (out: Output) => Promise<void | number> | void | number): Promise<void> {
    const o = this.globals(cmd);
    try {
      const rc = await fn(this.output(o));
      if (typeof rc === 'number') this.exitCode = Math.max(this.exitCode, rc);
    } catch (e) {
      this.fail(e, o);
    }
  }

  settings(cmd: Command): ConnectionSettings {
    return resolveConnection(this.globals(cmd), this.io);
  }

  /**
   * Runs a client command in a session; errors become a message and an exit code. With a
   * host list in -H (or IPMI_HOST) the command runs against every host (fan-out).
   */
  async run(cmd: Command, fn: (client: LanClient, out: Output, settings: ConnectionSettings) => Promise<void | number>): Promise<void> {
    const o = this.globals(cmd);
    const hostSpec = o.H ?? this.io.env.IPMI_HOST;
    let hosts;
    try {
      hosts = hostSpec ? expandHosts(hostSpec) : [];
    } catch (e) {
      this.fail(new UsageError(`-H: ${(e as Error).message}`), o);
      return;
    }
    if (hosts.length > 1) return this.fanout(o, hosts, fn);
    if (hosts.length === 1 && hosts[0]!.port !== undefined && o.p === undefined) o.p = String(hosts[0]!.port);
    if (hosts.length === 1) o.H = hosts[0]!.host;
    this.exitCode = Math.max(this.exitCode, await this.runOne(this, o, fn));
  }

  private async runOne(target: CliContext, o: GlobalOptions, fn: (client: LanClient, out: Output, settings: ConnectionSettings) => Promise<void | number>): Promise<number> {
    const out = target.output(o);
    try {
      const s = resolveConnection(o, target.io);
      const rc = await withClient(s, (c) => fn(c, out, s));
      return typeof rc === 'number' ? rc : 0;
    } catch (e) {
      target.fail(e, o);
      return target.exitCode;
    }
  }

  private async fanout(o: GlobalOptions, hosts: { host: string; port: number | undefined }[], fn: (client: LanClient, out: Output, settings: ConnectionSettings) => Promise<void | number>): Promise<void> {
    const limit = o.fanout !== undefined ? Number(o.fanout) : 64;
    if (!Number.isInteger(limit) || limit < 1 || limit > 4096) {
      this.fail(new UsageError(`invalid --fanout "${o.fanout}" (1-4096)`), o);
      return;
    }
    const defaultPort = o.p !== undefined ? Number(o.p) : 623;
    const spinner = await this.progress(o, hosts.length);
    const results: HostResult[] = await pool(
      hosts,
      limit,
      async (h) => {
        const io = bufferIo(this.io.env);
        const sub = new CliContext(io);
        const ho: GlobalOptions = { ...o, H: h.host, p: String(h.port ?? defaultPort) };
        const exitCode = await this.runOne(sub, ho, fn);
        return { label: hostLabel(h, defaultPort), stdout: io.stdout, stderr: io.stderr, exitCode };
      },
      (n) => spinner?.update(n),
    );
    spinner?.stop();
    if (o.json) {
      this.io.out(renderJson(results));
    } else {
      const r = o.consolidate ? renderConsolidated(results) : renderPrefixed(results);
      this.io.out(r.stdout);
      this.io.err(r.stderr);
    }
    const failed = results.filter((r) => r.exitCode !== 0);
    // 0 only when every host succeeded (like FreeIPMI); otherwise the most severe host code.
    this.exitCode = Math.max(this.exitCode, ...failed.map((r) => r.exitCode));
  }

  /** A progress spinner on stderr, only on a TTY and never with --json (ora is imported lazily). */
  private async progress(o: GlobalOptions, total: number): Promise<{ update(n: number): void; stop(): void } | undefined> {
    if (!this.io.stderrIsTTY || o.json || total < 2) return undefined;
    const { default: ora } = await import('ora');
    const s = ora({ text: `0/${total} hosts`, stream: process.stderr }).start();
    return { update: (n) => void (s.text = `${n}/${total} hosts`), stop: () => void s.stop() };
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
    if (!err && e instanceof Error && e.stack && o.verbose > 0) this.io.err(e.stack + '\n');
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
