/**
 * ECS actions on standalone tasks and task definitions that `run` and `exec` use: RunTask's
 * container overrides, StopTask, RegisterTaskDefinition, DeregisterTaskDefinition, with ECS's
 * validation. Sources: Amazon ECS API Reference, RunTask (overrides: containers of the task
 * definition, 8192 characters in all), StopTask (reason up to 255 characters),
 * RegisterTaskDefinition (family: up to 255 letters, digits, hyphens, underscores; Fargate needs
 * awsvpc and task-level cpu and memory), DeregisterTaskDefinition (family:revision or ARN).
 *
 * ExecuteCommand (ECS API Reference, ExecuteCommand; Developer Guide, "Monitor Amazon ECS
 * containers with ECS Exec"): interactive only; the task must run with ECS Exec on and its agent
 * running, else ECS's "execute command was not enabled ... or the execute command agent isn't
 * running" (InvalidParameterException); the agent reaches Systems Manager only when the task role
 * allows the four ssmmessages channel actions, else TargetNotConnectedException "The execute
 * command failed due to an internal error. Try again later." (what users meet then).
 */
import { SimError } from '../errors.js';
import { stopTask } from '../engine/ecs-runtime.js';
import type { ContainerDef, Task, TaskDefinition, World } from '../world.js';
import { date, type Handler } from './types.js';

const invalid = (m: string): SimError => new SimError('InvalidParameterException', m);
const client = (m: string): SimError => new SimError('ClientException', m);

function clusterArnOf(world: World, v: unknown): string {
  const name = v === undefined ? 'default' : String(v).startsWith('arn:') ? String(v).split('/').pop()! : String(v);
  const arn = world.arn('ecs', `cluster/${name}`);
  if (!world.clusters.has(arn)) throw new SimError('ClusterNotFoundException', 'Cluster not found.');
  return arn;
}

export function taskOf(world: World, clusterArn: string, v: unknown): Task | undefined {
  const s = String(v ?? '');
  const arn = s.startsWith('arn:') ? s : world.arn('ecs', `task/${clusterArn.split('/').pop()}/${s}`);
  const t = world.tasks.get(arn);
  return t && t.clusterArn === clusterArn ? t : undefined;
}

/** RunTask's `overrides`: container overrides of containers the task definition has, 8192 characters at most. */
export function runTaskOverrides(td: TaskDefinition, overrides: unknown): Task['overrides'] {
  if (overrides === undefined || overrides === null) return undefined;
  const list = ((overrides as { containerOverrides?: unknown }).containerOverrides ?? []) as NonNullable<Task['overrides']>;
  if (JSON.stringify(list).length > 8192) throw invalid('Container Overrides length must be at most 8192');
  for (const o of list) {
    if (!td.containerDefinitions.some((c) => c.name === o.name)) throw invalid(`Override for container named ${o.name} is not a container in the TaskDefinition.`);
  }
  return list;
}

const EXEC_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];
const NOT_ENABLED =
  "The execute command failed because execute command was not enabled when the task was run or the execute command agent isn't running. Wait and try again or run a new task with execute command enabled and try again.";

/** DescribeTasks' managedAgents of a container: the ECS Exec agent runs while the task runs with ECS Exec. */
export function execAgentOf(t: Task, c: { name: string }): { managedAgents?: Array<Record<string, unknown>> } {
  void c;
  if (!t.enableExecuteCommand || t.startedAt === undefined) return {};
  return { managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: t.lastStatus === 'RUNNING' ? 'RUNNING' : 'STOPPED', lastStartedAt: date(t.startedAt) }] };
}

function allowsAction(doc: unknown, action: string): boolean {
  const statements = (doc as { Statement?: unknown })?.Statement;
  const list = (Array.isArray(statements) ? statements : [statements]) as Array<{ Effect?: string; Action?: unknown }>;
  return list.some((s) => {
    if (s?.Effect !== 'Allow') return false;
    const actions = (Array.isArray(s.Action) ? s.Action : [s.Action]).map(String);
    return actions.some((a) => a === '*' || a.toLowerCase() === 'ssmmessages:*' || a.toLowerCase() === action.toLowerCase());
  });
}

/** Whether the task role lets the ECS Exec agent open its channels. */
function roleAllowsExec(world: World, roleArn: string | undefined): boolean {
  const role = roleArn ? world.roles.get(roleArn) : undefined;
  if (!role) return false;
  if (role.managed.some((m) => m.endsWith(':policy/AmazonSSMManagedInstanceCore'))) return true;
  return EXEC_ACTIONS.every((a) => role.policies.some((d) => allowsAction(d, a)));
}

function tdOut(td: TaskDefinition): Record<string, unknown> {
  return { taskDefinitionArn: td.arn, family: td.family, revision: td.revision, containerDefinitions: td.containerDefinitions, status: td.status, registeredAt: date(td.registeredAt) };
}

