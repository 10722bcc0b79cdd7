/**
 * The ECS side of a deployment: for every compose service whose AWS::ECS::Service resource has a
 * physical ID (its ARN), the primary deployment's counts, the reasons tasks of this deployment
 * stopped, and the service events that signal trouble. One watcher serves all services of the
 * stack so DescribeServices is batched (10 per call); stopped tasks are only listed when the
 * primary deployment's failed-task count grows. Throttling skips polls with a growing backoff
 * (backoff.ts); the view never calls AWS. The rollout logic itself is `nextRollout`, a pure step.
 */
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListTasksCommand,
  type ECSClient,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { DeployEventBody } from './events.js';
import { Backoff } from './backoff.js';
import { DEFAULT_POLL_INTERVAL, type PollInterval, type Timing } from './timing.js';

export interface RolloutTarget {
  /** compose service name */
  service: string;
  serviceArn: string;
  /** cluster name or ARN; taken from the service ARN when it has the long format */
  cluster?: string;
  /** when this deployment of the service began (the resource event's timestamp) */
  since: Date;
}

/** Service events with these words are shown (Copilot's list). */
const INTERESTING = /fail|unhealthy|error|throttl|unable|missing|alarm detected|rolling back|circuit breaker/i;
const MAX_EVENTS_FIRST_POLL = 5;
/** Last log lines kept for a stopped task, and how many stopped tasks per poll get them. */
export const LAST_LINES = 5;
const TASKS_WITH_LINES = 2;

/** Where the tasks' awslogs streams are: `<prefix>/<container>/<task id>` in `group`. */
export interface TaskLogs {
  client: () => Promise<CloudWatchLogsClient>;
  group: string;
  streamPrefix: string;
  /**
   * Lines already read for the task while watching (the up view's log poller): used when its
   * stream cannot be read any more, or is empty, when the task stops.
   */
  seenLines?: (service: string, taskId: string) => string[] | undefined;
}

/** A service's current (primary) ECS deployment, for readers of its new tasks. */
export interface FollowedDeployment {
  service: string;
  cluster: string;
  deploymentId: string;
  /** when this deployment of the service began */
  since: Date;
  running: number;
}

/** `arn:aws:ecs:<region>:<account>:service/<cluster>/<name>` -> `<cluster>` */
export function clusterOfServiceArn(arn: string): string | undefined {
  const m = /:service\/([^/]+)\/[^/]+$/.exec(arn);
  return m?.[1];
}

export function stoppedTaskReason(task: Task): string {
  const parts: string[] = [task.stoppedReason ?? task.stopCode ?? 'stopped'];
  for (const c of task.containers ?? []) {
    if (c.reason && !parts[0]!.includes(c.reason)) parts.push(`${c.name}: ${c.reason}`);
    else if (c.exitCode !== undefined && c.exitCode !== 0) parts.push(`${c.name} exited with code ${c.exitCode}`);
  }
  return parts.join('; ');
}

export type RolloutOutcome = 'completed' | 'failed';

/** What the watcher knows about one followed service between two polls. */
export interface Tracked {
  target: RolloutTarget;
  cluster: string;
  /** CloudFormation finished with the service resource (it may finish before ECS does) */
  resourceDone: boolean;
  outcome?: RolloutOutcome;
  /** the counts and rollout state last reported, to report only changes */
  lastCounts?: string;
  lastFailed: number;
  seenEvents: ReadonlySet<string>;
  polledOnce: boolean;
  /** CloudFormation failed the service resource: look once for stopped tasks, then stop */
  failedResource?: boolean;
  /** a stopped task of this deployment was reported */
  stoppedSeen: boolean;
  deploymentId?: string;
  running?: number;
}

/** One service as DescribeServices answered, in our terms. */
export interface ServiceSnapshot {
  primary?: { id?: string; desired?: number; running?: number; pending?: number; failed?: number; rolloutState?: string };
  desired?: number;
  running?: number;
  pending?: number;
  /** newest first, as ECS returns them */
  events: { id?: string; message?: string; createdAt?: Date }[];
}

