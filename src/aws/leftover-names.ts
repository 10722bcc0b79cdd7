/**
 * Before a new stack is created: the fixed names the template gives its resources (the Cloud Map
 * namespace `<project>.local`, the log group `/docker-compose/<project>`, the cluster `<project>`)
 * must not be taken by leftovers of an earlier deployment (a partial `down`, a resource kept by
 * hand, another tool). CloudFormation would otherwise fail the create half-way and roll back:
 *
 * - a private hosted zone of the namespace's name already associated with the VPC: Route 53
 *   refuses the namespace's zone (`ConflictingDomainExists`, Route 53 API reference,
 *   CreateHostedZone errors); Cloud Map namespaces make such zones, so we look through Route 53
 *   (ListHostedZonesByVPC) and name the namespace (Cloud Map ListNamespaces) when it owns the zone;
 * - a log group of that name: CloudFormation's create handler fails with `AlreadyExists`;
 * - an ACTIVE cluster of that name: `AWS::ECS::Cluster` is a registry resource, and the resource
 *   type handler contract makes a create of an existing identifier fail with `AlreadyExists`
 *   (CloudFormation CLI user guide, "Resource type handler contract", contract_create_create).
 *   An INACTIVE cluster (deleted, still listed for a while) is no obstacle.
 *
 * Every leftover is reported at once with the AWS CLI command that removes it; nothing is changed.
 */
import { UserError } from '../errors.js';
import type { Template } from '../cloudformation/template.js';
import type { AwsClients } from './clients.js';
import { byCodeUnit } from '../convert/code-unit-order.js';

export interface Leftover {
  kind: 'namespace' | 'hosted-zone' | 'log-group' | 'cluster';
  name: string;
  /** the AWS CLI command(s) that remove it */
  cleanup: string;
}

interface FixedNames {
  namespaces: Array<{ name: string; vpcId: string }>;
  logGroups: string[];
  clusters: string[];
}

/** The literal names the template fixes, with Refs to its parameters resolved. */
export function fixedNames(template: Template, parameters: Record<string, string>, vpcId: string): FixedNames {
  const value = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    const ref = v && typeof v === 'object' ? (v as { Ref?: unknown }).Ref : undefined;
    if (typeof ref === 'string') return parameters[ref] ?? (template.Parameters?.[ref]?.Default as string | undefined);
    return undefined;
  };
  const out: FixedNames = { namespaces: [], logGroups: [], clusters: [] };
  for (const id of Object.keys(template.Resources).sort(byCodeUnit)) {
    const r = template.Resources[id]!;
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    if (r.Type === 'AWS::ServiceDiscovery::PrivateDnsNamespace') {
      const name = value(p.Name);
      if (name) out.namespaces.push({ name, vpcId: value(p.Vpc) ?? vpcId });
    } else if (r.Type === 'AWS::Logs::LogGroup') {
      const name = value(p.LogGroupName);
      if (name) out.logGroups.push(name);
    } else if (r.Type === 'AWS::ECS::Cluster') {
      const name = value(p.ClusterName);
      if (name) out.clusters.push(name);
    }
  }
  return out;
}

/** DNS names compare without the trailing dot and case (Route 53 answers `shop.local.`). */
const dnsName = (n: string): string => n.replace(/\.$/, '').toLowerCase();

export async function findLeftovers(clients: AwsClients, names: FixedNames): Promise<Leftover[]> {
  const region = clients.region;
  const found = await Promise.all([
    ...names.namespaces.map((ns) => namespaceLeftovers(clients, ns, region)),
    ...names.logGroups.map((g) => logGroupLeftover(clients, g, region)),
    ...(names.clusters.length > 0 ? [clusterLeftovers(clients, names.clusters, region)] : []),
  ]);
  return found.flat();
}

