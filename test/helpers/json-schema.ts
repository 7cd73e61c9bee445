// A checker for the subset of JSON Schema the DMTF Redfish schemas use ($ref across files,
// anyOf, type, enum, properties, patternProperties, additionalProperties, required, items,
// pattern, minimum/maximum), over the schemas vendored in test/fixtures/redfish-schemas.
// A $ref into a file that is not vendored is not followed; such places are counted.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './run.js';

export const SCHEMA_DIR = join(repoRoot, 'test/fixtures/redfish-schemas');

type Schema = Record<string, any>;

export class SchemaSet {
  private readonly files = new Map<string, Schema>();
  /** Files referred to but not vendored, with how often. */
  readonly unresolved = new Map<string, number>();

  constructor(dir = SCHEMA_DIR) {
    for (const f of readdirSync(dir)) if (f.endsWith('.json')) this.files.set(f, JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  /** The schema of an @odata.type ("#ComputerSystem.v1_27_0.ComputerSystem"), or undefined if not vendored. */
  forType(odataType: string): { file: string; schema: Schema } | undefined {
    const m = /^#([A-Za-z]+)\.(?:(v\d+_\d+_\d+)\.)?([A-Za-z]+)$/.exec(odataType);
    if (!m) return undefined;
    const file = m[2] ? `${m[1]}.${m[2]}.json` : `${m[1]}.json`;
    const root = this.files.get(file);
    const schema = root?.definitions?.[m[3]!];
    return schema ? { file, schema } : undefined;
  }

  /** Checks `value`; returns the problems found, each with its JSON path. */
  check(value: unknown, schema: Schema, file: string, path = '$'): string[] {
    const errors: string[] = [];
    this.walk(value, schema, file, path, errors);
    return errors;
  }

  private resolve(ref: string, file: string): { schema: Schema; file: string } | undefined {
    const [target, pointer = ''] = ref.split('#');
    const f = target ? target.slice(target.lastIndexOf('/') + 1) : file;
    const doc = this.files.get(f);
    if (!doc) {
      this.unresolved.set(f, (this.unresolved.get(f) ?? 0) + 1);
      return undefined;
    }
    let node: any = doc;
    for (const part of pointer.split('/').filter(Boolean)) node = node?.[part];
    if (node === undefined) throw new Error(`${ref} (from ${file}) points nowhere`);
    return { schema: node, file: f };
  }

  private walk(v: unknown, s: Schema, file: string, path: string, errors: string[]): void {
    if (s.$ref) {
      const r = this.resolve(s.$ref, file);
      if (r) this.walk(v, r.schema, r.file, path, errors);
      return;
    }
    if (s.anyOf) {
      const attempts: string[][] = [];
      for (const branch of s.anyOf as Schema[]) {
        const e: string[] = [];
        this.walk(v, branch, file, path, e);
        if (e.length === 0) return;
        attempts.push(e);
      }
      errors.push(`${path}: matches none of anyOf (${attempts.map((a) => a[0]).join('; ')})`);
      return;
    }
    if (s.type !== undefined) {
      const types: string[] = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => typeMatches(v, t))) {
        errors.push(`${path}: ${JSON.stringify(v)?.slice(0, 80)} is not ${types.join('|')}`);
        return;
      }
    }
    if (s.enum && !(s.enum as unknown[]).includes(v)) errors.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum).slice(0, 200)}`);
    if (typeof v === 'string' && s.pattern && !new RegExp(s.pattern).test(v)) errors.push(`${path}: "${v}" does not match ${s.pattern}`);
    if (typeof v === 'number') {
      if (s.minimum !== undefined && v < s.minimum) errors.push(`${path}: ${v} < minimum ${s.minimum}`);
      if (s.maximum !== undefined && v > s.maximum) errors.push(`${path}: ${v} > maximum ${s.maximum}`);
    }
    if (Array.isArray(v) && s.items) v.forEach((item, i) => this.walk(item, s.items, file, `${path}[${i}]`, errors));
    if (isObject(v) && (s.properties || s.patternProperties || s.additionalProperties !== undefined || s.required)) {
      for (const req of (s.required ?? []) as string[]) if (!(req in v)) errors.push(`${path}: required property ${req} is missing`);
      for (const [k, val] of Object.entries(v)) {
        const p = `${path}.${k}`;
        if (s.properties?.[k]) {
          this.walk(val, s.properties[k], file, p, errors);
          continue;
        }
        const pattern = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>).find(([re]) => new RegExp(re).test(k));
        if (pattern) this.walk(val, pattern[1], file, p, errors);
        else if (s.additionalProperties === false) errors.push(`${p}: not a property of this type`);
        else if (isObject(s.additionalProperties)) this.walk(val, s.additionalProperties, file, p, errors);
      }
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeMatches(v: unknown, t: string): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'array':
      return Array.isArray(v);
    case 'object':
      return isObject(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return typeof v === t;
  }
}
