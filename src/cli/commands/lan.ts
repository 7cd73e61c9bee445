// `lan print [channel]` and `lan set <channel> …` (ipmitool lib/ipmi_lanp.c syntax and text).

import { Argument, Command } from 'commander';
import { getChannelAccess, getChannelInfo, setChannelAccess, setUserAccess, setUserPassword, UserPasswordOperation, type ChannelAccess } from '../../ipmi/commands/app.js';
import { getLanConfigParameters, LanParam, setLanConfigParameters } from '../../ipmi/commands/transport.js';
import type { LanClient } from '../../client/lan-client.js';
import { IpmiCompletionError, OperationError, UsageError } from '../../client/errors.js';
import type { CliContext, Output } from '../context.js';
import { call, callCc, ccText, macText, parseCNumber, parseUchar } from '../ipmitool.js';
import { arpIntervalSeconds, cipherPrivBytes, formatLanPrint, LAN_PRINT_PARAMS, lanPrintJson } from '../output/lan.js';
import { isLanMedium } from '../output/users.js';

/** ipmitool's names of the parameters, for messages. */
const PARAM_NAMES: Readonly<Record<number, string>> = {
  [LanParam.SetInProgress]: 'Set in Progress',
  [LanParam.AuthTypeEnables]: 'Auth Type Enable',
  [LanParam.IpAddress]: 'IP Address',
  [LanParam.IpAddressSource]: 'IP Address Source',
  [LanParam.MacAddress]: 'MAC Address',
  [LanParam.SubnetMask]: 'Subnet Mask',
  [LanParam.BmcArpControl]: 'BMC ARP Control',
  [LanParam.GratuitousArpInterval]: 'Gratituous ARP Intrvl',
  [LanParam.DefaultGatewayIp]: 'Default Gateway IP',
  [LanParam.DefaultGatewayMac]: 'Default Gateway MAC',
  [LanParam.BackupGatewayIp]: 'Backup Gateway IP',
  [LanParam.BackupGatewayMac]: 'Backup Gateway MAC',
  [LanParam.CommunityString]: 'SNMP Community String',
  [LanParam.VlanId]: '802.1q VLAN ID',
  [LanParam.VlanPriority]: '802.1q VLAN Priority',
  [LanParam.CipherSuitePrivileges]: 'Cipher Suite Priv Max',
  [LanParam.BadPasswordThreshold]: 'Bad Password Threshold',
};
const GET_LAN_CC = { 0x80: 'Unsupported parameter' };
const SET_LAN_CC = { 0x80: 'Unsupported parameter', 0x81: "Attempt to set 'in progress' while not in 'complete' state", 0x82: 'Parameter is read-only', 0x83: 'Parameter is wrote-only' };
/** Completion codes that mean "this BMC does not have that parameter" (ipmitool treats them alike). */
const UNSUPPORTED = new Set([0x80, 0xc9, 0xcc]);

/** Whether a channel's medium is 802.3 (or other) LAN; like ipmitool, complains about codes other than 0xCC. */
async function isLanChannel(client: LanClient, channel: number, out: Output): Promise<boolean> {
  if (channel < 1 || channel > 0x0e) return false;
  const r = await callCc(client, getChannelInfo, { channel });
  if (r.cc !== 0 && r.cc !== 0xcc && !out.json) out.note(`Get Channel Info command failed: ${ccText(r.cc)}\n`);
  return r.cc === 0 && !!r.value && isLanMedium(r.value.medium);
}

/** The first LAN channel from 1 up, the one ipmitool picks when none is given. */
async function findLanChannel(client: LanClient, out: Output): Promise<number> {
  for (let c = 1; c < 0x0e; c++) if (await isLanChannel(client, c, out)) return c;
  return 0;
}

