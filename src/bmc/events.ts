// System events (IPMI v2.0 §29-31): a sensor, the watchdog or a Platform Event Message
// produce an event; it goes to the SEL when system event logging is enabled (global enables
// bit 3) and into the single event message buffer when that is enabled (bit 2) and empty,
// which raises the "event message buffer full" message flag and so the system interface's
// attention (ATN) for the guest's driver.

import type { BmcCore } from './core.js';

export interface SystemEvent {
  /** Generator ID: BMC slave address 0x20 (IPMB) unless a software ID sent it. */
  generatorId?: number;
  /** Channel / LUN byte of the generator ID (byte 2); 0 for the BMC itself. */
  generatorChannelLun?: number;
  evmRev?: number;
  sensorType: number;
  sensorNumber: number;
  /** Event/reading type code (0x01 threshold, 0x02-0x0C generic, 0x6F sensor-specific). */
  eventType: number;
  deassertion: boolean;
  data1: number;
  data2: number;
  data3: number;
}

export const EVENT_BUFFER_FULL = 0x02;
export const RECEIVE_MESSAGE_AVAILABLE = 0x01;

/** The 16-byte system event record (SEL record type 02) for an event; ID and timestamp 0. */
export function eventRecord(e: SystemEvent): Uint8Array {
  const r = new Uint8Array(16);
  r[2] = 0x02;
  r[7] = e.generatorId ?? 0x20;
  r[8] = e.generatorChannelLun ?? 0x00;
  r[9] = e.evmRev ?? 0x04;
  r[10] = e.sensorType;
  r[11] = e.sensorNumber;
  r[12] = (e.deassertion ? 0x80 : 0) | (e.eventType & 0x7f);
  r[13] = e.data1;
  r[14] = e.data2;
  r[15] = e.data3;
  return r;
}

export class EventRouter {
  private readonly bmc: BmcCore;
  /** The event message buffer (§21.5): one 16-byte event, undefined when empty. */
  buffer: Uint8Array | undefined;
  /** Messages for the system interface's receive queue (Get Message). */
  readonly receiveQueue: Uint8Array[] = [];

  constructor(bmc: BmcCore) {
    this.bmc = bmc;
  }

  /** Logs an event; returns the SEL record ID when it was stored in the SEL. */
  log(e: SystemEvent): number | undefined {
    const record = eventRecord(e);
    let id: number | undefined;
    const enables = this.bmc.globalEnables;
    if (enables & 0x08) id = this.bmc.sel.add(record);
    if (enables & 0x04 && !this.buffer) {
      this.buffer = record;
      this.bmc.setMessageFlags(this.bmc.messageFlags | EVENT_BUFFER_FULL);
    }
    this.bmc.log.debug('event', { sensorType: e.sensorType, sensor: e.sensorNumber, type: e.eventType, offset: e.data1 & 0x0f, deassert: e.deassertion, sel: id ?? 'not logged' });
    return id;
  }

  /** Read Event Message Buffer: takes the event and clears the flag. */
  take(): Uint8Array | undefined {
    const b = this.buffer;
    this.buffer = undefined;
    if (this.bmc.messageFlags & EVENT_BUFFER_FULL) this.bmc.setMessageFlags(this.bmc.messageFlags & ~EVENT_BUFFER_FULL);
    return b;
  }
}
