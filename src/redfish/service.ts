// The Redfish service's state beside the BMC: its sessions, tasks and event streams, and what
// it knows of its own endpoints. The resources read and change the BMC itself (one model).

import type { BmcCore } from '../bmc/core.js';
import { RedfishSessions } from './auth.js';
import { EventStreams } from './events.js';
import { TaskTable } from './tasks.js';

export interface RedfishServiceOptions {
  /** Where IPMI over LAN answers, for ManagerNetworkProtocol. */
  lanPort: number;
  /** Redfish sessions at once (SessionService). */
  maxSessions?: number;
  /** Seconds; DSP0266 allows 30-86400, default 1800. */
  sessionTimeoutSec?: number;
  /** SSE streams at once. */
  maxStreams?: number;
}

export class RedfishService {
  readonly bmc: BmcCore;
  readonly sessions: RedfishSessions;
  readonly tasks: TaskTable;
  readonly events: EventStreams;
  readonly lanPort: number;
  /** Set once the HTTPS server is bound. */
  httpsPort = 0;

  constructor(bmc: BmcCore, o: RedfishServiceOptions) {
    this.bmc = bmc;
    this.lanPort = o.lanPort;
    this.sessions = new RedfishSessions(bmc.clock, { maxSessions: o.maxSessions ?? 16, timeoutSec: o.sessionTimeoutSec ?? 1800 });
    this.tasks = new TaskTable(bmc.clock);
    this.events = new EventStreams(this, o.maxStreams ?? 8);
    this.sessions.onClose = (s, reason) => {
      this.events.sessionClosed(s);
      bmc.log.info('Redfish session closed', { session: s.id, user: s.username, reason });
    };
  }

  close(): void {
    this.events.close();
    this.sessions.closeAll('shutdown');
    this.tasks.close();
  }
}
