/**
 * `run SERVICE [COMMAND...]`: one task started from the service's current task definition (the
 * ECS service's, so what is deployed now), on the service's network configuration (its subnets,
 * security groups and public IP setting: it reaches what the service reaches), with the
 * container's command and environment overridden through RunTask, and user, entry point and
 * working directory through a derived task definition (run-task-definition.ts).
 *
 * Attached, the container's log lines are printed as they arrive until the task stops, and the
 * result is the container's exit code. Nothing is left running: an interrupt (Ctrl-C, SIGTERM,
 * docker closing the plugin socket) stops the task (StopTask) before `run` exits 130. Detached,
 * the task id is the result and the task runs on.
 * Calls: ListStackResources, DescribeServices, DescribeTaskDefinition, RunTask, then every poll
 * DescribeTasks and GetLogEvents; StopTask on an interrupt.
 */
import { UserError } from '../errors.js';
import { containerName, logGroupName } from '../convert/naming.js';
import type { AwsClients } from './clients.js';
import { describeTask, LogStreamCursor, startFargateTask, taskEnd, type ContainerOverride } from './fargate-task.js';
import { deregister, derivedRegistration, describeTaskDefinition, hasContainerChanges, registerDerived, type ContainerChanges } from './run-task-definition.js';
import { projectServices, selectServices } from './service-control.js';
import type { Timing } from './timing.js';

export interface OneOffOptions {
  project: string;
  service: string;
  /** replaces the service's command; undefined keeps it */
  command?: string[];
  environment: ReadonlyArray<{ name: string; value: string }>;
  changes: ContainerChanges;
  detach: boolean;
  timing: Timing;
  signal: AbortSignal;
  /** progress lines (stderr) */
  say: (line: string) => void;
  /** the container's log lines (stdout) */
  print: (line: string) => void | Promise<void>;
  /** between polls of the task and its log stream */
  pollMs?: number;
}

export type OneOffResult =
  | { kind: 'detached'; taskId: string }
  | { kind: 'exited'; taskId: string; exitCode: number }
  | { kind: 'interrupted'; taskId: string };

/** RunTask: "A total of 8192 characters are allowed for overrides", JSON included. */
export const MAX_OVERRIDES = 8192;

function overrideOf(container: string, o: OneOffOptions): ContainerOverride {
  return {
    name: container,
    ...(o.command !== undefined ? { command: o.command } : {}),
    ...(o.environment.length > 0 ? { environment: o.environment.map((e) => ({ name: e.name, value: e.value })) } : {}),
  };
}

export const STOP_REASON = 'Stopped by docker ecs compose run: interrupted';

export async function runOneOff(clients: AwsClients, o: OneOffOptions): Promise<OneOffResult> {
  const { cluster, services } = await projectServices(clients, o.project);
  const overridden = overrideOf(containerName(o.service), o);
  const size = JSON.stringify([overridden]).length;
  if (size > MAX_OVERRIDES) {
    throw new UserError(`The command and -e variables take ${size} characters; ECS RunTask allows ${MAX_OVERRIDES} in all, so pass large values through a file in the image or a secret instead.`);
  }
  const [svc] = selectServices(services, [o.service]);
  if (!svc!.network) throw new UserError(`service ${o.service} has no awsvpc network configuration, so a task cannot be started beside it.`);
  const ecs = await clients.ecs();
  const { definition, tags } = await describeTaskDefinition(ecs, svc!.taskDefinition);
  const names = (definition.containerDefinitions ?? []).map((c) => c.name ?? '');
  const container = names.includes(containerName(o.service)) ? containerName(o.service) : ((definition.containerDefinitions ?? []).find((c) => c.essential !== false)?.name ?? names[0] ?? o.service);

  let taskDefinition = svc!.taskDefinition;
  let derived: string | undefined;
  if (hasContainerChanges(o.changes)) {
    derived = await registerDerived(ecs, derivedRegistration(definition, tags, container, o.changes));
    taskDefinition = derived;
  }
  const override = overrideOf(container, o);
  let started;
  try {
    started = await startFargateTask(ecs, {
      cluster,
      taskDefinition,
      network: svc!.network,
      startedBy: 'docker-ecs/run',
      group: `run:${o.service}`,
      ...(override.command || override.environment ? { overrides: [override] } : {}),
    });
  } finally {
    // the task keeps running on a deregistered revision; nothing new can start from it
    if (derived) await deregister(ecs, derived);
  }
  if (!started.started) throw new UserError(`ECS could not start a task of ${o.service}: ${started.reason}.`);
  const { taskArn, taskId } = started;
  if (o.detach) return { kind: 'detached', taskId };
  o.say(`Task ${taskId} of ${o.service} started; Ctrl-C stops it.`);

  const cursor = new LogStreamCursor(await clients.logs(), logGroupName(o.project), `${o.project}/${container}/${taskId}`);
  const pollMs = o.pollMs ?? 2000;
  const printLines = async (): Promise<number> => {
    const lines = await cursor.read(10);
    for (const l of lines) await o.print(l.message);
    return lines.length;
  };
  for (;;) {
    if (o.signal.aborted) return stop(clients, cluster, taskArn, taskId, o);
    const task = await describeTask(ecs, cluster, taskArn);
    if (o.signal.aborted) return stop(clients, cluster, taskArn, taskId, o);
    await printLines();
    if (task?.lastStatus === 'STOPPED') {
      // the log driver's last lines may land a moment after the task stopped
      for (let i = 0; i < 3 && !o.signal.aborted; i++) {
        await o.timing.sleep(1000, o.signal);
        if ((await printLines()) === 0) break;
      }
      const end = taskEnd(task, container);
      if (end.exitCode !== undefined) return { kind: 'exited', taskId, exitCode: end.exitCode };
      throw new UserError(`The task of ${o.service} (${taskId}) stopped before its container ran: ${end.reason.replace(/\.$/, '')}; fix what it names (the image, its registry's reachability, the task's roles) and run again.`);
    }
    await o.timing.sleep(pollMs, o.signal);
  }
}

async function stop(clients: AwsClients, cluster: string, taskArn: string, taskId: string, o: OneOffOptions): Promise<OneOffResult> {
  const { StopTaskCommand } = await import('@aws-sdk/client-ecs');
  await (await clients.ecs()).send(new StopTaskCommand({ cluster, task: taskArn, reason: STOP_REASON }));
  o.say(`Stopped task ${taskId} of ${o.service}.`);
  return { kind: 'interrupted', taskId };
}
