/**
 * What every step of `up` and `down` shares: the stack name, clients, clock, signal and the
 * event emitter that numbers events and measures the elapsed time, and the two ways an
 * operation ends early (interrupted, finished).
 */
import { randomUUID } from 'node:crypto';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeployFailed, Interrupted } from '../errors.js';
import type { AwsClients } from './clients.js';
import type { DeployDeps } from './deploy.js';
import type { DeployEventBody, DeploySink, FinishedOutcome, Operation, RootCause } from './events.js';
import { describeRootCause, lastLinesBlock } from './root-cause.js';
import { watchOperation, type WatchOptions } from './watch.js';
import { DEFAULT_POLL_INTERVAL, realTiming, type PollInterval, type Timing } from './timing.js';
import { stackName } from '../convert/naming.js';

const DEFAULT_BUSY_INTERVAL: PollInterval = { minMs: 5000, maxMs: 5000 };

export interface Ctx {
  cfn: CloudFormationClient;
  clients: AwsClients;
  /** the compose project, kept in the stack's project tag */
  project: string;
  /** its stack name (naming.stackName: `my_app` -> `my-app`) */
  stack: string;
  timing: Timing;
  signal: AbortSignal;
  interval: PollInterval;
  busyInterval: PollInterval;
  newId: () => string;
  emit: (body: DeployEventBody) => void;
}

export function operationContext(project: string, deps: DeployDeps, sink: DeploySink, cfn: CloudFormationClient): Ctx {
  const timing = deps.timing ?? realTiming;
  let seq = 0;
  let startedAt: number | undefined;
  return {
    cfn,
    clients: deps.clients,
    project,
    stack: stackName(project),
    timing,
    signal: deps.signal ?? new AbortController().signal,
    interval: deps.interval ?? DEFAULT_POLL_INTERVAL,
    busyInterval: deps.busyInterval ?? DEFAULT_BUSY_INTERVAL,
    newId: deps.newId ?? randomUUID,
    emit: (body) => {
      if (body.kind === 'operation-started') startedAt ??= timing.now().getTime();
      if (body.kind === 'finished' && startedAt !== undefined) body = { ...body, elapsedMs: timing.now().getTime() - startedAt };
      sink({ seq: ++seq, at: timing.now().toISOString(), ...body });
    },
  };
}

/** How to follow an operation from elsewhere: shown on detach and on interrupt. */
export function followHints(stack: string, region: string, stackId?: string, project: string = stack): string[] {
  const console = `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/events?stackId=${encodeURIComponent(stackId ?? stack)}`;
  return [
    `docker ecs compose -p ${project} ps`,
    `aws cloudformation describe-stack-events --stack-name ${stack} --region ${region}`,
    console,
  ];
}

export function interrupted(ctx: Ctx, message: string, stackId?: string, operation?: Operation): never {
  const follow = followHints(ctx.stack, ctx.clients.region, stackId, ctx.project);
  finish(ctx, { outcome: 'interrupted', message, follow, ...(operation ? { operation } : {}) });
  throw new Interrupted(`${message} Follow it with "${follow[0]}" or "${follow[1]}".`);
}

export function finish(
  ctx: Ctx,
  f: { outcome: FinishedOutcome; message: string } & Partial<Omit<Extract<DeployEventBody, { kind: 'finished' }>, 'kind' | 'stack'>>,
): void {
  ctx.emit({ kind: 'finished', stack: ctx.stack, ...f });
}

/** The stack operation failed: the finished event, then DeployFailed naming the root cause. The stack is left as it is. */
export function stackFailed(ctx: Ctx, operation: Operation, message: string, cause: RootCause | undefined): never {
  finish(ctx, { outcome: 'failed', operation, message, ...(cause ? { rootCause: cause } : {}) });
  const detail = cause ? ` ${describeRootCause(cause)}` : '';
  throw new DeployFailed(
    `${message}${detail} The stack is left for inspection: aws cloudformation describe-stack-events --stack-name ${ctx.stack}${cause ? lastLinesBlock(cause) : ''}`,
    cause ? describeRootCause(cause) : undefined,
  );
}

/** Follows the operation: emits its events as they come (watch.ts), and returns them all for the conclusion. */
export async function watched(ctx: Ctx, o: Omit<WatchOptions, 'cfn' | 'clients' | 'stack' | 'project' | 'signal' | 'timing' | 'interval'>): Promise<DeployEventBody[]> {
  const events: DeployEventBody[] = [];
  for await (const e of watchOperation({ ...o, cfn: ctx.cfn, clients: ctx.clients, stack: ctx.stack, project: ctx.project, signal: ctx.signal, timing: ctx.timing, interval: ctx.interval })) {
    events.push(e);
    ctx.emit(e);
  }
  return events;
}
