/** Test helpers: real SDK clients pointed at a simulator. */
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EFSClient } from '@aws-sdk/client-efs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export function clients(url: string, extra: { maxAttempts?: number } = {}) {
  const cfg = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' }, ...extra };
  return {
    cfn: new CloudFormationClient(cfg),
    ec2: new EC2Client(cfg),
    ecs: new ECSClient(cfg),
    elb: new ElasticLoadBalancingV2Client(cfg),
    logs: new CloudWatchLogsClient({ ...cfg, disableHostPrefix: true }),
    secrets: new SecretsManagerClient(cfg),
    s3: new S3Client(cfg),
    sts: new STSClient(cfg),
    efs: new EFSClient(cfg),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until `done` holds (bounded). */
export async function until<T>(fn: () => Promise<T>, done: (v: T) => boolean, opts: { timeoutMs?: number; everyMs?: number } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const v = await fn();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(v).slice(0, 500)}`);
    await sleep(opts.everyMs ?? 20);
  }
}

/** The simulator's default subnets (us-east-1a, b, c). */
export const DEFAULT_SUBNETS = ['subnet-0a1b2c3d4e5f6a7b0', 'subnet-0a1b2c3d5e5f6a7b1', 'subnet-0a1b2c3d6e5f6a7b2'];
/** The simulated VPC of ours (world.ts): public subnets (internet gateway), private ones (NAT gateway) and isolated ones (no default route), in zones a and b. */
export const PRIVATE_VPC = {
  id: 'vpc-0e1f2a3b4c5d60001',
  public: ['subnet-00000000000000000', 'subnet-00100000000000000'],
  private: ['subnet-01000000000000000', 'subnet-01100000000000000'],
  isolated: ['subnet-02000000000000000', 'subnet-02100000000000000'],
};

/** A small docker-ecs-like app: cluster, log group, roles-free task definition, service behind an ALB, EFS retained. */
export function appTemplate(opts: { image?: string; desired?: number; extra?: Record<string, unknown>; drop?: string[]; circuitBreaker?: boolean } = {}): string {
  const resources: Record<string, unknown> = {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'demo' } },
    LogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/docker-compose/demo' } },
    DefaultNetwork: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'demo default network', VpcId: 'vpc-0d3fa017e5c1a1000' } },
    LoadBalancer: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: { Scheme: 'internet-facing', Type: 'application', SecurityGroups: [{ Ref: 'DefaultNetwork' }], Subnets: DEFAULT_SUBNETS.slice(0, 2) },
    },
    WebTargetGroup: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: 'HTTP', TargetType: 'ip', VpcId: 'vpc-0d3fa017e5c1a1000' } },
    WebListener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: 'LoadBalancer' }, Port: 80, Protocol: 'HTTP', DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'WebTargetGroup' } }] },
    },
    WebTaskDefinition: {
      Type: 'AWS::ECS::TaskDefinition',
      Properties: {
        Family: 'demo-web',
        Cpu: '256',
        Memory: '512',
        NetworkMode: 'awsvpc',
        RequiresCompatibilities: ['FARGATE'],
        ContainerDefinitions: [
          {
            Name: 'web',
            Image: opts.image ?? 'nginx:1.27',
            Essential: true,
            PortMappings: [{ ContainerPort: 80, Protocol: 'tcp' }],
            LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-group': { Ref: 'LogGroup' }, 'awslogs-region': { Ref: 'AWS::Region' }, 'awslogs-stream-prefix': 'demo' } },
          },
        ],
      },
    },
    WebService: {
      Type: 'AWS::ECS::Service',
      DependsOn: ['WebListener'],
      Properties: {
        Cluster: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
        ServiceName: 'web',
        TaskDefinition: { Ref: 'WebTaskDefinition' },
        DesiredCount: opts.desired ?? 2,
        LaunchType: 'FARGATE',
        DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: opts.circuitBreaker ?? true, Rollback: true } },
        LoadBalancers: [{ TargetGroupArn: { Ref: 'WebTargetGroup' }, ContainerName: 'web', ContainerPort: 80 }],
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', SecurityGroups: [{ Ref: 'DefaultNetwork' }], Subnets: DEFAULT_SUBNETS.slice(0, 2) } },
      },
    },
    DbVolume: {
      Type: 'AWS::EFS::FileSystem',
      DeletionPolicy: 'Retain',
      Properties: { Encrypted: true, FileSystemTags: [{ Key: 'com.docker.compose.project', Value: 'demo' }, { Key: 'Name', Value: 'demo_db' }] },
    },
    ...opts.extra,
  };
  for (const d of opts.drop ?? []) delete resources[d];
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Resources: resources,
    Outputs: { Endpoint: { Value: { 'Fn::Sub': 'http://${LoadBalancer.DNSName}:80' } } },
  });
}
