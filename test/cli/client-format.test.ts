// Unit tests of the client's ipmitool-compatible pieces that the golden tests cannot reach on
// a healthy BMC: rare field values, float rounding, argument parsing, exec tokenizing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootParamDetail, formatChassisSelfTest, formatChassisStatus, formatPoh, formatPolicy, restartCauseName } from '../../src/cli/output/chassis.js';
import { formatMcSelfTest, formatWatchdog } from '../../src/cli/output/mc.js';
import { cipherPrivBytes, cipherPrivString, formatLanPrint } from '../../src/cli/output/lan.js';
import { formatSessionInfo, formatUserRow, authTypesText } from '../../src/cli/output/users.js';
import { parseBootOptions, parseValidBitOptions } from '../../src/cli/commands/chassis.js';
import { parseWatchdogSet } from '../../src/cli/commands/mc.js';
import { splitExecLine } from '../../src/cli/commands/exec.js';
import { channelArg, parseCNumber, userIdArg } from '../../src/cli/ipmitool.js';
import { LanParam } from '../../src/ipmi/commands/transport.js';
import type { ChassisStatus } from '../../src/ipmi/commands/chassis.js';

const status = (over: Partial<ChassisStatus> = {}): ChassisStatus => ({
  powerOn: false,
  powerOverload: false,
  interlock: false,
  powerFault: false,
  powerControlFault: false,
  restorePolicy: 0,
  lastPowerEvent: 0,
  intrusion: false,
  frontPanelLockout: false,
  driveFault: false,
  fanFault: false,
  identifyState: 0,
  identifySupported: false,
  ...over,
});

test('parseCNumber reads numbers the way strtoul(…, 0) does', () => {
  assert.equal(parseCNumber('10'), 10);
  assert.equal(parseCNumber('0x1f'), 31);
  assert.equal(parseCNumber('010'), 8, 'a leading 0 is octal');
  assert.equal(parseCNumber('0'), 0);
  for (const bad of ['', '08', '1a', '0x', '-1', 'one']) assert.equal(parseCNumber(bad), undefined, bad);
  assert.equal(channelArg('0xE'), 14);
  assert.throws(() => channelArg('12'), /Given Channel number '12' is either invalid or out of range\.\nChannel number must be from ranges: <0x0\.\.0xB>, <0xE\.\.0xF>/);
  assert.throws(() => userIdArg('64'), /User ID is limited to range <1\.\.63>/);
});

test('chassis status: no front panel byte, "none", and every event and fault', () => {
  const plain = formatChassisStatus(status());
  assert.equal(plain.split('\n').length, 12, 'eleven lines without the optional byte');
  assert.match(plain, /^Power Restore Policy : always-off$/m);
  assert.match(formatChassisStatus(status({ frontPanel: { disabled: 0, disableAllowed: 0 } })), /Front Panel Control  : none\n$/);
  const busy = formatChassisStatus(status({ powerOn: true, powerOverload: true, interlock: true, lastPowerEvent: 0x1f, restorePolicy: 3, frontPanel: { disabled: 0x5, disableAllowed: 0x3 } }));
  assert.match(busy, /^Power Overload       : true$/m);
  assert.match(busy, /^Power Interlock      : active$/m);
  assert.match(busy, /^Last Power Event     : ac-failed overload interlock fault command$/m);
  assert.match(busy, /^Power Restore Policy : unknown$/m);
  assert.match(busy, /^Sleep Button Disable : not allowed\nDiag Button Disable  : not allowed\nReset Button Disable : allowed\nPower Button Disable : allowed$/m);
  assert.match(busy, /^Diag Button Disabled : true\nReset Button Disabled: false\nPower Button Disabled: true$/m);
});

test('POH counter in single-precision float like ipmitool; minutes only below an hour per count', () => {
  assert.equal(formatPoh(1, 0), 'POH Counter  : 0 days, 0 hours, 0 minutes\n');
  assert.equal(formatPoh(1, 1500), 'POH Counter  : 1 days, 1 hours, 0 minutes\n');
  assert.equal(formatPoh(60, 49), 'POH Counter  : 2 days, 1 hours\n');
  // 2^24 + 1 minutes is not representable in a float: ipmitool loses the last minute.
  assert.equal(formatPoh(1, 16777217), 'POH Counter  : 11650 days, 20 hours, 16 minutes\n');
});

