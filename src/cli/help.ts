// The "Example:" block every client command's --help ends with.

export const example = (lines: string): string => `\nExample:\n${lines}\n`;
