// Writes the converted config as YAML that reads well: a header comment, a comment above the
// entries that need one (where each came from, why an SDR is kept as bytes), small mappings on
// one line, and byte strings as blocks of 16 bytes per line.

import { Document, isCollection, isMap, isPair, isScalar, Scalar } from 'yaml';

export type YamlPath = (string | number)[];

export interface Decoration {
  path: YamlPath;
  comment?: string;
  /** Write this mapping or list on one line. */
  flow?: boolean;
}

/** Bytes as text for the config's hex fields: 16 per line. */
export function hexBlock(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push([...bytes.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
  return lines.join('\n');
}

export function renderYaml(value: Record<string, unknown>, header: string, decorations: readonly Decoration[]): string {
  const doc = new Document(value);
  doc.commentBefore = header;
  for (const d of decorations) {
    const node = doc.getIn(d.path, true);
    if (!node || typeof node !== 'object') continue;
    if (d.flow && isCollection(node)) node.flow = true;
    if (d.comment) {
      // A comment above a list item or mapping value goes on the item or its key.
      const parent = d.path.length > 1 ? doc.getIn(d.path.slice(0, -1), true) : doc.contents;
      const pair = isMap(parent) ? parent.items.find((p) => p.value === node) : undefined;
      const target = pair && isScalar(pair.key) ? pair.key : node;
      (target as { commentBefore?: string }).commentBefore = ` ${d.comment.replace(/\n/g, '\n ')}`;
    }
  }
  // Multi-line strings (the byte blocks) as literal blocks.
  const visit = (n: unknown): void => {
    if (isScalar(n) && typeof n.value === 'string' && n.value.includes('\n')) (n as Scalar).type = Scalar.BLOCK_LITERAL;
    else if (isCollection(n)) for (const item of n.items as unknown[]) visit(isPair(item) ? item.value : item);
  };
  visit(doc.contents);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: true });
}
