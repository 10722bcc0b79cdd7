/** Fixed events for the renderer tests: `at(n)` is T0 + n seconds. */
import type { DeployEvent, DeployEventBody } from '../../src/aws/events.js';

export const T0 = Date.parse('2026-01-01T10:00:00.000Z');
export const at = (n: number): string => new Date(T0 + n * 1000).toISOString();

let seq = 0;
export function ev(n: number, body: DeployEventBody): DeployEvent {
  return { seq: ++seq, at: at(n), ...body } as DeployEvent;
}

export function resetSeq(): void {
  seq = 0;
}

/** A create of one web service with a crashing task and a project-level cluster. */
export function failingCreate(): DeployEvent[] {
  resetSeq();
  const res = (n: number, logicalId: string, resourceType: string, status: string, extra: Partial<Extract<DeployEventBody, { kind: 'resource' }>> = {}) =>
    ev(n, {
      kind: 'resource',
      logicalId,
      resourceType,
      status,
      state: status.endsWith('_FAILED') ? 'failed' : status.endsWith('_IN_PROGRESS') ? 'in-progress' : 'complete',
      timestamp: at(n),
      ...extra,
    });
  return [
    ev(0, { kind: 'operation-started', stack: 'demo', operation: 'create', services: ['web'], expectedChanges: 4 }),
    ev(1, { kind: 'stack', stack: 'demo', status: 'CREATE_IN_PROGRESS', state: 'in-progress', timestamp: at(1) }),
    res(2, 'Cluster', 'AWS::ECS::Cluster', 'CREATE_IN_PROGRESS'),
    res(7, 'Cluster', 'AWS::ECS::Cluster', 'CREATE_COMPLETE'),
    res(8, 'WebTaskDefinition', 'AWS::ECS::TaskDefinition', 'CREATE_IN_PROGRESS', { service: 'web' }),
    res(10, 'WebTaskDefinition', 'AWS::ECS::TaskDefinition', 'CREATE_COMPLETE', { service: 'web' }),
    res(11, 'WebService', 'AWS::ECS::Service', 'CREATE_IN_PROGRESS', { service: 'web' }),
    ev(14, { kind: 'rollout', service: 'web', desired: 2, running: 1, pending: 1, failed: 0, rolloutState: 'IN_PROGRESS' }),
    ev(20, {
      kind: 'task-stopped',
      service: 'web',
      taskId: '6b1d6e32aa',
      reason: 'Essential container in task exited; web exited with code 1',
      lastLines: ['listening on :80', 'connecting to db:5432', 'Error: connect ECONNREFUSED 10.0.0.5:5432', 'process exited with code 1'],
    }),
    ev(25, {
      kind: 'resource',
      logicalId: 'WebService',
      resourceType: 'AWS::ECS::Service',
      status: 'CREATE_FAILED',
      state: 'failed',
      service: 'web',
      reason: 'ECS Deployment Circuit Breaker was triggered. (Service: Ecs, Status Code: 400, Request ID: 1)',
      timestamp: at(25),
    }),
  ];
}
