// QEMU version numbers: parsing `qemu-system-x86_64 --version` output and comparing releases.
// The IPMI command line depends on the version (qemu-ipmi.md §0 release map, §4 reconnect table),
// so the builder takes a parsed version and gates features on it.

export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
  /** Distribution suffix in parentheses, e.g. "Debian 1:7.2+dfsg-7+deb12u18", when present. */
  readonly package?: string;
}

/** Debian 12's QEMU, the baseline the spec was verified on (qemu-ipmi.md §0). */
export const DEBIAN12_QEMU: QemuVersion = { major: 7, minor: 2, micro: 22 };

export class QemuVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QemuVersionError';
  }
}

/**
 * Parses the first line of `qemu-system-* --version`, e.g.
 * "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)". Development trees report
 * x.y.50+ (10.2.50 is the 11.0 development tree), which compares as newer than x.y, as it should.
 */
export function parseQemuVersion(text: string): QemuVersion {
  const m = /QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?(?:[^\n(]*\(([^)\n]*)\))?/.exec(text);
  if (!m) throw new QemuVersionError(`not a QEMU --version output: ${JSON.stringify(text.split('\n')[0] ?? '')}`);
  const v = { major: Number(m[1]), minor: Number(m[2]), micro: Number(m[3] ?? 0) };
  return m[4] ? { ...v, package: m[4] } : v;
}

/** Parses a bare "7.2", "10.2.0" or "v9.1.3" as typed by a user. */
export function parseVersion(text: string): QemuVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new QemuVersionError(`invalid QEMU version ${JSON.stringify(text)} (expected e.g. 7.2 or 10.2.0)`);
  return { major: Number(m[1]), minor: Number(m[2]), micro: Number(m[3] ?? 0) };
}

export function toVersion(v: QemuVersion | string): QemuVersion {
  return typeof v === 'string' ? parseVersion(v) : v;
}

export function compareVersions(a: QemuVersion, b: QemuVersion): number {
  return a.major - b.major || a.minor - b.minor || a.micro - b.micro;
}

/** a >= b, with b written as "x.y" or "x.y.z". */
export function atLeast(a: QemuVersion, b: string): boolean {
  return compareVersions(a, parseVersion(b)) >= 0;
}

export function formatVersion(v: QemuVersion): string {
  return `${v.major}.${v.minor}.${v.micro}`;
}