/** One parameter's data, or undefined when the BMC does not support it. */
async function getParam(client: LanClient, channel: number, parameter: number): Promise<Uint8Array | undefined> {
  const r = await callCc(client, getLanConfigParameters, { channel, revisionOnly: false, parameter, setSelector: 0, blockSelector: 0 });
  if (r.cc === 0 && r.value) return r.value.data;
  if (UNSUPPORTED.has(r.cc)) return undefined;
  const { netFn, cmd, name } = getLanConfigParameters;
  throw new IpmiCompletionError(r.cc, netFn, cmd, name, GET_LAN_CC, `Get LAN Parameter '${PARAM_NAMES[parameter] ?? parameter}' command failed: ${ccText(r.cc, GET_LAN_CC)}`);
}

export async function readLanParams(client: LanClient, channel: number): Promise<Map<number, Uint8Array>> {
  const params = new Map<number, Uint8Array>();
  for (const n of LAN_PRINT_PARAMS) {
    const d = await getParam(client, channel, n);
    if (d) params.set(n, d);
  }
  return params;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Writes a parameter the way ipmitool does: mark "set in progress" (where the BMC has it),
 * write, read back until the bytes match, then "commit write" and "set complete".
 */
async function setParam(client: LanClient, channel: number, parameter: number, data: Uint8Array, verify = true): Promise<void> {
  const progress = async (state: number) => callCc(client, setLanConfigParameters, { channel, parameter: LanParam.SetInProgress, data: Uint8Array.of(state) });
  const lock = await getParam(client, channel, LanParam.SetInProgress).catch(() => undefined);
  if (lock && ((lock[0] ?? 0) & 3) !== 1) await progress(1);
  try {
    const r = await callCc(client, setLanConfigParameters, { channel, parameter, data });
    if (r.cc !== 0 && r.cc !== 0xff) {
      const { netFn, cmd, name } = setLanConfigParameters;
      throw new IpmiCompletionError(r.cc, netFn, cmd, name, SET_LAN_CC, `Set LAN Parameter '${PARAM_NAMES[parameter] ?? parameter}' failed: ${ccText(r.cc, SET_LAN_CC)}`);
    }
    if (!verify) return;
    for (let attempt = 0; ; attempt++) {
      const back = await getParam(client, channel, parameter);
      if (back && Buffer.compare(Buffer.from(back), Buffer.from(data)) === 0) return;
      if (attempt >= 2) throw new OperationError('LAN Parameter Data does not match!  Write may have failed.');
      await sleep(300);
    }
  } finally {
    if (lock) {
      await progress(2);
      await progress(0);
    }
  }
}

function ipArg(text: string): Uint8Array {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)/.exec(text);
  const b = m?.slice(1).map(Number);
  if (!b || b.some((n) => n > 255)) throw new UsageError(`Invalid IP address: ${text}`);
  return Uint8Array.from(b);
}

function macArg(text: string): Uint8Array {
  const m = /^([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2}):([0-9a-f]{1,2})/i.exec(text);
  if (!m) throw new UsageError(`Invalid MAC address: ${text}`);
  return Uint8Array.from(m.slice(1).map((h) => parseInt(h, 16)));
}

const dotted = (b: Uint8Array) => [...b].join('.');

/** What `lan set` does, decided from the arguments alone (so bad input never reaches the BMC). */
type LanSetPlan = (client: LanClient, channel: number, out: Output) => Promise<Record<string, unknown>>;

