// Must-show (issue 9, #5): a realistic OpenIPMI ipmi_sim configuration, written here (lan.conf
// with users and a LAN channel, an emulator file with an include, variables and continued lines,
// threshold sensors in several formats and linearisations, discrete and event-only sensors,
// locators, FRU data and a FRU file), is served by ipmi_sim itself and, converted by
// `ipmi-sim import-openipmi`, by `ipmi-sim serve --config`. ipmitool prints the same on both.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSdr, type SdrRecord } from '../../src/ipmi/sdr/records.js';
import { encodeFru } from '../../src/ipmi/fru/format.js';
import { cliPath, run, type RunResult } from '../helpers/run.js';
import { freeTcpPort, freeUdpPort, launchIpmiSim, type IpmiSimHandle } from '../helpers/ipmi-sim-peer.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { compactSensor, emuBytes, fullSensor, sdrCorpus } from '../ipmi/sdr-corpus.js';
import { sampleFru } from '../ipmi/fru-vectors.js';

const active = (havePeer('ipmitool') && havePeer('ipmi_sim')) || process.env.CI === 'true';
let dir = '';
let sim: IpmiSimHandle | undefined;
let serve: ServeHandle | undefined;
let imported: { code: number | null; json: Record<string, unknown>; stderr: string } | undefined;

const T = { lowerNonRecoverable: 0, lowerCritical: 0, lowerNonCritical: 0, upperNonCritical: 0, upperCritical: 0, upperNonRecoverable: 0 };
const units = (baseUnit: number, analogDataFormat = 0) => ({ analogDataFormat, rateUnit: 0, modifierUnitRelation: 0, percentage: false, baseUnit, modifierUnit: 0 });

/**
 * A threshold sensor's masks for the thresholds it has (readable, settable, compared): events
 * going low for lower thresholds and going high for upper ones, asserted and deasserted.
 */
function masks(...names: ('lnc' | 'lcr' | 'lnr' | 'unc' | 'ucr' | 'unr')[]) {
  const order = ['lnc', 'lcr', 'lnr', 'unc', 'ucr', 'unr'];
  let events = 0;
  let readable = 0;
  let lower = 0;
  let upper = 0;
  for (const n of names) {
    const i = order.indexOf(n);
    readable |= 1 << i;
    events |= 1 << (i * 2 + (i < 3 ? 0 : 1));
    if (i < 3) lower |= 1 << (12 + i);
    else upper |= 1 << (12 + i - 3);
  }
  return { assertionMask: events | lower, deassertionMask: events | upper, readingMask: readable | (readable << 8) };
}

