/**
 * One standalone Fargate task, from RunTask to its exit: what one-shot jobs during `up`
 * (one-shot-jobs.ts) and `run` (one-off.ts) share. Start it on a network configuration, read its
 * container's log stream forward (GetLogEvents: the whole stream in order, the last lines too,
 * which a Live Tail session may still hold back when the task has already stopped), and read how
 * it ended: the container's exit code, or why it never ran (an image pull failure, a stop).
 */
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';

export interface TaskNetwork {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: 'ENABLED' | 'DISABLED';
}

export interface ContainerOverride {
  name: string;
  command?: string[];
  environment?: Array<{ name: string; value: string }>;
}

export interface FargateTaskRequest {
  cluster: string;
  taskDefinition: string;
  network: TaskNetwork;
  platformVersion?: string;
  /** at most 36 characters: who started it (ListTasks filters on it) */
  startedBy: string;
  group: string;
  overrides?: ContainerOverride[];
  enableExecuteCommand?: boolean;
}

export type StartedTask = { started: true; taskArn: string; taskId: string } | { started: false; reason: string };

export function taskIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export async function startFargateTask(ecs: ECSClient, r: FargateTaskRequest): Promise<StartedTask> {
  const { RunTaskCommand } = await import('@aws-sdk/client-ecs');
  const res = await ecs.send(
    new RunTaskCommand({
      cluster: r.cluster,
      taskDefinition: r.taskDefinition,
      launchType: 'FARGATE',
      ...(r.platformVersion ? { platformVersion: r.platformVersion } : {}),
      count: 1,
      startedBy: r.startedBy.slice(0, 36),
      group: r.group.slice(0, 255),
      networkConfiguration: { awsvpcConfiguration: { ...r.network } },
      propagateTags: 'TASK_DEFINITION',
      ...(r.overrides?.length ? { overrides: { containerOverrides: r.overrides } } : {}),
      ...(r.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
    }),
  );
  const task = res.tasks?.[0];
  if (!task?.taskArn) return { started: false, reason: res.failures?.map((f) => f.reason).filter(Boolean).join(', ') || 'RunTask started no task' };
  return { started: true, taskArn: task.taskArn, taskId: taskIdOf(task.taskArn) };
}

export async function describeTask(ecs: ECSClient, cluster: string, taskArn: string): Promise<Task | undefined> {
  const { DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
  return res.tasks?.[0];
}

/** How a STOPPED task ended for one of its containers: its exit code, or why it has none. */
export type TaskEnd = { exitCode: number; timestamp?: string } | { exitCode: undefined; reason: string; timestamp?: string };

export function taskEnd(task: Task, container: string): TaskEnd {
  const c = task.containers?.find((x) => x.name === container) ?? task.containers?.[0];
  const timestamp = task.stoppedAt ? task.stoppedAt.toISOString() : undefined;
  const at = timestamp ? { timestamp } : {};
  if (c?.exitCode !== undefined && c.exitCode !== null) return { exitCode: c.exitCode, ...at };
  return { exitCode: undefined, reason: c?.reason ?? task.stoppedReason ?? 'no exit code', ...at };
}

export interface LogLine {
  message: string;
  timestamp: string;
}

/**
 * Reads one log stream forward from where the last read ended. The stream appears with the
 * container's first line: until then a read returns nothing.
 */
export class LogStreamCursor {
  private nextToken: string | undefined;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    readonly group: string,
    readonly stream: string,
  ) {}

  /** The lines written since the last read (at most `pages` pages of them). */
  async read(pages = 3): Promise<LogLine[]> {
    const { GetLogEventsCommand } = await import('@aws-sdk/client-cloudwatch-logs');
    const out: LogLine[] = [];
    try {
      for (let page = 0; page < pages; page++) {
        const res = await this.logs.send(
          new GetLogEventsCommand({
            logGroupName: this.group,
            logStreamName: this.stream,
            startFromHead: true,
            ...(this.nextToken ? { nextToken: this.nextToken } : {}),
          }),
        );
        for (const e of res.events ?? []) out.push({ message: (e.message ?? '').replace(/\n$/, ''), timestamp: new Date(e.timestamp ?? 0).toISOString() });
        // the forward token repeats once the end of the stream is reached
        const same = res.nextForwardToken === this.nextToken;
        if (res.nextForwardToken) this.nextToken = res.nextForwardToken;
        if (same || (res.events ?? []).length === 0) break;
      }
    } catch (e) {
      if ((e as { name?: string }).name !== 'ResourceNotFoundException') throw e;
    }
    return out;
  }
}
