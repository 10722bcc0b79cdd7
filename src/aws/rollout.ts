/**
 * The ECS side of a deployment: for every compose service whose AWS::ECS::Service resource has a
 * physical ID (its ARN), the primary deployment's counts, the reasons tasks of this deployment
 * stopped, and the service events that signal trouble. One watcher serves all services of the
 * stack so DescribeServices is batched (10 per call); stopped tasks are only listed when the
 * primary deployment's failed-task count grows. Throttling skips polls with a growing backoff;
 * the view never calls AWS.
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
import { isThrottling } from './clients.js';
import { DEFAULT_POLL_INTERVAL, nextDelay, type PollInterval, type Timing } from './timing.js';

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

interface Tracked {
  target: RolloutTarget;
  /** CloudFormation finished with the service resource (it may finish before ECS does) */
  resourceDone: boolean;
  outcome?: RolloutOutcome;
  cluster: string;
  lastCounts?: string;
  lastFailed: number;
  seenEvents: Set<string>;
  seenTasks: Set<string>;
  polledOnce: boolean;
  /** CloudFormation failed the service resource: look once for stopped tasks, then stop */
  failedResource?: boolean;
  lastStoppedReason?: string;
  lastStoppedLines?: string[];
  deploymentId?: string;
  running?: number;
}

export class RolloutWatcher {
  private readonly tracked = new Map<string, Tracked>();
  private throttles = 0;
  private resumeAt = 0;

  constructor(
    private readonly ecs: ECSClient,
    private readonly timing: Timing,
    private readonly fallbackCluster?: string,
    private readonly interval: PollInterval = DEFAULT_POLL_INTERVAL,
    private readonly logs?: TaskLogs,
  ) {}

  /** Starts following a service; calling again for the same service is a no-op. */
  watch(target: RolloutTarget): void {
    if (this.tracked.has(target.service)) return;
    const cluster = target.cluster ?? clusterOfServiceArn(target.serviceArn) ?? this.fallbackCluster;
    if (!cluster) return;
    this.tracked.set(target.service, {
      target,
      cluster,
      resourceDone: false,
      lastFailed: 0,
      seenEvents: new Set(),
      seenTasks: new Set(),
      polledOnce: false,
    });
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
    if (!ok && !t.lastStoppedReason) t.failedResource = true;
    else if (!ok || t.outcome) this.retire(t);
  }

  private retire(t: Tracked): void {
    this.finished.set(t.target.service, {
      stoppedReason: t.lastStoppedReason,
      lines: t.lastStoppedLines,
      outcome: t.outcome,
      deployment: this.deploymentOf(t),
    });
    this.tracked.delete(t.target.service);
  }

  private readonly finished = new Map<
    string,
    {
      stoppedReason?: string | undefined;
      lines?: string[] | undefined;
      outcome?: RolloutOutcome | undefined;
      deployment?: FollowedDeployment | undefined;
    }
  >();

  /** The last log lines of the latest stopped task of a service, when they could be read. */
  lastStoppedLines(service: string): string[] | undefined {
    return this.tracked.get(service)?.lastStoppedLines ?? this.finished.get(service)?.lines;
  }

  /** Services whose ECS rollout failed (circuit breaker), in the order seen. */
  failedServices(): string[] {
    return [...this.finished.entries(), ...[...this.tracked.entries()].map(([k, t]) => [k, { outcome: t.outcome }] as const)]
      .filter(([, f]) => f.outcome === 'failed')
      .map(([k]) => k);
  }

  /**
   * The primary deployments seen in this watch (known after a service's first poll), including
   * those whose rollout is over: their new tasks keep running and logging.
   */
  deployments(): FollowedDeployment[] {
    const done = [...this.finished.values()].map((f) => f.deployment);
    const live = [...this.tracked.values()].map((t) => this.deploymentOf(t));
    return [...done, ...live].filter((d): d is FollowedDeployment => d !== undefined);
  }

  private deploymentOf(t: Tracked): FollowedDeployment | undefined {
    if (!t.deploymentId) return undefined;
    return { service: t.target.service, cluster: t.cluster, deploymentId: t.deploymentId, since: t.target.since, running: t.running ?? 0 };
  }

