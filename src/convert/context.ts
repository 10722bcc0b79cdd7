/**
 * Facts several mapping modules need, computed once from the project before any module runs:
 * the services in name order, each service's networks, each network's security group, where the
 * cluster, VPC and subnets come from, the load balancer (if any port is published), the named
 * volumes in use (EFS) and the services that reserve GPUs.
 */
import { UserError, type Diagnostic } from '../errors.js';
import type { NetworkConfig, Project, ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Value } from '../cloudformation/template.js';
import type { Environment, ImagePortsLookup } from './environment.js';
import { imageParameter } from './image-builds.js';
import { X_AWS_CLUSTER, X_AWS_LOADBALANCER, X_AWS_LOADBALANCER_SCHEME, X_AWS_SECURITYGROUP } from './extensions.js';
import { readString, topLevelWhere } from './extension-values.js';
import * as naming from './naming.js';
import { loadBalancerSubnetIds, oneSubnetPerZone, type LoadBalancerScheme } from './subnets.js';
import { gpuReservation } from './gpu-capacity.js';
import { checkHttpsPorts, httpsSettings, type HttpsSettings } from './https.js';
import { checkListenerPorts, offeredPortsOf, publishedPortsOf, type OfferedPort, type PublishedPort } from './ports.js';
import type { ProjectFiles } from './project-files.js';
import { buildVolumeInfos, serviceVolumes, type ServiceVolumes, type VolumeInfo } from './volumes.js';

export interface NetworkInfo {
  key: string;
  /** the compose network name (`<project>_<key>` unless `name:` says otherwise) */
  name: string;
  /** Ref to the created security group, or the existing security group id */
  securityGroup: Value;
  external: boolean;
  config: NetworkConfig;
}

export interface LoadBalancerInfo {
  type: 'application' | 'network';
  /** x-aws-loadbalancer_scheme (internet-facing by default); the existing one's own with x-aws-loadbalancer */
  scheme: LoadBalancerScheme;
  /** Ref LoadBalancer, or the x-aws-loadbalancer ARN */
  arn: Value;
  /** the security group tasks accept load-balancer traffic from */
  securityGroup: Value;
  external: boolean;
}

export interface ConvertContext {
  project: Project;
  environment: Environment;
  services: readonly ServiceConfig[];
  /** network keys of each service, sorted */
  serviceNetworks: ReadonlyMap<string, readonly string[]>;
  /** every network a service uses or the file declares, by key */
  networks: ReadonlyMap<string, NetworkInfo>;
  published: ReadonlyMap<string, readonly PublishedPort[]>;
  /** every port a service offers to the others: its ports and expose, plus its image's ports when `up` read them */
  offered: ReadonlyMap<string, readonly OfferedPort[]>;
  loadBalancer?: LoadBalancerInfo;
  /** x-aws-certificate: the load balancer serves HTTPS (https.ts) */
  https?: HttpsSettings;
  cluster: { arn: Value; external: boolean };
  vpc: Value;
  subnets: Value;
  /** the load balancer's subnets: one per zone when up knows the zones, else the SubnetIds parameter */
  loadBalancerSubnets: Value;
  /** named volumes some service mounts, by key, sorted */
  volumes: ReadonlyMap<string, VolumeInfo>;
  /** services that reserve GPUs (EC2 launch type), with their GPU count, sorted */
  gpuServices: ReadonlyMap<string, number>;
  /** project-folder files the shell read for bind mounts and configs (task-files.ts) */
  files: ProjectFiles;
  /** what each service needs, computed once here and read by the fragments (task definition, roles, service) */
  serviceFacts: ReadonlyMap<string, ServiceFacts>;
}

export interface ServiceFacts {
  /** reserved GPUs and the warnings about how they were asked for */
  gpu: { count: number; diagnostics: Diagnostic[] };
  /** the EFS volumes the service mounts: task volumes, mount points, role policies, mount targets to wait for */
  volumes: ServiceVolumes;
}

/** The facts of one service of the context. */
export function factsOf(ctx: Pick<ConvertContext, 'serviceFacts'>, service: ServiceConfig): ServiceFacts {
  return ctx.serviceFacts.get(service.name)!;
}

export const DEFAULT_NETWORK = 'default';

/** Compose puts a service without `networks` (and without network_mode) on the `default` network. */
export function networksOfService(service: ServiceConfig): string[] {
  const keys = Object.keys(service.networks ?? {});
  return (keys.length > 0 ? keys : [DEFAULT_NETWORK]).sort();
}

function networkInfo(project: Project, key: string): NetworkInfo {
  const declared = project.networks[key];
  const config: NetworkConfig = declared ?? { name: `${project.name}_${key}`, extensions: {} };
  const path = `networks.${key}`;
  const legacyGroup = readString(config.extensions, X_AWS_SECURITYGROUP, path);
  if (legacyGroup !== undefined) {
    return { key, name: config.name, securityGroup: legacyGroup, external: true, config };
  }
  if (config.external) {
    if (!/^sg-[0-9a-f]+$/.test(config.name)) {
      throw new UserError(`External network ${key} must be named by the id of an existing security group (sg-...), got ${JSON.stringify(config.name)}.`, {
        where: { path },
        hint: `Write networks: { ${key}: { external: true, name: sg-0123456789abcdef0 } }.`,
      });
    }
    return { key, name: config.name, securityGroup: config.name, external: true, config };
  }
  return { key, name: config.name, securityGroup: ref(naming.networkSecurityGroup(key)), external: false, config };
}

/** The subnets of the load balancer the stack creates (subnets.ts), else the SubnetIds parameter. */
function loadBalancerSubnets(environment: Environment, lb: LoadBalancerInfo | undefined): Value {
  if (!lb || lb.external) return oneSubnetPerZone(environment) ?? ref(naming.SUBNETS_PARAMETER);
  return loadBalancerSubnetIds(environment, lb.scheme, lb.type) ?? ref(naming.SUBNETS_PARAMETER);
}