/** The SDR repository, in order: what main_sdr_add gives ipmi_sim. */
const SDRS: SdrRecord[] = [
  fullSensor({
    sensorNumber: 0x01,
    idString: 'CPU Temp',
    entityId: 0x03,
    ...masks('lnc', 'lcr', 'unc', 'ucr', 'unr'),
    thresholds: { ...T, lowerNonCritical: 5, lowerCritical: 2, upperNonCritical: 80, upperCritical: 90, upperNonRecoverable: 100 },
    positiveHysteresis: 2,
    negativeHysteresis: 2,
    analogFlags: { normalMinSpecified: false, normalMaxSpecified: false, nominalReadingSpecified: true },
    nominalReading: 40,
    sensorMaximumReading: 127,
  }),
  fullSensor({
    sensorNumber: 0x02,
    sensorType: 0x02,
    idString: '12V Rail',
    units: units(4),
    m: 63,
    rExp: -3,
    tolerance: 3,
    ...masks('lnc', 'lcr', 'lnr', 'unc', 'ucr', 'unr'),
    thresholds: { lowerNonRecoverable: 170, lowerCritical: 175, lowerNonCritical: 180, upperNonCritical: 200, upperCritical: 205, upperNonRecoverable: 210 },
    positiveHysteresis: 1,
    negativeHysteresis: 1,
  }),
  // Two's complement, with B and both exponents: (5x - 40) / 10 degrees C.
  fullSensor({
    sensorNumber: 0x03,
    idString: 'Inlet Temp',
    entityId: 0x37,
    units: units(1, 2),
    m: 5,
    b: -4,
    bExp: 1,
    rExp: -1,
    ...masks('unc', 'ucr'),
    thresholds: { ...T, upperNonCritical: 70, upperCritical: 80 },
    sensorMinimumReading: 0x80,
    sensorMaximumReading: 0x7f,
  }),
  fullSensor({ sensorNumber: 0x04, sensorType: 0x04, idString: 'Fan1', entityId: 0x1d, units: units(18), m: 70, ...masks('lnc', 'lcr'), thresholds: { ...T, lowerCritical: 10, lowerNonCritical: 15 } }),
  // Non-linear conversions (applied after M, B and the exponents): sqrt for air flow, sqr for power.
  fullSensor({ sensorNumber: 0x05, sensorType: 0x04, idString: 'Airflow', entityId: 0x17, units: units(17), m: 100, linearization: 0x0a, ...masks('lcr'), thresholds: { ...T, lowerCritical: 16 } }),
  fullSensor({ sensorNumber: 0x06, sensorType: 0x0b, idString: 'PSU Power', entityId: 0x0a, units: units(6), m: 1, linearization: 0x08, ...masks('ucr'), thresholds: { ...T, upperCritical: 20 } }),
  compactSensor({ sensorNumber: 0x40, idString: 'DIMM A1', entityId: 0x20, assertionMask: 0x0033, deassertionMask: 0x0003, readingMask: 0x0033 }),
  compactSensor({ sensorNumber: 0x41, sensorType: 0x08, idString: 'PSU1 Status', entityId: 0x0a, assertionMask: 0x0003, deassertionMask: 0x0003, readingMask: 0x000b }),
  compactSensor({ sensorNumber: 0x42, sensorType: 0x05, idString: 'Intrusion', entityId: 0x17, assertionMask: 0x0001, deassertionMask: 0x0001, readingMask: 0x0001 }),
  // The corpus's watchdog (event-only), FRU device locator (PSU1 FRU, device 1) and MC locator.
  ...sdrCorpus.filter((r) => r.kind === 'eventOnly' || r.kind === 'fruLocator' || r.kind === 'mcLocator'),
];

/** An emulator statement with its byte arguments continued over lines of 16 bytes. */
function continued(head: string, bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push('\t' + emuBytes(bytes.subarray(i, i + 16)));
  return `${head} \\\n${lines.join(' \\\n')}`;
}

const PSU_FRU = encodeFru({ product: { manufacturer: 'PowerCo', name: 'PSU-650', partNumber: 'P650', version: 'B', serialNumber: 'PSU0042', assetTag: '', fruFileId: '', extra: [] } });

function lanConf(lanPort: number, vmPort: number): string {
  return `# The lab BMC: one LAN channel on loopback, four users, a VM behind the system interface.
name "lab"

set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 ${lanPort}
    priv_limit admin
    allowed_auths_callback none
    allowed_auths_user md5 straight
    allowed_auths_operator md5 straight
    allowed_auths_admin md5
    guid 0123456789abcdef0123456789abcdef
  endlan

  serial 15 127.0.0.1 ${vmPort} codec VM
  startcmd "qemu-system-x86_64"' -nographic -m 64 -chardev socket,id=ipmi0,host=127.0.0.1,port=${vmPort},reconnect=10 -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-kcs,bmc=bmc0'
  startnow false
  poweroff_wait 30
  kill_wait 5

  #    id valid name       password   priv     sessions
  user 1  false ""         ""         user     1
  user 2  true  "admin"    "password" admin    10
  user 3  true  "operator" "op-pass"  operator 4
  user 4  true  "viewer"   "view"     user     2
  user 6  false "retired"  "old"      admin    1
`;
}

