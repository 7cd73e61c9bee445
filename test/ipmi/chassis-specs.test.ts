// Codec vectors for the chassis and watchdog specs: each annotated byte string decodes to the
// object, the object encodes to the bytes, and the two round-trip (parse / generate / mirror).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWith, encodeWith, type Codec } from '../../src/ipmi/spec.js';
import * as ch from '../../src/ipmi/commands/chassis.js';
import * as app from '../../src/ipmi/commands/app.js';
import { hex, toHex } from '../helpers/bytes.js';

function vector<T>(name: string, codec: Codec<T>, value: T, bytes: Uint8Array): void {
  test(name, () => {
    assert.deepEqual(decodeWith(codec, bytes), value, 'parse');
    assert.equal(toHex(encodeWith(codec, value)), toHex(bytes), 'generate');
    assert.deepEqual(decodeWith(codec, encodeWith(codec, value)), value, 'mirror');
  });
}

vector(
  'Get Chassis Status response with front panel byte',
  ch.getChassisStatus.response,
  {
    powerOn: true,
    powerOverload: false,
    interlock: false,
    powerFault: false,
    powerControlFault: false,
    restorePolicy: ch.RestorePolicyCode.Previous,
    lastPowerEvent: ch.LastPowerEvent.PowerOnViaIpmi,
    intrusion: false,
    frontPanelLockout: true,
    driveFault: false,
    fanFault: false,
    identifyState: ch.IdentifyState.Timed,
    identifySupported: true,
    frontPanel: { disabled: 0x3, disableAllowed: 0xf },
  },
  hex`21 // power on, restore previous
      10 // last power event: on via IPMI
      52 // lockout, identify timed on, identify supported
      f3 // disable allowed: all; disabled: power off, reset`,
);

vector('Chassis Identify, force', ch.chassisIdentify.request, { interval: 0, force: true }, hex`00 01`);
vector('Chassis Identify, default interval', ch.chassisIdentify.request, {}, hex``);
vector('Get System Restart Cause response', ch.getSystemRestartCause.response, { cause: ch.RestartCause.Watchdog, channel: 1 }, hex`04 01`);
vector('Get POH Counter response', ch.getPohCounter.response, { minutesPerCount: 1, counter: 0x12345 }, hex`01 | 45 23 01 00`);
vector(
  'Get System Boot Options response, parameter 5',
  ch.getSystemBootOptions.response,
  { version: 1, parameter: ch.BootParam.BootFlags, invalid: false, data: hex`e0 04 00 00 00` },
  hex`01 05 | e0 04 00 00 00`,
);
vector(
  'Set System Boot Options request, parameter 1 marked invalid',
  ch.setSystemBootOptions.request,
  { parameter: 1, invalid: true, data: hex`07` },
  hex`81 07`,
);
vector(
  'boot flags: valid, EFI, floppy, verbose, console redirection enabled',
  ch.bootFlagsCodec,
  {
    valid: true,
    persistent: false,
    efi: true,
    cmosClear: false,
    lockKeyboard: false,
    device: ch.BootDevice.Floppy,
    screenBlank: false,
    lockResetButton: false,
    lockPowerButton: false,
    verbosity: 2,
    forceProgressEventTraps: false,
    passwordBypass: false,
    lockSleepButton: false,
    consoleRedirection: 2,
    biosSharedModeOverride: false,
    biosMuxControl: 0,
    deviceInstance: 3,
  },
  hex`a0 3c 42 00 03`,
);
vector(
  'Set Watchdog Timer request: dont-stop, SMS/OS, messaging pre-timeout, power cycle',
  app.setWatchdogTimer.request,
  {
    timerUse: app.TimerUse.SmsOs,
    dontLog: false,
    dontStop: true,
    preTimeoutInterrupt: app.PreTimeoutInterrupt.Messaging,
    timeoutAction: app.WatchdogAction.PowerCycle,
    preTimeoutInterval: 5,
    expirationFlagsClear: 0x10,
    initialCountdown: 100,
  },
  hex`44 33 05 10 | 64 00`,
);
vector(
  'Get Watchdog Timer response: running, do not log',
  app.getWatchdogTimer.response,
  {
    timerUse: app.TimerUse.OsLoad,
    dontLog: true,
    running: true,
    preTimeoutInterrupt: app.PreTimeoutInterrupt.Nmi,
    timeoutAction: app.WatchdogAction.HardReset,
    preTimeoutInterval: 2,
    expirationFlags: 0x08,
    initialCountdown: 0x0bb8,
    presentCountdown: 0x0102,
  },
  hex`c3 21 02 08 | b8 0b | 02 01`,
);
