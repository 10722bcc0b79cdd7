/**
 * The change set of an update, made to behave like `docker compose up` before `up` executes or
 * shows it:
 *
 * 1. Secret revisions. A file secret's value reaches its services only when a task starts, and a
 *    changed value changes no task definition (the secret's ARN stays). Each file secret has a
 *    revision parameter that its services' init containers carry as a label. It keeps its previous
 *    value (UsePreviousValue), so nothing restarts; when the change set shows that the secret
 *    itself changes, the change set is made again with a new random revision for it, and the
 *    services that read it roll out new tasks after the secret is updated. The marker is random:
 *    no value, and no digest of one, is written anywhere.
 * 2. Refusals (update-guards.ts): replaced EFS file systems, mount-target moves inside a zone.
 *    The change set is deleted and `up` stops with the reason.
 * 3. Replaced ECS services that hold Service Connect names: the result says which, with the
 *    deployed template, for `up` to free the names first (service-connect-replacement.ts).
 */
import {
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { UserError } from '../errors.js';
import type { Template, Value } from '../cloudformation/template.js';
import { deleteChangeSet, prepareChangeSet, type ChangeSetInput, type ChangeSetResult } from './change-set.js';
import type { AwsClients } from './clients.js';
import type { PlannedChange } from './events.js';
import type { PollInterval, Timing } from './timing.js';
import { updateRefusals, type ExistingMountTarget } from './update-guards.js';
import { serviceConnectReplacements, type NameRelease } from './service-connect-replacement.js';
import { deployedTemplate } from './project-stack.js';

/** A prepared update; `release` when replaced services must first give up their Service Connect names. */
export type UpdateResult = Exclude<ChangeSetResult, { kind: 'ready' }> | (Extract<ChangeSetResult, { kind: 'ready' }> & { release?: NameRelease });

const REVISION_SUFFIX = 'SecretRevision';

/** Revision parameter -> the logical ID of the AWS::SecretsManager::Secret it follows. */
export function secretRevisions(template: Template): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of Object.keys(template.Parameters ?? {}).sort()) {
    if (!name.endsWith(REVISION_SUFFIX)) continue;
    const secret = `${name.slice(0, -REVISION_SUFFIX.length)}Secret`;
    if (template.Resources[secret]?.Type === 'AWS::SecretsManager::Secret') out.set(name, secret);
  }
  return out;
}

/** First deployment: every revision starts with a fresh random marker. */
export function initialRevisions(template: Template, newId: () => string): Record<string, string> {
  return Object.fromEntries([...secretRevisions(template).keys()].map((p) => [p, newId()]));
}

export interface UpdateInput extends Omit<ChangeSetInput, 'previousValues'> {
  /** the template being deployed, as data */
  next: Template;
  /** subnet id -> zone, for the subnets the template uses */
  subnetsByZone: Record<string, string[]>;
  newId: () => string;
}

export interface UpdateDeps {
  cfn: CloudFormationClient;
  clients: AwsClients;
  timing: Timing;
  signal?: AbortSignal;
  interval?: PollInterval;
}

async function deployedParameters(cfn: CloudFormationClient, stack: string): Promise<Set<string>> {
  const res = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
  return new Set((res.Stacks?.[0]?.Parameters ?? []).map((p) => p.ParameterKey!).filter(Boolean));
}

