// `ipmi-sim import-openipmi` as a user runs it: YAML on stdout or in a private file, notes on
// stderr, --json (and -o json), errors naming file and line with exit status 78 and nothing
// written, --lenient. What the conversion produces is test/import/*; that ipmi_sim and the
// converted config answer the same is test/interop/import-openipmi.test.ts.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/bmc/config/load.js';
import { cliPath, run } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'import-openipmi-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LAN = 'name "t"\nstartlan 1\n  addr 127.0.0.1 9623\n  priv_limit admin\n  allowed_auths_admin md5\n  guid 00112233445566778899aabbccddeeff\nendlan\nuser 2 true "admin" "secret" admin 10\n';
const EMU = 'mc_setbmc 0x20\nmc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02\nsel_enable 0x20 1000 0x0a\nsensor_add 0x20 0 1 1 1\nsensor_set_value 0x20 0 1 45 0\nmc_enable 0x20\n';
writeFileSync(join(dir, 'lan.conf'), LAN);
writeFileSync(join(dir, 'ok.emu'), EMU);
writeFileSync(join(dir, 'bad.emu'), EMU + 'mc_set_power 0x20 1 0\n');

const ours = (...args: string[]) => run(process.execPath, [cliPath, ...args], { cwd: dir, env: { NO_COLOR: '1' } });

test('YAML on stdout, what was approximated on stderr with file:line, a summary last', async () => {
  const r = await ours('import-openipmi', 'lan.conf', 'ok.emu');
  assert.equal(r.code, 0, r.stderr);
  const c = parseConfig(r.stdout, 'stdout.yaml');
  assert.deepEqual(c.users.map((u) => [u.id, u.name, u.password]), [[2, 'admin', 'secret']]);
  assert.match(r.stderr, /^ok\.emu:3: approximated: SEL operation flags 0x0a/m);
  assert.match(r.stderr, /^lan\.conf:3: info: addr 127\.0\.0\.1 9623: give serve --lan 127\.0\.0\.1:9623$/m);
  assert.match(r.stderr, /converted: 1 users, 1 sensors, 0 SDRs \(0 as bytes\), 0 FRU devices\nserve with: ipmi-sim serve --config FILE --lan 127\.0\.0\.1:9623\n$/);
});

test('-O writes a private file atomically; --json and -o json give the summary and the notes', async () => {
  for (const flag of ['--json', '-o json']) {
    const out = join(dir, 'out.yaml');
    rmSync(out, { force: true });
    const r = await ours(...flag.split(' '), 'import-openipmi', 'lan.conf', 'ok.emu', '-O', 'out.yaml');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const j = JSON.parse(r.stdout);
    assert.equal(j.output, 'out.yaml');
    assert.equal(j.yaml, undefined, 'the YAML is in the file');
    assert.deepEqual([j.summary.users, j.summary.sensors, j.summary.files], [1, 1, ['lan.conf', 'ok.emu']]);
    assert.ok(j.notes.some((n: { kind: string; file: string; line: number }) => n.kind === 'approximated' && n.file === 'ok.emu' && n.line === 3));
    assert.equal(statSync(out).mode & 0o777, 0o600);
    parseConfig(readFileSync(out, 'utf8'), out);
  }
  const r = await ours('--json', 'import-openipmi', 'lan.conf');
  assert.equal(r.code, 0, r.stderr);
  assert.match(JSON.parse(r.stdout).yaml, /^# ipmi-sim config converted/, 'without -O the YAML is in the document');
});

test('what cannot be converted: file:line and status 78, nothing written; --lenient drops it with a note', async () => {
  const out = join(dir, 'kept.yaml');
  writeFileSync(out, 'previous\n');
  const r = await ours('import-openipmi', 'lan.conf', 'bad.emu', '-O', 'kept.yaml');
  assert.equal(r.code, 78);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'ipmi-sim import-openipmi: bad.emu:7: mc_set_power has no ipmi-sim equivalent (--lenient drops it with a warning)\n');
  assert.equal(readFileSync(out, 'utf8'), 'previous\n', 'the old file is untouched');
  const j = await ours('--json', 'import-openipmi', 'lan.conf', 'bad.emu');
  assert.equal(j.code, 78);
  assert.deepEqual(JSON.parse(j.stdout).error, { message: 'bad.emu:7: mc_set_power has no ipmi-sim equivalent (--lenient drops it with a warning)', file: 'bad.emu', line: 7 });
  const lenient = await ours('import-openipmi', 'lan.conf', 'bad.emu', '--lenient');
  assert.equal(lenient.code, 0, lenient.stderr);
  assert.match(lenient.stderr, /^bad\.emu:7: dropped: mc_set_power has no ipmi-sim equivalent$/m);
  assert.match(lenient.stdout, /^# {3}dropped: bad\.emu:7: mc_set_power/m, 'the YAML header lists it too');
});

test('a missing file names it; a missing argument is a usage error', async () => {
  const r = await ours('import-openipmi', 'lan.conf', 'gone.emu', '-O', 'never.yaml');
  assert.equal(r.code, 78);
  assert.equal(r.stderr, 'ipmi-sim import-openipmi: gone.emu: cannot read the file\n');
  assert.equal(existsSync(join(dir, 'never.yaml')), false);
  const u = await ours('import-openipmi');
  assert.equal(u.code, 64);
  assert.match(u.stderr, /missing required argument 'lan\.conf'/);
});
