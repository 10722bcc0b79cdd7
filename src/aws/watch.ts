/**
 * One stream of an operation's events: the stack's events (stack-events.ts), the ECS rollout of
 * every service whose resource has a physical ID (rollout.ts) and the newest lines of its new
 * tasks (up-logs.ts), merged at one cadence into one async sequence of `DeployEventBody`. The
 * sources never call the view and the caller never queries the sources: what they learn leaves
 * as events, and outcome.ts concludes from those.
 *
 *   every stack poll:   its new events  ->  start / settle rollouts  ->  log lines, then rollout
 *   stack settled:      rollouts still going are followed for up to ROLLOUT_GRACE_MS
 *
 * The ECS sources are a help to explain the stack: once the events name a root cause, an error
 * of theirs (say ClusterNotFoundException after a rollback deleted the cluster) ends them and
 * the stack is followed alone, so the root cause is what the user reads.
 */
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { logGroupName } from '../convert/naming.js';
import type { AwsClients } from './clients.js';
import { stateOfStatus, type DeployEventBody } from './events.js';
import { rootCauseOf } from './root-cause.js';
import { RolloutWatcher } from './rollout.js';
import { stackActivity, type StackEventRecord } from './stack-events.js';
import type { ResourceOwners } from './template-facts.js';
import { nextDelay, type PollInterval, type Timing } from './timing.js';
import type { OneShotJobs } from './one-shot-jobs.js';
import { UpLogWatcher } from './up-logs.js';

/** How long `up` keeps following ECS rollouts after the stack completed. */
export const ROLLOUT_GRACE_MS = 10 * 60_000;

export interface WatchOptions {
  cfn: CloudFormationClient;
  clients: AwsClients;
  stack: string;
  /** the compose project: its log group and stream prefix */
  project: string;
  stackId: string;
  /** only events after this time (a change set's creation time) */
  since?: Date;
  /** only events newer than this one (the newest before the operation) */
  boundaryEventId?: string;
  /** only events of this operation's token; '' follows any */
  clientToken: string;
  owners: ResourceOwners;
  /** x-aws-cluster, for service ARNs in the short format */
  cluster?: string;
  signal: AbortSignal;
  timing: Timing;
  interval: PollInterval;
  /** one-shot jobs whose gates this operation may start (one-shot-jobs.ts) */
  jobs?: OneShotJobs;
}

/** A stack event as the views see it, the owning compose service attached. */
export function stackEventBody(e: StackEventRecord, stack: string, owners: ResourceOwners): DeployEventBody {
  const state = stateOfStatus(e.status);
  const reason = e.reason ? { reason: e.reason } : {};
  const timestamp = e.timestamp.toISOString();
  if (e.isStack) return { kind: 'stack', stack, status: e.status, state, ...reason, timestamp };
  const service = owners.serviceOf(e.logicalId);
  // the key order is the JSON progress format's
  return {
    kind: 'resource',
    logicalId: e.logicalId,
    resourceType: e.resourceType,
    ...(e.physicalId ? { physicalId: e.physicalId } : {}),
    status: e.status,
    state,
    ...reason,
    ...(service ? { service } : {}),
    timestamp,
  };
}

export async function* watchOperation(o: WatchOptions): AsyncGenerator<DeployEventBody> {
  const seen: DeployEventBody[] = [];
  const upLogs = new UpLogWatcher({ ecs: () => o.clients.ecs(), logs: () => o.clients.logs(), project: o.project, timing: o.timing, interval: o.interval });
  let rollout: RolloutWatcher | undefined;
  let ecsEnded = false;
  const rolloutWatcher = async (): Promise<RolloutWatcher> =>
    (rollout ??= new RolloutWatcher(await o.clients.ecs(), o.timing, o.cluster, o.interval, {
      client: () => o.clients.logs(),
      group: logGroupName(o.project),
      streamPrefix: o.project,
      seenLines: (service, taskId) => upLogs.seenLines(service, taskId),
    }));
  /** lines first: a task's last lines are on screen (and kept) before it is reported stopped */
  const pollEcs = async (): Promise<DeployEventBody[]> => {
    if (!rollout || ecsEnded || o.signal.aborted) return [];
    const out: DeployEventBody[] = [];
    try {
      out.push(...(await upLogs.poll(rollout.deployments())));
      out.push(...(await rollout.poll()));
    } catch (e) {
      // a cluster this operation deleted (its services moved to x-aws-cluster) leaves nothing to follow there
      const clusterGone = (e as { name?: string }).name === 'ClusterNotFoundException';
      if (!clusterGone && !rootCauseOf([...seen, ...out])) throw e;
      ecsEnded = true;
    }
    return out;
  };

  const activity = stackActivity(o.cfn, {
    stackId: o.stackId,
    stackName: o.stack,
    ...(o.since ? { since: o.since } : {}),
    ...(o.boundaryEventId ? { boundaryEventId: o.boundaryEventId } : {}),
    clientToken: o.clientToken,
    signal: o.signal,
    timing: o.timing,
    interval: o.interval,
  });
  let finalStatus: string | undefined;
  for await (const batch of activity) {
    for (const record of batch) {
      o.jobs?.observe(record);
      const body = stackEventBody(record, o.stack, o.owners);
      seen.push(body);
      yield body;
      if (body.kind === 'stack') finalStatus = body.status;
      if (body.kind !== 'resource' || body.resourceType !== 'AWS::ECS::Service' || !body.service || !body.physicalId?.startsWith('arn:')) continue;
      if (body.state === 'in-progress' && /^(CREATE|UPDATE)_IN_PROGRESS$/.test(body.status)) {
        if (!ecsEnded) (await rolloutWatcher()).watch({ service: body.service, serviceArn: body.physicalId, since: record.timestamp });
      } else if (body.state !== 'in-progress') {
        rollout?.resourceSettled(body.service, body.state === 'complete');
      }
    }
    // after a service's rollout is over its tasks still log: lines go on while the stack moves
    for (const body of await pollEcs()) {
      seen.push(body);
      yield body;
    }
    // one-shot jobs whose gate started: run, follow, signal
    if (o.jobs && !o.signal.aborted) {
      for (const body of await o.jobs.poll()) {
        seen.push(body);
        yield body;
      }
    }
  }
  // The stack is done; ECS may not be (a circuit breaker can still roll a service back).
  if (!rollout?.active || !finalStatus || stateOfStatus(finalStatus) !== 'complete') return;
  const deadline = o.timing.now().getTime() + ROLLOUT_GRACE_MS;
  while (rollout.active && !ecsEnded && !o.signal.aborted && o.timing.now().getTime() < deadline) {
    await o.timing.sleep(nextDelay(o.interval, 0, o.timing.random), o.signal);
    for (const body of await pollEcs()) {
      seen.push(body);
      yield body;
    }
  }
}
