/**
 * Project (+ optional Environment) -> CloudFormation template. Pure and deterministic: no network,
 * clock, environment variables or randomness; services, networks and every map-like input are
 * visited in sorted order, so the same project gives the same template whatever the key order of
 * the compose files.
 *
 * Stages: compatibility table (refuse / warn), shared facts (context), one fragment per concern
 * (project level, then per service in name order), assembly (duplicate logical IDs refused),
 * then the user's x-aws-cloudformation overlay, then AWS's limits (limits.ts) on the result.
 * Every refused key, and the first bad value of each step, is reported at once (problems.ts).
 *
 * Secret values never enter here: a file-based secret becomes a NoEcho parameter, and
 * `secretParameterInputs` tells `up` which file holds each parameter's value.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { Project } from '../compose/model.js';
import { applyOverlay } from '../cloudformation/overlay.js';
import { withDataFolders } from './bind-mounts.js';
import type { ProjectFiles } from './project-files.js';
import type { Template } from '../cloudformation/template.js';
import { convertCluster } from './cluster.js';
import { checkCompatibility } from './compatibility.js';
import { buildContext } from './context.js';
import { convertDiscoveryEntry, convertNamespace, reachabilityDiagnostics } from './discovery.js';
import { convertEcsService } from './ecs-service.js';
import type { Environment } from './environment.js';
import { TOP_LEVEL_EXTENSIONS, X_AWS_CLOUDFORMATION } from './extensions.js';
import { assemble, ownedBy, type Fragment } from './fragment.js';
import { convertAutoscaling } from './autoscaling.js';
import { convertGpuCapacity } from './gpu-capacity.js';
import { convertRoles, convertExecTaskRole } from './iam.js';
import { convertLoadBalancer, convertLoadBalancerIngress, convertServicePorts } from './load-balancer.js';
import { convertLogGroup } from './log-group.js';
import { checkLimits } from './limits.js';
import { findCollisions } from './naming.js';
import { convertNetworks } from './networks.js';
import { convertOneShot, dependencyDiagnostics, oneShotJobs } from './one-shot.js';
import { convertParameters } from './parameters.js';
import { collecting, combineProblems, throwProblems } from './problems.js';
import { convertSecrets } from './secrets.js';
import { convertTaskDefinition } from './task-definition.js';
import { convertVolumes } from './volumes.js';

export type { Diagnostic } from '../errors.js';
export type { Environment } from './environment.js';
export type { ProjectFiles } from './project-files.js';
export { projectFilePaths } from './task-files.js';
export { imageBuilds, type ImageBuild } from './image-builds.js';
export { secretEnvironmentInputs, secretParameterInputs, type SecretEnvironmentInput, type SecretParameterInput } from './secrets.js';

export interface ConvertOptions {
  /** values `up` looked up in AWS (VPC, subnets, ...); convert runs without them */
  environment?: Environment;
  /** what the shell read of the project folder for bind mounts and configs (project-files.ts) */
  files?: ProjectFiles;
}

function checkNames(project: Project): void {
  for (const [what, names] of [
    ['Services', Object.keys(project.services)],
    ['Networks', Object.keys(project.networks)],
    ['Volumes', Object.keys(project.volumes)],
    ['Secrets', Object.values(project.secrets).map((s) => s.name)],
  ] as const) {
    const clash = findCollisions(names)[0];
    if (clash) {
      throw new UserError(`${what} ${clash.join(' and ')} differ only in punctuation, so their CloudFormation resources would have the same names; rename one.`, {
        where: { path: `${what.toLowerCase()}.${clash[1]}` },
      });
    }
  }
}

function topLevelWarnings(project: Project): Diagnostic[] {
  return Object.keys(project.extensions)
    .filter((k) => k.startsWith('x-aws-') && !TOP_LEVEL_EXTENSIONS.includes(k))
    .sort()
    .map((k) => warning(`${k} is not an x-aws key this tool knows, and is ignored (known at the top level: ${TOP_LEVEL_EXTENSIONS.join(', ')}).`, undefined, k));
}

export function convertProject(original: Project, options: ConvertOptions = {}): { template: Template; diagnostics: Diagnostic[] } {
  const files = options.files ?? {};
  // every refused key first, all at once; then each mapping step of each service on its own, so
  // a bad value in one service does not hide a bad value in another (problems.ts)
  const compatibility = checkCompatibility(original, files);
  // data folders become project volumes (EFS) before anything reads the volumes (bind-mounts.ts)
  const { project, notices } = withDataFolders(original, files);
  compatibility.push(...notices.map((n) => warning(`Service ${n.service}: ${n.message}.`, n.service, 'volumes')));
  const problems: UserError[] = [];
  collecting(problems, () => checkNames(project));
  const ctx = collecting(problems, () => buildContext(project, options.environment ?? {}, files));
  if (!ctx) throw combineProblems(problems as [UserError, ...UserError[]]);

  const step = (f: () => Fragment): Fragment => collecting(problems, f) ?? {};
  const fragments: Fragment[] = [
    { diagnostics: [...compatibility, ...topLevelWarnings(project)] },
    step(() => convertParameters(ctx)),
    step(() => convertCluster(ctx)),
    step(() => convertLogGroup(ctx)),
    step(() => convertNamespace(ctx)),
    step(() => convertNetworks(ctx)),
    step(() => convertLoadBalancer(ctx)),
    step(() => convertLoadBalancerIngress(ctx)),
    step(() => convertSecrets(ctx)),
    step(() => convertVolumes(ctx)),
    step(() => convertGpuCapacity(ctx)),
    step(() => convertExecTaskRole(ctx)),
  ];
  const jobs = oneShotJobs(project);
  for (const service of ctx.services) {
    const own = [step(() => convertRoles(ctx, service)), step(() => convertTaskDefinition(ctx, service))];
    fragments.push(...own.map((f) => ownedBy(service.name, f)), { diagnostics: dependencyDiagnostics(ctx, service) });
    if (jobs.has(service.name)) {
      // runs once per definition, as a task `up` starts: no ECS service (one-shot.ts)
      fragments.push(ownedBy(service.name, step(() => convertOneShot(ctx, service))));
      continue;
    }
    const serving = [
      step(() => convertDiscoveryEntry(ctx, service)),
      step(() => convertServicePorts(ctx, service)),
      step(() => convertEcsService(ctx, service)),
      step(() => convertAutoscaling(ctx, service)),
    ];
    fragments.push(...serving.map((f) => ownedBy(service.name, f)));
  }
  throwProblems(problems);
  const { template, diagnostics } = assemble(fragments);

  const overlay = project.extensions[X_AWS_CLOUDFORMATION];
  const final = overlay === undefined || overlay === null ? template : applyOverlay(template, overlay, { path: X_AWS_CLOUDFORMATION });
  checkLimits(final, ctx.services.map((s) => s.name));
  // last, over the final template: which references between services keep no short name
  return { template: final, diagnostics: [...diagnostics, ...reachabilityDiagnostics(project, ctx.environment, final)] };
}
