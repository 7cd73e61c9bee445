// A small validator over YAML nodes that reports the file, line, column, field path and what
// was expected, e.g.  bmc.yaml:12:7: users[1].privilege: expected one of callback, user,
// operator, administrator, got "root". Unknown fields are errors too (a typo must not be
// silently ignored).

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { BmcConfig } from './model.js';

export class ConfigError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly field: string;
  constructor(file: string, line: number, column: number, field: string, message: string) {
    super(`${file}:${line}:${column}: ${field ? field + ': ' : ''}${message}`);
    this.name = 'ConfigError';
    this.file = file;
    this.line = line;
    this.column = column;
    this.field = field;
  }
}

export class ConfigNode {
  readonly node: Node | null | undefined;
  readonly path: string;
  private readonly src: ConfigSource;

  constructor(src: ConfigSource, node: Node | null | undefined, path: string) {
    this.src = src;
    this.node = node;
    this.path = path;
  }

  get present(): boolean {
    return this.node !== undefined && this.node !== null && !(isScalar(this.node) && this.node.value === null);
  }

  error(message: string): ConfigError {
    return this.src.error(this.node, this.path, message);
  }

  private describe(): string {
    if (!this.present) return 'nothing';
    if (isMap(this.node)) return 'a mapping';
    if (isSeq(this.node)) return 'a list';
    return JSON.stringify((this.node as { value: unknown }).value);
  }

  /** A mapping; `allowed` lists the permitted keys. */
  map(allowed: readonly string[]): Map<string, ConfigNode> {
    if (!isMap(this.node)) throw this.error(`expected a mapping with fields ${allowed.join(', ')}, got ${this.describe()}`);
    const out = new Map<string, ConfigNode>();
    for (const pair of this.node.items) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const childPath = this.path ? `${this.path}.${key}` : key;
      if (!allowed.includes(key)) throw this.src.error(keyNode, childPath, `unknown field (expected one of ${allowed.join(', ')})`);
      out.set(key, new ConfigNode(this.src, pair.value as Node, childPath));
    }
    return out;
  }

  list(): ConfigNode[] {
    if (!isSeq(this.node)) throw this.error(`expected a list, got ${this.describe()}`);
    return this.node.items.map((n, i) => new ConfigNode(this.src, n as Node, `${this.path}[${i}]`));
  }

  private scalar(): unknown {
    if (!isScalar(this.node)) throw this.error(`expected a value, got ${this.describe()}`);
    return this.node.value;
  }

  int(min: number, max: number): number {
    const v = this.scalar();
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw this.error(`expected an integer from ${min} to ${max} (0x.. hex allowed), got ${this.describe()}`);
    }
    return v;
  }

  number(min = -Infinity, max = Infinity): number {
    const v = this.scalar();
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw this.error(`expected a number${Number.isFinite(min) ? ` from ${min} to ${max}` : ''}, got ${this.describe()}`);
    return v;
  }

  str(maxLength = 4096): string {
    const v = this.scalar();
    if (typeof v !== 'string' && typeof v !== 'number') throw this.error(`expected a string, got ${this.describe()}`);
    const s = String(v);
    if (s.length > maxLength) throw this.error(`expected at most ${maxLength} characters, got ${s.length}`);
    return s;
  }

  bool(): boolean {
    const v = this.scalar();
    if (typeof v !== 'boolean') throw this.error(`expected true or false, got ${this.describe()}`);
    return v;
  }

  oneOf<T extends string>(choices: readonly T[]): T {
    const v = this.scalar();
    const s = typeof v === 'string' ? v.toLowerCase() : v;
    if (typeof s !== 'string' || !choices.includes(s as T)) throw this.error(`expected one of ${choices.join(', ')}, got ${this.describe()}`);
    return s as T;
  }
}

export class ConfigSource {
  readonly file: string;
  private readonly lines = new LineCounter();
  readonly root: ConfigNode;

  constructor(text: string, file: string) {
    this.file = file;
    const doc = parseDocument(text, { lineCounter: this.lines, intAsBigInt: false, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = this.lines.linePos(e.pos[0]);
      throw new ConfigError(file, pos.line, pos.col, '', `YAML syntax error: ${e.message.split('\n')[0]}`);
    }
    this.root = new ConfigNode(this, doc.contents as Node | null, '');
  }

  error(node: Node | null | undefined, path: string, message: string): ConfigError {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return new ConfigError(this.file, pos.line, pos.col, path, message);
  }
}

/** One top-level YAML section: its key and the parser that fills its part of the config. */
export interface ConfigSection {
  readonly name: string;
  parse(node: ConfigNode, config: BmcConfig): void;
}
