import { load } from '../compose/load.js';
import { nodeFileReader } from '../compose/node-reader.js';
import type { Project } from '../compose/model.js';
import type { ComposeFlagValues } from './compose-flags.js';

/** Loads the compose project the way `docker compose` would from this shell. */
export function loadComposeProject(flags: ComposeFlagValues): Project {
  return load({
    cwd: process.cwd(),
    env: { ...process.env },
    files: flags.file,
    projectName: flags['project-name'],
    projectDirectory: flags['project-directory'],
    envFiles: flags['env-file'],
    profiles: flags.profile,
    reader: nodeFileReader,
  });
}
