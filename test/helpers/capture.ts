// Reads test/fixtures/rmcpplus-capture.txt: tshark `-V -x` dissections of ipmitool 1.8.19 talking
// to OpenIPMI ipmi_sim 2.0.33 on loopback (copied from shared/captures; user admin, password
// "password"). Only the hex dumps are used: each frame is Ethernet (14) + IPv4 + UDP (8) + payload,
// and the UDP payload (RMCP onwards) is what the codecs see.

import { readFileSync } from 'node:fs';

export interface CapturedFrame {
  no: number;
  srcPort: number;
  dstPort: number;
  /** The UDP payload: the datagram as a LAN channel receives it. */
  udp: Uint8Array;
}

export interface CapturedRun {
  /** The `### ipmitool ...` line that produced the run. */
  command: string;
  frames: CapturedFrame[];
}

/** ipmi_sim listened on this port in the capture. */
export const BMC_PORT = 9623;

const fixture = new URL('../../../test/fixtures/rmcpplus-capture.txt', import.meta.url);

function frameFromHex(no: number, bytes: number[]): CapturedFrame {
  const b = Uint8Array.from(bytes);
  const ipStart = 14;
  const ihl = (b[ipStart]! & 0x0f) * 4;
  const udpStart = ipStart + ihl;
  const srcPort = (b[udpStart]! << 8) | b[udpStart + 1]!;
  const dstPort = (b[udpStart + 2]! << 8) | b[udpStart + 3]!;
  const udpLength = (b[udpStart + 4]! << 8) | b[udpStart + 5]!;
  const udp = b.subarray(udpStart + 8, udpStart + udpLength);
  if (udp.length !== udpLength - 8) throw new Error(`frame ${no}: UDP length ${udpLength} does not match the dump`);
  return { no, srcPort, dstPort, udp };
}

export function loadCapture(): CapturedRun[] {
  const runs: CapturedRun[] = [];
  let run: CapturedRun | undefined;
  let frameNo = 0;
  let bytes: number[] | undefined;
  const flush = () => {
    if (run && bytes && bytes.length > 0) run.frames.push(frameFromHex(frameNo, bytes));
    bytes = undefined;
  };
  for (const line of readFileSync(fixture, 'latin1').split('\n')) {
    const cmd = /^### (ipmitool .*)$/.exec(line);
    if (cmd) {
      flush();
      run = { command: cmd[1]!, frames: [] };
      runs.push(run);
      continue;
    }
    const frame = /^Frame (\d+):/.exec(line);
    if (frame) {
      flush();
      frameNo = Number(frame[1]);
      bytes = [];
      continue;
    }
    // "0030  00 00 00 ...   ascii": offset, two spaces, up to 16 hex bytes, then the ASCII column.
    const dump = /^([0-9a-f]{4})  ((?:[0-9a-f]{2} ){0,15}[0-9a-f]{2})/.exec(line);
    if (dump && bytes) {
      if (parseInt(dump[1]!, 16) !== bytes.length) throw new Error(`frame ${frameNo}: hex dump offset ${dump[1]} out of order`);
      for (const h of dump[2]!.split(' ')) bytes.push(parseInt(h, 16));
    }
  }
  flush();
  return runs;
}

/** The run whose ipmitool command line contains `text`. */
export function captureRun(text: string): CapturedRun {
  const r = loadCapture().find((x) => x.command.includes(text));
  if (!r) throw new Error(`no captured run for "${text}"`);
  return r;
}
