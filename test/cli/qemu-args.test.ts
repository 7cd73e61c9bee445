// `ipmi-sim qemu-args` as a user runs it: option plumbing, output formats and exit codes, with
// golden lines for every reconnect syntax (QEMU ≤ 9.1 reconnect=, 9.2-10.1 and ≥ 10.2
// reconnect-ms=; qemu-ipmi.md §4), --json, --libvirt (§4.1) and the config-driven internal BMC.
// That QEMU 7.2 accepts what it prints is test/e2e/qemu-args.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/run.js';

const EXTERN = '-device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-kcs,bmc=bmc0';

async function out(...args: string[]): Promise<string> {
  const r = await cli(['qemu-args', ...args]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout;
}

test('reconnect syntax follows --qemu-version: reconnect= up to 9.1, reconnect-ms= from 9.2', async () => {
  for (const [version, reconnect] of [
    ['7.2', 'reconnect=10'],
    ['9.1', 'reconnect=10'],
    ['9.2', 'reconnect-ms=10000'],
    ['10.1', 'reconnect-ms=10000'],
    ['10.2', 'reconnect-ms=10000'],
    ['11.0', 'reconnect-ms=10000'],
  ]) {
    assert.equal(await out('--qemu-version', version!), `-chardev socket,id=ipmi0,host=127.0.0.1,port=9002,${reconnect} ${EXTERN}\n`, version);
  }
});

test('10.x golden lines: TCP, Unix socket, BT, listen, no reconnect', async () => {
  assert.equal(
    await out('--qemu-version', '10.2', '--extern', '127.0.0.1:9100', '--reconnect', '2'),
    `-chardev socket,id=ipmi0,host=127.0.0.1,port=9100,reconnect-ms=2000 ${EXTERN}\n`,
  );
  assert.equal(
    await out('--qemu-version', '10.2', '--extern', '/run/ipmi-sim/vm1.sock'),
    `-chardev socket,id=ipmi0,path=/run/ipmi-sim/vm1.sock,reconnect-ms=10000 ${EXTERN}\n`,
  );
  // A path with a space is one shell word.
  assert.equal(
    await out('--qemu-version', '10.1', '--extern', '/run/my vms/vm1.sock', '--interface', 'bt'),
    "-chardev 'socket,id=ipmi0,path=/run/my vms/vm1.sock,reconnect-ms=10000' -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-bt,bmc=bmc0\n",
  );
  // QEMU listens, the BMC dials in: no reconnect (QEMU refuses it on server sockets).
  assert.equal(
    await out('--qemu-version', '10.2', '--listen', '--extern', '127.0.0.1:9010'),
    `-chardev socket,id=ipmi0,host=127.0.0.1,port=9010,server=on,wait=off ${EXTERN}\n`,
  );
  const r = await cli(['qemu-args', '--qemu-version', '10.2', '--reconnect', '0']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, `-chardev socket,id=ipmi0,host=127.0.0.1,port=9002 ${EXTERN}\n`);
  assert.match(r.stderr, /^warning: an external BMC on a client socket needs reconnect/);
});

test('--json prints the argv array (also as a global option before the command)', async () => {
  const argv = ['-chardev', 'socket,id=ipmi0,path=/tmp/x.sock,reconnect-ms=10000', '-device', 'ipmi-bmc-extern,id=bmc0,chardev=ipmi0', '-device', 'isa-ipmi-kcs,bmc=bmc0'];
  assert.deepEqual(JSON.parse(await out('--json', '--qemu-version', '10.2', '--extern', '/tmp/x.sock')), argv);
  const r = await cli(['--json', 'qemu-args', '--qemu-version', '10.2', '--extern', '/tmp/x.sock']);
  assert.deepEqual(JSON.parse(r.stdout), argv);
  assert.deepEqual(JSON.parse(await out('--json', '--qemu-version', '7.2', '--bmc', 'internal', '--interface', 'ssif')), ['-device', 'ipmi-bmc-sim,id=bmc0', '-device', 'smbus-ipmi,bmc=bmc0,address=0x10']);
});

test('--libvirt prints a <qemu:commandline> fragment and names the namespace it needs', async () => {
  assert.equal(
    await out('--libvirt', '--qemu-version', '10.2'),
    `<!-- needs xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0' on the <domain> element -->
<qemu:commandline>
  <qemu:arg value='-chardev'/>
  <qemu:arg value='socket,id=ipmi0,host=127.0.0.1,port=9002,reconnect-ms=10000'/>
  <qemu:arg value='-device'/>
  <qemu:arg value='ipmi-bmc-extern,id=bmc0,chardev=ipmi0'/>
  <qemu:arg value='-device'/>
  <qemu:arg value='isa-ipmi-kcs,bmc=bmc0'/>
</qemu:commandline>
`,
  );
});

test('internal BMC: identity options, PCI address', async () => {
  assert.equal(
    await out('--qemu-version', '7.2', '--bmc', 'internal', '--interface', 'pci-bt', '--pci-addr', '6', '--fwrev', '1.23', '--mfg-id', '0x1291', '--product-id', '0xf02', '--device-rev', '3', '--guid', '01234567-89ab-cdef-0123-456789abcdef'),
    '-device ipmi-bmc-sim,id=bmc0,mfg_id=0x1291,product_id=0xf02,fwrev1=1,fwrev2=0x23,device_rev=3,guid=01234567-89ab-cdef-0123-456789abcdef -device pci-ipmi-bt,bmc=bmc0,addr=6\n',
  );
});

test('internal BMC from a config: identity properties, the SDR and FRU images written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qemu-args-'));
  try {
    const config = join(dir, 'bmc.yaml');
    writeFileSync(
      config,
      `identity: { manufacturerId: 0x1291, productId: 0xf02, firmware: "2.05", deviceRevision: 1, deviceGuid: 01234567-89ab-cdef-0123-456789abcdef }
sensors:
  - { name: Inlet, number: 1, type: temperature, unit: degrees C, range: [0, 255], value: 20 }
fru:
  - { id: 0, board: { manufacturer: ACME, productName: Board } }
`,
    );
    const sdr = join(dir, 'sdr.bin');
    const fru = join(dir, 'fru.bin');
    assert.equal(
      await out('--qemu-version', '7.2', '--bmc', 'internal', '--config', config, '--write-sdr', sdr, '--write-fru', fru),
      `-device ipmi-bmc-sim,id=bmc0,mfg_id=0x1291,product_id=0xf02,fwrev1=2,fwrev2=0x5,device_rev=1,guid=01234567-89ab-cdef-0123-456789abcdef,sdrfile=${sdr},frudatafile=${fru},fruareasize=256 -device isa-ipmi-kcs,bmc=bmc0\n`,
    );
    // Back-to-back SDR records (header byte 4 = body length), as QEMU's sdrfile= reads them.
    const records: number[] = [];
    const image = readFileSync(sdr);
    for (let o = 0; o < image.length; o += 5 + image[o + 4]!) records.push(image[o + 3]!);
    assert.deepEqual(records, [0x01, 0x12], 'a full sensor record and an MC locator');
    // One 256-byte FRU area starting with the common header (format version 1, checksum 0).
    const f = readFileSync(fru);
    assert.equal(f.length, 256);
    assert.equal(f[0], 0x01);
    assert.equal(f.subarray(0, 8).reduce((a, b) => a + b, 0) & 0xff, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--sol adds the guest serial port for SOL after the BMC (reconnect every second, ttyS0)', async () => {
  assert.equal(
    await out('--qemu-version', '7.2', '--extern', '/run/vm1/bmc.sock', '--sol', '/run/vm1/sol.sock'),
    '-chardev socket,id=ipmi0,path=/run/vm1/bmc.sock,reconnect=10 -device ipmi-bmc-extern,id=bmc0,chardev=ipmi0 -device isa-ipmi-kcs,bmc=bmc0 ' +
      '-chardev socket,id=sol0,path=/run/vm1/sol.sock,reconnect=1 -serial chardev:sol0\n',
  );
  assert.equal(
    await out('--qemu-version', '10.2', '--bmc', 'internal', '--sol', '127.0.0.1:9102'),
    '-device ipmi-bmc-sim,id=bmc0 -device isa-ipmi-kcs,bmc=bmc0 -chardev socket,id=sol0,host=127.0.0.1,port=9102,reconnect-ms=1000 -serial chardev:sol0\n',
  );
  const r = await cli(['qemu-args', '--qemu-version', '7.2', '--sol', 'nowhere']);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /chardev endpoint "nowhere" is neither host:port nor a Unix socket path/);
});

test('errors: exit 64 for usage, 78 for a bad config, and a hint when probing fails', async () => {
  let r = await cli(['qemu-args', '--json', '--libvirt', '--qemu-version', '7.2']);
  assert.equal(r.code, 64);
  assert.equal(r.stderr, 'ipmi-sim qemu-args: --json and --libvirt are exclusive\n');
  r = await cli(['qemu-args', '--qemu-version', '10.2', '--listen', '--reconnect', '3']);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /reconnect cannot be combined with listen/);
  r = await cli(['qemu-args', '--qemu', '/nonexistent/qemu-system-x86_64']);
  assert.equal(r.code, 64);
  assert.match(r.stderr, /give --qemu-version X\.Y to skip probing/);
  r = await cli(['qemu-args', '--qemu-version', '7.2', '--bmc', 'internal', '--config', '/nonexistent/bmc.yaml']);
  assert.equal(r.code, 78);
});
