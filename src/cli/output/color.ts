// Colour is decided once per run: --no-color > NO_COLOR (set and non-empty) > FORCE_COLOR >
// a TTY that is not TERM=dumb. chalk 5 ignores NO_COLOR by itself, so we set its level.
// JSON output never has colour.

import chalk from 'chalk';

export function decideColor(opts: { color?: boolean; json?: boolean }, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (opts.json || opts.color === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export function applyColor(enabled: boolean): void {
  chalk.level = enabled ? 1 : 0;
}

/** Colours an ipmitool status word (ok/nc/cr/nr and their elist forms) when colour is on. */
export function statusColor(status: string): string {
  const s = status.trim();
  if (s === 'ok') return chalk.green(status);
  if (/^(nc|lnc|unc)$/.test(s)) return chalk.yellow(status);
  if (/^(cr|lcr|ucr|nr|lnr|unr)$/.test(s)) return chalk.red(status);
  if (/^(ns|na)$/.test(s)) return chalk.dim(status);
  return status;
}

export { chalk };
