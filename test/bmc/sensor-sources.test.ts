// Sensor value sources on a manual clock: waveforms, files polled through an injected I/O, and
// how a reading written over IPMI overrides them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/bmc/config/load.js';
import { ManualClock } from '../../src/bmc/clock.js';
import { SeededRng } from '../../src/bmc/rng.js';
import { parseSourceText, randomWalkStep, waveformAt, type SensorSourceIo } from '../../src/bmc/state/sensor-sources.js';
import { testBmc, type TestBmc } from '../helpers/bmc.js';

const SE = 0x04;
const bmcWith = (yaml: string) => testBmc(parseConfig(yaml, 'test.yaml'));
const reading = (t: TestBmc, n = 1) => t.raw(SE, 0x2d, [n]).data;

/** Resolves pending promise callbacks (the fake file reads). */
const settle = () => new Promise<void>((r) => setImmediate(r));

class FakeFiles implements SensorSourceIo {
  files = new Map<string, string>();
  reads: string[] = [];
  /** When set, reads wait until release() is called. */
  hold = false;
  private waiting: (() => void)[] = [];
  readFile(path: string): Promise<string> {
    this.reads.push(path);
    const answer = () => {
      const text = this.files.get(path);
      if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return text;
    };
    if (!this.hold) return Promise.resolve().then(answer);
    return new Promise((resolve, reject) => this.waiting.push(() => (this.files.has(path) ? resolve(answer()) : reject(Object.assign(new Error('x'), { code: 'ENOENT' })))));
  }
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

test('waveform shapes', () => {
  assert.deepEqual([0, 10, 20, 30, 40].map((ms) => waveformAt('ramp', 20, 60, 40, ms)), [20, 30, 40, 50, 20]);
  assert.deepEqual([0, 10, 20, 30, 40].map((ms) => waveformAt('triangle', 20, 60, 40, ms)), [20, 40, 60, 40, 20]);
  assert.deepEqual([0, 10, 20, 30].map((ms) => Math.round(waveformAt('sine', 20, 60, 40, ms) * 1e9) / 1e9), [40, 60, 40, 20]);
  assert.deepEqual([0, 19, 20, 39].map((ms) => waveformAt('square', 20, 60, 40, ms)), [60, 60, 20, 20]);
});

test('random walk stays within bounds and steps at most `step`', () => {
  const rng = new SeededRng(7);
  let v = 50;
  const seen = new Set<number>();
  for (let i = 0; i < 2000; i++) {
    const next = randomWalkStep(v, 40, 60, 2, rng);
    assert.ok(next >= 40 && next <= 60, `${next}`);
    assert.ok(Math.abs(next - v) <= 2 + 1e-9);
    seen.add(Math.round(next));
    v = next;
  }
  assert.ok(seen.has(40) || seen.has(41), 'reaches the low end');
  assert.ok(seen.has(60) || seen.has(59), 'reaches the high end');
});

test('parseSourceText takes the first number', () => {
  assert.equal(parseSourceText('42.5\n'), 42.5);
  assert.equal(parseSourceText('temp=41000 mC'), 41000);
  assert.equal(parseSourceText('-3e2'), -300);
  assert.equal(parseSourceText('0x1f'), 0x1f);
  assert.equal(parseSourceText('n/a'), undefined);
});

test('a ramp sensor follows the clock and crosses its thresholds with events', () => {
  const t = bmcWith(`
sensors:
  - name: Ramp
    type: temperature
    unit: degrees C
    range: [0, 255]
    thresholds: { ucr: 45 }
    source: { waveform: ramp, min: 20, max: 60, period: 40, interval: 10 }
`);
  const seen = [reading(t)[0]];
  for (let i = 0; i < 4; i++) {
    t.clock.advance(10_000);
    seen.push(reading(t)[0]);
  }
  assert.deepEqual(seen, [20, 30, 40, 50, 20]);
  const sel = t.bmc.sel.entries.map((e) => [e.record[12]! >> 7, e.record[13], e.record[14]]);
  assert.deepEqual(sel, [
    [0, 0x59, 50],
    [1, 0x59, 20],
  ]);
});

test('a random-walk sensor is reproducible with a seeded RNG', () => {
  const yaml = `
sensors:
  - name: Walk
    type: fan
    unit: RPM
    range: [0, 25500]
    source: { waveform: random-walk, min: 4000, max: 6000, step: 500, interval: 1 }
`;
  const run = () => {
    const t = bmcWith(yaml);
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      out.push(reading(t)[0]!);
      t.clock.advance(1000);
    }
    return out;
  };
  const a = run();
  assert.deepEqual(a, run());
  assert.ok(a.every((r) => r >= 40 && r <= 60), a.join(' '));
  assert.ok(new Set(a).size > 3);
});

