import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildIpmiArgs, buildSolArgs, parseChardevEndpoint, QemuArgsError, qemuOptValue, type IpmiArgsOptions, type SolArgsOptions } from '../../src/qemu/args.js';

/** The builder's words joined with spaces, to compare against the lines in qemu-ipmi.md §4. */
function line(opts: IpmiArgsOptions): string {
  return buildIpmiArgs(opts).args.join(' ');
}

/** The spec's multi-line shell snippets, with continuation backslashes and newlines removed. */
function spec(text: string): string {
  return text.replace(/\\\n/g, ' ').trim().split(/\s+/).join(' ');
}

function problems(opts: IpmiArgsOptions): readonly string[] {
  try {
    buildIpmiArgs(opts);
  } catch (e) {
    assert.ok(e instanceof QemuArgsError, String(e));
    return e.problems;
  }
  assert.fail('expected a QemuArgsError');
}

const TCP = { host: '127.0.0.1', port: 9002 } as const;

// --- golden lines, qemu-ipmi.md §4 --------------------------------------------------------------

test('§4.1 internal BMC + KCS', () => {
  assert.equal(
    line({ bmc: 'internal' }),
    spec(`-device ipmi-bmc-sim,id=bmc0 \\
      -device isa-ipmi-kcs,bmc=bmc0`),
  );
});

test('§4.1 internal BMC with identity, GUID, SDR and FRU files', () => {
  const opts: IpmiArgsOptions = {
    bmc: 'internal',
    mfgId: 0x1291,
    productId: 0xf02,
    fwrev1: 1,
    fwrev2: 0x23,
    deviceRev: 3,
    guid: '01234567-89ab-cdef-0123-456789abcdef',
    sdrfile: 'sdr.bin',
    frudatafile: 'fru.bin',
    fruareasize: 256,
  };
  const r = buildIpmiArgs(opts);
  assert.equal(
    r.args[1],
    'ipmi-bmc-sim,id=bmc0,mfg_id=0x1291,product_id=0xf02,fwrev1=1,fwrev2=0x23,device_rev=3,guid=01234567-89ab-cdef-0123-456789abcdef,sdrfile=sdr.bin,frudatafile=fru.bin,fruareasize=256',
  );
  assert.deepEqual(r.warnings, []);
});

test('§4.2 external BMC over TCP with reconnect, QEMU <= 9.1 syntax', () => {
  const expected = spec(`-chardev socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=10 \\
    -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 \\
    -device isa-ipmi-kcs,bmc=bmc0`);
  for (const qemuVersion of ['7.2', '7.2.22', '9.1.3', '2.12']) {
    assert.equal(line({ bmc: 'external', chardev: TCP, reconnect: 10, qemuVersion }), expected, qemuVersion);
  }
  // Without a version the builder targets Debian 12's 7.2.
  assert.equal(line({ bmc: 'external', chardev: TCP, reconnect: 10 }), expected);
});

test('§4.2 external BMC over TCP with reconnect, QEMU >= 9.2 syntax', () => {
  const expected = spec(`-chardev socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect-ms=10000 \\
    -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 \\
    -device isa-ipmi-kcs,bmc=bmc0`);
  // 9.2-10.1 accept both spellings; reconnect-ms is preferred there, and the only one from 10.2.
  for (const qemuVersion of ['9.2', '10.1.1', '10.2', '10.2.50', '11.0']) {
    assert.equal(line({ bmc: 'external', chardev: TCP, reconnect: 10, qemuVersion }), expected, qemuVersion);
  }
});

test('§4.2 Unix socket, both syntaxes', () => {
  const path = '/run/vbmc/vm1.sock';
  assert.equal(
    line({ bmc: 'external', chardev: { path }, reconnect: 10, qemuVersion: '7.2' }),
    '-chardev socket,id=ipmi0,path=/run/vbmc/vm1.sock,reconnect=10 -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-kcs,bmc=bmc0',
  );
  assert.equal(
    buildIpmiArgs({ bmc: 'external', chardev: { path }, reconnect: 10, qemuVersion: '10.2' }).args[1],
    'socket,id=ipmi0,path=/run/vbmc/vm1.sock,reconnect-ms=10000',
  );
});

test('§4.2 QEMU as the listener (BMC dials in)', () => {
  assert.equal(
    buildIpmiArgs({ bmc: 'external', chardev: TCP, listen: true }).args[1],
    'socket,id=ipmi0,host=127.0.0.1,port=9002,server=on,wait=off',
  );
});

