// Redfish over HTTPS: Node's own HTTP parser (node:https) in front of the route table. This
// module does the protocol work of DSP0266 — authentication (Basic or X-Auth-Token), methods
// and Allow, ETags (If-Match on PATCH, If-None-Match on GET), unsupported $ queries (501),
// bounded request bodies (413), error bodies — and leaves the resources to resources/*.
// A bad request of any kind gets its error reply; nothing a client sends stops the server.

import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../bmc/log.js';
import { checkCredentials, roleOf, type Principal } from './auth.js';
import { parseJson } from './body.js';
import { notFound, RedfishError } from './errors.js';
import { etagOf, ROOT } from './odata.js';
import { allowedMethods, Router, type Ctx, type Doc, type Reply, type Route } from './routes.js';
import type { RedfishService } from './service.js';
import { accountRoutes } from './resources/accounts.js';
import { chassisRoutes } from './resources/chassis.js';
import { logRoutes } from './resources/logs.js';
import { managerRoutes } from './resources/managers.js';
import { METADATA_XML, rootRoutes } from './resources/root.js';
import { serviceRoutes } from './resources/services.js';
import { sessionRoutes } from './resources/sessions.js';
import { systemRoutes } from './resources/systems.js';

export const ROUTES: readonly Route[] = [...rootRoutes, ...systemRoutes, ...logRoutes, ...chassisRoutes, ...managerRoutes, ...accountRoutes, ...sessionRoutes, ...serviceRoutes];

/** Request bodies are small JSON objects; anything larger is refused before it is buffered. */
export const MAX_BODY_BYTES = 64 * 1024;
const MAX_CONNECTIONS = 128;
const REALM = 'Basic realm="ipmi-sim Redfish", charset="UTF-8"';

export interface TlsMaterial {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface ListenAddress {
  host: string;
  port: number;
}

export class RedfishServer {
  private readonly svc: RedfishService;
  private readonly log: Logger;
  private readonly router = new Router(ROUTES);
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(svc: RedfishService, tls: TlsMaterial, log: Logger) {
    this.svc = svc;
    this.log = log;
    this.server = createServer({ cert: tls.cert, key: tls.key, requestTimeout: 30_000, headersTimeout: 15_000, maxHeaderSize: 16 * 1024, keepAliveTimeout: 5_000 }, (req, res) => {
      void this.handle(req, res);
    });
    this.server.maxConnections = MAX_CONNECTIONS;
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    // Not HTTP, or not TLS at all: answer what can be answered and drop the connection.
    this.server.on('clientError', (e: Error, socket: Socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
      this.log.debug('Redfish: bad HTTP request', { error: e.message });
    });
    this.server.on('tlsClientError', (e: Error) => this.log.debug('Redfish: TLS handshake failed', { error: e.message }));
  }

  async listen(addr: ListenAddress): Promise<ListenAddress> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(addr.port, addr.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const a = this.server.address();
    const bound = typeof a === 'object' && a ? { host: a.address, port: a.port } : addr;
    this.svc.httpsPort = bound.port;
    this.server.on('error', (e) => this.log.warn('Redfish server error', { error: e.message }));
    return bound;
  }

  async close(): Promise<void> {
    this.svc.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const remote = req.socket.remoteAddress ?? '';
    let reply: Reply | undefined;
    let user: string | undefined;
    try {
      const r = await this.route(req, res, remote);
      reply = r.reply;
      user = r.user;
    } catch (e) {
      const err = e instanceof RedfishError ? e : this.internalError(e, req);
      reply = { status: err.status, body: err.body(), headers: err.headers };
    }
    if (reply) this.send(req, res, reply);
    this.log.debug('Redfish request', { method: req.method ?? '', path: req.url ?? '', status: reply?.status ?? 200, user: user ?? '-', remote });
  }

