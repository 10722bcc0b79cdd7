/**
 * The task definition a `run` task starts from. RunTask's container overrides carry a command and
 * environment variables, but no user, entry point or working directory; for `-u`, `--entrypoint`
 * and `-w` we register a derived revision in a family of its own, `<family>-run` (so the
 * service's family, which CloudFormation owns and `aws ecs run-task --task-definition FAMILY`
 * resolves to its newest revision, never gets a revision it did not make), start the task from
 * it, and deregister it right after RunTask: a running task keeps running on an INACTIVE
 * revision, and no new task can start from it.
 * Calls: DescribeTaskDefinition; RegisterTaskDefinition and DeregisterTaskDefinition only with those flags.
 */
import type { ContainerDefinition, ECSClient, RegisterTaskDefinitionCommandInput, TaskDefinition } from '@aws-sdk/client-ecs';
import { runTaskFamily } from '../convert/naming.js';

export interface ContainerChanges {
  user?: string;
  entrypoint?: string[];
  workdir?: string;
}

export interface RunDefinition {
  taskDefinitionArn: string;
  containers: string[];
  /** the derived revision to deregister once the task has started */
  derived?: string;
}

export async function describeTaskDefinition(ecs: ECSClient, arn: string): Promise<{ definition: TaskDefinition; tags: Array<{ key: string; value: string }> }> {
  const { DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const res = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
  if (!res.taskDefinition) throw new Error(`DescribeTaskDefinition returned no task definition for ${arn}`);
  return { definition: res.taskDefinition, tags: (res.tags ?? []).flatMap((t) => (t.key ? [{ key: t.key, value: t.value ?? '' }] : [])) };
}

export function hasContainerChanges(c: ContainerChanges): boolean {
  return c.user !== undefined || c.entrypoint !== undefined || c.workdir !== undefined;
}

/** The registration of the derived revision: the service's task definition with the container changed. */
export function derivedRegistration(
  definition: TaskDefinition,
  tags: ReadonlyArray<{ key: string; value: string }>,
  container: string,
  changes: ContainerChanges,
): RegisterTaskDefinitionCommandInput {
  const containers = (definition.containerDefinitions ?? []).map((c): ContainerDefinition => {
    if (c.name !== container) return c;
    return {
      ...c,
      ...(changes.user !== undefined ? { user: changes.user } : {}),
      ...(changes.entrypoint !== undefined ? { entryPoint: changes.entrypoint } : {}),
      ...(changes.workdir !== undefined ? { workingDirectory: changes.workdir } : {}),
    };
  });
  const d = definition;
  return {
    // family names: up to 255 letters, digits, hyphens and underscores
    family: runTaskFamily(d.family ?? 'task'),
    containerDefinitions: containers,
    ...(d.taskRoleArn ? { taskRoleArn: d.taskRoleArn } : {}),
    ...(d.executionRoleArn ? { executionRoleArn: d.executionRoleArn } : {}),
    ...(d.networkMode ? { networkMode: d.networkMode } : {}),
    ...(d.volumes?.length ? { volumes: d.volumes } : {}),
    ...(d.placementConstraints?.length ? { placementConstraints: d.placementConstraints } : {}),
    ...(d.requiresCompatibilities?.length ? { requiresCompatibilities: d.requiresCompatibilities } : {}),
    ...(d.cpu ? { cpu: d.cpu } : {}),
    ...(d.memory ? { memory: d.memory } : {}),
    ...(d.pidMode ? { pidMode: d.pidMode } : {}),
    ...(d.ipcMode ? { ipcMode: d.ipcMode } : {}),
    ...(d.proxyConfiguration ? { proxyConfiguration: d.proxyConfiguration } : {}),
    ...(d.ephemeralStorage ? { ephemeralStorage: d.ephemeralStorage } : {}),
    ...(d.runtimePlatform ? { runtimePlatform: d.runtimePlatform } : {}),
    // aws: tags (CloudFormation's) are AWS's own and cannot be set
    ...(tags.some((t) => !t.key.startsWith('aws:')) ? { tags: tags.filter((t) => !t.key.startsWith('aws:')) } : {}),
  };
}

export async function registerDerived(ecs: ECSClient, input: RegisterTaskDefinitionCommandInput): Promise<string> {
  const { RegisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const res = await ecs.send(new RegisterTaskDefinitionCommand(input));
  const arn = res.taskDefinition?.taskDefinitionArn;
  if (!arn) throw new Error('RegisterTaskDefinition returned no task definition');
  return arn;
}

export async function deregister(ecs: ECSClient, arn: string): Promise<void> {
  const { DeregisterTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }));
}
