// OpenIPMI ipmi_sim configuration (lan.conf + the emulator command file) → ipmi-sim YAML config.
// The two files are read and run as ipmi_sim 2.0.33 would (lan-conf.ts, emu.ts); the state of
// the BMC they describe becomes the config's sections. What ipmi-sim cannot express is an
// ImportError naming file and line (or, lenient, dropped with a note); what it expresses with a
// difference is noted as approximated. The result is loaded with the real config parser before
// it is returned, so it loads with `ipmi-sim serve --config` as is.

import { dirname, isAbsolute, resolve } from 'node:path';
import { parseConfig } from '../../bmc/config/load.js';
import { ConfigError } from '../../bmc/config/schema.js';
import type { BmcConfig } from '../../bmc/config/model.js';
import { ipmiSimMissingCommands } from './commands.js';
import { runEmu, sensorKey, type EmuModel, type SimMc } from './emu.js';
import { parseLanConfig, type LanChannel, type LanConfig, type McLanConfig } from './lan-conf.js';
import { Notes, type ImportNote } from './notes.js';
import { convertSensor, decodeOrUndefined, sensorRecord, type ConvertedSensor } from './sensors.js';
import { ImportError, posText, type SourcePos, type Variables } from './words.js';
import { hexBlock, renderYaml, type Decoration } from './yaml-out.js';

export interface ImportInput {
  lanConf: { path: string; text: string };
  emu?: { path: string; text: string };
}

/** File access for include files and `mc_add_fru_data ... file`; undefined = no such file. */
export interface ImportEnv {
  cwd: string;
  readText(path: string): string | undefined;
  readBytes(path: string): Uint8Array | undefined;
}

export interface ImportOptions {
  /** Drop what ipmi-sim cannot express (with a note) instead of failing. */
  lenient?: boolean;
}

export interface ImportSummary {
  users: number;
  sensors: number;
  /** SDRs served as generated from a sensor, and as the original bytes. */
  sdrGenerated: number;
  sdrRaw: number;
  fruDevices: number;
  /** Files read, in order. */
  files: string[];
  /** serve options the config cannot hold (listen addresses). */
  serveOptions: string[];
}

export interface ImportResult {
  yaml: string;
  config: BmcConfig;
  notes: ImportNote[];
  summary: ImportSummary;
}

/** Where ipmi_sim 2.0.33 (Debian) looks for include files after its working directory. */
export const OPENIPMI_SYSCONF_DIR = '/usr/etc/ipmi';

const hex = (n: number, width = 2) => `0x${n.toString(16).padStart(width, '0')}`;
const DEVICE_SUPPORT = ['sensor', 'sdr', 'sel', 'fru', 'event-receiver', 'event-generator', 'bridge', 'chassis'] as const;
const PRIVILEGE_NAMES: Record<number, string> = { 1: 'callback', 2: 'user', 3: 'operator', 4: 'administrator' };
const AUTH_MAP = { none: 'none', md2: 'md2', md5: 'md5', straight: 'password' } as const;
/** ipmi_sim's RMCP+ suites that ipmi-sim has too (it has no RC4 and offers no suite 0 by default). */
const IPMI_SIM_SUITES = [1, 2, 3, 6, 7, 8, 11, 12];
const BIT_RATES: Record<number, string> = { 9600: '9.6', 19200: '19.2', 38400: '38.4', 57600: '57.6', 115200: '115.2' };
const BMC = 0x20;
const SEL_OPERATIONS = 0x0f;

