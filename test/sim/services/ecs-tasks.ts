/**
 * ECS actions on standalone tasks and task definitions that `run` and `exec` use: RunTask's
 * container overrides, StopTask, RegisterTaskDefinition, DeregisterTaskDefinition, with ECS's
 * validation. Sources: Amazon ECS API Reference, RunTask (overrides: containers of the task
 * definition, 8192 characters in all), StopTask (reason up to 255 characters),
 * RegisterTaskDefinition (family: up to 255 letters, digits, hyphens, underscores; Fargate needs
 * awsvpc and task-level cpu and memory), DeregisterTaskDefinition (family:revision or ARN).
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

function tdOut(td: TaskDefinition): Record<string, unknown> {
  return { taskDefinitionArn: td.arn, family: td.family, revision: td.revision, containerDefinitions: td.containerDefinitions, status: td.status, registeredAt: date(td.registeredAt) };
}

export const ecsTaskOperations: Record<string, Handler> = {
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
