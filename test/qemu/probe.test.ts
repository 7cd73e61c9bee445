import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeQemuVersion, QemuProbeError } from '../../src/qemu/probe.js';
import { atLeast } from '../../src/qemu/version.js';
import { findExecutable, needTool, QEMU_BINARY } from '../helpers/tools.js';

test('probes the installed QEMU', async (t) => {
  const bin = findExecutable(QEMU_BINARY);
  if (!needTool(t, QEMU_BINARY, Boolean(bin))) return;
  const v = await probeQemuVersion(bin);
  assert.ok(atLeast(v, '2.6'), JSON.stringify(v));
});

test('a missing binary is a QemuProbeError saying so', async () => {
  await assert.rejects(probeQemuVersion('/nonexistent/qemu-system-x86_64'), (e: unknown) => e instanceof QemuProbeError && /not found/.test(e.message));
});

test('a binary that prints something else is a QemuProbeError', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'probe-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fake = join(dir, 'fake-qemu');
  writeFileSync(fake, '#!/bin/sh\necho "QEMU emulator version 10.2.0 (fake)"\n', { mode: 0o755 });
  assert.deepEqual(await probeQemuVersion(fake), { major: 10, minor: 2, micro: 0, package: 'fake' });
  writeFileSync(fake, '#!/bin/sh\necho hello\n', { mode: 0o755 });
  await assert.rejects(probeQemuVersion(fake), (e: unknown) => e instanceof QemuProbeError && /not a QEMU --version output/.test(e.message));
  writeFileSync(fake, '#!/bin/sh\necho broken >&2; exit 3\n', { mode: 0o755 });
  await assert.rejects(probeQemuVersion(fake), /broken/);
});