/** GUID bytes in the order Get System GUID sends them → the text the config takes. */
function guidText(wire: Uint8Array): string {
  const h = [...wire].reverse().map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Zero-padded fixed-size text (a username or password) → string; undefined if it has bytes past the end. */
function paddedText(bytes: Uint8Array): string | undefined {
  const end = bytes.indexOf(0);
  const len = end < 0 ? bytes.length : end;
  if (bytes.subarray(len).some((b) => b !== 0)) return undefined;
  const s = String.fromCharCode(...bytes.subarray(0, len));
  return /^[\x20-\x7e]*$/.test(s) ? s : undefined;
}

const isBcd = (b: number) => (b >> 4) <= 9 && (b & 0xf) <= 9;

export function importOpenIpmi(input: ImportInput, env: ImportEnv, opts: ImportOptions = {}): ImportResult {
  return new Importer(input, env, opts).run();
}

class Importer {
  private readonly input: ImportInput;
  private readonly env: ImportEnv;
  private readonly notes: Notes;
  private readonly out: Record<string, unknown> = {};
  private readonly decorations: Decoration[] = [];
  private readonly summary: ImportSummary = { users: 0, sensors: 0, sdrGenerated: 0, sdrRaw: 0, fruDevices: 0, files: [], serveOptions: [] };

  constructor(input: ImportInput, env: ImportEnv, opts: ImportOptions) {
    this.input = input;
    this.env = env;
    this.notes = new Notes(opts.lenient === true);
  }

  run(): ImportResult {
    const vars: Variables = new Map();
    const lan = parseLanConfig(this.input.lanConf.text, this.input.lanConf.path, vars);
    this.summary.files.push(this.input.lanConf.path);
    if (lan.crlf) this.notes.approximated(lan.crlf, 'CR LF line endings: read without the CRs (ipmi_sim would take each CR as part of the last word)');
    if (!lan.name) throw new ImportError({ file: lan.file, line: 1 }, 'no "name" statement (ipmi_sim refuses to start without one)');
    const emu = this.input.emu ? this.runEmu(lan, vars) : undefined;
    const bmcAddr = emu?.bmc?.ipmb ?? BMC;
    // (Lenient) a BMC elsewhere is converted as ipmi-sim's BMC at 0x20.
    if (bmcAddr !== BMC) this.notes.unsupported(emu!.bmc!.at, `the BMC is at ${hex(bmcAddr)}; ipmi-sim's BMC is at 0x20`);
    const mcConf = lan.mcs.get(bmcAddr) ?? lan.mcs.get(BMC)!;
    const mc = emu?.mcs.get(bmcAddr);

    this.globalStatements(lan, emu);
    if (mc?.added) this.identity(mc, mcConf);
    else if (emu) throw new ImportError({ file: this.input.emu!.path, line: 1 }, `no mc_add for the BMC (${hex(bmcAddr)}): ipmi_sim refuses to start ("No bmc_ipmb specified or configured")`);
    else this.notes.info(undefined, 'no emulator command file: only lan.conf is converted (identity, sensors, SDRs and FRU keep ipmi-sim\'s defaults; give the .emu file as the second argument)');
    this.users(mcConf);
    this.lanChannel(mcConf);
    if (mc) {
      this.sel(mc);
      this.sensorsAndSdrs(mc);
      this.fru(mc);
    }
    this.sol(mcConf);
    this.vm(mcConf);
    if (mc?.added) this.commandSet(mc, mcConf);
    this.otherMcs(lan, emu, bmcAddr);

    // Notes in file order: the files as read, then line by line.
    const fileOrder = (n: ImportNote) => (n.at ? this.summary.files.indexOf(n.at.file) + 1 || this.summary.files.length + 1 : 0);
    this.notes.list.sort((a, b) => fileOrder(a) - fileOrder(b) || (a.at?.line ?? 0) - (b.at?.line ?? 0));
    const header = this.header();
    const yaml = renderYaml(this.out, header, this.decorations);
    let config: BmcConfig;
    try {
      config = parseConfig(yaml, '<converted config>');
    } catch (e) {
      // A converter bug: every section was checked on its own.
      if (e instanceof ConfigError) throw new Error(`the converted config does not load: ${e.message}`);
      throw e;
    }
    return { yaml, config, notes: this.notes.list, summary: this.summary };
  }

  private runEmu(lan: LanConfig, vars: Variables): EmuModel {
    const emu = this.input.emu!;
    const { env } = this;
    const model = runEmu(emu.text, emu.path, {
      vars,
      knownMcs: lan.mcs.keys(),
      readText: (p) => {
        const text = env.readText(p);
        if (text !== undefined) this.summary.files.push(p);
        return text;
      },
      includeCandidates: (name, from) => {
        if (isAbsolute(name)) return [name];
        // ipmi_sim: its working directory, then (unless ./ or ../) its configuration directory;
        // then, for convenience, next to the including file.
        const out = [resolve(env.cwd, name)];
        if (!name.startsWith('./') && !name.startsWith('../')) out.push(`${OPENIPMI_SYSCONF_DIR}/${name}`);
        const beside = resolve(dirname(resolve(env.cwd, from)), name);
        if (!out.includes(beside)) out.push(beside);
        return out;
      },
    });
    this.summary.files.splice(1, 0, emu.path);
    if (model.crlf) this.notes.approximated(model.crlf, 'CR LF line endings: read without the CRs (ipmi_sim would take each CR as part of the last word)');
    if (model.danglingContinuation) this.notes.dropped(model.danglingContinuation, 'the file ends in a continued line ("\\"): ipmi_sim never runs that statement, so it is left out');
    for (const u of model.unsupported) this.notes.unsupported(u.at, `"${u.command}" has no ipmi-sim equivalent`);
    for (const i of model.ignored) this.notes.dropped(i.at, `"${i.command}" only steers ipmi_sim itself`);
    if (!model.bmc) throw new ImportError({ file: emu.path, line: 1 }, 'no mc_setbmc: ipmi_sim refuses to start ("No bmc_ipmb specified or configured"); add "mc_setbmc 0x20" before mc_add');
    return model;
  }

  private globalStatements(lan: LanConfig, emu: EmuModel | undefined): void {
    this.notes.dropped(lan.name!.at, `name "${lan.name!.value}" names ipmi_sim's state directory; ipmi-sim's is --state-dir`);
    if (lan.console) this.notes.dropped(lan.console.at, 'the emulator console is not converted (ipmi-sim has no console port)');
    for (const l of lan.loadlibs) this.notes.unsupported(l.at, `loadlib "${l.value}": ipmi_sim modules cannot be loaded by ipmi-sim`);
    for (const at of lan.ipmb) this.notes.unsupported(at, 'ipmb (an IPMB channel device) has no ipmi-sim equivalent');
    if (emu?.bmc && !emu.mcs.get(emu.bmc.ipmb)?.enabled) this.notes.approximated(emu.bmc.at, 'the BMC is never enabled (mc_enable): ipmi_sim would not answer on the LAN at all');
  }

  private identity(mc: SimMc, mcConf: McLanConfig): void {
    const a = mc.added!;
    if (a.beforeSetBmc) this.notes.approximated(a.at, 'mc_add of the BMC comes before mc_setbmc: ipmi_sim then skips the BMC set-up (system interface, watchdog timer); ipmi-sim always has them');
    const major = a.fwMajor & 0x7f;
    if (!isBcd(a.fwMinor)) this.notes.unsupported(a.at, `minor firmware revision ${hex(a.fwMinor)} is not BCD; the config gives it as MAJOR.MINOR digits`);
    const identity: Record<string, unknown> = {
      deviceId: a.deviceId,
      deviceRevision: a.deviceRevision & 0x0f,
      firmware: `${major}.${(isBcd(a.fwMinor) ? a.fwMinor : 0).toString(16).padStart(2, '0')}`,
      ipmiVersion: '2.0',
      manufacturerId: a.manufacturerId,
      productId: a.productId,
      auxFirmwareRevision: [0, 0, 0, 0],
      additionalDeviceSupport: DEVICE_SUPPORT.filter((_, i) => (a.deviceSupport >> i) & 1),
      providesDeviceSdrs: a.hasDeviceSdrs,
    };
    if (a.hasDeviceSdrs) this.notes.approximated(a.at, 'has-device-sdrs: Get Device ID says so, but ipmi-sim serves no device SDRs (its sensors are in the SDR repository)');
    if (a.dynsens) this.notes.dropped(a.at, 'dynsens (dynamic device SDR population) concerns device SDRs, which are not converted');
    const guid = mcConf.lans[0]?.guid;
    if (guid) identity.systemGuid = guidText(guid.value);
    if (mc.guid) identity.deviceGuid = guidText(mc.guid.bytes);
    this.out.identity = identity;
    this.decorations.push({ path: ['identity'], comment: `${posText(a.at)} mc_add${guid ? `; systemGuid from ${posText(guid.at)} guid` : ''}` });
    this.decorations.push({ path: ['identity', 'auxFirmwareRevision'], flow: true }, { path: ['identity', 'additionalDeviceSupport'], flow: true });
  }

  private users(mcConf: McLanConfig): void {
    const accounts: Record<string, unknown>[] = [];
    for (const u of [...mcConf.users.values()].sort((x, y) => x.id - y.id)) {
      if (u.id === 0) {
        this.notes.dropped(u.at, 'user 0 is not a valid user ID (ipmi_sim never uses it)');
        continue;
      }
      const name = paddedText(u.name);
      const password = paddedText(u.password);
      if (name === undefined) {
        this.notes.unsupported(u.at, `user ${u.id}: the username is not printable text`);
        continue;
      }
      if (password === undefined) {
        this.notes.unsupported(u.at, `user ${u.id}: the password is not printable text`);
        continue;
      }
      if (u.truncated) this.notes.approximated(u.at, `user ${u.id}: ipmi_sim keeps at most 15 characters of a name and 19 of a password; converted as ipmi_sim keeps them`);
      const acc: Record<string, unknown> = { id: u.id };
      if (u.id === 1) {
        if (name !== '') this.notes.dropped(u.at, `user 1 is the null user: its name "${name}" is not used`);
      } else acc.name = name;
      acc.password = password;
      acc.privilege = PRIVILEGE_NAMES[u.privilege];
      if (!u.valid) Object.assign(acc, { enabled: false, ipmiMessaging: false });
      accounts.push(acc);
    }
    this.summary.users = accounts.length;
    // ipmi_sim has 63 user IDs; unused ones report privilege 0 (a reserved value).
    this.out.users = { slots: 63, unusedPrivilege: 0, accounts };
    accounts.forEach((_, i) => this.decorations.push({ path: ['users', 'accounts', i], flow: true }));
    this.decorations.push({ path: ['users'], comment: 'as ipmi_sim: 63 user IDs; unused ones report privilege 0 ("Unknown (0x00)" in ipmitool)' });
  }

  private lanChannel(mcConf: McLanConfig): void {
    const [lan, ...more] = mcConf.lans;
    for (const m of more) this.notes.unsupported(m.at, `a second LAN channel (startlan ${m.channel}): ipmi-sim has one`);
    if (!lan) {
      this.notes.approximated(undefined, 'lan.conf defines no LAN channel (startlan): ipmi_sim would not answer on the LAN; ipmi-sim answers on channel 1');
      return;
    }
    if (lan.channel < 1 || lan.channel > 11) {
      this.notes.unsupported(lan.at, `LAN channel ${lan.channel}: ipmi-sim's LAN channel is 1-11`);
      return;
    }
    const out: Record<string, unknown> = { channel: lan.channel };
    if (lan.privLimit) out.privilegeLimit = PRIVILEGE_NAMES[lan.privLimit.value];
    else this.notes.approximated(lan.at, 'no priv_limit: ipmi_sim then refuses every privilege level; ipmi-sim keeps administrator');
    out.cipherSuites = IPMI_SIM_SUITES;
    this.notes.approximated(lan.at, 'RMCP+ cipher suites: ipmi_sim accepts 0-14; ipmi-sim offers 1-3, 6-8, 11, 12 (no RC4; suite 0 only with cipherSuites: [0, ...] and allowCipherZero: true)');
    if (!lan.guid) this.notes.approximated(lan.at, 'no guid: ipmi_sim then offers no RMCP+ (IPMI 2.0) at all; ipmi-sim does');
    const auth: Record<string, string[]> = {};
    for (const level of ['callback', 'user', 'operator', 'admin'] as const) auth[level] = (lan.auths[level]?.value ?? []).map((a) => AUTH_MAP[a]);
    auth.oem = [];
    out.authTypes = auth;
    // ipmi_sim 2.0.33 reports per-message and user-level authentication on, whatever per_msg_auth says.
    out.perMessageAuth = true;
    out.userLevelAuth = true;
    if (lan.perMsgAuth) this.notes.dropped(lan.perMsgAuth.at, 'per_msg_auth: ipmi_sim 2.0.33 ignores it (it always reports per-message authentication on)');
    if (lan.pefAlerting) this.notes.dropped(lan.pefAlerting.at, 'PEF_alerting: not supported by ipmi_sim either');
    const user1 = mcConf.users.get(1);
    out.anonymousLogin = !!user1?.valid && user1.password.every((b) => b === 0);
    if (lan.bmcKey) out.kg = [...lan.bmcKey.value].map((b) => b.toString(16).padStart(2, '0')).join('');
    if (lan.lanConfigProgram) this.notes.unsupported(lan.lanConfigProgram.at, 'lan_config_program (an external program for the IP settings): ipmi-sim\'s LAN parameters are the lanParams section');
    if (lan.addr) this.listenHint(lan);
    this.out.lan = out;
    for (const k of Object.keys(auth)) this.decorations.push({ path: ['lan', 'authTypes', k], flow: true });
    this.decorations.push({ path: ['lan', 'cipherSuites'], flow: true }, { path: ['lan'], comment: `${posText(lan.at)} startlan ${lan.channel}` });
  }

  private listenHint(lan: LanChannel): void {
    const { host, port } = lan.addr!.value;
    const h = host === 'localhost' ? '127.0.0.1' : host;
    const opt = `--lan ${h.includes(':') ? `[${h}]` : h}:${port}`;
    this.summary.serveOptions.push(opt);
    this.notes.info(lan.addr!.at, `addr ${host} ${port}: give serve ${opt}`);
  }

  private sel(mc: SimMc): void {
    for (const at of mc.selAdds) this.notes.unsupported(at, 'sel_add (a SEL entry at start-up): ipmi-sim\'s config has no SEL entries');
    if (!mc.sel) {
      this.notes.approximated(undefined, 'no sel_enable: ipmi_sim\'s SEL then holds no entries; ipmi-sim\'s holds 512');
      return;
    }
    const cap = Math.min(4095, Math.max(1, mc.sel.maxEntries));
    if (cap !== mc.sel.maxEntries) this.notes.approximated(mc.sel.at, `SEL of ${mc.sel.maxEntries} entries: ipmi-sim's holds 1-4095, so ${cap}`);
    if (mc.sel.flags !== SEL_OPERATIONS) this.notes.approximated(mc.sel.at, `SEL operation flags ${hex(mc.sel.flags)}: ipmi-sim reports ${hex(SEL_OPERATIONS)} (delete, partial add, reserve, allocation info)`);
    this.out.sel = { capacity: cap };
    this.decorations.push({ path: ['sel'], comment: `${posText(mc.sel.at)} sel_enable` });
  }

  private sensorsAndSdrs(mc: SimMc): void {
    for (const at of mc.deviceSdrs) this.notes.unsupported(at, 'device_sdr_add: ipmi-sim serves no device SDRs');
    for (const o of mc.other) this.notes.unsupported(o.at, `${o.command} has no ipmi-sim equivalent`);
    const sdrs = mc.mainSdrs;
    // Each sensor's SDR: the first sensor record naming this MC, its LUN and number.
    const sdrOf = new Map<string, number>();
    sdrs.forEach((r, i) => {
      const b = r.bytes;
      if ([1, 2, 3].includes(b[3]!) && b.length >= 8 && b[5] === mc.ipmb) {
        const key = sensorKey(b[6]! & 3, b[7]!);
        if (!sdrOf.has(key)) sdrOf.set(key, i);
      }
    });
    const used = new Set<string>();
    const converted = new Map<number, ConvertedSensor>();
    const entries: Record<string, unknown>[] = [];
    for (const [key, s] of mc.sensors) {
      const i = sdrOf.get(key);
      let c: ConvertedSensor;
      try {
        c = convertSensor(s, i === undefined ? undefined : sdrs[i], used, this.notes);
      } catch (e) {
        if (!(e instanceof ImportError)) throw e;
        this.notes.unsupported(e.at, e.reason);
        continue;
      }
      if (i !== undefined) converted.set(i, c);
      const src = [`${posText(s.at)} sensor_add`, ...(i !== undefined ? [`SDR ${posText(sdrs[i]!.at)}`] : []), ...(s.thresholdAt ? [`thresholds ${posText(s.thresholdAt)}`] : []), ...(s.valueAt ? [`value ${posText(s.valueAt)}`] : [])];
      this.decorations.push({ path: ['sensors', entries.length], comment: src.join(', ') });
      for (const k of ['thresholds', 'factors', 'range', 'normal', 'hysteresis', 'assertions', 'deassertions', 'states', 'source', 'settable']) this.decorations.push({ path: ['sensors', entries.length, k], flow: true });
      entries.push(c.entry);
    }
    this.summary.sensors = entries.length;
    this.out.sensors = entries;
    const wdSensor = [...mc.sensors.values()].find((s) => s.sensorType === 0x23 && s.lun === 0);
    if (wdSensor) this.out.chassis = { watchdog: { sensorNumber: wdSensor.number } };
    else this.notes.approximated(undefined, 'no Watchdog 2 sensor (sensor_add ... 0x23): ipmi_sim\'s watchdog then never expires; ipmi-sim\'s does');

    const records: Record<string, unknown>[] = [];
    sdrs.forEach((r, i) => {
      const c = converted.get(i);
      const recordId = i + 1;
      if (c) {
        const { spec, reason } = sensorRecord(c, r, recordId);
        if ('sensor' in spec) {
          records.push(spec);
          this.summary.sdrGenerated++;
          this.decorations.push({ path: ['sdr', 'records', records.length - 1], flow: true });
          return;
        }
        this.decorations.push({ path: ['sdr', 'records', records.length], comment: `${posText(r.at)} SDR of "${c.name}" kept as bytes: ${reason}` });
      } else this.decorations.push({ path: ['sdr', 'records', records.length], comment: `${posText(r.at)} ${this.describeRecord(r.bytes, mc)}` });
      records.push({ raw: hexBlock(r.bytes) });
      this.summary.sdrRaw++;
    });
    if (mc.added?.persistSdr) this.notes.approximated(mc.added.at, 'persist_sdr: ipmi_sim also serves the SDRs saved in its state directory (sdr.20.main); only the main_sdr_add records are converted');
    this.out.sdr = { records };
    this.decorations.push({ path: ['sdr'], comment: 'the SDR repository in ipmi_sim\'s order: generated records where they equal ipmi_sim\'s, else its bytes' });
  }

  private describeRecord(bytes: Uint8Array, mc: SimMc): string {
    const rec = decodeOrUndefined(bytes);
    if (!rec) return `record type ${hex(bytes[3]!)}, kept as bytes`;
    switch (rec.kind) {
      case 'full':
      case 'compact':
      case 'eventOnly':
        if (rec.sensorOwnerId !== mc.ipmb) return `SDR of "${rec.idString}", a sensor of MC ${hex(rec.sensorOwnerId)} (not converted: ipmitool's readings of it fail on ipmi-sim)`;
        return `SDR of "${rec.idString}" (sensor ${rec.sensorNumber}, which no sensor_add defines: its readings fail, as on ipmi_sim)`;
      case 'mcLocator':
        return `MC device locator "${rec.idString}" at ${hex(rec.deviceSlaveAddress)}`;
      case 'fruLocator':
        return `FRU device locator "${rec.idString}" (device ${rec.fruDeviceId})`;
      case 'genericLocator':
        return `generic device locator "${rec.idString}"`;
      default:
        return `record type ${hex(rec.recordType)}`;
    }
  }

  private fru(mc: SimMc): void {
    const devices: Record<string, unknown>[] = [];
    for (const f of [...mc.frus.values()].sort((a, b) => a.deviceId - b.deviceId)) {
      if (f.deviceId > 254) {
        this.notes.unsupported(f.at, `FRU device ${f.deviceId}: ipmi-sim's FRU IDs are 0-254`);
        continue;
      }
      if (f.size === 0) {
        this.notes.unsupported(f.at, `FRU device ${f.deviceId} has size 0`);
        continue;
      }
      let data = f.data;
      if (f.file) {
        const path = resolve(this.env.cwd, f.file.path);
        const bytes = this.env.readBytes(path);
        if (!bytes) throw new ImportError(f.at, `cannot read FRU file ${path}`);
        data = new Uint8Array(f.size);
        data.set(bytes.subarray(f.file.offset, f.file.offset + f.size));
        this.summary.files.push(path);
        this.notes.approximated(f.at, `FRU device ${f.deviceId}: ipmi_sim reads ${f.file.path} at every access; the config holds its contents now`);
      }
      let end = data!.length;
      while (end > 1 && data![end - 1] === 0) end--;
      devices.push({ id: f.deviceId, size: f.size, image: hexBlock(data!.subarray(0, end)) });
      this.decorations.push({ path: ['fru', devices.length - 1], comment: `${posText(f.at)} mc_add_fru_data (bytes past the image read as zero)` });
    }
    this.summary.fruDevices = devices.length;
    this.out.fru = devices;
  }

  private sol(mcConf: McLanConfig): void {
    const s = mcConf.sol;
    if (!s) {
      this.out.sol = { enabled: false };
      this.decorations.push({ path: ['sol'], comment: 'no sol statement: ipmi_sim offers no Serial over LAN' });
      return;
    }
    const out: Record<string, unknown> = { enabled: true, bitRate: BIT_RATES[s.baud] };
    if (s.historySize !== undefined) out.history = { size: Math.min(s.historySize, 16 * 1024 * 1024) };
    this.notes.info(s.at, `sol "${s.device}": ipmi-sim connects SOL to the VM's serial port (vm section) or its standalone console, not to a device`);
    if (s.backupFile) this.notes.approximated(s.at, 'history backupfile: ipmi-sim keeps the history in memory (sol.log: true appends it to the state directory)');
    if (s.historyFru !== undefined) this.notes.unsupported(s.at, `historyfru=${s.historyFru}: the SOL history as a FRU device has no ipmi-sim equivalent`);
    if (s.noRtsCts || s.readClear) this.notes.dropped(s.at, 'nortscts / readclear concern the serial device and the history FRU');
    this.out.sol = out;
    this.decorations.push({ path: ['sol'], comment: `${posText(s.at)} sol` });
  }

  private vm(mcConf: McLanConfig): void {
    const sc = mcConf.startcmd;
    const waits = [mcConf.poweroffWait, mcConf.killWait, mcConf.startnow].filter((x) => x !== undefined);
    const serial = mcConf.serial;
    if (serial) {
      if (serial.codec !== 'VM') this.notes.unsupported(serial.at, `serial interface with codec ${serial.codec ?? '(none)'}: ipmi-sim speaks only the VM codec (QEMU ipmi-bmc-extern)`);
      else if (serial.connect) this.notes.unsupported(serial.at, 'serial ... connect (the simulator dials out): ipmi-sim listens for QEMU');
      else {
        const h = serial.host === 'localhost' ? '127.0.0.1' : serial.host;
        const opt = `--extern ${h.includes(':') ? `[${h}]` : h}:${serial.port}`;
        this.summary.serveOptions.push(opt);
        this.notes.info(serial.at, `serial ${serial.kind} ${serial.host} ${serial.port} codec VM: give serve ${opt}`);
      }
      if (serial.options.length) this.notes.dropped(serial.at, `serial options ${serial.options.join(', ')}: ipmi-sim's system interface has fixed settings`);
    }
    if (mcConf.chassisControl) this.notes.unsupported(mcConf.chassisControl.at, 'chassis_control (an external program for power and boot): ipmi-sim powers a VM (startcmd) or simulates power itself');
    if (!sc) {
      for (const w of waits) this.notes.dropped(w!.at, 'without startcmd there is no VM to wait for');
      return;
    }
    const vm: Record<string, unknown> = { command: sc.value };
    if (/[$`|;&<>(){}*?~]/.test(sc.value.replace(/'[^']*'/g, ''))) this.notes.approximated(sc.at, 'ipmi_sim runs startcmd through /bin/sh; ipmi-sim runs its words directly (no variables, globs, pipes or redirections)');
    const wait = (v: { at: SourcePos; value: number } | undefined, what: string) => {
      if (!v) return undefined;
      if (v.value > 3600) {
        this.notes.approximated(v.at, `${what} of ${v.value} s: ipmi-sim waits at most 3600 s`);
        return 3600;
      }
      return v.value;
    };
    vm.powerOffWait = wait(mcConf.poweroffWait, 'poweroff_wait') ?? 60;
    vm.killWait = wait(mcConf.killWait, 'kill_wait') ?? 20;
    vm.powerOnAtStart = mcConf.startnow?.value ?? false;
    this.out.vm = vm;
    this.decorations.push({ path: ['vm'], comment: `${posText(sc.at)} startcmd${serial ? '; serve with ' + this.summary.serveOptions.filter((o) => o.startsWith('--extern')).join(' ') : ''}` });
  }

  /** What ipmi_sim answers with C1h answers C1h here too, so that clients take the same paths. */
  private commandSet(mc: SimMc, mcConf: McLanConfig): void {
    const a = mc.added!;
    const missing = ipmiSimMissingCommands({ deviceSupport: a.deviceSupport, hasDeviceSdrs: a.hasDeviceSdrs, selFlags: mc.sel?.flags, solConfigured: mcConf.sol !== undefined });
    if (!missing.length) return;
    this.out.commands = { disable: missing.map((c) => c.name) };
    const reasons = [...new Set(missing.map((c) => c.why))];
    this.decorations.push({ path: ['commands'], comment: `commands ipmi_sim 2.0.33 answers with C1h (invalid command) here: ${reasons.join('; ')}` });
    this.notes.info(a.at, `${missing.length} commands that ipmi_sim 2.0.33 answers with C1h here are disabled (commands: disable), so clients see the same command set`);
  }

  private otherMcs(lan: LanConfig, emu: EmuModel | undefined, bmcAddr: number): void {
    for (const mc of emu?.mcs.values() ?? []) {
      if (mc.ipmb === bmcAddr) continue;
      if (mc.added) this.notes.unsupported(mc.added.at, `MC ${hex(mc.ipmb)} (a satellite controller): ipmi-sim simulates one MC, the BMC at 0x20`);
      else if (mc.sensors.size || mc.frus.size) this.notes.dropped([...mc.frus.values()][0]?.at ?? { file: lan.file, line: 0 }, `MC ${hex(mc.ipmb)} is never added (mc_add): ipmi_sim ignores what was set for it`);
    }
    for (const [ipmb, m] of lan.mcs) {
      if (ipmb === bmcAddr || (ipmb === BMC && !lan.mcs.has(bmcAddr))) continue;
      if (!emu?.mcs.get(ipmb)?.added) this.notes.dropped(m.at, `MC ${hex(ipmb)}'s lan.conf settings: the MC is never added (mc_add), so ipmi_sim ignores them`);
    }
  }

  private header(): string {
    const s = this.summary;
    const counts = this.notes.list.reduce((m, n) => ((m[n.kind] = (m[n.kind] ?? 0) + 1), m), {} as Record<string, number>);
    const lines = [
      ` ipmi-sim config converted from an OpenIPMI ipmi_sim configuration by "ipmi-sim import-openipmi":`,
      ...s.files.map((f) => `   ${f}`),
      ` ${s.users} users, ${s.sensors} sensors, ${s.sdrGenerated + s.sdrRaw} SDRs (${s.sdrGenerated} generated from their sensor, ${s.sdrRaw} kept as bytes), ${s.fruDevices} FRU devices.`,
      ` ${counts.approximated ?? 0} approximated, ${counts.dropped ?? 0} dropped (listed below; --json gives them with positions).`,
    ];
    if (s.serveOptions.length) lines.push(` Serve it with: ipmi-sim serve --config FILE ${s.serveOptions.join(' ')}`);
    for (const n of this.notes.list.filter((x) => x.kind !== 'info')) lines.push(`   ${n.kind}: ${n.at ? posText(n.at) + ': ' : ''}${n.message}`);
    return lines.join('\n');
  }
}
