// FRU inventory devices (IPMI v2.0 §34; Platform Management FRU Information Storage
// Definition v1.0). Owner: storage.

import type { Bmc } from '../bmc.js';

export interface FruDeviceConfig {
  id: number;
  /** Raw FRU image bytes. */
  image: Uint8Array;
}

export class FruStore {
  private readonly bmc: Bmc;
  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }
  device(id: number): Uint8Array | undefined {
    return this.bmc.config.fru.find((d) => d.id === id)?.image;
  }
}
