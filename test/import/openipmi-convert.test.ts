// OpenIPMI ipmi_sim configuration → ipmi-sim YAML: what each statement becomes, that the output
// loads and serves the same bytes, what is noted as approximated or dropped, and the errors (with
// file and line) for what ipmi-sim cannot express. ipmi_sim itself runs in
// test/interop/import-openipmi.test.ts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/bmc/config/load.js';
import { configuredSdrs, sensorSdr } from '../../src/bmc/state/sensor-records.js';
import { importOpenIpmi, type ImportResult } from '../../src/import/openipmi/convert.js';
import { ImportError } from '../../src/import/openipmi/words.js';
import { encodeSdr } from '../../src/ipmi/sdr/records.js';
import { repoRoot } from '../helpers/run.js';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/openipmi', name), 'utf8');

const LAN = `name "t"
startlan 1
  addr 127.0.0.1 9623
  priv_limit admin
  allowed_auths_admin md5 straight
  guid 00112233445566778899aabbccddeeff
endlan
user 2 true "admin" "password" admin 10
`;
const HEAD = 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\nsel_enable 0x20 1000 0x0f\n';

function convert(emu: string, opts: { lan?: string; files?: Record<string, Uint8Array | string>; lenient?: boolean } = {}): ImportResult {
  const files = opts.files ?? {};
  const get = (p: string) => files[p];
  return importOpenIpmi(
    { lanConf: { path: 'lan.conf', text: opts.lan ?? LAN }, emu: { path: 'x.emu', text: emu } },
    {
      cwd: '/t',
      readText: (p) => (typeof get(p) === 'string' ? (get(p) as string) : undefined),
      readBytes: (p) => (get(p) instanceof Uint8Array ? (get(p) as Uint8Array) : undefined),
    },
    { lenient: opts.lenient === true },
  );
}

function rejects(fn: () => unknown, where: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ImportError, String(e));
    assert.equal(`${e.at.file}:${e.at.line}`, where);
    assert.match(e.reason, pattern);
    return true;
  });
}

const hexOf = (b: Uint8Array) => [...b].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(' ');
const note = (r: ImportResult, kind: string, pattern: RegExp) => assert.ok(r.notes.some((n) => n.kind === kind && pattern.test(n.message)), `no ${kind} note matching ${pattern}: ${JSON.stringify(r.notes)}`);

