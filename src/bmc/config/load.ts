// YAML config → BmcConfig. Every field is validated with its position; a bad file is rejected
// before anything starts. Sections that are absent get neutral defaults (see baseConfig()).

import { readFileSync } from 'node:fs';
import { baseConfig, type BmcConfig } from './model.js';
import { ConfigError, ConfigSource } from './schema.js';
import { CONFIG_SECTIONS } from './sections.js';

/** Parses YAML text into a config. Throws ConfigError naming file, line, column and field. */
export function parseConfig(text: string, file: string): BmcConfig {
  const src = new ConfigSource(text, file);
  const config = baseConfig();
  config.source = file;
  if (!src.root.present) return config;
  const present = src.root.map(CONFIG_SECTIONS.map((s) => s.name));
  for (const section of CONFIG_SECTIONS) {
    const node = present.get(section.name);
    if (node) section.parse(node, config);
  }
  return config;
}

export function loadConfigFile(path: string): BmcConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(path, 0, 0, '', `cannot read config: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseConfig(text, path);
}

export { ConfigError };
