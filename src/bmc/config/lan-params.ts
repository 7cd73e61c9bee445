// YAML section "lanParams": the LAN configuration parameters `ipmitool lan print` shows.
//   lanParams:
//     ipAddress: 192.0.2.10
//     ipSource: static          # unspecified | static | dhcp | bios | other
//     subnetMask: 255.255.255.0
//     macAddress: 02:00:00:00:00:01
//     defaultGateway: 192.0.2.1
//     defaultGatewayMac: 02:00:00:00:00:fe
//     backupGateway: 0.0.0.0
//     backupGatewayMac: 00:00:00:00:00:00
//     community: public
//     vlanId: 0                 # 0 = no VLAN, else 1-4094
//     vlanPriority: 0
//     arpResponses: true
//     gratuitousArp: false
//     gratuitousArpInterval: 2  # seconds, 0.5 steps
//     ipv4Ttl: 64
//     badPasswordThreshold: 5   # bad passwords in a row that lock a user out; 0 = off
//     badPasswordEvent: true    # Session Audit SEL event on lockout
//     attemptCountReset: 300    # seconds (steps of 10) until the count resets; 0 = never
//     userLockout: 60           # seconds (steps of 10) locked; 0 = disabled until re-enabled

import type { ConfigNode, ConfigSection } from './schema.js';
import { IP_SOURCES, ipv4Bytes, macBytes } from '../state/lan-params.js';

function ipv4(n: ConfigNode): string {
  const s = n.str();
  if (!ipv4Bytes(s)) throw n.error(`expected an IPv4 address like 192.0.2.10, got "${s}"`);
  return s;
}

function mac(n: ConfigNode): string {
  const s = n.str();
  if (!macBytes(s)) throw n.error(`expected a MAC address like 02:00:00:00:00:01, got "${s}"`);
  return s;
}

const FIELDS = [
  'ipAddress',
  'ipSource',
  'subnetMask',
  'macAddress',
  'defaultGateway',
  'defaultGatewayMac',
  'backupGateway',
  'backupGatewayMac',
  'community',
  'vlanId',
  'vlanPriority',
  'arpResponses',
  'gratuitousArp',
  'gratuitousArpInterval',
  'ipv4Ttl',
  'badPasswordThreshold',
  'badPasswordEvent',
  'attemptCountReset',
  'userLockout',
] as const;

/** Seconds in steps of 10, as parameter 26 stores them (16 bits of tens of seconds). */
function tensOfSeconds(n: ConfigNode): number {
  const s = n.int(0, 655350);
  if (s % 10 !== 0) throw n.error(`expected seconds in steps of 10, got ${s}`);
  return s;
}

export const lanParamsSection: ConfigSection = {
  name: 'lanParams',
  parse: (node, config) => {
    const p = config.lanParams;
    for (const [k, v] of node.map(FIELDS)) {
      switch (k as (typeof FIELDS)[number]) {
        case 'ipAddress':
          p.ipAddress = ipv4(v);
          break;
        case 'subnetMask':
          p.subnetMask = ipv4(v);
          break;
        case 'defaultGateway':
          p.defaultGateway = ipv4(v);
          break;
        case 'backupGateway':
          p.backupGateway = ipv4(v);
          break;
        case 'macAddress':
          p.macAddress = mac(v);
          break;
        case 'defaultGatewayMac':
          p.defaultGatewayMac = mac(v);
          break;
        case 'backupGatewayMac':
          p.backupGatewayMac = mac(v);
          break;
        case 'ipSource':
          p.ipSource = v.oneOf(IP_SOURCES);
          break;
        case 'community': {
          const s = v.str(18);
          if (!/^[\x20-\x7e]*$/.test(s)) throw v.error('expected printable ASCII');
          p.community = s;
          break;
        }
        case 'vlanId':
          p.vlanId = v.int(0, 4094);
          break;
        case 'vlanPriority':
          p.vlanPriority = v.int(0, 7);
          break;
        case 'arpResponses':
          p.arpResponses = v.bool();
          break;
        case 'gratuitousArp':
          p.gratuitousArp = v.bool();
          break;
        case 'gratuitousArpInterval': {
          const s = v.number(0.5, 128);
          if (!Number.isInteger(s * 2)) throw v.error(`expected seconds in steps of 0.5, got ${s}`);
          p.gratuitousArpInterval = s;
          break;
        }
        case 'ipv4Ttl':
          p.ipv4Ttl = v.int(1, 255);
          break;
        case 'badPasswordThreshold':
          p.badPasswordThreshold = v.int(0, 255);
          break;
        case 'badPasswordEvent':
          p.badPasswordEvent = v.bool();
          break;
        case 'attemptCountReset':
          p.attemptCountReset = tensOfSeconds(v);
          break;
        case 'userLockout':
          p.userLockout = tensOfSeconds(v);
          break;
      }
    }
  },
};
