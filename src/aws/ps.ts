/**
 * `ps`: one row per ECS task of the project's services and one-shot jobs (`up`'s, group
 * `job:<service>`), and with -a also of `run`'s one-off tasks (group `run:<service>`), as
 * `docker compose ps` lists `run` containers only with --all. Calls, for any number of services:
 * ListStackResources (every page), DescribeServices (10 services per call), ListTasks (every page:
 * the whole cluster when the stack owns it; on a shared `x-aws-cluster` one listing per task
 * definition family of the project, and with -a per `run` family too, since ListTasks takes a
 * family or a serviceName, not both, and a job or one-off task has no service), DescribeTasks (100
 * per call), and for published ports DescribeTargetGroups, DescribeLoadBalancers (20 per call) and
 * DescribeListeners (one per load balancer).
 */
import type { ECSClient, Service, Task } from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { UserError } from '../errors.js';
import type { AwsClients } from './clients.js';
import { containerName, ecsName, runTaskFamily, stackName, taskFamily } from '../convert/naming.js';
import { ecsServicesOf, listStackResources, projectCluster, type StackResource } from './project-stack.js';

export const DESCRIBE_SERVICES_BATCH = 10;
export const DESCRIBE_TASKS_BATCH = 100;
const ELB_BATCH = 20;
import { TAG_PROJECT, TAG_SERVICE } from '../convert/naming.js';
import { byCodeUnit } from '../convert/code-unit-order.js';

export type TaskState = 'running' | 'pending' | 'stopping' | 'stopped';

export interface PortPublisher {
  URL: string;
  TargetPort: number;
  PublishedPort: number;
  Protocol: string;
}

/** One task as `ps` shows it; the JSON form is this object. */
export interface TaskRow {
  ID: string;
  Name: string;
  Project: string;
  Service: string;
  State: TaskState;
  /** ECS's own words: lastStatus / desiredStatus / healthStatus */
  LastStatus: string;
  DesiredStatus: string;
  Health: string;
  Status: string;
  Ports: string;
  Publishers: PortPublisher[];
  TaskDefinition: string;
  ExitCode?: number;
  StoppedReason?: string;
  StopCode?: string;
  CreatedAt?: string;
  StartedAt?: string;
  StoppedAt?: string;
}

export interface PsResult {
  /** false when the region has no stack named after the project */
  found: boolean;
  rows: TaskRow[];
}

export interface PsOptions {
  project: string;
  /** also the recently stopped tasks (ECS keeps them about an hour) and `run`'s one-off tasks */
  all: boolean;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function tagValue(tags: { key?: string; value?: string }[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.key === key)?.value;
}

function taskIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function familyOf(taskDefinitionArn: string | undefined): string {
  return /:task-definition\/(.+):\d+$/.exec(taskDefinitionArn ?? '')?.[1] ?? '';
}

/** The compose service: the service's tag, else the task family `<project>-<service>`. */
function composeServiceName(service: Service, project: string): string {
  const tagged = tagValue(service.tags, TAG_SERVICE);
  if (tagged) return tagged;
  const family = familyOf(service.taskDefinition);
  return family.startsWith(`${project}-`) ? family.slice(project.length + 1) : (service.serviceName ?? '');
}

async function describeServices(ecs: ECSClient, cluster: string, arns: readonly string[]): Promise<Service[]> {
  const { DescribeServicesCommand } = await import('@aws-sdk/client-ecs');
  const out: Service[] = [];
  for (const batch of chunks(arns, DESCRIBE_SERVICES_BATCH)) {
    const res = await ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }));
    out.push(...(res.services ?? []).filter((s) => s.status !== 'INACTIVE'));
  }
  return out;
}

async function listTaskArns(ecs: ECSClient, input: { cluster: string; family?: string; desiredStatus: 'RUNNING' | 'STOPPED' }): Promise<string[]> {
  const { ListTasksCommand } = await import('@aws-sdk/client-ecs');
  const out: string[] = [];
  let token: string | undefined;
  do {
    const res = await ecs.send(new ListTasksCommand({ ...input, maxResults: 100, nextToken: token }));
    out.push(...(res.taskArns ?? []));
    token = res.nextToken;
  } while (token);
  return out;
}