  get active(): boolean {
    return this.tracked.size > 0;
  }

  /** The latest stopped-task reason seen for a service, for the root cause. */
  lastStoppedReason(service: string): string | undefined {
    return this.tracked.get(service)?.lastStoppedReason ?? this.finished.get(service)?.stoppedReason;
  }

  /** One round of calls; returns the events that changed since the last round. */
  async poll(): Promise<DeployEventBody[]> {
    if (this.tracked.size === 0 || this.timing.now().getTime() < this.resumeAt) return [];
    try {
      const out = await this.pollOnce();
      this.throttles = 0;
      return out;
    } catch (e) {
      if (!isThrottling(e)) throw e;
      this.throttles++;
      this.resumeAt = this.timing.now().getTime() + nextDelay(this.interval, this.throttles, this.timing.random);
      return [];
    }
  }

  private async pollOnce(): Promise<DeployEventBody[]> {
    const out: DeployEventBody[] = [];
    for (const t of [...this.tracked.values()].filter((x) => x.failedResource)) {
      const serviceName = t.target.serviceArn.split('/').pop();
      out.push(...(await this.stoppedTasks(t, { serviceName } as Service, undefined)));
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

  private async follow(t: Tracked, svc: Service): Promise<DeployEventBody[]> {
    const out: DeployEventBody[] = [];
    const service = t.target.service;
    const primary = svc.deployments?.find((d) => d.status === 'PRIMARY');
    const counts = {
      desired: primary?.desiredCount ?? svc.desiredCount ?? 0,
      running: primary?.runningCount ?? svc.runningCount ?? 0,
      pending: primary?.pendingCount ?? svc.pendingCount ?? 0,
      failed: primary?.failedTasks ?? 0,
    };
    const rolloutState = primary?.rolloutState;
    if (primary?.id) t.deploymentId = primary.id;
    t.running = counts.running;
    const key = JSON.stringify([counts, rolloutState]);
    if (key !== t.lastCounts) {
      t.lastCounts = key;
      out.push({ kind: 'rollout', service, ...counts, ...(rolloutState ? { rolloutState } : {}) });
    }

    // service events come newest first; keep the new interesting ones since the deployment began
    const fresh: { id: string; message: string; at: Date }[] = [];
    for (const ev of svc.events ?? []) {
      const id = ev.id ?? `${ev.createdAt?.toISOString()}-${ev.message}`;
      if (t.seenEvents.has(id)) break;
      if (ev.createdAt && ev.createdAt.getTime() < t.target.since.getTime()) break;
      t.seenEvents.add(id);
      if (ev.message && INTERESTING.test(ev.message)) fresh.push({ id, message: ev.message, at: ev.createdAt ?? this.timing.now() });
    }
    const shown = t.polledOnce ? fresh : fresh.slice(0, MAX_EVENTS_FIRST_POLL);
    for (const ev of shown.reverse()) {
      out.push({ kind: 'service-event', service, message: ev.message, timestamp: ev.at.toISOString() });
    }

    if (counts.failed > t.lastFailed) {
      t.lastFailed = counts.failed;
      out.push(...(await this.stoppedTasks(t, svc, primary?.id)));
    }
    t.polledOnce = true;
    if (rolloutState === 'FAILED') t.outcome = 'failed';
    else if ((!rolloutState || rolloutState === 'COMPLETED') && counts.running === counts.desired && counts.pending === 0) {
      t.outcome = 'completed';
    }
    if (t.outcome && t.resourceDone) this.retire(t);
    return out;
  }

  private async stoppedTasks(t: Tracked, svc: Service, deploymentId: string | undefined): Promise<DeployEventBody[]> {
    const listed = await this.ecs.send(
      new ListTasksCommand({ cluster: t.cluster, serviceName: svc.serviceName, desiredStatus: 'STOPPED' }),
    );
    const arns = (listed.taskArns ?? []).filter((a) => !t.seenTasks.has(a)).slice(0, 100);
    if (arns.length === 0) return [];
    const described = await this.ecs.send(new DescribeTasksCommand({ cluster: t.cluster, tasks: arns }));
    for (const a of arns) t.seenTasks.add(a);
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
      t.lastStoppedReason = reason;
      t.lastStoppedLines = lines;
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
