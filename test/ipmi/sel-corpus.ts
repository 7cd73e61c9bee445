// SEL records shared by the unit and interop tests: every record type and description rule
// ipmitool has for a BMC it does not attribute to an OEM. Sensor numbers refer to sdrCorpus.

import type { SelRecord, SystemEventRecord } from '../../src/ipmi/sel/records.js';

let nextId = 0x10;
function event(sensorType: number, sensorNumber: number, eventReadingType: number, ed: [number, number, number], deassert = false, timestamp = 0x6000_0000): SystemEventRecord {
  return {
    kind: 'system',
    recordId: nextId++,
    recordType: 0x02,
    timestamp,
    generatorId: 0x0020,
    evmRevision: 0x04,
    sensorType,
    sensorNumber,
    eventDirection: deassert ? 'deassertion' : 'assertion',
    eventReadingType,
    eventData1: ed[0],
    eventData2: ed[1],
    eventData3: ed[2],
  };
}

/** Every record type and description rule ipmitool has for records it cannot attribute to an OEM. */
export const selCorpus: SelRecord[] = [
  event(0x01, 0x30, 0x01, [0x59, 95, 90]), // UC going high, reading + threshold
  event(0x01, 0x30, 0x01, [0x52, 1, 2], true), // LC going low, deasserted: the comparison flips
  event(0x01, 0x30, 0x01, [0x07, 0, 0]), // UNC going high, no data: "Reading 0"
  event(0x01, 0x30, 0x01, [0x19, 0, 81]), // threshold only
  event(0x01, 0x30, 0x01, [0x49, 92, 0]), // reading only
  event(0x02, 0x31, 0x01, [0x54, 172, 170]), // 12V LNR going low: fractional volts
  event(0x01, 0x32, 0x01, [0x52, 0xee, 0xf0]), // two's complement negative temperatures
  event(0x0b, 0x33, 0x01, [0x52, 0x83, 0x80]), // one's complement, Watts*hour
  event(0x0b, 0x33, 0x01, [0x57, 0x05, 0x03], true), // exact binary ties: glibc prints 0.62, not 0.63
  event(0x04, 0x34, 0x01, [0x50, 3, 1]), // percent, 0.437 per count
  event(0x01, 0x77, 0x01, [0x59, 95, 90]), // threshold event for a sensor with no SDR
  event(0x0c, 0x00, 0x6f, [0xa0, 0x00, 0x21]), // memory sensor 0: "CPU 1 DIMM 2"
  event(0x0c, 0x40, 0x6f, [0xa1, 0x00, 0x21]), // memory, other sensor: no CPU/DIMM text
  event(0x23, 0x50, 0x6f, [0xc1, 0x14, 0xff]), // watchdog 2 hard reset; data 2 (use/interrupt) ignored
  event(0x23, 0x00, 0x6f, [0x08, 0x00, 0x00]), // watchdog timer interrupt, sensor 0
  event(0x0f, 0x41, 0x6f, [0x00, 0x03, 0xff]), // firmware error, data 2 not flagged: "Unknown Error"
  event(0x0f, 0x41, 0x6f, [0xc0, 0x03, 0xff]), // flagged: "Unrecoverable IDE device failure"
  event(0x0f, 0x41, 0x6f, [0xc0, 0x99, 0xff]), // flagged, unknown code: "Unknown Error"
  event(0x0f, 0x41, 0x6f, [0xc2, 0x13, 0xff]), // progress: "System boot initiated"
  event(0x08, 0x42, 0x6f, [0xc6, 0x01, 0x00]), // PSU config error, revision mismatch
  event(0x2b, 0x43, 0x6f, [0x81, 0x05, 0x00]), // version change, data 2 flagged as OEM still matches
  event(0x03, 0x44, 0x03, [0x01, 0xff, 0xff]), // generic digital state asserted
  event(0x07, 0x45, 0x0c, [0x02, 0xff, 0xff], true), // ACPI D2, deasserted
  event(0x25, 0x46, 0x6f, [0x05, 0xff, 0xff]), // entity presence offset 5: no text
  event(0x22, 0x47, 0x6f, [0x0d, 0xff, 0xff]), // ACPI state 0x0D: no text
  event(0x22, 0x47, 0x6f, [0x0e, 0xff, 0xff]), // "Unknown"
  event(0xc0, 0x48, 0x6f, [0x01, 0xff, 0xff]), // OEM sensor type
  event(0x12, 0x49, 0x70, [0x01, 0xff, 0xff]), // OEM event type 70h: no text
  event(0x12, 0x49, 0x7f, [0x01, 0xff, 0xff]), // 7Fh: no text either
  event(0x1d, 0x4a, 0x6f, [0x07, 0xff, 0xff], false, 0x00000123), // pre-init timestamp
  event(0x2c, 0x4b, 0x6f, [0x04, 0xff, 0xff]), // FRU state "Active"
  event(0xf0, 0x4c, 0x6f, [0x03, 0xff, 0xff]), // PICMG hot swap M3
  { kind: 'oemTimestamped', recordId: nextId++, recordType: 0xc1, timestamp: 0x6000_0100, manufacturerId: 0x000157, oemData: Uint8Array.of(1, 2, 3, 4, 5, 6) },
  { kind: 'oemNonTimestamped', recordId: nextId++, recordType: 0xe0, oemData: Uint8Array.of(0x41, 0x42, 0x43, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13) },
  { kind: 'oemNonTimestamped', recordId: nextId++, recordType: 0xf0, oemData: Uint8Array.of(0, 0, ...Array.from('Oops at 0x1', (c) => c.charCodeAt(0))) },
];