async function describeTasks(ecs: ECSClient, cluster: string, arns: readonly string[]): Promise<Task[]> {
  const { DescribeTasksCommand } = await import('@aws-sdk/client-ecs');
  const out: Task[] = [];
  for (const batch of chunks(arns, DESCRIBE_TASKS_BATCH)) {
    const res = await ecs.send(new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] }));
    out.push(...(res.tasks ?? []));
  }
  return out;
}

/** The published ports of each target group: `<lb-dns>:<listener port>` and the protocol. */
async function publishersByTargetGroup(elb: ElasticLoadBalancingV2Client, targetGroupArns: readonly string[]): Promise<Map<string, { url: string; port: number; protocol: string }[]>> {
  const { DescribeTargetGroupsCommand, DescribeLoadBalancersCommand, DescribeListenersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const groups: { arn: string; port?: number; protocol?: string; lbs: string[] }[] = [];
  for (const batch of chunks([...new Set(targetGroupArns)], ELB_BATCH)) {
    let marker: string | undefined;
    do {
      const res = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: batch, Marker: marker }));
      for (const g of res.TargetGroups ?? []) {
        if (g.TargetGroupArn) groups.push({ arn: g.TargetGroupArn, port: g.Port, protocol: g.Protocol, lbs: g.LoadBalancerArns ?? [] });
      }
      marker = res.NextMarker;
    } while (marker);
  }
  const lbArns = [...new Set(groups.flatMap((g) => g.lbs))].sort();
  const dns = new Map<string, string>();
  for (const batch of chunks(lbArns, ELB_BATCH)) {
    let marker: string | undefined;
    do {
      const res = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: batch, Marker: marker }));
      for (const lb of res.LoadBalancers ?? []) if (lb.LoadBalancerArn && lb.DNSName) dns.set(lb.LoadBalancerArn, lb.DNSName);
      marker = res.NextMarker;
    } while (marker);
  }
  // listener port per (load balancer, target group): the port users connect to
  const listenerPort = new Map<string, number>();
  const listenerProtocol = new Map<string, string>();
  for (const lb of lbArns) {
    let marker: string | undefined;
    do {
      const res = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb, Marker: marker }));
      for (const l of res.Listeners ?? []) {
        if (l.Port === undefined) continue;
        for (const a of l.DefaultActions ?? []) {
          const tgs = [a.TargetGroupArn, ...(a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn)];
          for (const tg of tgs) {
            if (!tg || listenerPort.has(`${lb} ${tg}`)) continue;
            listenerPort.set(`${lb} ${tg}`, l.Port);
            if (l.Protocol) listenerProtocol.set(`${lb} ${tg}`, l.Protocol);
          }
        }
      }
      marker = res.NextMarker;
    } while (marker);
  }
  const out = new Map<string, { url: string; port: number; protocol: string }[]>();
  for (const g of groups) {
    // the container's protocols, as docker shows them: an HTTP or TLS target group carries tcp,
    // a TCP_UDP one both (docker compose ps lists `53/tcp` and `53/udp` for a port published on both)
    const protocols = g.protocol === 'UDP' ? ['udp'] : g.protocol === 'TCP_UDP' ? ['tcp', 'udp'] : ['tcp'];
    const entries = g.lbs
      .filter((lb) => dns.has(lb))
      .flatMap((lb) => {
        const port = listenerPort.get(`${lb} ${g.arn}`) ?? g.port ?? 0;
        // an HTTPS listener (x-aws-certificate) is shown as the URL to open, as `up` prints it
        const scheme = listenerProtocol.get(`${lb} ${g.arn}`) === 'HTTPS' ? 'https://' : '';
        return protocols.map((protocol) => ({ url: `${scheme}${dns.get(lb)}:${port}`, port, protocol }));
      });
    out.set(g.arn, entries);
  }
  return out;
}

