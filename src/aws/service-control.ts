/**
 * `stop`, `start`, `restart` and `scale` on a deployed project: UpdateService on the stack's ECS
 * services, beside CloudFormation (the next `up` sets the template's desired counts again, as a
 * new `docker compose up` recreates what `scale` changed).
 *
 * - stop: desired count 0; the count it had is kept in a tag on the ECS service
 *   (`docker-ecs.stopped-desired-count`), so `start` brings back what ran, even after `scale`.
 * - start: a stopped service back to its remembered count (else the template's DesiredCount).
 * - restart: a new deployment of the same task definition (forceNewDeployment): fresh tasks,
 *   the old ones drained as in a rollout.
 * - scale: the given desired counts.
 * Then each waits until the running counts match (DescribeServices, polled), unless told not to.
 * Calls: ListStackResources, DescribeServices (10 a call, tags included), UpdateService,
 * TagResource / UntagResource (stop/start), GetTemplate (start of a service stopped elsewhere).
 */
import type { ECSClient, Service } from '@aws-sdk/client-ecs';
import { UserError } from '../errors.js';
import type { AwsClients } from './clients.js';
import { ecsServicesOf, listStackResources, projectCluster, type StackResource } from './project-stack.js';
import type { Timing } from './timing.js';
import { stackName } from '../convert/naming.js';

export const STOPPED_COUNT_TAG = 'docker-ecs.stopped-desired-count';
const TAG_SERVICE = 'com.docker.compose.service';

export interface ProjectService {
  compose: string;
  arn: string;
  logicalId: string;
  desiredCount: number;
  runningCount: number;
  tags: Record<string, string>;
  /** the service's current task definition and network configuration (`run` starts a task like its own) */
  taskDefinition: string;
  network?: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'ENABLED' | 'DISABLED' };
}

export interface ProjectServices {
  cluster: string;
  services: ProjectService[];
  resources: StackResource[];
}

function composeNameOf(s: Service, project: string): string {
  const tagged = s.tags?.find((t) => t.key === TAG_SERVICE)?.value;
  if (tagged) return tagged;
  const family = /:task-definition\/(.+):\d+$/.exec(s.taskDefinition ?? '')?.[1] ?? '';
  return family.startsWith(`${project}-`) ? family.slice(project.length + 1) : (s.serviceName ?? '');
}

async function describe(ecs: ECSClient, cluster: string, arns: readonly string[]): Promise<Service[]> {
  const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
  const out: Service[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const res = await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10), include: ['TAGS'] }));
    out.push(...(res.services ?? []).filter((s) => s.status !== 'INACTIVE'));
  }
  return out;
}

function networkOf(s: Service): Pick<ProjectService, 'network'> {
  const v = s.networkConfiguration?.awsvpcConfiguration;
  if (!v) return {};
  return { network: { subnets: v.subnets ?? [], securityGroups: v.securityGroups ?? [], assignPublicIp: v.assignPublicIp === 'ENABLED' ? 'ENABLED' : 'DISABLED' } };
}

/** The project's ECS services by compose name, sorted; one sentence when nothing is deployed. */
export async function projectServices(clients: AwsClients, project: string): Promise<ProjectServices> {
  const cfn = await clients.cloudFormation();
  const resources = await listStackResources(cfn, stackName(project));
  if (!resources) {
    throw new UserError(`No stack named ${project} in ${clients.region}: nothing is deployed for this project there; run \`docker ecs compose up\` first.`);
  }
  const where = await projectCluster(cfn, project, resources);
  const arns = ecsServicesOf(resources);
  const described = arns.length > 0 ? await describe(await clients.ecs(), where.cluster, arns) : [];
  const services = described
    .map((s): ProjectService => ({
      compose: composeNameOf(s, project),
      arn: s.serviceArn ?? '',
      logicalId: resources.find((r) => r.physicalId === s.serviceArn)?.logicalId ?? '',
      desiredCount: s.desiredCount ?? 0,
      runningCount: s.runningCount ?? 0,
      tags: Object.fromEntries((s.tags ?? []).map((t) => [t.key ?? '', t.value ?? ''])),
      taskDefinition: s.taskDefinition ?? '',
      ...networkOf(s),
    }))
    .sort((a, b) => (a.compose < b.compose ? -1 : a.compose > b.compose ? 1 : 0));
  return { cluster: where.cluster, services, resources };
}