test('a file source is polled at its interval through the injected I/O', async () => {
  const t = bmcWith(`
sensors:
  - name: Board Temp
    type: temperature
    unit: degrees C
    range: [0, 127]
    thresholds: { ucr: 60 }
    source: { file: /sys/temp, interval: 1, scale: 0.001 }
`);
  // Before the I/O is attached: reading unavailable.
  assert.deepEqual(reading(t), [0, 0xe0, 0x00]);
  const io = new FakeFiles();
  io.files.set('/sys/temp', '41500\n');
  t.bmc.sensors.attachIo(io);
  await settle();
  assert.deepEqual(reading(t), [83, 0xc0, 0x00], '41.5 °C in 0.5 °C counts');
  io.files.set('/sys/temp', '61000');
  t.clock.advance(999);
  await settle();
  assert.equal(reading(t)[0], 83, 'not before the interval');
  t.clock.advance(1);
  await settle();
  assert.deepEqual(reading(t), [122, 0xc0, 0x10]);
  assert.equal(t.bmc.sel.entries.length, 1, 'UCR going high');
  assert.deepEqual(io.reads.length, 2);

  // The file disappears: unavailable, one warning however often it fails.
  io.files.delete('/sys/temp');
  t.clock.advance(3000);
  await settle();
  assert.equal(reading(t)[1], 0xe0);
  assert.equal(t.log.lines.filter((l) => l.level === 'warn').length, 1);
  assert.match(t.log.lines.find((l) => l.level === 'warn')!.msg, /sensor "Board Temp": cannot read \/sys\/temp: ENOENT/);
  io.files.set('/sys/temp', 'garbage');
  t.clock.advance(1000);
  await settle();
  assert.match(t.log.lines.filter((l) => l.level === 'warn').at(-1)!.msg, /no number in \/sys\/temp/);
  t.bmc.sensors.stop();
});

test('a slow file system does not pile up reads', async () => {
  const t = bmcWith(`
sensors:
  - name: Slow
    type: voltage
    unit: Volts
    range: [0, 15]
    source: { file: /slow, interval: 1 }
`);
  const io = new FakeFiles();
  io.files.set('/slow', '12');
  io.hold = true;
  t.bmc.sensors.attachIo(io);
  t.clock.advance(5000);
  await settle();
  assert.equal(io.reads.length, 1);
  io.release();
  await settle();
  assert.equal(reading(t)[0], 120);
  t.clock.advance(1000);
  assert.equal(io.reads.length, 2);
});

test('a reading set over IPMI overrides the source until the source changes', async () => {
  const t = bmcWith(`
sensors:
  - name: Fixed
    type: temperature
    unit: degrees C
    range: [0, 255]
    value: 40
  - name: FromFile
    type: temperature
    unit: degrees C
    range: [0, 255]
    source: { file: /t, interval: 1 }
  - name: Wave
    type: temperature
    unit: degrees C
    range: [0, 255]
    source: { waveform: ramp, min: 0, max: 100, period: 100, interval: 1 }
`);
  const io = new FakeFiles();
  io.files.set('/t', '30');
  t.bmc.sensors.attachIo(io);
  await settle();
  for (const n of [1, 2, 3]) t.raw(SE, 0x30, [n, 0x01, 99]);
  t.clock.advance(1000);
  await settle();
  assert.deepEqual([1, 2, 3].map((n) => reading(t, n)[0]), [99, 99, 1], 'fixed and unchanged file hold; the waveform moved on');
  io.files.set('/t', '31');
  t.clock.advance(1000);
  await settle();
  assert.equal(reading(t, 2)[0], 31, 'the file changed: the source is back');
  t.clock.advance(60_000);
  assert.equal(reading(t, 1)[0], 99, 'a fixed value never comes back by itself');
});

test('without attached I/O a file sensor stays unavailable; timers stop on stop()', () => {
  const clock = new ManualClock();
  // chassis power off: no power-on-hours timer, so every pending timer is a sensor's.
  const t = testBmc(parseConfig('chassis: { power: off }\nsensors:\n  - { name: W, type: fan, unit: RPM, range: [0, 25500], source: { waveform: sine, period: 10 } }\n  - { name: F, type: fan, unit: RPM, range: [0, 25500], source: { file: /x } }\n', 't.yaml'), undefined, clock);
  assert.equal(reading(t, 2)[1], 0xe0);
  // Other subsystems keep timers of their own: count the waveform's.
  const before = clock.pendingTimers();
  t.bmc.sensors.stop();
  assert.equal(before - clock.pendingTimers(), 1, 'the waveform tick; the file source never started');
});

test('a discrete sensor reads its state mask from a file; states written over IPMI hold until it changes', async () => {
  const t = bmcWith(`
sensors:
  - name: PSU1 Status
    type: power supply
    source: { file: /psu, interval: 1 }
`);
  const io = new FakeFiles();
  io.files.set('/psu', '1');
  t.bmc.sensors.attachIo(io);
  await settle();
  assert.deepEqual(reading(t), [0, 0xc0, 0x01, 0x00]);
  assert.equal(t.bmc.sel.entries.length, 0, 'the first value is the starting state');
  // Failure detected, written over LAN, survives polls of the unchanged file.
  t.raw(SE, 0x30, [1, 0x20, 0, 0x02, 0x00]);
  t.clock.advance(3000);
  await settle();
  assert.deepEqual(reading(t), [0, 0xc0, 0x03, 0x00]);
  io.files.set('/psu', '0x09');
  t.clock.advance(1000);
  await settle();
  assert.deepEqual(reading(t), [0, 0xc0, 0x09, 0x00]);
  // Assert failure (LAN), then the file: failure deasserted, AC lost asserted.
  assert.deepEqual(
    t.bmc.sel.entries.map((e) => [e.record[12]! >> 7, e.record[13]]),
    [
      [0, 0x01],
      [1, 0x01],
      [0, 0x03],
    ],
  );
  t.bmc.sensors.stop();
});
