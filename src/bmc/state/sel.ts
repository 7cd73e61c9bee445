// System Event Log (IPMI v2.0 §31). Owner: storage. The BMC assigns record IDs and, for
// timestamped record types, the timestamp when a record is stored (§31.6).

import type { Bmc } from '../bmc.js';

export interface SelConfig {
  /** Maximum number of 16-byte entries. */
  capacity: number;
}

export const defaultSelConfig = (): SelConfig => ({ capacity: 512 });

export interface SelEntry {
  id: number;
  record: Uint8Array;
}

export class Sel {
  private readonly bmc: Bmc;
  readonly entries: SelEntry[] = [];
  private nextId = 1;
  overflow = false;
  lastAddTime = 0xffffffff;
  lastEraseTime = 0xffffffff;

  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }

  get capacity(): number {
    return this.bmc.config.sel.capacity;
  }

  /** Stores a record; returns its ID, or undefined when the SEL is full (overflow set). */
  add(record: Uint8Array): number | undefined {
    if (this.entries.length >= this.capacity) {
      this.overflow = true;
      return undefined;
    }
    const r = record.slice(0, 16);
    const id = this.nextId;
    this.nextId = this.nextId >= 0xfffe ? 1 : this.nextId + 1;
    r[0] = id & 0xff;
    r[1] = id >> 8;
    const now = this.bmc.selTime();
    if (r[2]! < 0xe0) new DataView(r.buffer).setUint32(3, now, true);
    this.entries.push({ id, record: r });
    this.lastAddTime = now;
    return id;
  }
}
