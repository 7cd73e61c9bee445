// OpenIPMI's ipmi_sim (Debian package openipmi), the reference BMC simulator, started on a
// free loopback port with a config the test writes. Debian ships no sample configs.

import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function freeTcpPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface IpmiSimHandle {
  port: number;
  dir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface IpmiSimOptions {
  /** Extra lines for the .emu command file (sensors, SEL, FRU ...). */
  emu?: string[];
  /** Extra lan.conf lines. */
  lanConf?: string[];
}

export async function startIpmiSim(opts: IpmiSimOptions = {}): Promise<IpmiSimHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-peer-'));
  const port = await freeUdpPort();
  const lanConf = [
    'name "peerbmc"',
    'set_working_mc 0x20',
    '  startlan 1',
    `    addr 127.0.0.1 ${port}`,
    '    priv_limit admin',
    '    allowed_auths_callback md2 md5 straight',
    '    allowed_auths_user md2 md5 straight',
    '    allowed_auths_operator md2 md5 straight',
    '    allowed_auths_admin md2 md5 straight',
    '    guid a123456789abcdefa123456789abcdef',
    '  endlan',
    '  user 2 true "admin" "password" admin 10 md2 md5 straight',
    ...(opts.lanConf ?? []),
  ];
  writeFileSync(join(dir, 'lan.conf'), lanConf.join('\n') + '\n');
  const emu = [
    'mc_setbmc 0x20',
    'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr',
    'sel_enable 0x20 1000 0x0a',
    ...(opts.emu ?? []),
    'mc_enable 0x20',
  ];
  writeFileSync(join(dir, 'bmc.emu'), emu.join('\n') + '\n');
  return launchIpmiSim({ dir, lanConf: join(dir, 'lan.conf'), emu: join(dir, 'bmc.emu'), port });
}

/**
 * Runs ipmi_sim on config files already written (cwd = `dir`, so relative includes resolve
 * there; state in dir/state), waits until it answers on the LAN `port`. stop() removes `dir`.
 */
export async function launchIpmiSim(o: { dir: string; lanConf: string; emu: string; port: number }): Promise<IpmiSimHandle> {
  const { dir, port } = o;
  mkdirSync(join(dir, 'state'));
  const child = spawn('ipmi_sim', ['-n', '-c', o.lanConf, '-f', o.emu, '-s', join(dir, 'state')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  // ipmi_sim prints nothing reliable when ready; probe with an RMCP presence ping.
  const probe = createSocket('udp4');
  try {
    const deadline = Date.now() + 10_000;
    let ready = false;
    probe.on('message', () => (ready = true));
    while (!ready && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`ipmi_sim exited: ${out}`);
      probe.send(Uint8Array.of(6, 0, 0xff, 6, 0, 0, 0x11, 0xbe, 0x80, 0, 0, 0), port, '127.0.0.1');
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!ready) throw new Error(`ipmi_sim did not answer on port ${port}: ${out}`);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    probe.close();
  }
  return {
    port,
    dir,
    process: child,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((r) => {
          child.once('exit', () => r());
          child.kill('SIGKILL');
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
