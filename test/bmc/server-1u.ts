// The 1U server's sensors the sensor tests share: the `sensors:` section of the embedded
// default (src/bmc/config/default.ts), so tests and the default cannot drift apart.

import { DEFAULT_CONFIG_YAML } from '../../src/bmc/config/default.js';

const start = DEFAULT_CONFIG_YAML.indexOf('\nsensors:\n');
if (start < 0) throw new Error('the embedded default has no sensors section');
// The section runs to the next top-level key (or the end of the file).
const rest = DEFAULT_CONFIG_YAML.slice(start + 1);
const next = rest.slice('sensors:\n'.length).search(/^[a-zA-Z]/m);

export const SERVER_1U_SENSORS = next < 0 ? rest : rest.slice(0, 'sensors:\n'.length + next);
