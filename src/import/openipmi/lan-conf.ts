// OpenIPMI ipmi_sim's LAN configuration file (`ipmi_sim -c lan.conf`, man 5 ipmi_lan), read as
// ipmi_sim 2.0.33 reads it (lanserv/config.c read_config, lanserv/lanserv_config.c,
// serial_ipmi.c serserv_read_config, sol.c is_sol_read_config) into a model that keeps every
// statement's position. One statement per line (no continuations); a first word starting with
// "#" makes a comment. Statements after `set_working_mc ADDR` configure that MC (0x20 before any).
// Nothing here decides what ipmi-sim can express: convert.ts does.

import { fixedBytes, ImportError, privilegeWord, Words, type SourcePos, type Variables } from './words.js';

export type AuthName = 'none' | 'md2' | 'md5' | 'straight';
export type AuthLevel = 'callback' | 'user' | 'operator' | 'admin';

export interface Located<T> {
  at: SourcePos;
  value: T;
}

export interface LanUser {
  at: SourcePos;
  id: number;
  valid: boolean;
  /** 16 bytes, zero padded (ipmi_sim keeps at most 15 characters of a quoted name). */
  name: Uint8Array;
  /** 20 bytes, zero padded (at most 19 characters). */
  password: Uint8Array;
  truncated: boolean;
  privilege: number;
  maxSessions: number;
}

export interface LanChannel {
  at: SourcePos;
  channel: number;
  addr?: Located<{ host: string; port: number }>;
  privLimit?: Located<number>;
  perMsgAuth?: Located<boolean>;
  pefAlerting?: Located<boolean>;
  auths: Partial<Record<AuthLevel, Located<AuthName[]>>>;
  /** 16 bytes as sent by Get System GUID. */
  guid?: Located<Uint8Array>;
  /** K_G, 20 bytes. */
  bmcKey?: Located<Uint8Array>;
  lanConfigProgram?: Located<string>;
}

export interface SerialInterface {
  at: SourcePos;
  kind: 'kcs' | 'bt' | 'smic' | '15';
  host: string;
  port: string;
  codec?: string;
  /** The simulator connects out instead of listening. */
  connect: boolean;
  /** Other options (oem, attn, ipmb) as written. */
  options: string[];
}

export interface SolDevice {
  at: SourcePos;
  device: string;
  /** 9600, 19200, 38400, 57600 or 115200. */
  baud: number;
  historySize?: number;
  backupFile?: string;
  historyFru?: number;
  noRtsCts: boolean;
  readClear: boolean;
}

/** What one MC gets from the file. */
export interface McLanConfig {
  ipmb: number;
  at: SourcePos;
  users: Map<number, LanUser>;
  lans: LanChannel[];
  serial?: SerialInterface;
  sol?: SolDevice;
  chassisControl?: Located<string>;
  startcmd?: Located<string>;
  startnow?: Located<boolean>;
  poweroffWait?: Located<number>;
  killWait?: Located<number>;
}

export interface LanConfig {
  file: string;
  name?: Located<string>;
  mcs: Map<number, McLanConfig>;
  console?: Located<{ host: string; port: string }>;
  loadlibs: Located<string>[];
  ipmb: SourcePos[];
  /** Lines ending in CR LF (the CR is dropped here; ipmi_sim would read it as part of the last word). */
  crlf?: SourcePos;
}

/** The lines of a file with their numbers; a CR before the LF is dropped and remembered. */
export function fileLines(text: string): { lines: string[]; crlfLine: number | undefined } {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  let crlfLine: number | undefined;
  const out = lines.map((l, i) => {
    if (l.endsWith('\r')) {
      crlfLine ??= i + 1;
      return l.slice(0, -1);
    }
    return l;
  });
  return { lines: out, crlfLine };
}

const AUTH_NAMES: readonly AuthName[] = ['none', 'md2', 'md5', 'straight'];
const BAUDS = [9600, 19200, 38400, 57600, 115200];
/** ipmi_sim's line buffer (MAX_CONFIG_LINE): a longer line is split into two statements. */
const MAX_LINE = 1023;
const MAX_USERS = 63;
const MAX_CHANNELS = 16;

function address(words: Words, defaultPort: string | undefined, what: string): { host: string; port: string } {
  const host = words.need(`${what} address`);
  const port = words.next() ?? defaultPort;
  if (port === undefined) throw words.error(`${what}: missing port`);
  return { host, port };
}

function portNumber(words: Words, port: string, what: string): number {
  return words.numberWord(port, `${what} port`, 0xffff);
}