/** The services asked for (all when none), or one sentence naming those the project does not run. */
export function selectServices(all: readonly ProjectService[], requested: readonly string[]): ProjectService[] {
  if (requested.length === 0) return [...all];
  const unknown = requested.filter((r) => !all.some((s) => s.compose === r));
  if (unknown.length > 0) {
    const known = all.map((s) => s.compose).join(', ') || 'none';
    throw new UserError(`no such service: ${unknown.join(', ')}; the deployed services are ${known}.`);
  }
  return all.filter((s) => requested.includes(s.compose));
}

/** `scale web=3 api=2` -> [['web', 3], ['api', 2]]; refuses anything else in one sentence. */
export function parseScaleArgs(args: readonly string[], flag = 'scale'): Array<[string, number]> {
  if (args.length === 0) throw new UserError(`${flag} needs SERVICE=REPLICAS, e.g. \`docker ecs compose scale web=3\`.`);
  return args.map((a) => {
    const m = /^([^=\s]+)=(\d+)$/.exec(a);
    if (!m) throw new UserError(`"${a}" is not SERVICE=REPLICAS (e.g. web=3); replicas is a whole number, 0 or more.`);
    const n = Number(m[2]);
    if (n > 5000) throw new UserError(`${m[1]}=${n}: an ECS service runs at most 5000 tasks.`);
    return [m[1]!, n];
  });
}

async function updateService(ecs: ECSClient, cluster: string, arn: string, input: { desiredCount?: number; forceNewDeployment?: boolean }): Promise<void> {
  const { UpdateServiceCommand } = await import('@aws-sdk/client-ecs');
  await ecs.send(new UpdateServiceCommand({ cluster, service: arn, ...input }));
}

/** The DesiredCount the deployed template gives the service (undefined when it cannot be read). */
async function templateDesiredCount(clients: AwsClients, project: string, logicalId: string): Promise<number | undefined> {
  const { GetTemplateCommand } = await import('@aws-sdk/client-cloudformation');
  const res = await (await clients.cloudFormation()).send(new GetTemplateCommand({ StackName: stackName(project), TemplateStage: 'Original' }));
  try {
    const body = JSON.parse(res.TemplateBody ?? '') as { Resources?: Record<string, { Properties?: { DesiredCount?: unknown } }> };
    const n = body.Resources?.[logicalId]?.Properties?.DesiredCount;
    return typeof n === 'number' ? n : typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : undefined;
  } catch {
    return undefined;
  }
}

export type ControlAction =
  | { kind: 'stop' }
  | { kind: 'start' }
  | { kind: 'restart' }
  | { kind: 'scale'; counts: ReadonlyArray<[string, number]> };

export interface ControlChange {
  service: string;
  from: number;
  to: number;
  restarted: boolean;
}

export interface ControlOptions {
  project: string;
  services: readonly string[];
  action: ControlAction;
  /** wait until the running counts match (default true) */
  wait: boolean;
  timing: Timing;
  signal: AbortSignal;
  /** one line per service as it is changed and as it settles */
  say: (line: string) => void;
  /** give up waiting after this long (ms) */
  timeoutMs?: number;
}

