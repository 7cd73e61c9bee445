// Redfish test plumbing: serve with --redfish on ephemeral loopback ports, an HTTPS client that
// trusts the certificate serve made (it verifies the name too), and the Python peers (sushy,
// redfishtool) run with that certificate as their CA bundle.

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServe, type ServeHandle } from './serve.js';

export const PYTHON = '/usr/bin/python3';

export interface RedfishServe extends ServeHandle {
  redfishPort: number;
  baseUrl: string;
  ca: Buffer;
  caFile: string;
}

/** Redfish's port from serve's "BMC listening ... redfish=https://HOST:PORT" line. */
export function redfishPortFromLogs(logs: string): number {
  const m = /BMC listening .*redfish=https:\/\/127\.0\.0\.1:(\d+)/.exec(logs);
  if (!m) throw new Error(`serve did not report a Redfish address:\n${logs}`);
  return Number(m[1]);
}

export async function startRedfishServe(args: string[] = []): Promise<RedfishServe> {
  const s = await startServe(['--redfish', '127.0.0.1:0', ...args]);
  const redfishPort = redfishPortFromLogs(s.logs());
  const caFile = join(s.stateDir, 'redfish-cert.pem');
  return Object.assign(s, { redfishPort, baseUrl: `https://127.0.0.1:${redfishPort}`, ca: readFileSync(caFile), caFile });
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

export interface HttpOptions {
  method?: string;
  /** user:password for Basic, or a session token. */
  auth?: string;
  token?: string;
  body?: unknown;
  /** Sent as is (a string or bytes), instead of JSON. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** One HTTPS request to serve's Redfish, verifying its certificate. */
export function http(s: Pick<RedfishServe, 'redfishPort' | 'ca'>, path: string, o: HttpOptions = {}): Promise<HttpReply> {
  const payload = o.raw !== undefined ? Buffer.from(o.raw) : o.body !== undefined ? Buffer.from(JSON.stringify(o.body)) : undefined;
  const headers: Record<string, string> = { ...(payload && o.raw === undefined ? { 'Content-Type': 'application/json' } : {}), ...o.headers };
  if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
  if (o.token) headers['X-Auth-Token'] = o.token;
  if (payload) headers['Content-Length'] = String(payload.length);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: s.redfishPort, path, method: o.method ?? 'GET', headers, ca: s.ca, servername: 'localhost', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`${o.method ?? 'GET'} ${path}: no reply in 20 s`)));
    req.end(payload);
  });
}

/** Runs a Python script with the system python3 (Debian's sushy), trusting serve's certificate. */
export async function python(script: string, args: string[], caFile: string, timeoutMs = 60_000): Promise<{ code: number; stdout: string; stderr: string }> {
  // requests prefers REQUESTS_CA_BUNDLE over a session's verify=: point both at our certificate.
  const env = { ...process.env, REQUESTS_CA_BUNDLE: caFile, CURL_CA_BUNDLE: caFile, PYTHONDONTWRITEBYTECODE: '1' };
  try {
    const r = await promisify(execFile)(PYTHON, ['-c', script, ...args], { env, timeout: timeoutMs, maxBuffer: 8 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}

/** redfishtool against serve (it does not verify certificates: -S Always is HTTPS). */
export async function redfishtool(s: Pick<RedfishServe, 'redfishPort'>, auth: [string, string], ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)('redfishtool', ['-r', `127.0.0.1:${s.redfishPort}`, '-S', 'Always', '-u', auth[0], '-p', auth[1], ...args], { timeout: 60_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? String(e) };
  }
}
