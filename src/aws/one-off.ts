/**
 * `run SERVICE [COMMAND...]`: one task started from the service's current task definition (the
 * ECS service's, so what is deployed now), on the service's network configuration (its subnets,
 * security groups and public IP setting: it reaches what the service reaches); a one-shot job,
 * which has no ECS service, from its gate's run settings in the deployed template; with the
 * container's command and environment overridden through RunTask, and user, entry point and
 * working directory through a derived task definition (run-task-definition.ts).
 *
 * Attached, the container's log lines are printed as they arrive until the task stops, and the
 * result is the container's exit code. Nothing is left running: an interrupt (Ctrl-C, SIGTERM,
 * docker closing the plugin socket) stops the task (StopTask) before `run` exits 130. Detached,
 * the task id is the result and the task runs on.
 * Calls: ListStackResources, DescribeServices (a job: GetTemplate, DescribeStacks), DescribeTaskDefinition, RunTask, then every poll
 * DescribeTasks and GetLogEvents; StopTask on an interrupt.
 */
import { UserError } from '../errors.js';
import { containerName, logGroupName } from '../convert/naming.js';
import type { AwsClients } from './clients.js';
import { describeTask, LogStreamCursor, startFargateTask, taskEnd, type ContainerOverride } from './fargate-task.js';
import { deregister, derivedRegistration, describeTaskDefinition, hasContainerChanges, registerDerived, type ContainerChanges } from './run-task-definition.js';
import { projectServices, selectServices } from './service-control.js';
import { deployedTemplate, type StackResource } from './project-stack.js';
import { jobGates, resolveRunSetting } from './one-shot-jobs.js';
import { stackName } from '../convert/naming.js';
import type { CapacityProviderStrategyItem, TaskNetwork } from './fargate-task.js';
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
  const { cluster, services, resources } = await projectServices(clients, o.project);
  const overridden = overrideOf(containerName(o.service), o);
  const size = JSON.stringify([overridden]).length;
  if (size > MAX_OVERRIDES) {
    throw new UserError(`The command and -e variables take ${size} characters; ECS RunTask allows ${MAX_OVERRIDES} in all, so pass large values through a file in the image or a secret instead.`);
  }
  // an ECS service's task as it runs now; a one-shot job (no ECS service) as its gate starts it
  const target = services.some((s) => s.compose === o.service) ? undefined : await jobTarget(clients, o.project, o.service, resources);
  const svc = target ?? selectServices(services, [o.service])[0]!;
  if (!svc.network) throw new UserError(`service ${o.service} has no awsvpc network configuration, so a task cannot be started beside it.`);
  const ecs = await clients.ecs();
  const { definition, tags } = await describeTaskDefinition(ecs, svc.taskDefinition);
  const names = (definition.containerDefinitions ?? []).map((c) => c.name ?? '');
  const container = names.includes(containerName(o.service)) ? containerName(o.service) : ((definition.containerDefinitions ?? []).find((c) => c.essential !== false)?.name ?? names[0] ?? o.service);

  let taskDefinition = svc.taskDefinition;
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
      network: svc.network,
      ...(target?.capacityProviderStrategy ? { capacityProviderStrategy: target.capacityProviderStrategy } : {}),
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

interface JobTarget {
  taskDefinition: string;
  network: TaskNetwork;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
}

/**
 * A one-shot job of the deployed template (`restart: "no"`, a migration): its task definition,
 * network and capacity as its gate's run settings say, resolved against the stack's parameters
 * and resources; undefined when the template has no job of that name.
 */
async function jobTarget(clients: AwsClients, project: string, service: string, resources: readonly StackResource[]): Promise<JobTarget | undefined> {
  const cfn = await clients.cloudFormation();
  const template = await deployedTemplate(cfn, stackName(project));
  const gate = template ? jobGates(template).find((g) => g.service === service) : undefined;
  if (!template || !gate) return undefined;
  const { DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName(project) }))).Stacks?.[0];
  const parameters = Object.fromEntries((stack?.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
  const physicalId = async (logicalId: string): Promise<string> => {
    const id = resources.find((r) => r.logicalId === logicalId)?.physicalId;
    if (!id) throw new UserError(`The job ${service} has no ${logicalId} in the stack yet; run \`docker ecs compose up\` first.`);
    return id;
  };
  const resolve = (v: (typeof gate.run)[string] | undefined) => (v === undefined ? Promise.resolve([]) : resolveRunSetting(v, template, parameters, physicalId));
  const [taskDefinition] = await resolve(gate.run.taskDefinition);
  if (!taskDefinition) return undefined;
  return {
    taskDefinition,
    network: { subnets: await resolve(gate.run.subnets), securityGroups: await resolve(gate.run.securityGroups), assignPublicIp: gate.run.assignPublicIp === 'ENABLED' ? 'ENABLED' : 'DISABLED' },
    ...(Array.isArray(gate.run.capacityProviderStrategy) ? { capacityProviderStrategy: gate.run.capacityProviderStrategy as unknown as CapacityProviderStrategyItem[] } : {}),
  };
}

async function stop(clients: AwsClients, cluster: string, taskArn: string, taskId: string, o: OneOffOptions): Promise<OneOffResult> {
  const { StopTaskCommand } = await import('@aws-sdk/client-ecs');
  await (await clients.ecs()).send(new StopTaskCommand({ cluster, task: taskArn, reason: STOP_REASON }));
  o.say(`Stopped task ${taskId} of ${o.service}.`);
  return { kind: 'interrupted', taskId };
}