export async function controlServices(clients: AwsClients, o: ControlOptions): Promise<ControlChange[]> {
  const { cluster, services } = await projectServices(clients, o.project);
  const requested = o.action.kind === 'scale' ? o.action.counts.map(([s]) => s) : o.services;
  const chosen = selectServices(services, requested);
  const ecs = await clients.ecs();
  const { TagResourceCommand, UntagResourceCommand } = await import('@aws-sdk/client-ecs');
  const changes: ControlChange[] = [];
  for (const svc of chosen) {
    const change: ControlChange = { service: svc.compose, from: svc.desiredCount, to: svc.desiredCount, restarted: false };
    switch (o.action.kind) {
      case 'stop':
        if (svc.desiredCount === 0) break;
        await ecs.send(new TagResourceCommand({ resourceArn: svc.arn, tags: [{ key: STOPPED_COUNT_TAG, value: String(svc.desiredCount) }] }));
        await updateService(ecs, cluster, svc.arn, { desiredCount: 0 });
        change.to = 0;
        break;
      case 'start': {
        if (svc.desiredCount > 0) break;
        const remembered = svc.tags[STOPPED_COUNT_TAG];
        const to = remembered && /^\d+$/.test(remembered) ? Number(remembered) : ((await templateDesiredCount(clients, o.project, svc.logicalId)) ?? 1);
        await updateService(ecs, cluster, svc.arn, { desiredCount: to });
        if (remembered !== undefined) await ecs.send(new UntagResourceCommand({ resourceArn: svc.arn, tagKeys: [STOPPED_COUNT_TAG] }));
        change.to = to;
        break;
      }
      case 'restart':
        if (svc.desiredCount === 0) {
          o.say(`Service ${svc.compose}  not running (desired count 0); \`docker ecs compose start ${svc.compose}\` starts it`);
          break;
        }
        await updateService(ecs, cluster, svc.arn, { forceNewDeployment: true });
        change.restarted = true;
        break;
      case 'scale': {
        const to = o.action.counts.find(([s]) => s === svc.compose)![1];
        if (to !== svc.desiredCount) await updateService(ecs, cluster, svc.arn, { desiredCount: to });
        change.to = to;
        break;
      }
    }
    if (change.from !== change.to || change.restarted) {
      o.say(`Service ${svc.compose}  ${change.restarted ? 'Restarting' : `${verb(o.action.kind, change)} (desired count ${change.from} -> ${change.to})`}`);
    } else if (o.action.kind !== 'restart') {
      o.say(`Service ${svc.compose}  already at desired count ${change.to}`);
    }
    changes.push(change);
  }
  if (o.wait) await waitForCounts(clients, cluster, chosen, changes, o);
  return changes;
}

function verb(kind: ControlAction['kind'], c: ControlChange): string {
  if (kind === 'stop') return 'Stopping';
  if (kind === 'start') return 'Starting';
  return c.to > c.from ? 'Scaling up' : 'Scaling down';
}

/** Polls until each changed service runs its new desired count (and a restarted one has only new tasks). */
async function waitForCounts(clients: AwsClients, cluster: string, chosen: ProjectService[], changes: ControlChange[], o: ControlOptions): Promise<void> {
  const pending = new Map(changes.filter((c) => c.from !== c.to || c.restarted).map((c) => [chosen.find((s) => s.compose === c.service)!.arn, c]));
  const deadline = o.timing.now().getTime() + (o.timeoutMs ?? 15 * 60_000);
  const ecs = await clients.ecs();
  while (pending.size > 0 && !o.signal.aborted) {
    await o.timing.sleep(2000 + o.timing.random() * 1000, o.signal);
    if (o.signal.aborted) return;
    for (const s of await describe(ecs, cluster, [...pending.keys()])) {
      const c = pending.get(s.serviceArn ?? '');
      if (!c) continue;
      const primary = s.deployments?.find((d) => d.status === 'PRIMARY');
      const settled = c.restarted
        ? (s.deployments?.length ?? 0) === 1 && primary?.rolloutState === 'COMPLETED' && (s.runningCount ?? 0) === (s.desiredCount ?? 0)
        : (s.runningCount ?? 0) === c.to && (s.pendingCount ?? 0) === 0;
      if (settled) {
        o.say(`Service ${c.service}  ${c.restarted ? 'Restarted' : c.to === 0 ? 'Stopped' : 'Running'} (${s.runningCount ?? 0}/${s.desiredCount ?? 0})`);
        pending.delete(s.serviceArn ?? '');
      }
    }
    if (pending.size > 0 && o.timing.now().getTime() > deadline) {
      throw new UserError(`${[...pending.values()].map((c) => c.service).join(', ')} did not reach the new count in time; the change goes on in AWS: follow it with \`docker ecs compose ps\`.`);
    }
  }
}
