// LAN benchmark (issue 2): Get Device ID inside an established session, requests per second
// and p50/p99 latency, against `ipmi-sim serve` and, in the same run, OpenIPMI's ipmi_sim.
// The same client (ours, in-process) drives both, so the ratio compares the servers.
//   npm run bench -- lan [--seconds 3]

import { readFileSync } from 'node:fs';
import { LanClient, type LanClientOptions } from '../src/client/lan-client.js';
import { startServe } from '../test/helpers/serve.js';
import { startIpmiSim } from '../test/helpers/ipmi-sim-peer.js';
import { havePeer } from '../test/helpers/peers.js';

interface Result {
  target: string;
  suite: number;
  /** Concurrent sessions (1 = lockstep latency run). */
  sessions: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  rssMiB: number;
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function measure(target: string, pid: number, opts: LanClientOptions, seconds: number, sessions = 1): Promise<Result> {
  const clients = await Promise.all(Array.from({ length: sessions }, () => LanClient.connect(opts)));
  try {
    // Warm-up (JIT, caches) before timing.
    await Promise.all(clients.map(async (c) => {
      for (let i = 0; i < 200; i++) await c.request(0x06, 0x01);
    }));
    const lat: number[] = [];
    const end = performance.now() + seconds * 1000;
    // Each session runs lockstep (IPMI allows one outstanding request); sessions run side by side.
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < end) {
          const t0 = performance.now();
          const r = await c.request(0x06, 0x01);
          lat.push(performance.now() - t0);
          if (r.cc !== 0) throw new Error(`cc 0x${r.cc.toString(16)}`);
        }
      }),
    );
    lat.sort((a, b) => a - b);
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!;
    return { target, suite: opts.cipherSuite!, sessions, requests: lat.length, rps: lat.length / seconds, p50: q(0.5), p99: q(0.99), rssMiB: rssMiB(pid) };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

export async function benchLan(seconds: number): Promise<Result[]> {
  const base = { host: '127.0.0.1', interface: 'lanplus' as const, username: 'admin', password: 'password', privilege: 4, timeoutSec: 1, retries: 3 };
  const results: Result[] = [];
  const serve = await startServe();
  try {
    for (const suite of [3, 17]) results.push(await measure('ipmi-sim serve', serve.process.pid!, { ...base, port: serve.port, cipherSuite: suite }, seconds));
    results.push(await measure('ipmi-sim serve', serve.process.pid!, { ...base, port: serve.port, cipherSuite: 3 }, seconds, 8));
  } finally {
    await serve.stop();
  }
  if (havePeer('ipmi_sim')) {
    const sim = await startIpmiSim();
    try {
      results.push(await measure('OpenIPMI ipmi_sim', sim.process.pid!, { ...base, port: sim.port, cipherSuite: 3 }, seconds));
      results.push(await measure('OpenIPMI ipmi_sim', sim.process.pid!, { ...base, port: sim.port, cipherSuite: 3 }, seconds, 8));
    } finally {
      await sim.stop();
    }
  } else {
    process.stderr.write('ipmi_sim is not installed: no reference figures (scripts/install-peers.sh)\n');
  }
  return results;
}

export function printLan(results: Result[]): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  console.log('\nGet Device ID in an established RMCP+ session (lockstep, one client)');
  console.log(pad('target', 20) + pad('suite', 7) + pad('sessions', 10) + pad('req/s', 10) + pad('p50 ms', 9) + pad('p99 ms', 9) + 'server RSS MiB');
  for (const r of results) {
    console.log(pad(r.target, 20) + pad(String(r.suite), 7) + pad(String(r.sessions), 10) + pad(r.rps.toFixed(0), 10) + pad(r.p50.toFixed(3), 9) + pad(r.p99.toFixed(3), 9) + r.rssMiB.toFixed(1));
  }
  for (const sessions of [1, 8]) {
    const ours = results.find((r) => r.target === 'ipmi-sim serve' && r.suite === 3 && r.sessions === sessions);
    const ref = results.find((r) => r.target === 'OpenIPMI ipmi_sim' && r.sessions === sessions);
    if (ours && ref) {
      console.log(`ratio (suite 3, ${sessions} session${sessions > 1 ? 's' : ''}): ipmi-sim serve / ipmi_sim = ${(ours.rps / ref.rps).toFixed(2)}x throughput, p50 ${(ours.p50 / ref.p50).toFixed(2)}x, p99 ${(ours.p99 / ref.p99).toFixed(2)}x`);
    }
  }
  console.log('(ipmi_sim has no SHA-256 suites, so suite 17 has no reference figure.)');
}
