/**
 * Autoscaling (seed: x-aws-autoscaling -> ScalableTarget, ScalingPolicy, AutoScalingRole).
 *
 * `deploy.x-aws-autoscaling: { min, max, cpu | memory }`: `max` is required, `min` defaults to the
 * service's replicas, and exactly one of `cpu` or `memory` gives the target average utilisation in
 * percent. It becomes a scalable target on the service's desired count (resource id
 * `service/<cluster name>/<service name>`) and a target-tracking policy on
 * ECSServiceAverageCPUUtilization or ECSServiceAverageMemoryUtilization.
 *
 * No `<Svc>AutoScalingRole`: the scalable target leaves RoleARN out, so Application Auto Scaling
 * uses its service-linked role for ECS (AWSServiceRoleForApplicationAutoScaling_ECSService), which
 * it creates on first use. That is what AWS recommends; a role in the template would need the
 * same permissions, could be edited into something broken, and is one more IAM role per service.
 *
 * Unlike before, a wrong shape is an error naming the service and key (the old integration read
 * the values with unchecked type assertions, and a missing `cpu`/`memory` gave a target of 0).
 */
import { UserError } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import { getAtt, join, ref, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { desiredCount } from './deployment.js';
import { X_AWS_AUTOSCALING } from './extensions.js';
import { idFromArn } from './extension-values.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';

/** seconds, as before */
export const SCALE_COOLDOWN = 60;

const KEYS = ['min', 'max', 'cpu', 'memory'] as const;

export interface AutoscalingSettings {
  min: number;
  max: number;
  metric: 'cpu' | 'memory';
  target: number;
}

function fail(service: ServiceConfig, key: string, message: string, hint?: string): never {
  const path = `services.${service.name}.deploy.${X_AWS_AUTOSCALING}${key ? `.${key}` : ''}`;
  throw new UserError(`Service ${service.name}: deploy.${X_AWS_AUTOSCALING}${key ? `.${key}` : ''} ${message}.`, { where: { path }, ...(hint ? { hint } : {}) });
}

function wholeNumber(service: ServiceConfig, key: string, v: unknown): number {
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) fail(service, key, `must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

/** The service's autoscaling settings, checked; undefined when it has none. */
export function autoscalingSettings(service: ServiceConfig): AutoscalingSettings | undefined {
  const raw = service.deploy?.extensions?.[X_AWS_AUTOSCALING];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(service, '', `must be a mapping with max and cpu or memory, got ${JSON.stringify(raw)}`);
  const m = raw as Record<string, unknown>;
  for (const key of Object.keys(m).sort()) {
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(service, key, 'is not a setting of autoscaling', `Use ${KEYS.join(', ')}${key === 'mem' ? ' (memory, not mem)' : ''}.`);
    }
  }
  if (m.max === undefined || m.max === null) fail(service, 'max', 'is required: the most tasks autoscaling may run');
  const max = wholeNumber(service, 'max', m.max);
  if (max < 1) fail(service, 'max', 'must be at least 1');
  const min = m.min === undefined || m.min === null ? Math.min(desiredCount(service), max) : wholeNumber(service, 'min', m.min);
  if (min > max) fail(service, 'min', `(${min}) must not be more than max (${max})`);
  const metrics = (['cpu', 'memory'] as const).filter((k) => m[k] !== undefined && m[k] !== null);
  if (metrics.length !== 1) {
    fail(service, metrics.length === 0 ? 'cpu' : 'memory', metrics.length === 0 ? 'or memory is required: the target utilisation in percent' : 'and cpu are both set; autoscaling tracks one of them');
  }
  const metric = metrics[0]!;
  const target = wholeNumber(service, metric, m[metric]);
  if (target < 1 || target > 100) fail(service, metric, `must be a percentage between 1 and 100, got ${target}`);
  return { min, max, metric, target };
}

/** The cluster's name: Ref of the project's cluster, or the name in x-aws-cluster (given as a name or an ARN). */
function clusterName(ctx: ConvertContext): Value {
  if (!ctx.cluster.external) return ref(naming.CLUSTER);
  return idFromArn(ctx.cluster.arn as string);
}

export function convertAutoscaling(ctx: ConvertContext, service: ServiceConfig): Fragment {
  const settings = autoscalingSettings(service);
  if (!settings) return {};
  const target = naming.scalableTarget(service.name);
  return {
    resources: {
      [target]: {
        Type: 'AWS::ApplicationAutoScaling::ScalableTarget',
        Properties: {
          MinCapacity: settings.min,
          MaxCapacity: settings.max,
          ResourceId: join('/', ['service', clusterName(ctx), getAtt(naming.ecsService(service.name), 'Name')]),
          ScalableDimension: 'ecs:service:DesiredCount',
          ServiceNamespace: 'ecs',
        },
      },
      [naming.scalingPolicy(service.name)]: {
        Type: 'AWS::ApplicationAutoScaling::ScalingPolicy',
        Properties: {
          PolicyName: naming.scalingPolicy(service.name),
          PolicyType: 'TargetTrackingScaling',
          ScalingTargetId: ref(target),
          TargetTrackingScalingPolicyConfiguration: {
            PredefinedMetricSpecification: {
              PredefinedMetricType: settings.metric === 'cpu' ? 'ECSServiceAverageCPUUtilization' : 'ECSServiceAverageMemoryUtilization',
            },
            TargetValue: settings.target,
            ScaleInCooldown: SCALE_COOLDOWN,
            ScaleOutCooldown: SCALE_COOLDOWN,
          },
        },
      },
    },
  };
}