test('restart causes, self test and policy texts', () => {
  assert.equal(restartCauseName(0xb), 'power-up via RTC wakeup');
  assert.equal(restartCauseName(0xc), 'Unknown (0x0C)');
  assert.equal(formatChassisSelfTest(0x57, 0x81), 'Self Test Results    : device error\n                       [firmware corrupted]\n                       [cannot access SEL Device]\n');
  assert.equal(formatChassisSelfTest(0x58, 0x0a), 'Self Test Results    : Fatal hardware error: 0ah\n');
  assert.deepEqual(formatMcSelfTest(0x57, 0x88), { text: 'Selftest: device corrupted\n -> SEL device not accessible\nSDR repository empty\n', passed: false });
  assert.deepEqual(formatMcSelfTest(0x80, 0x01), { text: 'Selftest     : device specific (80h)\nFailure code : 01h\n', passed: true });
  assert.equal(formatPolicy(3, 0b101), 'Supported chassis power policy:  always-off always-on \n');
  assert.equal(formatPolicy(1, 7), 'Set chassis power restore policy to previous\n');
});

test('boot parameter details: flags, acknowledge, initiator info, mailbox', () => {
  const flags = bootParamDetail(5, Uint8Array.of(0xa0, 0xcb, 0xbf, 0x09, 0x00));
  assert.deepEqual(flags, [
    ' Boot Flags :',
    '   - Boot Flag Valid',
    '   - Options apply to only next boot',
    '   - BIOS EFI boot ',
    '   - CMOS Clear',
    '   - Lock Keyboard',
    '   - Boot Device Selector : Force Boot from default Hard-Drive',
    '   - Screen blank',
    '   - Lock out Reset buttons',
    '   - Lock out (power off/sleep request) via Power Button',
    '   - BIOS verbosity : Request Quiet Display',
    '   - Force progress event traps',
    '   - User password bypass',
    '   - Lock Out Sleep Button',
    '   - Console Redirection control : Flag error',
    '   - BIOS Shared Mode Override',
    '   - BIOS Mux Control Override : Requests BIOS to force mux to BMC at conclusion of POST/start of OS boot',
  ]);
  assert.deepEqual(bootParamDetail(4, Uint8Array.of(0x1f, 0x00)), [' Boot Info Acknowledge :', '     No flag set']);
  assert.deepEqual(bootParamDetail(6, Uint8Array.of(0x01, 0x78, 0x56, 0x34, 0x12, 0x3d, 0x00, 0x00, 0x00)), [
    ' Boot Initiator Info :',
    '    Channel Number : 1',
    '    Session Id     : 12345678h',
    '    Timestamp      : S+ 00:01:01',
  ]);
  assert.deepEqual(bootParamDetail(7, Uint8Array.of(1, 0x61, 0x62)), [' Selector       : 1', ' Block Data     : 6162']);
  assert.deepEqual(bootParamDetail(9, new Uint8Array(0)), [' Unsupported parameter 9']);
});

test('bootdev options= and bootparam options= parsing', () => {
  assert.deepEqual([...parseBootOptions('persistent,efiboot,verbose=yes,cons_redirect=enable')], [0x60, 0x00, 0x42, 0x00, 0x00]);
  assert.deepEqual([...parseBootOptions('verbose=yes,verbose=no')], [0, 0, 0x20, 0, 0], 'the last of a group wins');
  assert.throws(() => parseBootOptions('persistent,bogus'), /^UsageError: Invalid option: bogus\nLegal options settings are:\n {2}help {18}: print this message\n {2}valid/);
  assert.deepEqual(parseValidBitOptions('options=PEF,no-timeout,watchdog'), { set: 0x08, clear: 0x14 });
  assert.throws(() => parseValidBitOptions('PEF'), /No options= keyword found "PEF"/);
});

test('mc watchdog set options (first letter decides, like ipmitool)', () => {
  assert.deepEqual(parseWatchdogSet(['timeout=10', 'pre=5', 'int=nmi', 'use=sms', 'act=cycle', 'clear=post', 'clear=oem', 'nolog', 'd']), {
    timerUse: 4,
    dontLog: true,
    dontStop: true,
    preTimeoutInterrupt: 2,
    timeoutAction: 3,
    preTimeoutInterval: 5,
    expirationFlagsClear: 0x24,
    initialCountdown: 100,
  });
  assert.throws(() => parseWatchdogSet(['timeout=0']), /Timeout value 0 is out of range \(1-6553\)/);
  assert.throws(() => parseWatchdogSet(['use=bogus']), /Use 'bogus' is not valid/);
  assert.throws(() => parseWatchdogSet(['xyz']), /Invalid option 'xyz'/);
});

