/**
 * Rolling-update limits and replicas, with the old integration's formula:
 * defaults max 200 / min 100; `x-aws-min_percent` / `x-aws-max_percent` under
 * deploy.update_config override; otherwise `parallelism` p over `replicas` r gives
 * min = (r - p) * 100 / r and max = (r + p) * 100 / r (integer division), e.g. 4/2 -> 50/150.
 *
 * A stateful service (one that writes to a named volume, an EFS file system) with one replica
 * rolls 0 / 100: the old task stops before the new one starts, as `docker compose up` stops a
 * container before it recreates it. ECS's default (100 / 200) would start a second database on
 * the same data directory before the first one stops. Several replicas writing one volume get a
 * warning: each update then runs old and new tasks side by side on the same files.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import { X_AWS_MAX_PERCENT, X_AWS_MIN_PERCENT } from './extensions.js';
import { readInteger } from './extension-values.js';

export interface DeploymentLimits {
  maximumPercent: number;
  minimumHealthyPercent: number;
  /** the stateful-service warning, when it applies */
  diagnostics: Diagnostic[];
}

/** Named volumes the service mounts writable, sorted. */
export function writableVolumes(service: ServiceConfig): string[] {
  const names = (service.volumes ?? []).filter((v) => v.type === 'volume' && v.source && !v.read_only).map((v) => v.source!);
  return [...new Set(names)].sort();
}

/** deploy.replicas, else the legacy `scale`, else 1. */
export function desiredCount(service: ServiceConfig): number {
  return service.deploy?.replicas ?? service.scale ?? 1;
}

export function deploymentLimits(service: ServiceConfig): DeploymentLimits {
  const update = service.deploy?.update_config;
  const path = `services.${service.name}.deploy.update_config`;
  let max = readInteger(update?.extensions, X_AWS_MAX_PERCENT, path);
  let min = readInteger(update?.extensions, X_AWS_MIN_PERCENT, path);
  const parallelism = update?.parallelism;
  if ((max === undefined || min === undefined) && parallelism !== undefined && parallelism > 0) {
    const replicas = service.deploy?.replicas;
    if (replicas === undefined) {
      throw new UserError(`Service ${service.name} sets deploy.update_config.parallelism without deploy.replicas; the rolling update needs both.`, {
        where: { path: `services.${service.name}.deploy.replicas` },
      });
    }
    if (replicas < parallelism) {
      throw new UserError(`Service ${service.name}: deploy.replicas (${replicas}) must be at least deploy.update_config.parallelism (${parallelism}).`, {
        where: { path },
      });
    }
    min ??= Math.trunc(((replicas - parallelism) * 100) / replicas);
    max ??= Math.trunc(((replicas + parallelism) * 100) / replicas);
  }
  const diagnostics: Diagnostic[] = [];
  const volumes = writableVolumes(service);
  const replicas = desiredCount(service);
  if (volumes.length > 0 && replicas === 1) {
    // stop, then start: never two writers on one data directory (a percent given still wins)
    max ??= 100;
    min ??= 0;
  } else if (volumes.length > 0 && replicas > 1) {
    diagnostics.push(
      warning(
        `Service ${service.name} runs ${replicas} replicas that write to volume ${volumes.join(', ')}: they share its files, and each update runs old and new tasks on them side by side.`,
        service.name,
        'deploy.replicas',
      ),
    );
  }
  const limits = { maximumPercent: max ?? 200, minimumHealthyPercent: min ?? 100, diagnostics };
  if (limits.minimumHealthyPercent < 0 || limits.minimumHealthyPercent > 100) {
    throw new UserError(`Service ${service.name}: ${X_AWS_MIN_PERCENT} must be between 0 and 100, got ${limits.minimumHealthyPercent}.`, { where: { path } });
  }
  if (limits.maximumPercent < 100) {
    throw new UserError(`Service ${service.name}: ${X_AWS_MAX_PERCENT} must be at least 100, got ${limits.maximumPercent}.`, { where: { path } });
  }
  return limits;
}

/** The container health check ECS runs: compose's, unless it is disabled or has no test. */
export function hasContainerHealthCheck(service: ServiceConfig): boolean {
  const hc = service.healthcheck;
  return !!hc && !hc.disable && !!hc.test && hc.test.length > 0 && hc.test[0] !== 'NONE';
}

/**
 * Seconds the ECS scheduler ignores failing health checks of a new task. A load-balanced
 * service gets at least 60 s: ECS's default is 0, and the target group's first checks then kill a
 * task that is still starting (the circuit breaker rolls such a deployment back); 60 s is what
 * AWS CDK defaults to for load-balanced services. `healthcheck.start_period` extends it, as
 * compose counts no failed check during it. Undefined when no health check applies.
 */
export const LOAD_BALANCED_GRACE_SECONDS = 60;

export function healthCheckGracePeriod(service: ServiceConfig, loadBalanced: boolean): number | undefined {
  const startPeriod = hasContainerHealthCheck(service) && service.healthcheck?.start_period !== undefined ? Math.ceil(service.healthcheck.start_period / 1000) : 0;
  if (loadBalanced) return Math.max(LOAD_BALANCED_GRACE_SECONDS, startPeriod);
  return startPeriod > 0 ? startPeriod : undefined;
}
