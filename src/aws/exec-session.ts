/**
 * `exec SERVICE [COMMAND...]`: an ECS Exec session in a running task of the service, handed to
 * AWS's Session Manager plugin the way the AWS CLI hands it (`aws ecs execute-command`,
 * awscli/customizations/ecs/executecommand.py): ExecuteCommand, then the container's runtime id
 * from DescribeTasks, then
 *
 *   session-manager-plugin <session JSON> <region> StartSession <profile or ''> <{"Target": "ecs:<cluster>_<taskId>_<runtimeId>"}> <ECS endpoint URL>
 *
 * The session JSON holds the session token: it goes to the plugin's argv and nowhere else.
 * Which task: the service's RUNNING tasks in the order `ps` lists them (started first, then by
 * id), `--index N` from 1; or one task by id. ECS's refusals become sentences saying what to do.
 * Calls: ListStackResources, DescribeServices, ListTasks, DescribeTasks, ExecuteCommand, DescribeTasks.
 */
import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import { containerName } from '../convert/naming.js';
import { byCodeUnit } from '../convert/code-unit-order.js';
import type { AwsClients } from './clients.js';
import { taskIdOf } from './fargate-task.js';
import { projectServices, selectServices } from './service-control.js';

export interface ExecOptions {
  project: string;
  service: string;
  /** 1-based, among the service's running tasks */
  index?: number;
  /** a task id or ARN instead of --index */
  task?: string;
  command: string[];
}

/** What the Session Manager plugin is started with. */
export interface PluginHandOver {
  args: string[];
  taskId: string;
}

const EXEC_AGENT = 'ExecuteCommandAgent';

/**
 * The command as one string, as ExecuteCommand takes it: words that need it are single-quoted the
 * way a POSIX shell reads them back.
 */
export function commandString(words: readonly string[]): string {
  return words.map((w) => (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');
}

async function runningTasks(ecs: ECSClient, cluster: string, serviceName: string): Promise<Task[]> {
  const { ListTasksCommand, DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const res = await ecs.send(new ListTasksCommand({ cluster, serviceName, desiredStatus: 'RUNNING', nextToken: token }));
    arns.push(...(res.taskArns ?? []));
    token = res.nextToken;
  } while (token);
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += 100) {
    const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
    tasks.push(...(res.tasks ?? []));
  }
  const key = (t: Task): string => (t.startedAt ?? t.createdAt)?.toISOString() ?? '';
  return tasks.filter((t) => t.lastStatus === 'RUNNING').sort((a, b) => byCodeUnit(key(a), key(b)) || byCodeUnit(taskIdOf(a.taskArn ?? ''), taskIdOf(b.taskArn ?? '')));
}

async function describeOne(ecs: ECSClient, cluster: string, task: string): Promise<Task | undefined> {
  const { DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: [task] }));
  return res.tasks?.[0];
}

/** The task to open the session in, checked the way ECS would refuse it, with a sentence each. */
async function chooseTask(ecs: ECSClient, cluster: string, serviceArn: string, o: ExecOptions): Promise<Task> {
  const serviceName = serviceArn.slice(serviceArn.lastIndexOf('/') + 1);
  if (o.task !== undefined) {
    const t = await describeOne(ecs, cluster, o.task);
    if (!t || t.group !== `service:${serviceName}`) throw new UserError(`Task ${o.task} is not a task of service ${o.service}; \`docker ecs compose ps ${o.service}\` lists its tasks.`);
    if (t.lastStatus !== 'RUNNING') throw new UserError(`Task ${taskIdOf(t.taskArn ?? '')} of ${o.service} is ${(t.lastStatus ?? 'not running').toLowerCase()}, not running; \`docker ecs compose ps ${o.service}\` lists the running ones.`);
    return t;
  }
  const tasks = await runningTasks(ecs, cluster, serviceName);
  if (tasks.length === 0) throw new UserError(`service ${o.service} has no running task; \`docker ecs compose ps -a ${o.service}\` shows why, \`docker ecs compose start ${o.service}\` starts a stopped service.`);
  const index = o.index ?? 1;
  const t = tasks[index - 1];
  if (!t) throw new UserError(`service ${o.service} has ${tasks.length} running task${tasks.length === 1 ? '' : 's'}; --index takes 1 to ${tasks.length}.`);
  return t;
}

