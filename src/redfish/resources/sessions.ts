// SessionService (DSP0266 §13.3.4): POST {UserName, Password} to the Sessions collection opens
// a session — 201 with X-Auth-Token and Location — and DELETE on the session ends it. A user sees
// and ends their own sessions; an administrator (ConfigureManager) all of them.

import { checkCredentials, hasPrivilege, requirePrivilege, type RedfishSession } from '../auth.js';
import { checkProperties, type ObjectSchema } from '../body.js';
import { notFound, RedfishError } from '../errors.js';
import { collection, isoTime, link, resource, ROOT, SESSIONS_URI } from '../odata.js';
import type { Ctx, Doc, Route } from '../routes.js';

const SERVICE_TYPE = 'SessionService.v1_2_0.SessionService';
const SESSION_TYPE = 'Session.v1_8_0.Session';

const LOGIN_SCHEMA: ObjectSchema = {
  type: 'object',
  properties: { UserName: { type: 'string', maxLength: 16 }, Password: { type: 'string', maxLength: 20 } },
  required: ['UserName', 'Password'],
};
const SERVICE_PATCH: ObjectSchema = { type: 'object', properties: { SessionTimeout: { type: 'integer', minimum: 30, maximum: 86400 } } };

const sessionUri = (s: RedfishSession): string => `${SESSIONS_URI}/${s.id}`;

function sessionDoc(s: RedfishSession): Doc {
  return resource(sessionUri(s), SESSION_TYPE, s.id, 'User session', {
    UserName: s.username,
    Password: null,
    SessionType: 'Redfish',
    CreatedTime: isoTime(s.createdAt),
    ClientOriginIPAddress: s.remote,
  });
}

function visible(c: Pick<Ctx, 'svc' | 'principal'>): RedfishSession[] {
  const all = c.svc.sessions.all();
  return hasPrivilege(c.principal, 'ConfigureManager') ? all : all.filter((s) => s.userId === c.principal.userId);
}

function session(c: Ctx): RedfishSession {
  const s = visible(c).find((x) => x.id === c.params.id);
  if (!s) throw notFound(c.path);
  return s;
}

export const sessionRoutes: Route[] = [
  {
    pattern: `${ROOT}/SessionService`,
    get: ({ svc }) =>
      resource(`${ROOT}/SessionService`, SERVICE_TYPE, 'SessionService', 'Session service', {
        ServiceEnabled: true,
        SessionTimeout: svc.sessions.limits.timeoutSec,
        Sessions: link(SESSIONS_URI),
        Status: { State: 'Enabled', Health: 'OK' },
      }),
    patch: (c, body, current) => {
      requirePrivilege(c.principal, 'ConfigureManager');
      const b = checkProperties(body, SERVICE_PATCH, current);
      if (typeof b.SessionTimeout === 'number') c.svc.sessions.limits.timeoutSec = b.SessionTimeout;
    },
  },
  {
    pattern: SESSIONS_URI,
    get: (c) => collection(SESSIONS_URI, 'SessionCollection', 'Sessions', visible(c as Ctx).map(sessionUri)),
    publicPost: true,
    post: (c, body) => {
      const b = checkProperties(body, LOGIN_SCHEMA);
      const bmc = c.svc.bmc;
      const ok = checkCredentials(bmc, b.UserName as string, b.Password as string);
      if (!ok) {
        bmc.log.warn('Redfish login rejected', { user: b.UserName as string, remote: c.remote });
        throw new RedfishError(401, 'NoValidSession');
      }
      const s = c.svc.sessions.create(ok.user, c.remote);
      bmc.log.info('Redfish session opened', { session: s.id, user: s.username, role: ok.role, remote: c.remote });
      return { status: 201, body: sessionDoc(s), headers: { 'X-Auth-Token': s.token, Location: sessionUri(s) } };
    },
  },
  {
    pattern: `${SESSIONS_URI}/{id}`,
    get: (c) => sessionDoc(session(c as Ctx)),
    delete: (c) => {
      const s = session(c);
      // Ending someone else's session is an administrator's job.
      if (s.userId !== c.principal.userId) requirePrivilege(c.principal, 'ConfigureManager');
      c.svc.sessions.close(s, 'logout');
      return { status: 204 };
    },
  },
];
