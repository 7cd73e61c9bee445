// Reading OpenIPMI ipmi_sim configurations as ipmi_sim 2.0.33 reads them: the words of a line
// (variables, quoted strings, C numbers), lan.conf statements, emulator command files (line
// continuations, comments, includes) and what the commands leave the simulated BMC in. Every
// error names file and line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emuStatements, runEmu, sensorKey, type EmuOptions } from '../../src/import/openipmi/emu.js';
import { parseLanConfig } from '../../src/import/openipmi/lan-conf.js';
import { ImportError, parseCNumber, Words } from '../../src/import/openipmi/words.js';
import { repoRoot } from '../helpers/run.js';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/openipmi', name), 'utf8');
const at = { file: 'x.emu', line: 7 };

function throwsAt(fn: () => unknown, file: string, line: number, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ImportError, `expected an ImportError, got ${String(e)}`);
    assert.equal(`${e.at.file}:${e.at.line}`, `${file}:${line}`);
    assert.match(e.message, new RegExp(`^${file}:${line}: `));
    assert.match(e.reason, pattern);
    return true;
  });
}

test('C numbers as strtoul(.., 0) reads them: hex, octal with a leading 0, decimal; anything else is not a number', () => {
  assert.equal(parseCNumber('0x1f'), 0x1fn);
  assert.equal(parseCNumber('017'), 15n);
  assert.equal(parseCNumber('0'), 0n);
  assert.equal(parseCNumber('42'), 42n);
  assert.equal(parseCNumber('-1'), -1n);
  for (const bad of ['08', '1f', '0x', '', '12a', ' 1']) assert.equal(parseCNumber(bad), undefined, bad);
});

test('words: variables, glued strings, bytes, char literals and bitmasks; mistakes name the line', () => {
  const vars = new Map([['MC', '0x20'], ['N', '3']]);
  const w = new Words(`$MC 'A 0x20 "/dev/sens-"$N"-1" 000000000001111 300`, at, vars);
  assert.equal(w.byte('MC'), 0x20);
  assert.equal(w.byte('char'), 0x41);
  assert.equal(w.byte('byte'), 0x20);
  assert.equal(w.string('file'), '/dev/sens-3-1');
  assert.equal(w.bitmask('mask', 15), 0x0f);
  throwsAt(() => w.byte('value'), 'x.emu', 7, /value: 300 is out of range 0-255 \(ipmi_sim would silently keep only the low bits\)/);
  throwsAt(() => new Words('$NOPE', at, vars).next(), 'x.emu', 7, /undefined variable \$NOPE/);
  throwsAt(() => new Words('"open', at, vars).string('name'), 'x.emu', 7, /not closed on this line/);
  throwsAt(() => new Words('bare', at, vars).string('name'), 'x.emu', 7, /must be a quoted string/);
  throwsAt(() => new Words('0101', at, vars).bitmask('threshold enabled', 6), 'x.emu', 7, /expected 6 characters 0 or 1/);
});

