// `channel info|getaccess|setaccess|getciphers|authcap` (ipmitool lib/ipmi_channel.c syntax
// and text).

import { Argument, Command } from 'commander';
import {
  decodeCipherSuiteRecords,
  getChannelAccess,
  getChannelAuthCapabilities,
  getChannelCipherSuites,
  getChannelInfo,
  getUserAccess,
  setUserAccess,
  type ChannelAccess,
} from '../../ipmi/commands/app.js';
import { concat } from '../../protocol/bytes.js';
import type { LanClient } from '../../client/lan-client.js';
import { IpmiCompletionError, UsageError } from '../../client/errors.js';
import { parsePrivilege } from '../../ipmi/spec.js';
import type { CliContext } from '../context.js';
import { call, callCc, ccText, channelArg, privLimitArg, userIdArg } from '../ipmitool.js';
import { renderTable } from '../output/table.js';
import { CIPHER_HEADER, cipherSuiteRow, formatAuthCap, formatChannelInfo, formatCipherSuite, formatUserAccessBlock, isLanMedium, privilegeName, type CipherSuiteRow } from '../output/users.js';
import { CURRENT_CHANNEL, readAllUsers, readUser, userJson } from './user.js';

const ipmiFailed = (cc: string) => `IPMI command failed: ${cc}`;

/** The cipher suite records of a channel: Get Channel Cipher Suites, 16 bytes a page. */
export async function readCipherSuites(client: LanClient, channel: number, payloadType: number): Promise<CipherSuiteRow[]> {
  const pages: Uint8Array[] = [];
  for (let listIndex = 0; listIndex < 0x40; listIndex++) {
    const page = await call(client, getChannelCipherSuites, { channel, payloadType, listBySuite: true, listIndex }, (cc) => `Get Channel Cipher Suites failed: ${cc}`);
    pages.push(page.data);
    if (page.data.length !== 16) break;
  }
  return decodeCipherSuiteRecords(concat(pages)).map(cipherSuiteRow);
}

function accessJson(a: ChannelAccess): Record<string, unknown> {
  return { ...a };
}

