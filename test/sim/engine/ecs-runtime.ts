/**
 * ECS services over time: a deployment launches its tasks (PROVISIONING → PENDING → RUNNING),
 * stops the previous deployment's tasks, then reports "has reached a steady state". Crashing
 * tasks (scenario `taskCrashes`) stop with AWS's reasons and are replaced until the deployment
 * circuit breaker trips. Running containers with the awslogs driver write log lines.
 */
import type { TaskCrash } from '../scenario.js';
import type { ContainerDef, Deployment, Service, Task, TaskDefinition, World } from '../world.js';

export const TASK_TIMES = { pending: 2000, running: 5000, stop: 3000, replaceAfter: 4000 };

/**
 * Fargate's container runtime ids read `<task id>-<10 digits>`; derived from the task and container
 * (not drawn from the id source, so the ids of everything else stay as they were).
 */
function runtimeIdOf(task: Task, container: string): string {
  let h = 2166136261;
  for (const ch of `${task.id}/${container}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `${task.id}-${1_000_000_000 + (h % 999_999_999)}`;
}


function serviceEvent(world: World, svc: Service, message: string): void {
  svc.events.unshift({ id: world.ids.uuid(), createdAt: world.now(), message: `(service ${svc.name}) ${message}` });
  if (svc.events.length > 100) svc.events.length = 100;
}

function clusterName(arn: string): string {
  return arn.split('/').pop()!;
}

function findCrash(world: World, svc: Service, td: TaskDefinition): TaskCrash | undefined {
  for (const c of world.scenario.taskCrashes ?? []) {
    const names = [svc.name, svc.logicalId, ...td.containerDefinitions.map((d) => d.name)];
    if (c.service && !names.includes(c.service)) continue;
    const used = world.crashUses.get(c) ?? 0;
    if (c.count !== undefined && used >= c.count) continue;
    world.crashUses.set(c, used + 1);
    return c;
  }
  return undefined;
}

function threshold(world: World, desired: number): number {
  return world.scenario.circuitBreakerThreshold ?? Math.min(200, Math.max(3, Math.ceil(desired / 2)));
}

export function newDeployment(world: World, svc: Service, taskDefinitionArn: string): Deployment {
  const now = world.now();
  const dep: Deployment = {
    id: `ecs-svc/${String(1_000_000_000_000_000_000n + BigInt(world.ids.int(1e9)) * 1_000_000_000n + BigInt(world.ids.int(1e9)))}`,
    status: 'PRIMARY',
    taskDefinitionArn,
    desiredCount: svc.desiredCount,
    failedTasks: 0,
    createdAt: now,
    updatedAt: now,
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: 'ECS deployment ' + '' + 'in progress.',
  };
  for (const d of svc.deployments) {
    if (d.status === 'PRIMARY') d.status = 'ACTIVE';
  }
  svc.deployments.unshift(dep);
  dep.rolloutStateReason = `ECS deployment ${dep.id} in progress.`;
  svc.taskDefinitionArn = taskDefinitionArn;
  return dep;
}

/** Start (or restart) the rollout of the primary deployment. */
export function rollOut(world: World, svc: Service, onSettled?: (failure?: string) => void): void {
  svc.onSettled = onSettled;
  const dep = svc.deployments[0]!;
  const started = world.now();
  launchMissing(world, svc, dep);
  check(world, svc);
  if (!svc.circuitBreaker.enable) {
    const timeout = world.scenario.stabilizationTimeoutMs ?? 600_000;
    world.sched.after(timeout, () => {
      if (dep.rolloutState === 'IN_PROGRESS' && svc.deployments[0] === dep && svc.status === 'ACTIVE') {
        settle(svc, `Service ${svc.arn} did not stabilize within ${Math.round((world.now() - started) / 1000)} seconds.`);
      }
    });
  }
}

function settle(svc: Service, failure?: string): void {
  const cb = svc.onSettled;
  svc.onSettled = undefined;
  cb?.(failure);
}

function tasksOf(world: World, dep: Deployment): Task[] {
  return [...world.tasks.values()].filter((t) => t.deploymentId === dep.id);
}

function launchMissing(world: World, svc: Service, dep: Deployment): void {
  if (svc.status !== 'ACTIVE' || dep.rolloutState === 'FAILED' || dep.status !== 'PRIMARY') return;
  const live = tasksOf(world, dep).filter((t) => t.desiredStatus === 'RUNNING').length;
  let missing = Math.max(0, dep.desiredCount - live);
  if (missing === 0) return;
  // maximumPercent caps old + new tasks (a task counts until it has STOPPED); minimumHealthyPercent
  // is how many old ones must keep running: 0 / 100 stops the old task before the new one starts
  const cap = Math.floor((dep.desiredCount * svc.maximumPercent) / 100);
  const oldTasks = svc.deployments.filter((d) => d !== dep).flatMap((d) => tasksOf(world, d)).filter((t) => t.lastStatus !== 'STOPPED');
  const room = Math.max(0, cap - live - oldTasks.length);
  if (room < missing && oldTasks.length > 0) {
    const floor = Math.ceil((dep.desiredCount * svc.minimumHealthyPercent) / 100);
    const running = oldTasks.filter((t) => t.desiredStatus === 'RUNNING');
    const stop = running.slice(0, Math.min(missing - room, Math.max(0, running.length - floor)));
    for (const t of stop) stopTask(world, t, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${dep.id})` });
    if (stop.length) serviceEvent(world, svc, `has stopped ${stop.length} running tasks: ${stop.map((t) => `(task ${t.id})`).join(' ')}.`);
    if (room === 0) {
      world.sched.after(1500, () => launchMissing(world, svc, dep));
      return;
    }
  }
  if (oldTasks.length > 0 && room < missing) {
    missing = room;
    world.sched.after(1500, () => launchMissing(world, svc, dep));
    if (missing === 0) return;
  }
  const started: Task[] = [];
  for (let i = 0; i < missing && i < 1000; i++) started.push(launchTask(world, svc, dep));
  serviceEvent(world, svc, `has started ${started.length} tasks: ${started.map((t) => `(task ${t.id})`).join(' ')}.`);
}

