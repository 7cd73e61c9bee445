// `fru print` as ipmitool does it (lib/ipmi_fru.c __ipmi_fru_print, ipmi_fru_print): read the
// common header, then each info area (its length from its first two bytes), and print the
// areas' fields; errors print as " Device not present (...)" in the output itself. Shared by
// `fru print` and `sel get` (which prints the FRUs of the event's entity).

import type { LanClient } from '../client/lan-client.js';
import { IpmiCompletionError, IpmiTimeoutError } from '../client/errors.js';
import { FruDevice } from '../client/fru.js';
import { decodeFruHeader, fruAreaLength, fruAreaLines, type FruAreaKind } from '../ipmi/fru/describe.js';
import { decodeFru } from '../ipmi/fru/format.js';
import type { FruDeviceLocatorRecord } from '../ipmi/sdr/records.js';
import { completionCodeName } from '../protocol/completion-codes.js';
import type { CliIo } from './io.js';
import { timestampString, type TimeOptions } from './output/time.js';

export interface FruPrintOptions {
  verbose: number;
  time: TimeOptions;
  io: CliIo;
}

export interface FruPrint {
  text: string;
  /** ipmitool's return code: 0, or -1/1 when the device could not be read. */
  ok: boolean;
}

const notPresent = (e: unknown): string => {
  if (e instanceof IpmiCompletionError) return ` Device not present (${completionCodeName(e.completionCode)})\n`;
  if (e instanceof IpmiTimeoutError) return ' Device not present (No Response)\n';
  throw e;
};

/** __ipmi_fru_print: the fields of FRU `fruId` behind the BMC. */
export async function fruDeviceText(client: LanClient, fruId: number, opts: FruPrintOptions): Promise<FruPrint> {
  let dev: FruDevice;
  try {
    dev = await FruDevice.open(client, fruId);
  } catch (e) {
    return { text: notPresent(e), ok: false };
  }
  if (dev.info.size < 1) {
    opts.io.err(` Invalid FRU size ${dev.info.size}\n`);
    return { text: '', ok: false };
  }
  let header;
  try {
    header = decodeFruHeader(await dev.read(0, 8));
  } catch (e) {
    return { text: notPresent(e), ok: false };
  }
  if (header.version !== 1) {
    opts.io.err(` Unknown FRU header version 0x${header.version.toString(16).padStart(2, '0')}\n`);
    return { text: '', ok: false };
  }
  const lines: string[] = [];
  const date = (stamp: number) => timestampString(stamp, opts.time);
  for (const kind of ['chassis', 'board', 'product'] as FruAreaKind[]) {
    const offset = header[kind];
    if (offset < 8) continue;
    try {
      const length = fruAreaLength(await dev.read(offset, 2));
      if (length === 0) continue;
      lines.push(...fruAreaLines(kind, await dev.read(offset, length), { verbose: opts.verbose, date }));
    } catch (e) {
      if (!(e instanceof IpmiCompletionError || e instanceof IpmiTimeoutError)) throw e;
      opts.io.err(`FRU Read failed${e instanceof IpmiCompletionError ? `: ${completionCodeName(e.completionCode)}` : ''}\n`);
    }
  }
  return { text: lines.map((l) => l + '\n').join(''), ok: true };
}

/** The BMC serves FRUs behind itself only: we do not bridge to other controllers. */
export const behindBmc = (r: { deviceAccessAddress: number; channelNumber: number }): boolean => r.deviceAccessAddress === 0x20 && r.channelNumber === 0;

/**
 * ipmi_fru_print for a FRU locator: nothing for records that are not FRU inventory devices or
 * that describe the BMC's FRU 0, else a "FRU Device Description" header, the fields, a blank line.
 */
export async function fruLocatorText(client: LanClient, r: FruDeviceLocatorRecord, opts: FruPrintOptions): Promise<FruPrint | undefined> {
  if (r.deviceType !== 0x10 && (r.deviceTypeModifier !== 0x02 || r.deviceType < 0x08 || r.deviceType > 0x0f)) return undefined;
  if (r.deviceAccessAddress === 0x20 && r.fruDeviceId === 0) return undefined;
  let text = `FRU Device Description : ${r.idString.slice(0, 16)} (ID ${r.fruDeviceId})\n`;
  let ok = true;
  if (r.deviceTypeModifier === 0x00 || r.deviceTypeModifier === 0x02) {
    if (behindBmc(r)) {
      const p = await fruDeviceText(client, r.fruDeviceId, opts);
      text += p.text;
      ok = p.ok;
    } else {
      text += ` Device not present (behind controller ${r.deviceAccessAddress.toString(16).padStart(2, '0')}h: bridging is not supported)\n`;
      ok = false;
    }
  } else {
    text += opts.verbose ? ` Unsupported device 0x${r.fruDeviceId.toString(16).padStart(2, '0')} type 0x${r.deviceType.toString(16).padStart(2, '0')} with modifier 0x${r.deviceTypeModifier.toString(16).padStart(2, '0')}\n` : ' Unsupported device\n';
  }
  return { text: text + '\n', ok };
}

/** --json: the whole image decoded with the codec's names, or why it could not be read. */
export async function fruJson(client: LanClient, fruId: number, description: string): Promise<Record<string, unknown>> {
  try {
    const dev = await FruDevice.open(client, fruId);
    const image = await dev.read(0, dev.info.size);
    const { fru, warnings } = decodeFru(image);
    return { fruId, description, size: dev.info.size, wordAccess: dev.info.wordAccess, ...fru, warnings };
  } catch (e) {
    if (e instanceof IpmiCompletionError) return { fruId, description, error: completionCodeName(e.completionCode), completionCode: e.completionCode };
    if (e instanceof IpmiTimeoutError) return { fruId, description, error: 'No Response' };
    if (e instanceof Error && e.name === 'ProtocolError') return { fruId, description, error: e.message };
    throw e;
  }
}
