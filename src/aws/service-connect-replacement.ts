/**
 * Replacing an ECS service that offers Service Connect endpoints, in two stack updates.
 *
 * CloudFormation replaces an AWS::ECS::Service (a new cluster, launch type, ...) by creating the
 * new service first and deleting the old one at cleanup, but a Service Connect endpoint (its
 * discovery name, and its client alias `dnsName:port`) must be unique in the namespace, so the new
 * service cannot take the names the old one still holds and the update fails (AWS::ECS::Service
 * reference). So, when the change set shows such a replacement, `up`:
 *
 * 1. updates the stack with the template it has now (GetTemplate) and its current parameters
 *    (every one UsePreviousValue: secret values are never read), with only the Service Connect
 *    `Services` of those services removed. They stay Service Connect clients, so they still reach
 *    the others. The other services get a new endpoints nonce, as when a server goes away
 *    (convert/service-connect-order.ts), so that step 2 rolls them again after the new service
 *    exists: tasks resolve only the endpoints that existed when they started. That change set must
 *    modify only ECS services, in place; anything else is a bug and nothing is executed;
 * 2. runs the real change set: the new service is created with the names and the old one deleted.
 *
 * The cost: from step 1 until the new service runs, the other services cannot reach those
 * services by name, for about as long as both deployments take.
 *
 * A failed step 1 rolls back like any update (the names come back). A failed step 2 rolls back to
 * the state after step 1: the services run, without their names; the next `up` finds nothing to
 * release and makes the change directly. Ctrl-C only stops watching (interrupt.ts); the next `up`
 * waits for the stack, then goes on from where it stands.
 */
import { ExecuteChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { DeployFailed } from '../errors.js';
import type { Template, Value } from '../cloudformation/template.js';
import { renderTemplate } from '../cloudformation/serialize.js';
import { TAG_PROJECT, TAG_SERVICE } from '../convert/naming.js';
import { capabilitiesFor, deleteChangeSet, prepareChangeSet, type ChangeSetResult, type TemplateSource } from './change-set.js';
import type { PlannedChange } from './events.js';
import { finish, interrupted, stackFailed, watched, type Ctx } from './operation.js';
import { conclude } from './outcome.js';
import { needsS3, uploadTemplate } from './s3-template.js';
import { newestEventId } from './stack.js';
import type { ResourceOwners } from './template-facts.js';

type Props = Record<string, Value>;

/** An ECS service the update replaces while it holds Service Connect endpoints. */
export interface ReplacedServer {
  logicalId: string;
  /** the compose service */
  service: string;
  /** its endpoints, `dnsName:port` */
  names: string[];
}

export interface NameRelease {
  /** the template the stack runs now */
  deployed: Template;
  replaced: ReplacedServer[];
}

const propsOf = (t: Template, id: string): Props | undefined => t.Resources[id]?.Properties as Props | undefined;

function serviceTag(p: Props | undefined): string | undefined {
  const tags = p?.Tags;
  if (!Array.isArray(tags)) return undefined;
  for (const t of tags) {
    const o = t as Props | null;
    if (o && typeof o === 'object' && o.Key === TAG_SERVICE && typeof o.Value === 'string') return o.Value;
  }
  return undefined;
}

function endpointsOf(p: Props | undefined): string[] {
  const services = (p?.ServiceConnectConfiguration as Props | undefined)?.Services;
  if (!Array.isArray(services)) return [];
  return services.flatMap((s) => {
    const o = s as Props;
    const discovery = String(o.DiscoveryName ?? o.PortName ?? '');
    const aliases = Array.isArray(o.ClientAliases) ? (o.ClientAliases as Props[]) : [];
    return aliases.length > 0 ? aliases.map((a) => `${String(a.DnsName ?? discovery)}:${String(a.Port)}`) : [discovery];
  });
}

/** The ECS services the plan replaces whose deployed definition holds Service Connect endpoints. */
export function serviceConnectReplacements(plan: readonly PlannedChange[], deployed: Template): ReplacedServer[] {
  const out: ReplacedServer[] = [];
  for (const c of plan) {
    if (c.resourceType !== 'AWS::ECS::Service' || c.action !== 'modify' || c.replacement === 'no') continue;
    const props = propsOf(deployed, c.logicalId);
    const names = endpointsOf(props);
    if (names.length > 0) out.push({ logicalId: c.logicalId, service: serviceTag(props) ?? c.logicalId, names });
  }
  return out;
}

/**
 * Step 1's template: the deployed one, the replaced services without their Service Connect
 * `Services` (client mode kept), and every other ECS service with an endpoints nonce marked, so it
 * rolls now and again in step 2, after the names are back.
 */
export function withoutServiceConnectNames(deployed: Template, replaced: readonly ReplacedServer[]): Template {
  const ids = new Set(replaced.map((r) => r.logicalId));
  const resources: Template['Resources'] = {};
  for (const [id, r] of Object.entries(deployed.Resources)) {
    const p = r.Properties as Props | undefined;
    if (r.Type !== 'AWS::ECS::Service' || !p) {
      resources[id] = r;
      continue;
    }
    const next: Props = { ...p };
    if (ids.has(id)) {
      const { Services: _gone, ...client } = p.ServiceConnectConfiguration as Props;
      next.ServiceConnectConfiguration = client;
    }
    const force = p.ForceNewDeployment as Props | undefined;
    const othersReplaced = replaced.some((s) => s.logicalId !== id);
    if (othersReplaced && force && typeof force === 'object' && typeof force.ForceNewDeploymentNonce === 'string') {
      next.ForceNewDeployment = { ...force, ForceNewDeploymentNonce: `${force.ForceNewDeploymentNonce}-released` };
    }
    resources[id] = { ...r, Properties: next };
  }
  return { ...deployed, Resources: resources };
}

const list = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** What the two steps do and cost, one sentence; for the progress view, plain mode and --dry-run. */
export function twoStepNotice(replaced: readonly ReplacedServer[], dryRun: boolean): string {
  const services = list(replaced.map((r) => r.service));
  const names = list(replaced.flatMap((r) => r.names));
  const verb = dryRun ? 'up would' : 'up will';
  return (
    `This change replaces the ECS service of ${services}, and a new service cannot take the Service Connect names ${names} while the old one holds them, ` +
    `so ${verb} update the stack twice: first ${services} ${replaced.length === 1 ? 'gives' : 'give'} up ${replaced.length === 1 ? 'its' : 'their'} names (the other services restart to forget them), ` +
    `then the change itself creates the new service with the names, the other services restart to find it, and the old one is deleted. ` +
    `Between the two, the other services cannot reach ${services} by name: about as long as both deployments take, usually a few minutes.`
  );
}

/** Appended to the failure of step 2: where its rollback leaves the stack, and what to do. */
export function rollbackNote(replaced: readonly ReplacedServer[]): string {
  const one = replaced.length === 1;
  return ` It rolled back to the state after the first of the two updates: ${list(replaced.map((r) => r.service))} ${one ? 'runs' : 'run'} without ${one ? 'its' : 'their'} Service Connect names, so the other services cannot reach ${one ? 'it' : 'them'} by name; fix the cause and run up again to complete the change.`;
}

export interface TwoStepInput<R> {
  /** where step 1's template goes above CloudFormation's body limit (S3) */
  env: { accountId: string; region: string };
  owners: ResourceOwners;
  /** x-aws-cluster, for the rollout watcher */
  cluster?: string | undefined;
  /** prepares the real change set again, once the names are free */
  prepareAgain(): Promise<R>;
}

async function templateSource(ctx: Ctx, env: TwoStepInput<unknown>['env'], body: string, id: string): Promise<{ source: TemplateSource; remove(): Promise<void> }> {
  if (!needsS3(body)) return { source: { body }, remove: async () => undefined };
  return uploadTemplate(await ctx.clients.s3(), { accountId: env.accountId, region: env.region, stackName: ctx.stack, body, id });
}

/**
 * The real change set is ready and would replace `release.replaced`: deletes it, runs step 1 and
 * watches it, then prepares the real change set again (step 2, for `up` to execute). Throws
 * DeployFailed or Interrupted as `up` does.
 */
export async function replaceInTwoSteps<R extends ChangeSetResult>(
  ctx: Ctx,
  ready: Extract<ChangeSetResult, { kind: 'ready' }> & { release: NameRelease },
  input: TwoStepInput<R>,
): Promise<R> {
  const { cfn } = ctx;
  const { stackId, release } = ready;
  await deleteChangeSet(cfn, ready.arn);
  const services = list(release.replaced.map((r) => r.service));
  ctx.emit({ kind: 'notice', level: 'info', message: twoStepNotice(release.replaced, false) });

  const id = ctx.newId();
  const template = withoutServiceConnectNames(release.deployed, release.replaced);
  const uploaded = await templateSource(ctx, input.env, renderTemplate(template, 'json'), id);
  let step1: ChangeSetResult;
  try {
    step1 = await prepareChangeSet(
      cfn,
      {
        stackName: stackId,
        changeSetName: `docker-ecs-${id}-release-names`,
        changeSetType: 'UPDATE',
        template: uploaded.source,
        parameters: {},
        // every parameter as the stack has it: a secret's value is never read, only kept
        previousValues: Object.keys(release.deployed.Parameters ?? {}),
        tags: { [TAG_PROJECT]: ctx.project },
        clientToken: `docker-ecs-cs-${id}-release-names`,
        capabilities: capabilitiesFor(template),
      },
      { timing: ctx.timing, signal: ctx.signal, interval: ctx.interval },
    );
  } finally {
    await uploaded.remove();
  }
  if (ctx.signal.aborted) {
    if (step1.kind === 'ready') await deleteChangeSet(cfn, step1.arn).catch(() => undefined);
    interrupted(ctx, 'Stopped before anything was deployed.', stackId);
  }
  if (step1.kind === 'failed') {
    const message = `Could not prepare the update that frees the Service Connect names of ${services}: ${step1.reason}`;
    finish(ctx, { outcome: 'failed', message });
    throw new DeployFailed(`${message} Nothing was changed.`, step1.reason);
  }
  if (step1.kind === 'ready') {
    const unexpected = step1.plan.filter((c) => c.resourceType !== 'AWS::ECS::Service' || c.action !== 'modify' || c.replacement !== 'no');
    if (unexpected.length > 0) {
      await deleteChangeSet(cfn, step1.arn).catch(() => undefined);
      // the stack's template differs from what up deployed (changed outside?): do not touch it
      const message = `The update that frees the Service Connect names of ${services} would also change ${unexpected.map((c) => c.logicalId).join(', ')}, so it was not made.`;
      finish(ctx, { outcome: 'failed', message });
      throw new DeployFailed(`${message} Nothing was changed; apply this change with down, then up (named volumes are kept).`);
    }
    const clientToken = `docker-ecs-${id}-release-names`;
    let boundaryEventId: string | undefined;
    try {
      boundaryEventId = await newestEventId(cfn, stackId);
      await cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: step1.arn, ClientRequestToken: clientToken }));
    } catch (e) {
      await deleteChangeSet(cfn, step1.arn).catch(() => undefined);
      throw e;
    }
    ctx.emit({ kind: 'operation-started', stack: ctx.stack, stackId, operation: 'update', services: input.owners.services, expectedChanges: step1.plan.length });
    const events = await watched(ctx, {
      stackId,
      ...(step1.creationTime ? { since: step1.creationTime } : {}),
      ...(boundaryEventId ? { boundaryEventId } : {}),
      clientToken,
      owners: input.owners,
      ...(input.cluster ? { cluster: input.cluster } : {}),
    });
    if (ctx.signal.aborted) {
      interrupted(
        ctx,
        `Stopped watching. The first of the two updates of stack ${ctx.stack} (${services} giving up ${release.replaced.length === 1 ? 'its' : 'their'} Service Connect names) goes on in AWS; nothing was cancelled or deleted. Run up again to make the change itself.`,
        stackId,
        'update',
      );
    }
    const outcome = conclude(events);
    if (outcome.finalStatus !== 'UPDATE_COMPLETE') {
      stackFailed(
        ctx,
        'update',
        `The first of the two updates of stack ${ctx.stack} (${services} giving up ${release.replaced.length === 1 ? 'its' : 'their'} Service Connect names) failed (${outcome.finalStatus ?? 'unknown'}) and rolled back; the change was not made.`,
        outcome.rootCause,
      );
    }
    ctx.emit({ kind: 'notice', level: 'info', message: `${services} gave up ${release.replaced.length === 1 ? 'its' : 'their'} Service Connect names; now the change itself.` });
  }

  const step2 = await input.prepareAgain();
  if (ctx.signal.aborted) {
    if (step2.kind === 'ready') await deleteChangeSet(cfn, step2.arn).catch(() => undefined);
    interrupted(ctx, `Stopped after the first of the two updates: ${services} run without their Service Connect names. Run up again to make the change itself.`, stackId, 'update');
  }
  return step2;
}
