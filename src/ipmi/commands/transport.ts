// Transport netFn (0x0C) commands: LAN configuration parameters (IPMI v2.0 §23.1-23.2) and SOL
// configuration parameters (§26.2-26.3).

import { Privilege, defineCommand, EMPTY, NetFn, type AnySpec } from '../spec.js';

const { Operator, Administrator } = Privilege;

/** Parameter numbers of Table 23-4 that the simulator knows. */
export const LanParam = {
  SetInProgress: 0,
  AuthTypeSupport: 1,
  AuthTypeEnables: 2,
  IpAddress: 3,
  IpAddressSource: 4,
  MacAddress: 5,
  SubnetMask: 6,
  Ipv4HeaderParams: 7,
  PrimaryRmcpPort: 8,
  SecondaryRmcpPort: 9,
  BmcArpControl: 10,
  GratuitousArpInterval: 11,
  DefaultGatewayIp: 12,
  DefaultGatewayMac: 13,
  BackupGatewayIp: 14,
  BackupGatewayMac: 15,
  CommunityString: 16,
  DestinationCount: 17,
  DestinationType: 18,
  DestinationAddress: 19,
  VlanId: 20,
  VlanPriority: 21,
  CipherSuiteEntrySupport: 22,
  CipherSuiteEntries: 23,
  CipherSuitePrivileges: 24,
  DestinationVlanTags: 25,
  BadPasswordThreshold: 26,
} as const;

/** Parameter revision the BMC reports (Table 23-3: 11h, "present revision"). */
export const LAN_PARAM_REVISION = 0x11;

export interface GetLanConfigRequest {
  channel: number;
  /** Bit 7 of byte 1: return only the parameter revision. */
  revisionOnly: boolean;
  parameter: number;
  setSelector: number;
  blockSelector: number;
}
export const getLanConfigParameters = defineCommand<GetLanConfigRequest, { revision: number; data: Uint8Array }>({
  name: 'Get LAN Configuration Parameters',
  netFn: NetFn.Transport,
  cmd: 0x02,
  access: Operator,
  minRequestLength: 4,
  maxRequestLength: 4,
  request: {
    encode: (w, v) => void w.u8((v.revisionOnly ? 0x80 : 0) | (v.channel & 0x0f)).u8(v.parameter).u8(v.setSelector).u8(v.blockSelector),
    decode(r) {
      const b = r.u8();
      return { channel: b & 0x0f, revisionOnly: (b & 0x80) !== 0, parameter: r.u8(), setSelector: r.u8(), blockSelector: r.u8() };
    },
  },
  response: {
    encode: (w, v) => void w.u8(v.revision).bytes(v.data),
    decode: (r) => ({ revision: r.u8(), data: r.rest().slice() }),
  },
  completionCodes: { 0x80: 'parameter not supported' },
});

export const setLanConfigParameters = defineCommand<{ channel: number; parameter: number; data: Uint8Array }, Record<string, never>>({
  name: 'Set LAN Configuration Parameters',
  netFn: NetFn.Transport,
  cmd: 0x01,
  access: Administrator,
  minRequestLength: 3,
  request: {
    encode: (w, v) => void w.u8(v.channel & 0x0f).u8(v.parameter).bytes(v.data),
    decode: (r) => ({ channel: r.u8() & 0x0f, parameter: r.u8(), data: r.rest().slice() }),
  },
  response: EMPTY,
  completionCodes: {
    0x80: 'parameter not supported',
    0x81: "attempt to set the 'set in progress' value when not in the 'set complete' state",
    0x82: 'attempt to write a read-only parameter',
  },
});

// ---- SOL configuration parameters (IPMI v2.0 §26.2-26.3, Table 26-5; sol.md §3) ----------

export const SolParam = {
  SetInProgress: 0,
  Enable: 1,
  Authentication: 2,
  AccumulateInterval: 3,
  Retry: 4,
  NonVolatileBitRate: 5,
  VolatileBitRate: 6,
  PayloadChannel: 7,
  PayloadPort: 8,
} as const;

/** Parameter revision of the SOL parameters (Table 26-5: 11h). */
export const SOL_PARAM_REVISION = 0x11;

/** Bit rate codes of SOL parameters 5 and 6, in kbit/s as ipmitool prints them. */
export const SOL_BIT_RATES: Readonly<Record<number, string>> = { 0x06: '9.6', 0x07: '19.2', 0x08: '38.4', 0x09: '57.6', 0x0a: '115.2' };

export const getSolConfigParameters = defineCommand<GetLanConfigRequest, { revision: number; data: Uint8Array }>({
  name: 'Get SOL Configuration Parameters',
  netFn: NetFn.Transport,
  cmd: 0x22,
  access: Privilege.User,
  minRequestLength: 4,
  maxRequestLength: 4,
  request: getLanConfigParameters.request,
  response: getLanConfigParameters.response,
  completionCodes: { 0x80: 'parameter not supported' },
});

export const setSolConfigParameters = defineCommand<{ channel: number; parameter: number; data: Uint8Array }, Record<string, never>>({
  name: 'Set SOL Configuration Parameters',
  netFn: NetFn.Transport,
  cmd: 0x21,
  access: Administrator,
  minRequestLength: 3,
  request: setLanConfigParameters.request,
  response: EMPTY,
  completionCodes: setLanConfigParameters.completionCodes!,
});

export const transportCommands: readonly AnySpec[] = [setLanConfigParameters, getLanConfigParameters, setSolConfigParameters, getSolConfigParameters];