export function snapshotOf(svc: Service): ServiceSnapshot {
  const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
  return {
    ...(primary
      ? {
          primary: {
            ...(primary.id ? { id: primary.id } : {}),
            ...(primary.desiredCount !== undefined ? { desired: primary.desiredCount } : {}),
            ...(primary.runningCount !== undefined ? { running: primary.runningCount } : {}),
            ...(primary.pendingCount !== undefined ? { pending: primary.pendingCount } : {}),
            ...(primary.failedTasks !== undefined ? { failed: primary.failedTasks } : {}),
            ...(primary.rolloutState ? { rolloutState: primary.rolloutState } : {}),
          },
        }
      : {}),
    ...(svc.desiredCount !== undefined ? { desired: svc.desiredCount } : {}),
    ...(svc.runningCount !== undefined ? { running: svc.runningCount } : {}),
    ...(svc.pendingCount !== undefined ? { pending: svc.pendingCount } : {}),
    events: (svc.events ?? []).map((e) => ({
      ...(e.id ? { id: e.id } : {}),
      ...(e.message ? { message: e.message } : {}),
      ...(e.createdAt ? { createdAt: e.createdAt } : {}),
    })),
  };
}

export function startTracking(target: RolloutTarget, cluster: string): Tracked {
  return { target, cluster, resourceDone: false, lastFailed: 0, seenEvents: new Set(), polledOnce: false, stoppedSeen: false };
}

/**
 * The rollout logic, pure: one DescribeServices answer moves a followed service on. Returns its
 * next state, the events to show (counts when they changed, new service events worth showing),
 * and whether the failed-task count grew, so that the stopped tasks should be listed.
 */
export function nextRollout(t: Tracked, s: ServiceSnapshot, now: Date): { tracked: Tracked; events: DeployEventBody[]; listStopped: boolean } {
  const service = t.target.service;
  const events: DeployEventBody[] = [];
  const counts = {
    desired: s.primary?.desired ?? s.desired ?? 0,
    running: s.primary?.running ?? s.running ?? 0,
    pending: s.primary?.pending ?? s.pending ?? 0,
    failed: s.primary?.failed ?? 0,
  };
  const rolloutState = s.primary?.rolloutState;
  const next: Tracked = { ...t, running: counts.running, polledOnce: true };
  if (s.primary?.id) next.deploymentId = s.primary.id;
  const key = JSON.stringify([counts, rolloutState]);
  if (key !== t.lastCounts) {
    next.lastCounts = key;
    events.push({ kind: 'rollout', service, ...counts, ...(rolloutState ? { rolloutState } : {}) });
  }

  // service events come newest first; keep the new interesting ones since the deployment began
  const seen = new Set(t.seenEvents);
  const fresh: { message: string; at: Date }[] = [];
  for (const ev of s.events) {
    const id = ev.id ?? `${ev.createdAt?.toISOString()}-${ev.message}`;
    if (seen.has(id)) break;
    if (ev.createdAt && ev.createdAt.getTime() < t.target.since.getTime()) break;
    seen.add(id);
    if (ev.message && INTERESTING.test(ev.message)) fresh.push({ message: ev.message, at: ev.createdAt ?? now });
  }
  next.seenEvents = seen;
  const shown = t.polledOnce ? fresh : fresh.slice(0, MAX_EVENTS_FIRST_POLL);
  for (const ev of shown.reverse()) events.push({ kind: 'service-event', service, message: ev.message, timestamp: ev.at.toISOString() });

  const listStopped = counts.failed > t.lastFailed;
  if (listStopped) next.lastFailed = counts.failed;
  if (rolloutState === 'FAILED') next.outcome = 'failed';
  else if ((!rolloutState || rolloutState === 'COMPLETED') && counts.running === counts.desired && counts.pending === 0) next.outcome = 'completed';
  return { tracked: next, events, listStopped };
}

