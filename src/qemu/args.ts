// Pure builder for the IPMI part of a QEMU command line (`ipmi-sim qemu-args`): a BMC device
// (QEMU's own `ipmi-bmc-sim`, or `ipmi-bmc-extern` + a socket chardev to our simulator) plus one
// guest-facing interface device, and the guest serial port SOL reaches (buildSolArgs). No I/O: the caller supplies the target QEMU version (probe.ts
// finds it) and gets argv words back, or a QemuArgsError listing everything the target cannot
// accept. Device and property facts: qemu-ipmi.md §2.1 (BMC properties), §3.1 (interfaces),
// §4 (canonical lines, reconnect syntax), §6.1 (quirks).

import { isLoopback } from '../util/loopback.js';
import { atLeast, DEBIAN12_QEMU, formatVersion, toVersion, type QemuVersion } from './version.js';

export const IPMI_INTERFACES = ['kcs', 'bt', 'pci-kcs', 'pci-bt', 'ssif'] as const;
export type IpmiInterface = (typeof IPMI_INTERFACES)[number];

export const BMC_KINDS = ['internal', 'external'] as const;
export type BmcKind = (typeof BMC_KINDS)[number];

type Bus = 'isa' | 'pci' | 'smbus';

/** Guest-facing interface devices (qemu-ipmi.md §3.1, release map §0). */
export const INTERFACE_DEVICES: Readonly<Record<IpmiInterface, { device: string; bus: Bus; since: string }>> = {
  kcs: { device: 'isa-ipmi-kcs', bus: 'isa', since: '2.6' },
  bt: { device: 'isa-ipmi-bt', bus: 'isa', since: '2.6' },
  'pci-kcs': { device: 'pci-ipmi-kcs', bus: 'pci', since: '4.2' },
  'pci-bt': { device: 'pci-ipmi-bt', bus: 'pci', since: '4.2' },
  ssif: { device: 'smbus-ipmi', bus: 'smbus', since: '4.2' },
};

/** Number of I/O ports each ISA interface decodes (KCS: data+status; BT: a 4-byte region). */
const ISA_PORT_SPAN: Readonly<Record<string, number>> = { kcs: 2, bt: 4 };

/**
 * QEMU's `smbus-ipmi` defaults to address 0 (the SMBus general-call address), where no guest
 * driver looks (qemu-ipmi.md §3.1, §6.1 #19), so we always pass one.
 */
export const DEFAULT_SSIF_ADDRESS = 0x10;
export const DEFAULT_BMC_ID = 'bmc0';
export const DEFAULT_CHARDEV_ID = 'ipmi0';

export type ChardevEndpoint = { readonly host: string; readonly port: number } | { readonly path: string };

/**
 * Parses a user-typed endpoint: "host:port", "[v6addr]:port", "unix:PATH", or a path (anything
 * containing a '/'). Throws QemuArgsError on anything else.
 */
export function parseChardevEndpoint(text: string): ChardevEndpoint {
  if (text.startsWith('unix:')) return { path: text.slice(5) };
  if (text.includes('/')) return { path: text };
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (!m) throw new QemuArgsError([`chardev endpoint ${JSON.stringify(text)} is neither host:port nor a Unix socket path`]);
  return { host: (m[1] ?? m[2])!, port: Number(m[3]) };
}

/** How the chardev's reconnect interval is spelled (qemu-ipmi.md §4 reconnect table). */
export type ReconnectSyntax = 'auto' | 'reconnect' | 'reconnect-ms';

export interface IpmiArgsOptions {
  bmc: BmcKind;
  /** Default 'kcs'. */
  interface?: IpmiInterface;
  /** Target QEMU; default Debian 12's 7.2 (the CLI probes the real binary instead). */
  qemuVersion?: QemuVersion | string;
  bmcId?: string;
  /** `slave_addr` of either BMC (default 0x20 in QEMU). */
  slaveAddr?: number;

