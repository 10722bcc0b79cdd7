/**
 * AWS SDK clients, one per service, created on first use. Each service's client module is
 * imported dynamically by the code that needs it: one client import costs ~230 ms at start-up,
 * and most commands need one or two services. SDK types stay inside `src/aws/`.
 *
 * Endpoints: the SDK itself honours `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`
 * (checked against a local HTTP server), so a simulator or LocalStack needs no code here beyond
 * path-style S3 addressing and the Logs host-prefix switch, both only when an endpoint is set.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { EFSClient } from '@aws-sdk/client-efs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
type AwsCredentialIdentityProvider = ReturnType<typeof import('@aws-sdk/credential-providers')['fromEnv']>;

/** Where and as whom to call AWS; resolved from the Docker context by `cli/`. */
export interface AwsTarget {
  region: string;
  profile?: string;
  credentialsFromEnv?: boolean;
}

/** The services `aws/` uses. Tests hand in mocked clients through the same shape. */
export interface AwsClients {
  readonly region: string;
  cloudFormation(): Promise<CloudFormationClient>;
  ec2(): Promise<EC2Client>;
  /** repositories and registry logins of built services (build-images.ts) */
  ecr(): Promise<ECRClient>;
  ecs(): Promise<ECSClient>;
  efs(): Promise<EFSClient>;
  elbv2(): Promise<ElasticLoadBalancingV2Client>;
  s3(): Promise<S3Client>;
  secretsManager(): Promise<SecretsManagerClient>;
  sts(): Promise<STSClient>;
  logs(): Promise<CloudWatchLogsClient>;
  /** leftover checks before a new stack (aws/leftover-names.ts) */
  route53(): Promise<Route53Client>;
  serviceDiscovery(): Promise<ServiceDiscoveryClient>;
  /** GPU teardown: the stack's Auto Scaling group emptied before the delete (aws/gpu-teardown.ts) */
  autoScaling(): Promise<AutoScalingClient>;
}

/** Attempts per call in the SDK's standard retry mode (exponential backoff with jitter on throttling and 5xx). */
export const MAX_ATTEMPTS = 5;

interface CommonConfig {
  region: string;
  credentials?: AwsCredentialIdentityProvider;
  retryMode: 'standard';
  maxAttempts: number;
}

/** The endpoint override the SDK will use for a service, if any (the SDK reads the same variables). */
export function endpointOverride(serviceEnvId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[`AWS_ENDPOINT_URL_${serviceEnvId}`] || env.AWS_ENDPOINT_URL || undefined;
}

async function credentialsFor(target: AwsTarget): Promise<AwsCredentialIdentityProvider | undefined> {
  if (target.profile) {
    const { fromIni } = await import('@aws-sdk/credential-providers');
    // fromIni follows the profile's sso_*, credential_process, role_arn and web identity settings.
    return fromIni({ profile: target.profile });
  }
  if (target.credentialsFromEnv) {
    const { fromEnv } = await import('@aws-sdk/credential-providers');
    return fromEnv();
  }
  return undefined; // the SDK's default chain
}

export function createAwsClients(target: AwsTarget, env: NodeJS.ProcessEnv = process.env): AwsClients {
  // The SDK prints a notice on Node 20 at client creation; the user cannot act on it.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let common: Promise<CommonConfig> | undefined;
  const config = (): Promise<CommonConfig> =>
    (common ??= credentialsFor(target).then((credentials) => ({
      region: target.region,
      ...(credentials ? { credentials } : {}),
      retryMode: 'standard' as const,
      maxAttempts: MAX_ATTEMPTS,
    })));
  const cache = new Map<string, Promise<unknown>>();
  function lazy<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = cache.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      cache.set(key, p);
    }
    return p;
  }
  return {
    region: target.region,
    cloudFormation: () =>
      lazy('cfn', async () => new (await import('@aws-sdk/client-cloudformation')).CloudFormationClient(await config())),
    ec2: () => lazy('ec2', async () => new (await import('@aws-sdk/client-ec2')).EC2Client(await config())),
    ecr: () => lazy('ecr', async () => new (await import('@aws-sdk/client-ecr')).ECRClient(await config())),
    ecs: () => lazy('ecs', async () => new (await import('@aws-sdk/client-ecs')).ECSClient(await config())),
    efs: () => lazy('efs', async () => new (await import('@aws-sdk/client-efs')).EFSClient(await config())),
    elbv2: () =>
      lazy('elbv2', async () =>
        new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client(await config()),
      ),
    s3: () =>
      lazy('s3', async () =>
        new (await import('@aws-sdk/client-s3')).S3Client({
          ...(await config()),
          // simulators and LocalStack on an IP address cannot serve virtual-hosted bucket names
          forcePathStyle: endpointOverride('S3', env) !== undefined,
        }),
      ),
    secretsManager: () =>
      lazy('sm', async () =>
        new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient(await config()),
      ),
    sts: () => lazy('sts', async () => new (await import('@aws-sdk/client-sts')).STSClient(await config())),
    route53: () => lazy('route53', async () => new (await import('@aws-sdk/client-route-53')).Route53Client(await config())),
    serviceDiscovery: () =>
      lazy('sd', async () => new (await import('@aws-sdk/client-servicediscovery')).ServiceDiscoveryClient(await config())),
    autoScaling: () =>
      lazy('asg', async () => new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient(await config())),
    logs: () =>
      lazy('logs', async () =>
        new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient({
          ...(await config()),
          // StartLiveTail's modelled host prefix (`stream-`) does not resolve against a local endpoint
          disableHostPrefix: endpointOverride('CLOUDWATCH_LOGS', env) !== undefined,
        }),
      ),
  };
}

/** Throttling as the services report it; pollers back off on these instead of failing. */
export function isThrottling(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.name ?? err.Code ?? '';
  return (
    /^(Throttling|ThrottlingException|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled|RequestThrottledException|SlowDown|Rate exceeded)$/.test(
      name,
    ) || err.$metadata?.httpStatusCode === 429
  );
}

/** Errors that some AWS API returns for a stack that does not exist (a ValidationError with this text). */
export function isStackMissing(e: unknown): boolean {
  const err = e as { name?: string; message?: string };
  return (err?.name === 'ValidationError' || err?.name === 'ValidationException') && /does not exist/.test(err.message ?? '');
}