export function stateOf(lastStatus: string): TaskState {
  switch (lastStatus) {
    case 'RUNNING':
      return 'running';
    case 'PROVISIONING':
    case 'PENDING':
    case 'ACTIVATING':
      return 'pending';
    case 'STOPPED':
    case 'DELETED':
      return 'stopped';
    default:
      return 'stopping'; // DEACTIVATING, STOPPING, DEPROVISIONING
  }
}

/** The STATUS column: `running (healthy)`, `pending`, `stopped (exit 1): Essential container in task exited`. */
export function statusText(row: Pick<TaskRow, 'State' | 'Health' | 'ExitCode' | 'StoppedReason'>): string {
  const health = row.Health === 'HEALTHY' ? ' (healthy)' : row.Health === 'UNHEALTHY' ? ' (unhealthy)' : '';
  if (row.State === 'running' || row.State === 'pending') return `${row.State}${health}`;
  const exit = row.ExitCode !== undefined ? ` (exit ${row.ExitCode})` : '';
  return `${row.State}${exit}${row.StoppedReason ? `: ${row.StoppedReason}` : ''}`;
}

/**
 * The compose service of a task `run` or `up` started (group `run:<service>` or `job:<service>`),
 * when it is this project's: its family is the service's (or the `-run` one `run` derives), which
 * a task of another project on a shared cluster never has.
 */
function oneOffOf(task: Task, project: string): { kind: 'run' | 'job'; service: string } | undefined {
  const m = /^(run|job):(.+)$/.exec(task.group ?? '');
  if (!m) return undefined;
  const own = taskFamily(project, m[2]!);
  const family = familyOf(task.taskDefinitionArn);
  if (family !== own && !(m[1] === 'run' && family === runTaskFamily(own))) return undefined;
  return { kind: m[1] as 'run' | 'job', service: m[2]! };
}

function toRow(task: Task, project: string, service: string, name: string, containerName: string, publishers: PortPublisher[]): TaskRow {
  const state = stateOf(task.lastStatus ?? '');
  const main = task.containers?.find((c) => c.name === containerName) ?? task.containers?.[0];
  const row: TaskRow = {
    ID: task.taskArn ?? '',
    Name: name,
    Project: tagValue(task.tags, TAG_PROJECT) ?? project,
    Service: service,
    State: state,
    LastStatus: task.lastStatus ?? '',
    DesiredStatus: task.desiredStatus ?? '',
    Health: task.healthStatus ?? main?.healthStatus ?? 'UNKNOWN',
    Status: '',
    Ports: '',
    Publishers: state === 'stopped' ? [] : publishers,
    TaskDefinition: task.taskDefinitionArn?.slice(task.taskDefinitionArn.lastIndexOf('/') + 1) ?? '',
  };
  if (state === 'stopped' || state === 'stopping') {
    if (main?.exitCode !== undefined && main.exitCode !== null) row.ExitCode = main.exitCode;
    const reason = task.stoppedReason ?? main?.reason;
    if (reason) row.StoppedReason = reason;
    if (task.stopCode) row.StopCode = task.stopCode;
  }
  if (task.createdAt) row.CreatedAt = task.createdAt.toISOString();
  if (task.startedAt) row.StartedAt = task.startedAt.toISOString();
  if (task.stoppedAt) row.StoppedAt = task.stoppedAt.toISOString();
  row.Status = statusText(row);
  row.Ports = row.Publishers.map((p) => `${p.URL}->${p.TargetPort}/${p.Protocol}`).join(', ');
  return row;
}

const STATE_ORDER: Record<TaskState, number> = { running: 0, pending: 1, stopping: 2, stopped: 3 };