test('external BMC on a client socket without reconnect: refused up to 7.2 (QEMU crashes), warned after', () => {
  assert.match(problems({ bmc: 'external', chardev: TCP }).join(), /needs reconnect \(or listen\).*SIGSEGV/);
  assert.match(problems({ bmc: 'external', chardev: TCP, reconnect: 0, qemuVersion: '7.2' }).join(), /needs reconnect/);
  const later = buildIpmiArgs({ bmc: 'external', chardev: TCP, qemuVersion: '8.0' });
  assert.equal(later.args[1], 'socket,id=ipmi0,host=127.0.0.1,port=9002');
  assert.match(later.warnings.join(), /crashes QEMU 7\.2/);
});

test('§4.3 BT variant', () => {
  assert.equal(line({ bmc: 'internal', interface: 'bt' }), '-device ipmi-bmc-sim,id=bmc0 -device isa-ipmi-bt,bmc=bmc0');
  assert.equal(
    line({ bmc: 'external', interface: 'bt', chardev: TCP, reconnect: 10 }),
    '-chardev socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=10 -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-bt,bmc=bmc0',
  );
});

test('§4.4 PCI variants, with and without addr', () => {
  assert.equal(line({ bmc: 'internal', interface: 'pci-kcs' }), '-device ipmi-bmc-sim,id=bmc0 -device pci-ipmi-kcs,bmc=bmc0');
  assert.equal(line({ bmc: 'internal', interface: 'pci-bt' }), '-device ipmi-bmc-sim,id=bmc0 -device pci-ipmi-bt,bmc=bmc0');
  assert.equal(buildIpmiArgs({ bmc: 'internal', interface: 'pci-kcs', pciAddr: '0x6' }).args[3], 'pci-ipmi-kcs,bmc=bmc0,addr=0x6');
  assert.equal(buildIpmiArgs({ bmc: 'internal', interface: 'pci-bt', pciAddr: '06.0' }).args[3], 'pci-ipmi-bt,bmc=bmc0,addr=06.0');
});

test('§4.5 SSIF variant gets address 0x10 unless told otherwise', () => {
  assert.equal(line({ bmc: 'internal', interface: 'ssif' }), '-device ipmi-bmc-sim,id=bmc0 -device smbus-ipmi,bmc=bmc0,address=0x10');
  assert.equal(buildIpmiArgs({ bmc: 'internal', interface: 'ssif', address: 0x42 }).args[3], 'smbus-ipmi,bmc=bmc0,address=0x42');
  const zero = buildIpmiArgs({ bmc: 'internal', interface: 'ssif', address: 0 });
  assert.equal(zero.args[3], 'smbus-ipmi,bmc=bmc0,address=0x0');
  assert.match(zero.warnings.join('\n'), /general-call/);
});

test('§4.6 PowerNV-style external BMC with BT on irq 10 (>= 9.2 syntax)', () => {
  assert.equal(
    line({ bmc: 'external', interface: 'bt', irq: 10, chardev: { host: 'localhost', port: 9002 }, reconnect: 10, qemuVersion: '9.2' }),
    '-chardev socket,id=ipmi0,host=localhost,port=9002,reconnect-ms=10000 -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-bt,bmc=bmc0,irq=10',
  );
});

test('ISA ioport/irq overrides and slave_addr', () => {
  assert.equal(
    line({ bmc: 'internal', ioport: 0xca8, irq: 0, slaveAddr: 0x22, bmcId: 'b1' }),
    '-device ipmi-bmc-sim,id=b1,slave_addr=0x22 -device isa-ipmi-kcs,bmc=b1,ioport=0xca8,irq=0',
  );
  assert.equal(
    line({ bmc: 'external', chardev: TCP, chardevId: 'c1', slaveAddr: 0x22, reconnect: 1 }),
    '-chardev socket,id=c1,host=127.0.0.1,port=9002,reconnect=1 -device ipmi-bmc-extern,id=bmc0,chardev=c1,slave_addr=0x22 -device isa-ipmi-kcs,bmc=bmc0',
  );
});

// --- reconnect syntax choice -------------------------------------------------------------------