  private internalError(e: unknown, req: IncomingMessage): RedfishError {
    this.log.warn('Redfish request failed', { method: req.method ?? '', path: req.url ?? '', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    return new RedfishError(500, 'InternalError');
  }

  /** Returns the reply to send, or no reply when the route took the response over (SSE). */
  private async route(req: IncomingMessage, res: ServerResponse, remote: string): Promise<{ reply?: Reply; user?: string }> {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url ?? '');
    for (const key of query.keys()) if (key.startsWith('$')) throw new RedfishError(501, 'QueryNotSupported');
    const isGet = method === 'GET' || method === 'HEAD';
    if (path === `${ROOT}/$metadata`) {
      if (!isGet) throw new RedfishError(405, 'OperationNotAllowed', [], { headers: { Allow: 'GET, HEAD' } });
      return { reply: { status: 200, body: METADATA_XML, headers: { 'Content-Type': 'application/xml' } } };
    }
    const m = this.router.match(path);
    if (!m) throw notFound(path);
    const { route, params } = m;
    const allow = allowedMethods(route);
    if (!allow.includes(method)) throw new RedfishError(405, 'OperationNotAllowed', [], { headers: { Allow: allow.join(', ') } });
    const body = method === 'POST' || method === 'PATCH' ? await readJsonBody(req, method === 'POST') : undefined;
    if (!isGet && body === undefined) await drain(req);
    const open = (isGet && route.public) || (method === 'POST' && route.publicPost);
    const principal = open ? undefined : this.authenticate(req);
    const c = { svc: this.svc, params, path, remote, principal } as Ctx;
    const user = principal?.username;
    switch (method) {
      case 'GET':
      case 'HEAD': {
        if (route.stream) {
          this.svc.events.open(res, principal!);
          return { user };
        }
        if (route.reply) return { reply: route.reply(c), user };
        const doc = route.get!(c);
        const etag = etagOf(doc);
        if (matchesAny(req.headers['if-none-match'], etag)) return { reply: { status: 304, headers: { ETag: etag } }, user };
        return { reply: { status: 200, body: doc, headers: { ETag: etag, Allow: allow.join(', ') } }, user };
      }
      case 'PATCH': {
        const current = route.get!(c);
        const ifMatch = req.headers['if-match'];
        if (ifMatch !== undefined && !matchesAny(ifMatch, etagOf(current))) throw new RedfishError(412, 'PreconditionFailed');
        await route.patch!(c, body, current);
        const after = route.get!(c);
        return { reply: { status: 200, body: after, headers: { ETag: etagOf(after) } }, user };
      }
      case 'POST':
        return { reply: await route.post!(c, body), user };
      case 'DELETE':
        return { reply: await route.delete!(c), user };
      default:
        throw new RedfishError(405, 'OperationNotAllowed', [], { headers: { Allow: allow.join(', ') } });
    }
  }

  /** X-Auth-Token (a session) or HTTP Basic against the BMC's users; 401 otherwise. */
  private authenticate(req: IncomingMessage): Principal {
    const bmc = this.svc.bmc;
    const fail = () => new RedfishError(401, 'NoValidSession', [], { headers: { 'WWW-Authenticate': REALM } });
    const token = req.headers['x-auth-token'];
    if (typeof token === 'string' && token !== '') {
      const s = this.svc.sessions.use(token);
      if (!s) throw fail();
      const u = bmc.users.get(s.userId);
      // The account may have changed under the session: it lives only while the user can log in.
      const role = u && u.enabled && u.name === s.username ? roleOf(bmc, u) : 'NoAccess';
      if (role === 'NoAccess') {
        this.svc.sessions.close(s, 'account no longer valid');
        throw fail();
      }
      return { userId: s.userId, username: s.username, role, session: s };
    }
    const auth = req.headers.authorization;
    const m = typeof auth === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth) : null;
    if (!m) throw fail();
    const decoded = Buffer.from(m[1]!, 'base64').toString('latin1');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw fail();
    const name = decoded.slice(0, colon);
    const ok = checkCredentials(bmc, name, decoded.slice(colon + 1));
    if (!ok) {
      this.log.warn('Redfish authentication rejected', { user: name, remote: req.socket.remoteAddress ?? '' });
      throw fail();
    }
    return { userId: ok.user.id, username: ok.user.name, role: ok.role };
  }

  private send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
    if (res.headersSent) return;
    const headers: Record<string, string> = { 'OData-Version': '4.0', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...reply.headers };
    let payload: Buffer | undefined;
    if (reply.body !== undefined) {
      payload = Buffer.from(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      headers['Content-Type'] ??= 'application/json; charset=utf-8';
    }
    headers['Content-Length'] = String(payload?.length ?? 0);
    // An unread body (refused before reading) must not be parsed as the next request.
    const hasBody = req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
    if (hasBody && !req.complete) headers.Connection = 'close';
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' || reply.status === 204 || reply.status === 304 ? undefined : payload);
  }
}

function splitUrl(url: string): { path: string; query: URLSearchParams } {
  if (!url.startsWith('/')) throw new RedfishError(400, 'ResourceMissingAtURI', [url.slice(0, 200)]);
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)) };
}

/** If-Match / If-None-Match: "*" or a list of tags; a weak tag compares by its opaque part. */
function matchesAny(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

async function readJsonBody(req: IncomingMessage, allowEmpty: boolean): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type)) {
    await drain(req);
    throw new RedfishError(415, 'GeneralError');
  }
  return parseJson(await readBody(req), allowEmpty);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return Promise.reject(new RedfishError(413, 'PayloadTooLarge'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        reject(new RedfishError(413, 'PayloadTooLarge'));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Reads and drops a body nobody needs (a DELETE with one), bounded like any other. */
async function drain(req: IncomingMessage): Promise<void> {
  if (req.complete || Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return;
  await readBody(req);
}

export type { Doc };
