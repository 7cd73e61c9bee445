// Splitting ipmitool `sel list` lines into columns, and building the same columns from our
// description functions; shared by the golden-file unit test and the live interop test.

import assert from 'node:assert/strict';
import { sdrForSelRecord, selEventDescription, selExtraText, selOemText, selSensorText } from '../../src/ipmi/sel/describe.js';
import type { SdrRecord } from '../../src/ipmi/sdr/records.js';
import type { SelRecord } from '../../src/ipmi/sel/records.js';

/** The columns after the record ID and timestamp of a `sel list` line (TZ=UTC). */
export function listColumns(line: string): string[] {
  const m = /^\s*[0-9a-f]+ \| (?: Pre-Init  \|\d{10}\| |\d\d\/\d\d\/\d\d \| \d\d:\d\d:\d\d UTC \| )?(.*)$/.exec(line);
  assert.ok(m, `unexpected sel line: ${line}`);
  return m[1]!.split(' | ');
}

/**
 * Our columns for a record; with `sdrs` as `sel elist` resolves sensors. `readraw` marks output
 * of `sel readraw`, which prints an OEM record's IANA least significant byte first.
 */
export function ourColumns(rec: SelRecord, sdrs?: readonly SdrRecord[], readraw = false): string[] {
  if (rec.kind !== 'system') {
    const cols = selOemText(rec)!.split(' | ');
    if (readraw && rec.kind === 'oemTimestamped') cols[1] = cols[1]!.replace(/(..)(..)(..)/, '$3$2$1');
    return cols;
  }
  const sdr = sdrs ? sdrForSelRecord(sdrs, rec) : undefined;
  const extra = selExtraText(rec, sdr?.kind === 'full' ? sdr : undefined);
  const cols = [selSensorText(rec, sdr?.idString), selEventDescription(rec) ?? '', rec.eventDirection === 'deassertion' ? 'Deasserted' : 'Asserted'];
  return extra === undefined ? cols : [...cols, extra];
}