test('explicit reconnect syntax inside the 9.2-10.1 window, refused outside it', () => {
  const base = { bmc: 'external', chardev: TCP, reconnect: 5 } as const;
  assert.equal(buildIpmiArgs({ ...base, qemuVersion: '9.2', reconnectSyntax: 'reconnect' }).args[1], 'socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect=5');
  assert.equal(buildIpmiArgs({ ...base, qemuVersion: '10.1', reconnectSyntax: 'reconnect-ms' }).args[1], 'socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect-ms=5000');
  assert.match(problems({ ...base, qemuVersion: '10.2', reconnectSyntax: 'reconnect' }).join(), /removed in QEMU 10\.2/);
  assert.match(problems({ ...base, qemuVersion: '7.2', reconnectSyntax: 'reconnect-ms' }).join(), /reconnect-ms needs QEMU >= 9\.2 \(target is 7\.2\.0\)/);
});

test('fractional reconnect intervals need reconnect-ms', () => {
  assert.equal(buildIpmiArgs({ bmc: 'external', chardev: TCP, reconnect: 1.5, qemuVersion: '10.2' }).args[1], 'socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect-ms=1500');
  assert.match(problems({ bmc: 'external', chardev: TCP, reconnect: 1.5, qemuVersion: '7.2' }).join(), /whole seconds/);
  assert.match(problems({ bmc: 'external', chardev: TCP, reconnect: -1 }).join(), /reconnect must be/);
});

// --- refusals and warnings ---------------------------------------------------------------------

test('ioport and irq are refused on PCI and SSIF interfaces', () => {
  assert.deepEqual(problems({ bmc: 'internal', interface: 'pci-kcs', irq: 5 }), [
    "pci-ipmi-kcs has no 'irq' property (a PCI device gets its I/O BAR and INTA from the PCI bus)",
  ]);
  assert.match(problems({ bmc: 'internal', interface: 'pci-bt', ioport: 0xe4 }).join(), /pci-ipmi-bt has no 'ioport'/);
  assert.equal(problems({ bmc: 'internal', interface: 'ssif', ioport: 0xca2, irq: 5 }).length, 2);
  assert.match(problems({ bmc: 'internal', interface: 'kcs', pciAddr: '0x6' }).join(), /isa-ipmi-kcs has no 'addr'/);
  assert.match(problems({ bmc: 'internal', interface: 'bt', address: 0x10 }).join(), /isa-ipmi-bt has no 'address'/);
});

test('ISA irq above 15 and ports past 0xffff are refused (QEMU would abort or wrap)', () => {
  assert.match(problems({ bmc: 'internal', irq: 16 }).join(), /irq must be an integer in 0\.\.0xf/);
  assert.match(problems({ bmc: 'internal', ioport: 0xffff }).join(), /ioport must be an integer in 0\.\.0xfffe/);
  assert.match(problems({ bmc: 'internal', interface: 'bt', ioport: 0xfffd }).join(), /0\.\.0xfffc/);
  assert.match(problems({ bmc: 'internal', ioport: 1.5 }).join(), /ioport/);
});

test('version gates: each feature is refused before the release that added it', () => {
  assert.match(problems({ bmc: 'internal', guid: 'auto', qemuVersion: '4.1' }).join(), /^guid needs QEMU >= 4\.2 \(target is 4\.1\.0\)$/);
  assert.ok(buildIpmiArgs({ bmc: 'internal', guid: 'auto', qemuVersion: '4.2' }));
  for (const iface of ['pci-kcs', 'pci-bt', 'ssif'] as const) {
    assert.match(problems({ bmc: 'internal', interface: iface, qemuVersion: '4.1.1' }).join(), /needs QEMU >= 4\.2/);
  }
  assert.match(problems({ bmc: 'internal', sdrfile: 's', qemuVersion: '2.9' }).join(), /sdrfile needs QEMU >= 2\.10/);
  assert.match(problems({ bmc: 'internal', frudatafile: 'f', fruareasize: 512, qemuVersion: '2.9' }).join(), /frudatafile.*fruareasize/s);
  for (const key of ['deviceRev', 'fwrev1', 'fwrev2', 'mfgId', 'productId', 'deviceId', 'ipmiVersion'] as const) {
    assert.match(problems({ bmc: 'internal', [key]: 1, qemuVersion: '2.11' }).join(), /needs QEMU >= 2\.12/, key);
    assert.ok(buildIpmiArgs({ bmc: 'internal', [key]: 1, qemuVersion: '2.12' }), key);
  }
  assert.match(problems({ bmc: 'internal', qemuVersion: '2.5' }).join(), /ipmi-bmc-sim needs QEMU >= 2\.6/);
});

