// BMC watchdog timer (IPMI v2.0 §27). Owner: chassis. Counts in 100 ms units on the
// injected clock; expiry logs a Watchdog 2 (sensor type 0x23) event and acts on the Platform.

import type { Bmc } from '../bmc.js';

export class Watchdog {
  private readonly bmc: Bmc;
  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }
  get running(): boolean {
    void this.bmc;
    return false;
  }
}
