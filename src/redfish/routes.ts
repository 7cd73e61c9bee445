// The route table's shape: a URI template per resource and what each HTTP method does there.
// GET needs the Login privilege unless the route is public; other methods check their own
// privilege (it may depend on the target, e.g. a user changing their own password).

import type { Principal } from './auth.js';
import type { RedfishService } from './service.js';

/** A Redfish resource as JSON. */
export type Doc = Record<string, unknown>;

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Ctx {
  svc: RedfishService;
  params: Readonly<Record<string, string>>;
  principal: Principal;
  /** The request's own path (normalized: no trailing slash). */
  path: string;
  /** The peer, for logs and Session.ClientOriginIPAddress. */
  remote: string;
}

/** What a public GET sees: no principal. */
export type PublicCtx = Omit<Ctx, 'principal'> & { principal: Principal | undefined };

export interface Route {
  pattern: string;
  /** GET without credentials (service root, /redfish, odata documents). */
  public?: boolean;
  get?(c: PublicCtx): Doc;
  /** A GET whose reply is more than a document (a task monitor's 202 or final reply). */
  reply?(c: Ctx): Reply;
  /** Checked body (see body.ts); returns nothing, the reply is the resource after the change. */
  patch?(c: Ctx, body: unknown, current: Doc): void | Promise<void>;
  post?(c: Ctx, body: unknown): Reply | Promise<Reply>;
  /** POST without credentials (creating a session). */
  publicPost?: boolean;
  delete?(c: Ctx): Reply | Promise<Reply>;
  /** A stream instead of a document (SSE); takes the response over. */
  stream?: true;
}

interface Compiled {
  route: Route;
  segments: string[];
}

/** Matches request paths against URI templates ("/redfish/v1/Systems/{id}"). */
export class Router {
  private readonly compiled: Compiled[];

  constructor(routes: readonly Route[]) {
    this.compiled = routes.map((route) => ({ route, segments: route.pattern.split('/').filter(Boolean) }));
  }

  match(path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const c of this.compiled) {
      if (c.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = c.segments[i]!;
        if (seg.startsWith('{')) params[seg.slice(1, -1)] = parts[i]!;
        else ok = seg === parts[i];
      }
      if (ok) return { route: c.route, params };
    }
    return undefined;
  }
}

/** The methods a route answers, for Allow and 405. */
export function allowedMethods(r: Route): string[] {
  const m: string[] = [];
  if (r.get || r.reply || r.stream) m.push('GET', 'HEAD');
  if (r.patch) m.push('PATCH');
  if (r.post) m.push('POST');
  if (r.delete) m.push('DELETE');
  return m;
}
