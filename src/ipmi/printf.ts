// C printf("%.*f") as glibc renders it, for reproducing ipmitool's numbers exactly. JavaScript's
// toFixed rounds an exact tie away from zero; glibc rounds it to even ("%.2f" of 0.125 is
// "0.12"), and prints the sign of negative zero.

const GUARD = 30;

/** `printf("%.<digits>f", value)` under glibc. */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const abs = Math.abs(value);
  if (abs === Infinity) return `${sign}inf`;
  // A double that is an exact tie at digit d+1 has exactly d+1 fractional decimal digits, so
  // GUARD extra digits of zeros identify it.
  const long = abs.toFixed(digits + GUARD);
  const cut = long.length - GUARD;
  if (long[cut] === '5' && /^0*$/.test(long.slice(cut + 1))) {
    const kept = long.slice(0, digits === 0 ? cut - 1 : cut);
    if (Number(kept[kept.length - 1]) % 2 === 0) return sign + kept;
  }
  return sign + abs.toFixed(digits);
}

/** ipmitool's "%.*f" with precision 0 for whole numbers and `digits` otherwise. */
export function formatReading(value: number, digits: number): string {
  return formatFixed(value, value === Math.trunc(value) ? 0 : digits);
}
