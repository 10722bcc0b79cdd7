/**
 * One-shot jobs and the order of `depends_on` conditions.
 *
 * A service is a one-shot job when another service waits for it with
 * `condition: service_completed_successfully` (a migration, an init step), or when it says
 * `restart: "no"` and nothing depends on it (a notice says so). Under `docker compose up` such a
 * container runs once and exits; an ECS service would restart it forever. So a job gets its task
 * definition (roles, logs, secrets, volumes as any service) but no ECS service, and a gate: an
 * AWS::CloudFormation::WaitCondition that CloudFormation starts once the job's own dependencies
 * are in place. `up` watches for that moment, runs the job as a task with the new task definition
 * (the run settings are in the gate's Metadata), shows its logs, and signals the gate's handle
 * with the exit code: 0 lets the dependents be created or updated, anything else fails the stack
 * operation (CloudFormation rolls back) with the job's exit code and last lines.
 *
 * A WaitCondition runs only when it is created, so the gate's logical ID carries a digest of the
 * job's task definition: the job runs again on each `up` where its definition changed, and not
 * otherwise (as compose does not recreate an unchanged container). The digest is of the template
 * only, never of a secret value.
 *
 * `service_started` and `service_healthy` are CloudFormation DependsOn on the dependency's ECS
 * service. CloudFormation waits for an ECS service's deployment to complete, and ECS counts a task
 * only once its container health check passes, so with a compose `healthcheck` the dependents
 * start after the dependency is healthy. Without one (ECS does not run an image's HEALTHCHECK),
 * `service_healthy` can only wait until it is running: a warning says so.
 */
import { sha256Hex } from './digest.js';
import type { Project, ServiceConfig } from '../compose/model.js';
import { ref, type Value } from '../cloudformation/template.js';
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { ConvertContext } from './context.js';
import { FARGATE_PLATFORM_VERSION } from './fargate-sizes.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import { offeredPortsOf } from './ports.js';
import { convertTaskDefinition } from './task-definition.js';
import { oneShotJobs, oneShotRestart } from './job-services.js';
import { serviceVolumes } from './volumes.js';
import { capacityStrategy } from './capacity.js';
import { assignPublicIp } from './egress.js';

/** The Metadata key `up` reads a gate's run settings from. */
export const JOB_METADATA_KEY = 'docker-ecs/one-shot';

/** How long a gate waits for `up` to run its job (CloudFormation's limit is 12 h). */
export const JOB_TIMEOUT_SECONDS = 3600;

/** `restart: on-failure` stays a service: long-running servers use it too, and a job that never exits would hold `up` */
export { oneShotJobs, oneShotRestart };

/** The logical ID a dependent waits on: the job's gate, or the dependency's ECS service. */
export function dependencyTarget(ctx: ConvertContext, name: string): string {
  const job = ctx.services.find((s) => s.name === name);
  return job && oneShotJobs(ctx.project).has(name) ? gateIds(ctx, job).gate : naming.ecsService(name);
}

function gateIds(ctx: ConvertContext, service: ServiceConfig): { gate: string; handle: string } {
  const definition = convertTaskDefinition(ctx, service).resources?.[naming.taskDefinition(service.name)];
  const digest = sha256Hex(JSON.stringify(definition ?? {})).slice(0, 8).toUpperCase();
  return { gate: naming.jobGate(service.name, digest), handle: naming.jobGateHandle(service.name, digest) };
}

