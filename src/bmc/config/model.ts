// The validated, in-memory description of one simulated BMC. The YAML loader produces it; the
// BMC core only ever sees this typed form.

import type { UserConfig } from '../users.js';
import { defaultChassisConfig, type ChassisConfig } from '../state/chassis.js';
import { defaultSelConfig, type SelConfig } from '../state/sel.js';
import type { SensorConfig } from '../state/sensors.js';
import { defaultSdrConfig, type SdrConfig } from '../state/sdr.js';
import { defaultFru, type FruDeviceConfig } from '../state/fru.js';
import { defaultLanParams, type LanParamsConfig } from '../state/lan-params.js';
import type { VmConfig } from './vm.js';
import type { CommandSetConfig } from './commands.js';
import { defaultSolConfig, type SolConfig } from './sol.js';

export interface IdentityConfig {
  deviceId: number;
  deviceRevision: number;
  firmwareMajor: number;
  /** Raw BCD byte, e.g. 0x15 for "x.15". */
  firmwareMinor: number;
  ipmiVersion: number;
  manufacturerId: number;
  productId: number;
  auxFirmwareRevision?: number[];
  additionalDeviceSupport: number;
  providesDeviceSdrs: boolean;
  /** 16 bytes in IPMI (little-endian field) order, as Get System GUID returns them. */
  systemGuid: Uint8Array;
  deviceGuid: Uint8Array;
  /** Get System Info Parameters strings. */
  firmwareVersion: string;
  systemName: string;
  osName: string;
}

export interface LanChannelConfig {
  channel: number;
  privilegeLimit: number;
  /** Cipher suite IDs offered, in preference order. Suite 0 only if allowCipherZero. */
  cipherSuites: number[];
  /** Maximum privilege per cipher suite (LAN parameter 24); missing = channel limit. */
  cipherSuitePrivileges: Record<number, number>;
  allowCipherZero: boolean;
  /** v1.5 authentication types allowed per requested privilege (LAN parameter 2). */
  authTypes: { callback: number[]; user: number[]; operator: number[]; admin: number[]; oem: number[] };
  /** Null username and null password (user 1 with an empty password). */
  anonymousLogin: boolean;
  /** K_G, 20 bytes; all zero means Kuid is used. */
  kg?: Uint8Array;
  perMessageAuth: boolean;
  userLevelAuth: boolean;
}

export interface SessionConfig {
  maxSessions: number;
  idleTimeoutSec: number;
}

export interface BmcConfig {
  /** Where the config came from, for messages. */
  source: string;
  identity: IdentityConfig;
  users: UserConfig[];
  maxUsers: number;
  /** Privilege limit that unused user IDs report (0x0F no access; some BMCs report 0). */
  unusedUserPrivilege: number;
  lan: LanChannelConfig;
  sessions: SessionConfig;
  chassis: ChassisConfig;
  sel: SelConfig;
  sensors: SensorConfig[];
  sdr: SdrConfig;
  fru: FruDeviceConfig[];
  lanParams: LanParamsConfig;
  /** Serial over LAN: parameters, history, the standalone console. */
  sol: SolConfig;
  /** The VM behind the BMC (serve --bmc external|internal). */
  vm?: VmConfig;
  /** Commands to leave out (they answer 0xC1). */
  commands?: CommandSetConfig;
}

/** The default user: the convention of VirtualBMC and most simulators. */
export const DEFAULT_USER = 'admin';
export const DEFAULT_PASSWORD = 'password';

function guidFromString(s: string): Uint8Array {
  // RFC 4122 text → IPMI wire order: IPMI sends the GUID as a little-endian 128-bit number
  // (SMBIOS order: time_low, time_mid, time_hi little-endian, the rest as-is, then reversed
  // as a whole by ipmitool's "smbios" decode). We store what goes on the wire.
  const hex = s.replace(/-/g, '');
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return b.reverse();
}

export { guidFromString };

export function baseConfig(): BmcConfig {
  return {
    source: '<embedded default>',
    identity: {
      deviceId: 0x20,
      deviceRevision: 1,
      firmwareMajor: 1,
      firmwareMinor: 0x00,
      ipmiVersion: 0x02,
      manufacturerId: 0,
      productId: 0,
      additionalDeviceSupport: 0xbf,
      providesDeviceSdrs: false,
      systemGuid: guidFromString('a3c1e6d2-7f4b-4c1e-9b2a-5d6e7f801234'),
      deviceGuid: guidFromString('a3c1e6d2-7f4b-4c1e-9b2a-5d6e7f805678'),
      firmwareVersion: '1.00',
      systemName: 'ipmi-sim',
      osName: '',
    },
    users: [
      { id: 2, name: DEFAULT_USER, password: DEFAULT_PASSWORD, privilege: 4 },
    ],
    maxUsers: 16,
    unusedUserPrivilege: 0x0f,
    lan: {
      channel: 1,
      privilegeLimit: 4,
      cipherSuites: [17, 3, 1, 2, 6, 7, 8, 11, 12, 15, 16],
      cipherSuitePrivileges: {},
      allowCipherZero: false,
      authTypes: { callback: [1, 2, 4], user: [1, 2, 4], operator: [1, 2, 4], admin: [1, 2, 4], oem: [] },
      anonymousLogin: false,
      perMessageAuth: true,
      userLevelAuth: true,
    },
    sessions: { maxSessions: 16, idleTimeoutSec: 60 },
    chassis: defaultChassisConfig(),
    sel: defaultSelConfig(),
    sensors: [],
    sdr: defaultSdrConfig(),
    fru: defaultFru(),
    lanParams: defaultLanParams(),
    sol: defaultSolConfig(),
  };
}
