// What the import did with each statement that did not convert one to one: approximated (the
// converted BMC behaves slightly differently, and how), dropped (left out; harmless, or asked for
// with --lenient) or an informational hint (a serve option to use). Statements ipmi-sim cannot
// express are errors unless the import is lenient.

import { ImportError, posText, type SourcePos } from './words.js';

export type NoteKind = 'approximated' | 'dropped' | 'info';

export interface ImportNote {
  kind: NoteKind;
  at?: SourcePos;
  message: string;
}

export class Notes {
  readonly list: ImportNote[] = [];
  private readonly lenient: boolean;

  constructor(lenient: boolean) {
    this.lenient = lenient;
  }

  approximated(at: SourcePos | undefined, message: string): void {
    this.add('approximated', at, message);
  }

  /** Left out because it changes nothing a client sees (or ipmi_sim ignores it too). */
  dropped(at: SourcePos | undefined, message: string): void {
    this.add('dropped', at, message);
  }

  info(at: SourcePos | undefined, message: string): void {
    this.add('info', at, message);
  }

  /** ipmi-sim cannot express it: an error, or (lenient) dropped with a note. */
  unsupported(at: SourcePos, message: string): void {
    if (!this.lenient) throw new ImportError(at, `${message} (--lenient drops it with a warning)`);
    this.add('dropped', at, message);
  }

  private add(kind: NoteKind, at: SourcePos | undefined, message: string): void {
    const note: ImportNote = { kind, message };
    if (at) note.at = at;
    this.list.push(note);
  }
}

export function noteText(n: ImportNote): string {
  return `${n.at ? posText(n.at) + ': ' : ''}${n.kind}: ${n.message}`;
}
