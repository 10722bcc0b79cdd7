import { chmodSync, existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { installShim, shimStatus, uninstallShim, type ShimStatus } from './compose-shim.js';
import { readDockerConfig } from './config-dir.js';

/**
 * The opt-in shell integration: the compose shim plus a `docker` wrapper in a folder of ours
 * that the user puts first on PATH, so that `docker context create ecs NAME` works as it did
 * with the retired integration. We never edit a shell file: install prints the line to add.
 * Uninstall leaves config.json byte for byte as it was, unless docker changed it meanwhile.
 */
export const INTEGRATION_FOLDER = 'ecs-integration';
/** config.json as it was before install (its bytes), or a marker that there was none */
const CONFIG_BEFORE = 'config.json.before';
const NO_CONFIG = 'config.json.absent';

export interface IntegrationPaths {
  configDir: string;
  dir: string;
  binDir: string;
  wrapper: string;
}

export function integrationPaths(configDir: string): IntegrationPaths {
  const dir = join(configDir, INTEGRATION_FOLDER);
  const binDir = join(dir, 'bin');
  return { configDir, dir, binDir, wrapper: join(binDir, 'docker') };
}

const shQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);
/** inside double quotes, for a line that also expands $PATH */
const dqQuote = (s: string): string => s.replace(/(["\\$`])/g, '\\$1');

/** The line that puts the wrapper's folder first on PATH, per shell, and the file it goes in. */
export function pathLines(binDir: string): { shell: 'bash' | 'zsh' | 'fish'; file: string; line: string }[] {
  return [
    { shell: 'bash', file: '~/.bashrc', line: `export PATH="${dqQuote(binDir)}:$PATH"` },
    { shell: 'zsh', file: '~/.zshrc', line: `export PATH="${dqQuote(binDir)}:$PATH"` },
    { shell: 'fish', file: '~/.config/fish/config.fish', line: `set -gx PATH ${shQuote(binDir)} $PATH` },
  ];
}

export interface IntegrationSources {
  /** plugin-metadata/docker */
  wrapperSource: string;
  /** plugin-metadata/docker-compose */
  shimSource: string;
  /** the docker-ecs launcher the compose shim hands ECS contexts to */
  ecsPlugin: string;
}

export function installIntegration(configDir: string, src: IntegrationSources): IntegrationPaths {
  const paths = integrationPaths(configDir);
  const configFile = join(configDir, 'config.json');
  // keep what config.json was before our first install (a second install must not overwrite it)
  if (!existsSync(join(paths.dir, CONFIG_BEFORE)) && !existsSync(join(paths.dir, NO_CONFIG))) {
    try {
      if (existsSync(configFile)) writeFileAtomic(join(paths.dir, CONFIG_BEFORE), readFileSync(configFile, 'utf8'), 0o600);
      else writeFileAtomic(join(paths.dir, NO_CONFIG), '', 0o600);
    } catch (e) {
      throw new UserError(`Cannot write ${paths.dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check that ${configDir} is writable.`);
    }
  }
  installShim(configDir, src.shimSource, src.ecsPlugin);
  const text = readFileSync(src.wrapperSource, 'utf8').replace(
    /^DOCKER_ECS_WRAPPER=.*$/m,
    `DOCKER_ECS_WRAPPER=\${DOCKER_ECS_WRAPPER:-${shQuote(paths.wrapper)}}`,
  );
  try {
    writeFileAtomic(paths.wrapper, text, 0o755);
    chmodSync(paths.wrapper, 0o755);
  } catch (e) {
    throw new UserError(`Cannot write ${paths.wrapper}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check that ${configDir} is writable.`);
  }
  return paths;
}

export function uninstallIntegration(configDir: string): { removed: boolean; paths: IntegrationPaths } {
  const paths = integrationPaths(configDir);
  const configFile = join(configDir, 'config.json');
  const beforeFile = join(paths.dir, CONFIG_BEFORE);
  const before = existsSync(beforeFile) ? readFileSync(beforeFile, 'utf8') : undefined;
  const hadNone = existsSync(join(paths.dir, NO_CONFIG));
  const shim = uninstallShim(configDir);
  // the shim's removal keeps every other key; when nothing else changed, put the old bytes back
  try {
    const now = readDockerConfig(configDir);
    if (before !== undefined && sameJson(now, parse(before))) writeFileAtomic(configFile, before, 0o600);
    else if (hadNone && Object.keys(now).length === 0 && existsSync(configFile)) rmSync(configFile);
  } catch {
    // a config.json that docker cannot read either is left for the user, as it is
  }
  const existed = existsSync(paths.dir);
  rmSync(paths.dir, { recursive: true, force: true });
  return { removed: existed || shim.removed, paths };
}

function parse(text: string): unknown {
  try {
    return text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

export interface IntegrationStatus {
  paths: IntegrationPaths;
  shim: ShimStatus;
  wrapperInstalled: boolean;
  /** the wrapper's folder comes before every other folder on PATH that holds a docker */
  firstOnPath: boolean;
  /** the docker the wrapper execs (the next one on PATH) */
  realDocker?: string;
}

function isExecutableFile(f: string): boolean {
  try {
    const s = statSync(f);
    return s.isFile() && (s.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

export function integrationStatus(configDir: string, env: NodeJS.ProcessEnv): IntegrationStatus {
  const paths = integrationPaths(configDir);
  const dirs = (env.PATH ?? '').split(delimiter).map((d) => d || '.');
  const withDocker = dirs.filter((d) => isExecutableFile(join(d, 'docker')));
  const firstOnPath = withDocker[0] === paths.binDir;
  const ours = dirs.indexOf(paths.binDir);
  const realDocker = withDocker.filter((d) => d !== paths.binDir && (ours < 0 || dirs.indexOf(d) > ours)).map((d) => join(d, 'docker'))[0];
  return {
    paths,
    shim: shimStatus(configDir),
    wrapperInstalled: isExecutableFile(paths.wrapper),
    firstOnPath,
    ...(realDocker ? { realDocker } : {}),
  };
}
