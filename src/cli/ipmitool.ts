// ipmitool's conventions shared by the client commands: numbers as strtoul(…, 0) reads them,
// argument checks with ipmitool's messages, and completion-code failures worded the way
// ipmitool words them (scripts match on those lines).

import type { LanClient } from '../client/lan-client.js';
import { IpmiCompletionError, UsageError } from '../client/errors.js';
import { completionCodeName } from '../protocol/completion-codes.js';
import type { CommandSpec } from '../ipmi/spec.js';

/** strtoul(text, &end, 0) with the whole string consumed: decimal, 0x hex or 0 octal. */
export function parseCNumber(text: string): number | undefined {
  const t = text.trim();
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^0[0-7]*$/.test(t)) n = parseInt(t, 8);
  else if (/^[1-9]\d*$/.test(t)) n = parseInt(t, 10);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** str2uchar: a number 0-255 or undefined. */
export function parseUchar(text: string): number | undefined {
  const n = parseCNumber(text);
  return n !== undefined && n <= 0xff ? n : undefined;
}

/** A channel number: 0-0x0B or 0x0E-0x0F (is_ipmi_channel_num). */
export function channelArg(text: string): number {
  const n = parseUchar(text);
  if (n !== undefined && (n <= 0x0b || n === 0x0e || n === 0x0f)) return n;
  throw new UsageError(`Given Channel number '${text}' is either invalid or out of range.\nChannel number must be from ranges: <0x0..0xB>, <0xE..0xF>`);
}

/** A user ID 1-63 (is_ipmi_user_id). */
export function userIdArg(text: string): number {
  const n = parseUchar(text);
  if (n !== undefined && n >= 1 && n <= 63) return n;
  throw new UsageError(`Given User ID '${text}' is either invalid or out of range.\nUser ID is limited to range <1..63>.`);
}

/** A user privilege limit 1-5 or 0x0F (is_ipmi_user_priv_limit). */
export function privLimitArg(text: string): number {
  const n = parseUchar(text);
  if (n !== undefined && ((n >= 1 && n <= 5) || n === 0x0f)) return n;
  throw new UsageError(`Given Privilege Limit '${text}' is invalid.\nPrivilege Limit is limited to <0x1..0x5> and <0xF>.`);
}

/** ipmitool's name for a completion code; `specific` holds its command-specific wording. */
export function ccText(cc: number, specific?: Readonly<Record<number, string>>): string {
  return completionCodeName(cc, specific);
}

/**
 * Invokes a spec; a non-zero completion code becomes an IpmiCompletionError whose message is
 * ipmitool's line for that failure, e.g. `fail = (cc) => \`Get Chassis Power Status failed: ${cc}\``.
 */
export async function call<Req, Res>(
  client: LanClient,
  spec: CommandSpec<Req, Res>,
  req: Req,
  fail: (ccName: string, cc: number) => string,
  specific?: Readonly<Record<number, string>>,
): Promise<Res> {
  try {
    return await client.invoke(spec, req);
  } catch (e) {
    if (e instanceof IpmiCompletionError) {
      throw new IpmiCompletionError(e.completionCode, e.netFn, e.cmd, e.commandName, specific, fail(ccText(e.completionCode, specific), e.completionCode));
    }
    throw e;
  }
}

/** Like call(), but returns the completion code instead of throwing (for commands that branch on it). */
export async function callCc<Req, Res>(client: LanClient, spec: CommandSpec<Req, Res>, req: Req): Promise<{ cc: 0; value: Res } | { cc: number; value?: undefined }> {
  try {
    return { cc: 0, value: await client.invoke(spec, req) };
  } catch (e) {
    if (e instanceof IpmiCompletionError) return { cc: e.completionCode };
    throw e;
  }
}

/** mac2str: lower-case hex bytes joined by colons. */
export function macText(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** buf2str: lower-case hex, no separator. */
export function hexText(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
