// What Redfish says about the hardware comes from the BMC's own FRU device 0 (the same bytes
// `ipmitool fru print 0` reads) and its identity config.

import type { BmcCore } from '../bmc/core.js';
import { decodeFru, type FruData, type FruField } from '../ipmi/fru/format.js';

export function fieldText(f: FruField | undefined): string | undefined {
  if (f === undefined) return undefined;
  const t = typeof f === 'string' ? f : f.type === 'binary' ? undefined : f.text;
  return t === undefined || t.trim() === '' ? undefined : t.trim();
}

/** FRU 0 decoded, or nothing when there is no FRU 0 or it does not decode. */
export function fru0(bmc: BmcCore): FruData {
  const bytes = bmc.fru.device(0);
  if (!bytes) return {};
  try {
    return decodeFru(bytes).fru;
  } catch {
    return {};
  }
}

/** Adds the defined string properties only (Redfish omits what it does not know). */
export function defined(props: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (v !== undefined) out[k] = v;
  return out;
}
