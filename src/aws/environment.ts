/**
 * What the converter cannot know offline, looked up at `up`: the account, the VPC and subnets
 * (given by x-aws-vpc / x-aws-subnets, else the default VPC and its default subnets), the EFS
 * file systems this project kept from an earlier `down` (found by tags), and a check that every
 * external resource the compose file names (cluster, load balancer, security groups, secrets,
 * file systems) exists, so a typo fails before CloudFormation starts rather than halfway through.
 */
import { UserError } from '../errors.js';
import type { EnvironmentRequest } from '../convert/environment-request.js';
import { TAG_PROJECT as PROJECT_TAG, TAG_VOLUME as VOLUME_TAG } from '../convert/naming.js';
import { isStackMissing, type AwsClients } from './clients.js';
import { stackName } from '../convert/naming.js';
import type { ExistingListener, ExistingLoadBalancer } from './load-balancer-checks.js';
import { checkCertificates } from './certificates.js';
import { subnetEgress } from './subnet-routes.js';
import type { Environment, SubnetFact } from '../convert/environment.js';
import { taskSubnets } from '../convert/subnets.js';

export type { EnvironmentRequest };

export interface ResolvedEnvironment {
  accountId: string;
  region: string;
  vpcId: string;
  subnetIds: string[];
  /** availability zone -> the subnets of `subnetIds` in it (EFS takes one mount target per zone) */
  subnetsByZone: Record<string, string[]>;
  /** every subnet considered (x-aws-subnets, or the VPC's), with its zone and its 0.0.0.0/0 route: the load balancer's subnets and the tasks' public IP come from it */
  subnets?: SubnetFact[];
  /** compose volume name -> file system ID kept from an earlier deployment of this project */
  retainedFileSystems: Record<string, string>;
  /** with x-aws-loadbalancer: the existing load balancer's first security group */
  loadBalancerSecurityGroupId?: string;
  /** with x-aws-loadbalancer: that load balancer, its listeners, and the listeners the project's stack owns */
  existingLoadBalancer?: { loadBalancer: ExistingLoadBalancer; owned: ReadonlySet<string> };
}

/** What the converter is told of the resolved environment (the image ports are added by the caller). */
export function converterEnvironment(env: ResolvedEnvironment): Environment {
  return {
    vpcId: env.vpcId,
    subnetIds: env.subnetIds,
    subnetsByZone: env.subnetsByZone,
    ...(env.subnets ? { subnets: env.subnets } : {}),
    region: env.region,
    existingFileSystems: env.retainedFileSystems,
    ...(env.loadBalancerSecurityGroupId ? { loadBalancerSecurityGroupId: env.loadBalancerSecurityGroupId } : {}),
  };
}

export async function resolveEnvironment(clients: AwsClients, req: EnvironmentRequest): Promise<ResolvedEnvironment> {
  const [accountId, vpc] = await Promise.all([account(clients), resolveVpc(clients, req)]);
  const [retainedFileSystems, , existingLoadBalancer] = await Promise.all([
    retained(clients, req),
    checkCluster(clients, req.cluster),
    checkLoadBalancer(clients, req),
    checkSecurityGroups(clients, req.securityGroups),
    checkSecrets(clients, req.secrets),
    checkFileSystems(clients, req.fileSystems),
    checkCertificates(clients, req.certificates),
  ]);
  return {
    accountId,
    region: clients.region,
    vpcId: vpc.vpcId,
    subnetIds: vpc.subnetIds,
    subnetsByZone: vpc.subnetsByZone,
    subnets: vpc.subnets,
    retainedFileSystems,
    ...(existingLoadBalancer?.loadBalancer.securityGroups[0] ? { loadBalancerSecurityGroupId: existingLoadBalancer.loadBalancer.securityGroups[0] } : {}),
    ...(existingLoadBalancer ? { existingLoadBalancer } : {}),
  };
}

async function account(clients: AwsClients): Promise<string> {
  const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
  const id = await (await clients.sts()).send(new GetCallerIdentityCommand({}));
  if (!id.Account) throw new UserError('AWS did not say which account these credentials belong to.');
  return id.Account;
}

interface ResolvedVpc {
  vpcId: string;
  subnetIds: string[];
  subnetsByZone: Record<string, string[]>;
  subnets?: SubnetFact[];
}

/** The subnets with their zones and routes, and the task subnets among them (convert/subnets.ts decides). */
async function withRoutes(
  clients: AwsClients,
  vpcId: string,
  found: Array<{ SubnetId?: string; AvailabilityZone?: string }>,
  listed: boolean,
): Promise<ResolvedVpc> {
  const known = found.filter((s) => s.SubnetId);
  const egress = await subnetEgress(clients, vpcId, known.map((s) => s.SubnetId!));
  const subnets = known.map((s) => ({ id: s.SubnetId!, zone: s.AvailabilityZone ?? '', egress: egress[s.SubnetId!]! }));
  const subnetIds = taskSubnets(subnets, listed);
  return { vpcId, subnetIds, subnetsByZone: byZone(found, subnetIds), subnets };
}