test('watchdog get: running, expiration flags, and a short response', () => {
  const text = formatWatchdog({
    timerUse: 3,
    dontLog: true,
    running: true,
    preTimeoutInterrupt: 1,
    timeoutAction: 2,
    preTimeoutInterval: 7,
    expirationFlags: 0x12,
    initialCountdown: 6000,
    presentCountdown: 5999,
  });
  assert.equal(
    text,
    [
      'Watchdog Timer Use:     OS Load (0xc3)',
      'Watchdog Timer Is:      Started/Running',
      'Watchdog Timer Logging: Off',
      'Watchdog Timer Action:  Power Down (0x12)',
      'Pre-timeout interrupt:  SMI',
      'Pre-timeout interval:   7 seconds',
      'Timer Expiration Flags: (0x12)',
      '                        * BIOS FRB2',
      '                        * SMS/OS',
      'Initial Countdown:      600.0 sec',
      'Present Countdown:      599.9 sec',
      '',
    ].join('\n'),
  );
  const short = formatWatchdog({ timerUse: 0, dontLog: false, running: false, preTimeoutInterrupt: 0, timeoutAction: 0, preTimeoutInterval: 0, expirationFlags: 0, initialCountdown: 0, presentCountdown: undefined });
  assert.match(short, /^Present Countdown: {6}unknown \(short response\)$/m);
});

test('users, sessions, auth types', () => {
  const access = { maxUserIds: 16, enableStatus: 1, enabledUserCount: 1, fixedNameCount: 1, callbackOnly: true, linkAuthEnabled: true, ipmiMessagingEnabled: false, privilegeLimit: 0 };
  assert.equal(formatUserRow({ userId: 12, name: 'sixteen-chars-xx', access }), '12  sixteen-chars-xx false   true       false      Unknown (0x00)\n');
  assert.equal(authTypesText(0x37), 'NONE MD2 MD5 PASSWORD OEM ');
  assert.equal(formatSessionInfo({ sessionHandle: 0, sessionSlotCount: 4, activeSessionCount: 1 }, false), 'session handle                : 0\nslot count                    : 4\nactive sessions               : 1\n\n');
  assert.equal(formatSessionInfo({ sessionHandle: 2, sessionSlotCount: 4, activeSessionCount: 1, session: { userId: 3, privilege: 2, sessionType: 0, channel: 1 } }, true), '2,4,1,3,USER,IPMIv1.5,0x01\n');
});

test('lan print: cipher suite privileges both ways, unsupported parameters left out', () => {
  const bytes = cipherPrivBytes('XaaaXXaaaXXaaXc')!;
  assert.deepEqual([...bytes], [0, 0x40, 0x44, 0x00, 0x44, 0x04, 0x40, 0x04, 0x01]);
  assert.equal(cipherPrivString(bytes), 'XaaaXXaaaXXaaXc');
  assert.equal(cipherPrivBytes('XaaaXXaaaXXaaX'), undefined, '14 characters');
  assert.equal(cipherPrivBytes('XaaaXXaaaXXaaXz'), undefined, 'bad character');
  const text = formatLanPrint(new Map([[LanParam.IpAddress, Uint8Array.of(10, 0, 0, 5)], [LanParam.VlanId, Uint8Array.of(0x05, 0x81)]]));
  assert.equal(text, 'IP Address              : 10.0.0.5\n802.1q VLAN ID          : 261\nCipher Suite Priv Max   : Not Available\nBad Password Threshold  : Not Available\n');
  const bad = formatLanPrint(new Map([[LanParam.BadPasswordThreshold, Uint8Array.of(1, 3, 6, 0, 0x2c, 0x01)]]));
  assert.match(bad, /Bad Password Threshold  : 3\nInvalid password disable: yes\nAttempt Count Reset Int.: 60\nUser Lockout Interval   : 3000\n$/);
});

test('exec lines are split like ipmitool: comments, quotes, ~ inside quotes', () => {
  assert.deepEqual(splitExecLine('power status'), ['power', 'status']);
  assert.deepEqual(splitExecLine('   # only a comment'), []);
  assert.deepEqual(splitExecLine(''), []);
  assert.deepEqual(splitExecLine('chassis   status  # why'), ['chassis', 'status']);
  assert.deepEqual(splitExecLine('user set name 3 "a  b"'), ['user', 'set', 'name', '3', 'a  b']);
  assert.deepEqual(splitExecLine("user set name 3 'x~y'"), ['user', 'set', 'name', '3', 'x y'], '~ reads as a space inside quotes');
  assert.deepEqual(splitExecLine('a "b c'), ['a', 'b c'], 'an unterminated quote runs to the end of the line');
  assert.deepEqual(splitExecLine('mc\tinfo'), ['mc\tinfo'], 'only spaces separate words');
});
