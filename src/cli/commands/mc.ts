// `mc` client commands (ipmitool lib/ipmi_mc.c syntax and output).

import { Argument, Command } from 'commander';
import {
  coldReset,
  getBmcGlobalEnables,
  getDeviceId,
  getSelfTestResults,
  getSystemGuid,
  getWatchdogTimer,
  GlobalEnable,
  resetWatchdogTimer,
  setBmcGlobalEnables,
  setWatchdogTimer,
  warmReset,
  type WatchdogSettings,
} from '../../ipmi/commands/app.js';
import { ExitCode, IpmiTimeoutError, UsageError } from '../../client/errors.js';
import type { CliContext } from '../context.js';
import { call } from '../ipmitool.js';
import {
  formatDeviceId,
  formatEnables,
  formatGuid,
  formatMcSelfTest,
  formatWatchdog,
  globalEnables,
  parseGuid,
  type GuidMode,
  watchdogActionOptions,
  watchdogInterruptOptions,
  watchdogUseOptions,
} from '../output/mc.js';
import { renderTable } from '../output/table.js';
import { addReadLeaf } from './leaf.js';
import { formatTimestamp } from '../output/time.js';

/** `mc watchdog set` options (ipmitool matches on the first letter only). */
export function parseWatchdogSet(args: readonly string[]): WatchdogSettings {
  const s: WatchdogSettings = { timerUse: 0, dontLog: false, dontStop: false, preTimeoutInterrupt: 0, timeoutAction: 0, preTimeoutInterval: 0, expirationFlagsClear: 0, initialCountdown: 0 };
  const pick = (names: readonly string[], value: string, what: string) => {
    const i = names.indexOf(value);
    if (i < 0) throw new UsageError(`${what} '${value}' is not valid`);
    return i;
  };
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const value = eq >= 0 ? arg.slice(eq + 1) : '';
    const num = () => (/^-?\d+/.test(value) ? parseInt(value, 10) : 0);
    switch (arg[0]) {
      case 't': {
        const n = num();
        if (n < 1 || n > 6553) throw new UsageError(`Timeout value ${n} is out of range (1-6553)`);
        s.initialCountdown = n * 10;
        break;
      }
      case 'p': {
        const n = num();
        if (n < 1 || n > 255) throw new UsageError(`Pretimeout value ${n} is out of range (1-255)`);
        s.preTimeoutInterval = n;
        break;
      }
      case 'i':
        s.preTimeoutInterrupt = pick(watchdogInterruptOptions, value, 'Interrupt type');
        break;
      case 'u':
        s.timerUse = pick(watchdogUseOptions, value, 'Use');
        break;
      case 'a':
        s.timeoutAction = pick(watchdogActionOptions, value, 'Action');
        break;
      case 'c':
        s.expirationFlagsClear |= 1 << pick(watchdogUseOptions, value, 'Use');
        break;
      case 'n':
        s.dontLog = true;
        break;
      case 'd':
        s.dontStop = true;
        break;
      default:
        throw new UsageError(`Invalid option '${arg}'`);
    }
  }
  return s;
}

const WATCHDOG_SET_HELP = `
Options:
  timeout=<1-6553>                    initial countdown, seconds
  pretimeout=<1-255>                  pre-timeout interval, seconds
  int=<smi|nmi|msg>                   pre-timeout interrupt
  use=<frb2|post|osload|sms|oem>      timer use
  clear=<frb2|post|osload|sms|oem>    clear that use's expiration flag (repeatable)
  action=<reset|poweroff|cycle|none>  timeout action (default none)
  nolog                               don't log the expiry
  dontstop                            don't stop a running timer while applying
Example:
  ipmi-sim mc watchdog set timeout=300 use=sms action=reset
`;

