/**
 * What AWS refuses in the calls and templates docker-ecs sends, so that the simulator refuses it
 * too. Each rule names the AWS documentation it comes from; README.md ("What AWS refuses") lists
 * them. A resource rule returns the handler's message (the resource then fails, as in AWS); the
 * stack and template rules throw the API's ValidationError.
 */
import { validation } from '../errors.js';
import { serviceConnectNames, type ProviderContext, type Props } from './resources.js';

const DOCS = {
  stackName: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html',
  quotas: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html',
  containerName: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
  family: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html',
  healthCheck: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html',
  portMapping: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html',
  memory: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html',
  serviceConnect: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectService.html',
  serviceConnectUnique: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html',
  serviceConnectAlias: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceConnectClientAlias.html',
  clusterName: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html',
  capacityProvider: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCapacityProvider.html',
  loadBalancer: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html',
  targetGroup: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html',
  listener: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateListener.html',
} as const;

/** The documentation pages behind the rules, for the README and for tests. */
export const RULE_SOURCES: Readonly<Record<keyof typeof DOCS, string>> = DOCS;

/** CloudFormation: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters (CreateStack, CreateChangeSet). */
export function checkStackName(name: string): void {
  if (!/^[A-Za-z][-A-Za-z0-9]{0,127}$/.test(name)) {
    throw validation(
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*|arn:[-a-zA-Z0-9:/._+]*`,
    );
  }
}

export const MAX_RESOURCES = 500;

/** CloudFormation quotas: at most 500 resources in a template. */
export function checkTemplateLimits(resourceCount: number): void {
  if (resourceCount > MAX_RESOURCES) {
    throw validation(`Template format error: Number of resources, ${resourceCount}, is greater than maximum allowed, ${MAX_RESOURCES}`);
  }
}

const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** Port-mapping and Service Connect names: up to 64 lowercase letters, digits, `_`, `-`, not starting with `-`. */
const SERVICE_CONNECT_NAME = /^[a-z0-9_][a-z0-9_-]{0,63}$/;
/** Load balancer and target group names: up to 32 letters, digits and hyphens, no hyphen at either end. */
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

const ecs = (message: string): string => `Invalid request provided: ${message} (Service: Ecs, Status Code: 400)`;
const elb = (code: string, message: string): string => `${message} (Service: ElasticLoadBalancingV2, Status Code: 400, Error Code: ${code})`;
const list = (v: unknown): Props[] => (Array.isArray(v) ? (v as Props[]) : []);
const num = (v: unknown): number | undefined => (v === undefined || v === null || v === '' ? undefined : Number(v));

const HEALTH_RANGES: Array<[key: string, min: number, max: number]> = [
  ['Interval', 5, 300],
  ['Timeout', 2, 60],
  ['Retries', 1, 10],
  ['StartPeriod', 0, 300],
];

function taskDefinition(p: Props): string | undefined {
  const family = String(p.Family ?? '');
  if (p.Family !== undefined && !ECS_NAME.test(family)) {
    return ecs(`Create TaskDefinition: Family '${family}' must be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.`);
  }
  const containers = list(p.ContainerDefinitions);
  let reserved = 0;
  for (const c of containers) {
    const name = String(c.Name ?? '');
    if (!ECS_NAME.test(name)) return ecs(`Create TaskDefinition: Container name '${name}' must be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.`);
    const hc = (c.HealthCheck ?? undefined) as Props | undefined;
    for (const [key, min, max] of HEALTH_RANGES) {
      const v = num(hc?.[key]);
      if (v !== undefined && (v < min || v > max)) {
        return ecs(`Create TaskDefinition: Container '${name}': healthCheck ${key.charAt(0).toLowerCase()}${key.slice(1)} must be between ${min} and ${max}, got ${v}.`);
      }
    }
    for (const pm of list(c.PortMappings)) {
      if (pm.Name !== undefined && !SERVICE_CONNECT_NAME.test(String(pm.Name))) {
        return ecs(`Create TaskDefinition: Container '${name}': port mapping name '${String(pm.Name)}' must be up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.`);
      }
    }
    const limit = num(c.Memory);
    const reservation = num(c.MemoryReservation);
    if (limit !== undefined && reservation !== undefined && reservation > limit) {
      return ecs(`Create TaskDefinition: Container '${name}': memoryReservation (${reservation}) must be less than memory (${limit}).`);
    }
    reserved += reservation ?? limit ?? 0;
  }
  const taskMemory = num(p.Memory);
  if (taskMemory !== undefined && reserved > taskMemory) {
    return ecs(`Create TaskDefinition: The total amount of memory reserved for all containers (${reserved} MiB) must be lower than the task memory value (${taskMemory} MiB).`);
  }
  return undefined;
}

/**
 * Service Connect endpoints are unique in their namespace: a discovery name ("must be unique within
 * the Cloud Map namespace", ServiceConnectService) and a client alias ("each name and port mapping
 * must be unique within the namespace", ServiceConnectClientAlias) held by another service that is
 * not gone yet. This is why CloudFormation's replacement of such a service fails: it creates the new
 * service first (AWS::ECS::Service). The old one holds them until it is deleted (INACTIVE); an
 * in-place update of the same service does not compete with itself. ECS's message, as users report it
 * (aws/copilot-cli#4337, #5431).
 */
function serviceConnectTaken(ctx: ProviderContext, p: Props, isNew: boolean): string | undefined {
  const mine = serviceConnectNames(p);
  if (!mine) return undefined;
  for (const other of ctx.world.services.values()) {
    if (other.status === 'INACTIVE' || !other.serviceConnect || other.serviceConnect.namespace !== mine.namespace) continue;
    const stackId = other.tags.find((t) => t.key === 'aws:cloudformation:stack-id')?.value;
    if (!isNew && other.logicalId === ctx.logicalId && stackId === ctx.stackId) continue;
    const taken = mine.discoveryNames.some((n) => other.serviceConnect!.discoveryNames.includes(n)) || mine.aliases.some((a) => other.serviceConnect!.aliases.includes(a));
    if (taken) return ecs(`${isNew ? 'CreateService' : 'UpdateService'} error: SC service is already used by ${mine.namespace}`);
  }
  return undefined;
}

function ecsService(ctx: ProviderContext, p: Props, isNew: boolean): string | undefined {
  if (p.ServiceName !== undefined && !ECS_NAME.test(String(p.ServiceName))) {
    return ecs(`Create Service: Service name '${String(p.ServiceName)}' must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.`);
  }
  const sc = (p.ServiceConnectConfiguration ?? {}) as Props;
  for (const s of list(sc.Services)) {
    for (const key of ['PortName', 'DiscoveryName'] as const) {
      const v = s[key];
      if (v !== undefined && !SERVICE_CONNECT_NAME.test(String(v))) {
        return ecs(`Create Service: Service Connect ${key === 'PortName' ? 'portName' : 'discoveryName'} '${String(v)}' must be up to 64 lowercase letters, numbers, underscores and hyphens, not starting with a hyphen.`);
      }
    }
  }
  return serviceConnectTaken(ctx, p, isNew);
}

function cluster(p: Props): string | undefined {
  if (p.ClusterName !== undefined && !ECS_NAME.test(String(p.ClusterName))) {
    return ecs(`Create Cluster: Cluster name '${String(p.ClusterName)}' must be up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens.`);
  }
  return undefined;
}

function capacityProvider(ctx: ProviderContext, p: Props): string | undefined {
  // without a Name CloudFormation names it <stack>-<LogicalId>-<random>, so the stack name is the prefix
  const name = p.Name !== undefined ? String(p.Name) : `${ctx.stackName}-${ctx.logicalId}-RANDOM`;
  if (!ECS_NAME.test(name) || /^(aws|ecs|fargate)/i.test(name)) {
    return ecs(`CreateCapacityProvider error: The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate". Specify a valid name and try again.`);
  }
  return undefined;
}

function elbName(kind: string, v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const name = String(v);
  if (!ELB_NAME.test(name) || name.startsWith('internal-')) {
    return elb('ValidationError', `${kind} name '${name}' cannot be longer than 32 characters, must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen or begin with 'internal-'`);
  }
  return undefined;
}

function loadBalancer(ctx: ProviderContext, p: Props): string | undefined {
  const bad = elbName('Load balancer', p.Name);
  if (bad) return bad;
  const type = String(p.Type ?? 'application');
  const subnets = Array.isArray(p.Subnets) ? (p.Subnets as unknown[]).map(String) : list(p.SubnetMappings).map((m) => String(m.SubnetId));
  const zones = new Map<string, string>();
  for (const id of subnets) {
    const subnet = ctx.world.subnets.find((s) => s.id === id);
    if (!subnet) return elb('InvalidSubnet', `The subnet ID '${id}' is not valid`);
    if (zones.has(subnet.az)) return elb('InvalidConfigurationRequest', 'A load balancer cannot be attached to multiple subnets in the same Availability Zone');
    zones.set(subnet.az, id);
  }
  if (type === 'application' && zones.size < 2) {
    return elb('ValidationError', 'At least two subnets in two different Availability Zones must be specified');
  }
  return undefined;
}

const LISTENER_PROTOCOLS: Record<string, string[]> = { application: ['HTTP', 'HTTPS'], network: ['TCP', 'TLS', 'UDP', 'TCP_UDP'] };

function listener(ctx: ProviderContext, p: Props, isNew: boolean): string | undefined {
  const lb = ctx.world.loadBalancers.get(String(p.LoadBalancerArn ?? ''));
  if (!lb) return undefined; // the provider reports the missing load balancer
  const protocol = String(p.Protocol ?? '');
  const allowed = LISTENER_PROTOCOLS[lb.type] ?? [];
  if (!allowed.includes(protocol)) {
    return elb('ValidationError', `Listener protocol '${protocol}' must be one of '${allowed.join(', ')}' for a load balancer of type '${lb.type}'`);
  }
  const port = Number(p.Port);
  if (isNew && [...ctx.world.listeners.values()].some((l) => l.loadBalancerArn === lb.arn && l.port === port)) {
    return elb('DuplicateListener', 'A listener with the specified port already exists.');
  }
  return undefined;
}

/** The message AWS would fail this resource's create or update with, or undefined. */
export function resourceViolation(ctx: ProviderContext, props: Props, isNew: boolean): string | undefined {
  switch (ctx.type) {
    case 'AWS::ECS::TaskDefinition':
      return taskDefinition(props);
    case 'AWS::ECS::Service':
      return ecsService(ctx, props, isNew);
    case 'AWS::ECS::Cluster':
      return cluster(props);
    case 'AWS::ECS::CapacityProvider':
      return capacityProvider(ctx, props);
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return loadBalancer(ctx, props);
    case 'AWS::ElasticLoadBalancingV2::TargetGroup':
      return elbName('Target group', props.Name);
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return listener(ctx, props, isNew);
    default:
      return undefined;
  }
}
