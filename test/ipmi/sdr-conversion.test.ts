import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  chooseFactors,
  conversionFactors,
  hysteresisToUnits,
  isNonLinear,
  rawRange,
  rawToSigned,
  rawToUnits,
  resolution,
  toleranceToUnits,
  unitsToHysteresis,
  unitsToRaw,
  type ConversionFactors,
} from '../../src/ipmi/sdr/conversion.js';
import { formatFixed } from '../../src/ipmi/printf.js';
import { fullSensor } from './sdr-corpus.js';

const linear = (m: number, b = 0, bExp = 0, rExp = 0, analogDataFormat = 0): ConversionFactors => ({ m, b, bExp, rExp, linearization: 0, analogDataFormat });

test('raw bytes read per analog data format', () => {
  assert.deepEqual([0x00, 0x7f, 0x80, 0xff].map((r) => rawToSigned(r, 0)), [0, 127, 128, 255]);
  // One's complement: 0x80 = -127, 0xFE = -1 and 0xFF ("-0") = 0, as ipmitool and FreeIPMI read it.
  assert.deepEqual([0x00, 0x7f, 0x80, 0xfe, 0xff].map((r) => rawToSigned(r, 1)), [0, 127, -127, -1, 0]);
  assert.deepEqual([0x00, 0x7f, 0x80, 0xff].map((r) => rawToSigned(r, 2)), [0, 127, -128, -1]);
  assert.equal(rawToSigned(0x10, 3), undefined);
  assert.deepEqual([0, 1, 2, 3].map(rawRange), [[0, 255], [-127, 127], [-128, 127], [0, 255]]);
});

// Values ipmitool 1.8.19 printed for these factors (test/interop: `-v sdr get`, `sel elist`).
test('raw → units reproduces what ipmitool prints', () => {
  const rail = linear(63, 0, 0, -3);
  assert.equal(formatFixed(rawToUnits(205, rail)!, 3), '12.915');
  assert.equal(formatFixed(rawToUnits(170, rail)!, 3), '10.710');
  assert.equal(formatFixed(rawToUnits(190, rail)!, 3), '11.970');
  const inlet = linear(5, -4, 1, -1, 2); // (5x - 40) / 10, two's complement
  assert.equal(rawToUnits(0xf3, inlet), -10.5);
  assert.equal(rawToUnits(0xec, inlet), -14);
  assert.equal(rawToUnits(90, inlet), 41);
  const energy = linear(125, 0, 0, -3, 1); // one's complement
  assert.equal(rawToUnits(0x80, energy), -15.875);
  assert.equal(rawToUnits(0x85, energy), -15.25);
  assert.equal(rawToUnits(0x10, linear(1, 0, 0, 0, 3)), undefined);
});

test('linearizations apply after the linear formula', () => {
  const f = (linearization: number): ConversionFactors => ({ ...linear(1), linearization });
  const cases: [number, number, number][] = [
    [0x01, 10, Math.log(10)],
    [0x02, 100, 2],
    [0x03, 8, 3],
    [0x04, 2, Math.exp(2)],
    [0x05, 3, 1000],
    [0x06, 10, 1024],
    [0x07, 4, 0.25],
    [0x08, 12, 144],
    [0x09, 3, 27],
    [0x0a, 81, 9],
    [0x0b, 125, 5],
    [0x70, 7, 7], // non-linear: factors come from Get Sensor Reading Factors, L not applied
    [0x7f, 7, 7],
    [0x20, 7, 7], // reserved codes are linear, as in ipmitool
  ];
  for (const [code, raw, want] of cases) assert.ok(Math.abs(rawToUnits(raw, f(code))! - want) < 1e-9, `L=${code}`);
  assert.equal(isNonLinear(0x70), true);
  assert.equal(isNonLinear(0x0b), false);
});

test('units → raw rounds to nearest and clamps to the format', () => {
  const rail = linear(63, 0, 0, -3);
  assert.equal(unitsToRaw(12.9, rail), 205); // 204.76: ipmitool also sends 205 (checked in interop)
  assert.equal(unitsToRaw(12.71, rail), 202);
  assert.equal(unitsToRaw(1000, rail), 255);
  assert.equal(unitsToRaw(-5, rail), 0);
  const inlet = linear(5, -4, 1, -1, 2);
  assert.equal(unitsToRaw(-10.5, inlet), 0xf3);
  assert.equal(unitsToRaw(-1000, inlet), 0x80);
  assert.equal(unitsToRaw(1000, inlet), 0x7f);
  const ones = linear(1, 0, 0, 0, 1);
  assert.equal(unitsToRaw(-1, ones), 0xfe);
  assert.equal(unitsToRaw(-500, ones), 0x80);
  assert.equal(unitsToRaw(-2.5, linear(1, 0, 0, 0, 2)), 0xfd); // half away from zero: -3
  assert.equal(unitsToRaw(5, linear(0)), undefined);
  assert.equal(unitsToRaw(5, linear(1, 0, 0, 0, 3)), undefined);
  // 1/x: 4000 RPM from a fan period sensor with (60000 / x)... here y = 1/(x·10^-3)·... keep it simple:
  const period: ConversionFactors = { ...linear(1, 0, 0, -3), linearization: 0x07 };
  assert.equal(unitsToRaw(1 / (20 * 1e-3), period), 20);
  assert.equal(unitsToRaw(-1, { ...linear(1), linearization: 0x01 }), 0); // ln: e^-1 rounds to 0
  assert.equal(unitsToRaw(-1, { ...linear(1), linearization: 0x0a }), 1); // sqrt inverse squares: 1
});

