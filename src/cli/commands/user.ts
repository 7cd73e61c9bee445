// `user list|summary|set name|set password|enable|disable|priv|test` (ipmitool lib/ipmi_user.c
// syntax and text).

import { Argument, Command } from 'commander';
import { getUserAccess, getUserName, setUserAccess, setUserName, setUserPassword, UserPasswordOperation, type UserAccess } from '../../ipmi/commands/app.js';
import type { LanClient } from '../../client/lan-client.js';
import { ExitCode, IpmiCompletionError, UsageError } from '../../client/errors.js';
import type { CliContext, Output } from '../context.js';
import { call, callCc, ccText, channelArg, parseUchar, privLimitArg, userIdArg } from '../ipmitool.js';
import { promptHidden } from '../prompt.js';
import { renderTable } from '../output/table.js';
import { formatUserRow, formatUserRowCsv, formatUserSummary, privilegeName, USER_LIST_HEADER, userNameText, type UserRow } from '../output/users.js';

/** The channel of this session (IPMI v2.0 §6.3): what ipmitool asks about when none is given. */
export const CURRENT_CHANNEL = 0x0e;

const ipmiFailed = (cc: string) => `IPMI command failed: ${cc}`;

/** Get User Access + Get User Name for one ID; a 0xCC for the name (an unset slot) is an empty name. */
export async function readUser(client: LanClient, channel: number, userId: number, fail: (cc: string) => string = ipmiFailed): Promise<UserRow> {
  const access = await call(client, getUserAccess, { channel, userId }, fail);
  const n = await callCc(client, getUserName, { userId });
  if (n.cc !== 0 && n.cc !== 0xcc) {
    const { netFn, cmd, name } = getUserName;
    throw new IpmiCompletionError(n.cc, netFn, cmd, name, undefined, fail(ccText(n.cc)));
  }
  return { userId, name: n.value ? userNameText(n.value.name) : '', access };
}

/** Every user ID the BMC has (1..maximum) on a channel. */
export async function readAllUsers(client: LanClient, channel: number, fail?: (cc: string) => string): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  let max = 1;
  for (let id = 1; id <= max && id <= 63; id++) {
    const row = await readUser(client, channel, id, fail);
    max = row.access.maxUserIds;
    rows.push(row);
  }
  return rows;
}

export function userJson(r: UserRow): Record<string, unknown> {
  return { userId: r.userId, name: r.name, ...r.access, privilegeName: privilegeName(r.access.privilegeLimit) };
}

function renderUsers(rows: UserRow[], out: Output): void {
  if (out.json) return out.json(rows.map(userJson));
  if (out.table) {
    out.text(renderTable(['ID', 'Name', 'Callin', 'Link Auth', 'IPMI Msg', 'Channel Priv Limit'], rows.map((r) => [r.userId, r.name, String(!r.access.callbackOnly), String(r.access.linkAuthEnabled), String(r.access.ipmiMessagingEnabled), privilegeName(r.access.privilegeLimit)])));
    return;
  }
  if (out.csv) return out.text(rows.map(formatUserRowCsv).join(''));
  out.text(USER_LIST_HEADER + rows.map(formatUserRow).join(''));
}

function channelOf(text: string | undefined): number {
  return text === undefined ? CURRENT_CHANNEL : channelArg(text);
}

/** Enable/disable/set/test through Set User Password; the password is zero-filled like ipmitool's. */
async function setPassword(client: LanClient, userId: number, operation: number, password: string | undefined, size20: boolean): Promise<number> {
  const pw = Buffer.from(password ?? '', 'latin1').subarray(0, size20 ? 20 : 16);
  return (await callCc(client, setUserPassword, { userId, operation, password: new Uint8Array(pw), size20 })).cc;
}

