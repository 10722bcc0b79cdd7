/**
 * The root cause of a failed operation, from the operation's own events (no extra API call):
 * the first failure in time of a real resource, with the latest stopped task of its service.
 * Cancellations ("Resource creation cancelled", "Resource update cancelled") are consequences of
 * another failure, and the stack-level messages ("The following resource(s) failed to create:
 * ...") only summarise.
 */
import type { DeployEventBody, RootCause } from './events.js';

const CANCELLED = /\bcancel+ed\b/i;

export function isCancellation(reason: string | undefined): boolean {
  return CANCELLED.test(reason ?? '');
}

type ResourceEvent = Extract<DeployEventBody, { kind: 'resource' }>;
type StackStatusEvent = Extract<DeployEventBody, { kind: 'stack' }>;
type TaskStopped = Extract<DeployEventBody, { kind: 'task-stopped' }>;

const byTimestamp = <E extends { timestamp: string }>(a: E, b: E): number => Date.parse(a.timestamp) - Date.parse(b.timestamp);

/** The latest stopped task of a service in the events: why it stopped and its last lines. */
export function lastStoppedTask(events: readonly DeployEventBody[], service: string): TaskStopped | undefined {
  return events.filter((e): e is TaskStopped => e.kind === 'task-stopped' && e.service === service).at(-1);
}

export function rootCauseOf(events: readonly DeployEventBody[]): RootCause | undefined {
  const first = events
    .filter((e): e is ResourceEvent => e.kind === 'resource' && e.status.endsWith('_FAILED') && !isCancellation(e.reason))
    .sort(byTimestamp)[0];
  if (first) {
    const stopped = first.service ? lastStoppedTask(events, first.service) : undefined;
    return {
      logicalId: first.logicalId,
      resourceType: first.resourceType,
      reason: first.reason ?? first.status,
      ...(first.service ? { service: first.service } : {}),
      ...(stopped ? { stoppedTaskReason: stopped.reason } : {}),
      ...(stopped?.lastLines?.length ? { lastLines: stopped.lastLines } : {}),
    };
  }
  // no resource failed (e.g. a template error found while updating): the stack's own first reason
  const stackFailure = events
    .filter((e): e is StackStatusEvent => e.kind === 'stack' && !!e.reason && (e.status.endsWith('_FAILED') || /ROLLBACK_IN_PROGRESS$/.test(e.status)))
    .sort(byTimestamp)[0];
  if (stackFailure) return { logicalId: stackFailure.stack, resourceType: 'AWS::CloudFormation::Stack', reason: stackFailure.reason! };
  return undefined;
}

/** One line for the error message: `WebService (AWS::ECS::Service): reason; last task stopped: ...` */
export function describeRootCause(c: RootCause): string {
  const who = c.service ? `${c.logicalId} of service "${c.service}"` : c.logicalId;
  const stopped = c.stoppedTaskReason ? ` Last stopped task: ${c.stoppedTaskReason}.` : '';
  return `${who} (${c.resourceType}) failed: ${c.reason.replace(/\s+$/, '')}${/[.!]$/.test(c.reason.trim()) ? '' : '.'}${stopped}`;
}

/** The root cause plus, when known, the stopped task's last log lines (one per line, indented). */
export function rootCauseSummary(c: RootCause): string {
  return `${describeRootCause(c)}${lastLinesBlock(c)}`;
}

/** The stopped task's last lines under a heading, one per line and indented; empty without lines. */
export function lastLinesBlock(c: RootCause): string {
  return c.lastLines?.length ? `\nLast lines of the stopped task:\n${c.lastLines.map((l) => `  ${l}`).join('\n')}` : '';
}
