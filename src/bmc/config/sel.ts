// YAML section "sel":  sel: { capacity: 512 }  (entries of 16 bytes; 1-4095 so that the free
// space fits Get SEL Info's 16-bit byte count without saturating).

import type { ConfigSection } from './schema.js';

export const selSection: ConfigSection = {
  name: 'sel',
  parse: (node, config) => {
    const f = node.map(['capacity']);
    const cap = f.get('capacity');
    if (cap) config.sel.capacity = cap.int(1, 4095);
  },
};