/**
 * The AWS side of the rollout: batched DescribeServices, stopped-task listing, the last log lines
 * of a stopped task. What it learns leaves as events only; `deployments()` tells the log reader
 * which new tasks to read.
 */
export class RolloutWatcher {
  private readonly tracked = new Map<string, Tracked>();
  /** stopped-task ARNs already reported, per service */
  private readonly seenTasks = new Map<string, Set<string>>();
  /** deployments of services no longer followed: their new tasks keep running and logging */
  private readonly retired: FollowedDeployment[] = [];
  private readonly backoff: Backoff;

  constructor(
    private readonly ecs: ECSClient,
    private readonly timing: Timing,
    private readonly fallbackCluster?: string,
    interval: PollInterval = DEFAULT_POLL_INTERVAL,
    private readonly logs?: TaskLogs,
  ) {
    this.backoff = new Backoff(timing, interval);
  }

  /** Starts following a service; calling again for the same service is a no-op. */
  watch(target: RolloutTarget): void {
    if (this.tracked.has(target.service)) return;
    const cluster = target.cluster ?? clusterOfServiceArn(target.serviceArn) ?? this.fallbackCluster;
    if (!cluster) return;
    this.tracked.set(target.service, startTracking(target, cluster));
  }

  /**
   * CloudFormation is done with the service resource. A failed resource ends the watch; a
   * completed one is still followed until ECS says the rollout completed or failed, since
   * the circuit breaker can roll back after CloudFormation reported success.
   */
  resourceSettled(service: string, ok: boolean): void {
    const t = this.tracked.get(service);
    if (!t) return;
    t.resourceDone = true;
    // A circuit breaker can fail the resource between two polls: before giving up on the
    // service, the next poll looks once for its stopped tasks, so the root cause can say why.
    if (!ok && !t.stoppedSeen) t.failedResource = true;
    else if (!ok || t.outcome) this.retire(t);
  }

  private retire(t: Tracked): void {
    const d = deploymentOf(t);
    if (d) this.retired.push(d);
    this.tracked.delete(t.target.service);
  }

  /**
   * The primary deployments seen in this watch (known after a service's first poll), including
   * those whose rollout is over: their new tasks keep running and logging.
   */
  deployments(): FollowedDeployment[] {
    const live = [...this.tracked.values()].map(deploymentOf).filter((d): d is FollowedDeployment => d !== undefined);
    return [...this.retired, ...live];
  }

  get active(): boolean {
    return this.tracked.size > 0;
  }

  /** One round of calls; returns the events that changed since the last round (none while throttled). */
  async poll(): Promise<DeployEventBody[]> {
    if (this.tracked.size === 0 || this.backoff.resting) return [];
    const round = await this.backoff.attempt(() => this.pollOnce());
    return round.ok ? round.value : [];
  }

  private async pollOnce(): Promise<DeployEventBody[]> {
    const out: DeployEventBody[] = [];
    for (const t of [...this.tracked.values()].filter((x) => x.failedResource)) {
      out.push(...(await this.stoppedTasks(t, t.target.serviceArn.split('/').pop(), undefined)));
      this.retire(t);
    }
    const byCluster = new Map<string, Tracked[]>();
    for (const t of this.tracked.values()) byCluster.set(t.cluster, [...(byCluster.get(t.cluster) ?? []), t]);
    for (const [cluster, list] of byCluster) {
      for (let i = 0; i < list.length; i += 10) {
        const chunk = list.slice(i, i + 10);
        const res = await this.ecs.send(
          new DescribeServicesCommand({ cluster, services: chunk.map((t) => t.target.serviceArn) }),
        );
        for (const svc of res.services ?? []) {
          const t = chunk.find((c) => c.target.serviceArn === svc.serviceArn || c.target.serviceArn.endsWith(`/${svc.serviceName}`));
          if (t) out.push(...(await this.follow(t, svc)));
        }
      }
    }
    return out;
  }

