// The declarative command table: every IPMI command is described once (netFn, cmd, privilege,
// minimum request length, request/response codecs) and the same description drives the BMC's
// dispatcher, the client's invoke(), `raw` pretty-printing and the codec mirror tests.

import { Reader, Writer } from '../protocol/bytes.js';

export const NetFn = {
  Chassis: 0x00,
  Bridge: 0x02,
  SensorEvent: 0x04,
  App: 0x06,
  Firmware: 0x08,
  Storage: 0x0a,
  Transport: 0x0c,
  GroupExtension: 0x2c,
  OemGroup: 0x2e,
} as const;
export type NetFnValue = (typeof NetFn)[keyof typeof NetFn] | number;

export const Privilege = {
  Callback: 1,
  User: 2,
  Operator: 3,
  Administrator: 4,
  Oem: 5,
  NoAccess: 0x0f,
} as const;
export type PrivilegeLevel = 1 | 2 | 3 | 4 | 5;

export const privilegeNames: Record<number, string> = {
  0: 'Unknown (0x00)',
  1: 'CALLBACK',
  2: 'USER',
  3: 'OPERATOR',
  4: 'ADMINISTRATOR',
  5: 'OEM',
  15: 'NO ACCESS',
};

export function parsePrivilege(name: string): PrivilegeLevel | undefined {
  const n = name.trim().toUpperCase();
  const map: Record<string, PrivilegeLevel> = {
    CALLBACK: 1,
    USER: 2,
    OPERATOR: 3,
    ADMINISTRATOR: 4,
    ADMIN: 4,
    OEM: 5,
  };
  return map[n];
}

export interface Codec<T> {
  encode(w: Writer, value: T): void;
  decode(r: Reader): T;
}

/**
 * Who may send a command. 'sessionless' commands are also accepted outside a session
 * (IPMI v2.0 Table G-1 "session-less"); 'system' ones only on the system interface.
 */
export type CommandAccess = PrivilegeLevel | 'sessionless' | 'system';

export interface CommandSpec<Req, Res> {
  readonly name: string;
  readonly netFn: number;
  readonly cmd: number;
  readonly access: CommandAccess;
  /** Request data bytes (after cmd) below which the BMC answers 0xC7. */
  readonly minRequestLength: number;
  /** Request data bytes above which the BMC answers 0xC7; undefined = no upper bound. */
  readonly maxRequestLength?: number;
  readonly request: Codec<Req>;
  readonly response: Codec<Res>;
  /** Command-specific completion codes (0x80-0xBE) and their meaning. */
  readonly completionCodes?: Readonly<Record<number, string>>;
}

export type AnySpec = CommandSpec<any, any>;
export type RequestOf<S> = S extends CommandSpec<infer Q, any> ? Q : never;
export type ResponseOf<S> = S extends CommandSpec<any, infer R> ? R : never;

export function defineCommand<Req, Res>(spec: CommandSpec<Req, Res>): CommandSpec<Req, Res> {
  return spec;
}

export function commandKey(netFn: number, cmd: number): number {
  return ((netFn & 0x3f) << 8) | (cmd & 0xff);
}

// ---- codec building blocks -------------------------------------------------------------

export const EMPTY: Codec<Record<string, never>> = {
  encode() {},
  decode() {
    return {};
  },
};

/** Opaque bytes: for commands whose payload the caller interprets itself. */
export const RAW: Codec<Uint8Array> = {
  encode(w, v) {
    w.bytes(v);
  },
  decode(r) {
    return r.rest().slice();
  },
};

/** A single-field record of opaque trailing bytes, e.g. { data: Uint8Array }. */
export function rawField<K extends string>(key: K): Codec<Record<K, Uint8Array>> {
  return {
    encode(w, v) {
      w.bytes(v[key]);
    },
    decode(r) {
      return { [key]: r.rest().slice() } as Record<K, Uint8Array>;
    },
  };
}

export function encodeWith<T>(codec: Codec<T>, value: T): Uint8Array {
  const w = new Writer(32);
  codec.encode(w, value);
  return w.finish();
}

export function decodeWith<T>(codec: Codec<T>, data: Uint8Array): T {
  return codec.decode(new Reader(data));
}

/** Chained builder for the common case of u8 fields: struct({ a: u8, b: u16 }). */
export type FieldCodec<T> = { encode(w: Writer, v: T): void; decode(r: Reader): T };
export const u8: FieldCodec<number> = { encode: (w, v) => void w.u8(v), decode: (r) => r.u8() };
export const u16: FieldCodec<number> = { encode: (w, v) => void w.u16(v), decode: (r) => r.u16() };
export const u32: FieldCodec<number> = { encode: (w, v) => void w.u32(v), decode: (r) => r.u32() };
export function fixedBytes(n: number): FieldCodec<Uint8Array> {
  return { encode: (w, v) => void w.padded(v, n), decode: (r) => r.bytes(n).slice() };
}

export function struct<T extends Record<string, unknown>>(fields: { [K in keyof T]: FieldCodec<T[K]> }): Codec<T> {
  const entries = Object.entries(fields) as [keyof T & string, FieldCodec<unknown>][];
  return {
    encode(w, v) {
      for (const [k, f] of entries) f.encode(w, v[k]);
    },
    decode(r) {
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = f.decode(r);
      return out as T;
    },
  };
}