/** A new task's containers, one a definition, none started yet (a service's task and a RunTask one alike). */
function pendingContainers(world: World, cluster: string, taskId: string, definitions: ContainerDef[]): Task['containers'] {
  return definitions.map((c) => ({
    name: c.name,
    image: c.image,
    arn: world.arn('ecs', `container/${cluster}/${taskId}/${world.ids.uuid()}`),
    lastStatus: 'PENDING',
    healthStatus: 'UNKNOWN',
    essential: c.essential !== false,
    ports: c.portMappings ?? [],
  }));
}

function launchTask(world: World, svc: Service, dep: Deployment): Task {
  const td = world.taskDefinitions.get(dep.taskDefinitionArn);
  const cluster = clusterName(svc.clusterArn);
  const id = world.ids.hex(32);
  const arn = world.arn('ecs', `task/${cluster}/${id}`);
  const idx = world.ids.int(3);
  const now = world.now();
  const task: Task = {
    arn,
    id,
    clusterArn: svc.clusterArn,
    taskDefinitionArn: dep.taskDefinitionArn,
    group: `service:${svc.name}`,
    startedBy: dep.id,
    serviceArn: svc.arn,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    containers: pendingContainers(world, cluster, id, td?.containerDefinitions ?? []),
    createdAt: now,
    availabilityZone: world.azs[idx]!,
    privateIp: `172.31.${idx * 16 + 1 + world.ids.int(14)}.${1 + world.ids.int(250)}`,
    deploymentId: dep.id,
    cpu: td?.cpu,
    memory: td?.memory,
    ...(svc.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
  };
  world.tasks.set(arn, task);
  const crash = td ? findCrash(world, svc, td) : undefined;
  world.sched.after(TASK_TIMES.pending, () => {
    if (task.desiredStatus !== 'RUNNING') return;
    task.lastStatus = 'PENDING';
    task.pullStartedAt = world.now();
  });
  if (crash?.kind === 'pull') {
    world.sched.after(TASK_TIMES.pending + TASK_TIMES.stop, () => {
      if (task.desiredStatus !== 'RUNNING') return;
      const image = task.containers[0]?.image ?? 'image';
      const ref = image.includes('/') ? image : `docker.io/library/${image}`;
      const reason =
        crash.reason ??
        `CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref ${ref}: ${ref}: not found`;
      stopTask(world, task, { stopCode: 'TaskFailedToStart', stoppedReason: reason, containerReason: reason });
      failed(world, svc, dep);
    });
    return task;
  }
  world.sched.after(TASK_TIMES.running, () => {
    if (task.desiredStatus !== 'RUNNING') return;
    const t = world.now();
    task.lastStatus = 'RUNNING';
    task.pullStoppedAt = t - 1000;
    task.startedAt = t;
    for (const c of task.containers) {
      c.lastStatus = 'RUNNING';
      c.runtimeId = runtimeIdOf(task, c.name);
      const def = td?.containerDefinitions.find((d) => d.name === c.name);
      c.healthStatus = def?.healthCheck ? 'HEALTHY' : 'UNKNOWN';
    }
    task.healthStatus = task.containers.some((c) => c.healthStatus === 'HEALTHY') ? 'HEALTHY' : 'UNKNOWN';
    startLogging(world, task, td);
    if (crash?.kind === 'exit') {
      world.sched.after(crash.runMs ?? 5000, () => {
        if (task.desiredStatus !== 'RUNNING') return;
        const essential = task.containers.find((c) => c.essential) ?? task.containers[0];
        if (essential && td) {
          const lines = crash.lastLines ?? ['Error: connect ECONNREFUSED 127.0.0.1:5432', 'process exited with code ' + (crash.exitCode ?? 1)];
          for (const line of lines) writeLine(world, task, td, essential.name, line);
        }
        stopTask(world, task, {
          stopCode: 'EssentialContainerExited',
          stoppedReason: crash.reason ?? 'Essential container in task exited',
          exitCodes: essential ? { [essential.name]: crash.exitCode ?? 1 } : {},
        });
        failed(world, svc, dep);
      });
    }
    check(world, svc);
  });
  return task;
}

function failed(world: World, svc: Service, dep: Deployment): void {
  dep.failedTasks++;
  dep.updatedAt = world.now();
  if (svc.status !== 'ACTIVE' || dep.rolloutState === 'FAILED') return;
  if (dep.rolloutState === 'COMPLETED') {
    // After a steady state the scheduler just replaces the task; the circuit breaker is done.
    world.sched.after(TASK_TIMES.replaceAfter, () => launchMissing(world, svc, dep));
    return;
  }
  if (svc.circuitBreaker.enable && dep.failedTasks >= threshold(world, dep.desiredCount)) {
    dep.rolloutState = 'FAILED';
    dep.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    serviceEvent(world, svc, `(deployment ${dep.id}) deployment failed: tasks failed to start.`);
    for (const t of tasksOf(world, dep)) if (t.desiredStatus === 'RUNNING') stopTask(world, t, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${dep.id})` });
    const previous = svc.deployments.find((d) => d !== dep && d.status === 'ACTIVE');
    if (svc.circuitBreaker.rollback && previous) {
      dep.status = 'ACTIVE';
      previous.status = 'PRIMARY';
      previous.rolloutState = 'IN_PROGRESS';
      svc.taskDefinitionArn = previous.taskDefinitionArn;
      serviceEvent(world, svc, `(deployment ${dep.id}) deployment failed: rolling back to deployment ${previous.id}.`);
    }
    settle(svc, 'Error occurred during operation \'ECS Deployment Circuit Breaker was triggered\'.');
    return;
  }
  world.sched.after(TASK_TIMES.replaceAfter, () => launchMissing(world, svc, dep));
}

interface StopInfo {
  stopCode: string;
  stoppedReason: string;
  containerReason?: string;
  exitCodes?: Record<string, number>;
}

export function stopTask(world: World, task: Task, info: StopInfo): void {
  if (task.desiredStatus === 'STOPPED') return;
  const wasRunning = task.lastStatus === 'RUNNING';
  task.desiredStatus = 'STOPPED';
  task.stopCode = info.stopCode;
  task.stoppedReason = info.stoppedReason;
  task.stoppingAt = world.now();
  task.lastStatus = wasRunning ? 'DEACTIVATING' : 'STOPPED';
  const finish = (): void => {
    task.lastStatus = 'STOPPED';
    task.stoppedAt = world.now();
    task.healthStatus = 'UNKNOWN';
    for (const c of task.containers) {
      c.lastStatus = 'STOPPED';
      if (info.exitCodes && c.name in info.exitCodes) c.exitCode = info.exitCodes[c.name];
      else if (wasRunning) c.exitCode = c.exitCode ?? (info.stopCode === 'EssentialContainerExited' ? 137 : 0);
      if (info.containerReason) c.reason = info.containerReason;
      c.healthStatus = 'UNKNOWN';
    }
  };
  if (wasRunning) world.sched.after(1000, finish);
  else finish();
}

/** Steady state: the primary deployment runs its desired count and no older task runs. */
function check(world: World, svc: Service): void {
  const dep = svc.deployments[0];
  if (!dep || svc.status !== 'ACTIVE' || dep.rolloutState !== 'IN_PROGRESS') return;
  const running = tasksOf(world, dep).filter((t) => t.lastStatus === 'RUNNING' && t.desiredStatus === 'RUNNING').length;
  if (running < dep.desiredCount) return;
  const older = svc.deployments.filter((d) => d !== dep);
  const oldTasks = older.flatMap((d) => tasksOf(world, d)).filter((t) => t.desiredStatus === 'RUNNING');
  if (oldTasks.length) {
    for (const t of oldTasks) stopTask(world, t, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${dep.id})` });
    serviceEvent(world, svc, `has stopped ${oldTasks.length} running tasks: ${oldTasks.map((t) => `(task ${t.id})`).join(' ')}.`);
  }
  world.sched.after(oldTasks.length ? 1500 : 500, () => {
    if (dep.rolloutState !== 'IN_PROGRESS' || svc.status !== 'ACTIVE') return;
    dep.rolloutState = 'COMPLETED';
    dep.rolloutStateReason = `ECS deployment ${dep.id} completed.`;
    dep.updatedAt = world.now();
    svc.deployments = svc.deployments.filter((d) => d === dep);
    serviceEvent(world, svc, `has reached a steady state.`);
    settle(svc);
  });
}