function emuFile(): { main: string; sdrs: string } {
  const sdrs = SDRS.map((r) => continued('main_sdr_add $BMC', encodeSdr(r))).join('\n') + '\n';
  const main = `# Lab BMC: identity, SEL, the SDR repository (sdrs.emu), sensors and FRU data.
define BMC "0x20"
mc_setbmc $BMC
mc_add $BMC 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02
sel_enable $BMC 1000 0x0a

# SDRs first: a sensor added later starts from its record
include "sdrs.emu"

sensor_add $BMC 0 1 1 1
sensor_set_value $BMC 0 1 45 0
sensor_add $BMC 0 2 2 1
sensor_set_hysteresis $BMC 0 2 settable 2 2
sensor_set_value $BMC 0 2 201 0
sensor_add $BMC 0 3 1 1
sensor_set_value $BMC 0 3 53 0
sensor_add $BMC 0 4 4 1
sensor_set_value $BMC 0 4 60 0
sensor_add $BMC 0 5 4 1
sensor_set_value $BMC 0 5 64 0
sensor_add $BMC 0 6 0x0b 1
sensor_set_value $BMC 0 6 14 0
# CPU Temp: thresholds tightened after the SDR set them (the command wins)
sensor_set_threshold $BMC 0 1 settable 111011 100 85 75 0 3 6

sensor_add $BMC 0 0x40 0x0c 0x6f
sensor_set_bit $BMC 0 0x40 0 1 0
sensor_set_bit $BMC 0 0x40 5 1 0
sensor_add $BMC 0 0x41 0x08 0x6f
sensor_set_bit_clr_rest $BMC 0 0x41 0 0
sensor_add $BMC 0 0x42 0x05 0x6f
sensor_set_event_support $BMC 0 0x42 enable scanning per-state \\
	000000000000001 000000000000001 \\
	000000000000001 000000000000000
sensor_add $BMC 0 0x50 0x23 0x6f event-only

${continued('mc_add_fru_data $BMC 0 0x200 data', encodeFru(sampleFru))}
mc_add_fru_data $BMC 1 256 file 0 "psu-fru.bin"

mc_enable $BMC
`;
  return { main, sdrs };
}

const env = (): NodeJS.ProcessEnv => ({ TZ: 'UTC', LC_ALL: 'C', XDG_CACHE_HOME: join(dir, 'cache') });
const ipmitool = (port: number, args: string[]): Promise<RunResult> =>
  run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(port), '-U', 'admin', '-P', 'password', '-C', '3', ...args], { timeoutMs: 60_000, env: env() });