  /** ISA interfaces only: I/O base (KCS default 0xca2, BT 0xe4) and IRQ (default 5, 0 = none). */
  ioport?: number;
  irq?: number;
  /** PCI interfaces only: slot[.function], e.g. "0x6" or "06.0". */
  pciAddr?: string;
  /** SSIF only: 7-bit SMBus address, default DEFAULT_SSIF_ADDRESS. */
  address?: number;

  /** External BMC: where our simulator listens (or, with `listen`, where QEMU listens). */
  chardev?: ChardevEndpoint;
  chardevId?: string;
  /** External BMC: seconds between reconnect attempts; 0 or absent = no reconnect. */
  reconnect?: number;
  reconnectSyntax?: ReconnectSyntax;
  /** External BMC: QEMU listens (`server=on,wait=off`) and the BMC dials in. */
  listen?: boolean;

  /** Internal BMC (`ipmi-bmc-sim`) properties, qemu-ipmi.md §2.1. */
  sdrfile?: string;
  frudatafile?: string;
  fruareasize?: number;
  /** A UUID, or "auto" for a random one. */
  guid?: string;
  deviceId?: number;
  ipmiVersion?: number;
  deviceRev?: number;
  fwrev1?: number;
  fwrev2?: number;
  mfgId?: number;
  productId?: number;
}

export interface IpmiArgs {
  /** argv words, without the program name. */
  args: string[];
  /** Accepted but probably not what the user meant (e.g. properties QEMU ignores). */
  warnings: string[];
  /** The version the line was built for. */
  version: QemuVersion;
}

