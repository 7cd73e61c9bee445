import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atLeast, compareVersions, formatVersion, parseQemuVersion, parseVersion, QemuVersionError } from '../../src/qemu/version.js';

test('parses Debian 12 QEMU --version output', () => {
  const out = 'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)\nCopyright (c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n';
  assert.deepEqual(parseQemuVersion(out), { major: 7, minor: 2, micro: 22, package: 'Debian 1:7.2+dfsg-7+deb12u18' });
});

test('parses upstream, development and two-part versions', () => {
  assert.deepEqual(parseQemuVersion('QEMU emulator version 9.1.0\n'), { major: 9, minor: 1, micro: 0 });
  assert.deepEqual(parseQemuVersion('QEMU emulator version 10.2.50 (v10.2.0-1234-gabcdef)'), { major: 10, minor: 2, micro: 50, package: 'v10.2.0-1234-gabcdef' });
  assert.deepEqual(parseQemuVersion('QEMU emulator version 2.12'), { major: 2, minor: 12, micro: 0 });
  assert.throws(() => parseQemuVersion('qemu-img version 7.2.0'), QemuVersionError);
  assert.throws(() => parseQemuVersion(''), QemuVersionError);
});

test('parses user-typed versions', () => {
  assert.deepEqual(parseVersion('7.2'), { major: 7, minor: 2, micro: 0 });
  assert.deepEqual(parseVersion(' v10.2.1 '), { major: 10, minor: 2, micro: 1 });
  assert.throws(() => parseVersion('10'), /invalid QEMU version "10"/);
  assert.throws(() => parseVersion('7.2-rc1'), QemuVersionError);
});

test('compares numerically, not as strings', () => {
  assert.ok(compareVersions(parseVersion('10.0'), parseVersion('9.2')) > 0);
  assert.ok(compareVersions(parseVersion('2.10'), parseVersion('2.9')) > 0);
  assert.equal(compareVersions(parseVersion('7.2'), parseVersion('7.2.0')), 0);
  assert.ok(atLeast(parseVersion('10.2.50'), '10.2'));
  assert.ok(!atLeast(parseVersion('10.1.50'), '10.2'));
  assert.equal(formatVersion(parseVersion('4.2')), '4.2.0');
});
