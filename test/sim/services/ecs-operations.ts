/**
 * ECS actions that change running services: UpdateService (desired count, forceNewDeployment)
 * and service tags (TagResource, UntagResource), with ECS's validation. Sources: Amazon ECS API
 * Reference, UpdateService, TagResource, UntagResource (errors and limits as documented there).
 */
import { newDeployment, rollOut, scale } from '../engine/ecs-runtime.js';
import { SimError } from '../errors.js';
import type { Service, World } from '../world.js';
import type { Handler } from './types.js';

const invalid = (m: string): SimError => new SimError('InvalidParameterException', m);

function clusterArnOf(world: World, v: unknown): string {
  const name = v === undefined ? 'default' : String(v).startsWith('arn:') ? String(v).split('/').pop()! : String(v);
  const arn = world.arn('ecs', `cluster/${name}`);
  if (!world.clusters.has(arn)) throw new SimError('ClusterNotFoundException', 'Cluster not found.');
  return arn;
}

function serviceOf(world: World, clusterArn: string, v: unknown): Service {
  if (v === undefined || v === '') throw invalid('Service cannot be empty.');
  const s = String(v);
  const arn = s.startsWith('arn:') ? s : world.arn('ecs', `service/${clusterArn.split('/').pop()}/${s}`);
  const svc = world.services.get(arn);
  if (!svc || svc.clusterArn !== clusterArn) throw new SimError('ServiceNotFoundException', 'Service not found.');
  return svc;
}

function serviceByArn(world: World, arn: unknown): Service {
  if (typeof arn !== 'string' || arn === '') throw invalid('resourceArn cannot be empty.');
  const svc = world.services.get(arn);
  if (!svc || svc.status === 'INACTIVE') throw new SimError('ResourceNotFoundException', 'The specified resource is not found.');
  return svc;
}

export const ecsOperations: Record<string, Handler> = {
  UpdateService({ world, params }) {
    const svc = serviceOf(world, clusterArnOf(world, params.cluster), params.service);
    if (svc.status !== 'ACTIVE') throw new SimError('ServiceNotActiveException', 'Service was not ACTIVE.');
    if (params.desiredCount !== undefined && (!Number.isInteger(params.desiredCount) || params.desiredCount < 0)) {
      throw invalid('desiredCount must be a non-negative integer.');
    }
    if (params.taskDefinition !== undefined) throw invalid('This simulator changes task definitions through CloudFormation only.');
    const desired: number | undefined = params.desiredCount;
    if (params.forceNewDeployment === true) {
      if (desired !== undefined) svc.desiredCount = desired;
      newDeployment(world, svc, svc.taskDefinitionArn);
      rollOut(world, svc);
    } else if (desired !== undefined && desired !== svc.desiredCount) {
      scale(world, svc, desired, () => undefined);
    }
    return { service: { serviceArn: svc.arn, serviceName: svc.name, clusterArn: svc.clusterArn, desiredCount: svc.desiredCount, status: svc.status } };
  },
  TagResource({ world, params }) {
    const svc = serviceByArn(world, params.resourceArn);
    const tags: Array<{ key?: string; value?: string }> = params.tags ?? [];
    if (tags.length === 0) throw invalid('Tags cannot be empty.');
    for (const t of tags) {
      if (!t.key || t.key.length > 128) throw invalid('Tag keys must be 1 to 128 characters.');
      if ((t.value ?? '').length > 256) throw invalid('Tag values must be at most 256 characters.');
      if (t.key.toLowerCase().startsWith('aws:')) throw invalid('Tag keys cannot start with aws:.');
    }
    const merged = new Map(svc.tags.map((t) => [t.key, t.value]));
    for (const t of tags) merged.set(t.key!, t.value ?? '');
    if (merged.size > 50) throw invalid('A resource can have at most 50 tags.');
    svc.tags = [...merged].map(([key, value]) => ({ key, value }));
    return {};
  },
  UntagResource({ world, params }) {
    const svc = serviceByArn(world, params.resourceArn);
    const keys: string[] = params.tagKeys ?? [];
    if (keys.length === 0) throw invalid('tagKeys cannot be empty.');
    svc.tags = svc.tags.filter((t) => !keys.includes(t.key));
    return {};
  },
};