/** Warnings for depends_on conditions ECS cannot hold exactly, and for restart policies. */
export function dependencyDiagnostics(ctx: ConvertContext, service: ServiceConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const jobs = oneShotJobs(ctx.project);
  for (const [name, dep] of Object.entries(service.depends_on ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const target = ctx.project.services[name];
    if (!target) continue;
    const hc = target.healthcheck;
    const checked = !!hc && !hc.disable && !!hc.test && hc.test.length > 0 && hc.test[0] !== 'NONE';
    if (dep.condition === 'service_healthy' && !checked && !jobs.has(name)) {
      out.push(
        warning(
          `Service ${service.name} waits for ${name} to be healthy, but ${name} has no healthcheck in the compose file and ECS does not run an image's HEALTHCHECK, so ${service.name} waits only until ${name} is running.`,
          service.name,
          'depends_on',
        ),
      );
    }
  }
  const r = service.restart;
  if (jobs.get(service.name) === 'restart') {
    out.push(
      warning(
        `Service ${service.name} (restart: "no", nothing depends on it) runs as a one-shot job: up runs it once with each new definition and waits for it to exit; for a long-running service, set restart: always.`,
        service.name,
        'restart',
      ),
    );
  } else if (oneShotRestart(service) && !jobs.has(service.name)) {
    out.push(warning(`Service ${service.name}: restart ${r} is ignored because other services depend on it running: ECS replaces every stopped task of a service.`, service.name, 'restart'));
  }
  return out;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A job's gate (WaitCondition and handle); its task definition comes from task-definition.ts. */
function oneShotCapacity(service: ServiceConfig): Record<string, Value> {
  const strategy = capacityStrategy(service);
  return strategy ? { capacityProviderStrategy: strategy.map((i) => ({ capacityProvider: i.CapacityProvider, weight: i.Weight, ...(i.Base ? { base: i.Base } : {}) })) } : { launchType: 'FARGATE' };
}

export function convertOneShot(ctx: ConvertContext, service: ServiceConfig): Fragment {
  if (ctx.published.get(service.name)?.length) {
    throw new UserError(`Service ${service.name} is a one-shot job (it runs once and exits), so it cannot publish ports behind the load balancer; remove its ports.`, {
      where: { path: `services.${service.name}.ports`, file: service.origin.file, line: service.origin.line },
    });
  }
  if (ctx.gpuServices.has(service.name)) {
    throw new UserError(`Service ${service.name} is a one-shot job and reserves a GPU; one-shot jobs run on Fargate, which has no GPUs.`, {
      where: { path: `services.${service.name}.deploy.resources`, file: service.origin.file, line: service.origin.line },
    });
  }
  const { gate, handle } = gateIds(ctx, service);
  const groups = (ctx.serviceNetworks.get(service.name) ?? []).map((n) => ctx.networks.get(n)!.securityGroup);
  const securityGroups = [...groups].sort((a, b) => byCodeUnit(JSON.stringify(a), JSON.stringify(b)));
  const after = [
    naming.taskDefinition(service.name),
    ...(capacityStrategy(service) && !ctx.cluster.external ? [naming.CLUSTER_CAPACITY_PROVIDERS] : []),
    ...serviceVolumes(ctx, service).dependsOn,
    ...Object.keys(service.depends_on ?? {})
      .filter((d) => d in ctx.project.services)
      .map((d) => dependencyTarget(ctx, d)),
  ];
  const run: Record<string, Value> = {
    service: service.name,
    taskDefinition: ref(naming.taskDefinition(service.name)),
    container: service.name,
    cluster: ctx.cluster.external ? ctx.cluster.arn : ref(naming.CLUSTER),
    // the job's x-aws-capacity strategy (Fargate Spot), else the FARGATE launch type
    ...oneShotCapacity(service),
    platformVersion: FARGATE_PLATFORM_VERSION,
    subnets: ctx.subnets,
    securityGroups,
    // as for services (egress.ts): public subnets without NAT need it to pull the image
    assignPublicIp: assignPublicIp(ctx, service),
  };
  const exposed = offeredPortsOf(service).length;
  return {
    resources: {
      [handle]: { Type: 'AWS::CloudFormation::WaitConditionHandle' },
      [gate]: {
        Type: 'AWS::CloudFormation::WaitCondition',
        DependsOn: [...new Set(after)].sort(byCodeUnit),
        Metadata: { [JOB_METADATA_KEY]: run },
        Properties: { Handle: ref(handle), Timeout: String(JOB_TIMEOUT_SECONDS), Count: 1 },
      },
    },
    diagnostics:
      exposed > 0
        ? [warning(`Service ${service.name} is a one-shot job: its ports are not reachable by other services (it has no Service Connect endpoint).`, service.name, 'expose')]
        : [],
  };
}
