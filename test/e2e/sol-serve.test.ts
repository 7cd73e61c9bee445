// Issue 8, serve's side of the guest's serial port: `ipmi-sim serve --bmc internal` owning a
// real QEMU 7.2 guest whose command line says `-serial chardev:sol0` (ttyS0) and has no
// -chardev for it: serve adds the reconnecting socket chardev to its <state-dir>/sol.sock,
// listens before starting QEMU, and appends everything to <state-dir>/console.log
// (the harness's console reads that file). The guest runs a shell on ttyS0.
//   - the first boot's log arrives through the chardev;
//   - must-show 1: the real `ipmitool -I lanplus sol activate` on a terminal (tmux) sees the
//     boot messages (no SOL client saw them yet: replayed) and the shell prompt, a typed command
//     runs in the guest and its output comes back, `~B` then h is a SysRq (break over QMP),
//     `~.` ends it with status 0; `sol info 1` and `sol set` work;
//   - a power cycle through serve is a new QEMU: it dials the chardev again and its boot log
//     follows;
//   - serve killed (SIGKILL) and restarted while QEMU runs: QEMU redials the new serve (it
//     replaces the stale socket file) and output continues in the same console.log; what the
//     guest printed while no serve listened is gone, as QEMU drops it (sol.md §6.3).

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { E2E_BMC_YAML, powerCycle, servedVmSuite } from './steps.js';
import { GUEST_PROMPT, GUEST_SHELL } from '../helpers/guest.js';
import { requirePeers } from '../helpers/peers.js';
import { tempDir } from '../helpers/qemu.js';
import { TmuxTerminal } from '../helpers/tmux.js';

const PROMPT = new RegExp(GUEST_PROMPT.replace('#', '\\#'));
/** On a terminal screen: tmux drops the trailing blank. */
const SCREEN_PROMPT = new RegExp(GUEST_PROMPT.trimEnd().replace('#', '\\#'));

servedVmSuite('serve --bmc internal: the guest\'s ttyS0 through serve\'s SOL chardev', { mode: 'internal', bmcYaml: E2E_BMC_YAML, append: [GUEST_SHELL] }, 150_000, (step) => {
  step('serve adds the SOL chardev; the boot log reaches <state-dir>/console.log', async (v) => {
    const argv = v.qemuStarts()[0]!;
    const sock = join(v.stateDir, 'sol.sock');
    assert.ok(argv.includes(`-chardev socket,id=sol0,path=${sock},reconnect=1`), argv);
    assert.equal(argv.match(/-serial chardev:sol0/g)?.length, 1, 'the command\'s own -serial chardev:sol0 is kept, not doubled');
    assert.match(v.serve.logs(), /SOL serial port listening sol=\S+sol\.sock/);
    assert.match(v.serve.logs(), /VM serial port connected from /);
    // The listener was up before QEMU: the first line the guest printed is the first line of the log.
    await v.console.waitFor(/GUEST: ready\r\n/, 10_000);
    assert.match(v.console.text(), /^GUEST: booting \S+\r\n/);
  });

  step('ipmitool sol activate on a terminal: boot messages and the prompt, a typed command runs, ~. ends it', async (v, t) => {
    if (!requirePeers(t, 'tmux')) return;
    await v.console.waitFor(PROMPT, 20_000);
    const dir = tempDir('sol-tmux-');
    t.after(dir.remove);
    const term = await TmuxTerminal.start(dir.path, ['ipmitool', '-I', 'lanplus', '-C', '17', '-H', v.serve.host, '-p', String(v.serve.port), '-U', 'admin', '-P', 'password', 'sol', 'activate']);
    t.after(() => term.close());
    await term.waitFor(/\[SOL Session operational\.  Use ~\? for help\]/);
    // Printed before any SOL client was there: replayed on activation (sol.history.replay unseen).
    await term.waitFor(/GUEST: booting \S+\n[^]*GUEST: ready/);
    assert.match(await term.screen(), SCREEN_PROMPT);
    let from = (await term.screen()).length;
    await term.type('echo sol-$((6*7))');
    await term.press('Enter');
    await term.waitFor(/^sol-42$/m, 20_000, from);
    await term.waitFor(SCREEN_PROMPT, 10_000, from);
    // Several lines typed quickly arrive complete and in order.
    from = (await term.screen()).length;
    await term.type('for i in 1 2 3; do echo line-$i-$((i*i)); done');
    await term.press('Enter');
    const m = await term.waitFor(/line-3-9/, 20_000, from);
    assert.deepEqual((await term.screen()).slice(from).match(/^line-\d-\d$/gm), ['line-1-1', 'line-2-4', 'line-3-9'], m.input);
    // ipmitool's escapes: ~ right after a newline, then B (break: QMP chardev-send-break on
    // the raw chardev), and '.' to end. A break then 'h' is Linux's SysRq help.
    from = (await term.screen()).length;
    await term.press('Enter');
    await term.type('~B');
    await term.type('h');
    await term.waitFor(/sysrq: HELP : /, 20_000, from);
    await term.press('Enter');
    await term.type('~.');
    assert.equal(await term.exitStatus(), 0, await term.screen());
    await v.serve.waitForLog(/SOL deactivated .*reason=deactivated/, 10_000);
    // Get Payload Activation Status (SOL): capacity 2, no instance active any more.
    assert.deepEqual(await v.lan.rawBytes('0x06', '0x4a', '0x01'), [2, 0, 0]);
  });

  step('sol info 1 and sol set: the configuration parameters read and change', async (v) => {
    const info = await v.lan.ok('sol', 'info', '1');
    assert.match(info, /^Enabled\s+: true$/m);
    assert.match(info, /^Payload Port\s+: \d+$/m);
    assert.doesNotMatch(info, /not supported/i);
    assert.match(info, /^Retry Count\s+: 7$/m);
    await v.lan.ok('sol', 'set', 'retry-count', '5', '1');
    assert.match(await v.lan.ok('sol', 'info', '1'), /^Retry Count\s+: 5$/m);
    await v.lan.ok('sol', 'set', 'retry-count', '7', '1');
  });

  step('power cycle through serve: the new QEMU dials the chardev again and its boot log follows', async (v, t) => {
    const from = v.console.mark();
    await powerCycle(v, t);
    await v.console.waitFor(/GUEST: booting[^]*GUEST: ready\r\n/, 30_000, from);
    assert.equal(v.serve.logs().match(/VM serial port connected from /g)?.length, 2);
  });

  step('serve killed and restarted while QEMU runs: QEMU reconnects to the new serve, output continues', async (v, t) => {
    const pid = v.qemuPid();
    const before = v.console.text();
    await v.killServe('SIGKILL');
    // Nobody listens now: QEMU drops what the guest prints.
    await v.guest.run('echo SOL-GAP >/dev/console');
    const s = await v.startServe();
    const t0 = Date.now();
    await s.waitForLog(/removing stale socket \S+sol\.sock/, 5_000);
    await s.waitForLog(/VM serial port connected from /, 10_000);
    t.diagnostic(`QEMU reconnected ${Date.now() - t0} ms after the new serve started`);
    assert.equal(v.qemuPid(), pid, 'the same QEMU, adopted');
    const from = v.console.mark();
    await v.guest.run('echo SOL-BACK-$((2+3)) >/dev/console');
    await v.console.waitFor(/SOL-BACK-5\r\n/, 15_000, from);
    assert.ok(v.console.text().startsWith(before), 'console.log was appended to, not replaced');
    assert.doesNotMatch(v.console.text(), /SOL-GAP/, 'output while no serve listened is lost (QEMU drops it)');
  });
});
