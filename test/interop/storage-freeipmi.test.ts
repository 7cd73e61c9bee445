// Must-show (issue 3, #8, storage part): FreeIPMI's ipmi-sel and ipmi-fru against `ipmi-sim
// serve`, with no workaround flags and a private SDR cache directory (0700), give the same
// entries and fields ipmitool shows.
//
// Both tools build an SDR cache before anything else. While the BMC has no SDR repository
// (it comes with the sensor work) that step fails, so the tests then add --ignore-sdr-cache
// and say so on stderr; once Get SDR Repository Info answers, they use the cache.

import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../helpers/run.js';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';

const work = mkdtempSync(join(tmpdir(), 'ipmi-sim-freeipmi-storage-'));
let bmc: ServeHandle | undefined;
let sdrArgs: string[] = [];
const env = { TZ: 'UTC', LC_ALL: 'C' };

before(async () => {
  if (!(havePeer('ipmi-sel') && havePeer('ipmitool')) && process.env.CI !== 'true') return;
  bmc = await startServe();
  const cache = mkdtempSync(join(tmpdir(), 'ipmi-sim-sdr-cache-'));
  sdrArgs = ['--sdr-cache-directory', cache, '--quiet-cache'];
  const probe = await ipmitool(['raw', '0x0a', '0x20']);
  if (probe.code !== 0) {
    process.stderr.write('\n*** FreeIPMI storage tests: the BMC has no SDR repository yet; using --ignore-sdr-cache ***\n');
    sdrArgs = ['--ignore-sdr-cache'];
  }
});
after(async () => {
  await bmc?.stop();
});

function ipmitool(args: string[]) {
  return run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', 'admin', '-P', 'password', ...args], { timeoutMs: 30_000, env });
}
function freeipmi(tool: string, args: string[]) {
  return run(tool, ['-h', `127.0.0.1:${bmc!.port}`, '-u', 'admin', '-p', 'password', ...sdrArgs, ...args], { timeoutMs: 60_000, env });
}
async function ok(r: Promise<{ code: number | null; stdout: string; stderr: string }>): Promise<string> {
  const x = await r;
  assert.equal(x.code, 0, x.stderr);
  assert.equal(x.stderr, '');
  return x.stdout;
}
const peers = (t: TestContext) => requirePeers(t, 'ipmitool', 'ipmi-sel', 'ipmi-fru');

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

