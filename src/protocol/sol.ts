// The SOL payload (RMCP+ payload type 1, IPMI v2.0 §15.9 Table 15-2): a 4-byte header, then
// character data. Both directions share the layout; byte 3 is "operation" from the console and
// "status" from the BMC. Sequence numbers are 4 bits, 1..15; 0 marks an ACK-only packet.
//   0  [3:0] packet sequence number (0 = ACK/status only)
//   1  [3:0] ACK/NACK sequence number (0 = acknowledges nothing)
//   2        accepted character count
//   3        console: operation bits / BMC: status bits
//   4..      characters (0-255)

import { ProtocolError } from './bytes.js';

export const SOL_HEADER_LENGTH = 4;
/** The accepted-count field is one byte, so a packet carries at most 255 characters. */
export const SOL_MAX_CHARACTERS = 255;

/** Console → BMC, byte 3. */
export const SolOperation = {
  FlushOutbound: 0x01,
  FlushInbound: 0x02,
  DropDcdDsr: 0x04,
  CtsPause: 0x08,
  Break: 0x10,
  RingWor: 0x20,
  Nack: 0x40,
} as const;

/** BMC → console, byte 3. */
export const SolStatus = {
  BreakDetected: 0x04,
  TransmitOverrun: 0x08,
  Deactivating: 0x10,
  CharacterTransferUnavailable: 0x20,
  Nack: 0x40,
} as const;

export interface SolPacket {
  /** 1..15 for a packet that carries data or wants an ACK; 0 for ACK/status only. */
  sequence: number;
  /** The other side's packet this one (N)ACKs; 0 = none. */
  ackSequence: number;
  acceptedCount: number;
  /** Operation bits (console → BMC) or status bits (BMC → console). */
  flags: number;
  data: Uint8Array;
}

export function decodeSol(payload: Uint8Array): SolPacket {
  if (payload.length < SOL_HEADER_LENGTH) throw new ProtocolError(`SOL payload of ${payload.length} bytes is shorter than its 4-byte header`, 0);
  return {
    sequence: payload[0]! & 0x0f,
    ackSequence: payload[1]! & 0x0f,
    acceptedCount: payload[2]!,
    flags: payload[3]!,
    data: payload.subarray(SOL_HEADER_LENGTH),
  };
}

export function encodeSol(p: SolPacket): Uint8Array {
  if (p.sequence < 0 || p.sequence > 15 || p.ackSequence < 0 || p.ackSequence > 15) throw new RangeError('SOL sequence numbers are 0-15');
  if (p.acceptedCount < 0 || p.acceptedCount > 255) throw new RangeError('SOL accepted count is 0-255');
  const out = new Uint8Array(SOL_HEADER_LENGTH + p.data.length);
  out[0] = p.sequence;
  out[1] = p.ackSequence;
  out[2] = p.acceptedCount;
  out[3] = p.flags & 0xff;
  out.set(p.data, SOL_HEADER_LENGTH);
  return out;
}

/** The next data sequence number: 1, 2, ..., 15, 1, ... (0 is never a data sequence number). */
export function nextSolSequence(seq: number): number {
  return seq >= 15 ? 1 : seq + 1;
}
