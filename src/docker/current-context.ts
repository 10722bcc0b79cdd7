import type { DockerGlobals } from './globals.js';
import type { DockerConfigFile } from './config-dir.js';

export type ContextSource = '--context' | '--host' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config.json' | 'default';

/**
 * The current context exactly as the docker CLI resolves it (cli/command/cli.go:
 * resolveContextName): --context, then -H or DOCKER_HOST (both mean "default"), then
 * DOCKER_CONTEXT, then currentContext in config.json, then "default".
 */
export function resolveCurrentContext(
  globals: Pick<DockerGlobals, 'context' | 'host'>,
  env: NodeJS.ProcessEnv,
  config: DockerConfigFile,
): { name: string; source: ContextSource } {
  if (globals.context) return { name: globals.context, source: '--context' };
  if (globals.host) return { name: 'default', source: '--host' };
  if (env.DOCKER_HOST) return { name: 'default', source: 'DOCKER_HOST' };
  if (env.DOCKER_CONTEXT) return { name: env.DOCKER_CONTEXT, source: 'DOCKER_CONTEXT' };
  if (typeof config.currentContext === 'string' && config.currentContext) {
    return { name: config.currentContext, source: 'config.json' };
  }
  return { name: 'default', source: 'default' };
}
