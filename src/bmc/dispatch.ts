// Generic command dispatch: the command table decides the completion codes for unknown
// commands (0xC1), wrong LUN (0xC2), wrong length (0xC7) and privilege (0xD4) so handlers never
// repeat those checks. Handlers get the decoded request and return a value or a Completion.

import { ProtocolError, Reader, Writer } from '../protocol/bytes.js';
import { CC } from '../protocol/completion-codes.js';
import { commandKey, type CommandSpec, type PrivilegeLevel } from '../ipmi/spec.js';
import type { Session } from './sessions.js';

export interface BmcRequest {
  netFn: number;
  lun: number;
  cmd: number;
  data: Uint8Array;
}

export interface BmcResponse {
  cc: number;
  data: Uint8Array;
}

export interface DispatchContext {
  /** Channel the request arrived on: 1..11 LAN, 15 system interface. */
  channel: number;
  /** Current session privilege, or 'system' for the system interface (no checks). */
  privilege: PrivilegeLevel | 'system' | 'none';
  session?: Session;
}

/** A non-zero completion code, optionally with data (a few commands return both). */
export class Completion {
  readonly cc: number;
  readonly data: Uint8Array;
  constructor(cc: number, data: Uint8Array = new Uint8Array(0)) {
    this.cc = cc;
    this.data = data;
  }
}

export function fail(cc: number): Completion {
  return new Completion(cc);
}

export type Handler<Req, Res, Ctx> = (req: Req, ctx: Ctx) => Res | Completion;

export interface HandlerEntry<Ctx> {
  spec: CommandSpec<any, any>;
  fn: Handler<any, any, Ctx>;
}

export function handle<Req, Res, Ctx>(spec: CommandSpec<Req, Res>, fn: Handler<Req, Res, Ctx>): HandlerEntry<Ctx> {
  return { spec, fn };
}

const EMPTY = new Uint8Array(0);

export function allowed(access: CommandSpec<any, any>['access'], privilege: DispatchContext['privilege']): boolean {
  if (privilege === 'system') return true;
  if (access === 'sessionless') return true;
  if (access === 'system' || privilege === 'none') return false;
  return privilege >= access;
}

export class Dispatcher<Ctx extends DispatchContext> {
  private readonly table = new Map<number, HandlerEntry<Ctx>>();
  /** Called when a handler throws: the request still gets 0xFF, the process keeps running. */
  onHandlerError: (e: unknown, spec: CommandSpec<any, any>) => void = () => {};

  register(entries: readonly HandlerEntry<Ctx>[]): void {
    for (const e of entries) this.table.set(commandKey(e.spec.netFn, e.spec.cmd), e);
  }

  unregister(netFn: number, cmd: number): void {
    this.table.delete(commandKey(netFn, cmd));
  }

  /** Keys ((netFn << 8) | cmd) of every registered command. */
  keys(): number[] {
    return [...this.table.keys()];
  }

  has(netFn: number, cmd: number): boolean {
    return this.table.has(commandKey(netFn, cmd));
  }

  dispatch(req: BmcRequest, ctx: Ctx): BmcResponse {
    const entry = (req.netFn & 1) === 0 ? this.table.get(commandKey(req.netFn, req.cmd)) : undefined;
    if (!entry) return { cc: CC.InvalidCommand, data: EMPTY };
    if (req.lun !== 0) return { cc: CC.InvalidCommandForLun, data: EMPTY };
    const spec = entry.spec;
    if (!allowed(spec.access, ctx.privilege)) return { cc: CC.InsufficientPrivilege, data: EMPTY };
    if (req.data.length < spec.minRequestLength || (spec.maxRequestLength !== undefined && req.data.length > spec.maxRequestLength)) {
      return { cc: CC.RequestDataLengthInvalid, data: EMPTY };
    }
    let decoded: unknown;
    try {
      decoded = spec.request.decode(new Reader(req.data));
    } catch (e) {
      if (e instanceof ProtocolError) return { cc: CC.RequestDataLengthInvalid, data: EMPTY };
      return { cc: CC.InvalidDataField, data: EMPTY };
    }
    let result: unknown;
    try {
      result = entry.fn(decoded, ctx);
    } catch (e) {
      this.onHandlerError(e, spec);
      return { cc: CC.Unspecified, data: EMPTY };
    }
    if (result instanceof Completion) return { cc: result.cc, data: result.data };
    const w = new Writer(32);
    try {
      spec.response.encode(w, result);
    } catch (e) {
      this.onHandlerError(e, spec);
      return { cc: CC.Unspecified, data: EMPTY };
    }
    return { cc: CC.Ok, data: w.finish() };
  }
}
