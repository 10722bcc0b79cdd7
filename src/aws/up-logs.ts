/**
 * Log lines in the `up` view: while a deployment is watched, the newest lines of each service's
 * new tasks (those its current ECS deployment started), read with FilterLogEvents from the
 * project's log group `/docker-compose/<project>`, stream prefix `<project>/<service>/`.
 *
 * Cost: the new tasks are listed (ListTasks by the deployment's startedBy) only when a service's
 * running count changes; then at most CALLS_PER_ROUND FilterLogEvents per watch round, services
 * taken in turn, spaced by the shared pacer: under 2 requests/s at the default 1-2 s interval,
 * well inside the account's 5/s. Throttling skips rounds with a growing backoff. Lines are read
 * from where the previous read ended, deduplicated by event ID.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { isThrottling } from './clients.js';
import type { DeployEventBody } from './events.js';
import { parseStream } from './log-events.js';
import { containerName, logGroupName } from '../convert/naming.js';
import { RequestPacer } from './request-pacer.js';
import type { FollowedDeployment } from './rollout.js';
import { Backoff } from './backoff.js';
import { DEFAULT_POLL_INTERVAL, type PollInterval, type Timing } from './timing.js';

/** New lines shown per service and round: the newest ones. */
export const LIVE_LINES = 3;
/** FilterLogEvents calls per round, across all services. */
export const CALLS_PER_ROUND = 2;
/** Pages read per call; a service that wrote more catches up over the next rounds. */
const MAX_PAGES = 3;
/** Lines kept per task for the failure summary when its stream is gone at stop time. */
const KEPT_PER_TASK = 5;

export interface UpLogSources {
  ecs: () => Promise<ECSClient>;
  logs: () => Promise<CloudWatchLogsClient>;
  project: string;
  timing: Timing;
  interval?: PollInterval;
  /** shared with other readers of the account's FilterLogEvents quota */
  pacer?: RequestPacer;
}

interface Followed {
  service: string;
  cluster: string;
  deploymentId: string;
  tasks: Set<string>;
  /** the running count at the last ListTasks */
  listedRunning?: number;
  /** epoch ms the next read starts at (inclusive; same-ms lines are told apart by event ID) */
  cursor: number;
  seen: Map<string, number>;
}

export class UpLogWatcher {
  private readonly followed = new Map<string, Followed>();
  private readonly kept = new Map<string, string[]>();
  private readonly pacer: RequestPacer;
  private readonly backoff: Backoff;
  private turn = 0;
  private disabled = false;

  constructor(private readonly src: UpLogSources) {
    this.pacer = src.pacer ?? new RequestPacer(src.timing);
    this.backoff = new Backoff(src.timing, src.interval ?? DEFAULT_POLL_INTERVAL);
  }

  /** The lines read so far for one task, oldest first. */
  seenLines(service: string, taskId: string): string[] | undefined {
    return this.kept.get(`${service}\u0000${taskId}`);
  }

  /** One round: new tasks when counts moved, then the next services' new lines. */
  async poll(deployments: readonly FollowedDeployment[]): Promise<DeployEventBody[]> {
    if (this.disabled || this.backoff.resting) return [];
    try {
      const round = await this.backoff.attempt(() => this.round(deployments));
      return round.ok ? round.value : [];
    } catch (e) {
      // the log lines are a help, never a reason to stop watching the deployment
      this.disabled = true;
      const why = (e as { name?: string }).name === 'AccessDeniedException' ? 'access denied' : ((e as Error).message || String(e)).split('\n')[0];
      return [{ kind: 'notice', level: 'warning', message: `Cannot read the new tasks' log lines (${why}); the deployment is still being watched.` }];
    }
  }

  private async round(deployments: readonly FollowedDeployment[]): Promise<DeployEventBody[]> {
    for (const d of deployments) await this.refreshTasks(d);
    const ready = [...this.followed.values()].filter((f) => f.tasks.size > 0);
    if (ready.length === 0) return [];
    const out: DeployEventBody[] = [];
    const n = Math.min(CALLS_PER_ROUND, ready.length);
    for (let i = 0; i < n; i++) out.push(...(await this.read(ready[(this.turn + i) % ready.length]!)));
    this.turn = (this.turn + n) % Math.max(1, ready.length);
    return out;
  }

  private async refreshTasks(d: FollowedDeployment): Promise<void> {
    let f = this.followed.get(d.service);
    if (!f || f.deploymentId !== d.deploymentId) {
      f = { service: d.service, cluster: d.cluster, deploymentId: d.deploymentId, tasks: new Set(), cursor: d.since.getTime(), seen: new Map() };
      this.followed.set(d.service, f);
    }
    if (f.listedRunning === d.running || d.running === 0) return;
    const { ListTasksCommand } = await import('@aws-sdk/client-ecs');
    let res;
    try {
      // startedBy must be the only filter: it is the deployment ID for tasks a service starts
      res = await (await this.src.ecs()).send(new ListTasksCommand({ cluster: f.cluster, startedBy: f.deploymentId }));
    } catch (e) {
      if (isThrottling(e)) throw e;
      return; // the rollout watcher reports ECS trouble; lines just wait for the next change
    }
    f.listedRunning = d.running;
    for (const arn of res?.taskArns ?? []) {
      const id = arn.split('/').pop();
      if (id) f.tasks.add(id);
    }
  }

  private async read(f: Followed): Promise<DeployEventBody[]> {
    const { FilterLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const client = await this.src.logs();
    const fresh: { taskId: string; message: string; timestamp: number }[] = [];
    let token: string | undefined;
    let newest = f.cursor;
    for (let page = 0; page < MAX_PAGES; page++) {
      await this.pacer.take();
      let res;
      try {
        res = await client.send(
          new FilterLogEventsCommand({
            logGroupName: logGroupName(this.src.project),
            logStreamNamePrefix: `${this.src.project}/${containerName(f.service)}/`,
            startTime: f.cursor,
            ...(token ? { nextToken: token } : {}),
          }),
        );
      } catch (e) {
        if ((e as { name?: string }).name === 'ResourceNotFoundException') return []; // no log group yet
        throw e;
      }
      for (const e of res?.events ?? []) {
        const id = e.eventId ?? `${e.logStreamName}/${e.timestamp}/${e.message}`;
        const ts = e.timestamp ?? 0;
        if (f.seen.has(id)) continue;
        const { taskId } = parseStream(e.logStreamName ?? '', this.src.project);
        if (!f.tasks.has(taskId)) continue;
        f.seen.set(id, ts);
        newest = Math.max(newest, ts);
        for (const line of (e.message ?? '').split(/\r?\n/)) {
          const message = line.replace(/\s+$/, '');
          if (message) fresh.push({ taskId, message, timestamp: ts });
        }
      }
      token = res?.nextToken;
      if (!token) break;
    }
    f.cursor = newest;
    for (const [id, ts] of f.seen) if (ts < newest) f.seen.delete(id);
    for (const l of fresh) {
      const key = `${f.service}\u0000${l.taskId}`;
      this.kept.set(key, [...(this.kept.get(key) ?? []), l.message].slice(-KEPT_PER_TASK));
    }
    return fresh.slice(-LIVE_LINES).map((l) => ({
      kind: 'log' as const,
      service: f.service,
      taskId: l.taskId,
      message: l.message,
      timestamp: new Date(l.timestamp).toISOString(),
    }));
  }
}
