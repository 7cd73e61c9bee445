// Number arguments as ipmitool reads them (lib/helper.c str2uchar, str2ushort, str2int): C
// strtoul/strtol with base 0, so "0x1f" is hex, "017" octal, "17" decimal, and the whole
// argument must be the number.

/** strtoul(text, &end, 0) over the whole string; undefined when it is not all number or above max. */
export function parseCUnsigned(text: string, max: number): number | undefined {
  const m = /^\s*\+?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!m) return undefined;
  const s = m[1]!;
  const n = /^0[xX]/.test(s) ? parseInt(s.slice(2), 16) : s.length > 1 && s[0] === '0' ? parseInt(s, 8) : Number(s);
  return Number.isSafeInteger(n) && n <= max ? n : undefined;
}

/** strtol(text, &end, 0) for signed 32-bit values. */
export function parseCInt(text: string): number | undefined {
  const m = /^\s*([+-]?)(.*)$/.exec(text)!;
  const n = parseCUnsigned(m[2]!, 0x80000000);
  if (n === undefined) return undefined;
  const v = m[1] === '-' ? -n : n;
  return v >= -0x80000000 && v <= 0x7fffffff ? v : undefined;
}
