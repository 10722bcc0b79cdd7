import { load } from '../compose/load.js';
import { nodeFileReader } from '../compose/node-reader.js';
import type { Project } from '../compose/model.js';
import type { ComposeFlagValues } from './compose-flags.js';

/** `--env-file`, else COMPOSE_ENV_FILES (comma-separated), as docker compose reads them. */
export function envFilesOf(flags: ComposeFlagValues, env: NodeJS.ProcessEnv): string[] | undefined {
  if (flags['env-file'] && flags['env-file'].length > 0) return flags['env-file'];
  const listed = (env.COMPOSE_ENV_FILES ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
  return listed.length > 0 ? listed : undefined;
}

/** Loads the compose project the way `docker compose` would from this shell. */
export function loadComposeProject(flags: ComposeFlagValues): Project {
  return load({
    cwd: process.cwd(),
    env: { ...process.env },
    files: flags.file,
    projectName: flags['project-name'],
    projectDirectory: flags['project-directory'],
    envFiles: envFilesOf(flags, process.env),
    profiles: flags.profile,
    reader: nodeFileReader,
  });
}
