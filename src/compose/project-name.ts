/**
 * Project name, as docker compose (compose-go) picks it: `-p`, else COMPOSE_PROJECT_NAME, else
 * the top-level `name:` (the last file that sets one), else the base name of the project
 * directory. A name given imperatively (-p, COMPOSE_PROJECT_NAME) must already be valid
 * (lowercase letters, digits, `-` and `_`, starting with a letter or digit); `name:` and the
 * directory name are normalised (lowercased, other characters dropped, leading `-`/`_` dropped),
 * with a warning when `name:` changes.
 */
import type { LoadWarning } from './model.js';
import { UserError } from '../errors.js';
import { posix } from 'node:path';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

export function normalizeProjectName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[-_]+/, '');
}

export interface NameSources {
  flag?: string;
  env?: string;
  topLevel?: { value: string; file?: string; line?: number };
  projectDir: string;
  warnings?: LoadWarning[];
}

export function projectName(src: NameSources): string {
  const explicit = (value: string, from: string): string => {
    if (!VALID.test(value)) {
      const suggestion = normalizeProjectName(value);
      throw new UserError(`invalid project name "${value}" (from ${from}): it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit.`, {
        hint: suggestion ? `Use "${suggestion}" instead.` : undefined,
      });
    }
    return value;
  };
  if (src.flag) return explicit(src.flag, '-p');
  if (src.env) return explicit(src.env, 'COMPOSE_PROJECT_NAME');
  if (src.topLevel?.value) {
    const normalized = normalizeProjectName(src.topLevel.value);
    if (normalized && normalized !== src.topLevel.value) {
      src.warnings?.push({ message: `the project name "${src.topLevel.value}" is used as "${normalized}" (lowercase letters, digits, - and _ only).`, file: src.topLevel.file, line: src.topLevel.line, path: 'name' });
    }
    if (normalized) return normalized;
  }
  const base = posix.basename(src.projectDir);
  const name = normalizeProjectName(base);
  if (!name) {
    throw new UserError(`cannot derive a project name from the directory "${base}".`, { hint: 'Pass -p NAME or set name: at the top of the compose file.' });
  }
  return name;
}