export function scaleDownAndDelete(world: World, svc: Service, done: () => void): void {
  svc.status = 'DRAINING';
  svc.desiredCount = 0;
  settle(svc, 'Service was deleted.');
  const live = [...world.tasks.values()].filter((t) => t.serviceArn === svc.arn && t.desiredStatus === 'RUNNING');
  for (const t of live) stopTask(world, t, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ' + (svc.deployments[0]?.id ?? '') + ')' });
  if (live.length) serviceEvent(world, svc, `has stopped ${live.length} running tasks: ${live.map((t) => `(task ${t.id})`).join(' ')}.`);
  world.sched.after(live.length ? 2000 : 500, () => {
    svc.status = 'INACTIVE';
    done();
  });
}

// --- logs -------------------------------------------------------------------------------------

const DEFAULT_LINES = ['{container} listening on port {port}', 'GET / 200 {n}ms', 'GET /health 200 1ms'];

function streamFor(task: Task, td: TaskDefinition, container: string): { group: string; stream: string } | undefined {
  const def = td.containerDefinitions.find((c) => c.name === container);
  const lc = def?.logConfiguration;
  if (!lc || lc.logDriver !== 'awslogs' || !lc.options?.['awslogs-group']) return undefined;
  const prefix = lc.options['awslogs-stream-prefix'];
  return { group: lc.options['awslogs-group'], stream: prefix ? `${prefix}/${container}/${task.id}` : task.id };
}