export function parseLanConfig(text: string, file: string, vars: Variables): LanConfig {
  const { lines, crlfLine } = fileLines(text);
  const conf: LanConfig = { file, mcs: new Map(), loadlibs: [], ipmb: [] };
  if (crlfLine !== undefined) conf.crlf = { file, line: crlfLine };
  const mcAt = (ipmb: number, at: SourcePos): McLanConfig => {
    let mc = conf.mcs.get(ipmb);
    if (!mc) conf.mcs.set(ipmb, (mc = { ipmb, at, users: new Map(), lans: [] }));
    return mc;
  };
  // ipmi_sim allocates the BMC at 0x20 before reading the file.
  let mc = mcAt(0x20, { file, line: 0 });
  for (let i = 0; i < lines.length; i++) {
    const at = { file, line: i + 1 };
    if (lines[i]!.length > MAX_LINE) throw new ImportError(at, `line longer than ${MAX_LINE} characters (ipmi_sim reads it as two statements)`);
    const w = new Words(lines[i]!, at, vars);
    const word = w.next();
    if (word === undefined || word.startsWith('#')) continue;
    switch (word) {
      case 'define':
        // read_config sets the variable, then falls through to the statement list, which has
        // no "define": ipmi_sim (2.0.33 and later) refuses to start.
        throw w.error('define is refused by ipmi_sim in lan.conf ("Invalid configuration option": it sets the variable, then rejects the line); write the value out');
      case 'loadlib':
        conf.loadlibs.push({ at, value: w.string('library') });
        w.string('initialization string');
        break;
      case 'name':
        conf.name = { at, value: w.string('name') };
        break;
      case 'set_working_mc': {
        mc = mcAt(w.byte('IPMB address'), at);
        break;
      }
      case 'startlan': {
        const channel = w.uint('channel');
        if (channel >= MAX_CHANNELS) throw w.error(`channel ${channel} is out of range (0-${MAX_CHANNELS - 1})`);
        if (mc.lans.some((l) => l.channel === channel)) throw w.error(`channel ${channel} is already in use`);
        const lan: LanChannel = { at, channel, auths: {} };
        i = readLanSection(lines, i + 1, lan, vars, file);
        mc.lans.push(lan);
        break;
      }
      case 'user': {
        const id = w.uint('user number');
        if (id > MAX_USERS) throw w.error(`user number ${id} is larger than ${MAX_USERS}`);
        const valid = w.bool('enabled');
        const name = fixedBytes(w, 'username', 16);
        const password = fixedBytes(w, 'password', 20);
        const privilege = privilegeWord(w, 'privilege limit');
        const maxSessions = w.uint('maximum sessions');
        // Anything after (the allowed authentication types of old files) is ignored, as in ipmi_sim.
        mc.users.set(id, { at, id, valid, name: name.bytes, password: password.bytes, truncated: name.truncated || password.truncated, privilege, maxSessions });
        break;
      }
      case 'serial':
        if (mc.serial) throw w.error('the system interface (channel 15) is already defined');
        mc.serial = serial(w, at);
        break;
      case 'sol':
        mc.sol = sol(w, at);
        break;
      case 'chassis_control':
        mc.chassisControl = { at, value: w.string('program') };
        break;
      case 'startcmd':
        mc.startcmd = { at, value: w.string('command') };
        break;
      case 'startnow':
        mc.startnow = { at, value: w.bool('startnow') };
        break;
      case 'poweroff_wait':
        mc.poweroffWait = { at, value: w.uint('seconds') };
        break;
      case 'kill_wait':
        mc.killWait = { at, value: w.uint('seconds') };
        break;
      case 'console':
        conf.console = { at, value: address(w, undefined, 'console') };
        break;
      case 'ipmb':
        conf.ipmb.push(at);
        break;
      default:
        throw w.error(`"${word}" is not a lan.conf statement (ipmi_sim: "Invalid configuration option")`);
    }
  }
  return conf;
}