const SET_USAGE = `
Commands (lan set <channel> …):
  ipaddr <x.x.x.x>               IP address
  netmask <x.x.x.x>              subnet mask
  macaddr <xx:xx:xx:xx:xx:xx>    MAC address
  defgw ipaddr|macaddr <addr>    default gateway
  bakgw ipaddr|macaddr <addr>    backup gateway
  ipsrc none|static|dhcp|bios    IP address source
  snmp <community>               SNMP community string
  vlan id <1-4094>|off           802.1q VLAN ID
  vlan priority <0-7>            802.1q VLAN priority
  arp respond|generate on|off    BMC ARP control
  arp interval <seconds>         gratuitous ARP interval
  access on|off                  enable IPMI messaging on the channel (privilege limit admin)
  alert on|off                   PEF alerting on the channel
  user                           give user 1 (the null user) administrator access
  password [<password>]          set (or clear) user 1's password
  auth <level,…> <type,…>        authentication types per level (callback,user,operator,admin; none,md2,md5,password,oem)
  cipher_privs <15 chars>        maximum privilege per cipher suite 0-14: X unused, c u o a O
  bad_pass_thresh <n> <1|0> <reset> <lockout>   bad password threshold
Examples:
  ipmi-sim lan set 1 ipaddr 10.0.0.5
  ipmi-sim lan set 1 cipher_privs XaaaXXaaaXXaaXX
`;

