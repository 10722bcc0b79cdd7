/**
 * Which compose files, which project directory, which env files — before anything is parsed.
 *
 * - Env files: `--env-file` values (relative to the working directory, each must exist), else
 *   `.env` in the project directory if present. The project directory at this point is
 *   `--project-directory`, else the directory of the first `-f` file, else the working directory.
 * - Compose files: `-f` (repeatable, `-` = stdin), else COMPOSE_FILE split on COMPOSE_PATH_SEPARATOR
 *   (default `:`), else the first of compose.yaml, compose.yml, docker-compose.yaml,
 *   docker-compose.yml found in `--project-directory` (else the working directory) or the nearest
 *   parent, as compose-go's WithDefaultConfigPath, plus the first matching override file beside it.
 * - Project directory: `--project-directory`, else the directory of the first compose file.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import type { ComposeFile } from './context.js';
import { displayName } from './display-name.js';
import type { FileReader, LoadWarning } from './model.js';

export const DEFAULT_FILES = Object.freeze(['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml']);
export const OVERRIDE_FILES = Object.freeze(['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml']);

export function envFileDirectory(cwd: string, projectDirectory: string | undefined, files: readonly string[] | undefined): string {
  if (projectDirectory) return posix.resolve(cwd, projectDirectory);
  const first = files?.find((f) => f !== '-');
  if (first) return posix.dirname(posix.resolve(cwd, first));
  return cwd;
}

export function findComposeFiles(o: {
  cwd: string;
  /** `--project-directory`, resolved: where the default file names are looked for */
  searchDir?: string;
  files?: readonly string[];
  composeFileEnv?: string;
  pathSeparator?: string;
  reader: FileReader;
  warnings: LoadWarning[];
}): ComposeFile[] {
  const asFile = (p: string): ComposeFile => {
    if (p === '-') return { path: '-', display: '(stdin)' };
    const abs = posix.resolve(o.cwd, p);
    return { path: abs, display: displayName(abs, o.cwd) };
  };
  if (o.files && o.files.length > 0) return o.files.map(asFile);
  if (o.composeFileEnv) {
    const parts = o.composeFileEnv.split(o.pathSeparator || ':').filter((p) => p !== '');
    if (parts.length > 0) return parts.map(asFile);
  }
  for (let dir = o.searchDir ?? o.cwd; ; dir = posix.dirname(dir)) {
    const found = DEFAULT_FILES.filter((f) => o.reader.exists(posix.join(dir, f)));
    if (found.length > 0) {
      if (found.length > 1) o.warnings.push({ message: `Found multiple config files with supported names: ${found.map((f) => posix.join(dir, f)).join(', ')}. Using ${found[0]}.` });
      const files = [asFile(posix.join(dir, found[0]!))];
      const overrides = OVERRIDE_FILES.filter((f) => o.reader.exists(posix.join(dir, f)));
      if (overrides.length > 1) o.warnings.push({ message: `Found multiple override files with supported names: ${overrides.map((f) => posix.join(dir, f)).join(', ')}. Using ${overrides[0]}.` });
      if (overrides.length > 0) files.push(asFile(posix.join(dir, overrides[0]!)));
      return files;
    }
    if (posix.dirname(dir) === dir) break;
  }
  throw new UserError(`no compose file found in ${o.searchDir ?? o.cwd} or any parent directory (looked for ${DEFAULT_FILES.join(', ')}).`, {
    hint: 'Create compose.yaml, or pass -f FILE.',
  });
}