test('all problems are reported at once', () => {
  const p = problems({ bmc: 'internal', interface: 'pci-kcs', irq: 5, guid: 'nope', qemuVersion: '4.1' });
  assert.equal(p.length, 4, p.join('\n'));
  assert.match(p.join('\n'), /pci-ipmi-kcs needs QEMU >= 4\.2/);
  assert.match(p.join('\n'), /guid needs/);
  assert.match(p.join('\n'), /guid must be a UUID/);
  assert.match(p.join('\n'), /no 'irq'/);
});

test('device_id and ipmi_version are passed through with a warning (QEMU ignores them)', () => {
  const r = buildIpmiArgs({ bmc: 'internal', deviceId: 0x55, ipmiVersion: 0x51 });
  assert.equal(r.args[1], 'ipmi-bmc-sim,id=bmc0,device_id=0x55,ipmi_version=0x51');
  assert.equal(r.warnings.length, 2);
  assert.match(r.warnings[0]!, /device_id has no effect/);
  assert.match(r.warnings[1]!, /ipmi_version has no effect/);
});

test('values QEMU masks produce warnings', () => {
  const r = buildIpmiArgs({ bmc: 'internal', fwrev1: 0x80, deviceRev: 0x10, mfgId: 0x1000000 });
  assert.equal(r.warnings.length, 3);
  assert.match(problems({ bmc: 'internal', fwrev1: 0x100 }).join(), /fwrev1 must be an integer in 0\.\.0xff/);
  assert.match(problems({ bmc: 'internal', productId: 0x10000 }).join(), /0\.\.0xffff/);
});

test('fruareasize 0 is refused (QEMU 7.2 dies of a division by zero)', () => {
  assert.match(problems({ bmc: 'internal', fruareasize: 0 }).join(), /fruareasize must be at least 1/);
});

test('options of the other BMC kind are refused', () => {
  const p = problems({ bmc: 'external', chardev: TCP, sdrfile: 'x', mfgId: 1, reconnect: 1 });
  assert.equal(p.length, 2);
  assert.match(p.join('\n'), /sdrfile is a property of the internal BMC only/);
  assert.match(p.join('\n'), /mfg_id is a property of the internal BMC only/);
  assert.match(problems({ bmc: 'internal', chardev: TCP }).join(), /chardev applies to the external BMC only/);
  assert.match(problems({ bmc: 'internal', reconnect: 10 }).join(), /reconnect applies to the external BMC only/);
  assert.match(problems({ bmc: 'external' }).join(), /needs a chardev endpoint/);
});

test('listen and reconnect are mutually exclusive', () => {
  assert.match(problems({ bmc: 'external', chardev: TCP, listen: true, reconnect: 10 }).join(), /reconnect cannot be combined with listen/);
});

test('endpoint checks: port range, Unix path length, non-loopback warning', () => {
  assert.match(problems({ bmc: 'external', chardev: { host: '127.0.0.1', port: 0 }, reconnect: 1 }).join(), /port must be 1\.\.65535/);
  assert.match(problems({ bmc: 'external', chardev: { host: 'a,b', port: 1 }, reconnect: 1 }).join(), /not a host name/);
  assert.match(problems({ bmc: 'external', chardev: { path: `/tmp/${'x'.repeat(110)}` }, reconnect: 1 }).join(), /limit is 107/);
  const w = buildIpmiArgs({ bmc: 'external', chardev: { host: '192.0.2.1', port: 9002 }, reconnect: 1 });
  assert.match(w.warnings.join(), /not loopback/);
  assert.deepEqual(buildIpmiArgs({ bmc: 'external', chardev: { host: '::1', port: 9002 }, reconnect: 1 }).warnings, []);
});

test('commas inside file names are doubled (QemuOpts escaping)', () => {
  assert.equal(qemuOptValue('a,b,,c'), 'a,,b,,,,c');
  assert.equal(buildIpmiArgs({ bmc: 'internal', sdrfile: '/tmp/a,b/sdr.bin' }).args[1], 'ipmi-bmc-sim,id=bmc0,sdrfile=/tmp/a,,b/sdr.bin');
  assert.equal(buildIpmiArgs({ bmc: 'external', chardev: { path: '/tmp/x,y.sock' }, listen: true }).args[1], 'socket,id=ipmi0,path=/tmp/x,,y.sock,server=on,wait=off');
});

