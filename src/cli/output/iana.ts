// Manufacturer names for `mc info`, looked up the way Debian's ipmitool does: the IANA PEN
// registry file (~/.local/usr/share/misc/enterprise-numbers.txt, then the system copy shipped
// with ipmitool), so both tools print the same "Manufacturer Name".

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const BUILTIN: Record<number, string> = {
  0: 'Unknown',
  343: 'Intel Corporation',
  674: 'Dell Inc.',
  2: 'IBM',
  11: 'Hewlett-Packard',
  4753: 'MontaVista Software, Inc.',
  10876: 'Super Micro Computer Inc.',
  7244: 'Quanta Computer Inc.',
  19046: 'Lenovo Enterprise Business Group',
  49769: 'OpenBMC Project',
};

let registry: Map<number, string> | undefined;

function parseRegistry(text: string): Map<number, string> {
  const map = new Map<number, string>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const line = lines[i]!;
    if (!/^\d/.test(line)) continue;
    const next = lines[i + 1]!;
    // The organisation is on the next line, indented by exactly two spaces.
    if (!/^ {2}\S/.test(next)) continue;
    map.set(parseInt(line, 10), next.slice(2).replace(/\r$/, ''));
  }
  return map;
}

function load(env: NodeJS.ProcessEnv): Map<number, string> {
  if (registry) return registry;
  const candidates = [env.HOME ? join(env.HOME, '.local/usr/share/misc/enterprise-numbers.txt') : '', '/usr/share/misc/enterprise-numbers.txt'];
  for (const path of candidates) {
    if (!path) continue;
    try {
      registry = parseRegistry(readFileSync(path, 'latin1'));
      return registry;
    } catch {
      // try the next location
    }
  }
  registry = new Map(Object.entries(BUILTIN).map(([k, v]) => [Number(k), v]));
  return registry;
}

/**
 * ipmitool's val2str over its OEM table: 0 is "Unknown" and 0x0FFFFF "Unspecified" (ahead of
 * the registry), then the registry, then its own 0xFFFFFE; anything else "Unknown (0xNN)".
 */
export function manufacturerName(id: number, env: NodeJS.ProcessEnv = process.env): string {
  if (id === 0) return 'Unknown';
  if (id === 0x0fffff) return 'Unspecified';
  const name = load(env).get(id);
  if (name !== undefined) return name;
  if (id === 0xfffffe) return 'A Debug Assisting Company, Ltd.';
  return `Unknown (0x${id.toString(16).toUpperCase().padStart(2, '0')})`;
}
