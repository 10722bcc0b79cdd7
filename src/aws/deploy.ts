/**
 * `up` and `down`: the orchestration. Everything AWS-specific happens here and in the modules
 * it calls; the caller hands in the clients, the convert step, a sink for events, and an
 * AbortSignal that Ctrl-C / SIGTERM fires. Aborting only stops watching: nothing is cancelled,
 * rolled back or deleted in AWS (the old integration deleted the whole application).
 *
 *   up:   environment -> convert -> wait while the stack is busy -> replace a ROLLBACK_COMPLETE
 *         stack -> create, or change set (no changes: done) -> execute -> watch -> endpoints
 *   down: wait while busy -> delete -> watch -> report what was kept
 */
import { randomUUID } from 'node:crypto';
import {
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { DeployFailed, Interrupted, UserError } from '../errors.js';
import type { Template } from '../cloudformation/template.js';
import { explainingAwsErrors } from './aws-errors.js';
import { isStackMissing, type AwsClients } from './clients.js';
import {
  CAPABILITIES,
  deleteChangeSet,
  parameterList,
  tagList,
  templateArgs,
  type TemplateSource,
} from './change-set.js';
import { resolveEnvironment, PROJECT_TAG, type EnvironmentRequest, type ResolvedEnvironment } from './environment.js';
import {
  stateOfStatus,
  type DeployEventBody,
  type DeploySink,
  type FinishedOutcome,
  type Operation,
  type PlannedChange,
  type RootCause,
} from './events.js';
import { describeRootCause, findRootCause, rootCauseSummary } from './root-cause.js';
import { RolloutWatcher } from './rollout.js';
import { UpLogWatcher } from './up-logs.js';
import { needsS3, uploadTemplate } from './s3-template.js';
import { initialRevisions, prepareUpdate } from './update-plan.js';
import { jobRootCause, OneShotJobs } from './one-shot-jobs.js';
import { stackActivity, type StackEventRecord } from './stack-events.js';
import { dnsOutputs, endpointUrl, listenersOf, planFromTemplate, resourceOwners, type ResourceOwners } from './template-facts.js';
import { DEFAULT_POLL_INTERVAL, nextDelay, realTiming, type PollInterval, type Timing } from './timing.js';

/** What the converter produced for the resolved environment. */
export interface ConvertedTemplate {
  /** the rendered template (JSON) */
  body: string;
  /** parameter values (VPC, subnets, ...) */
  parameters: Record<string, string>;
  /** the same template as data, for grouping, plans and endpoints */
  template: Template;
  /** the converter's warnings, shown as notices before the deployment starts */
  warnings?: string[];
}

export interface UpInput {
  project: string;
  /** what to look up before converting; `project` is filled in from `project` when absent */
  environment?: Omit<EnvironmentRequest, 'project'>;
  /**
   * Values of NoEcho parameters that carry file-based secrets (parameter name -> value). They are
   * sent to CloudFormation only, never emitted, logged or written to the template.
   */
  secretValues?: Record<string, string>;
  detach?: boolean;
  dryRun?: boolean;
}

export interface DownInput {
  project: string;
}

export interface DeployDeps {
  clients: AwsClients;
  /** the convert step, handed in so `aws/` does not depend on the converter's internals */
  convert?: (environment: ResolvedEnvironment) => ConvertedTemplate | Promise<ConvertedTemplate>;
  /** fired by Ctrl-C / SIGTERM: stop watching */
  signal?: AbortSignal;
  timing?: Timing;
  /** stack events and rollout polling */
  interval?: PollInterval;
  /** how often a busy stack is checked */
  busyInterval?: PollInterval;
  /** ids for client tokens, change set names and S3 keys */
  newId?: () => string;
  /** replaced in tests that are about something else */
  resolveEnvironment?: (clients: AwsClients, req: EnvironmentRequest) => Promise<ResolvedEnvironment>;
}

export type UpResult =
  | { kind: 'succeeded'; operation: 'create' | 'update'; endpoints: string[] }
  | { kind: 'no-changes'; endpoints: string[] }
  | { kind: 'detached'; operation: 'create' | 'update'; follow: string[] }
  | { kind: 'dry-run'; plan: PlannedChange[] };

export type DownResult =
  | { kind: 'deleted'; retained: { logicalId: string; resourceType: string; physicalId?: string }[] }
  | { kind: 'not-found' };

const DEFAULT_BUSY_INTERVAL: PollInterval = { minMs: 5000, maxMs: 5000 };

/** Statuses a stack cannot leave by itself and that block both create and update. */
const STUCK = new Set(['ROLLBACK_FAILED', 'DELETE_FAILED', 'UPDATE_ROLLBACK_FAILED', 'IMPORT_ROLLBACK_FAILED']);
/** Statuses of a stack that has no resources worth keeping: replaced by `up` after a notice. */
const REPLACEABLE = new Set(['ROLLBACK_COMPLETE', 'REVIEW_IN_PROGRESS']);

interface StackInfo {
  stackId: string;
  status: string;
  /** the stack carries `com.docker.compose.project=<project>`: it is ours to update or delete */
  ours: boolean;
}

interface Ctx {
  cfn: CloudFormationClient;
  clients: AwsClients;
  stack: string;
  timing: Timing;
  signal: AbortSignal;
  interval: PollInterval;
  busyInterval: PollInterval;
  newId: () => string;
  emit: (body: DeployEventBody) => void;
}

function context(project: string, deps: DeployDeps, sink: DeploySink, cfn: CloudFormationClient): Ctx {
  const timing = deps.timing ?? realTiming;
  let seq = 0;
  let startedAt: number | undefined;
  return {
    cfn,
    clients: deps.clients,
    stack: project,
    timing,
    signal: deps.signal ?? new AbortController().signal,
    interval: deps.interval ?? DEFAULT_POLL_INTERVAL,
    busyInterval: deps.busyInterval ?? DEFAULT_BUSY_INTERVAL,
    newId: deps.newId ?? randomUUID,
    emit: (body) => {
      if (body.kind === 'operation-started') startedAt ??= timing.now().getTime();
      if (body.kind === 'finished' && startedAt !== undefined) body = { ...body, elapsedMs: timing.now().getTime() - startedAt };
      sink({ seq: ++seq, at: timing.now().toISOString(), ...body } as Parameters<DeploySink>[0]);
    },
  };
}

/** How to follow an operation from elsewhere: shown on detach and on interrupt. */
export function followHints(stack: string, region: string, stackId?: string): string[] {
  const console = `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/events?stackId=${encodeURIComponent(stackId ?? stack)}`;
  return [
    `docker ecs compose -p ${stack} ps`,
    `aws cloudformation describe-stack-events --stack-name ${stack} --region ${region}`,
    console,
  ];
}

async function describeStack(cfn: CloudFormationClient, name: string): Promise<StackInfo | undefined> {
  try {
    const res = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const s = res.Stacks?.[0];
    if (!s?.StackId || !s.StackStatus || s.StackStatus === 'DELETE_COMPLETE') return undefined;
    const ours = (s.Tags ?? []).some((t) => t.Key === PROJECT_TAG && t.Value === s.StackName);
    return { stackId: s.StackId, status: s.StackStatus, ours };
  } catch (e) {
    // only "does not exist" means absent; auth or throttling errors must not lead to a create
    if (isStackMissing(e)) return undefined;
    throw e;
  }
}

/** A stack with the project's name that docker ecs did not create is never updated or deleted. */
function checkOwnership(ctx: Ctx, info: StackInfo | undefined): void {
  if (info && !info.ours) {
    throw new UserError(
      `Stack ${ctx.stack} exists in ${ctx.clients.region} but does not belong to compose project ${ctx.stack} (it has no ${PROJECT_TAG}=${ctx.stack} tag), so it is left alone.`,
      { hint: 'Choose another project name with -p, or remove that stack yourself if it is an old one of yours.' },
    );
  }
}

function isBusy(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

function interrupted(ctx: Ctx, message: string, stackId?: string, operation?: Operation): never {
  const follow = followHints(ctx.stack, ctx.clients.region, stackId);
  finish(ctx, { outcome: 'interrupted', message, follow, ...(operation ? { operation } : {}) });
  throw new Interrupted(`${message} Follow it with "${follow[0]}" or "${follow[1]}".`);
}

function finish(
  ctx: Ctx,
  f: { outcome: FinishedOutcome; message: string } & Partial<Omit<Extract<DeployEventBody, { kind: 'finished' }>, 'kind' | 'stack'>>,
): void {
  ctx.emit({ kind: 'finished', stack: ctx.stack, ...f });
}

/** Waits while another operation runs on the stack; returns its settled state (or undefined once gone). */
async function waitUntilSettled(ctx: Ctx, info: StackInfo | undefined): Promise<StackInfo | undefined> {
  let told = false;
  while (info && isBusy(info.status)) {
    if (!told) {
      ctx.emit({
        kind: 'notice',
        level: 'info',
        message: `Stack ${ctx.stack} is busy (${info.status}); waiting for that operation to finish.`,
      });
      told = true;
    }
    await ctx.timing.sleep(nextDelay(ctx.busyInterval, 0, ctx.timing.random), ctx.signal);
    if (ctx.signal.aborted) {
      interrupted(ctx, 'Stopped waiting. Nothing was changed by this command.', info.stackId);
    }
    info = await describeStack(ctx.cfn, info.stackId);
  }
  return info;
}

/** The newest event before our operation: the poller's paging boundary. */
async function newestEventId(cfn: CloudFormationClient, stackId: string): Promise<string | undefined> {
  const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackId }));
  return page.StackEvents?.[0]?.EventId;
}