export function mcCommand(ctx: CliContext): Command {
  const mc = new Command('mc')
    .alias('bmc')
    .description('management controller: info, GUID, resets, self test, global enables, watchdog')
    .addHelpText('after', '\nExamples:\n  ipmi-sim mc info\n  ipmi-sim mc watchdog get\n');
  addReadLeaf(ctx, mc, {
    name: 'info',
    description: 'print the BMC device ID (Get Device ID)',
    example: 'ipmi-sim -H 10.0.0.5 -U admin -P secret mc info',
    fetch: (client) => call(client, getDeviceId, {}, (cc) => `Get Device ID command failed: ${cc}`),
    text: (d) => formatDeviceId(d, ctx.io.env),
  });
  mc.command('guid')
    .description('print the system GUID (Get System GUID), decoded as detected or as the given encoding')
    .addArgument(new Argument('[encoding]', 'auto (default), rfc4122 (or rfc), ipmi, smbios, dump').choices(['auto', 'rfc4122', 'rfc', 'ipmi', 'smbios', 'dump']))
    .addHelpText('after', '\nExamples:\n  ipmi-sim mc guid\n  ipmi-sim mc guid dump\n')
    .action(async (encoding: string | undefined, _o, cmd: Command) => {
      const mode = (encoding === 'rfc' ? 'rfc4122' : (encoding ?? 'auto')) as GuidMode;
      await ctx.run(cmd, async (client, out) => {
        const { guid } = await call(client, getSystemGuid, {}, (cc) => `IPMI command failed: ${cc}`);
        if (out.json) return out.json({ guid: parseGuid(guid, Date.now(), mode), raw: Buffer.from(guid).toString('hex') });
        out.text(formatGuid(guid, (s) => formatTimestamp(s, ctx.io.env), mode));
      });
    });
  mc.command('reset')
    .description('reset the BMC (warm: keep state; cold: reinitialise)')
    .addArgument(new Argument('<type>', 'reset type').choices(['warm', 'cold']))
    .addHelpText('after', '\nExample:\n  ipmi-sim mc reset cold\n')
    .action(async (type: 'warm' | 'cold', _o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        try {
          await call(client, type === 'cold' ? coldReset : warmReset, {}, (cc) => `MC reset command failed: ${cc}`);
        } catch (e) {
          // A cold reset may take the BMC away before it answers (IPMI v2.0 §20.2).
          if (!(type === 'cold' && e instanceof IpmiTimeoutError)) throw e;
        }
        if (out.json) return out.json({ reset: type });
        out.text(`Sent ${type} reset command to MC\n`);
      });
    });
  addReadLeaf(ctx, mc, {
    name: 'selftest',
    description: 'print the BMC self test result (Get Self Test Results)',
    example: 'ipmi-sim mc selftest',
    fetch: async (client) => {
      const r = await call(client, getSelfTestResults, {}, (cc) => `Bad response: (${cc})`);
      return { ...r, ...formatMcSelfTest(r.result, r.detail) };
    },
    text: (r) => r.text,
    json: ({ result, detail, passed }) => ({ result, detail, passed }),
    // Like ipmitool: anything but "passed" (or a device-specific code) is a failure.
    status: (r) => (r.passed ? ExitCode.Ok : ExitCode.Failure),
  });
  addReadLeaf(ctx, mc, {
    name: 'getenables',
    description: 'print the BMC global enables (Get BMC Global Enables)',
    example: 'ipmi-sim mc getenables',
    fetch: async (client) => (await call(client, getBmcGlobalEnables, {}, (cc) => `Get Global Enables command failed: ${cc}`)).enables,
    text: formatEnables,
    // The spec's names (GlobalEnable), camelCase, one boolean each.
    json: (enables) => ({ enables, ...Object.fromEntries(Object.entries(GlobalEnable).map(([name, bit]) => [name[0]!.toLowerCase() + name.slice(1), (enables & bit) !== 0])) }),
    table: (enables) => renderTable(['Enable', 'State'], globalEnables.map(([, desc, bit]) => [desc, enables & bit ? 'enabled' : 'disabled'])),
  });
  mc.command('setenables')
    .description('turn BMC global enables on or off: OPTION=on|off …')
    .argument('<settings...>', globalEnables.map(([n]) => `${n}=on|off`).join(' '))
    .addHelpText('after', `\nOptions:\n${globalEnables.map(([n, d]) => `  ${n.padEnd(20)}  ${d}`).join('\n')}\nExample:\n  ipmi-sim mc setenables system_event_log=off\n`)
    .action(async (settings: string[], _o, cmd: Command) => {
      const changes = ctx.args(cmd, () =>
        settings.map((s) => {
          const m = /^([a-z_0-9]+)=(on|off)$/.exec(s);
          const opt = m && globalEnables.find(([n]) => n === m[1]);
          if (!m || !opt) throw new UsageError(`Unrecognized option: ${s}`);
          return { opt, on: m[2] === 'on' };
        }),
      );
      if (changes === undefined) return;
      await ctx.run(cmd, async (client, out) => {
        const fail = (cc: string) => `Get Global Enables command failed: ${cc}`;
        const before = (await call(client, getBmcGlobalEnables, {}, fail)).enables;
        let en = before;
        let log = '';
        for (const { opt, on } of changes) {
          log += `${on ? 'Enabling' : 'Disabling'} ${opt[1]}\n`;
          en = on ? en | opt[2] : en & ~opt[2];
        }
        if (en !== before) await call(client, setBmcGlobalEnables, { enables: en }, (cc) => `Set Global Enables command failed: ${cc}`);
        const after = (await call(client, getBmcGlobalEnables, {}, fail)).enables;
        if (out.json) return out.json({ enables: after, changed: en !== before });
        out.text(`${log}${en === before ? '\nNothing to change...\n' : '\nVerifying...\n'}${formatEnables(after)}`);
      });
    });

  const wd = mc
    .command('watchdog')
    .description('BMC watchdog timer: get, reset, off, set')
    .addHelpText('after', '\nExamples:\n  ipmi-sim mc watchdog get\n  ipmi-sim mc watchdog set timeout=300 use=sms action=reset\n');
  addReadLeaf(ctx, wd, {
    name: 'get',
    description: 'print the watchdog timer settings and countdown (Get Watchdog Timer)',
    example: 'ipmi-sim mc watchdog get',
    fetch: (client) => call(client, getWatchdogTimer, {}, (cc) => `Get Watchdog Timer command failed: ${cc}`),
    text: formatWatchdog,
  });
  wd.command('reset')
    .description('restart the countdown with the last settings (Reset Watchdog Timer)')
    .addHelpText('after', '\nExample:\n  ipmi-sim mc watchdog reset\n')
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        await call(client, resetWatchdogTimer, {}, (cc, code) => `Reset Watchdog Timer command failed: ${code === 0x80 ? 'Attempt to reset uninitialized watchdog' : cc}`);
        if (out.json) return out.json({ reset: true });
        out.text('IPMI Watchdog Timer Reset -  countdown restarted!\n');
      });
    });
  wd.command('off')
    .description('stop the watchdog timer (SMS/OS use, no action, 300 s)')
    .addHelpText('after', '\nExample:\n  ipmi-sim mc watchdog off\n')
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const settings: WatchdogSettings = { timerUse: 4, dontLog: false, dontStop: false, preTimeoutInterrupt: 0, timeoutAction: 0, preTimeoutInterval: 0, expirationFlagsClear: 0x10, initialCountdown: 3000 };
        await call(client, setWatchdogTimer, settings, (cc) => `Watchdog Timer Shutoff command failed! ${cc}`);
        if (out.json) return out.json({ stopped: true });
        out.text('Watchdog Timer Shutoff successful -- timer stopped\n');
      });
    });
  wd.command('set')
    .description('configure the watchdog timer (Set Watchdog Timer)')
    .argument('<options...>', 'timeout= pretimeout= int= use= clear= action= nolog dontstop')
    .addHelpText('after', WATCHDOG_SET_HELP)
    .action(async (options: string[], _o, cmd: Command) => {
      await ctx.runArgs(cmd, () => parseWatchdogSet(options), async (client, out, settings) => {
        await call(client, setWatchdogTimer, settings, (cc) => `Set Watchdog Timer command failed: ${cc}`);
        if (out.json) return out.json(settings);
        // ipmitool reports this one on stderr (a notice).
        out.note('Watchdog Timer was successfully configured\n');
      });
    });
  return mc;
}
