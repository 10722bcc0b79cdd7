// Real SDK clients and a watcher clock for tests of aws/ against the in-process simulator.
import { ACMClient } from '@aws-sdk/client-acm';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { Route53Client } from '@aws-sdk/client-route-53';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import type { ManualClock } from '../sim/server.js';
import type { SimulatorFixture } from '../sim/simulator-per-test.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { Timing } from '../../src/aws/timing.js';
import type { ConvertedTemplate, UpDeps } from '../../src/aws/deploy.js';
import type { Template } from '../../src/cloudformation/template.js';

export function simClients(url: string): AwsClients {
  // one attempt: retries and their backoff are the watcher's business in these tests
  const cfg = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' }, maxAttempts: 1 };
  const made = {
    acm: new ACMClient(cfg),
    cfn: new CloudFormationClient(cfg),
    ec2: new EC2Client(cfg),
    ecs: new ECSClient(cfg),
    ecr: new ECRClient(cfg),
    efs: new EFSClient(cfg),
    elbv2: new ElasticLoadBalancingV2Client(cfg),
    s3: new S3Client({ ...cfg, forcePathStyle: true }),
    sm: new SecretsManagerClient(cfg),
    sts: new STSClient(cfg),
    logs: new CloudWatchLogsClient({ ...cfg, disableHostPrefix: true }),
    route53: new Route53Client(cfg),
    sd: new ServiceDiscoveryClient(cfg),
    asg: new AutoScalingClient(cfg),
  };
  return {
    region: 'us-east-1',
    acm: async () => made.acm,
    cloudFormation: async () => made.cfn,
    ec2: async () => made.ec2,
    ecs: async () => made.ecs,
    ecr: async () => made.ecr,
    efs: async () => made.efs,
    elbv2: async () => made.elbv2,
    s3: async () => made.s3,
    secretsManager: async () => made.sm,
    sts: async () => made.sts,
    logs: async () => made.logs,
    route53: async () => made.route53,
    serviceDiscovery: async () => made.sd,
    autoScaling: async () => made.asg,
  };
}

/** The watcher's clock is the simulator's: every sleep moves simulated time on. */
export function simTiming(clock: ManualClock): Timing {
  return {
    now: () => new Date(clock.now()),
    sleep: async (ms) => {
      clock.advance(Math.max(ms, 1));
    },
    random: () => 0.5,
  };
}

/**
 * `up`'s dependencies against the test's simulator: its clients, and the watcher sleeping on its
 * clock, polling events and rollouts every 1-2 s and a busy stack every 5 s of simulated time.
 */
export function simUpDeps(fixture: SimulatorFixture, convert: UpDeps['convert']): UpDeps {
  return {
    clients: simClients(fixture.sim.url),
    convert,
    timing: simTiming(fixture.clock),
    interval: { minMs: 1000, maxMs: 2000 },
    busyInterval: { minMs: 5000, maxMs: 5000 },
  };
}

/**
 * The simulator's app template as the converter would hand it to `up`: the `Web*` resources marked
 * as made for compose service `web` (resource Metadata, as convert/fragment.ts `ownedBy` writes it).
 */
export function ownedByWeb(body: string): ConvertedTemplate {
  const template = JSON.parse(body) as Template;
  for (const [id, r] of Object.entries(template.Resources)) {
    if (id.startsWith('Web')) r.Metadata = { ...r.Metadata, 'com.docker.compose.service': 'web' };
  }
  return { body: JSON.stringify(template), parameters: {}, template };
}
