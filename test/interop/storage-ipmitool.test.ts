// Must-show (issue 3, #4, #6, #7): the real ipmitool 1.8.19 against `ipmi-sim serve` for the
// SEL, FRU, users, channel and LAN settings, and the same state after a restart on the same
// --state-dir. Output is compared as ipmitool prints it (TZ=UTC, LC_ALL=C: dates MM/DD/YY).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFru, encodeFru } from '../../src/ipmi/fru/format.js';
import { run } from '../helpers/run.js';
import { defaultConfigWithUsers, startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';

const work = mkdtempSync(join(tmpdir(), 'ipmi-sim-storage-'));
const stateDir = join(work, 'state');
// User management needs free slots: the default with only its admin user.
const config = defaultConfigWithUsers(work);
let bmc: ServeHandle | undefined;
const wanted = havePeer('ipmitool') || process.env.CI === 'true';

before(async () => {
  if (wanted) bmc = await startServe(['--config', config, '--state-dir', stateDir]);
});
after(async () => {
  await bmc?.stop();
});

/** Stops serve (SIGTERM) and starts it again on the same state directory. */
async function restart(): Promise<void> {
  await bmc!.stop();
  bmc = await startServe(['--config', config, '--state-dir', stateDir]);
}

interface Creds {
  user?: string;
  password?: string;
  extra?: string[];
}
function ipmitool(args: string[], creds: Creds = {}) {
  return run('ipmitool', ['-I', 'lanplus', '-H', '127.0.0.1', '-p', String(bmc!.port), '-U', creds.user ?? 'admin', '-P', creds.password ?? 'password', ...(creds.extra ?? []), ...args], {
    timeoutMs: 30_000,
    env: { TZ: 'UTC', LC_ALL: 'C' },
  });
}
async function ok(args: string[], creds?: Creds): Promise<string> {
  const r = await ipmitool(args, creds);
  assert.equal(r.code, 0, `ipmitool ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** ipmitool says so on stderr, with nothing on stdout. */
async function assertEmpty(): Promise<void> {
  const r = await ipmitool(['sel', 'list']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'SEL has no entries\n');
}

const DATE = String.raw`\d\d/\d\d/\d\d`;
const TIME = String.raw`\d\d:\d\d:\d\d UTC`;

describe('ipmitool sel', () => {
  test('sel clear, then sel info on the empty log', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok(['sel', 'clear']), 'Clearing SEL.  Please allow a few seconds to erase.\n');
    const info = await ok(['sel', 'info']);
    const lines = info.split('\n');
    assert.deepEqual(lines.slice(0, 5), ['SEL Information', 'Version          : 1.5 (v1.5, v2 compliant)', 'Entries          : 0', 'Free Space       : 8192 bytes ', 'Percent Used     : 0%']);
    assert.match(lines[5]!, new RegExp(`^Last Add Time    : (Not Available|${DATE} ${TIME})$`));
    assert.match(lines[6]!, new RegExp(`^Last Del Time    : ${DATE} ${TIME}$`));
    assert.deepEqual(lines.slice(7), [
      'Overflow         : false',
      "Supported Cmds   : 'Delete' 'Partial Add' 'Reserve' 'Get Alloc Info' ",
      '# of Alloc Units : 512',
      'Alloc Unit Size  : 16',
      '# Free Units     : 512',
      'Largest Free Blk : 512',
      'Max Record Size  : 1',
      '',
    ]);
    await assertEmpty();
  });

  test('sel time set / get', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    // ipmitool 1.8.19 parses the locale's "%x %X": MM/DD/YY HH:MM:SS under LC_ALL=C.
    const set = await ok(['sel', 'time', 'set', '01/02/24 03:04:05']);
    assert.match(set, /^01\/02\/24 03:04:0[56] UTC\n$/);
    assert.match(await ok(['sel', 'time', 'get']), /^01\/02\/24 03:04:\d\d UTC\n$/);
  });

  test('sel add FILE, sel list, sel elist, sel get', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    // Sensor numbers no SDR of the default config uses, so elist keeps "#0x..".
    const file = join(work, 'events.txt');
    writeFileSync(file, '# evmrev type num dir/type data1 data2 data3\n0x04 0x01 0xe0 0x01 0x57 0x00 0x00\n0x04 0x08 0xe1 0x6f 0x00 0x00 0x00 # presence\n');
    // ipmitool prints each event as it sends it (ID 0, no timestamp yet).
    assert.equal(
      await ok(['sel', 'add', file]),
      '   0 |  Pre-Init  |0000000000| Temperature #0xe0 | Upper Non-critical going high | Asserted\n' +
        '   0 |  Pre-Init  |0000000000| Power Supply #0xe1 | Presence detected | Asserted\n',
    );
    const list = await ok(['sel', 'list']);
    assert.match(
      list,
      new RegExp(
        `^   1 \\| 01/02/24 \\| 03:04:\\d\\d UTC \\| Temperature #0xe0 \\| Upper Non-critical going high \\| Asserted\n` +
          `   2 \\| 01/02/24 \\| 03:04:\\d\\d UTC \\| Power Supply #0xe1 \\| Presence detected \\| Asserted\n$`,
      ),
    );
    const elist = await ipmitool(['sel', 'elist']);
    assert.equal(elist.stdout, list, 'no SDR names these sensors: elist prints the list lines');
    const get = await ok(['sel', 'get', '1']);
    const lines = get.split('\n');
    assert.equal(lines[0], 'SEL Record ID          : 0001');
    assert.equal(lines[1], ' Record Type           : 02');
    assert.match(lines[2]!, /^ Timestamp {13}: 01\/02\/24 /);
    assert.deepEqual(lines.slice(3, 12), [
      ' Generator ID          : 0041',
      ' EvM Revision          : 04',
      ' Sensor Type           : Temperature',
      ' Sensor Number         : e0',
      ' Event Type            : Threshold',
      ' Event Direction       : Assertion Event',
      ' Event Data            : 570000',
      ' Description           : Upper Non-critical going high',
      '',
    ]);
    const info = await ok(['sel', 'info']);
    assert.match(info, /^Entries {10}: 2$/m);
    assert.match(info, /^Free Space {7}: 8160 bytes $/m);
    assert.match(info, /^Last Add Time    : 01\/02\/24 03:04:\d\d UTC$/m);
  });

  test('sel delete, a missing entry, and sel clear', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok(['sel', 'delete', '1']), 'Deleted entry 1\n');
    const gone = await ipmitool(['sel', 'get', '1']);
    assert.match(gone.stderr, /Get SEL Entry 1 command failed: Requested sensor, data, or record not found/);
    assert.match(await ok(['sel', 'list']), /^ {3}2 \| .* Presence detected \| Asserted\n$/);
  });

  test('the SEL and its clock survive a restart', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const before = await ok(['sel', 'list']);
    await restart();
    assert.equal(await ok(['sel', 'list']), before);
    assert.match(await ok(['sel', 'time', 'get']), /^01\/02\/24 03:0\d:\d\d UTC\n$/);
    await ok(['sel', 'clear']);
    await assertEmpty();
  });
});