function byZone(subnets: Array<{ SubnetId?: string; AvailabilityZone?: string }>, ids: readonly string[]): Record<string, string[]> {
  const wanted = new Set(ids);
  const out: Record<string, string[]> = {};
  for (const s of subnets) {
    if (!s.SubnetId || !s.AvailabilityZone || !wanted.has(s.SubnetId)) continue;
    (out[s.AvailabilityZone] ??= []).push(s.SubnetId);
  }
  for (const z of Object.keys(out)) out[z]!.sort();
  return out;
}

async function resolveVpc(clients: AwsClients, req: EnvironmentRequest): Promise<ResolvedVpc> {
  const { DescribeVpcsCommand, DescribeSubnetsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = await clients.ec2();
  let vpcId = req.vpc;
  if (vpcId) {
    const found = await ec2
      .send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))
      .catch((e: { name?: string }) => {
        if (/NotFound|Malformed/i.test(e.name ?? '')) return { Vpcs: [] };
        throw e;
      });
    if (!found.Vpcs?.length) {
      throw new UserError(`x-aws-vpc names VPC "${vpcId}", which does not exist in ${clients.region}.`, {
        hint: 'Check the ID and the region of the Docker context.',
      });
    }
  } else {
    const defaults = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    vpcId = defaults.Vpcs?.[0]?.VpcId;
    if (!vpcId) {
      throw new UserError(`The account has no default VPC in ${clients.region}.`, {
        hint: 'Name one with "x-aws-vpc: vpc-..." at the top level of the compose file.',
      });
    }
  }
  if (req.subnets?.length) {
    const found = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: req.subnets })).catch((e: { name?: string }) => {
      if (/NotFound|Malformed/i.test(e.name ?? '')) return { Subnets: [] };
      throw e;
    });
    const known = new Map((found.Subnets ?? []).map((s) => [s.SubnetId!, s.VpcId]));
    for (const s of req.subnets) {
      if (!known.has(s)) throw new UserError(`x-aws-subnets names subnet "${s}", which does not exist in ${clients.region}.`);
      if (known.get(s) !== vpcId) throw new UserError(`Subnet "${s}" is not in VPC "${vpcId}".`, { hint: 'List subnets of that VPC in x-aws-subnets.' });
    }
    const listed = req.subnets.map((id) => (found.Subnets ?? []).find((s) => s.SubnetId === id)!);
    return withRoutes(clients, vpcId, listed, true);
  }
  const subnets: { SubnetId?: string; AvailabilityZone?: string; DefaultForAz?: boolean }[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken: token }),
    );
    subnets.push(...(page.Subnets ?? []));
    token = page.NextToken;
  } while (token);
  const defaults = subnets.filter((s) => s.DefaultForAz);
  if (!subnets.some((s) => s.SubnetId && s.AvailabilityZone)) {
    throw new UserError(`VPC "${vpcId}" has no subnets.`, { hint: 'Name subnets with "x-aws-subnets" in the compose file.' });
  }
  // the default subnets (public, one per zone) when the VPC has them, else every subnet: the
  // tasks get one per zone (EFS allows one mount target per zone), private ones first, and the
  // load balancer public ones (convert/subnets.ts)
  return withRoutes(clients, vpcId, defaults.length ? defaults : subnets, false);
}

/**
 * Physical ids of the resources the project's live stack manages: a file system it still owns
 * is not "retained", and listing it as such would drop it from the template.
 */
async function stackOwned(clients: AwsClients, stack: string): Promise<Set<string>> {
  const { ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = await clients.cloudFormation();
  const owned = new Set<string>();
  let token: string | undefined;
  try {
    do {
      const page = await cfn.send(new ListStackResourcesCommand({ StackName: stack, NextToken: token }));
      for (const r of page.StackResourceSummaries ?? []) if (r.PhysicalResourceId) owned.add(r.PhysicalResourceId);
      token = page.NextToken;
    } while (token);
  } catch (e) {
    if (!isStackMissing(e)) throw e;
  }
  return owned;
}

async function retained(clients: AwsClients, req: EnvironmentRequest): Promise<Record<string, string>> {
  if (!req.volumes?.length) return {};
  const owned = await stackOwned(clients, stackName(req.project));
  const { DescribeFileSystemsCommand } = await import('@aws-sdk/client-efs');
  const efs = await clients.efs();
  const wanted = new Set(req.volumes);
  const out: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = await efs.send(new DescribeFileSystemsCommand({ Marker: marker }));
    for (const fs of page.FileSystems ?? []) {
      const tags = new Map((fs.Tags ?? []).map((t) => [t.Key, t.Value]));
      const volume = tags.get(VOLUME_TAG);
      if (owned.has(fs.FileSystemId ?? '')) continue;
      if (tags.get(PROJECT_TAG) === req.project && volume && wanted.has(volume) && fs.LifeCycleState === 'available') {
        if (out[volume] && out[volume] !== fs.FileSystemId) {
          throw new UserError(
            `Several EFS file systems are tagged as volume "${volume}" of project ${req.project} (${out[volume]}, ${fs.FileSystemId}); keep one.`,
            { hint: 'Delete or re-tag the others, or name one with "external: true" and its ID as "name".' },
          );
        }
        out[volume] = fs.FileSystemId!;
      }
    }
    marker = page.NextMarker;
  } while (marker);
  return out;
}

