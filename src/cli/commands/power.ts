// `power status|on|off|cycle|reset|diag|soft` (also `chassis power …`): ipmitool's syntax and
// text, plus --wait to poll Get Chassis Status until the change has happened.

import { Command, Option } from 'commander';
import { chassisControl, getChassisStatus } from '../../ipmi/commands/chassis.js';
import type { LanClient } from '../../client/lan-client.js';
import { OperationError, UsageError } from '../../client/errors.js';
import type { CliContext, Output } from '../context.js';
import { call } from '../ipmitool.js';
import { chalk } from '../output/color.js';
import { formatPowerStatus, powerControlNames } from '../output/chassis.js';
import { startSpinner } from '../output/spinner.js';

export async function powerIsOn(client: LanClient): Promise<boolean> {
  const s = await call(client, getChassisStatus, {}, (cc) => `Get Chassis Power Status failed: ${cc}`);
  return s.powerOn;
}

interface PowerAction {
  name: string;
  aliases: string[];
  action: number;
  description: string;
  /** What --wait waits for; undefined = the action has no state change to wait for. */
  waitFor?: 'on' | 'off' | 'cycle';
}

const ACTIONS: readonly PowerAction[] = [
  { name: 'on', aliases: ['up'], action: 1, description: 'power up the chassis', waitFor: 'on' },
  { name: 'off', aliases: ['down'], action: 0, description: 'power down the chassis at once (not an orderly shutdown)', waitFor: 'off' },
  { name: 'cycle', aliases: [], action: 2, description: 'power off, wait the power cycle interval, power on', waitFor: 'cycle' },
  { name: 'reset', aliases: [], action: 3, description: 'hard reset (power stays on)' },
  { name: 'diag', aliases: [], action: 4, description: 'pulse a diagnostic interrupt (NMI)' },
  { name: 'soft', aliases: ['acpi'], action: 5, description: 'soft shutdown via ACPI (orderly, if the OS cooperates)', waitFor: 'off' },
];

const POLL_MS = 200;

/** Polls Get Chassis Status until the requested change is seen; returns the milliseconds waited. */
async function waitForPower(client: LanClient, what: 'on' | 'off' | 'cycle', timeoutSec: number, out: Output): Promise<number> {
  const started = Date.now();
  const label = what === 'cycle' ? 'power to go off and back on' : `power ${what}`;
  const spinner = await startSpinner(`waiting for ${label}`, { enabled: out.interactive });
  let sawOff = false;
  try {
    for (;;) {
      const on = await powerIsOn(client);
      if (!on) sawOff = true;
      if ((what === 'on' && on) || (what === 'off' && !on) || (what === 'cycle' && sawOff && on)) {
        spinner.succeed(`power is ${on ? 'on' : 'off'}`);
        return Date.now() - started;
      }
      if (Date.now() - started > timeoutSec * 1000) {
        spinner.fail();
        throw new OperationError(`Timed out after ${timeoutSec} s waiting for ${label} (power is ${on ? 'on' : 'off'})`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    spinner.stop();
  }
}

function parseWaitTimeout(text: string | undefined): number {
  if (text === undefined) return 60;
  const n = Number(text);
  if (!(n > 0 && n <= 3600)) throw new UsageError(`invalid --wait-timeout "${text}" (seconds, 1-3600)`);
  return n;
}

/** The `power` command group; `chassis power` is the same group under another parent. */
export function powerCommand(ctx: CliContext, example = 'ipmi-sim power status'): Command {
  const power = new Command('power').description('chassis power: status, on, off, cycle, reset, diag, soft');
  power.addHelpText('after', `\nExamples:\n  ${example}\n  ${example.replace(/status$/, 'cycle')} --wait\n`);
  power
    .command('status')
    .description('print whether the chassis power is on (Get Chassis Status)')
    .addHelpText('after', `\nExample:\n  ${example}   # Chassis Power is on\n`)
    .action(async (_o, cmd: Command) => {
      await ctx.run(cmd, async (client, out) => {
        const on = await powerIsOn(client);
        if (out.json) return out.json({ powerOn: on });
        if (out.color) return out.text(`Chassis Power is ${on ? chalk.green('on') : chalk.red('off')}\n`);
        out.text(formatPowerStatus(on));
      });
    });
  for (const a of ACTIONS) {
    const sub = power.command(a.name).aliases(a.aliases).description(`${a.description} (Chassis Control)`);
    if (a.waitFor) {
      sub
        .option('--wait', `poll until the change is seen (${a.waitFor === 'cycle' ? 'off, then on again' : `power ${a.waitFor}`})`)
        .addOption(new Option('--wait-timeout <seconds>', 'give up waiting after this long (default 60)'));
    }
    sub.addHelpText('after', `\nExample:\n  ${example.replace(/status$/, a.name)}${a.waitFor ? ' --wait' : ''}\n`);
    sub.action(async (opts: { wait?: boolean; waitTimeout?: string }, cmd: Command) => {
      const control = powerControlNames[a.action]!;
      await ctx.runArgs(cmd, () => parseWaitTimeout(opts.waitTimeout), async (client, out, timeout) => {
        await call(client, chassisControl, { action: a.action }, (cc) => `Set Chassis Power Control to ${control} failed: ${cc}`);
        const waitedMs = opts.wait && a.waitFor ? await waitForPower(client, a.waitFor, timeout, out) : undefined;
        if (out.json) {
          const doc: Record<string, unknown> = { action: a.name, control };
          if (waitedMs !== undefined) Object.assign(doc, { powerOn: a.waitFor !== 'off', waitedMs });
          return out.json(doc);
        }
        out.text(`Chassis Power Control: ${control}\n`);
      });
    });
  }
  return power;
}
