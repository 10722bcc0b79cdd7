/**
 * The project name for commands that need nothing else (`ps`, `logs`, `ls`...): `-p NAME`, else
 * COMPOSE_PROJECT_NAME, else the loaded compose project's name. The loader is imported only in
 * that last case, so `-p NAME` works without a compose file and without loading the loader.
 */
import type { ComposeFlagValues } from './compose-flags.js';
import { UserError } from '../errors.js';

const VALID = /^[a-z0-9][a-z0-9_-]*$/;

function explicit(value: string, from: string): string {
  if (!VALID.test(value)) {
    throw new UserError(`invalid project name "${value}" (from ${from}): it must contain only lowercase letters, digits, dashes and underscores, and start with a letter or digit.`);
  }
  return value;
}

export async function projectNameFrom(flags: ComposeFlagValues, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (flags['project-name']) return explicit(flags['project-name'], '-p');
  if (env.COMPOSE_PROJECT_NAME) return explicit(env.COMPOSE_PROJECT_NAME, 'COMPOSE_PROJECT_NAME');
  const { loadComposeProject } = await import('./compose-project.js');
  return loadComposeProject(flags).name;
}
