/**
 * Follows the events of one stack operation as an async iterator.
 *
 * Each poll reads DescribeStackEvents pages newest first and stops paging at the first event it
 * has seen before, the event that marked the boundary before our operation, or an event older
 * than the operation's start. The history of the stack is never re-read:
 *
 *   poll 1:  [e9 e8 e7 e6 | e5 ...]     e5 is the boundary (older than `since`, or boundaryEventId)
 *   poll 2:  [e12 e11 e10 | e9 ...]     e9 was seen: stop, no second page
 *   poll 3:  []                          nothing new
 *   ...      the stack-level event turns terminal (CREATE_COMPLETE, UPDATE_ROLLBACK_COMPLETE, ...)
 *   final:   one more poll at once, so events written in the same instant are not lost; return
 *
 * Between polls it waits 1-2 s with jitter; on throttling it doubles the wait up to 32 s and
 * never surfaces the error. A stack that no longer exists means "no more events", not a crash.
 * The iterator yields once per poll (possibly an empty batch, oldest first), so a caller can do
 * other work (the ECS rollout poll) in the same rhythm.
 */
import { DescribeStackEventsCommand, type CloudFormationClient, type StackEvent } from '@aws-sdk/client-cloudformation';
import { Backoff, type Attempt } from './backoff.js';
import { isStackMissing } from './clients.js';
import { isTerminalStackStatus } from './events.js';
import { DEFAULT_POLL_INTERVAL, type PollInterval, type Timing } from './timing.js';

/** A stack event, converted from the SDK's shape at this boundary. */
export interface StackEventRecord {
  id: string;
  logicalId: string;
  physicalId?: string;
  resourceType: string;
  status: string;
  reason?: string;
  timestamp: Date;
  clientToken?: string;
  /** true for the stack's own events (LogicalResourceId = stack name) */
  isStack: boolean;
}

export interface StackActivityOptions {
  /** the stack's ARN, so events of an older stack with the same name never mix in */
  stackId: string;
  stackName: string;
  /** server time at which the operation began; older events are not ours */
  since?: Date;
  /** the newest event before our operation began: paging stops there */
  boundaryEventId?: string;
  /** our ClientRequestToken: events that carry another token belong to another operation */
  clientToken?: string;
  signal: AbortSignal;
  timing: Timing;
  interval?: PollInterval;
}

export function toStackEventRecord(e: StackEvent, stackName: string): StackEventRecord {
  const logicalId = e.LogicalResourceId ?? '';
  return {
    id: e.EventId ?? `${logicalId}-${e.Timestamp?.toISOString()}-${e.ResourceStatus}`,
    logicalId,
    ...(e.PhysicalResourceId ? { physicalId: e.PhysicalResourceId } : {}),
    resourceType: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
    timestamp: e.Timestamp ?? new Date(0),
    ...(e.ClientRequestToken ? { clientToken: e.ClientRequestToken } : {}),
    isStack: logicalId === stackName && e.ResourceType === 'AWS::CloudFormation::Stack',
  };
}

/**
 * Reads the new events once. Exported for the poller and for tests: returns the new events
 * oldest first, plus the number of pages read.
 */
export async function pollNewEvents(
  cfn: CloudFormationClient,
  o: Pick<StackActivityOptions, 'stackId' | 'stackName' | 'since' | 'boundaryEventId' | 'clientToken'>,
  seen: Set<string>,
): Promise<StackEventRecord[]> {
  const fresh: StackEventRecord[] = [];
  let token: string | undefined;
  pages: do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: o.stackId, NextToken: token }));
    for (const raw of page.StackEvents ?? []) {
      const e = toStackEventRecord(raw, o.stackName);
      if (seen.has(e.id) || e.id === o.boundaryEventId) break pages;
      if (o.since && e.timestamp.getTime() < o.since.getTime()) break pages;
      seen.add(e.id);
      if (o.clientToken && e.clientToken && e.clientToken !== o.clientToken) continue;
      fresh.push(e);
    }
    token = page.NextToken;
  } while (token);
  // pages come newest first; CloudFormation's order within a page is the tie-breaker
  return fresh.reverse();
}

/** Yields the new events of the operation after every poll until the stack settles or `signal` aborts. */
export async function* stackActivity(cfn: CloudFormationClient, o: StackActivityOptions): AsyncGenerator<StackEventRecord[]> {
  const seen = new Set<string>();
  const backoff = new Backoff(o.timing, o.interval ?? DEFAULT_POLL_INTERVAL);
  let settled = false;
  let finalPollDone = false;
  while (!o.signal.aborted) {
    let polled: Attempt<StackEventRecord[]>;
    try {
      polled = await backoff.attempt(() => pollNewEvents(cfn, o, seen));
    } catch (e) {
      if (isStackMissing(e)) return;
      throw e;
    }
    if (!polled.ok) {
      await o.timing.sleep(polled.retryInMs, o.signal);
      continue;
    }
    const batch = polled.value;
    if (o.signal.aborted) return;
    if (batch.some((e) => e.isStack && isTerminalStackStatus(e.status))) settled = true;
    yield batch;
    if (finalPollDone) return;
    if (settled) {
      // at once: the command should end within one interval of the stack settling
      finalPollDone = true;
      continue;
    }
    await o.timing.sleep(backoff.pause(), o.signal);
  }
}
