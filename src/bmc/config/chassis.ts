// YAML section "chassis". Owner: see src/bmc/state/chassis.ts.

import { registerConfigSection } from '../config-registry.js';

registerConfigSection('chassis', (node) => {
  // Until this section has fields, only an empty mapping is accepted.
  node.map([]);
});