export async function listProjectTasks(clients: AwsClients, options: PsOptions): Promise<PsResult> {
  const resources: StackResource[] | undefined = await listStackResources(await clients.cloudFormation(), stackName(options.project));
  if (!resources) return { found: false, rows: [] };
  const serviceArns = ecsServicesOf(resources);
  const stackFamilies = resources.filter((r) => r.type === 'AWS::ECS::TaskDefinition').map((r) => familyOf(r.physicalId)).filter(Boolean);
  if (serviceArns.length === 0 && stackFamilies.length === 0) return { found: true, rows: [] };
  const { cluster, owned } = await projectCluster(await clients.cloudFormation(), options.project, resources);
  const ecs = await clients.ecs();
  const services = serviceArns.length > 0 ? await describeServices(ecs, cluster, serviceArns) : [];

  const byEcsName = new Map<string, { compose: string; container: string; lbs: { tg: string; port: number }[] }>();
  for (const s of services) {
    const compose = composeServiceName(s, options.project);
    const lbs = (s.loadBalancers ?? []).filter((l) => l.targetGroupArn).map((l) => ({ tg: l.targetGroupArn!, port: l.containerPort ?? 0 }));
    byEcsName.set(s.serviceName ?? '', { compose, container: ecsName(compose), lbs });
  }

  const targetGroups = services.flatMap((s) => (s.loadBalancers ?? []).map((l) => l.targetGroupArn).filter((a): a is string => !!a));
  const publishers = targetGroups.length > 0 ? await publishersByTargetGroup(await clients.elbv2(), targetGroups) : new Map();

  const statuses: ('RUNNING' | 'STOPPED')[] = options.all ? ['RUNNING', 'STOPPED'] : ['RUNNING'];
  // a shared cluster: the families of the project's services and jobs (their tasks, `up`'s job
  // tasks and `run`'s), and with -a those of the revisions `run` derives
  const serviceFamilies = [...new Set([...stackFamilies, ...services.map((s) => familyOf(s.taskDefinition))].filter(Boolean))].sort(byCodeUnit);
  const families = options.all ? serviceFamilies.flatMap((f) => [f, runTaskFamily(f)]) : serviceFamilies;
  const taskArns: string[] = [];
  for (const desiredStatus of statuses) {
    if (owned) {
      // the stack's own cluster holds only this project's tasks: one listing for all of them
      taskArns.push(...(await listTaskArns(ecs, { cluster, desiredStatus })));
    } else {
      for (const family of families) taskArns.push(...(await listTaskArns(ecs, { cluster, family, desiredStatus })));
    }
  }
  const tasks = await describeTasks(ecs, cluster, [...new Set(taskArns)]);

  const rows: TaskRow[] = [];
  for (const t of tasks) {
    const id = taskIdOf(t.taskArn ?? '');
    const oneOff = oneOffOf(t, options.project);
    if (oneOff) {
      // as docker compose names a `run` container; a job's task is a service task, named by its id
      if (oneOff.kind === 'run' && !options.all) continue;
      const name = oneOff.kind === 'run' ? `${options.project}-${oneOff.service}-run-${id.slice(0, 12)}` : id;
      rows.push(toRow(t, options.project, oneOff.service, name, containerName(oneOff.service), []));
      continue;
    }
    const ecsName = t.group?.startsWith('service:') ? t.group.slice('service:'.length) : undefined;
    const svc = ecsName !== undefined ? byEcsName.get(ecsName) : undefined;
    if (!svc) continue; // a task started outside the project
    const pubs: PortPublisher[] = svc.lbs.flatMap((lb) =>
      (publishers.get(lb.tg) ?? []).map((p: { url: string; port: number; protocol: string }) => ({
        URL: p.url,
        TargetPort: lb.port,
        PublishedPort: p.port,
        Protocol: p.protocol,
      })),
    );
    pubs.sort((a, b) => a.PublishedPort - b.PublishedPort || byCodeUnit(a.URL, b.URL) || byCodeUnit(a.Protocol, b.Protocol));
    rows.push(toRow(t, options.project, svc.compose, id, svc.container, pubs));
  }
  rows.sort(
    (a, b) =>
      byCodeUnit(a.Service, b.Service) ||
      STATE_ORDER[a.State] - STATE_ORDER[b.State] ||
      byCodeUnit(a.StartedAt ?? a.CreatedAt ?? '', b.StartedAt ?? b.CreatedAt ?? '') ||
      byCodeUnit(a.Name, b.Name),
  );
  return { found: true, rows };
}
