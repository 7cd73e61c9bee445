// YAML section "fru". Owner: see src/bmc/state/fru.ts.

import { registerConfigSection } from '../config-registry.js';

registerConfigSection('fru', (node) => {
  // Until this section has fields, only an empty mapping is accepted.
  node.map([]);
});