const DEFAULT_FRU = `FRU Device Description : Builtin FRU Device (ID 0)
 Chassis Type          : Rack Mount Chassis
 Chassis Part Number   : SIM-CHS-1U
 Chassis Serial        : SIMCHS0001
 Board Mfg Date        : Mon Jan 15 08:00:00 2024 UTC
 Board Mfg             : ipmi-sim
 Board Product         : SIM-1U Mainboard
 Board Serial          : SIMBRD0001
 Board Part Number     : SIM-MB-100
 Product Manufacturer  : ipmi-sim
 Product Name          : Simulated 1U Server
 Product Part Number   : SIM-1U
 Product Version       : 1.0
 Product Serial        : SIM0000001
`;

describe('ipmitool fru', () => {
  test('fru print shows the configured chassis, board and product fields', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    // `fru print` also walks the SDR repository's FRU locators; device 0 comes first.
    const r = await ipmitool(['fru', 'print']);
    assert.ok(r.stdout.startsWith(DEFAULT_FRU + '\n'), r.stdout);
    assert.equal(await ok(['fru', 'print', '0']), DEFAULT_FRU.split('\n').slice(1).join('\n'));
    const missing = await ipmitool(['fru', 'print', '7']);
    assert.match(missing.stdout, /^ Device not present \(Requested sensor, data, or record not found\)$/m);
  });

  test('fru read, fru write of a changed product area, read-back after a restart', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const original = join(work, 'fru0.bin');
    assert.match(await ok(['fru', 'read', '0', original]), /^Fru Size {9}: 256 bytes\nDone\n$/);
    const image = new Uint8Array(readFileSync(original));
    const { fru } = decodeFru(image);
    fru.product!.serialNumber = 'CHANGED-0042';
    fru.product!.assetTag = 'ASSET-7';
    const changed = new Uint8Array(256);
    changed.set(encodeFru(fru));
    const file = join(work, 'fru0-new.bin');
    writeFileSync(file, changed);
    assert.match(await ok(['fru', 'write', '0', file]), /^Fru Size {9}: 256 bytes\nSize to Write {4}: 256 bytes\n$/);
    await restart();
    const back = join(work, 'fru0-back.bin');
    await ok(['fru', 'read', '0', back]);
    assert.deepEqual(new Uint8Array(readFileSync(back)), changed);
    const print = await ok(['fru', 'print', '0']);
    assert.match(print, /^ Product Serial {8}: CHANGED-0042$/m);
    assert.match(print, /^ Product Asset Tag {5}: ASSET-7$/m);
    assert.match(print, /^ Board Serial {10}: SIMBRD0001$/m);
  });

  test('fru edit rewrites one field in place', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.match(await ok(['fru', 'edit', '0', 'field', 'b', '2', 'BRD-EDIT-9']), /Updating Field 'SIMBRD0001' with 'BRD-EDIT-9'/);
    assert.match(await ok(['fru', 'print', '0']), /^ Board Serial {10}: BRD-EDIT-9$/m);
  });
});

