// LAN configuration parameters of the LAN channel (IPMI v2.0 §23.1-23.2): what
// `ipmitool lan print` shows and `lan set` changes. Owner: storage.

import type { Bmc } from '../bmc.js';

export interface LanParamsConfig {
  ipAddress: string;
  ipSource: 'static' | 'dhcp';
  subnetMask: string;
  macAddress: string;
  defaultGateway: string;
  defaultGatewayMac: string;
}

export const defaultLanParams = (): LanParamsConfig => ({
  ipAddress: '127.0.0.1',
  ipSource: 'static',
  subnetMask: '255.0.0.0',
  macAddress: '02:00:00:00:00:01',
  defaultGateway: '0.0.0.0',
  defaultGatewayMac: '00:00:00:00:00:00',
});

export class LanParams {
  private readonly bmc: Bmc;
  constructor(bmc: Bmc) {
    this.bmc = bmc;
  }
  get config(): LanParamsConfig {
    return this.bmc.config.lanParams;
  }
}
