// YAML config → BmcConfig. Every field is validated with its position; a bad file is rejected
// before anything starts. Sections that are absent get neutral defaults (see baseConfig()).

import { readFileSync } from 'node:fs';
import { AuthType, cipherSuiteById } from '../protocol/crypto.js';
import { fromHex } from '../protocol/bytes.js';
import { baseConfig, guidFromString, type BmcConfig } from './config.js';
import { ConfigError, ConfigSource, type ConfigNode } from './config-schema.js';
import type { UserConfig } from './users.js';
import { sectionParsers, type SectionParser } from './config-registry.js';
import './config/sections.js';


const CORE_SECTIONS = ['identity', 'users', 'lan', 'sessions'] as const;

export const PRIVILEGES = ['callback', 'user', 'operator', 'administrator', 'oem', 'no-access'] as const;
export function privilegeValue(name: (typeof PRIVILEGES)[number]): number {
  return name === 'no-access' ? 0x0f : PRIVILEGES.indexOf(name) + 1;
}

const AUTH_TYPES = { none: AuthType.None, md2: AuthType.Md2, md5: AuthType.Md5, password: AuthType.Password } as const;

function parseGuid(n: ConfigNode): Uint8Array {
  const s = n.str();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)) throw n.error(`expected a GUID like 01234567-89ab-cdef-0123-456789abcdef, got "${s}"`);
  return guidFromString(s);
}

function parseIdentity(n: ConfigNode, c: BmcConfig): void {
  const f = n.map([
    'deviceId',
    'deviceRevision',
    'firmware',
    'ipmiVersion',
    'manufacturerId',
    'productId',
    'auxFirmwareRevision',
    'systemGuid',
    'deviceGuid',
    'providesDeviceSdrs',
    'additionalDeviceSupport',
    'firmwareVersion',
    'systemName',
    'osName',
  ]);
  const id = c.identity;
  for (const [k, v] of f) {
    switch (k) {
      case 'deviceId':
        id.deviceId = v.int(0, 255);
        break;
      case 'deviceRevision':
        id.deviceRevision = v.int(0, 15);
        break;
      case 'firmware': {
        const s = v.str();
        const m = /^(\d{1,3})\.(\d{1,2})$/.exec(s);
        if (!m || Number(m[1]) > 127) throw v.error(`expected MAJOR.MINOR like "1.23" (major 0-127, minor 0-99), got "${s}"`);
        id.firmwareMajor = Number(m[1]);
        id.firmwareMinor = parseInt(m[2]!.padStart(2, '0'), 16); // BCD
        if (!id.firmwareVersion || id.firmwareVersion === '1.00') id.firmwareVersion = s;
        break;
      }
      case 'ipmiVersion': {
        const s = v.oneOf(['1.5', '2.0'] as const);
        id.ipmiVersion = s === '1.5' ? 0x51 : 0x02;
        break;
      }
      case 'manufacturerId':
        id.manufacturerId = v.int(0, 0xfffff);
        break;
      case 'productId':
        id.productId = v.int(0, 0xffff);
        break;
      case 'auxFirmwareRevision': {
        const items = v.list();
        if (items.length !== 4) throw v.error(`expected 4 bytes, got ${items.length}`);
        id.auxFirmwareRevision = items.map((i) => i.int(0, 255));
        break;
      }
      case 'systemGuid':
        id.systemGuid = parseGuid(v);
        break;
      case 'deviceGuid':
        id.deviceGuid = parseGuid(v);
        break;
      case 'providesDeviceSdrs':
        id.providesDeviceSdrs = v.bool();
        break;
      case 'additionalDeviceSupport': {
        const names = ['sensor', 'sdr', 'sel', 'fru', 'event-receiver', 'event-generator', 'bridge', 'chassis'] as const;
        let mask = 0;
        for (const item of v.list()) mask |= 1 << names.indexOf(item.oneOf(names));
        id.additionalDeviceSupport = mask;
        break;
      }
      case 'firmwareVersion':
        id.firmwareVersion = v.str(64);
        break;
      case 'systemName':
        id.systemName = v.str(64);
        break;
      case 'osName':
        id.osName = v.str(64);
        break;
    }
  }
}

function parseUsers(n: ConfigNode, c: BmcConfig): void {
  const users: UserConfig[] = [];
  const seen = new Map<number, ConfigNode>();
  for (const item of n.list()) {
    const f = item.map(['id', 'name', 'password', 'privilege', 'enabled']);
    const idNode = f.get('id');
    if (!idNode) throw item.error('missing field "id" (2-63; 1 is the null user)');
    const id = idNode.int(1, 63);
    if (seen.has(id)) throw idNode.error(`user ${id} is defined twice`);
    seen.set(id, idNode);
    const nameNode = f.get('name');
    const name = id === 1 ? '' : nameNode ? nameNode.str(16) : '';
    if (id === 1 && nameNode?.present && nameNode.str() !== '') throw nameNode.error('user 1 is the null user and has no name');
    if (nameNode && !/^[\x20-\x7e]*$/.test(name)) throw nameNode.error('expected printable ASCII');
    const pwNode = f.get('password');
    const password = pwNode ? pwNode.str(20) : '';
    const privNode = f.get('privilege');
    const privilege = privNode ? privilegeValue(privNode.oneOf(PRIVILEGES)) : 2;
    const enabled = f.get('enabled')?.bool() ?? true;
    users.push({ id, name, password, privilege, enabled });
  }
  c.users = users;
  c.maxUsers = Math.max(c.maxUsers, ...users.map((u) => u.id));
}

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

function parseSessions(n: ConfigNode, c: BmcConfig): void {
  const f = n.map(['max', 'idleTimeout']);
  const max = f.get('max');
  if (max) c.sessions.maxSessions = max.int(1, 63);
  const idle = f.get('idleTimeout');
  if (idle) c.sessions.idleTimeoutSec = idle.int(1, 86400);
}

const core: Record<(typeof CORE_SECTIONS)[number], SectionParser> = {
  identity: parseIdentity,
  users: parseUsers,
  lan: parseLan,
  sessions: parseSessions,
};

/** Parses YAML text into a config. Throws ConfigError naming file, line, column and field. */
export function parseConfig(text: string, file: string): BmcConfig {
  const src = new ConfigSource(text, file);
  const config = baseConfig();
  config.source = file;
  if (!src.root.present) return config;
  const sections = src.root.map([...CORE_SECTIONS, ...sectionParsers.keys()]);
  // Core sections first (others may refer to users or identity), then the rest in file order.
  for (const name of CORE_SECTIONS) {
    const node = sections.get(name);
    if (node) core[name](node, config);
  }
  for (const [name, node] of sections) if (!(CORE_SECTIONS as readonly string[]).includes(name)) sectionParsers.get(name)!(node, config);
  return config;
}

export function loadConfigFile(path: string): BmcConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, 0, 0, '', `cannot read config: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseConfig(text, path);
}

export { ConfigError };