async function namespaceLeftovers(clients: AwsClients, ns: { name: string; vpcId: string }, region: string): Promise<Leftover[]> {
  const { ListHostedZonesByVPCCommand } = await import('@aws-sdk/client-route-53');
  const route53 = await clients.route53();
  const zones: Array<{ id: string; owner?: string }> = [];
  let token: string | undefined;
  do {
    const page = await route53.send(new ListHostedZonesByVPCCommand({ VPCId: ns.vpcId, VPCRegion: region as never, ...(token ? { NextToken: token } : {}) }));
    for (const z of page?.HostedZoneSummaries ?? []) {
      if (z.Name && z.HostedZoneId && dnsName(z.Name) === dnsName(ns.name)) {
        zones.push({ id: z.HostedZoneId, ...(z.Owner?.OwningService ? { owner: z.Owner.OwningService } : {}) });
      }
    }
    token = page?.NextToken;
  } while (token);
  if (zones.length === 0) return [];
  const namespaces = zones.some((z) => z.owner?.startsWith('servicediscovery')) ? await cloudMapNamespaces(clients, ns.name) : [];
  return zones.map((z): Leftover => {
    const owner = namespaces.find((n) => n.hostedZoneId === z.id);
    if (owner) {
      return {
        kind: 'namespace',
        name: ns.name,
        cleanup: `aws servicediscovery delete-namespace --id ${owner.id} --region ${region} (after deleting its services: aws servicediscovery list-services --filters Name=NAMESPACE_ID,Values=${owner.id},Condition=EQ --region ${region})`,
      };
    }
    return {
      kind: 'hosted-zone',
      name: ns.name,
      cleanup: `aws route53 delete-hosted-zone --id ${z.id} (after deleting its records), or aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id ${z.id} --vpc VPCRegion=${region},VPCId=${ns.vpcId}`,
    };
  });
}

async function cloudMapNamespaces(clients: AwsClients, name: string): Promise<Array<{ id: string; hostedZoneId?: string }>> {
  const { ListNamespacesCommand } = await import('@aws-sdk/client-servicediscovery');
  const sd = await clients.serviceDiscovery();
  const out: Array<{ id: string; hostedZoneId?: string }> = [];
  let token: string | undefined;
  do {
    const page = await sd.send(
      new ListNamespacesCommand({ Filters: [{ Name: 'NAME', Values: [name], Condition: 'EQ' }], ...(token ? { NextToken: token } : {}) }),
    );
    for (const n of page?.Namespaces ?? []) {
      if (!n.Id) continue;
      const zone = n.Properties?.DnsProperties?.HostedZoneId;
      out.push({ id: n.Id, ...(zone ? { hostedZoneId: zone } : {}) });
    }
    token = page?.NextToken;
  } while (token);
  return out;
}

async function logGroupLeftover(clients: AwsClients, name: string, region: string): Promise<Leftover[]> {
  const { DescribeLogGroupsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
  const logs = await clients.logs();
  const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }));
  // a prefix search: only the exact name collides
  if (!(page?.logGroups ?? []).some((g) => g.logGroupName === name)) return [];
  return [{ kind: 'log-group', name, cleanup: `aws logs delete-log-group --log-group-name ${name} --region ${region}` }];
}

async function clusterLeftovers(clients: AwsClients, names: string[], region: string): Promise<Leftover[]> {
  const { DescribeClustersCommand } = await import('@aws-sdk/client-ecs');
  const ecs = await clients.ecs();
  const page = await ecs.send(new DescribeClustersCommand({ clusters: names }));
  return (page?.clusters ?? [])
    .filter((c) => c.status === 'ACTIVE' && c.clusterName && names.includes(c.clusterName))
    .map((c) => ({
      kind: 'cluster' as const,
      name: c.clusterName!,
      cleanup: `aws ecs delete-cluster --cluster ${c.clusterName} --region ${region} (after deleting its services and stopping its tasks)`,
    }));
}

const WHAT: Record<Leftover['kind'], string> = {
  namespace: 'Cloud Map namespace',
  'hosted-zone': 'Route 53 private hosted zone',
  'log-group': 'CloudWatch log group',
  cluster: 'ECS cluster',
};

/**
 * Refuses to create stack `stack` while leftovers hold its names: one line per leftover with the
 * command that removes it. Called only when `up` is about to create a new stack (or dry-run one).
 */
export async function refuseLeftovers(clients: AwsClients, stack: string, template: Template, parameters: Record<string, string>, vpcId: string): Promise<void> {
  const leftovers = await findLeftovers(clients, fixedNames(template, parameters, vpcId));
  if (leftovers.length === 0) return;
  const lines = leftovers.map((l) => `  ${WHAT[l.kind]} ${l.name}: ${l.cleanup}`);
  throw new UserError(
    [
      `Stack ${stack} cannot be created in ${clients.region}: ${leftovers.length === 1 ? 'a resource left from an earlier deployment holds a name' : `${leftovers.length} resources left from an earlier deployment hold names`} it needs. Remove ${leftovers.length === 1 ? 'it' : 'them'}, then run up again:`,
      ...lines,
    ].join('\n'),
    { multiline: true },
  );
}
