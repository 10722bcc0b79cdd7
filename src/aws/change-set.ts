/**
 * The change set lifecycle: create with a client token, wait, read every page of the plan, and
 * answer with a union. "No changes" is recognised from status FAILED plus CloudFormation's known
 * reason, never from an empty change list (an outputs-only change has no resource changes).
 * A change set that will not be executed is deleted here (no-changes, failed, aborted) so the
 * stack stays under CloudFormation's per-stack limit; a `ready` one is the caller's to execute
 * or delete.
 */
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  type CloudFormationClient,
  type DescribeChangeSetCommandOutput,
  type Change,
} from '@aws-sdk/client-cloudformation';
import type { PlannedChange } from './events.js';
import type { Template } from '../cloudformation/template.js';
import { Backoff } from './backoff.js';
import { DEFAULT_POLL_INTERVAL, type PollInterval, type Timing } from './timing.js';

export type TemplateSource = { body: string } | { url: string };

export type Capability = 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM';

/** IAM resource types and the property that gives one a custom name (empty: they cannot be named). */
const IAM_NAME_PROPERTY: Record<string, string> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::InstanceProfile': 'InstanceProfileName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::User': 'UserName',
  'AWS::IAM::Group': 'GroupName',
  'AWS::IAM::Policy': '',
  'AWS::IAM::AccessKey': '',
};

/**
 * The least capability the template needs: CAPABILITY_NAMED_IAM only when an IAM resource has a
 * custom name (an x-aws-cloudformation overlay may give one), else CAPABILITY_IAM ("If you have IAM
 * resources, you can specify either capability. If you have IAM resources with custom names, you
 * must specify CAPABILITY_NAMED_IAM": CreateStack, Capabilities, CloudFormation API reference).
 */
export function capabilitiesFor(template: Template): Capability[] {
  const named = Object.values(template.Resources ?? {}).some((r) => {
    const prop = IAM_NAME_PROPERTY[r.Type];
    return prop !== undefined && prop !== '' && (r.Properties as Record<string, unknown> | undefined)?.[prop] !== undefined;
  });
  return [named ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM'];
}

export interface ChangeSetInput {
  stackName: string;
  changeSetName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  template: TemplateSource;
  parameters: Record<string, string>;
  /** parameters that keep the value the stack has (UsePreviousValue) */
  previousValues?: readonly string[];
  tags: Record<string, string>;
  clientToken: string;
  capabilities: readonly Capability[];
}

export type ChangeSetResult =
  | { kind: 'no-changes' }
  | { kind: 'ready'; arn: string; stackId: string; plan: PlannedChange[]; creationTime?: Date }
  | { kind: 'failed'; reason: string };

const NO_CHANGES = [/didn't contain changes/i, /No updates are to be performed/i];

export function isNoChangesReason(reason: string | undefined): boolean {
  return NO_CHANGES.some((r) => r.test(reason ?? ''));
}

export function parameterList(parameters: Record<string, string>): { ParameterKey: string; ParameterValue: string }[] {
  return Object.keys(parameters)
    .sort()
    .map((k) => ({ ParameterKey: k, ParameterValue: parameters[k]! }));
}

export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.keys(tags)
    .sort()
    .map((k) => ({ Key: k, Value: tags[k]! }));
}

export function templateArgs(t: TemplateSource): { TemplateBody: string } | { TemplateURL: string } {
  return 'body' in t ? { TemplateBody: t.body } : { TemplateURL: t.url };
}

function plannedChange(c: Change): PlannedChange | undefined {
  const rc = c.ResourceChange;
  if (!rc?.LogicalResourceId) return undefined;
  const actions: Record<string, PlannedChange['action']> = {
    Add: 'add',
    Modify: 'modify',
    Remove: 'remove',
    Import: 'import',
    Dynamic: 'dynamic',
  };
  const action = actions[rc.Action ?? ''];
  if (!action) return undefined;
  const replacement = rc.Replacement === 'True' ? 'yes' : rc.Replacement === 'Conditional' ? 'conditional' : 'no';
  return {
    action,
    logicalId: rc.LogicalResourceId,
    resourceType: rc.ResourceType ?? '',
    ...(action === 'modify' ? { replacement } : {}),
  };
}

export async function deleteChangeSet(cfn: CloudFormationClient, arn: string): Promise<void> {
  await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: arn }));
}

export async function prepareChangeSet(
  cfn: CloudFormationClient,
  input: ChangeSetInput,
  o: { timing: Timing; signal?: AbortSignal; interval?: PollInterval },
): Promise<ChangeSetResult> {
  const created = await cfn.send(
    new CreateChangeSetCommand({
      StackName: input.stackName,
      ChangeSetName: input.changeSetName,
      ChangeSetType: input.changeSetType,
      ...templateArgs(input.template),
      Parameters: [
        ...parameterList(input.parameters),
        ...[...(input.previousValues ?? [])].sort().map((k) => ({ ParameterKey: k, UsePreviousValue: true })),
      ],
      Capabilities: [...input.capabilities],
      Tags: tagList(input.tags),
      ClientToken: input.clientToken,
    }),
  );
  // From here on the ARN names the change set, never the name (names are reused across stacks).
  const arn = created.Id!;
  let keep = false;
  try {
    const backoff = new Backoff(o.timing, o.interval ?? DEFAULT_POLL_INTERVAL);
    let first: DescribeChangeSetCommandOutput;
    for (;;) {
      const described = await backoff.attempt(() => cfn.send(new DescribeChangeSetCommand({ ChangeSetName: arn })));
      if (described.ok) {
        first = described.value;
        if (first.Status !== 'CREATE_PENDING' && first.Status !== 'CREATE_IN_PROGRESS') break;
      }
      if (o.signal?.aborted) return { kind: 'failed', reason: 'interrupted while the change set was being created' };
      await o.timing.sleep(described.ok ? backoff.pause() : described.retryInMs, o.signal);
    }
    if (first.Status === 'FAILED') {
      if (isNoChangesReason(first.StatusReason)) return { kind: 'no-changes' };
      return { kind: 'failed', reason: first.StatusReason ?? 'the change set could not be created' };
    }
    if (first.ExecutionStatus && first.ExecutionStatus !== 'AVAILABLE') {
      return { kind: 'failed', reason: `the change set cannot be executed (${first.ExecutionStatus})` };
    }
    const plan: PlannedChange[] = [];
    let page: DescribeChangeSetCommandOutput = first;
    for (;;) {
      for (const c of page.Changes ?? []) {
        const p = plannedChange(c);
        if (p) plan.push(p);
      }
      if (!page.NextToken) break;
      page = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: arn, NextToken: page.NextToken }));
    }
    keep = true;
    return {
      kind: 'ready',
      arn,
      stackId: first.StackId ?? created.StackId ?? input.stackName,
      plan,
      ...(first.CreationTime ? { creationTime: first.CreationTime } : {}),
    };
  } finally {
    if (!keep) await deleteChangeSet(cfn, arn).catch(() => undefined);
  }
}
