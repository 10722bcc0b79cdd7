/**
 * The stack as `up` and `down` find it: whether it exists and is ours, waiting while another
 * operation runs on it, the paging boundary of its events, replacing a stack a failed first
 * create left behind, and the owners of the resources it holds.
 */
import { DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeployFailed, UserError } from '../errors.js';
import type { Template } from '../cloudformation/template.js';
import { TAG_PROJECT as PROJECT_TAG } from '../convert/naming.js';
import { isStackMissing } from './clients.js';
import { interrupted, type Ctx } from './operation.js';
import { resourceOwners, type ResourceOwners } from './template-facts.js';
import { deployedTemplate } from './project-stack.js';
import { nextDelay } from './timing.js';

/** Statuses a stack cannot leave by itself and that block both create and update. */
export const STUCK = new Set(['ROLLBACK_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED', 'IMPORT_ROLLBACK_FAILED']);
/** Statuses of a stack that has no resources worth keeping: replaced by `up` after a notice. */
export const REPLACEABLE = new Set(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']);

export interface StackInfo {
  stackId: string;
  status: string;
  /** the stack's `com.docker.compose.project` tag: the project it belongs to, if docker ecs made it */
  project?: string;
}

export async function describeStack(cfn: CloudFormationClient, name: string): Promise<StackInfo | undefined> {
  try {
    const res = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const s = res.Stacks?.[0];
    if (!s?.StackId || !s.StackStatus || s.StackStatus === 'DELETE_COMPLETE') return undefined;
    const project = (s.Tags ?? []).find((t) => t.Key === PROJECT_TAG)?.Value;
    return { stackId: s.StackId, status: s.StackStatus, ...(project !== undefined ? { project } : {}) };
  } catch (e) {
    // only "does not exist" means absent; auth or throttling errors must not lead to a create
    if (isStackMissing(e)) return undefined;
    throw e;
  }
}

/** A stack with the project's name that docker ecs did not create is never updated or deleted. */
export function checkOwnership(ctx: Ctx, info: StackInfo | undefined): void {
  if (info && info.project !== ctx.project) {
    const owner = info.project === undefined ? `it has no ${PROJECT_TAG}=${ctx.project} tag` : `it belongs to compose project ${info.project}`;
    throw new UserError(
      `Stack ${ctx.stack} exists in ${ctx.clients.region} but does not belong to compose project ${ctx.project} (${owner}), so it is left alone.`,
      { hint: 'Choose another project name with -p, or remove that stack yourself if it is an old one of yours.' },
    );
  }
}

export function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** Waits while another operation runs on the stack; returns its settled state (or undefined once gone). */
export async function waitUntilSettled(ctx: Ctx, info: StackInfo | undefined): Promise<StackInfo | undefined> {
  let told = false;
  while (info && isBusy(info.status)) {
    if (!told) {
      ctx.emit({
        kind: 'notice',
        level: 'info',
        message: `Stack ${ctx.stack} is busy (${info.status}); waiting for that operation to finish.`,
      });
      told = true;
    }
    await ctx.timing.sleep(nextDelay(ctx.busyInterval, 0, ctx.timing.random), ctx.signal);
    if (ctx.signal.aborted) {
      interrupted(ctx, 'Stopped waiting. Nothing was changed by this command.', info.stackId);
    }
    info = await describeStack(ctx.cfn, info.stackId);
  }
  return info;
}

/** The newest event before our operation: the poller's paging boundary. */
export async function newestEventId(cfn: CloudFormationClient, stackId: string): Promise<string | undefined> {
  const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
  return page.StackEvents?.[0]?.EventId;
}

/** Deletes a stack that has nothing worth keeping (ROLLBACK_COMPLETE, REVIEW_IN_PROGRESS) and waits until it is gone. */
export async function replaceFailedStack(ctx: Ctx, info: StackInfo): Promise<void> {
  ctx.emit({
    kind: 'notice',
    level: 'warning',
    message:
      info.status === 'ROLLBACK_COMPLETE'
        ? `Stack ${ctx.stack} was left in ROLLBACK_COMPLETE by a failed first deployment and cannot be updated; deleting it and creating it again.`
        : `Stack ${ctx.stack} is ${info.status} with no resources; deleting it and creating it again.`,
  });
  await ctx.cfn.send(new DeleteStackCommand({ StackName: info.stackId, ClientRequestToken: `docker-ecs-${ctx.newId()}` }));
  for (;;) {
    await ctx.timing.sleep(nextDelay(ctx.busyInterval, 0, ctx.timing.random), ctx.signal);
    if (ctx.signal.aborted) interrupted(ctx, 'Stopped watching the deletion of the failed stack; it goes on in AWS.', info.stackId);
    const res = await ctx.cfn.send(new DescribeStacksCommand({ StackName: info.stackId })).catch((e) => {
      if (isStackMissing(e)) return { Stacks: [] };
      throw e;
    });
    const status = res.Stacks?.[0]?.StackStatus;
    if (!status || status === 'DELETE_COMPLETE') return;
    if (status === 'DELETE_FAILED') {
      throw new DeployFailed(
        `Could not delete the failed stack ${ctx.stack} (${res.Stacks?.[0]?.StackStatusReason ?? 'DELETE_FAILED'}).`,
      );
    }
  }
}

/** Reads the deployed template to group resources by service; best effort. */
export async function deployedOwners(cfn: CloudFormationClient, stackId: string): Promise<ResourceOwners> {
  try {
    return resourceOwners(await deployedTemplate(cfn, stackId));
  } catch {
    return resourceOwners(undefined);
  }
}
