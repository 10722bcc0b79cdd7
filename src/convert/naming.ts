/**
 * The only place logical IDs and AWS-side names are built. Logical IDs follow the old Docker ECS
 * integration exactly (users' `x-aws-cloudformation` overlays address resources by them).
 */
import { logicalId, type LogicalId } from '../cloudformation/template.js';

/**
 * The old integration's rule: drop every character outside [A-Za-z0-9], then upper-case the first
 * letter (`front-tier` -> `Fronttier`, `db_data` -> `Dbdata`). Distinct names can collide
 * (`my-svc`, `mysvc`); `findCollisions` reports that before any resource is built.
 */
export function normalizeResourceName(name: string): string {
  const stripped = name.replace(/[^a-zA-Z0-9]+/g, '');
  return stripped.charAt(0).toUpperCase() + stripped.slice(1);
}

/** Groups of names that normalise to the same logical-ID prefix (each group sorted, groups sorted). */
export function findCollisions(names: readonly string[]): string[][] {
  const byId = new Map<string, string[]>();
  for (const n of [...names].sort()) {
    const id = normalizeResourceName(n);
    byId.set(id, [...(byId.get(id) ?? []), n]);
  }
  return [...byId.values()].filter((g) => g.length > 1);
}

const id = (s: string): LogicalId => logicalId(s);

// project level
export const CLUSTER = id('Cluster');
export const LOG_GROUP = id('LogGroup');
export const CLOUD_MAP = id('CloudMap');
export const LOAD_BALANCER = id('LoadBalancer');
/** ours, not the old integration's: the load balancer has its own security group (design 4.6) */
export const LOAD_BALANCER_SECURITY_GROUP = id('LoadBalancerSecurityGroup');

// template outputs
export const LOAD_BALANCER_DNS_OUTPUT = 'LoadBalancerDNSName';

// template parameters (`up` passes their values)
export const VPC_PARAMETER = 'VpcId';
export const SUBNETS_PARAMETER = 'SubnetIds';
/** only with `x-aws-loadbalancer`: the existing load balancer's security group, tasks accept it */
export const LOAD_BALANCER_SECURITY_GROUP_PARAMETER = 'LoadBalancerSecurityGroupId';

// networks
export const networkSecurityGroup = (network: string): LogicalId => id(`${normalizeResourceName(network)}Network`);
export const networkIngress = (network: string): LogicalId => id(`${normalizeResourceName(network)}NetworkIngress`);
/** a published port's rule on a network's security group, e.g. `Default80Ingress` */
export const portIngress = (network: string, target: number): LogicalId => id(`${normalizeResourceName(network)}${target}Ingress`);

// per service
const svc = (service: string, suffix: string): LogicalId => id(`${normalizeResourceName(service)}${suffix}`);
export const ecsService = (service: string): LogicalId => svc(service, 'Service');
export const taskDefinition = (service: string): LogicalId => svc(service, 'TaskDefinition');
export const taskExecutionRole = (service: string): LogicalId => svc(service, 'TaskExecutionRole');
export const taskRole = (service: string): LogicalId => svc(service, 'TaskRole');
export const serviceDiscoveryEntry = (service: string): LogicalId => svc(service, 'ServiceDiscoveryEntry');
/** `<Svc><PROTO><published>TargetGroup`; PROTO is the compose protocol upper-cased, even behind an ALB */
export const targetGroup = (service: string, protocol: string, published: number): LogicalId =>
  svc(service, `${protocol.toUpperCase()}${published}TargetGroup`);
export const listener = (service: string, protocol: string, target: number): LogicalId =>
  svc(service, `${protocol.toUpperCase()}${target}Listener`);

// AWS-side names
export const taskFamily = (project: string, service: string): string => `${project}-${service}`;
export const logGroupName = (project: string): string => `/docker-compose/${project}`;
export const namespaceName = (project: string): string => `${project}.local`;
/** the inline policy granting the execution role the pull credentials (raw service name, as before) */
export const pullCredentialsPolicyName = (service: string): string => `${service}GrantAccessToSecrets`;
export const taskRolePolicyName = (service: string): string => `${normalizeResourceName(service)}Policy`;

/** Service Connect names: lower-case letters, digits, `_`, `-`, not starting with `-`. */
function serviceConnectSafe(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '');
}

/** the task definition's port mapping name, also the Service Connect discovery name: `web-80-tcp` */
export const portMappingName = (service: string, port: number, protocol: string): string =>
  `${serviceConnectSafe(service)}-${port}-${protocol.toLowerCase()}`;

/** True when the service name can be a Service Connect short name as it is. */
export function isServiceConnectDnsName(name: string): boolean {
  return /^[a-z0-9_][a-z0-9_.-]{0,126}$/.test(name);
}

export const TAG_PROJECT = 'com.docker.compose.project';
export const TAG_SERVICE = 'com.docker.compose.service';
export const TAG_NETWORK = 'com.docker.compose.network';
export const TAG_VOLUME = 'com.docker.compose.volume';
