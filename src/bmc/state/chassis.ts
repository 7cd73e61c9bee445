// Chassis state (IPMI v2.0 §28): power, restore policy, restart cause, identify, boot
// options, power-on hours. Owner: chassis. Power actions go through the Platform.

import type { Bmc } from '../bmc.js';

export type RestorePolicy = 'always-off' | 'previous' | 'always-on';

export interface ChassisConfig {
  /** Power state when the BMC starts without saved state. */
  initialPower: 'on' | 'off';
  restorePolicy: RestorePolicy;
  /** Seconds the system stays off during a power cycle. */
  powerCycleInterval: number;
}

export const defaultChassisConfig = (): ChassisConfig => ({ initialPower: 'on', restorePolicy: 'previous', powerCycleInterval: 1 });

export class Chassis {
  private readonly bmc: Bmc;
  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }
  get poweredOn(): boolean {
    return this.bmc.platform.poweredOn;
  }
}
