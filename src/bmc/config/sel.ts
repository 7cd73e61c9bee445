// YAML section "sel". Owner: see src/bmc/state/sel.ts.

import { registerConfigSection } from '../config-registry.js';

registerConfigSection('sel', (node) => {
  // Until this section has fields, only an empty mapping is accepted.
  node.map([]);
});
