// Must-show (issue 5A, #1): the real ipmitool 1.8.19 and `ipmi-sim` run the same command
// lines against the same `ipmi-sim serve`; stdout, stderr and the exit status must be equal.
// One documented normalisation: `session info` shows each process's own UDP source port
// (consolePort). Known differences, each with its reason, are asserted at the end.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, type ServeHandle } from '../helpers/serve.js';
import { havePeer, requirePeers } from '../helpers/peers.js';
import { consolePort, goldenRunner } from '../helpers/golden.js';

let bmc: ServeHandle | undefined;
const { pair, same } = goldenRunner(() => ({ port: bmc!.port, session: ['-I', 'lanplus', '-C', '17'] }));

before(async () => {
  if (havePeer('ipmitool') || process.env.CI === 'true') bmc = await startServe();
});
after(async () => {
  await bmc?.stop();
});

describe('golden: ipmitool and ipmi-sim against serve', () => {
  test('the normalisation only touches the console port', () => {
    const text = 'session handle                : 1\nconsole ip                    : 127.0.0.1\nconsole port                  : 40123\n\n';
    assert.equal(consolePort(text), text.replace('40123', 'PORT'));
    assert.equal(consolePort('1,16,1,2,ADMINISTRATOR,IPMIv2/RMCP+,0x01,127.0.0.1,00:00:00:00:00:00,44736\n'), '1,16,1,2,ADMINISTRATOR,IPMIv2/RMCP+,0x01,127.0.0.1,00:00:00:00:00:00,PORT\n');
    assert.equal(consolePort('2,admin,true,false,true,ADMINISTRATOR\n'), '2,admin,true,false,true,ADMINISTRATOR\n');
  });

  test('read commands: power, chassis, mc', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    for (const line of [
      'power status',
      'chassis power status',
      'chassis status',
      'chassis selftest',
      'chassis poh',
      'chassis restart_cause',
      'chassis policy list',
      'chassis bootparam get 0',
      'chassis bootparam get 1',
      'chassis bootparam get 2',
      'chassis bootparam get 3',
      'chassis bootparam get 4',
      'chassis bootparam get 5',
      'chassis bootparam get 6',
      'chassis bootparam get 7',
      'mc info',
      'mc guid',
      'mc guid rfc',
      'mc guid ipmi',
      'mc guid smbios',
      'mc guid dump',
      'mc selftest',
      'mc getenables',
      'mc watchdog get',
      'raw 0x06 0x01',
    ]) {
      await same(line);
    }
  });

  test('read commands: user, channel, lan, session (and -c where ipmitool has it)', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    for (const line of [
      'user list 1',
      '-c user list 1',
      'user list',
      'user summary 1',
      '-c user summary 1',
      'lan print 1',
      'lan print',
      'channel info',
      'channel info 1',
      'channel info 0',
      'channel getaccess 1',
      'channel getaccess 1 2',
      'channel getciphers ipmi',
      '-c channel getciphers ipmi',
      'channel getciphers ipmi 1',
      'channel authcap 1 4',
      'channel authcap 1 2',
    ]) {
      await same(line);
    }
    for (const line of ['session info active', '-c session info active', 'session info all', '-c session info all']) await same(line, consolePort);
  });

  test('failures: the same text on stderr and exit 1', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    for (const line of ['raw 0x06 0x99', 'chassis bootparam get 99', 'lan print 2', 'lan print 15', 'user test 2 16 wrong', 'chassis bootparam get 7 200', 'channel getaccess 1 40', 'session info id 0x1234', 'session info handle 0x09']) {
      const p = await same(line);
      assert.equal(p.ours.code, 1, line);
      assert.notEqual(p.ours.stderr + p.ours.stdout, '', line);
    }
  });

  test('power control, identify, boot device, restore policy', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    for (const line of [
      'power off',
      'power status',
      'power off',
      'power cycle', // refused while off, by both
      'power on',
      'power up',
      'power reset',
      'power diag',
      'chassis power on',
      'chassis identify 5',
      'chassis identify force',
      'chassis identify 0',
      'chassis identify',
      'chassis bootdev pxe',
      'chassis bootparam get 5',
      'chassis bootdev disk options=persistent,efiboot',
      'chassis bootparam get 5',
      'chassis bootdev cdrom clear-cmos=yes',
      'chassis bootparam get 5',
      'chassis bootdev force_bios options=verbose=yes,cons_redirect=enable,lockkbd',
      'chassis bootparam get 5',
      'chassis bootparam set bootflag force_disk',
      'chassis bootparam set bootflag force_disk options=timeout,PEF',
      'chassis bootparam get 3',
      'chassis policy always-on',
      'chassis policy always-off',
      'chassis policy previous',
      'chassis status',
      'chassis restart_cause',
    ]) {
      await same(line);
    }
    // Soft-off and cycle change the power state: each tool starts from power on.
    for (const line of ['power soft', 'power acpi', 'power cycle', 'chassis power cycle']) await same(line, undefined, ['power on']);
  });

  test('users, channel access, LAN settings, watchdog, BMC reset', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    for (const line of [
      'user set name 3 operator',
      'user set password 3 s3cret',
      'user set password 4 twentybytepassword12 20',
      'user test 3 16 s3cret',
      'user test 4 20 twentybytepassword12',
      'user priv 3 3 1',
      'user enable 3',
      'channel setaccess 1 3 ipmi=on link=on privilege=OPERATOR',
      'channel getaccess 1 3',
      'user list 1',
      'user disable 3',
      'user summary 1',
      'lan set 1 ipaddr 127.0.0.1',
      'lan set 1 netmask 255.0.0.0',
      'lan set 1 macaddr 02:00:00:00:00:01',
      'lan set 1 defgw ipaddr 10.0.0.1',
      'lan set 1 defgw macaddr 02:00:00:00:00:fe',
      'lan set 1 bakgw ipaddr 10.0.0.2',
      'lan set 1 ipsrc static',
      'lan set 1 snmp private',
      'lan set 1 vlan id 5',
      'lan set 1 vlan priority 3',
      'lan set 1 arp respond on',
      'lan set 1 arp generate on',
      'lan set 1 arp interval 4',
      'lan set 1 arp interval 0',
      'lan set 1 cipher_privs XaaaXXaaaXXaaXX',
      'lan set 1 access on',
      'lan set 1 alert on',
      'lan print 1',
      'lan set 1 vlan id off',
      'mc watchdog set timeout=20 use=sms action=none',
      'mc watchdog get',
      'mc watchdog reset',
      'mc watchdog off',
      'mc watchdog get',
      'mc reset warm',
    ]) {
      await same(line);
    }
  });

  test('documented differences from ipmitool 1.8.19 (ipmitool bugs, and exit codes)', async (t) => {
    if (!requirePeers(t, 'ipmitool')) return;
    // Usage errors: the same message, but exit 64 (EX_USAGE) where ipmitool exits 1.
    for (const line of ['user list 99', 'channel info 12', 'chassis identify 300', 'chassis bootdev disk options=bogus']) {
      const p = await pair(line.split(' '));
      assert.equal(p.ours.stderr, p.ipmitool.stderr, line);
      assert.deepEqual([p.ipmitool.code, p.ours.code], [1, 64], line);
    }
    // Insufficient privilege: ipmitool's text, exit 77 (EX_NOPERM) instead of 1.
    const priv = await pair(['-L', 'USER', 'power', 'off']);
    assert.equal(priv.ours.stderr, 'Set Chassis Power Control to Down/Off failed: Insufficient privilege level\n');
    assert.equal(priv.ours.stderr, priv.ipmitool.stderr);
    assert.deepEqual([priv.ipmitool.code, priv.ours.code], [1, 77]);
    // A failing Set Watchdog Timer: ipmitool returns the completion code, which its main()
    // turns into exit 0; we exit 1.
    const wd = await pair(['mc', 'watchdog', 'set', 'timeout=10']);
    assert.equal(wd.ours.stderr, 'Set Watchdog Timer command failed: Invalid data field in request\n');
    assert.equal(wd.ours.stderr, wd.ipmitool.stderr);
    assert.deepEqual([wd.ipmitool.code, wd.ours.code], [0, 1]);
    // mc setenables: ipmitool compares "name=on" with "name", so nothing ever matches.
    const en = await pair(['mc', 'setenables', 'system_event_log=off']);
    assert.match(en.ipmitool.stdout, /^\nNothing to change\.\.\.\n/);
    assert.match(en.ours.stdout, /^Disabling System Event Logging\n\nVerifying\.\.\.\n[^]*System Event Logging {21}: disabled\n/);
    const back = await pair(['mc', 'setenables', 'system_event_log=on']);
    assert.match(back.ours.stdout, /System Event Logging {21}: enabled\n/);
    // channel setaccess: ipmitool stores the option before looking at "off", so off never
    // switches anything off.
    await same('channel setaccess 1 5 ipmi=on link=on');
    const off = await pair(['channel', 'setaccess', '1', '5', 'ipmi=off', 'link=off']);
    assert.equal(off.ours.stdout, off.ipmitool.stdout);
    const access = await same('channel getaccess 1 5');
    assert.match(access.ours.stdout, /^Link Authentication {2}: disabled\nIPMI Messaging {7}: disabled$/m, 'ours (the second run) switched them off');
    // bootparam options=no-NAME: ipmitool compares the whole word with "no-" and rejects it.
    const no = await pair(['chassis', 'bootparam', 'set', 'bootflag', 'force_pxe', 'options=no-timeout']);
    assert.match(no.ipmitool.stderr, /^Invalid option: no-timeout$/m);
    assert.equal(no.ours.code, 0, no.ours.stderr);
    assert.match((await pair(['chassis', 'bootparam', 'get', '3'])).ours.stdout, /Don't automatically clear boot flag valid bit on timeout/);
    // lan set user: ipmitool leaves out the newline.
    const user = await pair(['lan', 'set', '1', 'user']);
    assert.equal(user.ipmitool.stdout, 'Set User Access for channel 1 was successful.');
    assert.equal(user.ours.stdout, 'Set User Access for channel 1 was successful.\n');
  });
});
