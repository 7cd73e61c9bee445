// Runs one client command against many BMCs with bounded concurrency. Each host gets its
// own captured output; a failing host never stops the others. Text output is prefixed with
// "host:port: " (the port is kept: simulator farms share one address), or grouped by
// identical output like FreeIPMI's --consolidate-output; JSON is an object keyed by host.

import { compressLabels, type HostPort } from '../util/hostrange.js';

export interface HostResult {
  label: string;
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>, onDone?: (n: number) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

function prefixLines(text: string, prefix: string): string {
  if (text === '') return '';
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.map((l) => `${prefix}${l}`).join('\n') + '\n';
}

export function renderPrefixed(results: readonly HostResult[]): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  for (const r of results) {
    stdout += prefixLines(r.stdout, `${r.label}: `);
    stderr += prefixLines(r.stderr, `${r.label}: `);
  }
  return { stdout, stderr };
}

export function renderConsolidated(results: readonly HostResult[]): { stdout: string; stderr: string } {
  const groups = new Map<string, string[]>();
  for (const r of results) {
    const key = r.stdout + '\u0000' + r.stderr;
    const g = groups.get(key) ?? [];
    g.push(r.label);
    groups.set(key, g);
  }
  let stdout = '';
  const bar = '----------------';
  for (const [key, labels] of groups) {
    const [out, err] = key.split('\u0000') as [string, string];
    stdout += `${bar}\n${compressLabels(labels)}\n${bar}\n${out}${err}`;
  }
  return { stdout, stderr: '' };
}

export function renderJson(results: readonly HostResult[]): string {
  const obj: Record<string, unknown> = {};
  for (const r of results) {
    let value: unknown = null;
    let error: unknown;
    try {
      value = r.stdout.trim() ? JSON.parse(r.stdout) : null;
    } catch {
      value = r.stdout;
    }
    try {
      error = r.stderr.trim() ? JSON.parse(r.stderr).error : undefined;
    } catch {
      error = { message: r.stderr.trim() };
    }
    obj[r.label] = error === undefined ? { ok: true, exitCode: 0, result: value } : { ok: false, exitCode: r.exitCode, error };
  }
  return JSON.stringify(obj, null, 2) + '\n';
}

export type { HostPort };