test('lan.conf: the sample layout (two MCs, a LAN channel, users, serial, startcmd, SOL)', () => {
  const conf = parseLanConfig(fixture('lan.conf'), 'lan.conf', new Map());
  assert.equal(conf.name?.value, 'sim1');
  assert.deepEqual([...conf.mcs.keys()], [0x20, 0x30]);
  const bmc = conf.mcs.get(0x20)!;
  const lan = bmc.lans[0]!;
  assert.equal(lan.channel, 1);
  assert.deepEqual(lan.addr?.value, { host: 'localhost', port: 9001 });
  assert.equal(lan.addr?.at.line, 11);
  assert.equal(lan.privLimit?.value, 4);
  assert.deepEqual(lan.auths.admin?.value, ['none', 'md2', 'md5', 'straight']);
  assert.equal(Buffer.from(lan.guid!.value).toString('hex'), 'a123456789abcdefa123456789abcdef');
  assert.equal(lan.lanConfigProgram?.value, './ipmi_sim_lancontrol eth1');
  assert.deepEqual([bmc.serial?.kind, bmc.serial?.host, bmc.serial?.port, bmc.serial?.codec], ['15', 'localhost', '9002', 'VM']);
  assert.match(bmc.startcmd!.value, /^qemu-system-x86_64 -nographic .*'console=ttyS0,115200'/);
  assert.deepEqual([bmc.sol?.device, bmc.sol?.baud], ['telnet:localhost:9003', 115200]);
  assert.equal(bmc.startnow?.value, false);
  assert.equal(bmc.poweroffWait, undefined, 'commented out');
  const u2 = bmc.users.get(2)!;
  assert.deepEqual([u2.valid, Buffer.from(u2.name).toString('latin1').replace(/\0+$/, ''), u2.privilege, u2.maxSessions], [true, 'ipmiusr', 4, 10]);
  assert.equal(u2.name.length, 16);
  assert.equal(u2.password.length, 20);
  assert.equal(conf.mcs.get(0x30)!.serial?.port, '9012');
  assert.equal(conf.console, undefined);
});

test('lan.conf: glued quoting, ipmi_sim\'s truncation of long names, and errors with their line', () => {
  const conf = parseLanConfig(
    ['startcmd "/usr/bin/qemu-system-x86_64"\' -append "console=ttyS0"\'" -m 64"', 'user 3 on "averyveryverylongname" "12345678901234567890abc" operator 1'].join('\n'),
    'l.conf',
    new Map(),
  );
  const mc = conf.mcs.get(0x20)!;
  assert.equal(mc.startcmd?.value, '/usr/bin/qemu-system-x86_64 -append "console=ttyS0" -m 64');
  const u = mc.users.get(3)!;
  assert.equal(Buffer.from(u.name).toString('latin1').replace(/\0+$/, ''), 'averyveryverylo', 'ipmi_sim keeps 15 characters');
  assert.equal(Buffer.from(u.password).toString('latin1').replace(/\0+$/, ''), '1234567890123456789');
  assert.equal(u.truncated, true);
  throwsAt(() => parseLanConfig('name "a"\nfrobnicate 1\n', 'l.conf', new Map()), 'l.conf', 2, /"frobnicate" is not a lan.conf statement/);
  // ipmi_sim sets the variable, then rejects the line (its statement list has no define).
  throwsAt(() => parseLanConfig('name "a"\ndefine Q "x"\n', 'l.conf', new Map()), 'l.conf', 2, /define is refused by ipmi_sim in lan.conf/);
  throwsAt(() => parseLanConfig('startlan 1\n  addr 127.0.0.1 1\n  addr 127.0.0.1 2\nendlan\n', 'l.conf', new Map()), 'l.conf', 3, /one addr per startlan/);
  throwsAt(() => parseLanConfig('# x\nstartlan 1\n  priv_limit admin\n', 'l.conf', new Map()), 'l.conf', 2, /startlan without endlan/);
  throwsAt(() => parseLanConfig('startlan 1\n  priv_limit root\nendlan\n', 'l.conf', new Map()), 'l.conf', 2, /expected callback, user, operator or admin, got "root"/);
  throwsAt(() => parseLanConfig('user 64 true "a" "b" user 1\n', 'l.conf', new Map()), 'l.conf', 1, /larger than 63/);
  throwsAt(() => parseLanConfig('user 2 true "two words" "b" user 1\n', 'l.conf', new Map()), 'l.conf', 1, /one word without spaces/);
  throwsAt(() => parseLanConfig('sol "/dev/ttyS0" 12345\n', 'l.conf', new Map()), 'l.conf', 1, /must be 9600, 19200/);
  throwsAt(() => parseLanConfig('serial 1 localhost 9002 codec VM\n', 'l.conf', new Map()), 'l.conf', 1, /only the system interface/);
});

