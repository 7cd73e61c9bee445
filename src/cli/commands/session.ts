// `session info active|all|id N|handle N` (ipmitool lib/ipmi_session.c syntax and text).

import { Argument, Command } from 'commander';
import { getSessionInfo, type SessionInfo, type SessionInfoSelector } from '../../ipmi/commands/app.js';
import { IpmiCompletionError, UsageError } from '../../client/errors.js';
import type { CliContext } from '../context.js';
import { call, callCc, ccText, macText, parseCNumber } from '../ipmitool.js';
import { renderTable } from '../output/table.js';
import { formatSessionInfo, privilegeName } from '../output/users.js';

export function sessionJson(s: SessionInfo): Record<string, unknown> {
  const d = s.session;
  const doc: Record<string, unknown> = { sessionHandle: s.sessionHandle, sessionSlotCount: s.sessionSlotCount, activeSessionCount: s.activeSessionCount };
  if (d) {
    doc.session = {
      ...d,
      ...(d.remoteMac ? { remoteMac: macText(d.remoteMac) } : {}),
      privilegeName: privilegeName(d.privilege),
      sessionTypeName: d.sessionType ? 'IPMIv2/RMCP+' : 'IPMIv1.5',
    };
  }
  return doc;
}

export function sessionCommand(ctx: CliContext): Command {
  const session = new Command('session').description('BMC session information').addHelpText('after', '\nExample:\n  ipmi-sim session info active\n');
  session
    .command('info')
    .description('print this session (active), every slot (all), or one session by ID or handle')
    .addArgument(new Argument('<which>', 'active, all, id, handle').choices(['active', 'all', 'id', 'handle']))
    .argument('[number]', 'session ID (id) or handle (handle), e.g. 0x1a2b3c4d')
    .addHelpText('after', '\nExamples:\n  ipmi-sim session info active\n  ipmi-sim -c session info all\n  ipmi-sim session info handle 0x01\n')
    .action(async (which: 'active' | 'all' | 'id' | 'handle', numText: string | undefined, _o, cmd: Command) => {
      const selector = ctx.args(cmd, (): SessionInfoSelector | undefined => {
        if (which === 'active') return { kind: 'current' };
        if (which === 'all') return undefined;
        if (numText === undefined) throw new UsageError(`Missing ${which} argument`);
        const n = parseCNumber(numText);
        if (n === undefined || n > 0xffffffff) throw new UsageError(`HEX number expected, but '${numText}' given.`);
        return which === 'id' ? { kind: 'id', sessionId: n } : { kind: 'handle', handle: n & 0xff };
      });
      if (selector === undefined && which !== 'all') return;
      await ctx.run(cmd, async (client, out) => {
        const slots: SessionInfo[] = [];
        if (selector) {
          slots.push(await call(client, getSessionInfo, selector, (cc) => `Get Session Info command failed: ${cc}`));
        } else {
          // Every slot by index, 1..slot count; 0xCB/0xCC (an empty slot) still counts.
          let count = 1;
          for (let i = 1; i <= count; i++) {
            const r = await callCc(client, getSessionInfo, { kind: 'index', index: i });
            if (r.cc !== 0 && r.cc !== 0xcc && r.cc !== 0xcb) {
              throw new IpmiCompletionError(r.cc, getSessionInfo.netFn, getSessionInfo.cmd, getSessionInfo.name, undefined, `Get Session Info command failed: ${ccText(r.cc)}`);
            }
            if (!r.value) break;
            slots.push(r.value);
            count = r.value.sessionSlotCount;
          }
        }
        if (out.json) return out.json(selector ? sessionJson(slots[0]!) : slots.map(sessionJson));
        if (out.table) {
          return out.text(
            renderTable(
              ['Handle', 'User ID', 'Privilege', 'Type', 'Channel', 'Console IP', 'Console MAC', 'Console Port'],
              slots
                .filter((s) => s.session)
                .map((s) => {
                  const d = s.session!;
                  return [s.sessionHandle, d.userId, privilegeName(d.privilege), d.sessionType ? 'IPMIv2/RMCP+' : 'IPMIv1.5', d.channel, d.remoteIp ?? '', d.remoteMac ? macText(d.remoteMac) : '', d.remotePort ?? ''];
                }),
            ),
          );
        }
        out.text(slots.map((s) => formatSessionInfo(s, out.csv)).join(''));
      });
    });
  return session;
}