test('the sample layout: strict refuses lan_config_program at its line; lenient converts and lists what it dropped', () => {
  const input = { lanConf: { path: 'lan.conf', text: fixture('lan.conf') }, emu: { path: 'sim.emu', text: fixture('sim.emu') } };
  const env = { cwd: '/t', readText: () => undefined, readBytes: () => undefined };
  rejects(() => importOpenIpmi(input, env), 'lan.conf:19', /lan_config_program .* \(--lenient drops it with a warning\)/);
  const r = importOpenIpmi(input, env, { lenient: true });
  const c = parseConfig(r.yaml, 'sim.yaml');
  assert.deepEqual([c.identity.deviceRevision, c.identity.firmwareMajor, c.identity.firmwareMinor, c.identity.manufacturerId, c.identity.productId], [3, 9, 0x08, 0x1291, 0xf02], 'revision 0x23 & 0x0f, as ipmi_sim reports it');
  assert.equal(Buffer.from(c.identity.systemGuid).toString('hex'), 'a123456789abcdefa123456789abcdef', 'Get System GUID sends the guid bytes as written');
  assert.deepEqual(c.users.map((u) => [u.id, u.name, u.password, u.privilege]), [[1, '', 'test', 2], [2, 'ipmiusr', 'test', 4]]);
  assert.deepEqual([c.maxUsers, c.unusedUserPrivilege], [63, 0]);
  assert.deepEqual(c.lan.authTypes.admin, [0, 1, 2, 4], 'none md2 md5 straight');
  assert.deepEqual(c.sensors.map((s) => [s.number, s.sensorType, s.eventReadingType, s.record]), [[0, 35, 0x6f, 'eventOnly'], [1, 1, 1, 'full'], [2, 37, 0x6f, 'compact']]);
  assert.deepEqual(c.sensors[1]!.thresholds, { upperNonCritical: 0x70, upperCritical: 0x90, upperNonRecoverable: 0xa0 }, 'no SDR: raw counts');
  assert.deepEqual(c.sensors[2]!.source, { kind: 'fixed', value: 0b10 });
  assert.equal(c.sensors[2]!.discreteReading, 1);
  assert.deepEqual(c.sdr.records, [], 'no main_sdr_add: an empty repository, as on ipmi_sim');
  assert.deepEqual(c.vm?.command?.slice(0, 3), ['qemu-system-x86_64', '-nographic', '-kernel']);
  assert.ok(c.vm?.command?.includes('console=ttyS0,115200'), 'quotes as sh reads them');
  assert.deepEqual([c.vm?.powerOffWait, c.vm?.killWait, c.vm?.powerOnAtStart], [60, 20, false], 'ipmi_sim\'s defaults');
  assert.deepEqual([c.sol.enabled, c.chassis.watchdog.sensorNumber], [true, 0]);
  assert.deepEqual(r.summary.serveOptions, ['--lan 127.0.0.1:9001', '--extern 127.0.0.1:9002']);
  note(r, 'dropped', /MC 0x30 \(a satellite controller\)/);
  assert.ok(r.notes.some((n) => n.kind === 'dropped' && n.at?.file === 'lan.conf' && n.at.line === 19));
  note(r, 'approximated', /persist_sdr/);
  assert.match(r.yaml, /^# ipmi-sim config converted from an OpenIPMI ipmi_sim configuration/);
  assert.match(r.yaml, /#   dropped: sim\.emu:33: MC 0x30/);
});

// An SDR ipmi-sim generates identically for the sensor it converts to, and one it would not.
function sensorSdrs(): { same: Uint8Array; raw: Uint8Array } {
  const cfg = parseConfig(
    `sensors:\n  - { name: Vcore, number: 3, type: voltage, entity: processor.1, unit: Volts, factors: { m: 5, rExp: -3 }, range: [0, 1.275], thresholds: { lcr: 0.8, ucr: 1.2 }, hysteresis: 0.01, value: 1.0 }\n`,
    'x.yaml',
  ).sensors[0]!;
  const same = encodeSdr(sensorSdr(cfg, 7));
  const raw = Uint8Array.from(same);
  raw[11] = raw[11]! & ~0x40; // auto re-arm off: a field the config does not have
  raw[0] = 1;
  return { same, raw };
}

test('SDRs: a record ipmi-sim generates identically is given by its sensor; any other is kept byte for byte', () => {
  const { same, raw } = sensorSdrs();
  const emu = `${HEAD}main_sdr_add 0x20 ${hexOf(same)}\nsensor_add 0x20 0 3 2 1\nsensor_set_value 0x20 0 3 200 0\nmain_sdr_add 0x20 ${hexOf(raw.map((b, i) => (i === 7 ? 4 : b)))}\nsensor_add 0x20 0 4 2 1\nmc_enable 0x20\n`;
  const r = convert(emu);
  assert.match(r.yaml, /records:\n\s+- \{ sensor: Vcore \}\n\s+# x\.emu:7 SDR of "Vcore #2" kept as bytes: the generated record would differ in .*capabilities\.autoRearm/);
  const c = parseConfig(r.yaml, 'out.yaml');
  const vcore = c.sensors.find((s) => s.number === 3)!;
  assert.deepEqual([vcore.analog!.factors.m, vcore.analog!.factors.rExp, vcore.thresholds.lowerCritical, vcore.thresholds.upperCritical, vcore.hysteresis.positive], [5, -3, 0.8, 1.2, 0.01], 'from the SDR, which initialised the sensor');
  assert.deepEqual(vcore.source, { kind: 'fixed', value: 1 });
  // Served bytes = ipmi_sim's, except the record IDs it assigns (1, 2).
  const served = configuredSdrs(c).map((rec) => [...encodeSdr(rec)]);
  const expect = [same, raw.map((b, i) => (i === 7 ? 4 : b))].map((b, i) => [i + 1, 0, ...[...b].slice(2)]);
  assert.deepEqual(served, expect);
  assert.equal(r.summary.sdrGenerated, 1);
  assert.equal(r.summary.sdrRaw, 1);
});

test('sensors: what ipmi_sim answers differently is noted (unsigned compares, a value set before its thresholds, startup events)', () => {
  const scan = (n: number) => `sensor_set_event_support 0x20 0 ${n} enable scanning per-state 000000000000001 000000000000001 000000000000001 000000000000001\n`;
  const signed = `${HEAD}sensor_add 0x20 0 1 1 1\n${scan(1)}sensor_set_value 0x20 0 1 30 1\nsensor_set_threshold 0x20 0 1 settable 000001 0 0 0 0 0 40\n`;
  const r = convert(signed);
  note(r, 'approximated', /sensor 1: ipmi_sim reports threshold status bits 0x0, ipmi-sim will report 0x1: .*sensor_set_value before sensor_set_threshold/);
  const inlet = parseConfig('sensors:\n  - { name: Inlet, number: 4, type: temperature, unit: degrees C, range: [-40, 87], thresholds: { unc: 40 } }\n', 'x.yaml').sensors[0]!;
  const unsigned = convert(`${HEAD}main_sdr_add 0x20 ${hexOf(encodeSdr(sensorSdr(inlet, 1)))}\nsensor_add 0x20 0 4 1 1\nsensor_set_value 0x20 0 4 0xfb 0\n`);
  note(unsigned, 'approximated', /sensor 4: ipmi_sim reports threshold status bits 0x8, ipmi-sim will report 0x0: ipmi_sim compares the raw bytes unsigned/);
  const r2 = convert(`${HEAD}sensor_add 0x20 0 1 1 1\nsensor_set_threshold 0x20 0 1 settable 001000 0 0 40 0 0 0\nsensor_set_event_support 0x20 0 1 enable scanning per-state 000000010000000 000000010000000 000000000000000 000000000000000\nsensor_set_value 0x20 0 1 50 1\n`);
  const enabled = parseConfig(r2.yaml, 'o.yaml').sensors[0]!;
  assert.deepEqual([enabled.assertionMask, enabled.assertionsEnabled, enabled.deassertionMask, enabled.deassertionsEnabled], [0x80, 0, 0x80, 0], 'unc+ supported, not enabled at start');
  note(r2, 'approximated', /logs an event at start-up/);
});

test('sensors: a file poll becomes a file source scaled like ipmi_sim\'s sub/mult/div', () => {
  const r = convert(`${HEAD}sensor_add 0x20 0 1 1 1 poll 2000 file "/sys/temp1" sub=1000 mult=1 div=1000\n`);
  const s = parseConfig(r.yaml, 'o.yaml').sensors[0]!;
  assert.deepEqual(s.source, { kind: 'file', path: '/sys/temp1', intervalMs: 2000, scale: 0.001, offset: -1 });
  note(r, 'approximated', /reads \/sys\/temp1 every 2000 ms/);
  rejects(() => convert(`${HEAD}sensor_add 0x20 0 1 1 1 poll 2000 file "/sys/x" mask=0xff raw\n`), 'x.emu:4', /raw \(binary\) reads, mask=/);
});

test('FRU data: bytes (zero padded to the size) and files read at conversion time', () => {
  const bytes = Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0xfe, 0xab]);
  const r = convert(`${HEAD}mc_add_fru_data 0x20 0 16 data 1 0 0 1 0 0 0 0xfe\nmc_add_fru_data 0x20 2 32 file 1 "fru.bin"\n`, { files: { '/t/fru.bin': bytes } });
  const c = parseConfig(r.yaml, 'o.yaml');
  assert.deepEqual(c.fru.map((d) => [d.id, d.size, [...d.image]]), [
    [0, 16, [1, 0, 0, 1, 0, 0, 0, 0xfe]],
    [2, 32, [0, 0, 1, 0, 0, 0, 0xfe, 0xab]],
  ]);
  note(r, 'approximated', /ipmi_sim reads fru\.bin at every access/);
  rejects(() => convert(`${HEAD}mc_add_fru_data 0x20 2 32 file 0 "gone.bin"\n`), 'x.emu:4', /cannot read FRU file \/t\/gone\.bin/);
});

test('users and LAN: disabled users, the anonymous user, K_G, auth types per privilege', () => {
  const lan = `name "t"\nstartlan 2\n  priv_limit operator\n  allowed_auths_user md5\n  bmc_key "kg-secret"\nendlan\nuser 0 true "zero" "z" user 1\nuser 1 true "" "" user 1\nuser 5 false "old" "pw" admin 1\n`;
  const r = convert(`${HEAD}sensor_add 0x20 0 0 0x23 0x6f event-only\n`, { lan });
  const c = parseConfig(r.yaml, 'o.yaml');
  assert.deepEqual(c.users, [
    { id: 1, name: '', password: '', privilege: 2, enabled: true },
    { id: 5, name: 'old', password: 'pw', privilege: 4, enabled: false, ipmiMessaging: false },
  ]);
  assert.deepEqual([c.lan.channel, c.lan.privilegeLimit, c.lan.anonymousLogin], [2, 3, true]);
  assert.deepEqual(c.lan.authTypes, { callback: [], user: [2], operator: [], admin: [], oem: [] });
  assert.equal(Buffer.from(c.lan.kg!).toString('latin1').replace(/\0+$/, ''), 'kg-secret');
  note(r, 'dropped', /user 0 is not a valid user ID/);
  note(r, 'approximated', /no guid: ipmi_sim then offers no RMCP\+/);
});

test('what ipmi-sim cannot express is an error at its line (or dropped with --lenient)', () => {
  const cases: [string, string, string, RegExp][] = [
    [LAN, `${HEAD}sel_add 0x20 2 0 0 0 0 0x20 0 4 1 1 1 0x57 0 0\n`, 'x.emu:4', /sel_add/],
    [LAN, `${HEAD}sensor_add 0x20 1 3 1 1\n`, 'x.emu:4', /on LUN 1/],
    [LAN, `${HEAD}mc_set_power 0x20 1 0\n`, 'x.emu:4', /mc_set_power has no ipmi-sim equivalent/],
    [LAN, 'mc_setbmc 0x22\nmc_add 0x22 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\n', 'x.emu:1', /the BMC is at 0x22/],
    [LAN + 'chassis_control "./power.sh"\n', HEAD, 'lan.conf:9', /chassis_control/],
    [LAN + 'loadlib "/x.so" ""\n', HEAD, 'lan.conf:9', /loadlib/],
    [LAN + 'serial 15 127.0.0.1 9002 codec TerminalMode\n', HEAD, 'lan.conf:9', /codec TerminalMode/],
    [LAN.replace('startlan 1', 'startlan 12'), HEAD, 'lan.conf:2', /LAN channel 12/],
    [LAN, `${HEAD}atca_enable\n`, 'x.emu:4', /"atca_enable" has no ipmi-sim equivalent/],
  ];
  for (const [lan, emu, where, pattern] of cases) {
    rejects(() => convert(emu, { lan }), where, pattern);
    const r = convert(emu, { lan, lenient: true });
    assert.ok(r.notes.some((n) => n.kind === 'dropped' && `${n.at?.file}:${n.at?.line}` === where && pattern.test(n.message)), `lenient: ${where}`);
    parseConfig(r.yaml, 'lenient.yaml');
  }
  rejects(() => convert('mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\n'), 'x.emu:1', /no mc_setbmc/);
  rejects(() => convert('mc_setbmc 0x20\n'), 'x.emu:1', /no mc_add for the BMC/);
  rejects(() => convert(HEAD, { lan: 'startlan 1\nendlan\n' }), 'lan.conf:1', /no "name" statement/);
  // A sensor whose values the config cannot hold: non-linear conversion from its SDR.
  const { same } = sensorSdrs();
  const nonLinear = Uint8Array.from(same);
  nonLinear[23] = 0x70;
  rejects(() => convert(`${HEAD}main_sdr_add 0x20 ${hexOf(nonLinear)}\nsensor_add 0x20 0 3 2 1\n`), 'x.emu:5', /non-linear conversion/);
});

test('harmless statements are dropped with a note; CR LF files are read', () => {
  const r = convert(`${HEAD.replace(/\n/g, '\r\n')}debug msg\r\nsleep 100\r\nmc_dump_fru_data 0x20 0\r\nsensor_add 0x20 0 0 0x23 0x6f \\\r\n`);
  note(r, 'dropped', /"debug" only steers ipmi_sim itself/);
  note(r, 'dropped', /ends in a continued line/);
  note(r, 'approximated', /CR LF line endings/);
  note(r, 'approximated', /the BMC is never enabled/);
});

test('commands ipmi_sim answers with C1h are disabled, by what the MC and lan.conf provide', () => {
  const lan = 'name "t"\nstartlan 1\n  priv_limit admin\n  guid 00112233445566778899aabbccddeeff\nendlan\n';
  const emu = (support: string, sdrs: string, sel: string) => `mc_setbmc 0x20\nmc_add 0x20 0 ${sdrs} 0x23 9 8 ${support} 0x1291 0xf02\n${sel}mc_enable 0x20\n`;
  const disabled = (lanText: string, emuText: string) => {
    const r = convert(emuText, { lan: lanText, lenient: true });
    return (r.config.commands?.disable ?? []).map((k) => `${(k >> 8).toString(16)}:${(k & 0xff).toString(16)}`);
  };
  const full = disabled(lan + 'sol "telnet:localhost:9003" 115200\n', emu('0xff', 'has-device-sdrs', 'sel_enable 0x20 100 0x0b\n'));
  // Only what ipmi_sim never handles: e.g. Get Sensor Event Status, Get Self Test Results, Partial Add SEL Entry.
  for (const k of ['4:2b', '6:4', 'a:45', '4:23']) assert.ok(full.includes(k), k);
  for (const k of ['4:20', '4:0', 'a:41', 'a:42', 'a:46', '6:48', 'c:21', '0:1', 'a:40', 'a:20']) assert.ok(!full.includes(k), k);
  const bare = disabled(lan, emu('0x01', 'no-device-sdrs', ''));
  // No SEL or SDR repository device, no chassis, no event generator, no device SDRs, no SOL.
  for (const k of ['a:40', 'a:43', 'a:20', 'a:23', '0:1', '4:0', '4:20', '6:48', 'c:22']) assert.ok(bare.includes(k), k);
  for (const k of ['4:2d', '6:1', 'a:10', 'a:11']) assert.ok(!bare.includes(k), k);
});
