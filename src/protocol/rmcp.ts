// RMCP header and ASF presence ping/pong (IPMI v2.0 §13.1-13.2; DMTF ASF 2.0 §3.2.4).
// RMCP and ASF fields are big-endian, unlike IPMI's.

import { ProtocolError, Reader, Writer } from './bytes.js';

export const RMCP_VERSION = 0x06;
export const RMCP_SEQ_NO_ACK = 0xff;
export const RmcpClass = { Asf: 0x06, Ipmi: 0x07, Oem: 0x08 } as const;
export const ASF_IANA = 4542; // 0x000011BE
export const AsfType = { PresencePong: 0x40, PresencePing: 0x80, Ack: 0x00 } as const;

export interface RmcpHeader {
  sequence: number;
  messageClass: number;
  isAck: boolean;
}

export const RMCP_HEADER_LENGTH = 4;

export function decodeRmcpHeader(buf: Uint8Array): RmcpHeader {
  if (buf.length < RMCP_HEADER_LENGTH) throw new ProtocolError('datagram shorter than the RMCP header', 0);
  if (buf[0] !== RMCP_VERSION) throw new ProtocolError(`unsupported RMCP version 0x${buf[0]!.toString(16)}`, 0);
  const cls = buf[3]!;
  return { sequence: buf[2]!, messageClass: cls & 0x1f, isAck: (cls & 0x80) !== 0 };
}

export function writeRmcpHeader(w: Writer, messageClass: number, sequence = RMCP_SEQ_NO_ACK): void {
  w.u8(RMCP_VERSION).u8(0).u8(sequence).u8(messageClass);
}

export interface AsfMessage {
  iana: number;
  messageType: number;
  messageTag: number;
  data: Uint8Array;
}

export function decodeAsf(buf: Uint8Array): AsfMessage {
  const r = new Reader(buf, RMCP_HEADER_LENGTH);
  const iana = r.u32be('ASF IANA');
  const messageType = r.u8('ASF message type');
  const messageTag = r.u8('ASF message tag');
  r.skip(1);
  const len = r.u8('ASF data length');
  const data = r.bytes(len, 'ASF data');
  return { iana, messageType, messageTag, data };
}

export function encodeAsfPing(tag: number, sequence = RMCP_SEQ_NO_ACK): Uint8Array {
  const w = new Writer(12);
  writeRmcpHeader(w, RmcpClass.Asf, sequence);
  w.u32be(ASF_IANA).u8(AsfType.PresencePing).u8(tag).u8(0).u8(0);
  return w.finish();
}

/** Presence pong: IPMI supported, ASF version 1.0, no OEM, no interactions. */
export function encodeAsfPong(tag: number, sequence = RMCP_SEQ_NO_ACK): Uint8Array {
  const w = new Writer(28);
  writeRmcpHeader(w, RmcpClass.Asf, sequence);
  w.u32be(ASF_IANA).u8(AsfType.PresencePong).u8(tag).u8(0).u8(16);
  w.u32be(ASF_IANA); // OEM IANA: none, so the ASF number
  w.u32be(0); // OEM defined
  w.u8(0x81); // supported entities: bit 7 IPMI, ASF version 1
  w.u8(0x00); // supported interactions
  w.fill(0, 6);
  return w.finish();
}

/** An RMCP ACK for a message that asked for one (sequence 0-254): same sequence, class with bit 7 set. */
export function encodeRmcpAck(header: RmcpHeader): Uint8Array {
  return Uint8Array.of(RMCP_VERSION, 0, header.sequence, 0x80 | header.messageClass);
}
