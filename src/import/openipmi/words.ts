// The words of an OpenIPMI ipmi_sim configuration line, read the way ipmi_sim 2.0.33 reads them
// (lanserv/config.c mystrtok, get_delim_str, get_bool, get_uint; lanserv/emu_cmd.c
// emu_get_uchar): words split on spaces and tabs, a word "$NAME" is replaced by the variable's
// value, strings are quoted pieces ('...' or "...") and $NAME references glued together, and
// numbers are C numbers (0x.. hex, a leading 0 octal, else decimal).
//
// Where ipmi_sim would silently truncate (a 300 given for a byte) or read garbage, these
// functions refuse with an ImportError naming the file and line instead.

/** Where a statement came from: the file and the (first) line. */
export interface SourcePos {
  file: string;
  line: number;
}

export const posText = (at: SourcePos): string => `${at.file}:${at.line}`;

/** A statement that cannot be read or converted. The message starts with file:line. */
export class ImportError extends Error {
  readonly at: SourcePos;
  readonly reason: string;
  constructor(at: SourcePos, reason: string) {
    super(`${posText(at)}: ${reason}`);
    this.name = 'ImportError';
    this.at = at;
    this.reason = reason;
  }
}

/** Variables set with `define NAME "value"`; both files share them, as in ipmi_sim. */
export type Variables = Map<string, string>;

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n';
const isQuote = (c: string | undefined) => c === '"' || c === "'";

/** A C integer as strtoul(s, &end, 0) reads it when it must consume the whole word. */
export function parseCNumber(word: string): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(word);
  if (!m) return undefined;
  const digits = m[2]!;
  const v = /^0[xX]/.test(digits) ? BigInt(digits) : digits.length > 1 && digits.startsWith('0') ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  return m[1] === '-' ? -v : v;
}

export class Words {
  readonly at: SourcePos;
  private readonly text: string;
  private pos = 0;
  private readonly vars: Variables;

  constructor(text: string, at: SourcePos, vars: Variables) {
    this.text = text;
    this.at = at;
    this.vars = vars;
  }

  error(reason: string): ImportError {
    return new ImportError(this.at, reason);
  }

  /** The next word, or undefined at the end of the line. A "$NAME" word is the variable's value. */
  next(): string | undefined {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
    if (this.pos >= this.text.length) return undefined;
    const start = this.pos;
    while (this.pos < this.text.length && !isSpace(this.text[this.pos])) this.pos++;
    const word = this.text.slice(start, this.pos);
    if (this.pos < this.text.length) this.pos++; // mystrtok consumes the delimiter
    if (!word.startsWith('$')) return word;
    const value = this.vars.get(word.slice(1));
    if (value === undefined) throw this.error(`undefined variable ${word} (set it first with: define ${word.slice(1)} "value")`);
    return value;
  }

  /** The next word, which must be present. */
  need(what: string): string {
    const w = this.next();
    if (w === undefined) throw this.error(`missing ${what}`);
    return w;
  }

  /** Whether anything but spaces is left. */
  get more(): boolean {
    return this.text.slice(this.pos).trim() !== '';
  }

  /** All remaining words. */
  rest(): string[] {
    const out: string[] = [];
    for (let w = this.next(); w !== undefined; w = this.next()) out.push(w);
    return out;
  }