function planLanSet(what: string, args: string[]): LanSetPlan {
  const need = (n: number) => {
    if (args.length < n) throw new UsageError(`lan set ${what}: missing argument${SET_USAGE}`);
  };
  const simple = (parameter: number, data: Uint8Array, text: string): LanSetPlan => async (client, channel, out) => {
    if (text && !out.json) out.text(text);
    await setParam(client, channel, parameter, data);
    return { parameter, data: Buffer.from(data).toString('hex') };
  };
  switch (what) {
    case 'ipaddr':
    case 'netmask': {
      need(1);
      const b = ipArg(args[0]!);
      const param = what === 'ipaddr' ? LanParam.IpAddress : LanParam.SubnetMask;
      return simple(param, b, `Setting LAN ${PARAM_NAMES[param]} to ${dotted(b)}\n`);
    }
    case 'macaddr': {
      need(1);
      const b = macArg(args[0]!);
      return simple(LanParam.MacAddress, b, `Setting LAN MAC Address to ${macText(b)}\n`);
    }
    case 'defgw':
    case 'bakgw': {
      need(2);
      const def = what === 'defgw';
      if (args[0] === 'ipaddr') {
        const b = ipArg(args[1]!);
        const param = def ? LanParam.DefaultGatewayIp : LanParam.BackupGatewayIp;
        return simple(param, b, `Setting LAN ${PARAM_NAMES[param]} to ${dotted(b)}\n`);
      }
      if (args[0] === 'macaddr') {
        const b = macArg(args[1]!);
        const param = def ? LanParam.DefaultGatewayMac : LanParam.BackupGatewayMac;
        return simple(param, b, `Setting LAN ${PARAM_NAMES[param]} to ${macText(b)}\n`);
      }
      throw new UsageError(`LAN set ${def ? 'default' : 'backup'} gateway commands: ipaddr, macaddr`);
    }
    case 'ipsrc': {
      need(1);
      const src = ['none', 'static', 'dhcp', 'bios'].indexOf(args[0]!);
      if (src < 0) throw new UsageError('lan set <channel> ipsrc <source>: none, static, dhcp or bios');
      return simple(LanParam.IpAddressSource, Uint8Array.of(src), '');
    }
    case 'snmp': {
      need(1);
      const s = Buffer.from(args[0]!, 'latin1').subarray(0, 18);
      const data = new Uint8Array(18);
      data.set(s);
      return simple(LanParam.CommunityString, data, `Setting LAN SNMP Community String to ${s.toString('latin1')}\n`);
    }
    case 'vlan': {
      need(2);
      if (args[0] === 'id') {
        if (args[1] === 'off') {
          return async (client, channel) => {
            const cur = await getParam(client, channel, LanParam.VlanId);
            const data = cur && cur.length > 1 ? Uint8Array.of(cur[0]!, cur[1]! & 0x0f) : Uint8Array.of(0, 0);
            await setParam(client, channel, LanParam.VlanId, data);
            return { vlanId: null };
          };
        }
        const id = parseCNumber(args[1]!);
        if (id === undefined) throw new UsageError(`Given VLAN ID '${args[1]}' is invalid.`);
        if (id < 1 || id > 4094) throw new UsageError('VLAN ID must be between 1 and 4094.');
        return async (client, channel) => {
          await setParam(client, channel, LanParam.VlanId, Uint8Array.of(id & 0xff, 0x80 | (id >> 8)));
          return { vlanId: id };
        };
      }
      if (args[0] === 'priority') {
        const p = parseCNumber(args[1]!);
        if (p === undefined) throw new UsageError(`Given VLAN priority '${args[1]}' is invalid.`);
        if (p > 7) throw new UsageError('VLAN priority must be between 0 and 7.');
        return simple(LanParam.VlanPriority, Uint8Array.of(p), '');
      }
      throw new UsageError('lan set <channel> vlan id <id>|off, or vlan priority <priority>');
    }
    case 'arp': {
      need(1);
      if (args[0] === 'interval') {
        need(2);
        const ival = parseUchar(args[1]!);
        if (ival === undefined) throw new UsageError(`Given ARP interval '${args[1]}' is invalid.`);
        if (ival > 127) throw new UsageError(`Given ARP interval '${ival}' is too big.`);
        return async (client, channel, out) => {
          let n: number;
          if (ival === 0) {
            n = (await getParam(client, channel, LanParam.GratuitousArpInterval))?.[0] ?? 0;
          } else {
            n = ival * 2 - 1;
            await setParam(client, channel, LanParam.GratuitousArpInterval, Uint8Array.of(n));
          }
          if (!out.json) out.text(`BMC-generated Gratuitous ARP interval:  ${arpIntervalSeconds(n).toFixed(1)} seconds\n`);
          return { gratuitousArpInterval: arpIntervalSeconds(n) };
        };
      }
      if ((args[0] === 'generate' || args[0] === 'respond') && (args[1] === 'on' || args[1] === 'off')) {
        const bit = args[0] === 'generate' ? 0x01 : 0x02;
        const on = args[1] === 'on';
        return async (client, channel, out) => {
          const cur = await getParam(client, channel, LanParam.BmcArpControl);
          if (!cur) throw new OperationError('BMC ARP Control is not supported by this BMC');
          if (!out.json) out.text(`${on ? 'En' : 'Dis'}abling BMC-generated ${bit === 1 ? 'Gratuitous ARPs' : 'ARP responses'}\n`);
          await setParam(client, channel, LanParam.BmcArpControl, Uint8Array.of(on ? (cur[0] ?? 0) | bit : (cur[0] ?? 0) & ~bit));
          return { [bit === 1 ? 'gratuitousArp' : 'arpResponses']: on };
        };
      }
      throw new UsageError('lan set <channel> arp respond|generate on|off, or arp interval <seconds>');
    }
    case 'access':
    case 'alert': {
      need(1);
      const on = ['on', 'enable'].includes(args[0]!) ? true : ['off', 'disable'].includes(args[0]!) ? false : undefined;
      if (on === undefined) throw new UsageError(what === 'alert' ? "LAN set alert must be 'on' or 'off'" : 'lan set <channel> access on|off');
      return what === 'access' ? planAccess(on) : planAlert(on);
    }
    case 'user':
      return async (client, channel, out) => {
        const r = await callCc(client, setUserAccess, { changeBits: false, callbackOnly: false, linkAuthEnabled: false, ipmiMessagingEnabled: false, channel, userId: 1, privilegeLimit: 4, sessionLimit: 0 });
        if (r.cc !== 0) throw new IpmiCompletionError(r.cc, setUserAccess.netFn, setUserAccess.cmd, setUserAccess.name, undefined, `IPMI command failed: ${ccText(r.cc)}\nSet User Access for channel ${channel} failed`);
        if (!out.json) out.text(`Set User Access for channel ${channel} was successful.\n`);
        return { userId: 1, privilegeLimit: 4 };
      };
    case 'password': {
      const pw = args[0];
      if (pw !== undefined && Buffer.byteLength(pw, 'latin1') > 16) throw new UsageError('Password is too long (> 16 bytes)');
      return async (client, _channel, out) => {
        const data = new Uint8Array(16);
        data.set(Buffer.from(pw ?? '', 'latin1'));
        const r = await callCc(client, setUserPassword, { userId: 1, operation: UserPasswordOperation.SetPassword, password: data, size20: false });
        if (r.cc !== 0) throw new IpmiCompletionError(r.cc, setUserPassword.netFn, setUserPassword.cmd, setUserPassword.name, undefined, `IPMI command failed: ${ccText(r.cc)}\nUnable to Set LAN Password for user 1`);
        if (!out.json) out.text(`Password ${pw !== undefined ? 'set' : 'cleared'} for user 1\n`);
        return { userId: 1, passwordSet: pw !== undefined };
      };
    }
    case 'auth': {
      need(2);
      const types: Readonly<Record<string, number>> = { none: 0x01, md2: 0x02, md5: 0x04, password: 0x10, key: 0x10, oem: 0x20 };
      const levels = ['callback', 'user', 'operator', 'admin'];
      let mask = 0;
      for (const t of args[1]!.split(',')) {
        const b = types[t.toLowerCase()];
        if (b === undefined) throw new UsageError(`Invalid authentication type: ${t}`);
        mask |= b;
      }
      const which = args[0]!.split(',').map((l) => {
        const i = levels.indexOf(l.toLowerCase());
        if (i < 0) throw new UsageError(`Invalid authentication level: ${l}`);
        return i;
      });
      return async (client, channel) => {
        const cur = await getParam(client, channel, LanParam.AuthTypeEnables);
        if (!cur) throw new OperationError('Auth Type Enable is not supported by this BMC');
        const data = new Uint8Array(5);
        data.set(cur.subarray(0, 5));
        for (const i of which) data[i] = mask;
        await setParam(client, channel, LanParam.AuthTypeEnables, data);
        return { authTypeEnables: Buffer.from(data).toString('hex') };
      };
    }
    case 'cipher_privs': {
      need(1);
      const data = cipherPrivBytes(args[0]!);
      if (!data) throw new UsageError(`Invalid privilege specification "${args[0]}": 15 characters of X (unused), c (CALLBACK), u (USER), o (OPERATOR), a (ADMIN), O (OEM)`);
      return simple(LanParam.CipherSuitePrivileges, data, '');
    }
    case 'bad_pass_thresh': {
      need(4);
      const [t, ev, reset, lockout] = [parseUchar(args[0]!), parseUchar(args[1]!), parseCNumber(args[2]!), parseCNumber(args[3]!)];
      if (t === undefined || ev === undefined || ev > 1 || reset === undefined || reset > 0xffff || lockout === undefined || lockout > 0xffff) {
        throw new UsageError('lan set <channel> bad_pass_thresh <thresh_num> <1|0> <reset_interval> <lockout_interval> (intervals in tens of seconds)');
      }
      return simple(LanParam.BadPasswordThreshold, Uint8Array.of(ev, t, reset & 0xff, reset >> 8, lockout & 0xff, lockout >> 8), '');
    }
    default:
      throw new UsageError(`unknown lan set command "${what}"${SET_USAGE}`);
  }
}