export class QemuArgsError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.join('; ')}`);
    this.name = 'QemuArgsError';
    this.problems = problems;
  }
}

type SimKey = 'mfgId' | 'productId' | 'fwrev1' | 'fwrev2' | 'deviceRev' | 'deviceId' | 'ipmiVersion' | 'guid' | 'sdrfile' | 'frudatafile' | 'fruareasize';

interface SimProperty {
  readonly key: SimKey;
  readonly prop: string;
  readonly kind: 'u8' | 'u16' | 'u32' | 'uuid' | 'path';
  /** Numbers in hex where the spec and ipmitool show them in hex (IDs, BCD). */
  readonly hex?: boolean;
  readonly since: string;
}

/**
 * `ipmi-bmc-sim` properties in the order of the canonical line in qemu-ipmi.md §4 item 1, with
 * the release that added them (§0: 2.10 SDR/FRU files, 2.12 identity, 4.2 guid).
 */
const SIM_PROPERTIES: readonly SimProperty[] = [
  { key: 'deviceId', prop: 'device_id', kind: 'u8', hex: true, since: '2.12' },
  { key: 'ipmiVersion', prop: 'ipmi_version', kind: 'u8', hex: true, since: '2.12' },
  { key: 'mfgId', prop: 'mfg_id', kind: 'u32', hex: true, since: '2.12' },
  { key: 'productId', prop: 'product_id', kind: 'u16', hex: true, since: '2.12' },
  { key: 'fwrev1', prop: 'fwrev1', kind: 'u8', since: '2.12' },
  { key: 'fwrev2', prop: 'fwrev2', kind: 'u8', hex: true, since: '2.12' },
  { key: 'deviceRev', prop: 'device_rev', kind: 'u8', since: '2.12' },
  { key: 'guid', prop: 'guid', kind: 'uuid', since: '4.2' },
  { key: 'sdrfile', prop: 'sdrfile', kind: 'path', since: '2.10' },
  { key: 'frudatafile', prop: 'frudatafile', kind: 'path', since: '2.10' },
  { key: 'fruareasize', prop: 'fruareasize', kind: 'u16', since: '2.10' },
];

const UINT_MAX: Readonly<Record<'u8' | 'u16' | 'u32', number>> = { u8: 0xff, u16: 0xffff, u32: 0xffffffff };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** QEMU's id syntax (util/id.c `id_wellformed`). */
const ID_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
/** sun_path is 108 bytes including the terminating NUL. */
const UNIX_PATH_MAX = 107;

/** The version to build for (default Debian 12's); a bad one is a problem, not an exception. */
function targetVersion(v: QemuVersion | string | undefined, problems: string[]): QemuVersion {
  try {
    if (v !== undefined) return toVersion(v);
  } catch (e) {
    problems.push((e as Error).message);
  }
  return DEBIAN12_QEMU;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** QemuOpts values end at a comma; a literal comma is written twice. */
export function qemuOptValue(value: string): string {
  return value.replaceAll(',', ',,');
}

/** Builds `-chardev`/`-device` words for one BMC and its interface, or throws QemuArgsError. */
export function buildIpmiArgs(opts: IpmiArgsOptions): IpmiArgs {
  const problems: string[] = [];
  const warnings: string[] = [];
  const version = targetVersion(opts.qemuVersion, problems);
  const v = formatVersion(version);
  const needs = (what: string, since: string): void => {
    if (!atLeast(version, since)) problems.push(`${what} needs QEMU >= ${since} (target is ${v})`);
  };
  const uint = (name: string, value: number | undefined, max: number): value is number => {
    if (value === undefined) return false;
    if (!Number.isInteger(value) || value < 0 || value > max) {
      problems.push(`${name} must be an integer in 0..${hex(max)}, got ${value}`);
      return false;
    }
    return true;
  };

  if (!(BMC_KINDS as readonly string[]).includes(opts.bmc)) {
    throw new QemuArgsError([`bmc must be one of ${BMC_KINDS.join(', ')}, got ${JSON.stringify(opts.bmc)}`]);
  }
  const ifName = opts.interface ?? 'kcs';
  const iface = INTERFACE_DEVICES[ifName];
  if (!iface) {
    throw new QemuArgsError([`interface must be one of ${IPMI_INTERFACES.join(', ')}, got ${JSON.stringify(ifName)}`]);
  }
  const bmcId = opts.bmcId ?? DEFAULT_BMC_ID;
  const chardevId = opts.chardevId ?? DEFAULT_CHARDEV_ID;
  for (const [name, id] of [['bmcId', bmcId], ['chardevId', chardevId]] as const) {
    if (!ID_RE.test(id)) problems.push(`${name} ${JSON.stringify(id)} is not a valid QEMU id (letter, then letters, digits, '-', '.', '_')`);
  }
  needs(opts.bmc === 'internal' ? 'ipmi-bmc-sim' : 'ipmi-bmc-extern', '2.6');
  needs(iface.device, iface.since);

  // --- the BMC device -------------------------------------------------------------------------
  const args: string[] = [];
  const bmcProps: string[] = [];
  if (uint('slaveAddr', opts.slaveAddr, 0xff)) bmcProps.push(`slave_addr=${hex(opts.slaveAddr)}`);

  if (opts.bmc === 'internal') {
    for (const what of ['chardev', 'reconnect', 'listen'] as const) {
      if (opts[what] !== undefined && opts[what] !== false) {
        problems.push(`${what} applies to the external BMC only (the internal ipmi-bmc-sim has no chardev)`);
      }
    }
    bmcProps.unshift(...simProperties(opts, { problems, warnings, needs, uint }));
    args.push('-device', ['ipmi-bmc-sim', `id=${bmcId}`, ...bmcProps].join(','));
  } else {
    for (const p of SIM_PROPERTIES) {
      if (opts[p.key] !== undefined) {
        problems.push(`${p.prop} is a property of the internal BMC only; ipmi-bmc-extern has no ${p.prop} (the external BMC answers for itself)`);
      }
    }
    const chardev = chardevOption(opts, chardevId, version, { problems, warnings });
    if (chardev) args.push('-chardev', chardev);
    args.push('-device', ['ipmi-bmc-extern', `id=${bmcId}`, `chardev=${chardevId}`, ...bmcProps].join(','));
  }

  // --- the interface device -------------------------------------------------------------------
  const ifProps = [iface.device, `bmc=${bmcId}`];
  const notHere = (prop: string, why: string): void => {
    problems.push(`${iface.device} has no '${prop}' property (${why})`);
  };
  if (iface.bus === 'isa') {
    const span = ISA_PORT_SPAN[ifName] ?? 1;
    if (uint('ioport', opts.ioport, 0x10000 - span)) ifProps.push(`ioport=${hex(opts.ioport)}`);
    // QEMU asserts isairq < 16 (hw/isa/isa-bus.c isa_get_irq) and would abort, not report.
    if (uint('irq', opts.irq, 15)) ifProps.push(`irq=${opts.irq}`);
  } else {
    const why = iface.bus === 'pci' ? 'a PCI device gets its I/O BAR and INTA from the PCI bus' : 'an SMBus device has neither I/O ports nor an interrupt';
    if (opts.ioport !== undefined) notHere('ioport', why);
    if (opts.irq !== undefined) notHere('irq', why);
  }
  if (iface.bus === 'pci') {
    if (opts.pciAddr !== undefined) {
      if (/^(0x)?[0-9a-f]{1,2}(\.[0-7])?$/i.test(opts.pciAddr)) ifProps.push(`addr=${opts.pciAddr}`);
      else problems.push(`pciAddr ${JSON.stringify(opts.pciAddr)} is not slot[.function] (e.g. 0x6 or 06.0)`);
    }
  } else if (opts.pciAddr !== undefined) {
    notHere('addr', 'only the PCI interfaces take a PCI address');
  }
  if (iface.bus === 'smbus') {
    const address = opts.address ?? DEFAULT_SSIF_ADDRESS;
    if (uint('address', address, 0x7f)) {
      if (address === 0) warnings.push('SSIF address 0 is the SMBus general-call address; guests will not find the BMC there');
      ifProps.push(`address=${hex(address)}`);
    }
  } else if (opts.address !== undefined) {
    notHere('address', 'only smbus-ipmi (ssif) has an SMBus address');
  }
  args.push('-device', ifProps.join(','));

  if (problems.length > 0) throw new QemuArgsError(problems);
  return { args, warnings, version };
}

interface Checks {
  problems: string[];
  warnings: string[];
  needs: (what: string, since: string) => void;
  uint: (name: string, value: number | undefined, max: number) => boolean;
}

function simProperties(opts: IpmiArgsOptions, c: Checks): string[] {
  const props: string[] = [];
  for (const p of SIM_PROPERTIES) {
    const value = opts[p.key];
    if (value === undefined) continue;
    c.needs(p.prop, p.since);
    if (p.kind === 'path' || p.kind === 'uuid') {
      const s = String(value);
      if (s === '') c.problems.push(`${p.prop} must not be empty`);
      else if (p.kind === 'uuid' && s !== 'auto' && !UUID_RE.test(s)) {
        c.problems.push(`guid must be a UUID (8-4-4-4-12 hex digits) or "auto", got ${JSON.stringify(s)}`);
      } else props.push(`${p.prop}=${qemuOptValue(s)}`);
      continue;
    }
    const n = value as number;
    if (!c.uint(p.prop, n, UINT_MAX[p.kind])) continue;
    props.push(`${p.prop}=${p.hex ? hex(n) : n}`);
  }
  // Quirks of ipmi-bmc-sim, qemu-ipmi.md §2.1 and §6.1 #1.
  if (opts.deviceId !== undefined) {
    c.warnings.push('device_id has no effect in QEMU: ipmi-bmc-sim always answers Device ID 0x20 (qemu-ipmi.md §6.1 #1)');
  }
  if (opts.ipmiVersion !== undefined) {
    c.warnings.push('ipmi_version has no effect in QEMU: ipmi-bmc-sim always answers IPMI version 2.0 (qemu-ipmi.md §6.1 #1)');
  }
  if (opts.fwrev1 !== undefined && opts.fwrev1 > 0x7f) c.warnings.push('fwrev1 is masked with 0x7f in Get Device ID (bit 7 means "update in progress")');
  if (opts.deviceRev !== undefined && opts.deviceRev > 0x0f) c.warnings.push('only the low nibble of device_rev is reported');
  if (opts.mfgId !== undefined && opts.mfgId > 0xffffff) c.warnings.push('only the low 24 bits of mfg_id are reported (IANA numbers are 20 bits)');
  if (opts.fruareasize === 0) c.problems.push('fruareasize must be at least 1');
  return props;
}

function chardevOption(opts: IpmiArgsOptions, id: string, version: QemuVersion, c: Pick<Checks, 'problems' | 'warnings'>): string | undefined {
  const ep = opts.chardev;
  if (!ep) {
    c.problems.push('the external BMC needs a chardev endpoint: { host, port } for TCP or { path } for a Unix socket');
    return undefined;
  }
  // Whoever reaches the socket can reset, NMI or power off the VM (qemu-ipmi.md §4).
  const parts = ['socket', `id=${id}`, ...endpointParts(ep, 'controls the VM\'s power', c)];

  const reconnect = opts.reconnect ?? 0;
  if (!(Number.isFinite(reconnect) && reconnect >= 0)) {
    c.problems.push(`reconnect must be a number of seconds >= 0, got ${opts.reconnect}`);
  } else if (opts.listen) {
    // A listening QEMU waits for the BMC instead; reconnect on a server socket is an error since 4.0.
    if (reconnect > 0) c.problems.push('reconnect cannot be combined with listen (QEMU rejects reconnect on server sockets since 4.0)');
    parts.push('server=on', 'wait=off');
  } else if (reconnect > 0) {
    const spelled = reconnectOption(reconnect, opts.reconnectSyntax ?? 'auto', version, c.problems);
    if (spelled) parts.push(spelled);
  } else {
    // Without reconnect QEMU connects synchronously while creating the chardev, and the
    // ipmi-bmc-extern connect handler then runs before any interface is linked to the BMC:
    // QEMU 7.2 dies of SIGSEGV when the BMC is listening, and refuses to start when it is not
    // [verified 7.2, test/qemu/interop.test.ts]. Newer releases are untested, hence a warning.
    const why = 'an external BMC on a client socket needs reconnect (or listen): without it QEMU connects before the BMC has an interface';
    if (atLeast(version, '8.0')) c.warnings.push(`${why}, which crashes QEMU 7.2 at start-up (SIGSEGV)`);
    else c.problems.push(`${why} and crashes at start-up (SIGSEGV on 7.2); give reconnect (e.g. 1) or listen`);
  }
  if (opts.reconnectSyntax !== undefined && opts.reconnectSyntax !== 'auto' && !(reconnect > 0 && !opts.listen)) {
    c.problems.push('reconnectSyntax given without a reconnect interval');
  }
  return parts.join(',');
}

/** `path=...` or `host=...,port=...` of a socket chardev, checked; `risk` says what a remote peer could do. */
function endpointParts(ep: ChardevEndpoint, risk: string, c: Pick<Checks, 'problems' | 'warnings'>): string[] {
  if ('path' in ep) {
    if (ep.path === '') c.problems.push('chardev path must not be empty');
    else if (Buffer.byteLength(ep.path) > UNIX_PATH_MAX) c.problems.push(`Unix socket path is ${Buffer.byteLength(ep.path)} bytes; the limit is ${UNIX_PATH_MAX}`);
    return [`path=${qemuOptValue(ep.path)}`];
  }
  if (!ep.host || /[,\s]/.test(ep.host)) c.problems.push(`chardev host ${JSON.stringify(ep.host)} is not a host name or address`);
  else if (!isLoopback(ep.host)) c.warnings.push(`chardev host ${ep.host} is not loopback: anyone who reaches it ${risk}`);
  if (!Number.isInteger(ep.port) || ep.port < 1 || ep.port > 65535) c.problems.push(`chardev port must be 1..65535, got ${ep.port}`);
  return [`host=${ep.host}`, `port=${ep.port}`];
}

/** Whether a Unix socket path fits sun_path (QEMU and the kernel refuse longer ones). */
export function unixPathFits(path: string): boolean {
  return Buffer.byteLength(path) <= UNIX_PATH_MAX;
}

export const DEFAULT_SOL_CHARDEV_ID = 'sol0';
/** Seconds between QEMU's attempts to reach the SOL listener: output is lost while it is away. */
export const SOL_RECONNECT_SECONDS = 1;

export interface SolArgsOptions {
  /** Where ipmi-sim listens for the guest's serial port. */
  endpoint: ChardevEndpoint;
  qemuVersion?: QemuVersion | string;
  /** Chardev id (default sol0). */
  id?: string;
  /** Seconds between reconnect attempts (default SOL_RECONNECT_SECONDS; must be > 0). */
  reconnect?: number;
  reconnectSyntax?: ReconnectSyntax;
  /** Add `-serial chardev:<id>` (default true); false when the command line names it already. */
  serial?: boolean;
}

/**
 * The guest's serial port for SOL (sol.md §6.5): a client socket chardev that dials ipmi-sim
 * and keeps redialling (so a QEMU or serve restart is a reconnect), on the first -serial port
 * (ttyS0). Raw, without mux or monitor: a SOL user must not reach QEMU's monitor or its
 * Ctrl-A keys; break goes over QMP (chardev-send-break).
 */
export function buildSolArgs(opts: SolArgsOptions): IpmiArgs {
  const problems: string[] = [];
  const warnings: string[] = [];
  const version = targetVersion(opts.qemuVersion, problems);
  const id = opts.id ?? DEFAULT_SOL_CHARDEV_ID;
  if (!ID_RE.test(id)) problems.push(`SOL chardev id ${JSON.stringify(id)} is not a valid QEMU id (letter, then letters, digits, '-', '.', '_')`);
  const parts = ['socket', `id=${id}`, ...endpointParts(opts.endpoint, "reads and types on the guest's console", { problems, warnings })];
  const reconnect = opts.reconnect ?? SOL_RECONNECT_SECONDS;
  if (!(Number.isFinite(reconnect) && reconnect > 0)) {
    // Without reconnect a missing listener stops QEMU from starting, and a serve restart ends the console for good.
    problems.push(`SOL reconnect must be a number of seconds > 0, got ${opts.reconnect}`);
  } else {
    const spelled = reconnectOption(reconnect, opts.reconnectSyntax ?? 'auto', version, problems);
    if (spelled) parts.push(spelled);
  }
  const args = ['-chardev', parts.join(',')];
  if (opts.serial ?? true) args.push('-serial', `chardev:${id}`);
  if (problems.length > 0) throw new QemuArgsError(problems);
  return { args, warnings, version };
}

/**
 * `reconnect=<s>` up to 9.1, `reconnect-ms=<ms>` from 9.2 (preferred there), and only
 * `reconnect-ms` from 10.2 (qemu-ipmi.md §4; 7.2 rejects reconnect-ms [verified], §6.1 #17).
 */
function reconnectOption(seconds: number, syntax: ReconnectSyntax, version: QemuVersion, problems: string[]): string | undefined {
  const v = formatVersion(version);
  const msOk = atLeast(version, '9.2');
  const sOk = !atLeast(version, '10.2');
  const pick = syntax === 'auto' ? (msOk ? 'reconnect-ms' : 'reconnect') : syntax;
  if (pick === 'reconnect-ms') {
    if (!msOk) {
      problems.push(`reconnect-ms needs QEMU >= 9.2 (target is ${v}); use reconnect=<seconds>`);
      return undefined;
    }
    return `reconnect-ms=${Math.round(seconds * 1000)}`;
  }
  if (!sOk) {
    problems.push(`reconnect=<seconds> was removed in QEMU 10.2 (target is ${v}); use reconnect-ms`);
    return undefined;
  }
  if (!Number.isInteger(seconds)) {
    problems.push(`reconnect=${seconds}: QEMU ${v} takes whole seconds (reconnect-ms needs >= 9.2)`);
    return undefined;
  }
  return `reconnect=${seconds}`;
}
