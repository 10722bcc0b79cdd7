/**
 * What an operation came to, computed from its events alone (the same events the views and
 * `--progress json` receive, so a JSON consumer can compute it too): the stack's final status,
 * the root cause of a failure, the services ECS rolled back after CloudFormation succeeded, and
 * the resources a deletion kept. A lookup error after the events named a root cause never
 * replaces it: the cause is in the events, not in a later call.
 */
import type { DeployEventBody, RootCause } from './events.js';
import { lastStoppedTask, rootCauseOf } from './root-cause.js';

export interface Retained {
  logicalId: string;
  resourceType: string;
  physicalId?: string;
}

export interface OperationOutcome {
  /** the last status of the stack itself in this operation, when one was seen */
  finalStatus?: string;
  rootCause?: RootCause;
  /** services whose ECS rollout failed (circuit breaker), in the order they failed */
  rolledBack: string[];
  /** why the first of `rolledBack` failed */
  rolloutCause?: RootCause;
  /** resources CloudFormation kept on purpose (DELETE_SKIPPED) */
  retained: Retained[];
}

export function conclude(events: readonly DeployEventBody[]): OperationOutcome {
  const stack = events.filter((e) => e.kind === 'stack').at(-1);
  const rolledBack: string[] = [];
  const serviceResources = new Map<string, string>();
  const retained: Retained[] = [];
  for (const e of events) {
    if (e.kind === 'rollout' && e.rolloutState === 'FAILED' && !rolledBack.includes(e.service)) rolledBack.push(e.service);
    if (e.kind !== 'resource') continue;
    if (e.resourceType === 'AWS::ECS::Service' && e.service && e.physicalId?.startsWith('arn:')) serviceResources.set(e.service, e.logicalId);
    if (e.status === 'DELETE_SKIPPED') retained.push({ logicalId: e.logicalId, resourceType: e.resourceType, ...(e.physicalId ? { physicalId: e.physicalId } : {}) });
  }
  const rootCause = rootCauseOf(events);
  const outcome: OperationOutcome = { rolledBack, retained, ...(stack ? { finalStatus: stack.status } : {}), ...(rootCause ? { rootCause } : {}) };
  const first = rolledBack[0];
  if (first) {
    const stopped = lastStoppedTask(events, first);
    outcome.rolloutCause = {
      logicalId: serviceResources.get(first) ?? first,
      resourceType: 'AWS::ECS::Service',
      reason: 'ECS rolled the deployment back: its tasks did not become healthy (deployment circuit breaker)',
      service: first,
      ...(stopped ? { stoppedTaskReason: stopped.reason } : {}),
      ...(stopped?.lastLines?.length ? { lastLines: stopped.lastLines } : {}),
    };
  }
  return outcome;
}