async function channelAccessBoth(client: LanClient, channel: number, change: (a: ChannelAccess) => ChannelAccess, privilege: boolean, what: string): Promise<void> {
  for (const volatile of [false, true]) {
    const kind = volatile ? 'volatile' : 'non-volatile';
    const cur = await call(client, getChannelAccess, { channel, volatile }, (cc) => `IPMI command failed: ${cc}\nUnable to Get Channel Access(${kind}) for channel ${channel}`);
    const next = change(cur);
    const set = volatile ? 2 : 1;
    const { privilegeLimit, ...access } = next;
    const r = await callCc(client, setChannelAccess, { channel, accessSet: set, access, privilegeSet: privilege ? set : 0, privilegeLimit });
    if (r.cc !== 0) throw new IpmiCompletionError(r.cc, setChannelAccess.netFn, setChannelAccess.cmd, setChannelAccess.name, undefined, `IPMI command failed: ${ccText(r.cc)}\nUnable to Set Channel Access(${kind}) for channel ${channel}${what}`);
  }
}

function planAccess(on: boolean): LanSetPlan {
  return async (client, channel, out) => {
    await channelAccessBoth(client, channel, (a) => ({ ...a, accessMode: on ? 2 : 0, privilegeLimit: 4 }), true, '');
    if (!out.json) out.text(`Set Channel Access for channel ${channel} was successful.\n`);
    return { accessMode: on ? 'always available' : 'disabled', privilegeLimit: 4 };
  };
}