function schemeOf(project: Project, external: boolean): LoadBalancerScheme {
  const v = readString(project.extensions, X_AWS_LOADBALANCER_SCHEME, '');
  if (v === undefined) return 'internet-facing';
  const where = topLevelWhere(project, X_AWS_LOADBALANCER_SCHEME);
  if (v !== 'internet-facing' && v !== 'internal') {
    throw new UserError(`${X_AWS_LOADBALANCER_SCHEME} must be internet-facing or internal, got ${JSON.stringify(v)}.`, { where });
  }
  if (external) {
    throw new UserError(`${X_AWS_LOADBALANCER_SCHEME} sets the scheme of the load balancer the stack creates, but ${X_AWS_LOADBALANCER} names an existing one, whose scheme is its own.`, {
      where,
      hint: `Remove ${X_AWS_LOADBALANCER_SCHEME}, or ${X_AWS_LOADBALANCER}.`,
    });
  }
  return v;
}

/**
 * At most this many of an image's ports get a short name: each is a port mapping and a Cloud Map
 * service, and an image can declare a whole range. The file's own ports are never capped.
 */
export const MAX_IMAGE_PORTS = 16;

/**
 * The key of a service's image in `environment.imagePorts`: the image as the task definition names
 * it, so a pulled `image:` as written, and a built service's `<Svc>Image` parameter (an upper-case
 * name, never an image reference; a built service's `image:` names where it is pushed, which a
 * pulled service may name too for another image).
 */
export function imagePortsKey(service: ServiceConfig): string | undefined {
  return service.build ? imageParameter(service.name) : service.image;
}

/** What `up` read of the service's image: its ports, or why not (undefined offline). */
export function imagePortsLookup(environment: Environment, service: ServiceConfig): ImagePortsLookup | undefined {
  const key = imagePortsKey(service);
  return key !== undefined ? environment.imagePorts?.[key] : undefined;
}

/** The ports `up` read from the service's image (none offline, or when it could not be read), all of them. */
export function imagePortsOf(environment: Environment, service: ServiceConfig): OfferedPort[] {
  const lookup = imagePortsLookup(environment, service);
  return lookup && 'ports' in lookup ? lookup.ports : [];
}

export function buildContext(project: Project, environment: Environment, files: ProjectFiles = {}): ConvertContext {
  const services = Object.keys(project.services)
    .sort()
    .map((name) => project.services[name]!);

  const serviceNetworks = new Map<string, string[]>();
  for (const s of services) serviceNetworks.set(s.name, networksOfService(s));
  const networkKeys = new Set<string>([...Object.keys(project.networks), ...[...serviceNetworks.values()].flat()]);
  const networks = new Map<string, NetworkInfo>();
  for (const key of [...networkKeys].sort()) networks.set(key, networkInfo(project, key));

  const published = new Map<string, PublishedPort[]>();
  for (const s of services) published.set(s.name, publishedPortsOf(s).ports);
  const allPublished = [...published.values()].flat();
  checkListenerPorts(allPublished);

  const offered = new Map<string, OfferedPort[]>();
  for (const s of services) offered.set(s.name, offeredPortsOf(s, imagePortsOf(environment, s).slice(0, MAX_IMAGE_PORTS)));

  const clusterName = readString(project.extensions, X_AWS_CLUSTER, '');
  const cluster = clusterName !== undefined ? { arn: clusterName, external: true } : { arn: getAtt(naming.CLUSTER, 'Arn'), external: false };

  let loadBalancer: LoadBalancerInfo | undefined;
  if (allPublished.length > 0) {
    const type = allPublished.every((p) => p.http) ? 'application' : 'network';
    const existing = readString(project.extensions, X_AWS_LOADBALANCER, '');
    if (existing !== undefined) {
      if (!existing.startsWith('arn:')) {
        throw new UserError(`x-aws-loadbalancer must be the ARN of an existing load balancer, got ${JSON.stringify(existing)}.`, {
          where: { path: 'x-aws-loadbalancer' },
          hint: 'convert runs offline and cannot look a name up; copy the ARN from the EC2 console or `aws elbv2 describe-load-balancers`.',
        });
      }
      loadBalancer = { type, scheme: schemeOf(project, true), arn: existing, securityGroup: ref(naming.LOAD_BALANCER_SECURITY_GROUP_PARAMETER), external: true };
    } else {
      loadBalancer = { type, scheme: schemeOf(project, false), arn: ref(naming.LOAD_BALANCER), securityGroup: ref(naming.LOAD_BALANCER_SECURITY_GROUP), external: false };
    }
  }

  const https = httpsSettings(project);
  if (loadBalancer) checkHttpsPorts(project, loadBalancer.type, https, allPublished);

  const volumes = buildVolumeInfos(project, environment, services);
  const serviceFacts = new Map<string, ServiceFacts>();
  const gpuServices = new Map<string, number>();
  for (const s of services) {
    const gpu = gpuReservation(s);
    if (gpu.count > 0) gpuServices.set(s.name, gpu.count);
    serviceFacts.set(s.name, { gpu, volumes: serviceVolumes({ volumes }, s) });
  }

  return {
    project,
    environment,
    volumes,
    gpuServices,
    files,
    serviceFacts,
    services,
    serviceNetworks,
    networks,
    published,
    offered,
    loadBalancer,
    ...(https ? { https } : {}),
    cluster,
    vpc: ref(naming.VPC_PARAMETER),
    subnets: ref(naming.SUBNETS_PARAMETER),
    loadBalancerSubnets: loadBalancerSubnets(environment, loadBalancer),
  };
}
