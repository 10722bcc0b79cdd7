import { expect } from 'chai';
import type { DeployEventBody } from '../../src/aws/events.js';
import { conclude } from '../../src/aws/outcome.js';

const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 10, 0, s)).toISOString();
const resource = (logicalId: string, status: string, s: number, extra: Partial<Extract<DeployEventBody, { kind: 'resource' }>> = {}): DeployEventBody => ({
  kind: 'resource',
  logicalId,
  resourceType: 'AWS::ECS::Service',
  status,
  state: status.endsWith('_FAILED') ? 'failed' : status.endsWith('_IN_PROGRESS') ? 'in-progress' : 'complete',
  timestamp: at(s),
  ...extra,
});
const stack = (status: string, s: number, reason?: string): DeployEventBody => ({
  kind: 'stack',
  stack: 'demo',
  status,
  state: 'complete',
  ...(reason ? { reason } : {}),
  timestamp: at(s),
});

describe('the outcome of an operation, from its events alone', () => {
  it('takes the final status from the last stack event, and the root cause from the first real failure with its service\'s last stopped task', () => {
    const outcome = conclude([
      stack('CREATE_IN_PROGRESS', 1),
      resource('WebService', 'CREATE_IN_PROGRESS', 2, { service: 'web', physicalId: 'arn:aws:ecs:r:1:service/demo/web' }),
      { kind: 'task-stopped', service: 'web', taskId: 't1', reason: 'Essential container in task exited', lastLines: ['boom'] },
      resource('WebService', 'CREATE_FAILED', 4, { service: 'web', reason: 'Circuit breaker' }),
      resource('LoadBalancer', 'CREATE_FAILED', 3.5, { reason: 'Resource creation cancelled' }),
      stack('ROLLBACK_IN_PROGRESS', 5, 'The following resource(s) failed to create: [WebService].'),
      stack('ROLLBACK_COMPLETE', 9),
    ]);
    expect(outcome.finalStatus).to.equal('ROLLBACK_COMPLETE');
    expect(outcome.rootCause).to.deep.equal({
      logicalId: 'WebService',
      resourceType: 'AWS::ECS::Service',
      reason: 'Circuit breaker',
      service: 'web',
      stoppedTaskReason: 'Essential container in task exited',
      lastLines: ['boom'],
    });
    expect(outcome.rolledBack).to.deep.equal([]);
  });

  it('names the services ECS rolled back after the stack completed, with the ECS service resource', () => {
    const outcome = conclude([
      resource('WebService', 'UPDATE_IN_PROGRESS', 1, { service: 'web', physicalId: 'arn:aws:ecs:r:1:service/demo/web' }),
      { kind: 'rollout', service: 'web', desired: 1, running: 0, pending: 1, failed: 0, rolloutState: 'IN_PROGRESS' },
      resource('WebService', 'UPDATE_COMPLETE', 2, { service: 'web', physicalId: 'arn:aws:ecs:r:1:service/demo/web' }),
      stack('UPDATE_COMPLETE', 3),
      { kind: 'rollout', service: 'web', desired: 1, running: 0, pending: 0, failed: 1, rolloutState: 'FAILED' },
    ]);
    expect(outcome.finalStatus).to.equal('UPDATE_COMPLETE');
    expect(outcome.rootCause).to.equal(undefined);
    expect(outcome.rolledBack).to.deep.equal(['web']);
    expect(outcome.rolloutCause).to.deep.include({ logicalId: 'WebService', service: 'web', resourceType: 'AWS::ECS::Service' });
  });

  it('lists what a deletion kept', () => {
    const outcome = conclude([
      resource('DataFilesystem', 'DELETE_SKIPPED', 1, { resourceType: 'AWS::EFS::FileSystem', physicalId: 'fs-1' }),
      stack('DELETE_COMPLETE', 2),
    ]);
    expect(outcome.retained).to.deep.equal([{ logicalId: 'DataFilesystem', resourceType: 'AWS::EFS::FileSystem', physicalId: 'fs-1' }]);
    expect(outcome.finalStatus).to.equal('DELETE_COMPLETE');
  });
});