  /** A string: quoted pieces and $NAME references without spaces between them (get_delim_str). */
  string(what: string): string {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) this.pos++;
    if (this.pos >= this.text.length) throw this.error(`missing ${what} (a quoted string)`);
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === '$') {
        const start = ++this.pos;
        while (this.pos < this.text.length && this.text[this.pos] !== '$' && !isSpace(this.text[this.pos]) && !isQuote(this.text[this.pos])) this.pos++;
        const name = this.text.slice(start, this.pos);
        const value = this.vars.get(name);
        if (value === undefined) throw this.error(`undefined variable $${name} in ${what}`);
        out += value;
      } else if (isQuote(c)) {
        const end = this.text.indexOf(c!, this.pos + 1);
        if (end < 0) throw this.error(`${what}: the string starting with ${c} is not closed on this line`);
        out += this.text.slice(this.pos + 1, end);
        this.pos = end + 1;
      } else {
        throw this.error(`${what} must be a quoted string ("..." or '...'), got ${JSON.stringify(this.text.slice(this.pos).split(/\s/)[0])}`);
      }
      if (this.pos >= this.text.length || isSpace(this.text[this.pos])) break;
    }
    return out;
  }

  /** An unsigned C number up to `max` (ipmi_sim would truncate larger ones silently). */
  uint(what: string, max = 0xffffffff): number {
    return this.numberWord(this.need(what), what, max);
  }

  numberWord(word: string, what: string, max: number): number {
    const v = parseCNumber(word);
    if (v === undefined) throw this.error(`${what}: expected a number (0x.. hex, 0.. octal or decimal), got "${word}"`);
    if (v < 0n || v > BigInt(max)) throw this.error(`${what}: ${word} is out of range 0-${max} (ipmi_sim would silently keep only the low bits)`);
    return Number(v);
  }

  /** A byte as the emulator commands read it: a C number or 'c (the character's code). */
  byte(what: string): number {
    return this.byteWord(this.need(what), what);
  }

  byteWord(word: string, what: string): number {
    if (word.startsWith("'")) return word.length > 1 ? word.charCodeAt(1) & 0xff : 0;
    return this.numberWord(word, what, 0xff);
  }

  /** A byte or one of the names ipmi_sim accepts in its place (emu_get_uchar_with_vals). */
  byteOr(what: string, names: Record<string, number>): number {
    const w = this.need(what);
    return names[w] ?? this.byteWord(w, what);
  }

  /** true/false, on/off, yes/no, 1/0 (any case). */
  bool(what: string): boolean {
    const w = this.need(what).toLowerCase();
    if (['true', 'on', 'yes', '1'].includes(w)) return true;
    if (['false', 'off', 'no', '0'].includes(w)) return false;
    throw this.error(`${what}: expected true, false, on or off, got "${w}"`);
  }

  /** A string of exactly `size` 0/1 characters, leftmost = highest bit (emu_get_bitmask). */
  bitmask(what: string, size: number): number {
    const w = this.need(what);
    if (!new RegExp(`^[01]{${size}}$`).test(w)) throw this.error(`${what}: expected ${size} characters 0 or 1 (leftmost = bit ${size - 1}), got "${w}"`);
    return parseInt(w, 2);
  }
}

/** ipmi_sim's privilege names (config.c get_priv) and their IPMI values. */
export const PRIVILEGE_WORDS: Record<string, number> = { callback: 1, user: 2, operator: 3, admin: 4 };

export function privilegeWord(words: Words, what: string): number {
  const w = words.need(what);
  const v = PRIVILEGE_WORDS[w];
  if (v === undefined) throw words.error(`${what}: expected callback, user, operator or admin, got "${w}"`);
  return v;
}

/**
 * A 16- or 20-byte username, password or key as config.c read_bytes takes it: one word, either
 * "quoted" (at most len-1 characters are kept, the rest zero) or 32 hex digits.
 */
export function fixedBytes(words: Words, what: string, len: number): { bytes: Uint8Array; truncated: boolean } {
  const w = words.need(what);
  const out = new Uint8Array(len);
  if (w.startsWith('"')) {
    if (w.length < 2 || !w.endsWith('"')) throw words.error(`${what}: a quoted ${what} is one word without spaces ("name"), got ${w}`);
    const s = w.slice(1, -1);
    for (let i = 0; i < Math.min(s.length, len - 1); i++) out[i] = s.charCodeAt(i) & 0xff;
    return { bytes: out, truncated: s.length > len - 1 };
  }
  if (!/^[0-9a-fA-F]{32}$/.test(w)) throw words.error(`${what}: expected "quoted text" or 32 hexadecimal digits, got "${w}"`);
  // ipmi_sim reads `len` bytes from the 32 digits: for 20-byte fields that runs past the word.
  if (len !== 16) throw words.error(`${what}: a hexadecimal ${what} of 32 digits gives 16 bytes, but ipmi_sim reads ${len} and runs past the word; give it "quoted"`);
  for (let i = 0; i < 16; i++) out[i] = parseInt(w.slice(i * 2, i * 2 + 2), 16);
  return { bytes: out, truncated: false };
}
