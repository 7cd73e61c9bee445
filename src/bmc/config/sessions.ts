// YAML section "sessions": how many sessions at once and when idle ones close.

import type { BmcConfig } from './model.js';
import type { ConfigNode, ConfigSection } from './schema.js';

export const sessionsSection: ConfigSection = { name: 'sessions', parse: parseSessions };

function parseSessions(n: ConfigNode, c: BmcConfig): void {
  const f = n.map(['max', 'idleTimeout']);
  const max = f.get('max');
  if (max) c.sessions.maxSessions = max.int(1, 63);
  const idle = f.get('idleTimeout');
  if (idle) c.sessions.idleTimeoutSec = idle.int(1, 86400);
}
