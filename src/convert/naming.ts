/**
 * The only place logical IDs and AWS-side names are built. Logical IDs follow the old Docker ECS
 * integration exactly (users' `x-aws-cloudformation` overlays address resources by them).
 */
import { logicalId, sub, type LogicalId, type SubIntrinsic } from '../cloudformation/template.js';

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
/** the task role of every service that needs no role of its own: ECS Exec's agent channels only (ecs-exec.ts) */
export const EXEC_TASK_ROLE = id('ExecTaskRole');
export const CLOUD_MAP = id('CloudMap');
export const LOAD_BALANCER = id('LoadBalancer');
/** ours, not the old integration's: the load balancer has its own security group (design 4.6) */
export const LOAD_BALANCER_SECURITY_GROUP = id('LoadBalancerSecurityGroup');

/** ours: the association that adds the GPU capacity provider to the project's cluster (FARGATE stays the default) */
export const CLUSTER_CAPACITY_PROVIDERS = id('ClusterCapacityProviderAssociations');

// GPU capacity (one EC2 capacity provider per project, shared by every GPU service)
export const CAPACITY_PROVIDER = id('CapacityProvider');
export const AUTOSCALING_GROUP = id('AutoscalingGroup');
/** the old integration's LaunchConfiguration, replaced by a launch template (design 4.4) */
export const LAUNCH_TEMPLATE = id('LaunchTemplate');
export const EC2_INSTANCE_PROFILE = id('EC2InstanceProfile');
export const EC2_INSTANCE_ROLE = id('EC2InstanceRole');
/** ours: the instances take no inbound traffic (their tasks have interfaces and security groups of their own) */
export const EC2_INSTANCE_SECURITY_GROUP = id('EC2InstanceSecurityGroup');

// template outputs
export const LOAD_BALANCER_DNS_OUTPUT = 'LoadBalancerDNSName';

// template parameters (`up` passes their values)
export const VPC_PARAMETER = 'VpcId';
export const SUBNETS_PARAMETER = 'SubnetIds';
/** only with `x-aws-loadbalancer`: the existing load balancer's security group, tasks accept it */
export const LOAD_BALANCER_SECURITY_GROUP_PARAMETER = 'LoadBalancerSecurityGroupId';
/** only with GPU services: the ECS-optimized GPU AMI, an SSM-typed parameter (design 4.1) */
export const GPU_AMI_PARAMETER = 'GpuImageId';
/** the public SSM parameter AWS keeps pointed at the current ECS-optimized GPU AMI */
export const GPU_AMI_SSM_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2/gpu/recommended/image_id';

// secrets (`<Secret>` is the normalised secret *name*, `<project>_<key>` unless name: says otherwise)
export const secret = (secretName: string): LogicalId => id(`${normalizeResourceName(secretName)}Secret`);
/** the NoEcho parameter `up` fills with the secret file's content: `<Secret>SecretValue` */
export const secretValueParameter = (secretName: string): string => `${normalizeResourceName(secretName)}SecretValue`;
/** A random marker `up` renews when the secret's value changes, so the services that read it restart. */
export const secretRevisionParameter = (secretName: string): string => `${normalizeResourceName(secretName)}SecretRevision`;
/** The init container's label that carries that marker. */
export const secretRevisionLabel = (secretKey: string): string => `com.docker.ecs.secret-revision.${secretKey}`;

// volumes (`<Vol>` is the normalised volume key)
const vol = (volume: string, suffix: string): LogicalId => id(`${normalizeResourceName(volume)}${suffix}`);
export const fileSystem = (volume: string): LogicalId => vol(volume, 'Filesystem');
export const accessPoint = (volume: string): LogicalId => vol(volume, 'AccessPoint');
/** ours: the security group of the volume's mount targets, open to NFS from the services that mount it */
export const fileSystemSecurityGroup = (volume: string): LogicalId => vol(volume, 'NFSSecurityGroup');
/** `<Vol>NFSMountTargetOn<Subnet>` as before when the subnet is known; `<Vol>NFSMountTarget<i>` over the SubnetIds parameter otherwise */
export const mountTarget = (volume: string, subnet: string | number): LogicalId =>
  typeof subnet === 'number' ? vol(volume, `NFSMountTarget${subnet}`) : vol(volume, `NFSMountTargetOn${normalizeResourceName(subnet)}`);

// networks
export const networkSecurityGroup = (network: string): LogicalId => id(`${normalizeResourceName(network)}Network`);
export const networkIngress = (network: string): LogicalId => id(`${normalizeResourceName(network)}NetworkIngress`);
/** a published port's rule on a network's security group, e.g. `Default80Ingress` (tcp), `Default53UDPIngress` */
export const portIngress = (network: string, target: number, protocol = 'tcp'): LogicalId =>
  id(`${normalizeResourceName(network)}${target}${protocol.toLowerCase() === 'tcp' ? '' : protocol.toUpperCase()}Ingress`);

