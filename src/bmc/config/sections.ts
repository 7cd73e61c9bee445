// Registers the YAML sections beyond the core ones (identity, users, lan, sessions).
// Each subsystem owns its section parser in this folder; importing this module installs them.

import './chassis.js';
import './sensors.js';
import './sel.js';
import './fru.js';
import './lan-params.js';
import './vm.js';
import './commands.js';
