/** ECS (JSON 1.1): clusters, services with deployments and events, tasks, task definitions. */
import { SimError } from '../errors.js';
import type { Service, Task, TaskDefinition, World } from '../world.js';
import { runTask } from '../engine/ecs-runtime.js';
import { strategyViolation } from '../engine/aws-rules.js';
import { ecsOperations } from './ecs-operations.js';
import { ecsTaskOperations, execAgentOf, runTaskOverrides } from './ecs-tasks.js';
import { date, page, type Handler } from './types.js';

const invalid = (m: string): SimError => new SimError('InvalidParameterException', m);

function cluster(world: World, v: unknown): string {
  const name = v === undefined ? 'default' : String(v).startsWith('arn:') ? String(v).split('/').pop()! : String(v);
  const arn = world.arn('ecs', `cluster/${name}`);
  if (!world.clusters.has(arn)) throw new SimError('ClusterNotFoundException', 'Cluster not found.');
  return arn;
}

function serviceOut(world: World, s: Service, withTags = false): Record<string, unknown> {
  const tasks = [...world.tasks.values()].filter((t) => t.serviceArn === s.arn && t.desiredStatus === 'RUNNING');
  const count = (dep: string | undefined, st: (t: Task) => boolean): number => tasks.filter((t) => (!dep || t.deploymentId === dep) && st(t)).length;
  const isRunning = (t: Task): boolean => t.lastStatus === 'RUNNING';
  const isPending = (t: Task): boolean => t.lastStatus !== 'RUNNING' && t.lastStatus !== 'STOPPED';
  return {
    serviceArn: s.arn,
    serviceName: s.name,
    clusterArn: s.clusterArn,
    loadBalancers: s.loadBalancers,
    serviceRegistries: s.serviceRegistries,
    status: s.status,
    desiredCount: s.desiredCount,
    runningCount: count(undefined, isRunning),
    pendingCount: count(undefined, isPending),
    launchType: s.launchType,
    capacityProviderStrategy: s.capacityProviderStrategy,
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: s.taskDefinitionArn,
    deploymentConfiguration: {
      deploymentCircuitBreaker: s.circuitBreaker,
      maximumPercent: s.maximumPercent,
      minimumHealthyPercent: s.minimumHealthyPercent,
    },
    deployments: s.deployments.map((d) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinitionArn,
      desiredCount: d.status === 'PRIMARY' || d.rolloutState !== 'FAILED' ? d.desiredCount : 0,
      pendingCount: count(d.id, isPending),
      runningCount: count(d.id, isRunning),
      failedTasks: d.failedTasks,
      createdAt: date(d.createdAt),
      updatedAt: date(d.updatedAt),
      launchType: s.launchType,
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      networkConfiguration: s.networkConfiguration,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
    })),
    roleArn: world.arn('iam', 'role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS', ''),
    events: s.events.map((e) => ({ id: e.id, createdAt: date(e.createdAt), message: e.message })),
    createdAt: date(s.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: s.networkConfiguration,
    schedulingStrategy: 'REPLICA',
    createdBy: world.arn('iam', 'role/sim', '').replace('::iam:', ':iam:'),
    enableECSManagedTags: false,
    propagateTags: 'NONE',
    enableExecuteCommand: s.enableExecuteCommand === true,
    tags: withTags ? s.tags : undefined,
  };
}

function taskOut(world: World, t: Task): Record<string, unknown> {
  return {
    taskArn: t.arn,
    clusterArn: t.clusterArn,
    taskDefinitionArn: t.taskDefinitionArn,
    group: t.group,
    startedBy: t.startedBy,
    lastStatus: t.lastStatus,
    desiredStatus: t.desiredStatus,
    healthStatus: t.healthStatus,
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    cpu: t.cpu,
    memory: t.memory,
    availabilityZone: t.availabilityZone,
    connectivity: t.lastStatus === 'PROVISIONING' ? undefined : 'CONNECTED',
    createdAt: date(t.createdAt),
    pullStartedAt: date(t.pullStartedAt),
    pullStoppedAt: date(t.pullStoppedAt),
    startedAt: date(t.startedAt),
    stoppingAt: date(t.stoppingAt),
    stoppedAt: date(t.stoppedAt),
    stoppedReason: t.stoppedReason,
    stopCode: t.stopCode,
    version: 1,
    attachments: [
      {
        id: t.id.slice(0, 8) + '-eni',
        type: 'ElasticNetworkInterface',
        status: t.lastStatus === 'STOPPED' ? 'DELETED' : 'ATTACHED',
        details: [
          { name: 'subnetId', value: world.subnets.find((s) => s.az === t.availabilityZone)?.id },
          { name: 'privateIPv4Address', value: t.privateIp },
        ],
      },
    ],
    enableExecuteCommand: t.enableExecuteCommand === true,
    containers: t.containers.map((c) => ({
      containerArn: c.arn,
      taskArn: t.arn,
      name: c.name,
      runtimeId: c.runtimeId,
      ...execAgentOf(t, c),
      image: c.image,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
      healthStatus: c.healthStatus,
      essential: c.essential,
      networkBindings: [],
      networkInterfaces: t.lastStatus === 'PROVISIONING' ? [] : [{ attachmentId: t.id.slice(0, 8) + '-eni', privateIpv4Address: t.privateIp }],
      cpu: '0',
    })),
    overrides: { containerOverrides: t.containers.map((c) => ({ name: c.name, ...t.overrides?.find((o) => o.name === c.name) })) },
    tags: [],
  };
}

