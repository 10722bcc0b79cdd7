/**
 * One-shot jobs during `up` (see convert/one-shot.ts): a job's gate is an
 * AWS::CloudFormation::WaitCondition that CloudFormation starts once the job's dependencies are in
 * place and that holds the job's dependents back. When the watcher sees the gate start, this
 * runs the job as a Fargate task with the task definition of this deployment (RunTask, with the
 * run settings in the gate's Metadata), follows it to its exit, emits its log lines while it runs,
 * and signals the gate's handle (a presigned URL CloudFormation reads): exit code 0 lets the
 * stack go on; any other code fails the gate, so CloudFormation stops and rolls back, and `up`
 * reports the job's exit code and last lines.
 *
 * Why here and not in AWS: a custom resource would need a Lambda function and its role in every
 * stack, and a Step Functions machine more of both; `up` already watches the stack and the ECS
 * tasks and shows their logs, and the WaitCondition keeps CloudFormation's own order (dependencies
 * first, dependents after, rollback on failure) without a second stack operation.
 *
 * Not while nobody watches: with Ctrl-C the gate waits for its timeout (an hour), then the stack
 * rolls back; `up -d` stays until the jobs of this deployment have run.
 */
import { DescribeStackResourceCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { Template, Value } from '../cloudformation/template.js';
import type { AwsClients } from './clients.js';
import type { DeployEventBody, RootCause } from './events.js';
import type { StackEventRecord } from './stack-events.js';
import { describeTask, LogStreamCursor, startFargateTask, taskEnd, type CapacityProviderStrategyItem } from './fargate-task.js';

/** The Metadata key the converter writes (convert/one-shot.ts). */
export const JOB_METADATA_KEY = 'docker-ecs/one-shot';
const GATE_TYPE = 'AWS::CloudFormation::WaitCondition';
const LAST_LINES = 10;

export interface Gate {
  logicalId: string;
  handle: string;
  service: string;
  container: string;
  run: Record<string, Value>;
}

type JobState =
  | { step: 'waiting' }
  | { step: 'running'; taskArn: string; taskId: string; cluster: string; cursor: LogStreamCursor; lines: string[] }
  | { step: 'done'; exitCode: number; taskId: string; lines: string[] };

export interface JobResult {
  service: string;
  taskId: string;
  exitCode: number;
  lastLines: string[];
}

/** The gates of a template: one per one-shot job. */
export function jobGates(template: Template): Gate[] {
  const out: Gate[] = [];
  for (const [id, r] of Object.entries(template.Resources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const run = r.Metadata?.[JOB_METADATA_KEY] as Record<string, Value> | undefined;
    const handle = (r.Properties?.Handle as Record<string, Value> | undefined)?.Ref;
    if (r.Type !== GATE_TYPE || !run || typeof handle !== 'string' || typeof run.service !== 'string') continue;
    out.push({ logicalId: id, handle, service: run.service, container: typeof run.container === 'string' ? run.container : run.service, run });
  }
  return out;
}

export interface OneShotJobsOptions {
  cfn: CloudFormationClient;
  clients: AwsClients;
  stackId: string;
  project: string;
  template: Template;
  /** parameter values of this deployment (Refs to parameters in the run settings) */
  parameters: Record<string, string>;
  /** how the handle is signalled; fetch by default */
  signal?: (url: string, body: string) => Promise<void>;
}

async function putSignal(url: string, body: string): Promise<void> {
  // no Content-Type: the presigned URL is signed without one
  const res = await fetch(url, { method: 'PUT', body: new TextEncoder().encode(body) });
  if (!res.ok) throw new Error(`signalling the wait condition answered HTTP ${res.status}`);
}

/** A run setting of a gate: a literal, a Ref to a parameter (its value) or to a resource (its physical id). */
export async function resolveRunSetting(
  v: Value,
  template: Template,
  parameters: Record<string, string>,
  physicalId: (logicalId: string) => Promise<string>,
): Promise<string[]> {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return (await Promise.all(v.map((x) => resolveRunSetting(x, template, parameters, physicalId)))).flat();
  if (v && typeof v === 'object' && typeof (v as Record<string, Value>).Ref === 'string') {
    const name = (v as Record<string, Value>).Ref as string;
    const param = template.Parameters?.[name];
    if (param) {
      const value = parameters[name] ?? (param.Default === undefined ? '' : String(param.Default));
      return param.Type.startsWith('List<') || param.Type === 'CommaDelimitedList' ? value.split(',').filter(Boolean) : [value];
    }
    return [await physicalId(name)];
  }
  throw new Error(`cannot resolve ${JSON.stringify(v)}`);
}

export class OneShotJobs {
  private readonly gates: Gate[];
  private readonly state = new Map<string, JobState>();
  private readonly physical = new Map<string, string>();

  constructor(private readonly o: OneShotJobsOptions) {
    this.gates = jobGates(o.template);
  }

  /** Logical IDs of the gates: resources a dry run or a detach must know about. */
  get gateIds(): string[] {
    return this.gates.map((g) => g.logicalId);
  }

  /** A stack event: a gate that starts means its job is due. */
  observe(e: StackEventRecord): void {
    const gate = this.gates.find((g) => g.logicalId === e.logicalId);
    if (gate && e.status === 'CREATE_IN_PROGRESS' && !this.state.has(gate.logicalId)) this.state.set(gate.logicalId, { step: 'waiting' });
  }

  gateOf(service: string): string | undefined {
    return this.gates.find((g) => g.service === service)?.logicalId;
  }

  /** True while a job of this operation has started but not been signalled. */
  get active(): boolean {
    return [...this.state.values()].some((s) => s.step !== 'done');
  }

  /** The jobs that ended, with their exit codes. */
  results(): JobResult[] {
    return this.gates.flatMap((g) => {
      const s = this.state.get(g.logicalId);
      return s?.step === 'done' ? [{ service: g.service, taskId: s.taskId, exitCode: s.exitCode, lastLines: s.lines.slice(-LAST_LINES) }] : [];
    });
  }

  private async physicalId(logicalId: string): Promise<string> {
    const known = this.physical.get(logicalId);
    if (known) return known;
    const res = await this.o.cfn.send(new DescribeStackResourceCommand({ StackName: this.o.stackId, LogicalResourceId: logicalId }));
    const id = res.StackResourceDetail?.PhysicalResourceId;
    if (!id) throw new Error(`${logicalId} has no physical id yet`);
    this.physical.set(logicalId, id);
    return id;
  }

  private resolve(v: Value): Promise<string[]> {
    return resolveRunSetting(v, this.o.template, this.o.parameters, (id) => this.physicalId(id));
  }

  private async start(gate: Gate): Promise<DeployEventBody[]> {
    const ecs = await this.o.clients.ecs();
    const [taskDefinition] = await this.resolve(gate.run.taskDefinition!);
    const [cluster] = await this.resolve(gate.run.cluster!);
    const subnets = await this.resolve(gate.run.subnets ?? []);
    const securityGroups = await this.resolve(gate.run.securityGroups ?? []);
    const started = await startFargateTask(ecs, {
      cluster: cluster!,
      taskDefinition: taskDefinition!,
      network: { subnets, securityGroups, assignPublicIp: gate.run.assignPublicIp === 'ENABLED' ? 'ENABLED' : 'DISABLED' },
      ...(typeof gate.run.platformVersion === 'string' ? { platformVersion: gate.run.platformVersion } : {}),
      // the job's x-aws-capacity strategy (Fargate Spot), as the template's gate metadata says, else FARGATE
      ...(Array.isArray(gate.run.capacityProviderStrategy) ? { capacityProviderStrategy: gate.run.capacityProviderStrategy as unknown as CapacityProviderStrategyItem[] } : {}),
      startedBy: `docker-ecs/${gate.service}`,
      group: `job:${gate.service}`,
    });
    if (!started.started) {
      const why = started.reason;
      await this.finish(gate, { step: 'done', exitCode: -1, taskId: '', lines: [] }, `One-shot job ${gate.service} could not start: ${why}`);
      return [{ kind: 'notice', level: 'warning', message: `One-shot job ${gate.service} could not start: ${why}.` }];
    }
    const { taskArn, taskId } = started;
    const logs = await this.o.clients.logs();
    const cursor = new LogStreamCursor(logs, `/docker-compose/${this.o.project}`, `${this.o.project}/${gate.container}/${taskId}`);
    this.state.set(gate.logicalId, { step: 'running', taskArn, taskId, cluster: cluster!, cursor, lines: [] });
    return [{ kind: 'notice', level: 'info', message: `Running one-shot job ${gate.service} (task ${taskId}).` }];
  }

  private async finish(gate: Gate, done: Extract<JobState, { step: 'done' }>, reason?: string): Promise<void> {
    this.state.set(gate.logicalId, done);
    const url = await this.physicalId(gate.handle);
    const ok = done.exitCode === 0;
    const body = JSON.stringify({
      Status: ok ? 'SUCCESS' : 'FAILURE',
      // the exit code only: log lines may hold anything and stack events are kept
      Reason: reason ?? `One-shot job ${gate.service} exited with code ${done.exitCode}`,
      UniqueId: done.taskId || gate.service,
      Data: String(done.exitCode),
    });
    await (this.o.signal ?? putSignal)(url, body);
  }

  private async readLines(gate: Gate, s: Extract<JobState, { step: 'running' }>): Promise<DeployEventBody[]> {
    const out: DeployEventBody[] = [];
    for (const line of await s.cursor.read()) {
      s.lines.push(line.message);
      out.push({ kind: 'log', service: gate.service, taskId: s.taskId, message: line.message, timestamp: line.timestamp });
    }
    if (s.lines.length > 200) s.lines.splice(0, s.lines.length - 200);
    return out;
  }

  /** Starts due jobs, follows running ones, signals the ones that ended. */
  async poll(): Promise<DeployEventBody[]> {
    const out: DeployEventBody[] = [];
    for (const gate of this.gates) {
      const s = this.state.get(gate.logicalId);
      if (!s || s.step === 'done') continue;
      if (s.step === 'waiting') {
        out.push(...(await this.start(gate)));
        continue;
      }
      const task = await describeTask(await this.o.clients.ecs(), s.cluster, s.taskArn);
      out.push(...(await this.readLines(gate, s)));
      if (task?.lastStatus !== 'STOPPED') continue;
      const end = taskEnd(task, gate.container);
      const exitCode = end.exitCode ?? -1;
      const lastLines = s.lines.slice(-LAST_LINES);
      const why = end.exitCode === undefined ? `One-shot job ${gate.service} stopped before it ran: ${end.reason}` : undefined;
      await this.finish(gate, { step: 'done', exitCode, taskId: s.taskId, lines: s.lines }, why);
      out.push({
        kind: 'task-stopped',
        service: gate.service,
        taskId: s.taskId,
        reason: why ?? `exited with code ${exitCode}`,
        ...(exitCode !== 0 && lastLines.length ? { lastLines } : {}),
        ...(task.stoppedAt ? { timestamp: task.stoppedAt.toISOString() } : {}),
      });
      out.push({
        kind: 'notice',
        level: exitCode === 0 ? 'info' : 'warning',
        message: exitCode === 0 ? `One-shot job ${gate.service} completed (exit code 0).` : `One-shot job ${gate.service} failed with exit code ${exitCode}; its dependents are not started and the stack rolls back.`,
      });
    }
    return out;
  }
}

/** The root cause of a stack operation a failed job stopped: its exit code and last lines. */
export function jobRootCause(jobs: OneShotJobs): RootCause | undefined {
  const failed = jobs.results().find((r) => r.exitCode !== 0);
  if (!failed) return undefined;
  return {
    logicalId: jobs.gateOf(failed.service) ?? failed.service,
    resourceType: GATE_TYPE,
    reason: failed.exitCode < 0 ? `One-shot job ${failed.service} did not run` : `One-shot job ${failed.service} exited with code ${failed.exitCode}`,
    service: failed.service,
    ...(failed.lastLines.length ? { lastLines: failed.lastLines } : {}),
  };
}