test('hysteresis and tolerance follow ipmitool', () => {
  const rail = linear(63, 0, 0, -3);
  assert.equal(formatFixed(hysteresisToUnits(1, rail)!, 3), '0.063');
  assert.equal(formatFixed(toleranceToUnits(3, rail)!, 3), '0.095'); // ipmitool: "(+/- 0.095)"
  assert.equal(toleranceToUnits(2, linear(1)), 1);
  // B never enters a hysteresis; signed formats read the byte as signed, as ipmitool does.
  assert.equal(hysteresisToUnits(2, linear(1, 100)), 2);
  assert.equal(hysteresisToUnits(0xff, linear(1, 0, 0, 0, 2)), -1);
  assert.ok(Object.is(hysteresisToUnits(0, linear(-3)), 0)); // ipmitool's integer product: never -0
  assert.equal(unitsToHysteresis(0.063, rail), 1);
  assert.equal(unitsToHysteresis(1000, rail), 255);
  assert.equal(unitsToHysteresis(1, linear(0)), undefined);
  assert.equal(resolution(rail), 0.063);
});

test('conversionFactors picks the fields of a full record', () => {
  const rec = fullSensor({ m: 7, b: -3, bExp: 2, rExp: -1, linearization: 5 });
  assert.deepEqual(conversionFactors(rec), { m: 7, b: -3, bExp: 2, rExp: -1, linearization: 5, analogDataFormat: 0 });
});

test('chooseFactors gives round factors for common ranges', () => {
  assert.deepEqual(chooseFactors(0, 127), { m: 5, b: 0, bExp: 0, rExp: -1, linearization: 0, analogDataFormat: 0 });
  assert.deepEqual(chooseFactors(0, 255), { m: 1, b: 0, bExp: 0, rExp: 0, linearization: 0, analogDataFormat: 0 });
  assert.deepEqual(chooseFactors(-40, 125), { m: 1, b: -40, bExp: 0, rExp: 0, linearization: 0, analogDataFormat: 0 });
  assert.deepEqual(chooseFactors(-40, 125, { signed: true }), { m: 1, b: 0, bExp: 0, rExp: 0, linearization: 0, analogDataFormat: 2 });
  assert.deepEqual(chooseFactors(0, 20000), { m: 1, b: 0, bExp: 0, rExp: 2, linearization: 0, analogDataFormat: 0 });
  assert.deepEqual(chooseFactors(0, 12.5), { m: 5, b: 0, bExp: 0, rExp: -2, linearization: 0, analogDataFormat: 0 });
  assert.deepEqual(chooseFactors(1000, 1200), { m: 1, b: 100, bExp: 1, rExp: 0, linearization: 0, analogDataFormat: 0 });
  assert.throws(() => chooseFactors(5, 5), RangeError);
  assert.throws(() => chooseFactors(0, Number.NaN), RangeError);
  assert.throws(() => chooseFactors(0, 1e-12), RangeError);
});

test('property: chosen factors cover the range, or the range is refused', () => {
  const range = fc
    .tuple(fc.double({ min: -1e5, max: 1e5, noNaN: true }), fc.double({ min: 1e-2, max: 1e5, noNaN: true }), fc.boolean())
    .map(([min, span, signed]) => ({ min, max: min + span, signed }));
  fc.assert(
    fc.property(range, ({ min, max, signed }) => {
      let f: ConversionFactors;
      try {
        f = chooseFactors(min, max, { signed });
      } catch (e) {
        assert.ok(e instanceof RangeError);
        // Only ranges far narrower than their distance from zero may be refused: B has 10 bits.
        assert.ok(Math.abs(min) > 50 * (max - min), `refused ${min}..${max}`);
        return;
      }
      const [lo, hi] = rawRange(f.analogDataFormat);
      const rawLo = unitsToRaw(min, f)!;
      const rawHi = unitsToRaw(max, f)!;
      const step = resolution(f);
      // Both ends are inside the scale (not clamped) and convert back to within half a step.
      assert.ok(Math.abs(rawToUnits(rawLo, f)! - min) <= step / 2 + 1e-9 * Math.abs(min), `min ${min} with ${JSON.stringify(f)}`);
      assert.ok(Math.abs(rawToUnits(rawHi, f)! - max) <= step / 2 + 1e-9 * Math.abs(max), `max ${max} with ${JSON.stringify(f)}`);
      assert.ok(rawToSigned(rawLo, f.analogDataFormat)! >= lo && rawToSigned(rawHi, f.analogDataFormat)! <= hi);
      // Within one rung of the 1-2-5 ladder of the ideal step, unless the range sits far from zero.
      const ideal = (max - min) / (hi - lo);
      if (Math.abs(min) <= 50 * (max - min)) assert.ok(step <= ideal * 5 * (1 + 1e-9), `step ${step} for ${min}..${max}`);
    }),
  );
});

test('property: unitsToRaw inverts rawToUnits for every raw value', () => {
  const factors = fc.record({
    m: fc.integer({ min: -512, max: 511 }).filter((m) => m !== 0),
    b: fc.integer({ min: -512, max: 511 }),
    bExp: fc.integer({ min: -3, max: 3 }),
    rExp: fc.integer({ min: -5, max: 5 }),
    linearization: fc.constant(0),
    analogDataFormat: fc.integer({ min: 0, max: 2 }),
  });
  fc.assert(
    fc.property(factors, fc.integer({ min: 0, max: 255 }), (f, raw) => {
      if (f.analogDataFormat === 1 && raw === 0xff) raw = 0; // "-0" has no inverse of its own
      assert.equal(unitsToRaw(rawToUnits(raw, f)!, f), raw);
    }),
  );
});