describe('ipmitool user, channel, lan', () => {
  test('user list 1', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const lines = (await ok(['user', 'list', '1'])).split('\n');
    assert.equal(lines[0], 'ID  Name\t     Callin  Link Auth\tIPMI Msg   Channel Priv Limit');
    assert.equal(lines[1], '1                    true    false      false      NO ACCESS');
    assert.equal(lines[2], '2   admin            true    false      true       ADMINISTRATOR');
    assert.equal(lines[3], '3                    true    false      false      NO ACCESS');
  });

  test('user set name / password, user priv, user enable, then a USER session with the new password', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok(['user', 'set', 'name', '3', 'bob']), '');
    assert.equal(await ok(['user', 'set', 'password', '3', 'bobs-secret']), 'Set User Password command successful (user 3)\n');
    assert.equal(await ok(['user', 'priv', '3', '2', '1']), 'Set Privilege Level command successful (user 3)\n');
    // IPMI messaging is a separate per-channel bit (Set User Access bit 4), off for a new user.
    assert.equal(await ok(['channel', 'setaccess', '1', '3', 'ipmi=on']), 'Set User Access (channel 1 id 3) successful.\n');
    assert.equal(await ok(['user', 'enable', '3']), '');
    assert.match(await ok(['user', 'list', '1']), /^3 {3}bob {14}true {4}false {6}true {7}USER$/m);
    const bob = { user: 'bob', password: 'bobs-secret' };
    assert.match(await ok(['mc', 'info'], { ...bob, extra: ['-L', 'USER'] }), /^Device ID {17}: 32$/m);
    // ipmitool asks for ADMINISTRATOR by default: a USER-limited account cannot have it.
    const admin = await ipmitool(['mc', 'info'], bob);
    assert.equal(admin.code, 1);
    assert.match(admin.stderr, /Unable to establish IPMI v2 \/ RMCP\+ session/);
    // USER may read but not change the user table.
    const denied = await ipmitool(['user', 'set', 'name', '4', 'eve'], { ...bob, extra: ['-L', 'USER'] });
    assert.equal(denied.code, 1);
    assert.equal(denied.stderr, 'Set User Name command failed (user 4, name eve): Insufficient privilege level\n');
    const clear = await ipmitool(['sel', 'clear'], { ...bob, extra: ['-L', 'USER'] });
    assert.equal(clear.stderr, 'Unable to clear SEL: Insufficient privilege level\n');
    assert.match(await ok(['user', 'list', '1']), /^4 {20}true/m, 'user 4 unchanged');
    const wrong = await ipmitool(['mc', 'info'], { user: 'bob', password: 'nope', extra: ['-L', 'USER'] });
    assert.equal(wrong.code, 1);
  });

  test('user test with 16- and 20-byte passwords', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok(['user', 'test', '3', '16', 'bobs-secret']), 'Success\n');
    const bad = await ipmitool(['user', 'test', '3', '16', 'wrong']);
    assert.match(bad.stdout + bad.stderr, /Failure: password incorrect/);
    assert.equal(await ok(['user', 'set', 'password', '4', 'twenty-byte-pass-19', '20']), 'Set User Password command successful (user 4)\n');
    assert.equal(await ok(['user', 'test', '4', '20', 'twenty-byte-pass-19']), 'Success\n');
    const size = await ipmitool(['user', 'test', '4', '16', 'twenty-byte-pass-19']);
    assert.match(size.stdout + size.stderr, /Failure: wrong password size/);
  });

  test('user disable locks the account out', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(await ok(['user', 'disable', '3']), '');
    const r = await ipmitool(['mc', 'info'], { user: 'bob', password: 'bobs-secret', extra: ['-L', 'USER'] });
    assert.equal(r.code, 1);
    await ok(['user', 'enable', '3']);
  });

  test('channel info', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    assert.equal(
      await ok(['channel', 'info', '1']),
      `Channel 0x1 info:
  Channel Medium Type   : 802.3 LAN
  Channel Protocol Type : IPMB-1.0
  Session Support       : multi-session
  Active Session Count  : 1
  Protocol Vendor ID    : 7154
  Volatile(active) Settings
    Alerting            : enabled
    Per-message Auth    : enabled
    User Level Auth     : enabled
    Access Mode         : always available
  Non-Volatile Settings
    Alerting            : enabled
    Per-message Auth    : enabled
    User Level Auth     : enabled
    Access Mode         : always available
`,
    );
  });

  test('lan print 1 prints every line ipmi_sim prints, plus ARP control', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const r = await ipmitool(['lan', 'print', '1']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      `Set in Progress         : Set Complete
Auth Type Support       : NONE MD2 MD5 PASSWORD 
Auth Type Enable        : Callback : MD2 MD5 PASSWORD 
                        : User     : MD2 MD5 PASSWORD 
                        : Operator : MD2 MD5 PASSWORD 
                        : Admin    : MD2 MD5 PASSWORD 
                        : OEM      : 
IP Address Source       : Static Address
IP Address              : 127.0.0.1
Subnet Mask             : 255.0.0.0
MAC Address             : 02:00:00:00:00:01
SNMP Community String   : public
IP Header               : TTL=0x40 Flags=0x40 Precedence=0x00 TOS=0x10
BMC ARP Control         : ARP Responses Enabled, Gratuitous ARP Disabled
Gratituous ARP Intrvl   : 2.0 seconds
Default Gateway IP      : 0.0.0.0
Default Gateway MAC     : 00:00:00:00:00:00
Backup Gateway IP       : 0.0.0.0
Backup Gateway MAC      : 00:00:00:00:00:00
802.1q VLAN ID          : Disabled
802.1q VLAN Priority    : 0
RMCP+ Cipher Suites     : 1,2,3,6,7,8,11,12,15,16,17
Cipher Suite Priv Max   : XaaaXXaaaXXaaXX
                        :     X=Cipher Suite Unused
                        :     c=CALLBACK
                        :     u=USER
                        :     o=OPERATOR
                        :     a=ADMIN
                        :     O=OEM
Bad Password Threshold  : 5
Invalid password disable: yes
Attempt Count Reset Int.: 300
User Lockout Interval   : 60
`,
    );
  });

  test('lan set ipaddr, netmask, macaddr, defgw, ipsrc, arp, vlan, access, auth', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    const started = Date.now();
    assert.equal(await ok(['lan', 'set', '1', 'ipaddr', '192.0.2.10']), 'Setting LAN IP Address to 192.0.2.10\n');
    assert.equal(await ok(['lan', 'set', '1', 'netmask', '255.255.255.0']), 'Setting LAN Subnet Mask to 255.255.255.0\n');
    assert.equal(await ok(['lan', 'set', '1', 'macaddr', '02:11:22:33:44:55']), 'Setting LAN MAC Address to 02:11:22:33:44:55\n');
    assert.equal(await ok(['lan', 'set', '1', 'defgw', 'ipaddr', '192.0.2.1']), 'Setting LAN Default Gateway IP to 192.0.2.1\n');
    assert.equal(await ok(['lan', 'set', '1', 'ipsrc', 'dhcp']), '');
    assert.equal(await ok(['lan', 'set', '1', 'arp', 'respond', 'off']), 'Disabling BMC-generated ARP responses\n');
    assert.equal(await ok(['lan', 'set', '1', 'vlan', 'id', '42']), '');
    assert.equal(await ok(['lan', 'set', '1', 'access', 'on']), 'Set Channel Access for channel 1 was successful.\n');
    assert.equal(await ok(['lan', 'set', '1', 'auth', 'admin', 'md5']), '');
    // ipmitool reads each value back and retries for ~30 s on a mismatch: all of this is quick.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    const print = await ok(['lan', 'print', '1']);
    for (const line of [
      'IP Address Source       : DHCP Address',
      'IP Address              : 192.0.2.10',
      'Subnet Mask             : 255.255.255.0',
      'MAC Address             : 02:11:22:33:44:55',
      'Default Gateway IP      : 192.0.2.1',
      'BMC ARP Control         : ARP Responses Disabled, Gratuitous ARP Disabled',
      '802.1q VLAN ID          : 42',
      '                        : Admin    : MD5 ',
    ]) {
      assert.ok(print.includes(line + '\n'), `missing "${line}" in\n${print}`);
    }
    // The auth type enables are the channel's: v1.5 ADMINISTRATOR sessions now need MD5.
    assert.equal((await ipmitool(['mc', 'guid'], { extra: ['-I', 'lan', '-A', 'MD5'] })).code, 0);
    assert.equal((await ipmitool(['mc', 'guid'], { extra: ['-I', 'lan', '-A', 'PASSWORD'] })).code, 1);
  });

  test('cipher_privs limits the cipher suites the channel offers', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    await ok(['lan', 'set', '1', 'cipher_privs', 'XXXaXXXXXXXXXXX']);
    assert.match(await ok(['lan', 'print', '1']), /^Cipher Suite Priv Max   : XXXaXXXXXXXXXXX$/m);
    const ciphers = await ok(['channel', 'getciphers', 'ipmi', '1']);
    assert.deepEqual(
      ciphers
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((l) => Number(l.split(/\s+/)[0])),
      [17, 3, 16],
    );
    assert.equal((await ipmitool(['mc', 'guid'], { extra: ['-C', '3'] })).code, 0);
    const refused = await ipmitool(['mc', 'guid'], { extra: ['-C', '1'] });
    assert.equal(refused.code, 1);
  });

  test('users, channel access and LAN settings survive a restart', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    await restart();
    assert.match(await ok(['user', 'list', '1']), /^3 {3}bob {14}true {4}false {6}true {7}USER$/m);
    assert.match(await ok(['mc', 'info'], { user: 'bob', password: 'bobs-secret', extra: ['-L', 'USER'] }), /^Device ID/m);
    assert.equal(await ok(['user', 'test', '4', '20', 'twenty-byte-pass-19']), 'Success\n');
    const print = await ok(['lan', 'print', '1']);
    assert.match(print, /^IP Address {14}: 192\.0\.2\.10$/m);
    assert.match(print, /^802\.1q VLAN ID {10}: 42$/m);
    assert.match(print, /^Cipher Suite Priv Max   : XXXaXXXXXXXXXXX$/m);
    assert.match(print, /^Set in Progress {9}: Set Complete$/m);
  });
});