test('bad ids, kinds, interfaces and versions are refused', () => {
  assert.match(problems({ bmc: 'internal', bmcId: '0bmc' }).join(), /not a valid QEMU id/);
  assert.match(problems({ bmc: 'external', chardev: TCP, chardevId: 'a b', reconnect: 1 }).join(), /not a valid QEMU id/);
  assert.match(problems({ bmc: 'nope' as 'internal' }).join(), /bmc must be one of internal, external/);
  assert.match(problems({ bmc: 'internal', interface: 'smic' as 'kcs' }).join(), /interface must be one of kcs, bt, pci-kcs, pci-bt, ssif/);
  assert.match(problems({ bmc: 'internal', qemuVersion: 'latest' }).join(), /invalid QEMU version/);
  assert.match(problems({ bmc: 'internal', guid: '' }).join(), /guid must not be empty/);
});

test('parseChardevEndpoint: host:port, [v6]:port, unix:PATH and paths', () => {
  assert.deepEqual(parseChardevEndpoint('127.0.0.1:9002'), { host: '127.0.0.1', port: 9002 });
  assert.deepEqual(parseChardevEndpoint('localhost:623'), { host: 'localhost', port: 623 });
  assert.deepEqual(parseChardevEndpoint('[::1]:9002'), { host: '::1', port: 9002 });
  assert.deepEqual(parseChardevEndpoint('unix:vm1.sock'), { path: 'vm1.sock' });
  assert.deepEqual(parseChardevEndpoint('/run/vbmc/vm1.sock'), { path: '/run/vbmc/vm1.sock' });
  assert.deepEqual(parseChardevEndpoint('./vm1.sock'), { path: './vm1.sock' });
  for (const bad of ['9002', 'host', '::1:9002', 'host:port', '']) {
    assert.throws(() => parseChardevEndpoint(bad), QemuArgsError, bad);
  }
  // The port range is checked by the builder, with the other problems.
  assert.match(problems({ bmc: 'external', chardev: parseChardevEndpoint('127.0.0.1:99999'), reconnect: 1 }).join(), /port must be 1\.\.65535/);
});

// --- the guest serial port for SOL (sol.md §6.5) ------------------------------------------------

function solProblems(opts: SolArgsOptions): readonly string[] {
  try {
    buildSolArgs(opts);
  } catch (e) {
    assert.ok(e instanceof QemuArgsError, String(e));
    return e.problems;
  }
  assert.fail('expected a QemuArgsError');
}

test('SOL: a reconnecting client chardev on ttyS0, spelled per QEMU version; no mux, no monitor', () => {
  assert.deepEqual(buildSolArgs({ endpoint: { path: '/run/vm1/sol.sock' } }).args, ['-chardev', 'socket,id=sol0,path=/run/vm1/sol.sock,reconnect=1', '-serial', 'chardev:sol0']);
  assert.deepEqual(buildSolArgs({ endpoint: { host: '127.0.0.1', port: 9102 }, qemuVersion: '9.2' }).args, ['-chardev', 'socket,id=sol0,host=127.0.0.1,port=9102,reconnect-ms=1000', '-serial', 'chardev:sol0']);
  assert.deepEqual(buildSolArgs({ endpoint: { path: '/a,b.sock' }, qemuVersion: '10.2', reconnect: 2, serial: false }).args, ['-chardev', 'socket,id=sol0,path=/a,,b.sock,reconnect-ms=2000']);
  assert.deepEqual(buildSolArgs({ endpoint: { host: '10.1.1.1', port: 9 } }).warnings, ["chardev host 10.1.1.1 is not loopback: anyone who reaches it reads and types on the guest's console"]);
  for (const a of [buildSolArgs({ endpoint: { path: '/x' } }).args, buildSolArgs({ endpoint: TCP, qemuVersion: '11.0' }).args]) {
    assert.doesNotMatch(a.join(' '), /mux|mon:|server|telnet/);
  }
});

test('SOL: reconnect is required, ids and paths are checked', () => {
  assert.match(solProblems({ endpoint: TCP, reconnect: 0 }).join(), /SOL reconnect must be a number of seconds > 0/);
  assert.match(solProblems({ endpoint: TCP, reconnect: 1.5 }).join(), /takes whole seconds/);
  assert.match(solProblems({ endpoint: TCP, id: '1sol' }).join(), /not a valid QEMU id/);
  assert.match(solProblems({ endpoint: { path: `/${'x'.repeat(120)}` } }).join(), /limit is 107/);
  assert.match(solProblems({ endpoint: { host: '127.0.0.1', port: 0 } }).join(), /port must be 1\.\.65535/);
});
