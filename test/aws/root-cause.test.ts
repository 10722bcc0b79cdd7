import { expect } from 'chai';
import type { DeployEventBody } from '../../src/aws/events.js';
import { describeRootCause, rootCauseOf } from '../../src/aws/root-cause.js';
import { toStackEventRecord } from '../../src/aws/stack-events.js';
import { stackEventBody } from '../../src/aws/watch.js';
import { event, STACK, stackEvent } from './helpers.js';

/** the stack event as the watcher emits it, the resource `WebService` owned by service `web` */
const rec = (e: Parameters<typeof toStackEventRecord>[0]): DeployEventBody =>
  stackEventBody(toStackEventRecord(e, STACK), STACK, { services: ['web'], serviceOf: (id) => (id === 'WebService' ? 'web' : undefined) });

describe('root cause', () => {
  it('is the first failure in time that is neither a cancellation nor a stack-level message', () => {
    const events = [
      stackEvent(9, 'ROLLBACK_IN_PROGRESS', { ResourceStatusReason: 'The following resource(s) failed to create: [A, B].' }),
      event(5, { LogicalResourceId: 'B', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Resource creation cancelled' }),
      event(7, { LogicalResourceId: 'C', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'later failure' }),
      event(6, { LogicalResourceId: 'A', ResourceType: 'AWS::IAM::Role', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Policy is malformed' }),
    ].map(rec);
    expect(rootCauseOf(events)).to.deep.equal({
      logicalId: 'A',
      resourceType: 'AWS::IAM::Role',
      reason: 'Policy is malformed',
    });
  });

  it('adds the service and its stopped-task reason for an ECS service', () => {
    const events = [
      { kind: 'task-stopped', service: 'web', taskId: 't0', reason: 'an earlier task' } as const,
      { kind: 'task-stopped', service: 'web', taskId: 't1', reason: 'Essential container in task exited' } as const,
      ...[event(3, { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Circuit breaker' })].map(rec),
    ];
    const cause = rootCauseOf(events);
    expect(cause).to.deep.include({ service: 'web', stoppedTaskReason: 'Essential container in task exited' });
    expect(describeRootCause(cause!)).to.equal(
      'WebService of service "web" (AWS::ECS::Service) failed: Circuit breaker. Last stopped task: Essential container in task exited.',
    );
  });

  it('falls back to the stack reason when no resource failed', () => {
    const events = [stackEvent(2, 'UPDATE_ROLLBACK_IN_PROGRESS', { ResourceStatusReason: 'Parameter validation failed' })].map(rec);
    expect(rootCauseOf(events)).to.deep.include({ logicalId: STACK, resourceType: 'AWS::CloudFormation::Stack', reason: 'Parameter validation failed' });
  });
});
