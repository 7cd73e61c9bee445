// Reads the QEMU <-> ipmi_sim chardev captures in test/fixtures/captures (see the README there):
// raw lines `time DIR nB hex…`, each followed by the recording proxy's own decoding
// (`MSG seq=… netfn=… cmd=… [cc=…] data=[…] csum=… ok` or `CMD … -> NAME`), and connection markers.

import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromHex } from '../../src/protocol/bytes.js';

export type CaptureDirection = 'qemuToBmc' | 'bmcToQemu';

/** What the proxy decoded from one frame of a chunk. */
export type ProxyDecoded =
  | { kind: 'message'; seq: number; netFn: number; lun: number; cmd: number; cc?: number; data: Uint8Array; csum: number }
  | { kind: 'control'; text: string };

export interface CaptureChunk {
  line: number;
  time: number;
  dir: CaptureDirection;
  bytes: Uint8Array;
  decoded: ProxyDecoded[];
}

export interface CaptureConnection {
  startLine: number;
  chunks: CaptureChunk[];
}

const fixtureDir = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/captures');

export const captureFiles = ['extern-chardev-capture.txt', 'extern-chardev-capture-bt.txt'] as const;

const rawLine = /^\s*([\d.]+) (QEMU->BMC|BMC->QEMU)\s+(\d+)B ((?:[0-9a-f]{2} ?)+)$/;
const msgLine = /^\s*[\d.]+ (?:QEMU->BMC|BMC->QEMU)\s+MSG\s+seq=0x(\w+) netfn=0x(\w+)\(\w+\) lun=(\d) cmd=0x(\w+)(?: cc=0x(\w+))? data=\[([0-9a-f ]*)\] csum=0x(\w+) ok$/;
const cmdLine = /^\s*[\d.]+ (?:QEMU->BMC|BMC->QEMU)\s+CMD\s+(.*)$/;
const connectLine = /=== QEMU connected/;

export function loadCapture(name: string): CaptureConnection[] {
  const text = readFileSync(join(fixtureDir, name), 'latin1');
  const conns: CaptureConnection[] = [];
  let last: CaptureChunk | undefined;
  text.split('\n').forEach((line, i) => {
    const lineNo = i + 1;
    if (connectLine.test(line)) {
      conns.push({ startLine: lineNo, chunks: [] });
      last = undefined;
      return;
    }
    const raw = rawLine.exec(line);
    if (raw) {
      const conn = conns.at(-1);
      if (!conn) throw new Error(`${name}:${lineNo}: data before any connection`);
      const bytes = fromHex(raw[4]!);
      if (bytes.length !== Number(raw[3])) throw new Error(`${name}:${lineNo}: length ${raw[3]} but ${bytes.length} bytes`);
      last = { line: lineNo, time: Number(raw[1]), dir: raw[2] === 'QEMU->BMC' ? 'qemuToBmc' : 'bmcToQemu', bytes, decoded: [] };
      conn.chunks.push(last);
      return;
    }
    const msg = msgLine.exec(line);
    if (msg) {
      if (!last) throw new Error(`${name}:${lineNo}: decoded line without a raw line`);
      const h = (s: string | undefined) => parseInt(s!, 16);
      last.decoded.push({
        kind: 'message',
        seq: h(msg[1]),
        netFn: h(msg[2]),
        lun: Number(msg[3]),
        cmd: h(msg[4]),
        ...(msg[5] !== undefined ? { cc: h(msg[5]) } : {}),
        data: fromHex(msg[6]!),
        csum: h(msg[7]),
      });
      return;
    }
    const cmd = cmdLine.exec(line);
    if (cmd) {
      if (!last) throw new Error(`${name}:${lineNo}: decoded line without a raw line`);
      last.decoded.push({ kind: 'control', text: cmd[1]! });
      return;
    }
    if (/MSG|CMD/.test(line)) throw new Error(`${name}:${lineNo}: unrecognised decoded line: ${line}`);
  });
  return conns;
}
