// Raw reading <-> engineering units for full sensor records (IPMI v2.0 §36.3):
//   y = L[(M·x + B·10^K1) · 10^K2]
// with M and B 10-bit signed, K1 (B exponent) and K2 (R exponent) 4-bit signed, x read per the
// analog data format, and L one of the linearization functions 0x00-0x0B. The forward direction
// follows ipmitool's arithmetic step for step so printed values match it digit for digit.

import type { FullSensorRecord } from './records.js';

export const AnalogDataFormat = {
  Unsigned: 0,
  OnesComplement: 1,
  TwosComplement: 2,
  /** The sensor has no analog (numeric) reading. */
  None: 3,
} as const;

export const Linearization = {
  Linear: 0x00,
  Ln: 0x01,
  Log10: 0x02,
  Log2: 0x03,
  E: 0x04,
  Exp10: 0x05,
  Exp2: 0x06,
  OneOverX: 0x07,
  Sqr: 0x08,
  Cube: 0x09,
  Sqrt: 0x0a,
  CubeRoot: 0x0b,
  NonLinear: 0x70,
} as const;

/** Everything the conversion formula needs; a full SDR, or Get Sensor Reading Factors plus the SDR's format. */
export interface ConversionFactors {
  m: number;
  b: number;
  /** K1. */
  bExp: number;
  /** K2. */
  rExp: number;
  linearization: number;
  analogDataFormat: number;
}

/** The conversion factors of a full sensor record. */
export function conversionFactors(record: FullSensorRecord): ConversionFactors {
  const { m, b, bExp, rExp, linearization } = record;
  return { m, b, bExp, rExp, linearization, analogDataFormat: record.units.analogDataFormat };
}

/**
 * Linearization 70h-7Fh: the SDR's M/B/K hold only near the nominal reading; the real factors for
 * each reading come from Get Sensor Reading Factors (§35.5) and are applied without L.
 */
export function isNonLinear(linearization: number): boolean {
  return linearization >= 0x70 && linearization <= 0x7f;
}

const forward: Record<number, (v: number) => number> = {
  [Linearization.Ln]: Math.log,
  [Linearization.Log10]: Math.log10,
  [Linearization.Log2]: (v) => Math.log(v) / Math.log(2),
  [Linearization.E]: Math.exp,
  [Linearization.Exp10]: (v) => 10 ** v,
  [Linearization.Exp2]: (v) => 2 ** v,
  [Linearization.OneOverX]: (v) => 1 / v,
  [Linearization.Sqr]: (v) => v ** 2,
  [Linearization.Cube]: (v) => v ** 3,
  [Linearization.Sqrt]: Math.sqrt,
  [Linearization.CubeRoot]: Math.cbrt,
};

// x² is inverted to the non-negative root: the formula's inner value is assumed non-negative.
const inverse: Record<number, (v: number) => number> = {
  [Linearization.Ln]: Math.exp,
  [Linearization.Log10]: (v) => 10 ** v,
  [Linearization.Log2]: (v) => 2 ** v,
  [Linearization.E]: Math.log,
  [Linearization.Exp10]: Math.log10,
  [Linearization.Exp2]: Math.log2,
  [Linearization.OneOverX]: (v) => 1 / v,
  [Linearization.Sqr]: Math.sqrt,
  [Linearization.Cube]: Math.cbrt,
  [Linearization.Sqrt]: (v) => v ** 2,
  [Linearization.CubeRoot]: (v) => v ** 3,
};

/** Applies L; non-linear (70h-7Fh) and reserved codes are the identity, as in ipmitool. */
function linearize(value: number, linearization: number): number {
  const fn = forward[linearization & 0x7f];
  return fn ? fn(value) : value;
}

/**
 * A raw byte as a number per the analog data format; undefined for format 3 (no analog reading).
 * One's complement 0xFF ("-0") reads as 0.
 */
