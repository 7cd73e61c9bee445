// Client settings precedence: option > environment > client defaults file > built-in default
// (the local simulator), as the man page documents.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConnection, clientConfigPath } from '../../src/cli/connection.js';
import { bufferIo } from '../../src/cli/io.js';
import { UsageError } from '../../src/client/errors.js';
import type { GlobalOptions } from '../../src/cli/global-options.js';

const dir = mkdtempSync(join(tmpdir(), 'ipmi-sim-conn-'));
const opts = (o: Partial<GlobalOptions> = {}): GlobalOptions => ({ verbose: 0, ...o });

function withFile(yaml: string, mode = 0o600): NodeJS.ProcessEnv {
  const path = join(mkdtempSync(join(dir, 'cfg-')), 'config.yaml');
  writeFileSync(path, yaml);
  chmodSync(path, mode);
  return { IPMI_SIM_CONFIG: path };
}

test('no -H: the local simulator with its default user', () => {
  const s = resolveConnection(opts(), bufferIo({ HOME: dir }));
  assert.deepEqual([s.host, s.port, s.username, s.password, s.interface, s.privilege], ['127.0.0.1', 6230, 'admin', 'password', 'lanplus', 4]);
});

test('with -H: port 623 and the null user, as ipmitool', () => {
  const s = resolveConnection(opts({ H: '10.0.0.5' }), bufferIo({ HOME: dir }));
  assert.deepEqual([s.host, s.port, s.username, s.password], ['10.0.0.5', 623, '', '']);
});

test('the client defaults file, then the environment, then options win', () => {
  const env = withFile('host: bmc-file\nport: 7001\nuser: fileuser\npassword: filepw\ninterface: lan\nprivilege: OPERATOR\ncipherSuite: 3\ntimeout: 3\nretries: 2\n');
  const fromFile = resolveConnection(opts(), bufferIo(env));
  assert.deepEqual(
    [fromFile.host, fromFile.port, fromFile.username, fromFile.password, fromFile.interface, fromFile.privilege, fromFile.cipherSuite, fromFile.timeoutSec, fromFile.retries],
    ['bmc-file', 7001, 'fileuser', 'filepw', 'lan', 3, 3, 3, 2],
  );
  const envToo = { ...env, IPMI_HOST: 'bmc-env', IPMI_PORT: '7002', IPMI_USER: 'envuser', IPMI_PASSWORD: 'envpw' };
  const fromEnv = resolveConnection(opts(), bufferIo(envToo));
  assert.deepEqual([fromEnv.host, fromEnv.port, fromEnv.username, fromEnv.password], ['bmc-env', 7002, 'envuser', 'envpw']);
  const fromFlags = resolveConnection(opts({ H: 'bmc-flag', p: '7003', U: 'flaguser', P: 'flagpw', I: 'lanplus', L: 'USER' }), bufferIo(envToo));
  assert.deepEqual([fromFlags.host, fromFlags.port, fromFlags.username, fromFlags.password, fromFlags.interface, fromFlags.privilege], ['bmc-flag', 7003, 'flaguser', 'flagpw', 'lanplus', 2]);
});

test('-E reads IPMITOOL_PASSWORD, else IPMI_PASSWORD (ipmitool\'s order), and is an error without either', () => {
  assert.equal(resolveConnection(opts({ H: 'h', E: true }), bufferIo({ HOME: dir, IPMI_PASSWORD: 'a', IPMITOOL_PASSWORD: 'b' })).password, 'b');
  assert.equal(resolveConnection(opts({ H: 'h', E: true }), bufferIo({ HOME: dir, IPMI_PASSWORD: 'a' })).password, 'a');
  assert.throws(() => resolveConnection(opts({ H: 'h', E: true }), bufferIo({ HOME: dir })), UsageError);
});

test('-f reads a private password file and refuses one others can read', () => {
  const pw = join(dir, 'pw');
  writeFileSync(pw, 'secret\n');
  chmodSync(pw, 0o600);
  assert.equal(resolveConnection(opts({ H: 'h', f: pw }), bufferIo({ HOME: dir })).password, 'secret');
  chmodSync(pw, 0o644);
  assert.throws(() => resolveConnection(opts({ H: 'h', f: pw }), bufferIo({ HOME: dir })), /readable by others/);
});

test('a defaults file with a password must be private; unknown fields are errors', () => {
  assert.throws(() => resolveConnection(opts(), bufferIo(withFile('password: x\n', 0o644))), /readable by others/);
  assert.throws(() => resolveConnection(opts(), bufferIo(withFile('hots: x\n'))), /unknown field "hots"/);
  assert.doesNotThrow(() => resolveConnection(opts(), bufferIo(withFile('host: x\n', 0o644))));
});

test('the defaults file lives under XDG_CONFIG_HOME, else ~/.config', () => {
  assert.equal(clientConfigPath({ HOME: '/home/u' }), '/home/u/.config/ipmi-sim/config.yaml');
  assert.equal(clientConfigPath({ HOME: '/home/u', XDG_CONFIG_HOME: '/xdg' }), '/xdg/ipmi-sim/config.yaml');
  assert.equal(clientConfigPath({ IPMI_SIM_CONFIG: '/etc/x.yaml' }), '/etc/x.yaml');
});

test('bad values are usage errors', () => {
  assert.throws(() => resolveConnection(opts({ p: '70000' }), bufferIo({ HOME: dir })), UsageError);
  assert.throws(() => resolveConnection(opts({ L: 'ROOT' }), bufferIo({ HOME: dir })), UsageError);
  assert.throws(() => resolveConnection(opts({ N: '0' }), bufferIo({ HOME: dir })), UsageError);
});