/** ECS's refusals of ExecuteCommand, as sentences that say what to do. */
function explain(e: unknown, o: ExecOptions, taskId: string): never {
  const err = e as { name?: string; message?: string };
  const message = err.message ?? '';
  const where = `task ${taskId} of ${o.service}`;
  if (err.name === 'TargetNotConnectedException') {
    throw new UserError(
      `ECS could not reach the ECS Exec agent in ${where} (TargetNotConnectedException): its task role needs the ssmmessages permissions \`docker ecs compose up\` gives it, and the task a route to ssmmessages.<region>.amazonaws.com (a public IP, a NAT gateway or a VPC endpoint); try again in a minute, or \`docker ecs compose restart ${o.service}\`.`,
    );
  }
  if (err.name === 'InvalidParameterException' && /execute command was not enabled|agent isn.t running/i.test(message)) {
    throw new UserError(`ECS Exec is not on in ${where}, or its agent has not started yet: wait a few seconds after the task starts, or, for a stack deployed before ECS Exec, run \`docker ecs compose up\` to redeploy the services with it.`);
  }
  if (err.name === 'AccessDeniedException') {
    throw new UserError(`Your AWS identity may not call ecs:ExecuteCommand on ${where}; add ecs:ExecuteCommand to its policy (docs/iam-policy.json has it).`);
  }
  if (err.name === 'InvalidParameterException' && /not found|not in RUNNING|not running/i.test(message)) {
    throw new UserError(`${where[0]!.toUpperCase()}${where.slice(1)} is no longer running; \`docker ecs compose ps ${o.service}\` lists the running ones.`);
  }
  throw e;
}

export async function openExecSession(clients: AwsClients, o: ExecOptions, handOver: { profile: string; endpointUrl: (ecs: ECSClient) => Promise<string> }): Promise<PluginHandOver> {
  const { cluster, services } = await projectServices(clients, o.project);
  const [svc] = selectServices(services, [o.service]);
  const ecs = await clients.ecs();
  const task = await chooseTask(ecs, cluster, svc!.arn, o);
  const taskArn = task.taskArn ?? '';
  const taskId = taskIdOf(taskArn);
  const wanted = containerName(o.service);
  const container = task.containers?.find((c) => c.name === wanted) ?? task.containers?.[0];
  if (!container?.name) throw new UserError(`Task ${taskId} of ${o.service} has no container ${wanted}.`);
  if (task.enableExecuteCommand !== true) {
    throw new UserError(`Task ${taskId} of ${o.service} was started without ECS Exec; run \`docker ecs compose up\` to redeploy the services with it (their tasks are replaced), then exec again.`);
  }
  const agent = container.managedAgents?.find((a) => a.name === EXEC_AGENT);
  if (agent && agent.lastStatus !== 'RUNNING') {
    throw new UserError(`The ECS Exec agent in task ${taskId} of ${o.service} is ${(agent.lastStatus ?? 'not running').toLowerCase()}${agent.reason ? ` (${agent.reason})` : ''}; wait a few seconds and try again, or \`docker ecs compose restart ${o.service}\`.`);
  }

  const { ExecuteCommandCommand } = await import('@aws-sdk/client-ecs');
  let res;
  try {
    res = await ecs.send(new ExecuteCommandCommand({ cluster, task: taskArn, container: container.name, command: commandString(o.command), interactive: true }));
  } catch (e) {
    explain(e, o, taskId);
  }
  if (!res.session?.sessionId || !res.session.streamUrl || !res.session.tokenValue) throw new Error('ExecuteCommand answered without a session');
  // the AWS CLI reads the runtime id after ExecuteCommand, from the task as it is then
  const now = (await describeOne(ecs, cluster, taskArn)) ?? task;
  const runtimeId = now.containers?.find((c) => c.name === (res.containerName ?? container.name))?.runtimeId;
  if (!runtimeId) throw new UserError(`Task ${taskId} of ${o.service} reports no runtime id for container ${container.name}; it may have just stopped: \`docker ecs compose ps ${o.service}\`.`);
  const clusterName = (res.clusterArn ?? cluster).slice((res.clusterArn ?? cluster).lastIndexOf('/') + 1);
  const session = { sessionId: res.session.sessionId, streamUrl: res.session.streamUrl, tokenValue: res.session.tokenValue };
  return {
    taskId,
    args: [JSON.stringify(session), clients.region, 'StartSession', handOver.profile, JSON.stringify({ Target: `ecs:${clusterName}_${taskIdOf(res.taskArn ?? taskArn)}_${runtimeId}` }), await handOver.endpointUrl(ecs)],
  };
}

/** The ECS endpoint the client calls (the AWS CLI passes `client.meta.endpoint_url`): an override, else the region's. */
export async function ecsEndpointUrl(ecs: ECSClient, region: string, override: string | undefined): Promise<string> {
  if (override) return override.replace(/\/$/, '');
  const provider = (ecs.config as unknown as { endpointProvider?: (p: Record<string, unknown>) => { url: URL } }).endpointProvider;
  const url = provider?.({ Region: region, UseFIPS: false, UseDualStack: false })?.url;
  return url ? url.href.replace(/\/$/, '') : `https://ecs.${region}.amazonaws.com`;
}