/** Existing mount targets of the file systems that would get a new mount target. */
async function mountTargetsOf(d: UpdateDeps, stack: string, plan: readonly PlannedChange[], next: Template): Promise<Map<string, ExistingMountTarget[]>> {
  const keys = new Set<string>();
  for (const c of plan) {
    if (c.resourceType !== 'AWS::EFS::MountTarget' || c.action === 'remove') continue;
    const fs = (next.Resources[c.logicalId]?.Properties as Record<string, Value> | undefined)?.FileSystemId;
    if (typeof fs === 'string') keys.add(fs);
    else if (fs && typeof fs === 'object' && !Array.isArray(fs) && typeof (fs as Record<string, Value>).Ref === 'string') keys.add((fs as Record<string, Value>).Ref as string);
  }
  const out = new Map<string, ExistingMountTarget[]>();
  if (keys.size === 0) return out;
  const { DescribeMountTargetsCommand } = await import('@aws-sdk/client-efs');
  const efs = await d.clients.efs();
  for (const key of [...keys].sort()) {
    let id = key;
    if (!key.startsWith('fs-')) {
      const res = await d.cfn
        .send(new DescribeStackResourceCommand({ StackName: stack, LogicalResourceId: key }))
        .catch(() => undefined);
      const physical = res?.StackResourceDetail?.PhysicalResourceId;
      if (!physical) continue; // a file system this update creates has no mount targets yet
      id = physical;
    }
    const res = await efs.send(new DescribeMountTargetsCommand({ FileSystemId: id })).catch(() => undefined);
    out.set(
      key,
      (res?.MountTargets ?? []).flatMap((m) => (m.AvailabilityZoneName && m.SubnetId ? [{ zone: m.AvailabilityZoneName, subnet: m.SubnetId }] : [])),
    );
  }
  return out;
}

/** Secrets whose resource the change set modifies (a new value, or a new KMS key). */
function changedSecrets(plan: readonly PlannedChange[], revisions: Map<string, string>): string[] {
  const modified = new Set(plan.filter((c) => c.action === 'modify' && c.resourceType === 'AWS::SecretsManager::Secret').map((c) => c.logicalId));
  return [...revisions.entries()].filter(([, secret]) => modified.has(secret)).map(([param]) => param);
}

/**
 * Prepares the update's change set (secret revisions applied) and refuses it, deleted, when it
 * would lose track of data or fail half-way. A `ready` result is the caller's to execute or delete.
 */
export async function prepareUpdate(d: UpdateDeps, input: UpdateInput): Promise<UpdateResult> {
  const revisions = secretRevisions(input.next);
  const existing = revisions.size > 0 ? await deployedParameters(d.cfn, input.stackName) : new Set<string>();
  const values: Record<string, string> = { ...input.parameters };
  const previous: string[] = [];
  for (const p of revisions.keys()) {
    if (existing.has(p)) previous.push(p);
    else values[p] = input.newId();
  }
  const o = { timing: d.timing, ...(d.signal ? { signal: d.signal } : {}), ...(d.interval ? { interval: d.interval } : {}) };
  const { next: _next, subnetsByZone: _zones, newId: _id, ...changeSet } = input;
  let result = await prepareChangeSet(d.cfn, { ...changeSet, parameters: values, previousValues: previous }, o);
  if (result.kind !== 'ready') return result;

  const renew = changedSecrets(result.plan, revisions).filter((p) => previous.includes(p));
  if (renew.length > 0) {
    await deleteChangeSet(d.cfn, result.arn);
    for (const p of renew) values[p] = input.newId();
    result = await prepareChangeSet(
      d.cfn,
      {
        ...changeSet,
        changeSetName: `${input.changeSetName}-secrets`,
        clientToken: `${input.clientToken}-secrets`,
        parameters: values,
        previousValues: previous.filter((p) => !renew.includes(p)),
      },
      o,
    );
    if (result.kind !== 'ready') return result;
  }

  const zoneOfSubnet: Record<string, string> = {};
  for (const [zone, subnets] of Object.entries(input.subnetsByZone)) for (const s of subnets) zoneOfSubnet[s] = zone;
  const needsDeployed = result.plan.some((c) => c.action === 'modify' && c.replacement !== 'no');
  const deployed = needsDeployed ? await deployedTemplate(d.cfn, input.stackName) : undefined;
  const refusals = updateRefusals({
    plan: result.plan,
    ...(deployed ? { deployed } : {}),
    next: input.next,
    mountTargets: await mountTargetsOf(d, input.stackName, result.plan, input.next),
    zoneOfSubnet,
  });
  if (refusals.length > 0) {
    await deleteChangeSet(d.cfn, result.arn).catch(() => undefined);
    throw new UserError(refusals.join('\n'), { hint: 'Nothing was changed.', multiline: true });
  }
  const replaced = deployed ? serviceConnectReplacements(result.plan, deployed) : [];
  return replaced.length > 0 && deployed ? { ...result, release: { deployed, replaced } } : result;
}
