/**
 * The root cause of a failed operation, from the events collected while watching (no extra API
 * call): the first failure in time of a real resource. Cancellations ("Resource creation
 * cancelled", "Resource update cancelled") are consequences of another failure, and the
 * stack-level messages ("The following resource(s) failed to create: ...") only summarise.
 */
import type { RootCause } from './events.js';
import type { StackEventRecord } from './stack-events.js';

const CANCELLED = /\bcancel+ed\b/i;

export function isCancellation(reason: string | undefined): boolean {
  return CANCELLED.test(reason ?? '');
}

export function findRootCause(
  events: readonly StackEventRecord[],
  serviceOf: (logicalId: string) => string | undefined,
  stoppedReasonOf: (service: string) => string | undefined,
  stoppedLinesOf: (service: string) => string[] | undefined = () => undefined,
): RootCause | undefined {
  const failures = events
    .filter((e) => e.status.endsWith('_FAILED') && !e.isStack && !isCancellation(e.reason))
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const first = failures[0];
  if (first) {
    const service = serviceOf(first.logicalId);
    const stopped = service ? stoppedReasonOf(service) : undefined;
    const lines = service && stopped ? stoppedLinesOf(service) : undefined;
    return {
      logicalId: first.logicalId,
      resourceType: first.resourceType,
      reason: first.reason ?? first.status,
      ...(service ? { service } : {}),
      ...(stopped ? { stoppedTaskReason: stopped } : {}),
      ...(lines?.length ? { lastLines: lines } : {}),
    };
  }
  // no resource failed (e.g. a template error found while updating): the stack's own first reason
  const stackFailure = events
    .filter((e) => e.isStack && e.reason && (e.status.endsWith('_FAILED') || /ROLLBACK_IN_PROGRESS$/.test(e.status)))
    .sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime())[0];
  if (stackFailure) {
    return { logicalId: stackFailure.logicalId, resourceType: stackFailure.resourceType, reason: stackFailure.reason! };
  }
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
  const lines = c.lastLines?.length ? `\nLast lines of the stopped task:\n${c.lastLines.map((l) => `  ${l}`).join('\n')}` : '';
  return `${describeRootCause(c)}${lines}`;
}
