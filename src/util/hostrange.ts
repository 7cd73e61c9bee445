// Host lists in pdsh/FreeIPMI hostrange syntax, extended with ports:
//   "bmc[01-50]"  "a,b,c"  "127.0.0.1:[6230-6329]"  "node[1-3,7]:623"  "[::1]:6230"
// Ranges keep zero padding ("01" .. "50"). A bracket that contains ':' is an IPv6 literal,
// not a range.

export interface HostPort {
  host: string;
  port: number | undefined;
}

const MAX_HOSTS = 100_000;

/** Splits on commas that are not inside brackets. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function expandRange(body: string): string[] {
  const out: string[] = [];
  for (const piece of body.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(piece.trim());
    if (!m) throw new Error(`bad range "${piece}" in [${body}]`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`range ${piece} runs backwards`);
    if (hi - lo >= MAX_HOSTS) throw new Error(`range ${piece} is too large`);
    const width = m[1]!.length;
    for (let n = lo; n <= hi; n++) out.push(String(n).padStart(width, '0'));
  }
  return out;
}

/** Expands every [..] range in a pattern (cartesian product, left to right). */
function expandPattern(pattern: string): string[] {
  const open = pattern.search(/\[[^\]:]*\]/);
  if (open < 0) return [pattern];
  const close = pattern.indexOf(']', open);
  const head = pattern.slice(0, open);
  const values = expandRange(pattern.slice(open + 1, close));
  const tails = expandPattern(pattern.slice(close + 1));
  const out: string[] = [];
  for (const v of values) for (const t of tails) out.push(head + v + t);
  if (out.length > MAX_HOSTS) throw new Error(`host list expands to more than ${MAX_HOSTS} hosts`);
  return out;
}

function splitPort(item: string): HostPort {
  const v6 = /^\[([^\]]*:[^\]]*)\](?::(\d+))?$/.exec(item);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : undefined };
  const colons = item.split(':').length - 1;
  if (colons > 1) return { host: item, port: undefined }; // bare IPv6 literal
  const m = /^([^:]+):(\d+)$/.exec(item);
  if (m) {
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`port ${m[2]} out of range in "${item}"`);
    return { host: m[1]!, port };
  }
  if (colons === 1) throw new Error(`bad host:port "${item}"`);
  return { host: item, port: undefined };
}

export function expandHosts(text: string): HostPort[] {
  const out: HostPort[] = [];
  for (const part of splitTop(text)) {
    for (const item of expandPattern(part)) out.push(splitPort(item));
  }
  return out;
}

/** "host:port" for prefixes and JSON keys; IPv6 hosts bracketed. */
export function hostLabel(h: HostPort, defaultPort: number): string {
  const host = h.host.includes(':') ? `[${h.host}]` : h.host;
  return `${host}:${h.port ?? defaultPort}`;
}

/**
 * Compresses labels back to ranges where that is exact, e.g. 127.0.0.1:[6230-6232,6240] or
 * bmc[01-03]:623 (used by consolidated output headers).
 */
export function compressLabels(labels: string[]): string {
  const groups = new Map<string, { prefix: string; suffix: string; nums: string[] }>();
  const singles: string[] = [];
  for (const l of labels) {
    // The last run of digits is the one that varies.
    const m = /^(.*?)(\d+)(\D*)$/.exec(l);
    if (!m) {
      singles.push(l);
      continue;
    }
    const key = `${m[1]}\u0000${m[3]}\u0000${m[2]!.length}`;
    const g = groups.get(key) ?? { prefix: m[1]!, suffix: m[3]!, nums: [] };
    g.nums.push(m[2]!);
    groups.set(key, g);
  }
  const parts: string[] = [...singles];
  for (const g of groups.values()) {
    if (g.nums.length === 1) {
      parts.push(g.prefix + g.nums[0] + g.suffix);
      continue;
    }
    const sorted = [...new Set(g.nums)].sort((a, b) => Number(a) - Number(b));
    const runs: string[] = [];
    let start = sorted[0]!;
    let prev = start;
    for (const n of [...sorted.slice(1), undefined]) {
      if (n !== undefined && Number(n) === Number(prev) + 1) {
        prev = n;
        continue;
      }
      runs.push(start === prev ? start : `${start}-${prev}`);
      if (n !== undefined) start = prev = n;
    }
    parts.push(`${g.prefix}[${runs.join(',')}]${g.suffix}`);
  }
  return parts.join(',');
}