test('ipmi-sel lists what ipmitool sel list shows', async (t) => {
  if (!peers(t)) return;
  await ok(ipmitool(['sel', 'clear']));
  const file = join(work, 'events.txt');
  writeFileSync(file, '0x04 0x01 0xe0 0x01 0x57 0x00 0x00\n0x04 0x08 0xe1 0x6f 0x00 0x00 0x00\n0x04 0x07 0xe2 0x6f 0x01 0x00 0x00\n');
  await ok(ipmitool(['sel', 'add', file]));
  // An OEM timestamped record (C1h) through raw Add SEL Entry.
  await ok(ipmitool(['raw', '0x0a', '0x44', '0', '0', '0xc1', '0', '0', '0', '0', '0x57', '0x01', '0x00', '1', '2', '3', '4', '5', '6']));

  const list = (await ok(ipmitool(['sel', 'list']))).trim().split('\n');
  const sel = (await ok(freeipmi('ipmi-sel', []))).trim().split('\n');
  assert.match(sel[0]!, /^ID +\| Date +\| Time +\| Name +\| Type +\| Event$/);
  assert.equal(sel.length - 1, list.length);
  const expectedEvents = ['Upper Non-critical - going high', 'Presence detected', 'Thermal Trip'];
  list.forEach((line, i) => {
    const [id, date, time] = line.split('|').map((s) => s.trim());
    const cols = sel[i + 1]!.split('|').map((s) => s.trim());
    assert.equal(Number(cols[0]), parseInt(id!, 16), `record ID of ${line}`);
    const [mm, dd, yy] = date!.split('/');
    assert.equal(cols[1], `${MONTHS[Number(mm) - 1]}-${dd}-20${yy}`);
    assert.equal(cols[2], time!.replace(' UTC', ''));
    if (i < 3) assert.ok(cols[5]!.startsWith(expectedEvents[i]!), `event ${cols[5]}`);
  });
  assert.match(list[2]!, /\| Processor #0xe2 \| Thermal Trip \| Asserted$/);
  assert.match(list[3]!, /OEM record c1 \| 000157 \| 010203040506$/);
  assert.match(sel[4]!, /OEM defined = 01h 02h 03h 04h 05h 06h/);
  assert.match(sel[1]!, /\| Sensor #224 +\| Temperature +\|/);
});

test('ipmi-sel --info agrees with ipmitool sel info', async (t) => {
  if (!peers(t)) return;
  const it = await ok(ipmitool(['sel', 'info']));
  const fi = await ok(freeipmi('ipmi-sel', ['--info']));
  const entries = /^Entries +: (\d+)$/m.exec(it)![1];
  const free = /^Free Space +: (\d+) bytes/m.exec(it)![1];
  assert.match(fi, new RegExp(`^Number of log entries +: ${entries}$`, 'm'));
  assert.match(fi, new RegExp(`^Free space remaining +: ${free} bytes$`, 'm'));
  assert.match(fi, /^SEL version +: 1\.5$/m);
  for (const cmd of ['Get SEL Allocation Information', 'Reserve SEL', 'Partial Add SEL Entry', 'Delete SEL']) {
    assert.match(fi, new RegExp(`^${cmd} Command +: supported$`, 'm'));
  }
  assert.match(fi, /^Events dropped due to lack of space +: No$/m);
});

test('ipmi-sel --delete and --clear', async (t) => {
  if (!peers(t)) return;
  await ok(freeipmi('ipmi-sel', ['--delete', '2']));
  const ids = (await ok(ipmitool(['sel', 'list']))).trim().split('\n').map((l) => parseInt(l.split('|')[0]!, 16));
  assert.deepEqual(ids, [1, 3, 4]);
  await ok(freeipmi('ipmi-sel', ['--clear']));
  const r = await ipmitool(['sel', 'list']);
  assert.equal(r.stderr, 'SEL has no entries\n');
  assert.match(await ok(freeipmi('ipmi-sel', [])), /^$|^ID /);
});

test('ipmi-fru shows the fields ipmitool fru print shows', async (t) => {
  if (!peers(t)) return;
  const it = await ok(ipmitool(['fru', 'print', '0']));
  const field = (name: string) => new RegExp(`^ ${name} +: (.*)$`, 'm').exec(it)?.[1];
  const fi = await ok(freeipmi('ipmi-fru', []));
  assert.match(fi, /^FRU Inventory Device: .*\(ID 00h\)$/m);
  const pairs: [string, string][] = [
    ['FRU Chassis Type', 'Chassis Type'],
    ['FRU Chassis Part Number', 'Chassis Part Number'],
    ['FRU Chassis Serial Number', 'Chassis Serial'],
    ['FRU Board Manufacturer', 'Board Mfg'],
    ['FRU Board Product Name', 'Board Product'],
    ['FRU Board Serial Number', 'Board Serial'],
    ['FRU Board Part Number', 'Board Part Number'],
    ['FRU Product Manufacturer Name', 'Product Manufacturer'],
    ['FRU Product Name', 'Product Name'],
    ['FRU Product Part/Model Number', 'Product Part Number'],
    ['FRU Product Version', 'Product Version'],
    ['FRU Product Serial Number', 'Product Serial'],
  ];
  for (const [f, i] of pairs) {
    const v = field(i);
    assert.ok(v, `ipmitool shows ${i}`);
    assert.ok(fi.includes(`  ${f}: ${v}\n`), `ipmi-fru "${f}: ${v}" in\n${fi}`);
  }
  // Same manufacturing date: ipmitool "Mon Jan 15 08:00:00 2024 UTC", FreeIPMI "01/15/24 - 08:00:00".
  assert.equal(field('Board Mfg Date'), 'Mon Jan 15 08:00:00 2024 UTC');
  assert.match(fi, /^ {2}FRU Board Manufacturing Date\/Time: 01\/15\/24 - 08:00:00$/m);
  assert.doesNotMatch(fi, /checksum|Error/i);
});

test('bmc-config checks out and commits LAN, cipher suite and user settings', async (t) => {
  if (!requirePeers(t, 'ipmitool', 'bmc-config')) return;
  const bmcConfig = (args: string[]) => run('bmc-config', ['-h', `127.0.0.1:${bmc!.port}`, '-u', 'admin', '-p', 'password', ...args], { timeoutMs: 60_000, env });
  const lan = await bmcConfig(['--checkout', '--section', 'Lan_Conf']);
  assert.equal(lan.code, 0, lan.stderr);
  assert.match(lan.stdout, /^\tIP_Address +127\.0\.0\.1$/m);
  assert.match(lan.stdout, /^\tMAC_Address +02:00:00:00:00:01$/m);
  const privs = await bmcConfig(['--checkout', '--section', 'Rmcpplus_Conf_Privilege']);
  assert.match(privs.stdout, /^\tMaximum_Privilege_Cipher_Suite_Id_3 +Administrator$/m);
  assert.doesNotMatch(privs.stdout, /Cipher_Suite_Id_4 /, 'suite 4 is not offered');
  const commit = await bmcConfig([
    '--commit',
    '-e', 'Lan_Conf:IP_Address=192.0.2.77',
    '-e', 'Rmcpplus_Conf_Privilege:Maximum_Privilege_Cipher_Suite_Id_2=Operator',
    '-e', 'Lan_Conf_Auth:Admin_Enable_Auth_Type_MD2=No',
    '-e', 'User5:Username=frank',
    '-e', 'User5:Password=frankpw',
    '-e', 'User5:Enable_User=Yes',
    '-e', 'User5:Lan_Enable_IPMI_Msgs=Yes',
    '-e', 'User5:Lan_Privilege_Limit=Operator',
  ]);
  assert.equal(commit.code, 0, commit.stderr);
  const print = await ok(
    run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', 'frank', '-P', 'frankpw', '-L', 'OPERATOR', 'lan', 'print', '1'], { timeoutMs: 30_000, env }),
  );
  assert.match(print, /^IP Address {14}: 192\.0\.2\.77$/m);
  assert.match(print, /^ {24}: Admin {4}: MD5 PASSWORD $/m);
  assert.match(print, /^Cipher Suite Priv Max   : XaoaXXaaaXXaaXX$/m);
});
