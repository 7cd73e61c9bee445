// YAML section "lanParams". Owner: see src/bmc/state/lan-params.ts.

import { registerConfigSection } from '../config-registry.js';

registerConfigSection('lanParams', (node) => {
  // Until this section has fields, only an empty mapping is accepted.
  node.map([]);
});
