import { chmodSync, existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { readDockerConfig, type DockerConfigFile } from './config-dir.js';

/**
 * The opt-in `docker-compose` shim. It lives in a folder of its own, prepended to
 * `cliPluginsExtraDirs`, because that list outranks `<config>/cli-plugins` (Docker Desktop and
 * Homebrew put the real compose there). Install and uninstall keep every other key of
 * config.json.
 */
export const SHIM_FOLDER = 'ecs-compose-shim';

export interface ShimPaths {
  configDir: string;
  shimDir: string;
  shimFile: string;
}

export function shimPaths(configDir: string): ShimPaths {
  const shimDir = join(configDir, SHIM_FOLDER);
  return { configDir, shimDir, shimFile: join(shimDir, 'docker-compose') };
}

function writeConfig(configDir: string, config: DockerConfigFile): void {
  try {
    // docker writes config.json with tabs; keep its look
    writeFileAtomic(join(configDir, 'config.json'), JSON.stringify(config, null, '\t') + '\n', 0o600);
  } catch (e) {
    throw new UserError(`Cannot write ${join(configDir, 'config.json')}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check that the folder is writable.`);
  }
}

const shQuote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * @param shimSource the POSIX-sh shim shipped in plugin-metadata/
 * @param ecsPlugin the docker-ecs launcher the shim hands ECS contexts to
 */
export function installShim(configDir: string, shimSource: string, ecsPlugin: string): ShimPaths {
  const paths = shimPaths(configDir);
  const config = readDockerConfig(configDir);
  const text = readFileSync(shimSource, 'utf8').replace(
    /^DOCKER_ECS_PLUGIN=.*$/m,
    `DOCKER_ECS_PLUGIN=\${DOCKER_ECS_PLUGIN:-${shQuote(ecsPlugin)}}`,
  );
  try {
    writeFileAtomic(paths.shimFile, text, 0o755);
    chmodSync(paths.shimFile, 0o755);
  } catch (e) {
    throw new UserError(`Cannot write ${paths.shimFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check that ${configDir} is writable.`);
  }
  const dirs = Array.isArray(config.cliPluginsExtraDirs) ? config.cliPluginsExtraDirs.filter((d) => d !== paths.shimDir) : [];
  writeConfig(configDir, { ...config, cliPluginsExtraDirs: [paths.shimDir, ...dirs] });
  return paths;
}

export function uninstallShim(configDir: string): { removed: boolean; paths: ShimPaths } {
  const paths = shimPaths(configDir);
  const config = readDockerConfig(configDir);
  let removed = false;
  if (Array.isArray(config.cliPluginsExtraDirs) && config.cliPluginsExtraDirs.includes(paths.shimDir)) {
    const { cliPluginsExtraDirs, ...rest } = config;
    const dirs = cliPluginsExtraDirs.filter((d) => d !== paths.shimDir);
    writeConfig(configDir, dirs.length ? { ...rest, cliPluginsExtraDirs: dirs } : rest);
    removed = true;
  }
  if (existsSync(paths.shimDir)) {
    rmSync(paths.shimDir, { recursive: true, force: true });
    removed = true;
  }
  return { removed, paths };
}

export interface ShimStatus {
  installed: boolean;
  /** the shim's folder is first in cliPluginsExtraDirs, so docker picks it */
  first: boolean;
  paths: ShimPaths;
  /** the compose plugin that non-ECS contexts go to */
  realCompose?: string;
}

/** Docker's plugin search order (cli-plugins/manager): extra dirs, the config dir, system dirs. */
export function pluginSearchDirs(configDir: string, config: DockerConfigFile): string[] {
  const extra = Array.isArray(config.cliPluginsExtraDirs) ? config.cliPluginsExtraDirs : [];
  return [
    ...extra,
    join(configDir, 'cli-plugins'),
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
  ];
}

export function shimStatus(configDir: string): ShimStatus {
  const paths = shimPaths(configDir);
  const config = readDockerConfig(configDir);
  const extra = Array.isArray(config.cliPluginsExtraDirs) ? config.cliPluginsExtraDirs : [];
  const installed = existsSync(paths.shimFile) && extra.includes(paths.shimDir);
  const realSelf = existsSync(paths.shimFile) ? realpathSync(paths.shimFile) : paths.shimFile;
  const realCompose = pluginSearchDirs(configDir, config)
    .map((d) => join(d, 'docker-compose'))
    .find((f) => existsSync(f) && realpathSync(f) !== realSelf);
  return { installed, first: extra[0] === paths.shimDir, paths, realCompose };
}
