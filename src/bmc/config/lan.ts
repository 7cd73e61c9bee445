// YAML section "lan": the LAN channel (privilege limit, cipher suites, v1.5 auth types, K_G).

import { fromHex } from '../../protocol/bytes.js';
import { AuthType, cipherSuiteById } from '../../protocol/crypto.js';
import type { BmcConfig } from './model.js';
import { PRIVILEGES, privilegeValue } from './privileges.js';
import type { ConfigNode, ConfigSection } from './schema.js';

const AUTH_TYPES = { none: AuthType.None, md2: AuthType.Md2, md5: AuthType.Md5, password: AuthType.Password } as const;

export const lanSection: ConfigSection = { name: 'lan', parse: parseLan };

function parseLan(n: ConfigNode, c: BmcConfig): void {
  const f = n.map(['channel', 'privilegeLimit', 'cipherSuites', 'cipherSuitePrivileges', 'allowCipherZero', 'authTypes', 'anonymousLogin', 'kg', 'perMessageAuth', 'userLevelAuth']);
  const lan = c.lan;
  for (const [k, v] of f) {
    switch (k) {
      case 'channel':
        lan.channel = v.int(1, 11);
        break;
      case 'privilegeLimit':
        lan.privilegeLimit = privilegeValue(v.oneOf(PRIVILEGES.slice(0, 5)));
        break;
      case 'cipherSuites': {
        lan.cipherSuites = v.list().map((i) => {
          const id = i.int(0, 255);
          if (!cipherSuiteById(id)) throw i.error(`cipher suite ${id} is not supported (supported: 0-3, 6-8, 11, 12, 15-17; the RC4 suites are not available)`);
          return id;
        });
        break;
      }
      case 'cipherSuitePrivileges': {
        const m = v.map(['0', '1', '2', '3', '6', '7', '8', '11', '12', '15', '16', '17']);
        for (const [suite, p] of m) lan.cipherSuitePrivileges[Number(suite)] = privilegeValue(p.oneOf(PRIVILEGES.slice(0, 5)));
        break;
      }
      case 'allowCipherZero':
        lan.allowCipherZero = v.bool();
        break;
      case 'anonymousLogin':
        lan.anonymousLogin = v.bool();
        break;
      case 'perMessageAuth':
        lan.perMessageAuth = v.bool();
        break;
      case 'userLevelAuth':
        lan.userLevelAuth = v.bool();
        break;
      case 'kg': {
        const s = v.str();
        let key: Uint8Array;
        try {
          key = fromHex(s);
        } catch {
          throw v.error('expected hexadecimal digits');
        }
        if (key.length > 20) throw v.error('K_G is at most 20 bytes');
        lan.kg = new Uint8Array(20);
        lan.kg.set(key);
        break;
      }
      case 'authTypes': {
        const m = v.map(['callback', 'user', 'operator', 'admin', 'oem']);
        for (const [priv, list] of m) {
          lan.authTypes[priv as keyof typeof lan.authTypes] = list.list().map((i) => AUTH_TYPES[i.oneOf(Object.keys(AUTH_TYPES) as (keyof typeof AUTH_TYPES)[])]);
        }
        break;
      }
    }
  }
  if (lan.cipherSuites.includes(0) && !lan.allowCipherZero) {
    throw f.get('cipherSuites')!.error('cipher suite 0 (no authentication) is listed but allowCipherZero is not true');
  }
}