interface WatchOutcome {
  finalStatus?: string;
  events: StackEventRecord[];
  rollout: RolloutWatcher | undefined;
  /** compose service -> logical ID of its AWS::ECS::Service */
  serviceResources: Map<string, string>;
}

/** How long `up` keeps following ECS rollouts after the stack completed. */
const ROLLOUT_GRACE_MS = 10 * 60_000;

/** Follows the operation's events and the ECS rollout until the stack settles or the signal aborts. */
async function watch(
  ctx: Ctx,
  o: { stackId: string; since?: Date; boundaryEventId?: string; clientToken: string; owners: ResourceOwners; cluster?: string; jobs?: OneShotJobs },
): Promise<WatchOutcome> {
  const events: StackEventRecord[] = [];
  const serviceResources = new Map<string, string>();
  let finalStatus: string | undefined;
  let rollout: RolloutWatcher | undefined;
  // the newest lines of the new tasks, shown beneath their service while the rollout goes on
  const upLogs = new UpLogWatcher({
    ecs: () => ctx.clients.ecs(),
    logs: () => ctx.clients.logs(),
    project: ctx.stack,
    timing: ctx.timing,
    interval: ctx.interval,
  });
  const ecs = (): Promise<RolloutWatcher> =>
    rollout
      ? Promise.resolve(rollout)
      : ctx.clients.ecs().then(
          (client) =>
            (rollout = new RolloutWatcher(client, ctx.timing, o.cluster, ctx.interval, {
              client: () => ctx.clients.logs(),
              group: `/docker-compose/${ctx.stack}`,
              streamPrefix: ctx.stack,
              seenLines: (service, taskId) => upLogs.seenLines(service, taskId),
            })),
        );
  // lines first: a task's last lines are on screen (and kept) before it is reported stopped
  const pollEcs = async (r: RolloutWatcher): Promise<void> => {
    for (const body of await upLogs.poll(r.deployments())) ctx.emit(body);
    for (const body of await r.poll()) ctx.emit(body);
  };
  const activity = stackActivity(ctx.cfn, {
    stackId: o.stackId,
    stackName: ctx.stack,
    ...(o.since ? { since: o.since } : {}),
    ...(o.boundaryEventId ? { boundaryEventId: o.boundaryEventId } : {}),
    clientToken: o.clientToken,
    signal: ctx.signal,
    timing: ctx.timing,
    interval: ctx.interval,
  });
  for await (const batch of activity) {
    for (const e of batch) {
      events.push(e);
      o.jobs?.observe(e);
      const state = stateOfStatus(e.status);
      if (e.isStack) {
        finalStatus = e.status;
        ctx.emit({
          kind: 'stack',
          stack: ctx.stack,
          status: e.status,
          state,
          ...(e.reason ? { reason: e.reason } : {}),
          timestamp: e.timestamp.toISOString(),
        });
        continue;
      }
      const service = o.owners.serviceOf(e.logicalId);
      ctx.emit({
        kind: 'resource',
        logicalId: e.logicalId,
        resourceType: e.resourceType,
        ...(e.physicalId ? { physicalId: e.physicalId } : {}),
        status: e.status,
        state,
        ...(e.reason ? { reason: e.reason } : {}),
        ...(service ? { service } : {}),
        timestamp: e.timestamp.toISOString(),
      });
      if (e.resourceType === 'AWS::ECS::Service' && service && e.physicalId?.startsWith('arn:')) {
        serviceResources.set(service, e.logicalId);
        if (state === 'in-progress' && /^(CREATE|UPDATE)_IN_PROGRESS$/.test(e.status)) {
          (await ecs()).watch({ service, serviceArn: e.physicalId, since: e.timestamp });
        } else if (state !== 'in-progress') {
          rollout?.resourceSettled(service, state === 'complete');
        }
      }
    }
    // after a service's rollout is over its tasks still log: lines go on while the stack moves
    if (rollout && !ctx.signal.aborted) await pollEcs(rollout);
    // one-shot jobs whose gate started: run, follow, signal (one-shot-jobs.ts)
    if (o.jobs && !ctx.signal.aborted) for (const body of await o.jobs.poll()) ctx.emit(body);
  }
  // The stack is done; ECS may not be (a circuit breaker can still roll a service back).
  if (rollout?.active && finalStatus && stateOfStatus(finalStatus) === 'complete') {
    const deadline = ctx.timing.now().getTime() + ROLLOUT_GRACE_MS;
    while (rollout.active && !ctx.signal.aborted && ctx.timing.now().getTime() < deadline) {
      await ctx.timing.sleep(nextDelay(ctx.interval, 0, ctx.timing.random), ctx.signal);
      if (ctx.signal.aborted) break;
      await pollEcs(rollout);
    }
  }
  return { ...(finalStatus ? { finalStatus } : {}), events, rollout, serviceResources };
}