function planAlert(on: boolean): LanSetPlan {
  return async (client, channel, out) => {
    if (!out.json) out.text(`${on ? 'Enabling' : 'Disabling'} PEF alerts for LAN channel ${channel}\n`);
    await channelAccessBoth(client, channel, (a) => ({ ...a, alertingDisabled: !on }), false, '');
    if (!out.json) out.text(`PEF alerts for channel ${channel} ${on ? 'enabled' : 'disabled'}.\n`);
    return { alerting: on };
  };
}

export function lanCommand(ctx: CliContext): Command {
  const lan = new Command('lan')
    .description('LAN channel configuration: print, set')
    .addHelpText('after', '\nExamples:\n  ipmi-sim lan print 1\n  ipmi-sim lan set 1 ipaddr 10.0.0.5\n');
  lan
    .command('print')
    .description('print the LAN configuration parameters of a channel (default: the first LAN channel)')
    .argument('[channel]', 'channel number')
    .addHelpText('after', '\nExamples:\n  ipmi-sim lan print 1\n  ipmi-sim --json lan print\n')
    .action(async (chanText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(
        cmd,
        () => {
          if (chanText === undefined) return -1;
          const c = parseUchar(chanText);
          if (c === undefined) throw new UsageError(`Invalid channel: ${chanText}`);
          return c;
        },
        async (client, out, given) => {
          const channel = given >= 0 ? given : await findLanChannel(client, out);
          if (!(await isLanChannel(client, channel, out))) throw new OperationError(`Invalid channel: ${channel}`);
          const params = await readLanParams(client, channel);
          if (out.json) return out.json(lanPrintJson(channel, params));
          out.text(formatLanPrint(params));
        },
      );
    });
  lan
    .command('set')
    .description('change a LAN configuration parameter of a channel')
    .argument('<channel>', 'channel number')
    .addArgument(
      new Argument('<command>', 'what to set').choices(['ipaddr', 'netmask', 'macaddr', 'defgw', 'bakgw', 'ipsrc', 'snmp', 'vlan', 'arp', 'access', 'alert', 'user', 'password', 'auth', 'cipher_privs', 'bad_pass_thresh']),
    )
    .argument('[args...]', 'the value(s)')
    .addHelpText('after', SET_USAGE)
    .action(async (chanText: string, what: string, args: string[], _o, cmd: Command) => {
      await ctx.runArgs(
        cmd,
        () => {
          const c = parseUchar(chanText);
          if (c === undefined) throw new UsageError(`Invalid channel: ${chanText}`);
          return { channel: c, run: planLanSet(what, args) };
        },
        async (client, out, plan) => {
          if (!(await isLanChannel(client, plan.channel, out))) throw new OperationError(`Channel ${plan.channel} is not a LAN channel!`);
          const result = await plan.run(client, plan.channel, out);
          if (out.json) out.json({ channel: plan.channel, command: what, ...result });
        },
      );
    });
  return lan;
}
