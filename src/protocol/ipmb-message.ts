// The IPMI message carried in LAN packets, framed like IPMB (IPMI v2.0 §13.8, Table 13-4):
//   request : rsSA | netFn<<2|rsLUN | chk1 | rqSA | rqSeq<<2|rqLUN | cmd | data | chk2
//   response: rqSA | netFn<<2|rqLUN | chk1 | rsSA | rqSeq<<2|rsLUN | cmd | cc | data | chk2

import { ProtocolError, Writer, checksum8 } from './bytes.js';

export const BMC_SA = 0x20;
export const REMOTE_SWID = 0x81;

export interface IpmbMessage {
  /** Responder address (rsSA) for requests; requester (rqSA) for responses: the first byte. */
  destAddr: number;
  netFn: number;
  destLun: number;
  srcAddr: number;
  seq: number;
  srcLun: number;
  cmd: number;
  /** For responses data[0] is the completion code. */
  data: Uint8Array;
}

/** Decodes and verifies both checksums. `data` is a view into `buf`. */
export function decodeIpmb(buf: Uint8Array, start = 0, end = buf.length): IpmbMessage {
  if (end - start < 7) throw new ProtocolError(`IPMI message of ${end - start} bytes is too short`, start);
  if (checksum8(buf, start, start + 2) !== buf[start + 2]) throw new ProtocolError('bad IPMI header checksum', start + 2);
  if (checksum8(buf, start + 3, end - 1) !== buf[end - 1]) throw new ProtocolError('bad IPMI data checksum', end - 1);
  return {
    destAddr: buf[start]!,
    netFn: buf[start + 1]! >> 2,
    destLun: buf[start + 1]! & 3,
    srcAddr: buf[start + 3]!,
    seq: buf[start + 4]! >> 2,
    srcLun: buf[start + 4]! & 3,
    cmd: buf[start + 5]!,
    data: buf.subarray(start + 6, end - 1),
  };
}

export function writeIpmb(w: Writer, m: IpmbMessage, prefix?: number): void {
  const at = w.length;
  w.u8(m.destAddr).u8(((m.netFn & 0x3f) << 2) | (m.destLun & 3));
  w.u8(checksum8(w.buf, at, at + 2));
  const body = w.length;
  w.u8(m.srcAddr).u8(((m.seq & 0x3f) << 2) | (m.srcLun & 3)).u8(m.cmd);
  if (prefix !== undefined) w.u8(prefix);
  w.bytes(m.data);
  w.u8(checksum8(w.buf, body, w.length));
}

export function encodeIpmb(m: IpmbMessage): Uint8Array {
  const w = new Writer(8 + m.data.length);
  writeIpmb(w, m);
  return w.finish();
}

export function ipmbLength(dataLength: number, withCc: boolean): number {
  return 7 + dataLength + (withCc ? 1 : 0);
}
