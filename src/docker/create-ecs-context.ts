import { UserError } from '../errors.js';
import { readAwsProfiles } from './aws-profiles.js';
import { checkContextName, readContext, writeNewContext, type ContextMeta } from './context-store.js';
import { regionFromEnv, type EcsEndpoint } from './ecs-context.js';

export interface CreateEcsContextInput {
  name: string;
  profile?: string;
  fromEnv: boolean;
  region?: string;
  description?: string;
}

/** A region looks like `eu-west-1`, `us-gov-west-1`, `cn-north-1`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * Builds and stores an ECS context. The context records only how to find credentials (a
 * profile name, or "from the environment") and the region: never a key.
 */
export async function createEcsContext(configDir: string, env: NodeJS.ProcessEnv, input: CreateEcsContextInput): Promise<ContextMeta> {
  checkContextName(input.name);
  if (input.profile && input.fromEnv) {
    throw new UserError('--profile and --from-env cannot be used together; choose one way to get AWS credentials.');
  }
  if (readContext(configDir, input.name)) {
    throw new UserError(`Context "${input.name}" already exists; pick another name or remove it with \`docker context rm ${input.name}\`.`);
  }

  const endpoint: EcsEndpoint = {};
  let region = input.region;
  if (input.fromEnv) {
    endpoint.CredentialsFromEnv = true;
    region ??= regionFromEnv(env);
  } else {
    const profiles = await readAwsProfiles(env);
    const profile = input.profile ?? (env.AWS_PROFILE || 'default');
    if (!profiles.names.includes(profile)) {
      const known = profiles.names.length ? ` Known profiles: ${profiles.names.join(', ')}.` : '';
      const how = input.profile ? '' : ' Pass --profile NAME, or --from-env to take credentials from AWS_* variables.';
      throw new UserError(`AWS profile "${profile}" is not in the AWS config or credentials file.${known}${how}`);
    }
    endpoint.Profile = profile;
    region ??= profiles.regionOf(profile) ?? regionFromEnv(env);
  }
  if (!region) {
    throw new UserError('No AWS region is known for this context; pass --region (e.g. --region eu-west-1), set one in the profile, or set AWS_REGION.');
  }
  if (!REGION.test(region)) {
    throw new UserError(`"${region}" is not an AWS region name; use a name like eu-west-1.`);
  }
  endpoint.Region = region;

  const how = endpoint.CredentialsFromEnv ? 'credentials from environment' : `profile ${endpoint.Profile}`;
  const meta: ContextMeta = {
    Name: input.name,
    Metadata: { Description: input.description ?? `Amazon ECS (${region}, ${how})`, Type: 'ecs' },
    Endpoints: { ecs: { ...endpoint } },
  };
  writeNewContext(configDir, meta);
  return meta;
}