export function userCommand(ctx: CliContext): Command {
  const user = new Command('user')
    .description('BMC user accounts: list, summary, set name/password, enable, disable, priv, test')
    .addHelpText('after', '\nExamples:\n  ipmi-sim user list 1\n  ipmi-sim user set name 3 operator\n  ipmi-sim user priv 3 3 1\n');
  user
    .command('list')
    .description('list the user IDs with their name and access on a channel')
    .argument('[channel]', 'channel number (default: this session\'s channel)')
    .addHelpText('after', '\nExamples:\n  ipmi-sim user list 1\n  ipmi-sim -c user list 1          # CSV\n  ipmi-sim -o table user list 1\n')
    .action(async (chanText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => channelOf(chanText), async (client, out, channel) => renderUsers(await readAllUsers(client, channel), out));
    });

  user
    .command('summary')
    .description('print how many user IDs exist, are enabled and have fixed names')
    .argument('[channel]', 'channel number')
    .addHelpText('after', '\nExample:\n  ipmi-sim user summary 1\n')
    .action(async (chanText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => channelOf(chanText), async (client, out, channel) => {
        const a: UserAccess = await call(client, getUserAccess, { channel, userId: 1 }, ipmiFailed);
        if (out.json) return out.json({ maxUserIds: a.maxUserIds, enabledUserCount: a.enabledUserCount, fixedNameCount: a.fixedNameCount });
        out.text(formatUserSummary(a, out.csv));
      });
    });

  const set = user
    .command('set')
    .description('set a user\'s name or password')
    .addHelpText('after', '\nExamples:\n  ipmi-sim user set name 3 operator\n  ipmi-sim user set password 3 s3cret\n');
  set
    .command('name')
    .description('set the name of a user ID (up to 16 characters)')
    .argument('<user-id>', 'user ID (1-63)')
    .argument('<name>', 'user name')
    .addHelpText('after', '\nExample:\n  ipmi-sim user set name 3 operator\n')
    .action(async (idText: string, name: string, _o, cmd: Command) => {
      await ctx.runArgs(
        cmd,
        () => {
          const id = userIdArg(idText);
          if (Buffer.byteLength(name, 'latin1') > 16) throw new UsageError('Username is too long (> 16 bytes)');
          return id;
        },
        async (client, out, userId) => {
          await call(client, setUserName, { userId, name: new Uint8Array(Buffer.from(name, 'latin1')) }, (cc) => `Set User Name command failed (user ${userId}, name ${name}): ${cc}`);
          if (out.json) out.json({ userId, name });
        },
      );
    });
  set
    .command('password')
    .description('set (or clear) a user\'s password; prompts when none is given')
    .argument('<user-id>', 'user ID (1-63)')
    .argument('[password]', 'the new password (omit to be asked)')
    .addArgument(new Argument('[size]', 'store as a 16- or 20-byte password (default: 20 only when longer than 16)').choices(['16', '20']))
    .addHelpText('after', '\nExample:\n  ipmi-sim user set password 3 s3cret 20\n')
    .action(async (idText: string, pwArg: string | undefined, sizeText: string | undefined, _o, cmd: Command) => {
      const userId = ctx.args(cmd, () => userIdArg(idText));
      if (userId === undefined) return;
      let password = pwArg;
      if (password === undefined) {
        try {
          password = await promptHidden(`Password for user ${userId}: `);
          const again = await promptHidden(`Password for user ${userId}: `);
          if (again !== password || Buffer.byteLength(password, 'latin1') > 20) throw new UsageError('Passwords do not match or are longer than 20');
        } catch (e) {
          ctx.fail(e, ctx.globals(cmd));
          return;
        }
      }
      const pw = password;
      await ctx.runArgs(
        cmd,
        () => {
          const len = Buffer.byteLength(pw, 'latin1');
          const s = sizeText !== undefined ? Number(sizeText) : len > 16 ? 20 : 16;
          if (len > s) throw new UsageError(`Password is too long (> ${s} bytes)`);
          return s;
        },
        async (client, out, size) => {
          const cc = await setPassword(client, userId, UserPasswordOperation.SetPassword, pw, size === 20);
          if (cc !== 0) throw failure(cc, `Set User Password command failed (user ${userId})`);
          if (out.json) return out.json({ userId, passwordSize: size });
          out.text(`Set User Password command successful (user ${userId})\n`);
        },
      );
    });

  for (const [name, op] of [
    ['enable', UserPasswordOperation.Enable],
    ['disable', UserPasswordOperation.Disable],
  ] as const) {
    user
      .command(name)
      .description(`${name} a user ID (Set User Password)`)
      .argument('<user-id>', 'user ID (1-63)')
      .addHelpText('after', `\nExample:\n  ipmi-sim user ${name} 3\n`)
      .action(async (idText: string, _o, cmd: Command) => {
        await ctx.runArgs(cmd, () => userIdArg(idText), async (client, out, userId) => {
          const cc = await setPassword(client, userId, op, undefined, false);
          if (cc !== 0) throw failure(cc, `Set User Password command failed (user ${userId})`);
          if (out.json) out.json({ userId, enabled: name === 'enable' });
        });
      });
  }

  user
    .command('priv')
    .description('set a user\'s privilege limit on a channel (1 callback, 2 user, 3 operator, 4 administrator, 5 OEM, 15 no access)')
    .argument('<user-id>', 'user ID (1-63)')
    .argument('<privilege>', 'privilege level: 1-5 or 0xF')
    .argument('[channel]', 'channel number (default: this session\'s channel)')
    .addHelpText('after', '\nExample:\n  ipmi-sim user priv 3 2 1\n')
    .action(async (idText: string, privText: string, chanText: string | undefined, _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => ({ channel: channelOf(chanText), privilegeLimit: privLimitArg(privText), userId: userIdArg(idText) }), async (client, out, req) => {
        const r = await callCc(client, setUserAccess, { changeBits: false, callbackOnly: false, linkAuthEnabled: false, ipmiMessagingEnabled: false, sessionLimit: 0, ...req });
        if (r.cc !== 0) throw failure(r.cc, `Set Privilege Level command failed (user ${req.userId})`, setUserAccess);
        if (out.json) return out.json(req);
        out.text(`Set Privilege Level command successful (user ${req.userId})\n`);
      });
    });

  user
    .command('test')
    .description('check whether a password is a user\'s password, stored as 16 or 20 bytes')
    .argument('<user-id>', 'user ID (1-63)')
    .argument('<size>', '16 or 20')
    .argument('[password]', 'the password to test (omit to be asked)')
    .addHelpText('after', '\nExample:\n  ipmi-sim user test 2 16 password\n')
    .action(async (idText: string, sizeText: string, pwArg: string | undefined, _o, cmd: Command) => {
      const req = ctx.args(cmd, () => {
        const userId = userIdArg(idText);
        const size = parseUchar(sizeText);
        if (size !== 16 && size !== 20) throw new UsageError(`Given password length '${sizeText}' is invalid.\nExpected value is either 16 or 20.`);
        return { userId, size };
      });
      if (req === undefined) return;
      let password = pwArg;
      if (password === undefined) {
        try {
          password = await promptHidden(`Password for user ${req.userId}: `);
        } catch (e) {
          ctx.fail(e, ctx.globals(cmd));
          return;
        }
      }
      const pw = password;
      await ctx.run(cmd, async (client, out) => {
        const cc = await setPassword(client, req.userId, UserPasswordOperation.TestPassword, pw, req.size === 20);
        const result = cc === 0 ? 'Success' : cc === 0x80 ? 'Failure: password incorrect' : cc === 0x81 ? 'Failure: wrong password size' : 'Unknown error';
        if (out.json) out.json({ userId: req.userId, size: req.size, match: cc === 0, completionCode: cc, result });
        else out.text(`${result}\n`);
        return cc === 0 ? ExitCode.Ok : ExitCode.Failure;
      });
    });
  return user;
}

/** ipmitool's two-line failure: eval_ccode's "IPMI command failed: …", then the command's own line. */
function failure(cc: number, line: string, spec: { netFn: number; cmd: number; name: string } = setUserPassword): IpmiCompletionError {
  const { netFn, cmd, name } = spec;
  return new IpmiCompletionError(cc, netFn, cmd, name, undefined, `${ipmiFailed(ccText(cc))}\n${line}`);
}