export function rawToSigned(raw: number, analogDataFormat: number): number | undefined {
  switch (analogDataFormat) {
    case AnalogDataFormat.Unsigned:
      return raw & 0xff;
    case AnalogDataFormat.OnesComplement:
      return raw & 0x80 ? (raw & 0xff) - 0xff : raw & 0x7f;
    case AnalogDataFormat.TwosComplement:
      return raw & 0x80 ? (raw & 0xff) - 0x100 : raw & 0x7f;
    default:
      return undefined;
  }
}

/** The raw range a format can hold. */
export function rawRange(analogDataFormat: number): [min: number, max: number] {
  if (analogDataFormat === AnalogDataFormat.TwosComplement) return [-128, 127];
  if (analogDataFormat === AnalogDataFormat.OnesComplement) return [-127, 127];
  return [0, 255];
}

/** Inverse of rawToSigned: an in-range integer to its byte. */
function signedToRaw(x: number, analogDataFormat: number): number {
  if (x >= 0) return x;
  return analogDataFormat === AnalogDataFormat.OnesComplement ? 0xff + x : 0x100 + x;
}

/** Raw reading (or threshold) → units; undefined when the sensor has no analog reading. */
export function rawToUnits(raw: number, f: ConversionFactors): number | undefined {
  const x = rawToSigned(raw, f.analogDataFormat);
  if (x === undefined) return undefined;
  return linearize((f.m * x + f.b * 10 ** f.bExp) * 10 ** f.rExp, f.linearization);
}

/**
 * Units → the nearest raw byte, clamped to the format's range: what `sensor thresh` sends and what
 * a simulated sensor reports for a configured value. Undefined when no raw value can express it
 * (no analog reading, M = 0, or the value is outside L's range, e.g. ln of a negative).
 */
export function unitsToRaw(value: number, f: ConversionFactors): number | undefined {
  if (f.analogDataFormat === AnalogDataFormat.None || f.m === 0) return undefined;
  const inv = inverse[f.linearization & 0x7f];
  const inner = inv ? inv(value) : value;
  if (!Number.isFinite(inner)) return undefined;
  // Multiply by exact powers of ten where possible: 10^-1 is not exact, 10^1 is.
  const scaled = f.rExp <= 0 ? inner * 10 ** -f.rExp : inner / 10 ** f.rExp;
  const offset = f.bExp >= 0 ? f.b * 10 ** f.bExp : f.b / 10 ** -f.bExp;
  const x = (scaled - offset) / f.m;
  const [lo, hi] = rawRange(f.analogDataFormat);
  // Half away from zero; `|| 0` turns -0 into 0.
  const rounded = Math.sign(x) * Math.round(Math.abs(x)) || 0;
  return signedToRaw(Math.min(hi, Math.max(lo, rounded)), f.analogDataFormat);
}

/**
 * Hysteresis in raw counts → units, as ipmitool computes it: B is left out (a hysteresis is a
 * difference of readings), but L is still applied and signed formats read the byte as signed.
 */
export function hysteresisToUnits(raw: number, f: ConversionFactors): number | undefined {
  const x = rawToSigned(raw, f.analogDataFormat);
  if (x === undefined) return undefined;
  // ipmitool multiplies M by the count in integers, so a zero count never gives -0.
  return linearize((f.m * x || 0) * 10 ** f.rExp, f.linearization);
}

/** Units → hysteresis raw counts (0-255), for linear sensors; undefined when M = 0. */
export function unitsToHysteresis(value: number, f: ConversionFactors): number | undefined {
  if (f.m === 0 || f.analogDataFormat === AnalogDataFormat.None) return undefined;
  const scaled = f.rExp <= 0 ? value * 10 ** -f.rExp : value / 10 ** f.rExp;
  return Math.min(255, Math.max(0, Math.round(Math.abs(scaled / f.m))));
}

