// The standalone consoles (sol.console.mode): echo, a getty-like login with a small shell,
// expect/send scripts, none. Driven through the HostConsole API with a manual clock: output
// only ever comes from the clock, never from inside write().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/bmc/clock.js';
import { defaultSolConfig, type SolConfig, type StandaloneConsoleConfig } from '../../src/bmc/config/sol.js';
import { parseConfig } from '../../src/bmc/config/load.js';
import { createStandaloneConsole, LOGIN_FAIL_DELAY_MS, type StandaloneConsole } from '../../src/bmc/sol/standalone-console.js';

function solWith(console: Partial<StandaloneConsoleConfig>): SolConfig {
  const sol = defaultSolConfig();
  sol.console = { ...sol.console, ...console };
  return sol;
}

/** A console with one subscriber that records output and availability changes. */
function rig(sol: SolConfig, hostname = 'sim-1u') {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 34, 56));
  const con = createStandaloneConsole(sol, clock, hostname);
  let out = '';
  let lastEnd = 0;
  const availability: boolean[] = [];
  let inWrite = false;
  con.subscribe({
    output(data, end) {
      assert.equal(inWrite, false, 'output arrived from inside write()');
      assert.equal(end, lastEnd + data.length, 'offsets are contiguous');
      lastEnd = end;
      out += Buffer.from(data).toString('latin1');
    },
    availability: (a) => availability.push(a),
  });
  const type = (s: string | Uint8Array) => {
    inWrite = true;
    const n = con.write(typeof s === 'string' ? Buffer.from(s, 'latin1') : s);
    inWrite = false;
    clock.advance(0);
    return n;
  };
  clock.advance(0);
  const take = () => {
    const o = out;
    out = '';
    return o;
  };
  return { con: con as StandaloneConsole, clock, type, take, availability };
}

test('echo: characters come back, CR as CR LF; not from inside write()', () => {
  const r = rig(defaultSolConfig());
  assert.equal(r.take(), '', 'echo has no greeting');
  assert.equal(r.type('abc\r'), 4);
  assert.equal(r.take(), 'abc\r\n');
  r.type(Uint8Array.of(0x00, 0xff, 0x1b, 0x0a));
  assert.equal(r.take(), '\x00\xff\x1b\n', 'everything else unchanged, binary included');
  // History: everything printed is in the ring at its offsets.
  assert.equal(Buffer.from(r.con.since(0).data).toString('latin1'), 'abc\r\n\x00\xff\x1b\n');
  assert.equal(r.con.end, 9);
});

test('echo: input is bounded (4 KiB pending), flushInput discards what was not read yet', () => {
  const clock = new ManualClock();
  const con = createStandaloneConsole(defaultSolConfig(), clock, 'h');
  assert.equal(con.write(new Uint8Array(3000)), 3000);
  assert.equal(con.write(new Uint8Array(3000)), 1096, 'takes only what fits');
  assert.equal(con.write(new Uint8Array(10)), 0);
  con.flushInput();
  clock.advance(0);
  assert.equal(con.end, 0, 'flushed input never came back');
  assert.equal(con.write(new Uint8Array(10)), 10);
  clock.advance(0);
  assert.equal(con.end, 10);
});

test('login: banner and prompt on the first subscriber, wrong password refused after a delay, then a shell', () => {
  const r = rig(solWith({ mode: 'login', banner: 'Debian GNU/Linux 12\nWelcome\n', user: 'root', password: 's3cret' }));
  assert.equal(r.take(), '\r\nDebian GNU/Linux 12\r\nWelcome\r\n\r\nsim-1u login: ');
  // Enter alone: the prompt again, like agetty.
  r.type('\r');
  assert.equal(r.take(), '\r\nsim-1u login: ');
  r.type('root\r');
  assert.equal(r.take(), 'root\r\nPassword: ');
  r.type('wrong\r');
  assert.equal(r.take(), '\r\n', 'no echo of the password, no answer yet');
  // Typed during the delay: kept and read by the next prompt.
  r.type('ro');
  r.clock.advance(LOGIN_FAIL_DELAY_MS - 1);
  assert.equal(r.take(), '');
  r.clock.advance(1);
  assert.equal(r.take(), '\r\nLogin incorrect\r\nsim-1u login: ro');
  r.type('ot\r');
  assert.equal(r.take(), 'ot\r\nPassword: ');
  r.type('s3cret\r');
  assert.equal(r.take(), '\r\nroot@sim-1u:~# ');
  r.type('echo hello   "big world"\r');
  assert.equal(r.take(), 'echo hello   "big world"\r\nhello big world\r\nroot@sim-1u:~# ');
  r.type('uname -a\rhostname\rwhoami\rdate\rfrobnicate\r');
  assert.equal(
    r.take(),
    'uname -a\r\nLinux sim-1u 6.1.0-ipmi-sim #1 SMP x86_64 GNU/Linux\r\nroot@sim-1u:~# ' +
      'hostname\r\nsim-1u\r\nroot@sim-1u:~# ' +
      'whoami\r\nroot\r\nroot@sim-1u:~# ' +
      // One second later than the start: the wrong password's delay.
      'date\r\nThu Jan  1 12:34:57 UTC 2026\r\nroot@sim-1u:~# ' +
      'frobnicate\r\n-sh: frobnicate: command not found\r\nroot@sim-1u:~# ',
  );
});

