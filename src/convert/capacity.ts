/**
 * Fargate Spot (`x-aws-capacity` on a service):
 *
 * - `on-demand` (the default, as before): `LaunchType: FARGATE`;
 * - `spot`: every task on FARGATE_SPOT (`CapacityProviderStrategy`, no LaunchType: ECS refuses
 *   both at once);
 * - `{spot: N, on-demand: M, base: B}`: the first B tasks on FARGATE, the rest split N:M between
 *   FARGATE_SPOT and FARGATE. Weights 0-1000 and base 0-100000, at least one weight above 0
 *   (CapacityProviderStrategyItem, ECS API Reference).
 *
 * A service with a strategy needs its capacity providers associated with the cluster first, so the
 * project's cluster gets an `AWS::ECS::ClusterCapacityProviderAssociations` with FARGATE and
 * FARGATE_SPOT (plus the GPU capacity provider when a service reserves GPUs: one association per
 * cluster, built here for both), and such services depend on it. GPU services run on their EC2
 * capacity provider, so `x-aws-capacity` on one is refused.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import { ref, type Resource, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { X_AWS_CAPACITY, X_AWS_CLUSTER } from './extensions.js';
import { FARGATE_PLATFORM_VERSION } from './fargate-sizes.js';
import * as naming from './naming.js';

export const FARGATE = 'FARGATE';
export const FARGATE_SPOT = 'FARGATE_SPOT';

export interface StrategyItem {
  CapacityProvider: string;
  Weight: number;
  Base?: number;
}

const MAX_WEIGHT = 1000;
const MAX_BASE = 100000;
const SHAPE = 'spot, on-demand, or a mapping {spot: N, on-demand: M, base: B} of whole numbers';

function where(service: ServiceConfig) {
  const o = service.origin.entries?.[X_AWS_CAPACITY] ?? service.origin;
  return { file: o.file, line: o.line, path: `services.${service.name}.${X_AWS_CAPACITY}` };
}

function wholeNumber(service: ServiceConfig, key: string, v: unknown, max: number): number {
  const n = typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max) {
    throw new UserError(`Service ${service.name}: ${X_AWS_CAPACITY}.${key} must be a whole number from 0 to ${max}, got ${JSON.stringify(v)}.`, { where: where(service) });
  }
  return n;
}

/**
 * The service's capacity provider strategy, or undefined for the default (on-demand Fargate with
 * LaunchType FARGATE). Refuses a value of the wrong shape, naming the service and key.
 */
export function capacityStrategy(service: ServiceConfig, gpu = false): StrategyItem[] | undefined {
  const v = service.extensions?.[X_AWS_CAPACITY];
  if (v === undefined || v === null) return undefined;
  if (gpu) {
    throw new UserError(`Service ${service.name} reserves GPUs, which run on the project's EC2 capacity provider, so it cannot take ${X_AWS_CAPACITY} (Fargate and Fargate Spot have no GPUs).`, {
      where: where(service),
      hint: `Remove ${X_AWS_CAPACITY} from ${service.name}.`,
    });
  }
  if (v === 'on-demand') return undefined;
  if (v === 'spot') return [{ CapacityProvider: FARGATE_SPOT, Weight: 1 }];
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new UserError(`Service ${service.name}: ${X_AWS_CAPACITY} must be ${SHAPE}, got ${JSON.stringify(v)}.`, { where: where(service) });
  }
  const m = v as Record<string, unknown>;
  const unknown = Object.keys(m).filter((k) => !['spot', 'on-demand', 'base'].includes(k)).sort();
  if (unknown.length > 0) {
    throw new UserError(`Service ${service.name}: ${X_AWS_CAPACITY} has ${unknown.join(', ')}, but takes only spot, on-demand and base.`, { where: where(service) });
  }
  const spot = m.spot === undefined ? 0 : wholeNumber(service, 'spot', m.spot, MAX_WEIGHT);
  const onDemand = m['on-demand'] === undefined ? 0 : wholeNumber(service, 'on-demand', m['on-demand'], MAX_WEIGHT);
  const base = m.base === undefined ? 0 : wholeNumber(service, 'base', m.base, MAX_BASE);
  if (spot === 0 && onDemand === 0) {
    throw new UserError(`Service ${service.name}: ${X_AWS_CAPACITY} needs spot or on-demand above 0 (ECS places the tasks beyond the base by these weights).`, { where: where(service) });
  }
  if (spot === 0 && base === 0) return undefined; // all on-demand: the default
  const items: StrategyItem[] = [];
  // the base is on-demand: the tasks a service must keep when Spot capacity is reclaimed
  if (onDemand > 0 || base > 0) items.push({ CapacityProvider: FARGATE, Weight: onDemand, ...(base > 0 ? { Base: base } : {}) });
  if (spot > 0) items.push({ CapacityProvider: FARGATE_SPOT, Weight: spot });
  return items;
}

