import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { formatLibvirtXml, formatShellLine, LIBVIRT_QEMU_NS, renderArgs, shellQuote, xmlAttr } from '../../src/qemu/format.js';
import { buildIpmiArgs } from '../../src/qemu/args.js';

/** Lets /bin/sh split `line` and returns the words it saw (NUL-separated by printf). */
function shellWords(line: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

test('plain words stay unquoted', () => {
  assert.equal(shellQuote('-device'), '-device');
  assert.equal(shellQuote('socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=10'), 'socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=10');
  assert.equal(shellQuote('/usr/bin/qemu-system-x86_64'), '/usr/bin/qemu-system-x86_64');
});

test('spaces, quotes, $ and other metacharacters are single-quoted', () => {
  assert.equal(shellQuote(''), "''");
  assert.equal(shellQuote('a b'), "'a b'");
  assert.equal(shellQuote('$HOME'), "'$HOME'");
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote('say "hi"'), `'say "hi"'`);
  assert.equal(shellQuote('`id`;*'), "'`id`;*'");
  assert.equal(shellQuote('a\nb'), "'a\nb'");
  assert.equal(shellQuote('~user'), "'~user'");
});

test('formatShellLine: the shell splits the line back into the same words', () => {
  const argv = ['qemu-system-x86_64', '-append', 'console=ttyS0 guest.run=$(reboot)', '-name', "vm 'one'", '', 'a\\b', 'x"y', 'tab\there', 'new\nline', '!', '#c', 'é'];
  assert.deepEqual(shellWords(formatShellLine(argv)), argv);
});

test('formatShellLine round-trips arbitrary strings through /bin/sh', () => {
  // One shell per batch: each fast-check sample is a whole argv.
  const samples = fc.sample(fc.array(fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', '')), { maxLength: 6 }), 60);
  const all = samples.flat();
  assert.deepEqual(shellWords(formatShellLine(all)), all);
});

test('xmlAttr escapes markup characters and line breaks', () => {
  assert.equal(xmlAttr(`a&b<c>d'e"f`), 'a&amp;b&lt;c&gt;d&apos;e&quot;f');
  assert.equal(xmlAttr('x\ty\nz\r'), 'x&#9;y&#10;z&#13;');
  assert.equal(xmlAttr('&amp;'), '&amp;amp;');
  assert.throws(() => xmlAttr('bell\u0007'), RangeError);
});

test('libvirt fragment for the §4.1 external BMC example', () => {
  const { args } = buildIpmiArgs({ bmc: 'external', chardev: { host: '127.0.0.1', port: 9002 }, reconnect: 10 });
  assert.equal(
    formatLibvirtXml(args),
    `<!-- needs xmlns:qemu='${LIBVIRT_QEMU_NS}' on the <domain> element -->
<qemu:commandline>
  <qemu:arg value='-chardev'/>
  <qemu:arg value='socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=10'/>
  <qemu:arg value='-device'/>
  <qemu:arg value='ipmi-bmc-extern,id=bmc0,chardev=ipmi0'/>
  <qemu:arg value='-device'/>
  <qemu:arg value='isa-ipmi-kcs,bmc=bmc0'/>
</qemu:commandline>
`,
  );
});

test('libvirt domain wrapper declares the qemu namespace on <domain>', () => {
  const { args } = buildIpmiArgs({ bmc: 'internal' });
  assert.equal(
    formatLibvirtXml(args, { domain: true, name: 'vm1' }),
    `<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>vm1</name>
  <!-- ... the usual <os>, <devices>, etc. ... -->
  <qemu:commandline>
    <qemu:arg value='-device'/>
    <qemu:arg value='ipmi-bmc-sim,id=bmc0'/>
    <qemu:arg value='-device'/>
    <qemu:arg value='isa-ipmi-kcs,bmc=bmc0'/>
  </qemu:commandline>
</domain>
`,
  );
});

test('libvirt values are escaped', () => {
  const xml = formatLibvirtXml(['ipmi-bmc-sim,id=bmc0,sdrfile=/tmp/<a&b>\'s.bin'], { domain: true, domainType: 'qemu' });
  assert.match(xml, /<domain type='qemu' /);
  assert.match(xml, /value='ipmi-bmc-sim,id=bmc0,sdrfile=\/tmp\/&lt;a&amp;b&gt;&apos;s\.bin'/);
});

test('renderArgs: shell (with the program), json (the argv), libvirt', () => {
  const { args } = buildIpmiArgs({ bmc: 'internal', sdrfile: '/tmp/my sdr.bin' });
  assert.equal(renderArgs(args, 'shell', { program: 'qemu-system-x86_64' }), "qemu-system-x86_64 -device 'ipmi-bmc-sim,id=bmc0,sdrfile=/tmp/my sdr.bin' -device isa-ipmi-kcs,bmc=bmc0\n");
  assert.equal(renderArgs(args, 'shell'), "-device 'ipmi-bmc-sim,id=bmc0,sdrfile=/tmp/my sdr.bin' -device isa-ipmi-kcs,bmc=bmc0\n");
  assert.deepEqual(JSON.parse(renderArgs(args, 'json', { program: 'ignored' })), args);
  assert.equal(renderArgs(args, 'libvirt', { program: 'ignored' }), formatLibvirtXml(args));
});
