// Must-show (issue 5A, #3): `--json` on every read command is one JSON document on stdout
// with the documented fields (README "JSON output"), checked against a small schema per
// command. Errors are one JSON object on stderr.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cli } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';

let bmc: ServeHandle;
before(async () => {
  bmc = await startServe();
});
after(async () => {
  await bmc.stop();
});

const ours = (args: string[]) => cli(['-H', '127.0.0.1', '-p', String(bmc.port), '-U', 'admin', '-P', 'password', ...args]);

/** A field's type: a typeof name, 'array', 'null', a nested schema, [schema] for an array of objects, or '?type' when optional. */
type Schema = { [field: string]: string | Schema | [Schema] };

function check(value: unknown, schema: Schema, path: string): void {
  assert.equal(typeof value, 'object', `${path} is an object`);
  assert.ok(value !== null && !Array.isArray(value), `${path} is an object`);
  const obj = value as Record<string, unknown>;
  for (const [field, type] of Object.entries(schema)) {
    const v = obj[field];
    const at = `${path}.${field}`;
    if (typeof type === 'string') {
      const optional = type.startsWith('?');
      const want = optional ? type.slice(1) : type;
      if (v === undefined) {
        assert.ok(optional, `${at} is missing`);
        continue;
      }
      const got = v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
      assert.ok(want.split('|').includes(got), `${at}: ${got}, expected ${want}`);
    } else if (Array.isArray(type)) {
      assert.ok(Array.isArray(v), `${at} is an array`);
      (v as unknown[]).forEach((item, i) => check(item, type[0], `${at}[${i}]`));
    } else {
      check(v, type, at);
    }
  }
  const extra = Object.keys(obj).filter((k) => !(k in schema));
  assert.deepEqual(extra, [], `${path} has undocumented fields`);
}

const userAccess: Schema = {
  userId: 'number',
  name: 'string',
  maxUserIds: 'number',
  enableStatus: 'number',
  enabledUserCount: 'number',
  fixedNameCount: 'number',
  callbackOnly: 'boolean',
  linkAuthEnabled: 'boolean',
  ipmiMessagingEnabled: 'boolean',
  privilegeLimit: 'number',
  privilegeName: 'string',
};
const channelAccess: Schema = { alertingDisabled: 'boolean', perMessageAuthDisabled: 'boolean', userLevelAuthDisabled: 'boolean', accessMode: 'number', privilegeLimit: 'number' };
const session: Schema = {
  sessionHandle: 'number',
  sessionSlotCount: 'number',
  activeSessionCount: 'number',
  session: {
    userId: 'number',
    privilege: 'number',
    privilegeName: 'string',
    sessionType: 'number',
    sessionTypeName: 'string',
    channel: 'number',
    remoteIp: '?string',
    remoteMac: '?string',
    remotePort: '?number',
  },
};

