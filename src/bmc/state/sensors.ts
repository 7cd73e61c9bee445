// Sensors and their readings, thresholds, event state and value sources (IPMI v2.0 §35-36).
// Owner: sensors.

import type { Bmc } from '../bmc.js';

export interface SensorConfig {
  number: number;
  name: string;
}

export class Sensors {
  private readonly bmc: Bmc;
  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }
  get count(): number {
    return this.bmc.config.sensors.length;
  }
}
