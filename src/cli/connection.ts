// Resolves the connection settings of a client command: flag > environment > built-in
// default. With no -H the client talks to the local simulator with its default user, so
// `ipmi-sim serve` in one terminal and `ipmi-sim power status` in another just works.

import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { AuthType } from '../protocol/crypto.js';
import { fromHex } from '../protocol/bytes.js';
import { parsePrivilege } from '../ipmi/spec.js';
import type { LanClientOptions } from '../client/lan-client.js';
import { UsageError } from '../client/errors.js';
import type { GlobalOptions } from './global-options.js';
import type { CliIo } from './io.js';

export const DEFAULT_SIM_HOST = '127.0.0.1';
export const DEFAULT_SIM_PORT = 6230;
export const DEFAULT_SIM_USER = 'admin';
export const DEFAULT_SIM_PASSWORD = 'password';

export interface ConnectionSettings extends LanClientOptions {
  /** No -I given: lanplus, falling back to lan if the BMC has no IPMI v2.0. */
  autoInterface: boolean;
}

function int(value: string | undefined, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`invalid ${what} "${value}" (expected ${min}-${max})`);
  return n;
}

function readPasswordFile(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`unable to read password file ${path}`);
  }
  // Like ipmitool, refuse a password file other users can read.
  if ((st.mode & 0o077) !== 0) throw new UsageError(`password file ${path} is readable by others (chmod 600 it)`);
  return readFileSync(path, 'utf8').split('\n')[0]!.replace(/\r$/, '');
}

/** Client defaults file: ${XDG_CONFIG_HOME:-~/.config}/ipmi-sim/config.yaml (or IPMI_SIM_CONFIG). */
export interface ClientFileConfig {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  interface?: 'lan' | 'lanplus';
  privilege?: string;
  cipherSuite?: number;
  timeout?: number;
  retries?: number;
}

export function clientConfigPath(env: NodeJS.ProcessEnv): string {
  if (env.IPMI_SIM_CONFIG) return env.IPMI_SIM_CONFIG;
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? homedir(), '.config');
  return join(base, 'ipmi-sim', 'config.yaml');
}

const FILE_KEYS = ['host', 'port', 'user', 'password', 'interface', 'privilege', 'cipherSuite', 'timeout', 'retries'];

export function loadClientConfig(env: NodeJS.ProcessEnv): ClientFileConfig {
  const path = clientConfigPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  let doc: unknown;
  try {
    // yaml is loaded only when there is a config file: it is the slowest module to import.
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    doc = parse(text);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`${path}: expected a mapping of ${FILE_KEYS.join(', ')}`);
  for (const k of Object.keys(doc)) if (!FILE_KEYS.includes(k)) throw new UsageError(`${path}: unknown field "${k}" (expected one of ${FILE_KEYS.join(', ')})`);
  const c = doc as Record<string, unknown>;
  if (c.password !== undefined) {
    // A file holding a password must be private, like ipmitool's -f.
    try {
      if ((statSync(path).mode & 0o077) !== 0) throw new UsageError(`${path} holds a password and is readable by others (chmod 600 it)`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
    }
  }
  return c as ClientFileConfig;
}

/** Precedence for every setting: flag > environment > client config file > built-in default. */
export function resolveConnection(o: GlobalOptions, io: CliIo): ConnectionSettings {
  const env = io.env;
  const file = loadClientConfig(env);
  const explicitHost = o.H ?? env.IPMI_HOST ?? file.host;
  const host = explicitHost ?? DEFAULT_SIM_HOST;
  const port = int(o.p ?? env.IPMI_PORT ?? (file.port !== undefined ? String(file.port) : undefined), 'port', 1, 65535) ?? (explicitHost ? 623 : DEFAULT_SIM_PORT);
  const username = o.U ?? env.IPMI_USER ?? file.user ?? (explicitHost ? '' : DEFAULT_SIM_USER);

  let password: string | undefined = o.P;
  if (password === undefined && o.E) {
    // ipmitool's order: IPMITOOL_PASSWORD first, then IPMI_PASSWORD.
    password = env.IPMITOOL_PASSWORD ?? env.IPMI_PASSWORD;
    if (password === undefined) throw new UsageError('-E given but neither IPMITOOL_PASSWORD nor IPMI_PASSWORD is set');
  }
  if (password === undefined && o.f !== undefined) password = readPasswordFile(o.f);
  password ??= env.IPMI_PASSWORD ?? file.password ?? (explicitHost ? '' : DEFAULT_SIM_PASSWORD);

  let privilege = 4;
  let privilegeLookup = false;
  const level = o.L ?? file.privilege;
  if (level !== undefined) {
    const name = level.endsWith('+') ? level.slice(0, -1) : level;
    privilegeLookup = level.endsWith('+');
    const p = parsePrivilege(name);
    if (p === undefined) throw new UsageError(`invalid privilege level "${level}" (CALLBACK, USER, OPERATOR, ADMINISTRATOR)`);
    privilege = p;
  }
  let authType: number | undefined;
  if (o.A !== undefined) authType = ({ NONE: AuthType.None, MD2: AuthType.Md2, MD5: AuthType.Md5, PASSWORD: AuthType.Password } as Record<string, number>)[o.A.toUpperCase()];
  const cipherSuite = int(o.C ?? (file.cipherSuite !== undefined ? String(file.cipherSuite) : undefined), 'cipher suite', 0, 255);
  let kg: Uint8Array | undefined;
  if (o.k !== undefined) kg = new TextEncoder().encode(o.k);
  if (o.y !== undefined) {
    try {
      kg = fromHex(o.y);
    } catch {
      throw new UsageError(`invalid hexadecimal K_G key "${o.y}"`);
    }
  }
  if (kg && kg.length > 20) throw new UsageError('K_G key is longer than 20 bytes');
  const iface = (o.I ?? file.interface ?? 'lanplus') as 'lan' | 'lanplus';
  if (iface !== 'lan' && iface !== 'lanplus') throw new UsageError(`invalid interface "${iface}" (lan, lanplus)`);
  const timeoutSec = o.N !== undefined ? Number(o.N) : file.timeout ?? (iface === 'lan' ? 2 : 1);
  if (!(timeoutSec > 0 && timeoutSec <= 300)) throw new UsageError(`invalid timeout "${o.N}"`);
  const settings: ConnectionSettings = {
    host,
    port,
    interface: iface,
    autoInterface: o.I === undefined && file.interface === undefined,
    username,
    password,
    privilege,
    privilegeLookup,
    timeoutSec,
    retries: int(o.R ?? (file.retries !== undefined ? String(file.retries) : undefined), 'retry count', 1, 100) ?? 4,
  };
  if (authType !== undefined) settings.authType = authType;
  if (cipherSuite !== undefined) settings.cipherSuite = cipherSuite;
  if (kg) settings.kg = kg;
  if (o.verbose >= 2) settings.trace = (level, msg) => void (level <= o.verbose - 1 && io.err(`${msg}\n`));
  return settings;
}