const SCHEMAS: [string, Schema | [Schema]][] = [
  ['power status', { powerOn: 'boolean' }],
  [
    'chassis status',
    {
      powerOn: 'boolean',
      powerOverload: 'boolean',
      interlock: 'boolean',
      powerFault: 'boolean',
      powerControlFault: 'boolean',
      restorePolicy: 'number',
      lastPowerEvent: 'number',
      intrusion: 'boolean',
      frontPanelLockout: 'boolean',
      driveFault: 'boolean',
      fanFault: 'boolean',
      identifyState: 'number',
      identifySupported: 'boolean',
      frontPanel: { disabled: 'number', disableAllowed: 'number' },
    },
  ],
  ['chassis poh', { minutesPerCount: 'number', counter: 'number', days: 'number', hours: 'number', minutes: 'number' }],
  ['chassis restart_cause', { cause: 'number', channel: 'number', causeName: 'string' }],
  ['chassis selftest', { result: 'number', detail: 'number' }],
  ['chassis policy list', { supported: 'number', supportedPolicies: 'array' }],
  [
    'chassis bootparam get 5',
    {
      version: 'number',
      parameter: 'number',
      invalid: 'boolean',
      data: 'string',
      bootFlags: {
        valid: 'boolean',
        persistent: 'boolean',
        efi: 'boolean',
        cmosClear: 'boolean',
        lockKeyboard: 'boolean',
        device: 'number',
        screenBlank: 'boolean',
        lockResetButton: 'boolean',
        lockPowerButton: 'boolean',
        verbosity: 'number',
        forceProgressEventTraps: 'boolean',
        passwordBypass: 'boolean',
        lockSleepButton: 'boolean',
        consoleRedirection: 'number',
        biosSharedModeOverride: 'boolean',
        biosMuxControl: 'number',
        deviceInstance: 'number',
      },
    },
  ],
  [
    'mc info',
    {
      deviceId: 'number',
      deviceRevision: 'number',
      providesDeviceSdrs: 'boolean',
      deviceAvailable: 'boolean',
      firmwareMajor: 'number',
      firmwareMinor: 'number',
      ipmiVersion: 'number',
      additionalDeviceSupport: 'number',
      manufacturerId: 'number',
      productId: 'number',
      auxFirmwareRevision: '?string',
    },
  ],
  ['mc guid', { guid: { encoding: 'string', text: 'string', version: 'number', timestamp: '?number' }, raw: 'string' }],
  ['mc selftest', { result: 'number', detail: 'number', passed: 'boolean' }],
  [
    'mc getenables',
    {
      enables: 'number',
      receiveMessageQueueInterrupt: 'boolean',
      eventMessageBufferFullInterrupt: 'boolean',
      eventMessageBuffer: 'boolean',
      systemEventLogging: 'boolean',
      oem0: 'boolean',
      oem1: 'boolean',
      oem2: 'boolean',
    },
  ],
  [
    'mc watchdog get',
    {
      timerUse: 'number',
      dontLog: 'boolean',
      running: 'boolean',
      preTimeoutInterrupt: 'number',
      timeoutAction: 'number',
      preTimeoutInterval: 'number',
      expirationFlags: 'number',
      initialCountdown: 'number',
      presentCountdown: '?number',
    },
  ],
  ['user list 1', [userAccess]],
  ['user summary 1', { maxUserIds: 'number', enabledUserCount: 'number', fixedNameCount: 'number' }],
  [
    'channel info 1',
    {
      channel: 'number',
      medium: 'number',
      protocol: 'number',
      sessionSupport: 'number',
      activeSessionCount: 'number',
      vendorId: 'number',
      auxInfo: 'string',
      volatile: channelAccess,
      nonVolatile: channelAccess,
    },
  ],
  ['channel getaccess 1', { maxUserIds: 'number', enabledUserCount: 'number', users: [userAccess] }],
  ['channel getciphers ipmi', [{ id: 'number', iana: 'string', authAlgorithm: 'string', integrityAlgorithm: 'string', confidentialityAlgorithm: 'string' }]],
  ['channel authcap 1 4', { channel: 'number', authTypeSupport: 'number', authStatus: 'number', extendedCapabilities: 'number', oemId: 'number', oemAuxData: 'number' }],
  ['session info active', session],
  // Empty slots have no session object.
  ['session info all', [{ ...session, session: '?object' }]],
  [
    'lan print 1',
    {
      channel: 'number',
      setInProgress: 'string',
      authTypeSupport: 'array',
      authTypeEnables: { callback: 'array', user: 'array', operator: 'array', admin: 'array', oem: 'array' },
      ipAddressSource: 'string',
      ipAddress: 'string',
      subnetMask: 'string',
      macAddress: 'string',
      communityString: 'string',
      ipv4Header: { ttl: 'number', flags: 'number', precedence: 'number', tos: 'number' },
      arpResponses: 'boolean',
      gratuitousArp: 'boolean',
      gratuitousArpInterval: 'number',
      defaultGatewayIp: 'string',
      defaultGatewayMac: 'string',
      backupGatewayIp: 'string',
      backupGatewayMac: 'string',
      vlanId: 'number|null',
      vlanPriority: 'number',
      cipherSuites: 'array',
      cipherSuitePrivileges: 'string',
      badPasswordThreshold: '?object',
    },
  ],
  ['raw 0x06 0x01', { netFn: 'number', cmd: 'number', command: 'string|null', completionCode: 'number', data: 'string' }],
];

describe('--json: one document per read command, with the documented fields', () => {
  for (const [line, schema] of SCHEMAS) {
    test(line, async () => {
      const r = await ours(['--json', ...line.split(' ')]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.ok(r.stdout.endsWith('}\n') || r.stdout.endsWith(']\n'), 'one document, newline-terminated');
      const doc = JSON.parse(r.stdout) as unknown;
      if (Array.isArray(schema)) {
        assert.ok(Array.isArray(doc) && doc.length > 0, 'a non-empty array');
        doc.forEach((item, i) => check(item, schema[0], `[${i}]`));
      } else {
        check(doc, schema, '$');
      }
    });
  }

  test('-o json is --json; a failure is one JSON object on stderr and nothing on stdout', async () => {
    const a = await ours(['-o', 'json', 'power', 'status']);
    assert.deepEqual(JSON.parse(a.stdout), { powerOn: true });
    const e = await ours(['--json', 'chassis', 'bootparam', 'get', '99']);
    assert.equal(e.code, 1);
    assert.equal(e.stdout, '');
    assert.deepEqual(JSON.parse(e.stderr), { error: { code: 'COMPLETION_CODE', message: 'Get Chassis Boot Parameter 99 failed: Unsupported parameter', completionCode: 0x80 } });
  });

  test('control commands answer with a JSON object too', async () => {
    const r = await ours(['--json', 'chassis', 'identify', '0']);
    assert.deepEqual(JSON.parse(r.stdout), { interval: 0, force: false });
    const p = await ours(['--json', 'power', 'on', '--wait']);
    const doc = JSON.parse(p.stdout);
    assert.equal(doc.control, 'Up/On');
    assert.equal(doc.powerOn, true);
    assert.equal(typeof doc.waitedMs, 'number');
  });
});