test('emulator files: continuations join without a space, comment lines inside are skipped, a blank line ends them', () => {
  const text = ['a 1 \\', '# a comment inside', '  2 \\', '3', '', 'b \\', '', 'c\\', 'd', 'x', 'e \\'].join('\n') + '\n';
  const { statements, danglingContinuation } = emuStatements(text, 'f.emu');
  assert.deepEqual(
    statements.map((s) => [s.at.line, s.text]),
    [
      [1, 'a 1   2 3'],
      [6, 'b '],
      [8, 'cd'],
    ],
    'the one-character line "x" is dropped, as ipmi_sim drops it',
  );
  assert.deepEqual(danglingContinuation, { file: 'f.emu', line: 11 });
});

function emuEnv(files: Record<string, string> = {}): EmuOptions {
  return {
    vars: new Map(),
    knownMcs: [0x20],
    readText: (p) => files[p],
    includeCandidates: (name) => [`/cwd/${name}`, `/usr/etc/ipmi/${name}`],
  };
}

test('the sample emulator file: sensors, their state after the commands, the satellite MC', () => {
  const m = runEmu(fixture('sim.emu'), 'sim.emu', { ...emuEnv(), knownMcs: [0x20, 0x30] });
  assert.deepEqual(m.bmc, { at: { file: 'sim.emu', line: 6 }, ipmb: 0x20 });
  const bmc = m.mcs.get(0x20)!;
  assert.deepEqual(
    { ...bmc.added!, at: undefined },
    { at: undefined, deviceId: 0, hasDeviceSdrs: false, deviceRevision: 0x23, fwMajor: 9, fwMinor: 8, deviceSupport: 0x9f, manufacturerId: 0x1291, productId: 0xf02, dynsens: false, persistSdr: true, beforeSetBmc: false },
  );
  assert.deepEqual(bmc.sel, { at: { file: 'sim.emu', line: 8 }, maxEntries: 1000, flags: 0x0a });
  const wd = bmc.sensors.get(sensorKey(0, 0))!;
  assert.deepEqual([wd.sensorType, wd.eventReadingType, wd.eventOnly, wd.assertSupported, wd.eventAt?.line], [35, 0x6f, true, 0x000f, 12]);
  const temp = bmc.sensors.get(sensorKey(0, 1))!;
  assert.deepEqual(temp.thresholds, [0, 0, 0, 0x70, 0x90, 0xa0], 'values are given from UNR down to LNC');
  assert.deepEqual([temp.thresholdSupport, temp.thresholdSupported, temp.value, temp.eventStatus], [2, 0x38, 0x60, 0]);
  assert.deepEqual([temp.assertSupported, temp.assertEnabled], [0x0fc0, 0x0fc0]);
  const mem = bmc.sensors.get(sensorKey(0, 2))!;
  assert.deepEqual([mem.value, mem.eventStatus], [1, 0b10], 'sensor_set_bit_clr_rest sets the value to the bit number');
  assert.equal(m.mcs.get(0x30)!.added?.at.line, 33);
  assert.equal(m.mcs.get(0x30)!.frus.get(3)?.size, 128);
  assert.equal(bmc.enabled?.line, 38);
});

