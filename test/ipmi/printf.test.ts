import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, formatReading } from '../../src/ipmi/printf.js';

test('exact binary ties round to even, as glibc printf does', () => {
  // ipmitool printed "Reading 0.62 < Threshold 0.38" for 0.625 and 0.375 (sel-ereadraw.txt).
  assert.equal(formatFixed(0.625, 2), '0.62');
  assert.equal(formatFixed(0.375, 2), '0.38');
  assert.equal(formatFixed(0.125, 2), '0.12');
  assert.equal(formatFixed(-15.875, 2), '-15.88');
  assert.equal(formatFixed(2.5, 0), '2');
  assert.equal(formatFixed(3.5, 0), '4');
  assert.equal(formatFixed(0.0625, 3), '0.062');
});

test('non-ties, signs and non-finite values', () => {
  assert.equal(formatFixed(1.005, 2), '1.00'); // 1.005 is 1.00499999999999989...
  assert.equal(formatFixed(12.915, 3), '12.915');
  assert.equal(formatFixed(-0, 2), '-0.00');
  assert.equal(formatFixed(-0.001, 2), '-0.00');
  assert.equal(formatFixed(Number.NaN, 2), 'nan');
  assert.equal(formatFixed(Infinity, 2), 'inf');
  assert.equal(formatFixed(-Infinity, 0), '-inf');
});

test('formatReading drops decimals for whole numbers only', () => {
  assert.equal(formatReading(45, 3), '45');
  assert.equal(formatReading(-10.5, 3), '-10.500');
  assert.equal(formatReading(Math.fround(43.94), 2), '43.94');
});

test('property: agrees with toFixed except on exact ties', () => {
  fc.assert(
    fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (v, d) => {
      const scaled = Math.abs(v) * 10 ** d;
      const isTie = Number.isInteger(scaled * 2) && !Number.isInteger(scaled);
      if (!isTie && !Object.is(v, -0) && !(v < 0 && Number(v.toFixed(d)) === 0)) assert.equal(formatFixed(v, d), v.toFixed(d));
    }),
  );
});
