// Client benchmark (issue 5): wall time of whole CLI invocations, ipmi-sim against ipmitool,
// same BMC (`ipmi-sim serve`), same run, median of N runs each:
//   - `power status` (or `mc info` when this build has no `power` command),
//   - `sdr list` of the default BMC: ours with a cold cache (removed before every run) and a warm
//     one, ipmitool (which has no cache),
//   - fan-out: one `ipmi-sim -H 127.0.0.1:[P-P+99]` call against `serve --instances 100` versus a
//     shell loop of 100 ipmitool calls.
//   npm run bench -- client [--runs 20]

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServe } from '../test/helpers/serve.js';
import { cliPath } from '../test/helpers/run.js';
import { havePeer } from '../test/helpers/peers.js';
import { createProgram } from '../src/cli/program.js';
import { CliContext } from '../src/cli/context.js';
import { bufferIo } from '../src/cli/io.js';

/**
 * `power status` when this build has the power command (issue 5 part A); else `mc info` and,
 * since `mc info` also parses the IANA registry, `raw 0x00 0x01` (Get Chassis Status, the request
 * `power status` sends) as a second stand-in.
 */
const HAS_POWER = createProgram(new CliContext(bufferIo())).commands.some((c) => c.name() === 'power');
const QUICK = HAS_POWER ? ['power', 'status'] : ['mc', 'info'];
const QUICK_ALSO = HAS_POWER ? [] : [['raw', '0x00', '0x01']];

export interface ClientRow {
  what: string;
  tool: string;
  runs: number;
  medianMs: number;
  minMs: number;
}

function time(cmd: string, args: string[], env: NodeJS.ProcessEnv, runs: number, before?: () => void): { median: number; min: number } {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 120_000 });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, min: ms[0]! };
}

/** `serve --instances 100` on 100 consecutive loopback ports (a free block found by trying). */
async function fleet(count: number, stateDir: string): Promise<{ base: number; stop: () => Promise<void> }> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 400) * 100;
    const child = spawn(process.execPath, [cliPath, 'serve', '--instances', String(count), '--lan', `127.0.0.1:${base}`, '--state-dir', stateDir], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let log = '';
    const ok = await new Promise<boolean>((resolve) => {
      child.stderr!.on('data', (d) => {
        log += d;
        if ((log.match(/BMC listening/g) ?? []).length === count) resolve(true);
      });
      child.on('exit', () => resolve(false));
    });
    const stop = () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    if (ok) return { base, stop };
    await stop();
  }
  throw new Error('no free block of ports for serve --instances');
}

/** IPMI requests one `sdr list` sent (serve -v request log). */
export const requestCounts: { label: string; total: number; getSdr: number }[] = [];