/** Tolerance (6-bit, in ±½ raw counts) → ± units: L[M·tol/2·10^K2] (§36.4.1, as ipmitool does). */
export function toleranceToUnits(tolerance: number, f: ConversionFactors): number | undefined {
  if (f.analogDataFormat === AnalogDataFormat.None) return undefined;
  return linearize(f.m * (tolerance / 2) * 10 ** f.rExp, f.linearization);
}

/** The size of one raw count in units (linear sensors): |M·10^K2|. */
export function resolution(f: ConversionFactors): number {
  return Math.abs(f.m * 10 ** f.rExp);
}

export interface ChooseFactorsOptions {
  /** Use two's complement raw values (−128..127); otherwise unsigned 0..255 with an offset B. */
  signed?: boolean;
}

const EPS = 1e-9;

/**
 * Picks linear factors for a sensor whose readings span [min, max] in units: the finest step of
 * the form {1, 2, 5}·10^k whose 256 raw counts still cover the range, with B placing the raw
 * scale so that it starts on a whole step (round numbers stay exact) and B·10^K1 is exact.
 * "0..127 degrees C" gives M=5, K2=-1 (0.5 °C per count), B=0. Throws RangeError for an empty
 * range or one too narrow for the 4-bit exponents.
 */
export function chooseFactors(min: number, max: number, options: ChooseFactorsOptions = {}): ConversionFactors {
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(max > min)) throw new RangeError(`no factors for range ${min}..${max}`);
  const analogDataFormat = options.signed ? AnalogDataFormat.TwosComplement : AnalogDataFormat.Unsigned;
  const [rawLo, rawHi] = rawRange(analogDataFormat);
  const wanted = (max - min) / (rawHi - rawLo);
  for (let rExp = Math.max(-8, Math.floor(Math.log10(wanted)) - 1); rExp <= 7; rExp++) {
    for (const m of [1, 2, 5]) {
      const step = m * 10 ** rExp;
      if (step < wanted * (1 - EPS)) continue;
      if (step > wanted * 10) throw new RangeError(`range ${min}..${max} is too narrow for 8-bit readings`);
      // y = step·(x + c): raw x covers [first, last] (in steps) when last - rawHi <= c <= first - rawLo.
      const first = Math.floor(min / step + EPS);
      const last = Math.ceil(max / step - EPS);
      const cs = first >= rawLo && last <= rawHi ? [0] : range(first - rawLo, last - rawHi);
      for (const c of cs) {
        const offset = representOffset(m * c);
        if (offset) return { m, b: offset.b, bExp: offset.bExp, rExp, linearization: Linearization.Linear, analogDataFormat };
      }
    }
  }
  throw new RangeError(`no factors for range ${min}..${max}`);
}

/** Integers from `from` down to `to` (empty when to > from). */
function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let c = from; c >= to; c--) out.push(c);
  return out;
}

/** Writes an integer as B·10^K1 with |B| ≤ 511, K1 ≤ 7, when that is exact. */
function representOffset(value: number): { b: number; bExp: number } | undefined {
  for (let bExp = 0; bExp <= 7; bExp++) {
    const b = value / 10 ** bExp;
    if (!Number.isInteger(b)) return undefined;
    if (b >= -512 && b <= 511) return { b, bExp };
  }
  return undefined;
}

/**
 * Units → raw the way ipmitool's `sensor thresh` computes it (sdr_convert_sensor_value_to_raw):
 * x = (value / 10^K2 - B·10^K1) / M, rounded up from .5 of the fraction and truncated otherwise,
 * with no linearization inverse and no clamping (the byte wraps as C's cast does). Kept apart from
 * unitsToRaw so `sensor thresh` sends exactly the byte ipmitool sends.
 */
export function ipmitoolUnitsToRaw(value: number, f: ConversionFactors): number {
  if (f.m === 0) return 0;
  const x = (value / 10 ** f.rExp - f.b * 10 ** f.bExp) / f.m;
  const whole = Math.trunc(x);
  return (x - whole >= 0.5 ? Math.ceil(x) : whole) & 0xff;
}
