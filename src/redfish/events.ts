// EventService over Server-Sent Events (DSP0266 §13.4 "Server-sent events"): a client GETs
// ServerSentEventUri and keeps the response open; each SEL record the BMC stores (a sensor
// crossing a threshold, a watchdog expiry, an entry added over IPMI) arrives as an Event whose
// record points at the new LogEntry (ResourceEvent registry, ResourceCreated). Every open
// stream is listed as an EventDestination with SubscriptionType "SSE"; deleting it, or the end
// of the session the stream was opened with, closes the stream. Streams are bounded in number.

import type { ServerResponse } from 'node:http';
import type { SelEntry } from '../bmc/state/sel.js';
import type { Principal, RedfishSession } from './auth.js';
import { RedfishError } from './errors.js';
import { isoTime, link, resource, SUBSCRIPTIONS_URI } from './odata.js';
import type { Doc } from './routes.js';
import type { RedfishService } from './service.js';
import { logEntryUri, selSeverity } from './resources/logs.js';

export const EVENT_TYPE = 'Event.v1_13_0.Event';
export const DESTINATION_TYPE = 'EventDestination.v1_16_0.EventDestination';
const RESOURCE_CREATED = { id: 'ResourceEvent.1.4.ResourceCreated', message: 'The resource was created successfully.' };
/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

interface Stream {
  id: string;
  res: ServerResponse;
  principal: Principal;
  openedAt: number;
  keepalive: NodeJS.Timeout;
}

export class EventStreams {
  private readonly svc: RedfishService;
  private readonly max: number;
  private readonly streams = new Map<string, Stream>();
  private nextId = 1;
  private nextEventId = 1;
  private readonly onSel = (e: SelEntry) => this.selAdded(e);

  constructor(svc: RedfishService, max: number) {
    this.svc = svc;
    this.max = max;
    svc.bmc.sel.addListeners.add(this.onSel);
  }

  /** Takes over a GET of the SSE URI. */
  open(res: ServerResponse, principal: Principal): void {
    if (this.streams.size >= this.max) throw new RedfishError(503, 'CreateLimitReachedForResource');
    const id = `sse-${this.nextId++}`;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'OData-Version': '4.0' });
    res.write(': ipmi-sim Redfish event stream\n\n');
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const s: Stream = { id, res, principal, openedAt: this.svc.bmc.clock.now(), keepalive };
    this.streams.set(id, s);
    res.on('close', () => this.drop(s));
  }

  private drop(s: Stream): void {
    clearInterval(s.keepalive);
    this.streams.delete(s.id);
  }

  end(id: string): boolean {
    const s = this.streams.get(id);
    if (!s) return false;
    this.drop(s);
    s.res.end();
    return true;
  }

  sessionClosed(session: RedfishSession): void {
    for (const s of [...this.streams.values()]) if (s.principal.session === session) this.end(s.id);
  }

  ids(): string[] {
    return [...this.streams.keys()];
  }

  owner(id: string): Principal | undefined {
    return this.streams.get(id)?.principal;
  }

  destinationDoc(id: string): Doc | undefined {
    const s = this.streams.get(id);
    if (!s) return undefined;
    return resource(`${SUBSCRIPTIONS_URI}/${id}`, DESTINATION_TYPE, id, 'Server-sent event stream', {
      SubscriptionType: 'SSE',
      Protocol: 'Redfish',
      EventFormatType: 'Event',
      Context: '',
      RegistryPrefixes: ['ResourceEvent'],
      Status: { State: 'Enabled', Health: 'OK' },
    });
  }

  private selAdded(e: SelEntry): void {
    if (this.streams.size === 0) return;
    const eventId = String(this.nextEventId++);
    const entry = logEntryUri(e.id);
    const event = {
      '@odata.type': `#${EVENT_TYPE}`,
      Id: eventId,
      Name: 'SEL entry added',
      Events: [
        {
          EventType: 'Other',
          EventId: eventId,
          EventTimestamp: isoTime(this.svc.bmc.clock.now()),
          MemberId: '0',
          MessageId: RESOURCE_CREATED.id,
          Message: RESOURCE_CREATED.message,
          MessageArgs: [],
          MessageSeverity: selSeverity(e.record),
          OriginOfCondition: link(entry),
          LogEntry: link(entry),
        },
      ],
    };
    const frame = `id: ${eventId}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const s of this.streams.values()) s.res.write(frame);
  }

  close(): void {
    this.svc.bmc.sel.addListeners.delete(this.onSel);
    for (const id of this.ids()) this.end(id);
  }
}