before(async () => {
  if (!active) return;
  dir = mkdtempSync(join(tmpdir(), 'import-openipmi-'));
  const lanPort = await freeUdpPort();
  const { main, sdrs } = emuFile();
  writeFileSync(join(dir, 'lan.conf'), lanConf(lanPort, await freeTcpPort()));
  writeFileSync(join(dir, 'lab.emu'), main);
  writeFileSync(join(dir, 'sdrs.emu'), sdrs);
  writeFileSync(join(dir, 'psu-fru.bin'), PSU_FRU);
  sim = await launchIpmiSim({ dir, lanConf: join(dir, 'lan.conf'), emu: join(dir, 'lab.emu'), port: lanPort });
  // Converted where ipmi_sim runs, so that the include and the FRU file resolve the same way.
  const r = await run(process.execPath, [cliPath, '--json', 'import-openipmi', 'lan.conf', 'lab.emu', '-O', 'lab.yaml'], { cwd: dir, env: { NO_COLOR: '1' }, timeoutMs: 30_000 });
  imported = { code: r.code, json: r.code === 0 ? JSON.parse(r.stdout) : {}, stderr: r.stderr + r.stdout };
  if (r.code === 0) serve = await startServe(['--config', join(dir, 'lab.yaml'), '--extern', '127.0.0.1:0']);
});
after(async () => {
  await serve?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('import-openipmi converts the lab configuration: counts, positions of what it approximated, a private file', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'ipmi_sim')) return;
  assert.equal(imported!.code, 0, imported!.stderr);
  const { summary, notes, output } = imported!.json as { summary: Record<string, unknown>; notes: { kind: string; file?: string; line?: number; message: string }[]; output: string };
  assert.equal(output, 'lab.yaml');
  assert.deepEqual(
    { users: summary.users, sensors: summary.sensors, sdrs: (summary.sdrGenerated as number) + (summary.sdrRaw as number), fru: summary.fruDevices },
    { users: 5, sensors: 10, sdrs: SDRS.length, fru: 2 },
  );
  assert.deepEqual(summary.files, ['lan.conf', 'lab.emu', join(dir, 'sdrs.emu'), join(dir, 'psu-fru.bin')]);
  assert.deepEqual((summary.serveOptions as string[])[0], `--lan 127.0.0.1:${sim!.port}`);
  const at = (kind: string, re: RegExp) => notes.find((n) => n.kind === kind && re.test(n.message));
  const lineOf = (text: string, start: string) => text.split('\n').findIndex((l) => l.startsWith(start)) + 1;
  const emu = readFileSync(join(dir, 'lab.emu'), 'utf8');
  const where = (n: { file?: string; line?: number } | undefined) => `${n?.file}:${n?.line}`;
  assert.equal(where(at('approximated', /SEL operation flags 0x0a/)), `lab.emu:${lineOf(emu, 'sel_enable')}`);
  assert.equal(where(at('approximated', /reads psu-fru\.bin at every access/)), `lab.emu:${lineOf(emu, 'mc_add_fru_data $BMC 1')}`);
  assert.equal(statSync(join(dir, 'lab.yaml')).mode & 0o777, 0o600, 'the config holds passwords');
  const yaml = readFileSync(join(dir, 'lab.yaml'), 'utf8');
  assert.match(yaml, /^# ipmi-sim config converted from an OpenIPMI ipmi_sim configuration/);
  assert.match(yaml, /vm:\n {2}command: qemu-system-x86_64 -nographic -m 64 /);
  assert.match(yaml, /^commands:\n {2}disable:\n(?: {4}- .*\n)*? {4}- Get Sensor Event Status\n/m, 'what ipmi_sim lacks answers C1h');
});

test('ipmi_sim and ipmi-sim serving the converted config: ipmitool prints the same', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'ipmi_sim')) return;
  assert.ok(serve, `the import failed: ${imported?.stderr}`);
  // Verbose sensor output too: Get Sensor Event Status, which ipmi_sim lacks, answers C1h on both.
  const same = [['sdr', 'list'], ['sdr', 'elist', 'all'], ['sensor', 'list'], ['fru', 'print'], ['user', 'list', '1'], ['mc', 'info'], ['mc', 'guid'], ['channel', 'info', '1'], ['-v', 'sdr', 'list', 'all'], ['sensor', 'get', 'CPU Temp', 'Airflow', 'DIMM A1', 'PSU1 Status']];
  for (const args of same) {
    const what = `ipmitool ${args.join(' ')}`;
    const [theirs, ours]: [RunResult, RunResult] = await Promise.all([ipmitool(sim!.port, args), ipmitool(serve!.port, args)]);
    assert.equal(theirs.code, 0, `${what} against ipmi_sim: ${theirs.stderr}`);
    assert.ok(theirs.stdout.length > 0, `${what} against ipmi_sim printed nothing`);
    assert.equal(ours.code, theirs.code, `${what} against ipmi-sim: ${ours.stderr}`);
    assert.equal(ours.stdout, theirs.stdout, `${what}: ipmi-sim (actual) vs ipmi_sim (expected)`);
  }
});
