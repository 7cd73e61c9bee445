// TaskService and EventService resources (their machinery is in tasks.ts and events.ts).

import { hasPrivilege, requirePrivilege } from '../auth.js';
import { notFound } from '../errors.js';
import { collection, link, resource, ROOT, SSE_URI, SUBSCRIPTIONS_URI, TASKS_URI } from '../odata.js';
import type { Ctx, Route } from '../routes.js';
import { acceptedReply, taskDoc, type Task } from '../tasks.js';

const TASK_SERVICE_TYPE = 'TaskService.v1_3_0.TaskService';
const EVENT_SERVICE_TYPE = 'EventService.v1_12_0.EventService';

function task(c: Pick<Ctx, 'svc' | 'params' | 'path' | 'principal'>): Task {
  const t = c.svc.tasks.get(c.params.id ?? '');
  // Someone else's task is none of a non-administrator's business.
  if (!t || (t.userId !== c.principal.userId && !hasPrivilege(c.principal, 'ConfigureManager'))) throw notFound(c.path);
  return t;
}

export const serviceRoutes: Route[] = [
  {
    pattern: `${ROOT}/TaskService`,
    get: () =>
      resource(`${ROOT}/TaskService`, TASK_SERVICE_TYPE, 'TaskService', 'Task service', {
        ServiceEnabled: true,
        CompletedTaskOverWritePolicy: 'Oldest',
        LifeCycleEventOnTaskStateChange: false,
        Tasks: link(TASKS_URI),
        Status: { State: 'Enabled', Health: 'OK' },
      }),
  },
  { pattern: TASKS_URI, get: ({ svc }) => collection(TASKS_URI, 'TaskCollection', 'Tasks', svc.tasks.ids().map((id) => `${TASKS_URI}/${id}`)) },
  { pattern: `${TASKS_URI}/{id}`, get: (c) => taskDoc(task(c as Ctx)) },
  {
    // The task monitor: 202 with the task while it runs, then the action's own reply.
    pattern: `${TASKS_URI}/{id}/Monitor`,
    reply: (c) => {
      const t = task(c);
      if (t.state === 'Running' || !t.result) return { ...acceptedReply(t), status: 202 };
      return t.result;
    },
  },
  {
    pattern: `${ROOT}/EventService`,
    get: () =>
      resource(`${ROOT}/EventService`, EVENT_SERVICE_TYPE, 'EventService', 'Event service', {
        ServiceEnabled: true,
        DeliveryRetryAttempts: 0,
        DeliveryRetryIntervalSeconds: 0,
        EventFormatTypes: ['Event'],
        RegistryPrefixes: ['ResourceEvent'],
        ServerSentEventUri: SSE_URI,
        SSEFilterPropertiesSupported: {
          EventFormatType: false,
          MessageId: false,
          MetricReportDefinition: false,
          OriginResource: false,
          RegistryPrefix: false,
          ResourceType: false,
          SubordinateResources: false,
        },
        Subscriptions: link(SUBSCRIPTIONS_URI),
        Status: { State: 'Enabled', Health: 'OK' },
      }),
  },
  { pattern: SUBSCRIPTIONS_URI, get: ({ svc }) => collection(SUBSCRIPTIONS_URI, 'EventDestinationCollection', 'Event subscriptions', svc.events.ids().map((id) => `${SUBSCRIPTIONS_URI}/${id}`)) },
  {
    pattern: `${SUBSCRIPTIONS_URI}/{id}`,
    get: ({ svc, params, path }) => {
      const d = svc.events.destinationDoc(params.id ?? '');
      if (!d) throw notFound(path);
      return d;
    },
    delete: (c) => {
      const owner = c.svc.events.owner(c.params.id ?? '');
      if (!owner) throw notFound(c.path);
      if (owner.userId !== c.principal.userId) requirePrivilege(c.principal, 'ConfigureManager');
      c.svc.events.end(c.params.id!);
      return { status: 204 };
    },
  },
  { pattern: SSE_URI, stream: true },
];
