// Channel access settings (IPMI v2.0 §22.22-22.23) kept across restarts. Only the
// non-volatile settings persist: a BMC that restarts loads them into the volatile (active)
// settings, which is what Set Channel Access "non-volatile" means.

import type { ChannelAccess } from '../../ipmi/commands/app.js';
import type { BmcCore } from '../core.js';
import { fingerprint, SavedReader } from './persist.js';

const KEY = 'channels';

function base(bmc: BmcCore): string {
  const lan = bmc.config.lan;
  return fingerprint({ channel: lan.channel, privilegeLimit: lan.privilegeLimit, perMessageAuth: lan.perMessageAuth, userLevelAuth: lan.userLevelAuth });
}

/** Applies saved non-volatile channel access (to both sets) if the LAN config is unchanged. */
export function restoreChannelAccess(bmc: BmcCore): void {
  const saved = bmc.store.load(KEY);
  if (saved === undefined) return;
  const rd = new SavedReader(KEY);
  const o = rd.object(saved, 'channels');
  rd.int(o.version, 'version', 1, 1);
  const savedBase = rd.str(o.base, 'base');
  const channels = rd.object(o.channels, 'channels');
  const parsed = new Map<number, ChannelAccess>();
  for (const [ch, value] of Object.entries(channels)) {
    const p = `channels.${ch}`;
    const a = rd.object(value, p);
    parsed.set(rd.int(Number(ch), p, 0, 15), {
      alertingDisabled: rd.bool(a.alertingDisabled, `${p}.alertingDisabled`),
      perMessageAuthDisabled: rd.bool(a.perMessageAuthDisabled, `${p}.perMessageAuthDisabled`),
      userLevelAuthDisabled: rd.bool(a.userLevelAuthDisabled, `${p}.userLevelAuthDisabled`),
      accessMode: rd.int(a.accessMode, `${p}.accessMode`, 0, 3),
      privilegeLimit: rd.int(a.privilegeLimit, `${p}.privilegeLimit`, 1, 5),
    });
  }
  if (savedBase !== base(bmc)) {
    bmc.log.warn('LAN channel settings in the config changed since the state was saved; using the config', { state: KEY });
    return;
  }
  for (const [ch, a] of parsed) {
    const c = bmc.channels.get(ch);
    if (!c?.access) continue;
    c.access.nonVolatile = { ...a };
    c.access.volatile = { ...a };
  }
}

/** Saves the non-volatile settings of every channel that has access settings. */
export function saveChannelAccess(bmc: BmcCore): void {
  const channels: Record<string, ChannelAccess> = {};
  for (const [n, c] of bmc.channels) if (c.access) channels[String(n)] = { ...c.access.nonVolatile };
  bmc.store.save(KEY, { version: 1, base: base(bmc), channels });
}