function failure(ctx: Ctx, w: WatchOutcome, owners: ResourceOwners, operation: Operation, what: string): never {
  const cause: RootCause | undefined = findRootCause(
    w.events,
    owners.serviceOf,
    (s) => w.rollout?.lastStoppedReason(s),
    (s) => w.rollout?.lastStoppedLines(s),
  );
  const status = w.finalStatus ?? 'unknown';
  const message = `${what} of stack ${ctx.stack} failed (${status}).`;
  finish(ctx, { outcome: 'failed', operation, message, ...(cause ? { rootCause: cause } : {}) });
  const detail = cause ? ` ${describeRootCause(cause)}` : '';
  const lines = cause?.lastLines?.length ? rootCauseSummary(cause).slice(describeRootCause(cause).length) : '';
  throw new DeployFailed(
    `${message}${detail} The stack is left for inspection: aws cloudformation describe-stack-events --stack-name ${ctx.stack}${lines}`,
    cause ? describeRootCause(cause) : undefined,
  );
}

/** CloudFormation succeeded but ECS rolled a service back: still a failed deployment (exit 1). */
function rolloutFailure(ctx: Ctx, w: WatchOutcome, services: string[], operation: Operation): never {
  const service = services[0]!;
  const stopped = w.rollout?.lastStoppedReason(service);
  const lines = stopped ? w.rollout?.lastStoppedLines(service) : undefined;
  const cause: RootCause = {
    logicalId: w.serviceResources.get(service) ?? service,
    resourceType: 'AWS::ECS::Service',
    reason: 'ECS rolled the deployment back: its tasks did not become healthy (deployment circuit breaker)',
    service,
    ...(stopped ? { stoppedTaskReason: stopped } : {}),
    ...(lines?.length ? { lastLines: lines } : {}),
  };
  const message = `The stack ${ctx.stack} was deployed, but the rollout of ${services.map((s) => `"${s}"`).join(', ')} failed.`;
  finish(ctx, { outcome: 'failed', operation, message, rootCause: cause });
  throw new DeployFailed(`${message} ${rootCauseSummary(cause)}`, describeRootCause(cause));
}

