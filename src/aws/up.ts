/**
 * `up`, as a straight sequence of steps:
 *
 *   prepare (environment, convert, build and push, convert with the built images' ports, parameters) -> find the stack (ours? busy? stuck?) -> dry run of
 *   a new stack | replace a ROLLBACK_COMPLETE stack -> submit (create, or change set: no changes,
 *   failed, dry run, execute) -> watch (one event stream) -> conclude from the events -> endpoints
 *
 * Aborting only stops watching: nothing is cancelled, rolled back or deleted in AWS.
 */
import { CreateStackCommand, ExecuteChangeSetCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DeployFailed, UserError } from '../errors.js';
import { TAG_PROJECT as PROJECT_TAG } from '../convert/naming.js';
import { explainingAwsErrors } from './aws-errors.js';
import {
  capabilitiesFor,
  deleteChangeSet,
  parameterList,
  tagList,
  templateArgs,
  type TemplateSource,
} from './change-set.js';
import type { ConvertedTemplate, UpDeps, UpInput, UpResult } from './deploy.js';
import { resolveEnvironment, type ResolvedEnvironment } from './environment.js';
import { endpoints } from './endpoints.js';
import type { DeploySink } from './events.js';
import { finish, followHints, interrupted, operationContext, stackFailed, watched, type Ctx } from './operation.js';
import { conclude } from './outcome.js';
import { describeRootCause, rootCauseSummary } from './root-cause.js';
import { needsS3, uploadTemplate } from './s3-template.js';
import {
  checkOwnership,
  describeStack,
  newestEventId,
  REPLACEABLE,
  replaceFailedStack,
  STUCK,
  waitUntilSettled,
  type StackInfo,
} from './stack.js';
import { planFromTemplate, resourceOwners, type ResourceOwners } from './template-facts.js';
import { initialRevisions, prepareUpdate } from './update-plan.js';
import { replaceInTwoSteps, rollbackNote, twoStepNotice } from './service-connect-replacement.js';
import { checkLoadBalancerPlan } from './load-balancer-checks.js';
import { jobRootCause, OneShotJobs } from './one-shot-jobs.js';
import { imageParameterValues, preparedImagePorts, prepareImages } from './build-images.js';
import { refuseLeftovers } from './leftover-names.js';

export function up(input: UpInput, deps: UpDeps, sink: DeploySink): Promise<UpResult> {
  return explainingAwsErrors(deps.clients.region, () => upUnexplained(input, deps, sink));
}

interface Prepared {
  env: ResolvedEnvironment;
  converted: ConvertedTemplate;
  owners: ResourceOwners;
  /** the values of the parameters the template declares (secret values among them) */
  parameters: Record<string, string>;
}

/** A stack operation CloudFormation accepted, and where its events start. */
interface Submitted {
  operation: 'create' | 'update';
  stackId: string;
  clientToken: string;
  since?: Date;
  boundaryEventId?: string;
  expectedChanges: number;
  /** resources the change set adds (a one-shot job's gate among them means it runs) */
  plannedAdds: string[];
  /** the second of two updates (service-connect-replacement.ts): what a rollback leaves */
  rollbackNote?: string;
}