function writeLine(world: World, task: Task, td: TaskDefinition, container: string, line: string): void {
  const target = streamFor(task, td, container);
  if (target) world.log(target.group, target.stream, line);
}

function startLogging(world: World, task: Task, td: TaskDefinition | undefined): void {
  if (!td) return;
  const lines = world.scenario.logLines ?? DEFAULT_LINES;
  const interval = Math.max(100, world.scenario.logIntervalMs ?? 2000);
  let n = 0;
  const tick = (): void => {
    if (task.lastStatus !== 'RUNNING' || n >= 5000) return;
    for (const c of task.containers) {
      const def = td.containerDefinitions.find((d) => d.name === c.name);
      const port = def?.portMappings?.[0]?.containerPort ?? 80;
      const line = lines[n % lines.length]!
        .replaceAll('{container}', c.name)
        .replaceAll('{task}', task.id)
        .replaceAll('{port}', String(port))
        .replaceAll('{n}', String(n));
      writeLine(world, task, td, c.name, line);
    }
    n++;
    world.sched.after(interval, tick);
  };
  tick();
}

/** A desired-count change without a new task definition: no new deployment, tasks added or stopped. */
export function scale(world: World, svc: Service, desired: number, onSettled: (failure?: string) => void): void {
  const dep = svc.deployments[0];
  svc.desiredCount = desired;
  if (!dep) {
    onSettled();
    return;
  }
  dep.desiredCount = desired;
  dep.updatedAt = world.now();
  svc.onSettled = onSettled;
  const live = tasksOf(world, dep).filter((t) => t.desiredStatus === 'RUNNING');
  if (live.length > desired) {
    const extra = live.slice(desired);
    for (const t of extra) stopTask(world, t, { stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${dep.id})` });
    serviceEvent(world, svc, `has stopped ${extra.length} running tasks: ${extra.map((t) => `(task ${t.id})`).join(' ')}.`);
  } else launchMissing(world, svc, dep);
  if (dep.rolloutState === 'IN_PROGRESS') {
    check(world, svc);
    return;
  }
  let polls = 0;
  const poll = (): void => {
    if (svc.status !== 'ACTIVE' || svc.onSettled !== onSettled) return;
    const tasks = tasksOf(world, dep).filter((t) => t.desiredStatus === 'RUNNING');
    if (tasks.length === desired && tasks.every((t) => t.lastStatus === 'RUNNING')) {
      serviceEvent(world, svc, 'has reached a steady state.');
      settle(svc);
      return;
    }
    if (++polls < 3600) world.sched.after(1000, poll);
  };
  world.sched.after(500, poll);
}

// --- standalone tasks (RunTask) -----------------------------------------------------------------

/**
 * A task started by RunTask: PROVISIONING → PENDING (+2 s) → RUNNING (+5 s); each container logs
 * its `oneShotTasks` lines and exits with its exit code after `runMs` (default 0 after 3 s); the
 * task then stops with EssentialContainerExited.
 */
export function runTask(world: World, clusterArn: string, td: TaskDefinition, startedBy: string, group?: string, extra: Pick<Task, 'overrides' | 'enableExecuteCommand'> = {}): Task {
  const cluster = clusterName(clusterArn);
  const id = world.ids.hex(32);
  const arn = world.arn('ecs', `task/${cluster}/${id}`);
  const idx = world.ids.int(3);
  const task: Task = {
    arn,
    id,
    clusterArn,
    taskDefinitionArn: td.arn,
    group: group ?? `family:${td.family}`,
    startedBy,
    lastStatus: 'PROVISIONING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    containers: pendingContainers(world, cluster, id, td.containerDefinitions),
    createdAt: world.now(),
    availabilityZone: world.azs[idx]!,
    privateIp: `172.31.${idx * 16 + 1 + world.ids.int(14)}.${1 + world.ids.int(250)}`,
    deploymentId: '',
    cpu: td.cpu,
    memory: td.memory,
    ...extra,
  };
  world.tasks.set(arn, task);
  const essential = task.containers.find((c) => c.essential) ?? task.containers[0];
  const command = essential ? (task.overrides?.find((o) => o.name === essential.name)?.command ?? (td.containerDefinitions.find((c) => c.name === essential.name)?.command as string[] | undefined)) : undefined;
  const spec =
    (world.scenario.oneShotTasks ?? []).find((o) => (!o.container || o.container === essential?.name) && (o.command === undefined || o.command === command?.join(' '))) ?? {};
  world.sched.after(TASK_TIMES.pending, () => {
    if (task.desiredStatus !== 'RUNNING') return;
    task.lastStatus = 'PENDING';
    task.pullStartedAt = world.now();
  });
  if (spec.pullError !== undefined) {
    world.sched.after(TASK_TIMES.pending + TASK_TIMES.stop, () => {
      stopTask(world, task, { stopCode: 'TaskFailedToStart', stoppedReason: spec.pullError!, containerReason: spec.pullError! });
    });
    return task;
  }
  world.sched.after(TASK_TIMES.running, () => {
    if (task.desiredStatus !== 'RUNNING') return;
    task.lastStatus = 'RUNNING';
    task.pullStoppedAt = world.now() - 1000;
    task.startedAt = world.now();
    for (const c of task.containers) {
      c.lastStatus = 'RUNNING';
      c.runtimeId = runtimeIdOf(task, c.name);
    }
    if (!essential) return;
    const lines = spec.lines ?? [`${essential.name} started`, `${essential.name} done`];
    const runMs = spec.runMs ?? 3000;
    lines.forEach((line, i) =>
      world.sched.after(Math.floor(((i + 1) * runMs) / (lines.length + 1)), () => {
        if (task.lastStatus === 'RUNNING') writeLine(world, task, td, essential.name, line);
      }),
    );
    world.sched.after(runMs, () => {
      const code = spec.exitCode ?? 0;
      stopTask(world, task, { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCodes: { [essential.name]: code } });
    });
  });
  return task;
}