export async function benchClient(runs: number): Promise<ClientRow[]> {
  const rows: ClientRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-bench-client-'));
  const env = { ...process.env, NO_COLOR: '1', LC_ALL: 'C', TZ: 'UTC', XDG_CACHE_HOME: join(dir, 'cache') };
  const ipmitool = havePeer('ipmitool');
  if (!ipmitool) process.stderr.write('ipmitool is not installed: no reference figures (scripts/install-peers.sh)\n');
  const serve = await startServe([]);
  try {
    const target = ['-H', '127.0.0.1', '-p', String(serve.port), '-U', 'admin', '-P', 'password'];
    const quick = QUICK;
    const add = (what: string, tool: string, t: { median: number; min: number }) => rows.push({ what, tool, runs, medianMs: t.median, minMs: t.min });

    for (const q of [quick, ...QUICK_ALSO]) {
      add(q.join(' '), 'ipmi-sim', time(process.execPath, [cliPath, ...target, ...q], env, runs));
      if (ipmitool) add(q.join(' '), 'ipmitool', time('ipmitool', ['-I', 'lanplus', ...target, ...q], env, runs));
    }

    const clear = () => rmSync(join(dir, 'cache'), { recursive: true, force: true });
    add('sdr list', 'ipmi-sim, cold cache', time(process.execPath, [cliPath, ...target, 'sdr', 'list'], env, runs, clear));
    add('sdr list', 'ipmi-sim, warm cache', time(process.execPath, [cliPath, ...target, 'sdr', 'list'], env, runs));
    if (ipmitool) add('sdr list', 'ipmitool', time('ipmitool', ['-I', 'lanplus', ...target, 'sdr', 'list'], env, runs));
  } finally {
    await serve.stop();
  }

  // Requests per `sdr list`, from the request log of a serve -v (one run each).
  const logged = await startServe(['-v']);
  try {
    const target = ['-H', '127.0.0.1', '-p', String(logged.port), '-U', 'admin', '-P', 'password'];
    const requests = async (label: string, cmd: string, args: string[], before?: () => void) => {
      before?.();
      const from = logged.logs().length;
      const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 200));
      const log = logged.logs().slice(from);
      requestCounts.push({ label, total: (log.match(/DEBUG request /g) ?? []).length, getSdr: (log.match(/name="Get SDR" /g) ?? []).length });
    };
    await requests('ipmi-sim, cold cache', process.execPath, [cliPath, ...target, 'sdr', 'list'], () => rmSync(join(dir, 'cache'), { recursive: true, force: true }));
    await requests('ipmi-sim, warm cache', process.execPath, [cliPath, ...target, 'sdr', 'list']);
    if (ipmitool) await requests('ipmitool', 'ipmitool', ['-I', 'lanplus', ...target, 'sdr', 'list']);
  } finally {
    await logged.stop();
  }

  const count = 100;
  const f = await fleet(count, join(dir, 'fleet'));
  try {
    const fanRuns = Math.max(3, Math.floor(runs / 5));
    const quickArgs = QUICK;
    const range = `127.0.0.1:[${f.base}-${f.base + count - 1}]`;
    rows.push({ what: `${quickArgs.join(' ')} x${count} BMCs`, tool: 'ipmi-sim -H range', runs: fanRuns, ...pick(time(process.execPath, [cliPath, '-H', range, '-U', 'admin', '-P', 'password', ...quickArgs], env, fanRuns)) });
    if (ipmitool) {
      const loop = `for p in $(seq ${f.base} ${f.base + count - 1}); do ipmitool -I lanplus -H 127.0.0.1 -p $p -U admin -P password ${quickArgs.join(' ')} >/dev/null || exit 1; done`;
      rows.push({ what: `${quickArgs.join(' ')} x${count} BMCs`, tool: 'ipmitool loop', runs: fanRuns, ...pick(time('sh', ['-c', loop], env, fanRuns)) });
    }
  } finally {
    await f.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const pick = (t: { median: number; min: number }) => ({ medianMs: t.median, minMs: t.min });

export function printClient(rows: ClientRow[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log('\nClient wall time per invocation (same BMC, same run; median and best of N runs)');
  console.log(pad('command', 26) + pad('tool', 24) + pad('runs', 6) + pad('median ms', 11) + 'min ms');
  for (const r of rows) console.log(pad(r.what, 26) + pad(r.tool, 24) + pad(String(r.runs), 6) + pad(r.medianMs.toFixed(1), 11) + r.minMs.toFixed(1));
  const find = (what: string, tool: string) => rows.find((r) => r.what.startsWith(what) && r.tool === tool);
  const ratio = (label: string, a: ClientRow | undefined, b: ClientRow | undefined) => {
    if (a && b) console.log(`ratio ${label}: ${(a.medianMs / b.medianMs).toFixed(2)}x (ipmi-sim / ipmitool, < 1 is faster)`);
  };
  for (const quick of new Set(rows.filter((r) => r.tool === 'ipmi-sim').map((r) => r.what))) ratio(quick, find(quick, 'ipmi-sim'), find(quick, 'ipmitool'));
  ratio('sdr list, cold cache', find('sdr list', 'ipmi-sim, cold cache'), find('sdr list', 'ipmitool'));
  ratio('sdr list, warm cache', find('sdr list', 'ipmi-sim, warm cache'), find('sdr list', 'ipmitool'));
  const fan = rows.find((r) => r.tool === 'ipmi-sim -H range');
  ratio(`fan-out, ${fan?.what ?? ''}`, fan, rows.find((r) => r.tool === 'ipmitool loop'));
  if (!HAS_POWER) console.log('(this build has no `power` command: `mc info` and `raw 0x00 0x01` (Get Chassis Status) stand in for `power status`)');
  if (requestCounts.length) {
    console.log('\nIPMI requests per `sdr list` (serve -v log): ' + requestCounts.map((c) => `${c.label} ${c.total} (Get SDR ${c.getSdr})`).join(', '));
  }
}