async function upUnexplained(input: UpInput, deps: UpDeps, sink: DeploySink): Promise<UpResult> {
  const cfn = await deps.clients.cloudFormation();
  const ctx = operationContext(input.project, deps, sink, cfn);
  const prepared = await prepare(ctx, input, deps);
  if (ctx.signal.aborted) interrupted(ctx, 'Stopped before anything was deployed.');

  let info = await settledStack(ctx, cfn);
  if (!info || REPLACEABLE.has(info.status)) await refuseLeftovers(ctx.clients, ctx.stack, prepared.converted.template, prepared.parameters, prepared.env.vpcId);
  if (input.dryRun && (!info || REPLACEABLE.has(info.status))) {
    const plan = planFromTemplate(prepared.converted.template);
    ctx.emit({ kind: 'plan', stack: ctx.stack, changes: plan });
    finish(ctx, { outcome: 'dry-run', message: `Stack ${ctx.stack} does not exist yet; up would create ${plan.length} resources.` });
    return { kind: 'dry-run', plan };
  }
  if (info && REPLACEABLE.has(info.status)) {
    await replaceFailedStack(ctx, info);
    info = undefined;
  }

  const submitted = await submit(ctx, cfn, input, prepared, info);
  if ('kind' in submitted) return submitted;
  const { operation, stackId } = submitted;
  ctx.emit({ kind: 'operation-started', stack: ctx.stack, stackId, operation, services: prepared.owners.services, expectedChanges: submitted.expectedChanges });
  const jobs = new OneShotJobs({ cfn, clients: ctx.clients, stackId, project: ctx.project, template: prepared.converted.template, parameters: prepared.parameters });
  // a one-shot job runs only while up watches: -d stays until this deployment is done
  const jobsDue = jobs.gateIds.filter((g) => operation === 'create' || submitted.plannedAdds.includes(g));
  if (input.detach && jobsDue.length > 0) {
    ctx.emit({ kind: 'notice', level: 'info', message: `One-shot jobs run during this deployment (${jobsDue.join(', ')}); up stays until it is done instead of detaching.` });
  }
  if (input.detach && jobsDue.length === 0) {
    const follow = followHints(ctx.stack, deps.clients.region, stackId, ctx.project);
    finish(ctx, { outcome: 'detached', operation, message: `The ${operation} of stack ${ctx.stack} goes on in AWS.`, follow });
    return { kind: 'detached', operation, follow };
  }

  const events = await watched(ctx, {
    stackId,
    ...(submitted.since ? { since: submitted.since } : {}),
    ...(submitted.boundaryEventId ? { boundaryEventId: submitted.boundaryEventId } : {}),
    clientToken: submitted.clientToken,
    owners: prepared.owners,
    ...(input.environment?.cluster ? { cluster: input.environment.cluster } : {}),
    jobs,
  });
  if (ctx.signal.aborted) {
    interrupted(ctx, `Stopped watching. The ${operation} of stack ${ctx.stack} goes on in AWS; nothing was cancelled or deleted.`, stackId, operation);
  }
  const outcome = conclude(events);
  // no stack event seen (the stack was gone before its first poll): ask, unless the events already explain
  const finalStatus = outcome.finalStatus ?? (await describeStack(cfn, stackId).catch((e) => (outcome.rootCause ? undefined : Promise.reject(e))))?.status;
  const jobCause = jobRootCause(jobs);
  if (finalStatus !== (operation === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE') && jobCause) {
    const message = `${operation === 'create' ? 'Creation' : 'Update'} of stack ${ctx.stack} failed (${finalStatus ?? 'unknown'}): ${jobCause.reason}.`;
    finish(ctx, { outcome: 'failed', operation, message, rootCause: jobCause });
    throw new DeployFailed(`${message} The stack rolled back.${jobCause.lastLines?.length ? ` Last lines:\n${jobCause.lastLines.map((l) => `  ${l}`).join('\n')}` : ''}`, jobCause.reason);
  }
  if (finalStatus !== (operation === 'create' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE')) {
    stackFailed(ctx, operation, `${operation === 'create' ? 'Creation' : 'Update'} of stack ${ctx.stack} failed (${finalStatus ?? 'unknown'}).${submitted.rollbackNote ?? ''}`, outcome.rootCause);
  }
  if (outcome.rolloutCause) {
    // CloudFormation succeeded but ECS rolled a service back: still a failed deployment (exit 1)
    const message = `The stack ${ctx.stack} was deployed, but the rollout of ${outcome.rolledBack.map((s) => `"${s}"`).join(', ')} failed.`;
    finish(ctx, { outcome: 'failed', operation, message, rootCause: outcome.rolloutCause });
    throw new DeployFailed(`${message} ${rootCauseSummary(outcome.rolloutCause)}`, describeRootCause(outcome.rolloutCause));
  }
  const urls = await endpoints(ctx, stackId, prepared.converted, prepared.parameters);
  finish(ctx, { outcome: 'succeeded', operation, message: `Stack ${ctx.stack} is ${finalStatus}.`, endpoints: urls });
  return { kind: 'succeeded', operation, endpoints: urls };
}

/**
 * Looks up the environment, builds and pushes the built services' images, converts for both, and
 * keeps only the parameters the template declares.
 */
async function prepare(ctx: Ctx, input: UpInput, deps: UpDeps): Promise<Prepared> {
  const resolve = deps.resolveEnvironment ?? resolveEnvironment;
  const env = await resolve(deps.clients, { ...input.environment, project: input.project });
  let converted = await deps.convert(env);
  checkLoadBalancerPlan(converted.template, env);
  // built services: built and pushed now, before any stack change; their images by digest
  const prepared = deps.images ? await prepareImages(ctx, deps.images, input.dryRun) : [];
  // the first conversion refused what it would refuse before any build; this one also gives the
  // ports the built images declare (EXPOSE) their short names, as a pulled image's get
  if (prepared.length > 0) {
    converted = await deps.convert(env, preparedImagePorts(prepared));
    checkLoadBalancerPlan(converted.template, env);
  }
  for (const message of converted.warnings ?? []) ctx.emit({ kind: 'notice', level: 'warning', message });
  const images = imageParameterValues(prepared);
  // secret values go to CloudFormation as NoEcho parameter values and nowhere else;
  // only parameters the template declares: CloudFormation rejects any other
  const declared = new Set(Object.keys(converted.template.Parameters ?? {}));
  const parameters = Object.fromEntries(
    Object.entries({ ...converted.parameters, ...images, ...(input.secretValues ?? {}) }).filter(([k]) => declared.has(k)),
  );
  return { env, converted, owners: resourceOwners(converted.template), parameters };
}

/** The project's stack once no other operation runs on it; refuses one that is not ours or stuck. */
async function settledStack(ctx: Ctx, cfn: CloudFormationClient): Promise<StackInfo | undefined> {
  const found = await describeStack(cfn, ctx.stack);
  checkOwnership(ctx, found);
  const info = await waitUntilSettled(ctx, found);
  if (info && STUCK.has(info.status)) {
    throw new UserError(`Stack ${ctx.stack} is ${info.status} and cannot be updated.`, {
      hint:
        info.status === 'UPDATE_ROLLBACK_FAILED'
          ? 'Fix the cause, then run "aws cloudformation continue-update-rollback", or remove the application with "docker ecs compose down".'
          : 'Remove it with "docker ecs compose down" and run up again.',
    });
  }
  return info;
}

/**
 * Creates the stack, or prepares and executes a change set. Returns the submitted operation, or
 * the result when there is nothing to watch (no changes, a dry run).
 */
async function submit(ctx: Ctx, cfn: CloudFormationClient, input: UpInput, p: Prepared, info: StackInfo | undefined): Promise<Submitted | UpResult> {
  const id = ctx.newId();
  const clientToken = `docker-ecs-${id}`;
  let uploaded: Awaited<ReturnType<typeof uploadTemplate>> | undefined;
  let template: TemplateSource = { body: p.converted.body };
  if (needsS3(p.converted.body)) {
    uploaded = await uploadTemplate(await ctx.clients.s3(), { accountId: p.env.accountId, region: p.env.region, stackName: ctx.stack, body: p.converted.body, id });
    template = uploaded.source;
  }
  try {
    if (!info) {
      const created = await cfn.send(
        new CreateStackCommand({
          StackName: ctx.stack,
          ...templateArgs(template),
          Parameters: parameterList({ ...p.parameters, ...initialRevisions(p.converted.template, ctx.newId) }),
          Capabilities: capabilitiesFor(p.converted.template),
          Tags: tagList({ [PROJECT_TAG]: ctx.project }),
          ClientRequestToken: clientToken,
        }),
      );
      return { operation: 'create', stackId: created.StackId!, clientToken, expectedChanges: Object.keys(p.converted.template.Resources ?? {}).length, plannedAdds: [] };
    }
    const stackId = info.stackId;
    // secret revisions, and the updates refused before anything changes (update-plan.ts)
    const prepareAs = (suffix: string) => prepareUpdate(
      { cfn, clients: ctx.clients, timing: ctx.timing, signal: ctx.signal, interval: ctx.interval },
      {
        stackName: stackId,
        changeSetName: `docker-ecs-${id}${suffix}`,
        changeSetType: 'UPDATE',
        template,
        parameters: p.parameters,
        tags: { [PROJECT_TAG]: ctx.project },
        clientToken: `docker-ecs-cs-${id}${suffix}`,
        capabilities: capabilitiesFor(p.converted.template),
        next: p.converted.template,
        subnetsByZone: p.env.subnetsByZone,
        newId: ctx.newId,
      },
    );
    let prepared = await prepareAs('');
    if (ctx.signal.aborted) interrupted(ctx, 'Stopped before anything was deployed.', stackId);
    // a replaced service's Service Connect names are freed by a first update (service-connect-replacement.ts)
    const release = prepared.kind === 'ready' ? prepared.release : undefined;
    if (release && input.dryRun) ctx.emit({ kind: 'notice', level: 'info', message: twoStepNotice(release.replaced, true) });
    else if (release && prepared.kind === 'ready') prepared = await replaceInTwoSteps(ctx, { ...prepared, release }, { env: p.env, owners: p.owners, cluster: input.environment?.cluster, prepareAgain: () => prepareAs('-after-release') });
    if (prepared.kind === 'no-changes') {
      if (input.dryRun) {
        ctx.emit({ kind: 'plan', stack: ctx.stack, changes: [] });
        finish(ctx, { outcome: 'dry-run', message: `The application is up to date; up would change nothing.` });
        return { kind: 'dry-run', plan: [] };
      }
      const urls = await endpoints(ctx, stackId, p.converted, p.parameters);
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
    let boundaryEventId: string | undefined;
    try {
      boundaryEventId = await newestEventId(cfn, stackId);
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: prepared.arn, ClientRequestToken: clientToken }));
    } catch (e) {
      await deleteChangeSet(cfn, prepared.arn).catch(() => undefined);
      throw e;
    }
    return {
      operation: 'update',
      stackId,
      clientToken,
      since: prepared.creationTime,
      ...(boundaryEventId ? { boundaryEventId } : {}),
      expectedChanges: prepared.plan.length,
      plannedAdds: prepared.plan.filter((c) => c.action === 'add').map((c) => c.logicalId),
      ...(release ? { rollbackNote: rollbackNote(release.replaced) } : {}),
    };
  } finally {
    // CloudFormation has read the template once CreateStack / CreateChangeSet returned
    await uploaded?.remove();
  }
}
