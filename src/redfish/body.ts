// Request bodies: parsed as JSON and checked against a small declared schema before anything
// changes, so that a request is applied whole or not at all. Every rejection names the property
// (Base registry messages with RelatedProperties as JSON pointers): an unknown property, a
// read-only one (present in the resource but not writable), a wrong type or a value outside the
// allowed list.

import { RedfishError } from './errors.js';

export type FieldSchema =
  | { type: 'string'; enum?: readonly string[]; minLength?: number; maxLength?: number; pattern?: RegExp }
  | { type: 'boolean' }
  | { type: 'integer'; minimum?: number; maximum?: number }
  | { type: 'object'; properties: Readonly<Record<string, FieldSchema>>; required?: readonly string[] };

export type ObjectSchema = Extract<FieldSchema, { type: 'object' }>;

/** Parses a request body; an empty body is `{}` only when `allowEmpty`. */
export function parseJson(raw: Buffer, allowEmpty: boolean): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') {
    if (allowEmpty) return {};
    throw new RedfishError(400, 'MalformedJSON');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RedfishError(400, 'MalformedJSON');
  }
}

const pointer = (path: readonly string[]): string => '#/' + path.join('/');
const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v) ?? String(v));

/**
 * Checks a PATCH/POST body. `current` is the resource as GET returns it: a property it has that
 * the schema does not list is read-only, any other unknown property is unknown.
 */
export function checkProperties(body: unknown, schema: ObjectSchema, current?: Record<string, unknown>): Record<string, unknown> {
  if (!isObject(body)) throw new RedfishError(400, 'MalformedJSON');
  checkObject(body, schema, [], current);
  return body;
}

function checkObject(value: Record<string, unknown>, schema: ObjectSchema, path: string[], current: Record<string, unknown> | undefined): void {
  for (const [name, v] of Object.entries(value)) {
    const at = [...path, name];
    const field = schema.properties[name];
    // OData annotations in a request body (e.g. @odata.etag) carry no change.
    if (name.startsWith('@odata.')) continue;
    if (!field) {
      if (current && name in current) throw new RedfishError(400, 'PropertyNotWritable', [name], { related: [pointer(at)] });
      throw new RedfishError(400, 'PropertyUnknown', [name], { related: [pointer(at)] });
    }
    checkField(v, field, at, name, isObject(current?.[name]) ? (current![name] as Record<string, unknown>) : undefined);
  }
  for (const name of schema.required ?? []) {
    if (!(name in value)) throw new RedfishError(400, 'PropertyMissing', [name], { related: [pointer([...path, name])] });
  }
}

function checkField(v: unknown, field: FieldSchema, at: string[], name: string, current: Record<string, unknown> | undefined): void {
  const typeError = () => new RedfishError(400, 'PropertyValueTypeError', [shown(v), name], { related: [pointer(at)] });
  switch (field.type) {
    case 'object':
      if (!isObject(v)) throw typeError();
      checkObject(v, field, at, current);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') throw typeError();
      return;
    case 'integer':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw typeError();
      if ((field.minimum !== undefined && v < field.minimum) || (field.maximum !== undefined && v > field.maximum)) {
        throw new RedfishError(400, 'PropertyValueOutOfRange', [String(v), name], { related: [pointer(at)] });
      }
      return;
    case 'string':
      if (typeof v !== 'string') throw typeError();
      if (field.enum && !field.enum.includes(v)) throw new RedfishError(400, 'PropertyValueNotInList', [v, name], { related: [pointer(at)] });
      if ((field.minLength !== undefined && v.length < field.minLength) || (field.maxLength !== undefined && v.length > field.maxLength) || (field.pattern && !field.pattern.test(v))) {
        throw new RedfishError(400, 'PropertyValueFormatError', [name === 'Password' ? '<hidden>' : v, name], { related: [pointer(at)] });
      }
      return;
  }
}

export interface ActionParameter {
  type: 'string';
  enum?: readonly string[];
  required?: boolean;
}

/** Checks an action's parameters (POST to an action target). */
export function checkAction(body: unknown, action: string, params: Readonly<Record<string, ActionParameter>>): Record<string, string> {
  if (!isObject(body)) throw new RedfishError(400, 'MalformedJSON');
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(body)) {
    const p = params[name];
    if (!p) throw new RedfishError(400, 'ActionParameterUnknown', [action, name], { related: [pointer([name])] });
    if (typeof v !== 'string') throw new RedfishError(400, 'ActionParameterValueTypeError', [shown(v), name, action], { related: [pointer([name])] });
    if (p.enum && !p.enum.includes(v)) throw new RedfishError(400, 'ActionParameterValueNotInList', [v, name, action], { related: [pointer([name])] });
    out[name] = v;
  }
  for (const [name, p] of Object.entries(params)) {
    if (p.required && !(name in out)) throw new RedfishError(400, 'ActionParameterMissing', [action, name], { related: [pointer([name])] });
  }
  return out;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
