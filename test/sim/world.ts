/**
 * The simulated account: every service's state, the scheduler that moves it on, and the
 * scenario. Services read and change it; the stack engine and the ECS runtime drive it over time.
 */
import { Scheduler, type Clock } from './clock.js';
import { IdSource } from './ids.js';
import type { Scenario } from './scenario.js';
import type { AutoScalingGroup, CapacityProvider } from './engine/ec2-capacity.js';

export const ACCOUNT = '123456789012';

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  seq: number;
}
export interface LogStream {
  name: string;
  creationTime: number;
  events: LogEvent[];
}
export interface LogGroup {
  name: string;
  arn: string;
  creationTime: number;
  retentionInDays?: number;
  streams: Map<string, LogStream>;
  tags: Record<string, string>;
}

export interface ContainerDef {
  name: string;
  image: string;
  essential?: boolean;
  portMappings?: Array<{ containerPort?: number; hostPort?: number; protocol?: string }>;
  healthCheck?: unknown;
  logConfiguration?: { logDriver?: string; options?: Record<string, string> };
  [k: string]: unknown;
}
export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  containerDefinitions: ContainerDef[];
  cpu?: string;
  memory?: string;
  networkMode?: string;
  requiresCompatibilities?: string[];
  executionRoleArn?: string;
  taskRoleArn?: string;
  volumes?: unknown[];
  status: 'ACTIVE' | 'INACTIVE';
  registeredAt: number;
  tags: Array<{ key: string; value: string }>;
}
export interface Cluster {
  arn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  tags: Array<{ key: string; value: string }>;
  /** EC2 instance ids registered as container instances (GPU capacity) */
  containerInstances: string[];
}
export interface Container {
  name: string;
  image: string;
  arn: string;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  essential: boolean;
  ports: Array<{ containerPort?: number; hostPort?: number; protocol?: string }>;
  /** the container runtime's id, once it runs (ECS Exec's target names it) */
  runtimeId?: string;
}
export interface Task {
  arn: string;
  id: string;
  clusterArn: string;
  taskDefinitionArn: string;
  group: string;
  startedBy: string;
  serviceArn?: string;
  lastStatus: 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  containers: Container[];
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  availabilityZone: string;
  privateIp: string;
  deploymentId: string;
  cpu?: string;
  memory?: string;
  /** RunTask's container overrides, as given */
  overrides?: Array<{ name: string; command?: string[]; environment?: Array<{ name: string; value: string }> }>;
  /** ECS Exec: the task was started with it (RunTask) or by a service that has it */
  enableExecuteCommand?: boolean;
}
export interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
  taskDefinitionArn: string;
  desiredCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
}
export interface ServiceConnectNames {
  namespace: string;
  discoveryNames: string[];
  /** `dnsName:port` */
  aliases: string[];
}

export interface Service {
  arn: string;
  name: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  launchType: string;
  createdAt: number;
  deployments: Deployment[];
  events: Array<{ id: string; createdAt: number; message: string }>;
  loadBalancers: Array<{ targetGroupArn?: string; containerName?: string; containerPort?: number }>;
  circuitBreaker: { enable: boolean; rollback: boolean };
  /** DeploymentConfiguration percents (ECS defaults 200 / 100) */
  maximumPercent: number;
  minimumHealthyPercent: number;
  networkConfiguration?: unknown;
  serviceRegistries?: unknown[];
  /** the Service Connect endpoints it holds in its namespace, unique there (aws-rules.ts) */
  serviceConnect?: ServiceConnectNames;
  logicalId?: string;
  tags: Array<{ key: string; value: string }>;
  /** Called once when the current deployment completes (undefined) or fails (reason). */
  onSettled?: (failure?: string) => void;
  /** EnableExecuteCommand: its tasks start with ECS Exec */
  enableExecuteCommand?: boolean;
}

export interface LoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  type: 'application' | 'network';
  scheme: string;
  createdAt: number;
  state: 'provisioning' | 'active';
  securityGroups: string[];
  subnets: string[];
}
export interface TargetGroup {
  arn: string;
  name: string;
  protocol: string;
  port: number;
  targetType: string;
  loadBalancerArns: string[];
  healthCheckPath?: string;
}
export interface Listener {
  arn: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  targetGroupArn?: string;
}
export interface SecurityGroup {
  id: string;
  name: string;
  description: string;
  vpcId: string;
  tags: Array<{ Key: string; Value: string }>;
  ingress: Array<Record<string, unknown>>;
}
export interface Secret {
  arn: string;
  name: string;
  description?: string;
  versions: Array<{ id: string; value?: string; binary?: string; createdAt: number; stages: string[] }>;
  createdAt: number;
  lastChangedAt: number;
  deletedAt?: number;
  tags: Array<{ Key: string; Value: string }>;
  kmsKeyId?: string;
}
export interface FileSystem {
  id: string;
  arn: string;
  creationToken: string;
  createdAt: number;
  encrypted: boolean;
  performanceMode: string;
  throughputMode: string;
  tags: Array<{ Key: string; Value: string }>;
  lifeCycleState: 'creating' | 'available' | 'deleting' | 'deleted';
}
export interface MountTarget {
  id: string;
  fileSystemId: string;
  subnetId: string;
  ip: string;
  az: string;
}
export interface AccessPoint {
  id: string;
  arn: string;
  fileSystemId: string;
  tags: Array<{ Key: string; Value: string }>;
}
/** A Route 53 private hosted zone (Cloud Map makes one per private DNS namespace). */
export interface HostedZone {
  id: string;
  /** with the trailing dot, as Route 53 answers */
  name: string;
  vpcIds: string[];
  /** the service that created it (`servicediscovery.amazonaws.com`), if not the account itself */
  owningService?: string;
}
/** A Cloud Map private DNS namespace. */
export interface Namespace {
  id: string;
  arn: string;
  name: string;
  vpcId: string;
  hostedZoneId: string;
  createdAt: number;
}
export interface S3Object {
  body: Buffer;
  etag: string;
  lastModified: number;
  contentType?: string;
}