/** Whether any service (ECS service or one-shot job) runs with a Fargate capacity provider strategy. */
export function usesFargateStrategy(ctx: Pick<ConvertContext, 'services' | 'gpuServices'>): boolean {
  return ctx.services.some((s) => !ctx.gpuServices.has(s.name) && capacityStrategyQuiet(s) !== undefined);
}

function capacityStrategyQuiet(service: ServiceConfig): StrategyItem[] | undefined {
  try {
    return capacityStrategy(service);
  } catch {
    return undefined; // reported by the service's own step
  }
}

/** The ECS service's Fargate settings: LaunchType, or its strategy and the association to wait for. */
export function fargateCapacity(ctx: ConvertContext, service: ServiceConfig): { properties: Record<string, Value>; dependsOn: string[] } {
  const strategy = capacityStrategy(service);
  if (!strategy) return { properties: { LaunchType: FARGATE, PlatformVersion: FARGATE_PLATFORM_VERSION }, dependsOn: [] };
  return {
    properties: { CapacityProviderStrategy: strategy as unknown as Value, PlatformVersion: FARGATE_PLATFORM_VERSION },
    dependsOn: ctx.cluster.external ? [] : [naming.CLUSTER_CAPACITY_PROVIDERS],
  };
}

/**
 * The project cluster's capacity provider association: FARGATE (the default strategy, so services
 * without one keep running on Fargate), FARGATE_SPOT when a service asks for Spot, and the GPU
 * capacity provider when a service reserves GPUs. Nothing when neither is used, or when the
 * cluster is not the project's own (x-aws-cluster: its associations are not this stack's to
 * replace; a warning says FARGATE_SPOT must be associated with it).
 */
export function convertCapacityProviders(ctx: ConvertContext): { resources?: Record<string, Resource>; diagnostics?: Diagnostic[] } {
  for (const name of ctx.gpuServices.keys()) capacityStrategy(ctx.project.services[name]!, true);
  const spot = usesFargateStrategy(ctx);
  const gpu = ctx.gpuServices.size > 0;
  if (!spot && !gpu) return {};
  if (ctx.cluster.external) {
    if (!spot) return {}; // GPU services on an existing cluster are refused by gpu-capacity.ts
    return {
      diagnostics: [
        warning(`${X_AWS_CLUSTER} names an existing cluster, so this stack does not change its capacity providers: FARGATE_SPOT must already be associated with it for the services with x-aws-capacity (aws ecs put-cluster-capacity-providers).`, undefined, X_AWS_CLUSTER),
      ],
    };
  }
  const providers: Value[] = [FARGATE, ...(spot ? [FARGATE_SPOT] : []), ...(gpu ? [ref(naming.CAPACITY_PROVIDER)] : [])];
  return {
    resources: {
      [naming.CLUSTER_CAPACITY_PROVIDERS]: {
        Type: 'AWS::ECS::ClusterCapacityProviderAssociations',
        Properties: {
          Cluster: ref(naming.CLUSTER),
          CapacityProviders: providers,
          // services that name neither a launch type nor a strategy run on Fargate, as before
          DefaultCapacityProviderStrategy: [{ CapacityProvider: FARGATE, Weight: 1 }],
        },
      },
    },
  };
}