async function checkCluster(clients: AwsClients, cluster: string | undefined): Promise<void> {
  if (!cluster) return;
  const { DescribeClustersCommand } = await import('@aws-sdk/client-ecs');
  const res = await (await clients.ecs()).send(new DescribeClustersCommand({ clusters: [cluster] }));
  if (!res.clusters?.some((c) => c.status === 'ACTIVE')) {
    throw new UserError(`x-aws-cluster names cluster "${cluster}", which does not exist or is not active in ${clients.region}.`);
  }
}

async function checkLoadBalancer(clients: AwsClients, req: EnvironmentRequest): Promise<ResolvedEnvironment['existingLoadBalancer']> {
  const lb = req.loadBalancer;
  if (!lb) return undefined;
  const { DescribeLoadBalancersCommand, DescribeListenersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const input = lb.startsWith('arn:') ? { LoadBalancerArns: [lb] } : { Names: [lb] };
  const res = await (await clients.elbv2())
    .send(new DescribeLoadBalancersCommand(input))
    .catch((e: { name?: string }) => {
      if (/LoadBalancerNotFound|ValidationError/.test(e.name ?? '')) return { LoadBalancers: [] };
      throw e;
    });
  const found = res.LoadBalancers?.[0];
  if (!found?.LoadBalancerArn) {
    throw new UserError(`x-aws-loadbalancer names load balancer "${lb}", which does not exist in ${clients.region}.`);
  }
  const listeners: ExistingListener[] = [];
  let marker: string | undefined;
  do {
    const page = await (await clients.elbv2()).send(new DescribeListenersCommand({ LoadBalancerArn: found.LoadBalancerArn, Marker: marker }));
    for (const l of page.Listeners ?? []) if (l.ListenerArn && l.Port !== undefined) listeners.push({ arn: l.ListenerArn, port: l.Port, protocol: l.Protocol ?? '' });
    marker = page.NextMarker;
  } while (marker);
  return {
    loadBalancer: {
      arn: found.LoadBalancerArn,
      name: found.LoadBalancerName ?? lb,
      type: found.Type ?? 'application',
      securityGroups: found.SecurityGroups ?? [],
      listeners,
    },
    owned: await stackOwned(clients, stackName(req.project)),
  };
}

async function checkSecurityGroups(clients: AwsClients, groups: string[] | undefined): Promise<void> {
  if (!groups?.length) return;
  const { DescribeSecurityGroupsCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = await clients.ec2();
  for (const g of groups) {
    const res = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [g] })).catch((e: { name?: string }) => {
      if (/NotFound|Malformed/i.test(e.name ?? '')) return { SecurityGroups: [] };
      throw e;
    });
    if (!res.SecurityGroups?.length) throw new UserError(`Security group "${g}" does not exist in ${clients.region}.`);
  }
}

async function checkSecrets(clients: AwsClients, secrets: string[] | undefined): Promise<void> {
  if (!secrets?.length) return;
  const { DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
  const sm = await clients.secretsManager();
  for (const s of secrets) {
    await sm.send(new DescribeSecretCommand({ SecretId: s })).catch((e: { name?: string }) => {
      if (e.name === 'ResourceNotFoundException') {
        throw new UserError(`Secret "${s}" does not exist in Secrets Manager in ${clients.region}.`, {
          hint: 'Create it first, or check the name and the region of the Docker context.',
        });
      }
      throw e;
    });
  }
}

async function checkFileSystems(clients: AwsClients, ids: string[] | undefined): Promise<void> {
  if (!ids?.length) return;
  const { DescribeFileSystemsCommand } = await import('@aws-sdk/client-efs');
  const efs = await clients.efs();
  for (const id of ids) {
    await efs.send(new DescribeFileSystemsCommand({ FileSystemId: id })).catch((e: { name?: string }) => {
      if (e.name === 'FileSystemNotFound') throw new UserError(`EFS file system "${id}" does not exist in ${clients.region}.`);
      throw e;
    });
  }
}