async function endpoints(ctx: Ctx, stackId: string, converted: ConvertedTemplate, parameters: Record<string, string>): Promise<string[]> {
  const listeners = listenersOf(converted.template, parameters);
  if (listeners.length === 0) return [];
  try {
    // the converter outputs the DNS name (`Fn::GetAtt [LoadBalancer, DNSName]`): no ELB call needed then
    const dnsOfLogical = new Map<string, string>();
    const outputsByName = dnsOutputs(converted.template);
    if (outputsByName.size > 0) {
      const res = await ctx.cfn.send(new DescribeStacksCommand({ StackName: stackId }));
      for (const o of res.Stacks?.[0]?.Outputs ?? []) {
        const lb = o.OutputKey ? outputsByName.get(o.OutputKey) : undefined;
        if (lb && o.OutputValue) dnsOfLogical.set(lb, o.OutputValue);
      }
    }
    const fromOutputs = listeners.every((l) => 'logicalId' in l.loadBalancer && dnsOfLogical.has(l.loadBalancer.logicalId));
    if (fromOutputs) {
      return listeners.map((l) => endpointUrl(dnsOfLogical.get((l.loadBalancer as { logicalId: string }).logicalId)!, l.port, l.protocol));
    }
    const arns = new Map<string, string>();
    for (const l of listeners) {
      if ('arn' in l.loadBalancer) continue;
      const id = l.loadBalancer.logicalId;
      if (arns.has(id)) continue;
      const res = await ctx.cfn.send(new DescribeStackResourceCommand({ StackName: stackId, LogicalResourceId: id }));
      const arn = res.StackResourceDetail?.PhysicalResourceId;
      if (arn) arns.set(id, arn);
    }
    const wanted = [...new Set(listeners.map((l) => ('arn' in l.loadBalancer ? l.loadBalancer.arn : arns.get(l.loadBalancer.logicalId))))].filter(
      (a): a is string => !!a,
    );
    if (wanted.length === 0) return [];
    const { DescribeLoadBalancersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    const res = await (await ctx.clients.elbv2()).send(new DescribeLoadBalancersCommand({ LoadBalancerArns: wanted }));
    const dns = new Map((res.LoadBalancers ?? []).map((lb) => [lb.LoadBalancerArn!, lb.DNSName!]));
    return listeners
      .map((l) => {
        const arn = 'arn' in l.loadBalancer ? l.loadBalancer.arn : arns.get(l.loadBalancer.logicalId);
        const name = arn ? dns.get(arn) : undefined;
        return name ? endpointUrl(name, l.port, l.protocol) : undefined;
      })
      .filter((u): u is string => !!u);
  } catch (e) {
    ctx.emit({ kind: 'notice', level: 'warning', message: `Could not read the load balancer's address: ${(e as Error).message}` });
    return [];
  }
}

async function replaceFailedStack(ctx: Ctx, info: StackInfo): Promise<void> {
  ctx.emit({
    kind: 'notice',
    level: 'warning',
    message:
      info.status === 'ROLLBACK_COMPLETE'
        ? `Stack ${ctx.stack} was left in ROLLBACK_COMPLETE by a failed first deployment and cannot be updated; deleting it and creating it again.`
        : `Stack ${ctx.stack} is ${info.status} with no resources; deleting it and creating it again.`,
  });
  await ctx.cfn.send(new DeleteStackCommand({ StackName: info.stackId, ClientRequestToken: `docker-ecs-${ctx.newId()}` }));
  for (;;) {
    await ctx.timing.sleep(nextDelay(ctx.busyInterval, 0, ctx.timing.random), ctx.signal);
    if (ctx.signal.aborted) interrupted(ctx, 'Stopped watching the deletion of the failed stack; it goes on in AWS.', info.stackId);
    const res = await ctx.cfn.send(new DescribeStacksCommand({ StackName: info.stackId })).catch((e) => {
      if (isStackMissing(e)) return { Stacks: [] };
      throw e;
    });
    const status = res.Stacks?.[0]?.StackStatus;
    if (!status || status === 'DELETE_COMPLETE') return;
    if (status === 'DELETE_FAILED') {
      throw new DeployFailed(
        `Could not delete the failed stack ${ctx.stack} (${res.Stacks?.[0]?.StackStatusReason ?? 'DELETE_FAILED'}).`,
      );
    }
  }
}

export function up(input: UpInput, deps: DeployDeps, sink: DeploySink): Promise<UpResult> {
  return explainingAwsErrors(deps.clients.region, () => upUnexplained(input, deps, sink));
}

export function down(input: DownInput, deps: DeployDeps, sink: DeploySink): Promise<DownResult> {
  return explainingAwsErrors(deps.clients.region, () => downUnexplained(input, deps, sink));
}

async function upUnexplained(input: UpInput, deps: DeployDeps, sink: DeploySink): Promise<UpResult> {
  if (!deps.convert) throw new Error('up needs a convert step');
  const cfn = await deps.clients.cloudFormation();
  const ctx = context(input.project, deps, sink, cfn);
  const resolve = deps.resolveEnvironment ?? resolveEnvironment;
  const env = await resolve(deps.clients, { ...input.environment, project: input.project });
  const converted = await deps.convert(env);
  for (const message of converted.warnings ?? []) ctx.emit({ kind: 'notice', level: 'warning', message });
  const owners = resourceOwners(converted.template);
  // secret values go to CloudFormation as NoEcho parameter values and nowhere else
  // only parameters the template declares: CloudFormation rejects any other
  const declared = new Set(Object.keys(converted.template.Parameters ?? {}));
  const parameters = Object.fromEntries(
    Object.entries({ ...converted.parameters, ...(input.secretValues ?? {}) }).filter(([k]) => declared.has(k)),
  );
  if (ctx.signal.aborted) interrupted(ctx, 'Stopped before anything was deployed.');

  const found = await describeStack(cfn, ctx.stack);
  checkOwnership(ctx, found);
  let info = await waitUntilSettled(ctx, found);
  if (info && STUCK.has(info.status)) {
    throw new UserError(`Stack ${ctx.stack} is ${info.status} and cannot be updated.`, {
      hint:
        info.status === 'UPDATE_ROLLBACK_FAILED'
          ? 'Fix the cause, then run "aws cloudformation continue-update-rollback", or remove the application with "docker ecs compose down".'
          : 'Remove it with "docker ecs compose down" and run up again.',
    });
  }

  if (input.dryRun) {
    if (!info || REPLACEABLE.has(info.status)) {
      const plan = planFromTemplate(converted.template);
      ctx.emit({ kind: 'plan', stack: ctx.stack, changes: plan });
      finish(ctx, { outcome: 'dry-run', message: `Stack ${ctx.stack} does not exist yet; up would create ${plan.length} resources.` });
      return { kind: 'dry-run', plan };
    }
  } else if (info && REPLACEABLE.has(info.status)) {
    await replaceFailedStack(ctx, info);
    info = undefined;
  }

  const id = ctx.newId();
  const clientToken = `docker-ecs-${id}`;
  let uploaded: Awaited<ReturnType<typeof uploadTemplate>> | undefined;
  let template: TemplateSource = { body: converted.body };
  if (needsS3(converted.body)) {
    uploaded = await uploadTemplate(await deps.clients.s3(), {
      accountId: env.accountId,
      region: env.region,
      stackName: ctx.stack,
      body: converted.body,
      id,
    });
    template = uploaded.source;
  }

  let operation: 'create' | 'update';
  let stackId: string;
  let since: Date | undefined;
  let boundaryEventId: string | undefined;
  let expectedChanges: number;
  let plannedAdds: string[] = [];
  try {
    if (!info) {
      operation = 'create';
      const created = await cfn.send(
        new CreateStackCommand({
          StackName: ctx.stack,
          ...templateArgs(template),
          Parameters: parameterList({ ...parameters, ...initialRevisions(converted.template, ctx.newId) }),
          Capabilities: [...CAPABILITIES],
          Tags: tagList({ [PROJECT_TAG]: ctx.stack }),
          ClientRequestToken: clientToken,
        }),
      );
      stackId = created.StackId!;
      expectedChanges = Object.keys(converted.template.Resources ?? {}).length;
    } else {
      operation = 'update';
      stackId = info.stackId;
      // secret revisions, and the updates refused before anything changes (update-plan.ts)
      const prepared = await prepareUpdate(
        { cfn, clients: ctx.clients, timing: ctx.timing, signal: ctx.signal, interval: ctx.interval },
        {
          stackName: info.stackId,
          changeSetName: `docker-ecs-${id}`,
          changeSetType: 'UPDATE',
          template,
          parameters,
          tags: { [PROJECT_TAG]: ctx.stack },
          clientToken: `docker-ecs-cs-${id}`,
          next: converted.template,
          subnetsByZone: env.subnetsByZone,
          newId: ctx.newId,
        },
      );
      if (ctx.signal.aborted) interrupted(ctx, 'Stopped before anything was deployed.', stackId);
      if (prepared.kind === 'no-changes') {
        const urls = input.dryRun ? [] : await endpoints(ctx, stackId, converted, parameters);
        if (input.dryRun) {
          ctx.emit({ kind: 'plan', stack: ctx.stack, changes: [] });
          finish(ctx, { outcome: 'dry-run', message: `The application is up to date; up would change nothing.` });
          return { kind: 'dry-run', plan: [] };
        }
        finish(ctx, { outcome: 'no-changes', message: 'The application is up to date.', endpoints: urls });
        return { kind: 'no-changes', endpoints: urls };
      }
      if (prepared.kind === 'failed') {
        finish(ctx, { outcome: 'failed', message: `Could not prepare the update of stack ${ctx.stack}: ${prepared.reason}` });
        throw new DeployFailed(`Could not prepare the update of stack ${ctx.stack}: ${prepared.reason}`, prepared.reason);
      }
      if (input.dryRun) {
        await deleteChangeSet(cfn, prepared.arn);
        ctx.emit({ kind: 'plan', stack: ctx.stack, changes: prepared.plan });
        finish(ctx, { outcome: 'dry-run', message: `up would change ${prepared.plan.length} resources; nothing was changed.` });
        return { kind: 'dry-run', plan: prepared.plan };
      }
      try {
        boundaryEventId = await newestEventId(cfn, stackId);
        await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: prepared.arn, ClientRequestToken: clientToken }));
      } catch (e) {
        await deleteChangeSet(cfn, prepared.arn).catch(() => undefined);
        throw e;
      }
      since = prepared.creationTime;
      expectedChanges = prepared.plan.length;
      plannedAdds = prepared.plan.filter((c) => c.action === 'add').map((c) => c.logicalId);
    }
  } finally {
    // CloudFormation has read the template once CreateStack / CreateChangeSet returned
    await uploaded?.remove();
  }

  ctx.emit({ kind: 'operation-started', stack: ctx.stack, stackId, operation, services: owners.services, expectedChanges });
  const jobs = new OneShotJobs({ cfn, clients: ctx.clients, stackId, project: ctx.stack, template: converted.template, parameters });
  // a one-shot job runs only while up watches: -d stays until this deployment is done
  const jobsDue = jobs.gateIds.filter((g) => operation === 'create' || plannedAdds.includes(g));
  if (input.detach && jobsDue.length > 0) {
    ctx.emit({ kind: 'notice', level: 'info', message: `One-shot jobs run during this deployment (${jobsDue.join(', ')}); up stays until it is done instead of detaching.` });
  }
  if (input.detach && jobsDue.length === 0) {
    const follow = followHints(ctx.stack, deps.clients.region, stackId);
    finish(ctx, {
      outcome: 'detached',
      operation,
      message: `The ${operation} of stack ${ctx.stack} goes on in AWS.`,
      follow,
    });
    return { kind: 'detached', operation, follow };
  }

  const w = await watch(ctx, {
    stackId,
    ...(since ? { since } : {}),
    ...(boundaryEventId ? { boundaryEventId } : {}),
    clientToken,
    owners,
    ...(input.environment?.cluster ? { cluster: input.environment.cluster } : {}),
    jobs,
  });
  if (ctx.signal.aborted) {
    interrupted(ctx, `Stopped watching. The ${operation} of stack ${ctx.stack} goes on in AWS; nothing was cancelled or deleted.`, stackId, operation);
  }
  const finalStatus = w.finalStatus ?? (await describeStack(cfn, stackId))?.status;
  const wanted = operation === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE';
  const jobCause = jobRootCause(jobs);
  if (finalStatus !== wanted && jobCause) {
    const message = `${operation === 'create' ? 'Creation' : 'Update'} of stack ${ctx.stack} failed (${finalStatus ?? 'unknown'}): ${jobCause.reason}.`;
    finish(ctx, { outcome: 'failed', operation, message, rootCause: jobCause });
    throw new DeployFailed(`${message} The stack rolled back.${jobCause.lastLines?.length ? ` Last lines:\n${jobCause.lastLines.map((l) => `  ${l}`).join('\n')}` : ''}`, jobCause.reason);
  }
  if (finalStatus !== wanted) {
    failure(ctx, { ...w, ...(finalStatus ? { finalStatus } : {}) }, owners, operation, operation === 'create' ? 'Creation' : 'Update');
  }
  const rolledBack = w.rollout?.failedServices() ?? [];
  if (rolledBack.length > 0) rolloutFailure(ctx, w, rolledBack, operation);
  const urls = await endpoints(ctx, stackId, converted, parameters);
  finish(ctx, { outcome: 'succeeded', operation, message: `Stack ${ctx.stack} is ${finalStatus}.`, endpoints: urls });
  return { kind: 'succeeded', operation, endpoints: urls };
}

