// SDR repository (IPMI v2.0 §33): records generated from the config, reservations, partial
// reads, add/erase timestamps. Owner: sensors.

import type { Bmc } from '../bmc.js';

export class SdrRepository {
  private readonly bmc: Bmc;
  readonly records: Uint8Array[] = [];
  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }
  get lastAddTime(): number {
    void this.bmc;
    return 0xffffffff;
  }
}
