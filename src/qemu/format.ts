// Renderings of an argv for people and other tools: one POSIX-shell line, a libvirt
// `<qemu:commandline>` block (libvirt has no IPMI element; qemu-ipmi.md §4.1), and the `--json`
// form, which is the argv array itself.

/** Words made only of these characters mean the same to every POSIX shell when left unquoted. */
const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quotes one word for a POSIX shell. Single quotes keep everything literal ($, `, \, ", spaces,
 * newlines); a single quote itself is closed, escaped and reopened: ' → '\''.
 */
export function shellQuote(word: string): string {
  if (word !== '' && SHELL_SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** argv (program name first, if wanted) as one line a POSIX shell splits back into the same words. */
export function formatShellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

export const LIBVIRT_QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/**
 * Escapes text for a single-quoted XML attribute. Tab, CR and LF become character references
 * because attribute-value normalisation would turn them into spaces; other C0 controls cannot
 * appear in XML 1.0 at all.
 */
export function xmlAttr(value: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(value)) {
    throw new RangeError(`cannot put control characters into XML: ${JSON.stringify(value)}`);
  }
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll("'", '&apos;')
    .replaceAll('"', '&quot;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;');
}

export interface LibvirtXmlOptions {
  /**
   * Wrap the block in `<domain type=... xmlns:qemu=...>`. libvirt drops a `<qemu:commandline>`
   * whose namespace is not declared on the root element when the domain is defined (§4.1), so
   * without the wrapper a comment says where the declaration goes.
   */
  domain?: boolean;
  /** `<domain type=...>`, default 'kvm'. */
  domainType?: string;
  /** `<name>` inside the wrapper. */
  name?: string;
  indent?: string;
}

/** argv (without the program name) as a libvirt `<qemu:commandline>` fragment, ending in a newline. */
export function formatLibvirtXml(args: readonly string[], opts: LibvirtXmlOptions = {}): string {
  const ind = opts.indent ?? '  ';
  const block = (pad: string): string[] => [
    `${pad}<qemu:commandline>`,
    ...args.map((a) => `${pad}${ind}<qemu:arg value='${xmlAttr(a)}'/>`),
    `${pad}</qemu:commandline>`,
  ];
  if (!opts.domain) {
    return [`<!-- needs xmlns:qemu='${LIBVIRT_QEMU_NS}' on the <domain> element -->`, ...block('')].join('\n') + '\n';
  }
  const lines = [`<domain type='${xmlAttr(opts.domainType ?? 'kvm')}' xmlns:qemu='${LIBVIRT_QEMU_NS}'>`];
  if (opts.name !== undefined) lines.push(`${ind}<name>${xmlAttr(opts.name)}</name>`);
  lines.push(`${ind}<!-- ... the usual <os>, <devices>, etc. ... -->`, ...block(ind), '</domain>');
  return lines.join('\n') + '\n';
}

export const ARG_FORMATS = ['shell', 'json', 'libvirt'] as const;
export type ArgFormat = (typeof ARG_FORMATS)[number];

/**
 * What `ipmi-sim qemu-args` prints, ending in a newline. `program` is prepended to the shell line
 * only (libvirt supplies the binary itself; the JSON form is the IPMI words alone).
 */
export function renderArgs(args: readonly string[], format: ArgFormat, opts: LibvirtXmlOptions & { program?: string } = {}): string {
  switch (format) {
    case 'shell':
      return formatShellLine(opts.program === undefined ? args : [opts.program, ...args]) + '\n';
    case 'json':
      return JSON.stringify(args) + '\n';
    case 'libvirt':
      return formatLibvirtXml(args, opts);
  }
}