/** Reads the deployed template to group resources by service; best effort. */
async function deployedOwners(cfn: CloudFormationClient, stackId: string): Promise<ResourceOwners> {
  try {
    const res = await cfn.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' }));
    const body = res.TemplateBody ?? '';
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      const { parse } = await import('yaml');
      parsed = parse(body, { logLevel: 'silent' });
    }
    return resourceOwners(parsed as Template);
  } catch {
    return resourceOwners(undefined);
  }
}

async function downUnexplained(input: DownInput, deps: DeployDeps, sink: DeploySink): Promise<DownResult> {
  const cfn = await deps.clients.cloudFormation();
  const ctx = context(input.project, deps, sink, cfn);
  const before = await describeStack(cfn, ctx.stack);
  checkOwnership(ctx, before);
  const info = before?.status === 'DELETE_IN_PROGRESS' ? before : await waitUntilSettled(ctx, before);
  if (!info) {
    finish(ctx, {
      outcome: 'no-changes',
      operation: 'delete',
      message: `There is no stack ${ctx.stack} in ${deps.clients.region}; nothing to remove.`,
    });
    return { kind: 'not-found' };
  }
  const owners = await deployedOwners(cfn, info.stackId);
  const clientToken = `docker-ecs-${ctx.newId()}`;
  const boundaryEventId = await newestEventId(cfn, info.stackId);
  if (info.status !== 'DELETE_IN_PROGRESS') {
    await cfn.send(new DeleteStackCommand({ StackName: info.stackId, ClientRequestToken: clientToken }));
  }
  ctx.emit({ kind: 'operation-started', stack: ctx.stack, stackId: info.stackId, operation: 'delete', services: owners.services });
  const w = await watch(ctx, {
    stackId: info.stackId,
    ...(boundaryEventId ? { boundaryEventId } : {}),
    // a deletion already running was started by someone else: follow it whatever its token
    clientToken: info.status === 'DELETE_IN_PROGRESS' ? '' : clientToken,
    owners,
  });
  if (ctx.signal.aborted) {
    interrupted(ctx, `Stopped watching. The deletion of stack ${ctx.stack} goes on in AWS.`, info.stackId, 'delete');
  }
  const finalStatus = w.finalStatus ?? (await describeStack(cfn, info.stackId))?.status ?? 'DELETE_COMPLETE';
  if (finalStatus !== 'DELETE_COMPLETE') failure(ctx, { ...w, finalStatus }, owners, 'delete', 'Deletion');
  const retained = w.events
    .filter((e) => e.status === 'DELETE_SKIPPED')
    .map((e) => ({ logicalId: e.logicalId, resourceType: e.resourceType, ...(e.physicalId ? { physicalId: e.physicalId } : {}) }));
  const kept = retained.filter((r) => r.resourceType === 'AWS::EFS::FileSystem');
  const message =
    kept.length > 0
      ? `Stack ${ctx.stack} is deleted. Kept ${kept.length} EFS file system${kept.length > 1 ? 's' : ''} with your data: ${kept.map((k) => k.physicalId ?? k.logicalId).join(', ')}.`
      : `Stack ${ctx.stack} is deleted.`;
  finish(ctx, { outcome: 'succeeded', operation: 'delete', message, retained });
  return { kind: 'deleted', retained };
}
