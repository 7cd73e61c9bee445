// YAML section "sensors". Owner: see src/bmc/state/sensors.ts.

import { registerConfigSection } from '../config-registry.js';

registerConfigSection('sensors', (node) => {
  // Until this section has fields, only an empty mapping is accepted.
  node.map([]);
});