export function channelCommand(ctx: CliContext): Command {
  const channel = new Command('channel')
    .description('channel information, user access per channel, cipher suites, authentication capabilities')
    .addHelpText('after', '\nExamples:\n  ipmi-sim channel info\n  ipmi-sim channel getciphers ipmi\n');
  channel
    .command('info')
    .description('print a channel\'s medium, protocol, sessions and (LAN) access settings')
    .argument('[channel]', 'channel number (default: this session\'s channel)')
    .addHelpText('after', '\nExamples:\n  ipmi-sim channel info\n  ipmi-sim channel info 1\n')
    .action(async (chanText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => (chanText === undefined ? CURRENT_CHANNEL : channelArg(chanText)), async (client, out, chan) => {
        const info = await call(client, getChannelInfo, { channel: chan }, (cc) => `${ipmiFailed(cc)}\nUnable to Get Channel Info`);
        let vol: ChannelAccess | undefined;
        let nonVol: ChannelAccess | undefined;
        if (isLanMedium(info.medium)) {
          vol = await call(client, getChannelAccess, { channel: info.channel, volatile: true }, (cc) => `${ipmiFailed(cc)}\nUnable to Get Channel Access (volatile)`);
          nonVol = await call(client, getChannelAccess, { channel: info.channel, volatile: false }, (cc) => `${ipmiFailed(cc)}\nUnable to Get Channel Access (non-volatile)`);
        }
        if (out.json) return out.json({ ...info, ...(vol ? { volatile: accessJson(vol) } : {}), ...(nonVol ? { nonVolatile: accessJson(nonVol) } : {}) });
        out.text(formatChannelInfo(info, vol, nonVol));
      });
    });

  channel
    .command('getaccess')
    .description('print user access on a channel, for one user ID or all of them')
    .argument('[channel]', 'channel number (default: this session\'s channel)')
    .argument('[user-id]', 'user ID (default: all)')
    .addHelpText('after', '\nExamples:\n  ipmi-sim channel getaccess 1\n  ipmi-sim channel getaccess 1 2\n')
    .action(async (chanText: string | undefined, idText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => ({ chan: chanText === undefined ? CURRENT_CHANNEL : channelArg(chanText), userId: idText === undefined ? undefined : userIdArg(idText) }), async (client, out, req) => {
        const fail = (id: number) => (cc: string) => `${ipmiFailed(cc)}\nUnable to Get User Access (channel ${req.chan} id ${id})`;
        const rows = req.userId !== undefined ? [await readUser(client, req.chan, req.userId, fail(req.userId))] : await readAllUsers(client, req.chan, fail(1));
        const first = rows[0]!.access;
        if (out.json) return out.json({ maxUserIds: first.maxUserIds, enabledUserCount: first.enabledUserCount, users: rows.map(userJson) });
        if (out.table) {
          const enable = ['unknown', 'enabled', 'disabled', 'reserved'];
          return out.text(
            renderTable(
              ['User ID', 'User Name', 'Fixed Name', 'Access Available', 'Link Auth', 'IPMI Messaging', 'Privilege Level', 'Enable Status'],
              rows.map((r) => [r.userId, r.name, r.userId <= r.access.fixedNameCount ? 'Yes' : 'No', r.access.callbackOnly ? 'callback' : 'call-in / callback', r.access.linkAuthEnabled ? 'enabled' : 'disabled', r.access.ipmiMessagingEnabled ? 'enabled' : 'disabled', privilegeName(r.access.privilegeLimit), enable[r.access.enableStatus]!]),
            ),
          );
        }
        out.text(`Maximum User IDs     : ${first.maxUserIds}\nEnabled User IDs     : ${first.enabledUserCount}\n` + rows.map(formatUserAccessBlock).join(''));
      });
    });

  channel
    .command('setaccess')
    .description('change a user\'s access on a channel: callin=on|off ipmi=on|off link=on|off privilege=LEVEL')
    .argument('<channel>', 'channel number')
    .argument('<user-id>', 'user ID (1-63)')
    .argument('<settings...>', 'callin=on|off ipmi=on|off link=on|off privilege=1-5|15|USER|OPERATOR|ADMINISTRATOR|…')
    .addHelpText('after', '\nExample:\n  ipmi-sim channel setaccess 1 3 ipmi=on privilege=3\n')
    .action(async (chanText: string, idText: string, settings: string[], _o, cmd: Command) => {
      await ctx.runArgs(
        cmd,
        () => {
          const changes: { callin?: boolean; link?: boolean; ipmi?: boolean; privilege?: number } = {};
          for (const s of settings) {
            const m = /^(callin|link|ipmi|privilege)=(.*)$/.exec(s);
            if (!m) throw new UsageError(`Invalid option: ${s}`);
            const [, key, value] = m as unknown as [string, 'callin' | 'link' | 'ipmi' | 'privilege', string];
            if (key === 'privilege') {
              changes.privilege = (value.toUpperCase() === 'NO ACCESS' ? 15 : parsePrivilege(value)) ?? privLimitArg(value);
            } else {
              changes[key] = !['off', 'disable', 'no'].includes(value);
            }
          }
          return { channel: channelArg(chanText), userId: userIdArg(idText), changes };
        },
        async (client, out, req) => {
          const where = `(channel ${req.channel} id ${req.userId})`;
          const a = await call(client, getUserAccess, { channel: req.channel, userId: req.userId }, (cc) => `${ipmiFailed(cc)}\nUnable to Get User Access ${where}`);
          const c = req.changes;
          const next = {
            changeBits: true,
            channel: req.channel,
            userId: req.userId,
            // callin=on means "not callback only".
            callbackOnly: c.callin === undefined ? a.callbackOnly : !c.callin,
            linkAuthEnabled: c.link ?? a.linkAuthEnabled,
            ipmiMessagingEnabled: c.ipmi ?? a.ipmiMessagingEnabled,
            privilegeLimit: c.privilege ?? a.privilegeLimit,
            sessionLimit: 0,
          };
          const r = await callCc(client, setUserAccess, next);
          if (r.cc !== 0) throw new IpmiCompletionError(r.cc, setUserAccess.netFn, setUserAccess.cmd, setUserAccess.name, undefined, `${ipmiFailed(ccText(r.cc))}\nUnable to Set User Access ${where}`);
          if (out.json) return out.json(next);
          out.text(`Set User Access ${where} successful.\n`);
        },
      );
    });

  channel
    .command('getciphers')
    .description('list the cipher suites a channel offers for IPMI or SOL sessions')
    .addArgument(new Argument('<payload>', 'payload type').choices(['ipmi', 'sol']))
    .argument('[channel]', 'channel number (default: this session\'s channel)')
    .addHelpText('after', '\nExamples:\n  ipmi-sim channel getciphers ipmi\n  ipmi-sim -c channel getciphers ipmi 1\n')
    .action(async (payload: 'ipmi' | 'sol', chanText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => (chanText === undefined ? CURRENT_CHANNEL : channelArg(chanText)), async (client, out, chan) => {
        const rows = await readCipherSuites(client, chan, payload === 'ipmi' ? 0 : 1);
        if (out.json) return out.json(rows);
        if (out.table) return out.text(renderTable(['ID', 'IANA', 'Auth Alg', 'Integrity Alg', 'Confidentiality Alg'], rows.map((r) => [r.id, r.iana, r.authAlgorithm, r.integrityAlgorithm, r.confidentialityAlgorithm])));
        out.text((out.csv ? '' : CIPHER_HEADER) + rows.map((r) => formatCipherSuite(r, out.csv)).join(''));
      });
    });

  channel
    .command('authcap')
    .description('print a channel\'s authentication capabilities at a privilege level')
    .argument('<channel>', 'channel number')
    .argument('<privilege>', 'maximum privilege: 1 callback, 2 user, 3 operator, 4 administrator, 5 OEM')
    .addHelpText('after', '\nExample:\n  ipmi-sim channel authcap 1 4\n')
    .action(async (chanText: string, privText: string, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => ({ channel: channelArg(chanText), requestedPrivilege: privLimitArg(privText) }), async (client, out, req) => {
        // v2.0 data first; a BMC that refuses that is asked again without it, like ipmitool does.
        let caps = await callCc(client, getChannelAuthCapabilities, { extendedData: true, ...req });
        if (caps.cc !== 0) caps = await callCc(client, getChannelAuthCapabilities, { extendedData: false, ...req });
        if (caps.cc !== 0 || !caps.value) {
          const { netFn, cmd: c, name } = getChannelAuthCapabilities;
          throw new IpmiCompletionError(caps.cc, netFn, c, name, undefined, `Get Channel Authentication Capabilities failed: ${ccText(caps.cc)}`);
        }
        if (out.json) return out.json(caps.value);
        out.text(formatAuthCap(caps.value));
      });
    });
  return channel;
}