test('emulator files: a sensor added after its SDR starts from the SDR (thresholds, hysteresis, event masks)', () => {
  // Full record: sensor 5, init events/scanning/thresholds/hysteresis, settable thresholds and
  // hysteresis, UNC/UC readable, UNC 0x50 UC 0x5a, hysteresis 2/3.
  const sdr = [0x00, 0x00, 0x51, 0x01, 0x33, 0x20, 0x00, 0x05, 0x03, 0x01, 0x7b, 0x68, 0x01, 0x01, 0x80, 0x02, 0x80, 0x32, 0x18, 0x18];
  const tail = new Array(0x33 + 5 - sdr.length).fill(0);
  const bytes = [...sdr, ...tail];
  bytes[36] = 0; // UNR
  bytes[37] = 0x5a; // UC
  bytes[38] = 0x50; // UNC
  bytes[42] = 2;
  bytes[43] = 3;
  const hexBytes = bytes.map((b) => `0x${b.toString(16)}`).join(' ');
  const text = ['mc_setbmc 0x20', 'mc_add 0x20 0 no-device-sdrs 1 1 0 0x9f 0 0', `main_sdr_add 0x20 ${hexBytes}`, 'sensor_add 0x20 0 5 1 1', 'sensor_set_value 0x20 0 5 0x55 1'].join('\n');
  const s = runEmu(text, 'i.emu', emuEnv()).mcs.get(0x20)!.sensors.get(sensorKey(0, 5))!;
  assert.equal(s.initialisedFrom, 0);
  assert.deepEqual([s.thresholdSupport, s.thresholdSupported, s.thresholds[3], s.thresholds[4]], [2, 0b011000, 0x50, 0x5a]);
  assert.deepEqual([s.hysteresisSupport, s.positiveHysteresis, s.negativeHysteresis], [2, 2, 3]);
  assert.deepEqual([s.eventsEnabled, s.scanningEnabled, s.assertSupported, s.deassertSupported], [true, true, 0x0280, 0x3280], 'the masks include the reading-mask bits 12-14');
  assert.equal(s.eventStatus, 0b001000, 'UNC crossed (unsigned compare)');
  assert.deepEqual(s.startupEvents, [{ file: 'i.emu', line: 5 }], 'generate-event 1 logged an event at start-up');
});

test('emulator files: include (found as ipmi_sim looks for it), define, and loops refused', () => {
  const files = { '/usr/etc/ipmi/common.emu': 'define MC "0x20"\nmc_setbmc $MC\n', '/cwd/loop.emu': 'include "loop.emu"\n' };
  const m = runEmu('include "common.emu"\nmc_add $MC 0 no-device-sdrs 1 1 0 0x9f 0 0\n', 'main.emu', emuEnv(files));
  assert.equal(m.bmc?.at.file, '/usr/etc/ipmi/common.emu');
  assert.ok(m.mcs.get(0x20)!.added);
  throwsAt(() => runEmu('\ninclude "loop.emu"\n', 'main.emu', emuEnv(files)), '/cwd/loop.emu', 1, /includes itself/);
  throwsAt(() => runEmu('include "gone.emu"\n', 'main.emu', emuEnv(files)), 'main.emu', 1, /cannot read include file "gone.emu" \(tried \/cwd\/gone.emu, \/usr\/etc\/ipmi\/gone.emu\)/);
});

test('emulator files: what ipmi_sim refuses is an error at its line', () => {
  const base = 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 1 1 0 0x9f 0 0\n';
  const cases: [string, RegExp][] = [
    ['sensor_set_value 0x20 0 9 1 0', /no sensor 9 on LUN 0/],
    ['sensor_add 0x40 0 1 1 1', /no MC at 0x40/],
    ['frobnicate 1', /unknown command "frobnicate"/],
    ['main_sdr_add 0x20 0 0 0x51 1 9 0x20 0 1', /length byte \(byte 4\) says 9 \+ 5 bytes, but 8 are given/],
    ['main_sdr_add 0x20 00 00 51 12 0f 1f', /"0f": expected a number|expected a number/],
    ['mc_add_fru_data 0x20 0 4 data 1 2 3 4 5', /more than 4 data bytes/],
    ['sensor_add 0x20 0 1 1 1 poll 1000 serial "/x"', /unknown sensor poll handler "serial"/],
    ['mc_add 0x20 0 no-device-sdrs 1 1 0 0x9f 0 0', /added twice/],
    ['sensor_set_threshold 0x20 0 1 settable 111000 1 2 3', /missing threshold value/],
  ];
  for (const [line, pattern] of cases) {
    const text = base + (line.startsWith('sensor_set_threshold') ? 'sensor_add 0x20 0 1 1 1\n' : '') + line + '\n';
    const lineNo = text.split('\n').length - 1;
    throwsAt(() => runEmu(text, 'e.emu', emuEnv()), 'e.emu', lineNo, pattern);
  }
});