test('login: line editing (backspace, Ctrl-U, arrow keys, CR LF), Ctrl-C, exit back to the login prompt', () => {
  const r = rig(solWith({ mode: 'login', user: 'admin', password: 'pw' }), 'node7');
  assert.equal(r.take(), '\r\nnode7 login: ');
  r.type('adx\x7fmin\r\npw\r\n');
  assert.equal(r.take(), 'adx\b \bmin\r\nPassword: \r\nadmin@node7:~$ ');
  r.type('xyz\x15ech\x1b[Do hi\r');
  assert.equal(r.take(), 'xyz\b \b\b \b\b \bech' + 'o hi\r\nhi\r\nadmin@node7:~$ ');
  r.type('sleep 100\x03');
  assert.equal(r.take(), 'sleep 100^C\r\nadmin@node7:~$ ');
  r.type('exit\r');
  assert.equal(r.take(), 'exit\r\nlogout\r\n');
  r.clock.advance(100);
  assert.equal(r.take(), '\r\nnode7 login: ');
  // A new SOL client does not reprint anything: Enter gets a prompt.
  r.con.subscribe({ output() {}, availability() {} });
  r.clock.advance(0);
  assert.equal(r.take(), '');
});

test('login: the hostname comes from sol.console.hostname, else the factory\'s (identity.systemName)', () => {
  assert.match(rig(solWith({ mode: 'login', hostname: 'web-3' }), 'sim-1u').take(), /web-3 login: $/);
});

test('script: echo, then the first rule matching the line answers', () => {
  const r = rig(solWith({ mode: 'script', banner: 'BIOS v1\n', script: [
    { expect: /^help$/, send: 'no help here\r\n> ' },
    { expect: /^boot (\w+)/, send: 'booting...\r\n' },
    { expect: /^$/, send: '> ' },
  ] }));
  assert.equal(r.take(), 'BIOS v1\r\n');
  r.type('\r');
  assert.equal(r.take(), '\r\n> ');
  r.type('help\rboot disk\rxyzzy\r');
  assert.equal(r.take(), 'help\r\nno help here\r\n> boot disk\r\nbooting...\r\nxyzzy\r\n');
});

test('script rules from YAML', () => {
  const config = parseConfig('sol:\n  console:\n    mode: script\n    script:\n      - { expect: "^ping", send: "pong\\r\\n" }\n', 't.yaml');
  const r = rig(config.sol);
  r.type('ping\r');
  assert.equal(r.take(), 'ping\r\npong\r\n');
});

test('none: takes characters, never answers', () => {
  const r = rig(solWith({ mode: 'none' }));
  assert.equal(r.type('hello\r'), 6);
  r.clock.advance(10_000);
  assert.equal(r.take(), '');
  assert.equal(r.con.end, 0);
  assert.equal(r.con.available, true);
});

test('power: off makes the port unavailable and forgets the login; on boots to the greeting again', () => {
  const r = rig(solWith({ mode: 'login', user: 'root', password: 'root' }));
  r.type('root\rroot\r');
  assert.match(r.take(), /root@sim-1u:~# $/);
  r.con.setPower(false);
  assert.equal(r.con.available, false);
  assert.equal(r.type('echo x\r'), 0, 'nothing reaches a powered-off system');
  assert.equal(r.take(), '');
  r.con.setPower(true);
  r.clock.advance(0);
  assert.equal(r.take(), '\r\nsim-1u login: ');
  assert.deepEqual(r.availability, [false, true]);
});

test('an idle standalone console allocates no history and sets no timers', () => {
  const clock = new ManualClock();
  const con = createStandaloneConsole(solWith({ mode: 'login' }), clock, 'h');
  assert.equal(con.historyAllocated, 0);
  assert.equal(clock.pendingTimers(), 0);
  con.close();
});
