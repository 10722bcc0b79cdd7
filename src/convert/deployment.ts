/**
 * Rolling-update limits and replicas, with the old integration's formula:
 * defaults max 200 / min 100; `x-aws-min_percent` / `x-aws-max_percent` under
 * deploy.update_config override; otherwise `parallelism` p over `replicas` r gives
 * min = (r - p) * 100 / r and max = (r + p) * 100 / r (integer division), e.g. 4/2 -> 50/150.
 */
import { UserError } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import { X_AWS_MAX_PERCENT, X_AWS_MIN_PERCENT } from './extensions.js';
import { readInteger } from './extension-values.js';

export interface DeploymentLimits {
  maximumPercent: number;
  minimumHealthyPercent: number;
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
  const limits = { maximumPercent: max ?? 200, minimumHealthyPercent: min ?? 100 };
  if (limits.minimumHealthyPercent < 0 || limits.minimumHealthyPercent > 100) {
    throw new UserError(`Service ${service.name}: ${X_AWS_MIN_PERCENT} must be between 0 and 100, got ${limits.minimumHealthyPercent}.`, { where: { path } });
  }
  if (limits.maximumPercent < 100) {
    throw new UserError(`Service ${service.name}: ${X_AWS_MAX_PERCENT} must be at least 100, got ${limits.maximumPercent}.`, { where: { path } });
  }
  return limits;
}