export const ecsTaskOperations: Record<string, Handler> = {
  ExecuteCommand({ world, params }) {
    const clusterArn = clusterArnOf(world, params.cluster);
    if (typeof params.command !== 'string' || params.command === '') throw invalid('Command cannot be empty.');
    if (params.interactive !== true) throw invalid('Interactive is the only mode supported currently.');
    const task = taskOf(world, clusterArn, params.task);
    if (!task) throw invalid('The task provided in the request was not found.');
    if (!task.enableExecuteCommand || task.lastStatus !== 'RUNNING') throw invalid(NOT_ENABLED);
    const container = params.container === undefined ? (task.containers.length === 1 ? task.containers[0] : undefined) : task.containers.find((c) => c.name === params.container);
    if (!container) {
      throw invalid(params.container === undefined ? 'The task has more than one container: a container name must be specified.' : `The container ${String(params.container)} does not exist in the task.`);
    }
    if (container.lastStatus !== 'RUNNING') throw invalid(NOT_ENABLED);
    if (!roleAllowsExec(world, world.taskDefinitions.get(task.taskDefinitionArn)?.taskRoleArn)) {
      throw new SimError('TargetNotConnectedException', 'The execute command failed due to an internal error. Try again later.');
    }
    const sessionId = `ecs-execute-command-${world.ids.hex(17)}`;
    return {
      clusterArn,
      containerArn: container.arn,
      containerName: container.name,
      interactive: true,
      session: {
        sessionId,
        streamUrl: `wss://ssmmessages.${world.region}.amazonaws.com/v1/data-channel/${sessionId}?role=publish_subscribe&cell-number=AAEAAQ`,
        tokenValue: world.ids.alnum(256),
      },
      taskArn: task.arn,
    };
  },
  StopTask({ world, params }) {
    const clusterArn = clusterArnOf(world, params.cluster);
    if (params.task === undefined || params.task === '') throw invalid('Task cannot be empty.');
    const reason = params.reason === undefined ? 'Task stopped by user' : String(params.reason);
    if (reason.length > 255) throw invalid('Reason can be at most 255 characters.');
    const task = taskOf(world, clusterArn, params.task);
    if (!task) throw invalid('The referenced task was not found.');
    stopTask(world, task, { stopCode: 'UserInitiated', stoppedReason: reason });
    return { task: { taskArn: task.arn, clusterArn: task.clusterArn, lastStatus: task.lastStatus, desiredStatus: task.desiredStatus, stoppedReason: task.stoppedReason, stopCode: task.stopCode } };
  },
  RegisterTaskDefinition({ world, params }) {
    const family = String(params.family ?? '');
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) throw client('Family contains invalid characters: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.');
    const containers = (params.containerDefinitions ?? []) as ContainerDef[];
    if (containers.length === 0) throw client('Container list cannot be empty.');
    for (const c of containers) if (!c.name || !c.image) throw client('Container.name and Container.image should not be null or empty.');
    const fargate = ((params.requiresCompatibilities ?? []) as string[]).includes('FARGATE');
    if (fargate && params.networkMode !== 'awsvpc') throw client("Fargate only supports network mode 'awsvpc'.");
    if (fargate && (!params.cpu || !params.memory)) throw client('Fargate requires that \'cpu\' be defined at the task level.');
    const revision = [...world.taskDefinitions.values()].filter((t) => t.family === family).length + 1;
    const arn = world.arn('ecs', `task-definition/${family}:${revision}`);
    const td: TaskDefinition = {
      arn,
      family,
      revision,
      containerDefinitions: containers,
      cpu: params.cpu,
      memory: params.memory,
      networkMode: params.networkMode,
      requiresCompatibilities: params.requiresCompatibilities,
      executionRoleArn: params.executionRoleArn,
      taskRoleArn: params.taskRoleArn,
      volumes: params.volumes ?? [],
      status: 'ACTIVE',
      registeredAt: world.now(),
      tags: ((params.tags ?? []) as Array<{ key: string; value: string }>).map((t) => {
        if (t.key.toLowerCase().startsWith('aws:')) throw invalid('Tag keys cannot start with aws:.');
        return { key: t.key, value: t.value };
      }),
    };
    world.taskDefinitions.set(arn, td);
    return { taskDefinition: tdOut(td), tags: td.tags };
  },
  DeregisterTaskDefinition({ world, params }) {
    const v = String(params.taskDefinition ?? '');
    const [family, revision] = (v.startsWith('arn:') ? v.split('/').pop()! : v).split(':');
    if (revision === undefined || !/^\d+$/.test(revision)) throw client('Invalid revision number. Number: ' + (revision ?? ''));
    const td = [...world.taskDefinitions.values()].find((t) => t.family === family && String(t.revision) === revision);
    if (!td) throw client('The specified task definition does not exist.');
    td.status = 'INACTIVE';
    return { taskDefinition: tdOut(td) };
  },
};
