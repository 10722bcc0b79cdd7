import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { DockerGlobals } from './globals.js';

/** The docker config folder as docker picks it: --config, then DOCKER_CONFIG, then ~/.docker. */
export function dockerConfigDir(globals: Pick<DockerGlobals, 'config'>, env: NodeJS.ProcessEnv): string {
  if (globals.config) return globals.config;
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  return join(env.HOME || homedir(), '.docker');
}

export type DockerConfigFile = Record<string, unknown> & {
  currentContext?: string;
  cliPluginsExtraDirs?: string[];
};

/** Reads config.json; a missing file is an empty config, a broken one a clear error. */
export function readDockerConfig(configDir: string): DockerConfigFile {
  const file = join(configDir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`Cannot read ${file}: ${(e as Error).message}.`);
  }
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as DockerConfigFile;
  } catch {
    throw new UserError(`${file} is not valid JSON; fix or remove it (docker itself cannot read it either).`);
  }
}
