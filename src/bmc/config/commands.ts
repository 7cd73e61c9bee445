// YAML section "commands": shape the BMC's command set, e.g. to reproduce a BMC that lacks
// commands (they then answer 0xC1 "Invalid command" as on that BMC).
//   commands:
//     only: [Get Device ID, "0x0a:0x40", ...]   # keep just these (plus the session commands)
//     disable: [Get Self Test Results]          # or drop these
// A command is its spec name (case-insensitive) or "NETFN:CMD" in hex.

import type { ConfigNode, ConfigSection } from './schema.js';
import { allCommands } from '../../ipmi/registry.js';
import { commandKey } from '../../ipmi/spec.js';

export interface CommandSetConfig {
  only?: number[];
  disable?: number[];
}

/** What LAN sessions need; `only` always keeps them, or no console could log in. */
export const SESSION_COMMANDS = [0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x54].map((cmd) => commandKey(0x06, cmd));

function commandKeys(n: ConfigNode): number[] {
  return n.list().map((item) => {
    const text = item.str().trim();
    const m = /^(0x[0-9a-f]{1,2}|\d+):(0x[0-9a-f]{1,2}|\d+)$/i.exec(text);
    if (m) {
      const netFn = Number(m[1]);
      const cmd = Number(m[2]);
      if (netFn > 0x3f || cmd > 0xff || netFn % 2 !== 0) throw item.error(`"${text}" is not a request NETFN:CMD (even netFn 0x00-0x3e, cmd 0x00-0xff)`);
      return commandKey(netFn, cmd);
    }
    const spec = allCommands.find((s) => s.name.toLowerCase() === text.toLowerCase());
    if (!spec) throw item.error(`unknown command "${text}" (use a name like "Get Device ID" or NETFN:CMD like 0x06:0x01)`);
    return commandKey(spec.netFn, spec.cmd);
  });
}

export const commandsSection: ConfigSection = {
  name: 'commands',
  parse: (node, config) => {
    const f = node.map(['only', 'disable']);
    const only = f.get('only');
    const disable = f.get('disable');
    if (only && disable) throw disable.error('give either "only" or "disable", not both');
    config.commands = only ? { only: commandKeys(only) } : disable ? { disable: commandKeys(disable) } : {};
  },
};
