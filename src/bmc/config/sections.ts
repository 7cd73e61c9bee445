// Every YAML section a BMC config may have, in the order they are applied: the core sections
// first (later ones refer to users or identity), then one per subsystem. A new section is one
// file in this folder plus one line here.

import { chassisSection } from './chassis.js';
import { commandsSection } from './commands.js';
import { fruSection } from './fru.js';
import { identitySection } from './identity.js';
import { lanSection } from './lan.js';
import { lanParamsSection } from './lan-params.js';
import type { ConfigSection } from './schema.js';
import { sdrSection, sensorsSection } from './sensors.js';
import { selSection } from './sel.js';
import { sessionsSection } from './sessions.js';
import { solSection } from './sol.js';
import { usersSection } from './users.js';
import { vmSection } from './vm.js';

export const CONFIG_SECTIONS: readonly ConfigSection[] = [
  identitySection,
  usersSection,
  lanSection,
  sessionsSection,
  chassisSection,
  sensorsSection,
  sdrSection,
  selSection,
  fruSection,
  lanParamsSection,
  solSection,
  vmSection,
  commandsSection,
];