function readLanSection(lines: string[], start: number, lan: LanChannel, vars: Variables, file: string): number {
  for (let i = start; i < lines.length; i++) {
    const at = { file, line: i + 1 };
    const w = new Words(lines[i]!, at, vars);
    const word = w.next();
    if (word === undefined || word.startsWith('#')) continue;
    switch (word) {
      case 'endlan':
        return i;
      case 'PEF_alerting':
        lan.pefAlerting = { at, value: w.bool('PEF_alerting') };
        break;
      case 'per_msg_auth':
        lan.perMsgAuth = { at, value: w.bool('per_msg_auth') };
        break;
      case 'priv_limit':
        lan.privLimit = { at, value: privilegeWord(w, 'privilege limit') };
        break;
      case 'allowed_auths_callback':
      case 'allowed_auths_user':
      case 'allowed_auths_operator':
      case 'allowed_auths_admin': {
        const level = word.slice('allowed_auths_'.length) as AuthLevel;
        const types = w.rest().map((t) => {
          if (!AUTH_NAMES.includes(t as AuthName)) throw w.error(`unknown authentication type "${t}" (none, md2, md5 or straight)`);
          return t as AuthName;
        });
        lan.auths[level] = { at, value: types };
        break;
      }
      case 'addr': {
        if (lan.addr) throw w.error('the LAN address is already set (ipmi_sim takes one addr per startlan)');
        const a = address(w, '623', 'LAN');
        lan.addr = { at, value: { host: a.host, port: portNumber(w, a.port, 'LAN') } };
        break;
      }
      case 'guid':
        lan.guid = { at, value: fixedBytes(w, 'GUID', 16).bytes };
        break;
      case 'bmc_key':
        lan.bmcKey = { at, value: fixedBytes(w, 'BMC key', 20).bytes };
        break;
      case 'lan_config_program':
        lan.lanConfigProgram = { at, value: w.string('program') };
        break;
      default:
        throw w.error(`"${word}" is not a statement of a startlan section (ipmi_sim: "Invalid configuration option")`);
    }
  }
  throw new ImportError(lan.at, 'startlan without endlan (ipmi_sim: "End of file in lan section")');
}

function serial(w: Words, at: SourcePos): SerialInterface {
  const ch = w.need('channel');
  let kind: SerialInterface['kind'];
  if (ch === 'kcs' || ch === 'bt' || ch === 'smic') kind = ch;
  else if (w.numberWord(ch, 'channel', 0xffffffff) === 15) kind = '15';
  else throw w.error('only the system interface (channel 15, or kcs, bt, smic) can be a serial interface');
  const { host, port } = address(w, undefined, 'serial');
  const s: SerialInterface = { at, kind, host, port, connect: false, options: [] };
  for (let word = w.next(); word !== undefined; word = w.next()) {
    if (word === 'connect') {
      s.connect = true;
      continue;
    }
    const value = w.next();
    if (!['codec', 'oem', 'attn', 'ipmb'].includes(word)) throw w.error(`unknown serial option "${word}" (codec, oem, attn, ipmb, connect)`);
    if (value === undefined) throw w.error(`missing value for serial option ${word}`);
    if (word === 'codec') {
      if (!['TerminalMode', 'Direct', 'RadisysAscii', 'VM'].includes(value)) throw w.error(`unknown codec "${value}" (TerminalMode, Direct, RadisysAscii, VM)`);
      s.codec = value;
    } else s.options.push(`${word} ${value}`);
  }
  return s;
}

function sol(w: Words, at: SourcePos): SolDevice {
  const device = w.string('SOL device');
  if (/^(tcp|telnet):/.test(device) && !device.replace(/^(tcp|telnet):/, '').includes(':')) throw w.error('SOL tcp/telnet device needs HOST:PORT');
  const baud = w.uint('default baud rate');
  if (!BAUDS.includes(baud)) throw w.error(`baud rate ${baud}: must be 9600, 19200, 38400, 57600 or 115200`);
  const s: SolDevice = { at, device, baud, noRtsCts: false, readClear: false };
  for (let word = w.next(); word !== undefined; word = w.next()) {
    if (word.startsWith('history=')) {
      const [size, ...opts] = word.slice(8).split(',');
      s.historySize = w.numberWord(size!, 'history size', 0xffffffff);
      for (const o of opts) {
        if (!o.startsWith('backupfile=')) throw w.error(`unknown history option "${o}" (backupfile=FILE)`);
        s.backupFile = o.slice(11);
      }
    } else if (word.startsWith('historyfru=')) {
      const fru = w.numberWord(word.slice(11), 'history FRU', 0xffffffff);
      if (fru >= 0xff) throw w.error('history FRU must be below 255');
      s.historyFru = fru;
    } else if (word.startsWith('nortscts')) s.noRtsCts = true;
    else if (word.startsWith('readclear')) s.readClear = true;
    else throw w.error(`unknown sol option "${word}" (history=, historyfru=, nortscts, readclear)`);
  }
  return s;
}
