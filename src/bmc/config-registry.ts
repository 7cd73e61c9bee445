// YAML sections beyond the core ones register their parser here (kept apart from
// config-file.ts so that section modules and the loader do not import each other).

import type { BmcConfig } from './config.js';
import type { ConfigNode } from './config-schema.js';

export type SectionParser = (node: ConfigNode, config: BmcConfig) => void;
export const sectionParsers = new Map<string, SectionParser>();

export function registerConfigSection(name: string, parser: SectionParser): void {
  sectionParsers.set(name, parser);
}