function taskDefOut(td: TaskDefinition): Record<string, unknown> {
  return {
    taskDefinitionArn: td.arn,
    family: td.family,
    revision: td.revision,
    containerDefinitions: td.containerDefinitions,
    cpu: td.cpu,
    memory: td.memory,
    networkMode: td.networkMode,
    requiresCompatibilities: td.requiresCompatibilities,
    compatibilities: ['EC2', 'FARGATE'],
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    volumes: td.volumes,
    status: td.status,
    registeredAt: date(td.registeredAt),
  };
}

export const ecs: Record<string, Handler> = {
  ...ecsOperations,
  ...ecsTaskOperations,
  DescribeClusters({ world, params }) {
    const wanted: string[] = params.clusters?.length ? params.clusters : ['default'];
    const clusters = [];
    const failures = [];
    for (const c of wanted) {
      const name = c.startsWith('arn:') ? c.split('/').pop()! : c;
      const arn = world.arn('ecs', `cluster/${name}`);
      const cl = world.clusters.get(arn);
      if (!cl) {
        failures.push({ arn, reason: 'MISSING' });
        continue;
      }
      const tasks = [...world.tasks.values()].filter((t) => t.clusterArn === arn && t.desiredStatus === 'RUNNING');
      clusters.push({
        clusterArn: arn,
        clusterName: name,
        status: cl.status,
        runningTasksCount: tasks.filter((t) => t.lastStatus === 'RUNNING').length,
        pendingTasksCount: tasks.filter((t) => t.lastStatus !== 'RUNNING').length,
        activeServicesCount: [...world.services.values()].filter((s) => s.clusterArn === arn && s.status === 'ACTIVE').length,
        registeredContainerInstancesCount: cl.containerInstances?.length ?? 0,
        capacityProviders: cl.capacityProviders ?? [],
        tags: params.include?.includes('TAGS') ? cl.tags : undefined,
      });
    }
    return { clusters, failures };
  },
  ListServices({ world, params }) {
    const arn = cluster(world, params.cluster);
    const all = [...world.services.values()].filter((s) => s.clusterArn === arn && s.status !== 'INACTIVE').map((s) => s.arn);
    const { items, next } = page(all, params.nextToken, Math.min(100, Number(params.maxResults ?? 10)));
    return { serviceArns: items, nextToken: next };
  },
  DescribeServices({ world, params }) {
    const arn = cluster(world, params.cluster);
    const wanted: string[] = params.services ?? [];
    if (!wanted.length) throw invalid('Services cannot be empty.');
    if (wanted.length > 10) throw invalid('Services cannot have more than 10 entries.');
    const services = [];
    const failures = [];
    for (const s of wanted) {
      const svcArn = s.startsWith('arn:') ? s : world.arn('ecs', `service/${arn.split('/').pop()}/${s}`);
      const svc = world.services.get(svcArn);
      if (!svc) failures.push({ arn: svcArn, reason: 'MISSING' });
      else services.push(serviceOut(world, svc, params.include?.includes('TAGS') === true));
    }
    return { services, failures };
  },
  ListTasks({ world, params }) {
    const arn = cluster(world, params.cluster);
    const desired = params.desiredStatus ?? 'RUNNING';
    // ECS answers these combinations with InvalidParameterException (desiredStatus goes with either)
    if (params.startedBy && (params.serviceName || params.family || params.containerInstance || params.launchType)) throw invalid('cannot specify startedBy with other arguments');
    if (params.serviceName && (params.family || params.containerInstance)) throw invalid('cannot specify serviceName with other arguments');
    if (params.serviceName) {
      const svcArn = String(params.serviceName).startsWith('arn:') ? params.serviceName : world.arn('ecs', `service/${arn.split('/').pop()}/${params.serviceName}`);
      if (!world.services.has(svcArn)) throw new SimError('ServiceNotFoundException', 'Service not found.');
    }
    const svcName = params.serviceName ? String(params.serviceName).split('/').pop() : undefined;
    const all = [...world.tasks.values()]
      .filter((t) => t.clusterArn === arn && t.desiredStatus === desired)
      .filter((t) => !svcName || t.group === `service:${svcName}`)
      .filter((t) => !params.family || world.taskDefinitions.get(t.taskDefinitionArn)?.family === params.family)
      .filter((t) => !params.startedBy || t.startedBy === params.startedBy)
      .map((t) => t.arn);
    const { items, next } = page(all, params.nextToken, Math.min(100, Number(params.maxResults ?? 100)));
    return { taskArns: items, nextToken: next };
  },
  DescribeTasks({ world, params }) {
    const arn = cluster(world, params.cluster);
    const wanted: string[] = params.tasks ?? [];
    if (!wanted.length) throw invalid('Tasks cannot be empty.');
    if (wanted.length > 100) throw invalid('Tasks cannot have more than 100 entries.');
    const tasks = [];
    const failures = [];
    for (const t of wanted) {
      const taskArn = t.startsWith('arn:') ? t : world.arn('ecs', `task/${arn.split('/').pop()}/${t}`);
      const task = world.tasks.get(taskArn);
      if (!task) failures.push({ arn: taskArn, reason: 'MISSING' });
      else tasks.push(taskOut(world, task));
    }
    return { tasks, failures };
  },
  DescribeTaskDefinition({ world, params }) {
    const v = String(params.taskDefinition ?? '');
    let td = world.taskDefinitions.get(v);
    if (!td) {
      const [family, rev] = (v.startsWith('arn:') ? v.split('/').pop()! : v).split(':');
      td = [...world.taskDefinitions.values()]
        .filter((t) => t.family === family && (rev === undefined ? t.status === 'ACTIVE' : String(t.revision) === rev))
        .sort((a, b) => b.revision - a.revision)[0];
    }
    if (!td) throw new SimError('ClientException', 'Unable to describe task definition.');
    return { taskDefinition: taskDefOut(td), tags: params.include?.includes('TAGS') ? td.tags : undefined };
  },
  RunTask({ world, params }) {
    const arn = cluster(world, params.cluster);
    const v = String(params.taskDefinition ?? '');
    const td = world.taskDefinitions.get(v) ?? [...world.taskDefinitions.values()].filter((t) => t.family === v.split(':')[0] && t.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
    if (!td) throw new SimError('ClientException', 'Unable to describe task definition.');
    if (td.status !== 'ACTIVE') throw new SimError('ClientException', `TaskDefinition is inactive`);
    const strategy = strategyViolation(world, arn.split('/').pop()!, params.capacityProviderStrategy, params.launchType);
    if (strategy) throw invalid(strategy);
    const onFargate = (params.capacityProviderStrategy ?? []).some((i: { capacityProvider?: string }) => /^FARGATE/.test(String(i.capacityProvider)));
    const launchType = params.launchType ?? (onFargate ? 'FARGATE' : 'EC2');
    const awsvpc = params.networkConfiguration?.awsvpcConfiguration;
    if (launchType === 'FARGATE' && !awsvpc?.subnets?.length) throw invalid('Network Configuration must be provided when networkMode \'awsvpc\' is specified.');
    const count = Number(params.count ?? 1);
    if (count < 1 || count > 10) throw invalid('count must be between 1 and 10.');
    const overrides = runTaskOverrides(td, params.overrides);
    const exec = params.enableExecuteCommand === true ? { enableExecuteCommand: true } : {};
    const tasks = [];
    for (let i = 0; i < count; i++) tasks.push(taskOut(world, runTask(world, arn, td, String(params.startedBy ?? ''), params.group, { ...(overrides ? { overrides } : {}), ...exec })));
    return { tasks, failures: [] };
  },
  ListClusters({ world }) {
    return { clusterArns: [...world.clusters.keys()] };
  },
};
