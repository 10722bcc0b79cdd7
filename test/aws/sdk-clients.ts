// One SDK client of each service AwsClients hands out, and AwsClients over them: what both the
// mocked clients (helpers.ts) and the simulator's (sim-support.ts) are made of.
import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../src/aws/clients.js';

export interface ClientConfig {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  endpoint?: string;
  maxAttempts?: number;
}

/** Every client with `cfg`; S3 and CloudWatch Logs also with their own extra settings. */
export function sdkClients(cfg: ClientConfig, extra: { s3?: { forcePathStyle: boolean }; logs?: { disableHostPrefix: boolean } } = {}) {
  return {
    acm: new ACMClient(cfg),
    cfn: new CloudFormationClient(cfg),
    ec2: new EC2Client(cfg),
    ecs: new ECSClient(cfg),
    ecr: new ECRClient(cfg),
    efs: new EFSClient(cfg),
    elbv2: new ElasticLoadBalancingV2Client(cfg),
    s3: new S3Client({ ...cfg, ...extra.s3 }),
    sm: new SecretsManagerClient(cfg),
    sts: new STSClient(cfg),
    logs: new CloudWatchLogsClient({ ...cfg, ...extra.logs }),
    route53: new Route53Client(cfg),
    sd: new ServiceDiscoveryClient(cfg),
    asg: new AutoScalingClient(cfg),
  };
}

/** AwsClients that hand out `made`, always the same client of a service. */
export function awsClientsOf(region: string, made: ReturnType<typeof sdkClients>): AwsClients {
  return {
    region,
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
