/**
 * What `ps` and `logs` read back from a project's stack: its resources (ListStackResources, every
 * page), and from them the cluster, the ECS services and the compose service names. Only the
 * project name is needed, so both commands work with `-p NAME` and no compose file.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { isStackMissing } from './clients.js';
import { stackName, taskFamily } from '../convert/naming.js';
import { UserError } from '../errors.js';
import { byCodeUnit } from '../convert/code-unit-order.js';
import type { Template } from '../cloudformation/template.js';
import { resourceOwners } from './template-facts.js';

export interface StackResource {
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
}

/** Every resource of the stack, or `undefined` when no stack has that name. */
export async function listStackResources(cfn: CloudFormationClient, stackName: string): Promise<StackResource[] | undefined> {
  const { ListStackResourcesCommand } = await import('@aws-sdk/client-cloudformation');
  const out: StackResource[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: token }));
    } catch (e) {
      if (isStackMissing(e)) return undefined;
      throw e;
    }
    for (const r of page.StackResourceSummaries ?? []) {
      if (!r.PhysicalResourceId || !r.LogicalResourceId || !r.ResourceType) continue;
      out.push({ logicalId: r.LogicalResourceId, physicalId: r.PhysicalResourceId, type: r.ResourceType, status: r.ResourceStatus ?? '' });
    }
    token = page.NextToken;
  } while (token);
  return out;
}

/** The ARN's resource part after `service/`: `[cluster, service]` for long ARNs, `[service]` for old ones. */
function serviceArnParts(arn: string): string[] {
  const at = arn.indexOf(':service/');
  return at < 0 ? [] : arn.slice(at + ':service/'.length).split('/');
}

/**
 * The cluster the project's services run in: the stack's own `AWS::ECS::Cluster`, else (with
 * `x-aws-cluster`, an existing cluster) the one named in the services' long-format ARNs.
 */
export function clusterOf(resources: readonly StackResource[]): { cluster: string; owned: boolean } | undefined {
  const own = resources.find((r) => r.type === 'AWS::ECS::Cluster');
  if (own) return { cluster: own.physicalId, owned: true };
  for (const r of resources) {
    if (r.type !== 'AWS::ECS::Service') continue;
    const parts = serviceArnParts(r.physicalId);
    if (parts.length === 2) return { cluster: parts[0]!, owned: false };
  }
  return undefined;
}

/**
 * The project's cluster: the stack's own, the one its services run on, else the one its template
 * metadata names (an `x-aws-cluster` project whose service ARNs do not name the cluster, or one
 * of one-shot jobs only, which has no ECS service).
 */
export async function projectCluster(cfn: CloudFormationClient, project: string, resources: readonly StackResource[]): Promise<{ cluster: string; owned: boolean }> {
  const located = clusterOf(resources);
  if (located) return located;
  const { GetTemplateSummaryCommand } = await import('@aws-sdk/client-cloudformation');
  const res = await cfn.send(new GetTemplateSummaryCommand({ StackName: stackName(project) }));
  let cluster: unknown;
  try {
    cluster = (JSON.parse(res.Metadata ?? '{}') as { Cluster?: unknown }).Cluster;
  } catch {
    // no metadata of ours: no cluster named there
  }
  if (typeof cluster === 'string') return { cluster, owned: false };
  throw new UserError(`Stack ${project} names no ECS cluster (no Cluster resource, and none in its services' ARNs or template metadata); check that it was deployed by docker ecs.`);
}

/** The ECS services' ARNs, in logical-id order. */
export function ecsServicesOf(resources: readonly StackResource[]): string[] {
  return resources
    .filter((r) => r.type === 'AWS::ECS::Service')
    .sort((a, b) => (a.logicalId < b.logicalId ? -1 : 1))
    .map((r) => r.physicalId);
}

/**
 * Compose service names from the task definitions' families (naming.taskFamily, `<project>-<service>`
 * made a valid ECS name), sorted. Needs no ECS call. A family is the ECS form of the name
 * (`web.front` gives `shop-web-front`): a candidate compose name whose family it is wins, else the
 * name read from the family is the best there is.
 */
export function composeServicesOf(resources: readonly StackResource[], project: string, candidates: readonly string[] = []): string[] {
  const byFamily = new Map(candidates.map((c) => [taskFamily(project, c), c]));
  const names = new Set<string>();
  for (const r of resources) {
    if (r.type !== 'AWS::ECS::TaskDefinition') continue;
    const family = /:task-definition\/(.+):\d+$/.exec(r.physicalId)?.[1];
    if (!family) continue;
    const known = byFamily.get(family);
    if (known !== undefined) names.add(known);
    else if (family.startsWith(`${project}-`)) names.add(family.slice(project.length + 1));
  }
  return [...names].sort(byCodeUnit);
}

/** The stack's deployed template as it was sent (JSON or YAML); undefined when it cannot be read. */
export async function deployedTemplate(cfn: CloudFormationClient, stackName: string): Promise<Template | undefined> {
  const { GetTemplateCommand } = await import('@aws-sdk/client-cloudformation');
  try {
    const body = (await cfn.send(new GetTemplateCommand({ StackName: stackName, TemplateStage: 'Original' }))).TemplateBody ?? '';
    try {
      return JSON.parse(body) as Template;
    } catch {
      const { parse } = await import('yaml');
      return parse(body, { logLevel: 'silent' }) as Template;
    }
  } catch {
    return undefined;
  }
}

/**
 * The compose service names the deployed template records (each resource's owner metadata or
 * service tag, as the converter writes them); empty when the template cannot be read.
 */
export async function deployedServiceNames(cfn: CloudFormationClient, stackName: string): Promise<string[]> {
  try {
    return resourceOwners(await deployedTemplate(cfn, stackName)).services;
  } catch {
    return [];
  }
}
