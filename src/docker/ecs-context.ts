import { UserError } from '../errors.js';
import { dockerConfigDir, readDockerConfig } from './config-dir.js';
import { readContext, type ContextMeta } from './context-store.js';
import { resolveCurrentContext } from './current-context.js';
import type { DockerGlobals } from './globals.js';
import { readAwsProfiles } from './aws-profiles.js';

/** The `ecs` endpoint of a context: ours and the retired compose-cli's (which had no Region). */
export interface EcsEndpoint {
  Profile?: string;
  Region?: string;
  CredentialsFromEnv?: boolean;
}

/** Where `up`, `ps`, `logs` send their AWS calls. Never holds a key. */
export interface AwsTarget {
  contextName: string;
  region: string;
  profile?: string;
  credentialsFromEnv: boolean;
}

export function isEcsContext(meta: ContextMeta): boolean {
  return meta.Metadata?.Type === 'ecs' && typeof meta.Endpoints?.ecs === 'object';
}

export function ecsEndpointOf(meta: ContextMeta): EcsEndpoint {
  const raw = (meta.Endpoints.ecs ?? {}) as Record<string, unknown>;
  return {
    Profile: typeof raw.Profile === 'string' && raw.Profile ? raw.Profile : undefined,
    Region: typeof raw.Region === 'string' && raw.Region ? raw.Region : undefined,
    CredentialsFromEnv: raw.CredentialsFromEnv === true,
  };
}

export function regionFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
}

/**
 * The ECS context a compose command runs against, resolved as docker resolves the current
 * context. A non-ECS context is an error that says how to get an ECS one: silently using
 * the local engine or a default region would deploy somewhere the user did not choose.
 */
export async function resolveEcsTarget(globals: DockerGlobals, env: NodeJS.ProcessEnv): Promise<AwsTarget> {
  const configDir = dockerConfigDir(globals, env);
  const current = resolveCurrentContext(globals, env, readDockerConfig(configDir));
  const create = 'create one with `docker ecs context create NAME --profile P` (or --from-env) and select it with `docker context use NAME` or `--context NAME`';
  if (current.name === 'default') {
    const why =
      current.source === 'DOCKER_HOST' || current.source === '--host'
        ? ` (${current.source} is set, and docker then always uses the default context; unset it to use your ECS context)`
        : '';
    throw new UserError(`The current docker context is "default", not an Amazon ECS context${why}; ${create}.`);
  }
  const meta = readContext(configDir, current.name);
  if (!meta) {
    throw new UserError(`Docker context "${current.name}" (from ${current.source}) does not exist; run \`docker ecs context ls\` to see the ECS contexts, or ${create}.`);
  }
  if (!isEcsContext(meta)) {
    throw new UserError(`Docker context "${current.name}" is not an Amazon ECS context; ${create}.`);
  }
  const endpoint = ecsEndpointOf(meta);
  const region = endpoint.Region ?? (endpoint.Profile ? (await readAwsProfiles(env)).regionOf(endpoint.Profile) : undefined) ?? regionFromEnv(env);
  if (!region) {
    throw new UserError(
      `Docker context "${current.name}" names no AWS region and none is set; set AWS_REGION, or recreate the context with --region.`,
    );
  }
  return {
    contextName: current.name,
    region,
    profile: endpoint.CredentialsFromEnv ? undefined : endpoint.Profile,
    credentialsFromEnv: endpoint.CredentialsFromEnv === true,
  };
}