  private async follow(before: Tracked, svc: Service): Promise<DeployEventBody[]> {
    const { tracked: t, events, listStopped } = nextRollout(before, snapshotOf(svc), this.timing.now());
    this.tracked.set(t.target.service, t);
    if (listStopped) events.push(...(await this.stoppedTasks(t, svc.serviceName, t.deploymentId)));
    if (t.outcome && t.resourceDone) this.retire(t);
    return events;
  }

  private async stoppedTasks(t: Tracked, serviceName: string | undefined, deploymentId: string | undefined): Promise<DeployEventBody[]> {
    const listed = await this.ecs.send(new ListTasksCommand({ cluster: t.cluster, serviceName, desiredStatus: 'STOPPED' }));
    const seenTasks = this.seenTasks.get(t.target.service) ?? new Set<string>();
    this.seenTasks.set(t.target.service, seenTasks);
    const arns = (listed.taskArns ?? []).filter((a) => !seenTasks.has(a)).slice(0, 100);
    if (arns.length === 0) return [];
    const described = await this.ecs.send(new DescribeTasksCommand({ cluster: t.cluster, tasks: arns }));
    for (const a of arns) seenTasks.add(a);
    const tasks = (described.tasks ?? [])
      .filter((task) => !deploymentId || !task.startedBy || task.startedBy === deploymentId)
      .filter((task) => !task.stoppedAt || task.stoppedAt.getTime() >= t.target.since.getTime())
      .filter((task) => !/^Scaling activity initiated by/.test(task.stoppedReason ?? ''))
      .sort((a, b) => (a.stoppedAt?.getTime() ?? 0) - (b.stoppedAt?.getTime() ?? 0));
    const out: DeployEventBody[] = [];
    const withLines = new Set(tasks.slice(-TASKS_WITH_LINES));
    for (const task of tasks) {
      const reason = stoppedTaskReason(task);
      const taskId = (task.taskArn ?? '').split('/').pop() ?? '';
      const read = withLines.has(task) ? await this.lastLines(task, taskId) : undefined;
      const lines = read ?? (taskId ? this.logs?.seenLines?.(t.target.service, taskId)?.slice(-LAST_LINES) : undefined);
      t.stoppedSeen = true;
      out.push({
        kind: 'task-stopped',
        service: t.target.service,
        taskId,
        reason,
        ...(lines?.length ? { lastLines: lines } : {}),
        ...(task.stoppedAt ? { timestamp: task.stoppedAt.toISOString() } : {}),
      });
    }
    return out;
  }

  /** The last lines the task's failing container wrote; nothing when the stream cannot be read. */
  private async lastLines(task: Task, taskId: string): Promise<string[] | undefined> {
    if (!this.logs || !taskId) return undefined;
    const containers = task.containers ?? [];
    const container =
      containers.find((c) => c.exitCode !== undefined && c.exitCode !== 0) ?? containers.find((c) => c.reason) ?? containers[0];
    if (!container?.name) return undefined;
    try {
      const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
      const res = await (await this.logs.client()).send(
        new GetLogEventsCommand({
          logGroupName: this.logs.group,
          logStreamName: `${this.logs.streamPrefix}/${container.name}/${taskId}`,
          limit: LAST_LINES,
          startFromHead: false,
        }),
      );
      const lines = (res.events ?? []).map((e) => (e.message ?? '').replace(/\s+$/, '')).filter((l) => l !== '');
      return lines.length ? lines.slice(-LAST_LINES) : undefined;
    } catch {
      return undefined; // no stream (the task never started), no permission: the reason alone must do
    }
  }
}

function deploymentOf(t: Tracked): FollowedDeployment | undefined {
  if (!t.deploymentId) return undefined;
  return { service: t.target.service, cluster: t.cluster, deploymentId: t.deploymentId, since: t.target.since, running: t.running ?? 0 };
}