export interface EcrRepository {
  name: string;
  arn: string;
  createdAt: number;
  tags: Array<{ Key: string; Value: string }>;
  imageTagMutability: string;
  scanOnPush: boolean;
  lifecyclePolicyText?: string;
}

export class World {
  readonly ids = new IdSource();
  readonly sched: Scheduler;
  scenario: Scenario = {};
  readonly region: string;
  readonly account = ACCOUNT;
  readonly azs: string[];
  readonly vpc = { id: 'vpc-0d3fa017e5c1a1000', cidr: '172.31.0.0/16' };
  readonly subnets: Array<{ id: string; az: string; azId: string; cidr: string }>;
  readonly defaultSecurityGroup: SecurityGroup;

  readonly securityGroups = new Map<string, SecurityGroup>();
  readonly loadBalancers = new Map<string, LoadBalancer>();
  readonly targetGroups = new Map<string, TargetGroup>();
  readonly listeners = new Map<string, Listener>();
  readonly clusters = new Map<string, Cluster>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  /** The simulator's own URL (set once it listens): wait condition handles point here. */
  baseUrl = '';
  /** Signals sent to wait condition handles, by handle key (`<stack id>|<logical id>`). */
  readonly waitSignals = new Map<string, Array<{ status: string; reason: string; uniqueId: string; data: string }>>();
  /** Called when a handle gets a signal. */
  readonly waitListeners = new Map<string, () => void>();
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  /** IAM roles the stacks made, by ARN: their inline policy documents and managed policy ARNs (ECS Exec reads them) */
  readonly roles = new Map<string, { name: string; policies: unknown[]; managed: string[] }>();
  readonly logGroups = new Map<string, LogGroup>();
  readonly secrets = new Map<string, Secret>();
  /** ECR repositories by name (services/ecr.ts) */
  readonly repositories = new Map<string, EcrRepository>();
  readonly fileSystems = new Map<string, FileSystem>();
  readonly mountTargets = new Map<string, MountTarget>();
  readonly accessPoints = new Map<string, AccessPoint>();
  readonly buckets = new Map<string, Map<string, S3Object>>();
  readonly hostedZones = new Map<string, HostedZone>();
  readonly autoScalingGroups = new Map<string, AutoScalingGroup>();
  /** ECS capacity providers over Auto Scaling groups, by name */
  readonly capacityProviders = new Map<string, CapacityProvider>();
  readonly namespaces = new Map<string, Namespace>();
  /** Every template the plugin sent (stack tagged com.docker.compose.project), in order: linted by the tests. */
  readonly pluginTemplates: string[] = [];
  /** Called with each of them as it arrives (the in-process simulator hands them to cfn-lint). */
  onPluginTemplate?: (body: string) => void;
  /** Generic resources of types the simulator has no model for: physical id → type. */
  readonly others = new Map<string, string>();
  private logSeq = 0;
  /** How many tasks each `taskCrashes` entry has crashed (reset by setScenario). */
  crashUses = new WeakMap<object, number>();

  constructor(clock: Clock, region = 'us-east-1') {
    this.sched = new Scheduler(clock);
    this.region = region;
    this.azs = ['a', 'b', 'c'].map((s) => `${region}${s}`);
    this.subnets = this.azs.map((az, i) => ({
      id: `subnet-0${(0xa1b2c3d4 + i).toString(16)}e5f6a7b${i}`, // 17 hex digits, as AWS gives them
      az,
      azId: `use1-az${i + 1}`,
      cidr: `172.31.${i * 16}.0/20`,
    }));
    this.defaultSecurityGroup = {
      id: 'sg-0a1b2c3d4e5f60000',
      name: 'default',
      description: 'default VPC security group',
      vpcId: this.vpc.id,
      tags: [],
      ingress: [],
    };
    this.securityGroups.set(this.defaultSecurityGroup.id, this.defaultSecurityGroup);
  }

  now(): number {
    return this.sched.now();
  }

  arn(service: string, resource: string, region: string = this.region): string {
    return `arn:aws:${service}:${region}:${this.account}:${resource}`;
  }

  logGroup(name: string, create = false): LogGroup | undefined {
    let g = this.logGroups.get(name);
    if (!g && create) {
      g = { name, arn: this.arn('logs', `log-group:${name}:*`), creationTime: this.now(), streams: new Map(), tags: {} };
      this.logGroups.set(name, g);
    }
    return g;
  }

  /** Append a line to a stream; the group must exist (as with awslogs, whose group is created by the stack). */
  log(groupName: string, streamName: string, message: string, timestamp = this.now()): void {
    const group = this.logGroups.get(groupName);
    if (!group) return;
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, creationTime: timestamp, events: [] };
      group.streams.set(streamName, stream);
    }
    stream.events.push({ timestamp, message, ingestionTime: timestamp + 150, seq: ++this.logSeq });
    if (stream.events.length > 10_000) stream.events.splice(0, stream.events.length - 10_000);
  }
}