// per service
const svc = (service: string, suffix: string): LogicalId => id(`${normalizeResourceName(service)}${suffix}`);
export const ecsService = (service: string): LogicalId => svc(service, 'Service');
export const taskDefinition = (service: string): LogicalId => svc(service, 'TaskDefinition');
/** A one-shot job's gate, named with a digest of its task definition so that a new one runs it again. */
export const jobGate = (service: string, digest: string): LogicalId => svc(service, `Job${digest}`);
export const jobGateHandle = (service: string, digest: string): LogicalId => svc(service, `Job${digest}Handle`);
export const taskExecutionRole = (service: string): LogicalId => svc(service, 'TaskExecutionRole');
export const taskRole = (service: string): LogicalId => svc(service, 'TaskRole');
export const serviceDiscoveryEntry = (service: string): LogicalId => svc(service, 'ServiceDiscoveryEntry');
export const scalableTarget = (service: string): LogicalId => svc(service, 'ScalableTarget');
export const scalingPolicy = (service: string): LogicalId => svc(service, 'ScalingPolicy');
/** `<Svc><PROTO><published>TargetGroup`; PROTO is the compose protocol upper-cased, even behind an ALB */
export const targetGroup = (service: string, protocol: string, published: number): LogicalId =>
  svc(service, `${protocol.toUpperCase()}${published}TargetGroup`);
export const listener = (service: string, protocol: string, target: number): LogicalId =>
  svc(service, `${protocol.toUpperCase()}${target}Listener`);
/** ours: the SNI certificates (all but the first of x-aws-certificate) of an HTTPS or TLS listener */
export const listenerCertificates = (listenerId: string): LogicalId => id(`${listenerId}Certificates`);

// AWS-side names

/**
 * The CloudFormation stack of a compose project. Stack names are `[a-zA-Z][-a-zA-Z0-9]*`, at most
 * 128 characters; compose project names also allow `_` and a leading digit. So `_` becomes `-` and
 * a leading digit gets `p-` (`my_app` -> `my-app`, `2048game` -> `p-2048game`); every other valid
 * project name is its own stack name, as before. The project name itself stays in the stack's
 * `com.docker.compose.project` tag, which is how a stack is known to be the project's.
 */
export function stackName(project: string): string {
  const dashed = project.replace(/[^A-Za-z0-9-]/g, '-');
  return (/^[A-Za-z]/.test(dashed) ? dashed : `p-${dashed}`).slice(0, 128);
}

/** ECS names (families, container names): letters, digits, `_`, `-`, up to 255; `web.front` -> `web-front`. */
export function ecsName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
}

export const taskFamily = (project: string, service: string): string => ecsName(`${project}-${service}`);
/** the family of the revision `run` derives for -u/--entrypoint/-w: `<family>-run`, within ECS's 255 characters */
export const runTaskFamily = (family: string): string => `${family.slice(0, 251)}-run`;
/** the service's own container in its task definition: the compose name where ECS allows it */
export const containerName = (service: string): string => ecsName(service);
export const logGroupName = (project: string): string => `/docker-compose/${project}`;
export const namespaceName = (project: string): string => `${project}.local`;
/** the execution role's inline policy for the pull credentials and the service's secrets (raw service name, as before) */
export const secretsAccessPolicyName = (service: string): string => `${service}GrantAccessToSecrets`;
export const taskRolePolicyName = (service: string): string => `${normalizeResourceName(service)}Policy`;
/** the task role's inline policy for one EFS volume, as before */
export const volumeMountPolicyName = (service: string, volume: string): string => `${normalizeResourceName(service)}${normalizeResourceName(volume)}VolumeMountPolicy`;
/** the init container that writes /run/secrets, as before */
export const secretsInitContainer = (service: string): string => `${normalizeResourceName(service)}_Secrets_InitContainer`;
/** the task-local volume the init container writes and the service's container reads */
export const SECRETS_TASK_VOLUME = 'secrets';
/** an EFS task volume (letters, digits, `-`, `_`); capitalised so it never equals `secrets` */
export const efsTaskVolume = (volume: string): string => normalizeResourceName(volume);

/** Service Connect names: lower-case letters, digits, `_`, `-`, not starting with `-`. */
function serviceConnectSafe(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '');
}

/** A short stable digest (FNV-1a, base 36) that tells apart names shortened to the same prefix. */
function digest(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0');
}

/** ECS caps port mapping names and Service Connect discovery names at 64 characters. */
export const SERVICE_CONNECT_NAME_MAX = 64;

/**
 * The task definition's port mapping name, also the Service Connect discovery name: `web-80-tcp`.
 * A service name too long for 64 characters is cut and given a digest of the whole name
 * (`very-long-…-1x2y3z4-8080-tcp`), so the name stays unique and the same on every run.
 */
export function portMappingName(service: string, port: number, protocol: string): string {
  const suffix = `-${port}-${protocol.toLowerCase()}`;
  const base = serviceConnectSafe(service);
  if (base.length + suffix.length <= SERVICE_CONNECT_NAME_MAX) return `${base}${suffix}`;
  const tag = `-${digest(service)}`;
  return `${base.slice(0, SERVICE_CONNECT_NAME_MAX - suffix.length - tag.length).replace(/-+$/, '')}${tag}${suffix}`;
}

/** True when the service name can be a Service Connect short name as it is. */
export function isServiceConnectDnsName(name: string): boolean {
  return /^[a-z0-9_][a-z0-9_.-]{0,126}$/.test(name);
}

/** An AWS managed policy's ARN in the stack's partition: `arn:${AWS::Partition}:iam::aws:policy/<path>`. */
export const managedPolicyArn = (path: string): SubIntrinsic => sub(`arn:\${AWS::Partition}:iam::aws:policy/${path}`);

export const TAG_PROJECT = 'com.docker.compose.project';
export const TAG_SERVICE = 'com.docker.compose.service';
/**
 * The resource `Metadata` key naming the compose service a resource was made for (same name as the
 * tag): `up` and `down` group events and name root causes by it, instead of guessing from ids.
 */
export const OWNER_METADATA = TAG_SERVICE;
export const TAG_NETWORK = 'com.docker.compose.network';
export const TAG_VOLUME = 'com.docker.compose.volume';
