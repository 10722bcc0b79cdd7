/**
 * `down`, as a straight sequence of steps:
 *
 *   find the stack (ours? busy?) -> owners from the deployed template -> delete (unless a deletion
 *   already runs) -> watch (one event stream) -> conclude from the events -> report what was kept
 */
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { explainingAwsErrors } from './aws-errors.js';
import type { DeployDeps, DownInput, DownResult } from './deploy.js';
import type { DeploySink } from './events.js';
import { finish, interrupted, operationContext, stackFailed, watched } from './operation.js';
import { conclude } from './outcome.js';
import { emptyGpuCapacity } from './gpu-teardown.js';
import { checkOwnership, deployedOwners, describeStack, newestEventId, waitUntilSettled } from './stack.js';

export function down(input: DownInput, deps: DeployDeps, sink: DeploySink): Promise<DownResult> {
  return explainingAwsErrors(deps.clients.region, () => downUnexplained(input, deps, sink));
}

async function downUnexplained(input: DownInput, deps: DeployDeps, sink: DeploySink): Promise<DownResult> {
  const cfn = await deps.clients.cloudFormation();
  const ctx = operationContext(input.project, deps, sink, cfn);
  const before = await describeStack(cfn, ctx.stack);
  checkOwnership(ctx, before);
  const info = before?.status === 'DELETE_IN_PROGRESS' ? before : await waitUntilSettled(ctx, before);
  if (!info) {
    finish(ctx, { outcome: 'no-changes', operation: 'delete', message: `There is no stack ${ctx.stack} in ${deps.clients.region}; nothing to remove.` });
    return { kind: 'not-found' };
  }
  const owners = await deployedOwners(cfn, info.stackId);
  const clientToken = `docker-ecs-${ctx.newId()}`;
  const boundaryEventId = await newestEventId(cfn, info.stackId);
  if (info.status !== 'DELETE_IN_PROGRESS') {
    await emptyGpuCapacity(ctx, info.stackId);
    await cfn.send(new DeleteStackCommand({ StackName: info.stackId, ClientRequestToken: clientToken }));
  }
  ctx.emit({ kind: 'operation-started', stack: ctx.stack, stackId: info.stackId, operation: 'delete', services: owners.services });

  const events = await watched(ctx, {
    stackId: info.stackId,
    ...(boundaryEventId ? { boundaryEventId } : {}),
    // a deletion already running was started by someone else: follow it whatever its token
    clientToken: info.status === 'DELETE_IN_PROGRESS' ? '' : clientToken,
    owners,
  });
  if (ctx.signal.aborted) interrupted(ctx, `Stopped watching. The deletion of stack ${ctx.stack} goes on in AWS.`, info.stackId, 'delete');

  const outcome = conclude(events);
  const finalStatus =
    outcome.finalStatus ??
    (await describeStack(cfn, info.stackId).catch((e) => (outcome.rootCause ? undefined : Promise.reject(e))))?.status ??
    'DELETE_COMPLETE';
  if (finalStatus !== 'DELETE_COMPLETE') stackFailed(ctx, 'delete', `Deletion of stack ${ctx.stack} failed (${finalStatus}).`, outcome.rootCause);
  const kept = outcome.retained.filter((r) => r.resourceType === 'AWS::EFS::FileSystem');
  const message =
    kept.length > 0
      ? `Stack ${ctx.stack} is deleted. Kept ${kept.length} EFS file system${kept.length > 1 ? 's' : ''} with your data: ${kept.map((k) => k.physicalId ?? k.logicalId).join(', ')}.`
      : `Stack ${ctx.stack} is deleted.`;
  finish(ctx, { outcome: 'succeeded', operation: 'delete', message, retained: outcome.retained });
  return { kind: 'deleted', retained: outcome.retained };
}
