import { expect } from 'chai';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Deployment } from '@aws-sdk/client-ecs';
import { RolloutWatcher, clusterOfServiceArn, nextRollout, startTracking } from '../../src/aws/rollout.js';
import { fakeTiming, mockedClients, SERVICE_ARN, T0, throttled, ZERO } from './helpers.js';

const since = new Date(T0);
const deployment = (over: Partial<Deployment> = {}): Deployment => ({
  id: 'ecs-svc/1',
  status: 'PRIMARY',
  desiredCount: 2,
  runningCount: 0,
  pendingCount: 2,
  failedTasks: 0,
  rolloutState: 'IN_PROGRESS',
  ...over,
});

describe('ECS rollout watcher', () => {
  it('reads the cluster from a long-format service ARN', () => {
    expect(clusterOfServiceArn(SERVICE_ARN)).to.equal('demo');
    expect(clusterOfServiceArn('arn:aws:ecs:eu-west-1:1:service/old-format')).to.equal(undefined);
  });

  it('emits counts only when they change, and interesting service events once', async () => {
    const { clients, ecs } = mockedClients();
    ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({
        services: [
          {
            serviceArn: SERVICE_ARN,
            serviceName: 'demo-WebService-abc',
            deployments: [deployment()],
            events: [
              { id: 'v2', createdAt: new Date(T0 + 5000), message: '(service demo-web) has started 2 tasks.' },
              { id: 'v1', createdAt: new Date(T0 + 4000), message: '(service demo-web) is unable to place a task because no container instance met all of its requirements.' },
              { id: 'v0', createdAt: new Date(T0 - 1000), message: '(service demo-web) failed long ago' },
            ],
          },
        ],
      })
      .resolvesOnce({ services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [deployment()], events: [{ id: 'v1', message: 'seen' }] }] })
      .resolves({ services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [deployment({ runningCount: 2, pendingCount: 0, rolloutState: 'COMPLETED' })] }] });
    const w = new RolloutWatcher(await clients.ecs(), fakeTiming(), undefined, ZERO);
    w.watch({ service: 'web', serviceArn: SERVICE_ARN, since });
    const first = await w.poll();
    expect(first.map((e) => e.kind)).to.deep.equal(['rollout', 'service-event']);
    expect(first[1]).to.deep.include({ service: 'web', message: '(service demo-web) is unable to place a task because no container instance met all of its requirements.' });
    expect(await w.poll()).to.deep.equal([]);
    expect(await w.poll()).to.deep.equal([{ kind: 'rollout', service: 'web', desired: 2, running: 2, pending: 0, failed: 0, rolloutState: 'COMPLETED' }]);
    expect(ecs.commandCalls(DescribeServicesCommand)[0]!.args[0].input).to.deep.equal({ cluster: 'demo', services: [SERVICE_ARN] });
    expect(ecs.commandCalls(ListTasksCommand)).to.have.length(0);
  });

  it('looks once for stopped tasks when CloudFormation fails the service between two polls', async () => {
    const { clients, ecs } = mockedClients();
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:t/demo/a'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: 'arn:t/demo/a', stoppedAt: new Date(T0 + 9000), stoppedReason: 'CannotPullContainerError: not found' }],
    });
    const w = new RolloutWatcher(await clients.ecs(), fakeTiming(), undefined, ZERO);
    w.watch({ service: 'web', serviceArn: SERVICE_ARN, since });
    w.resourceSettled('web', false);
    expect(w.active).to.equal(true);
    const events = await w.poll();
    expect(events.map((e) => e.kind)).to.deep.equal(['task-stopped']);
    expect(events[0]).to.deep.include({ service: 'web', taskId: 'a' });
    expect(events[0]!.kind === 'task-stopped' && events[0]!.reason).to.contain('CannotPullContainerError');
    expect(w.active).to.equal(false);
    expect(ecs.commandCalls(DescribeServicesCommand)).to.have.length(0);
    expect(ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).to.deep.include({ serviceName: 'demo-WebService-abc', desiredStatus: 'STOPPED' });
  });

  it('lists stopped tasks only when the failed count grows, keeping those of this deployment', async () => {
    const { clients, ecs } = mockedClients();
    ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [deployment({ failedTasks: 2 })] }],
    });
    ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:t/demo/a', 'arn:t/demo/b'] });
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 'arn:t/demo/a', startedBy: 'ecs-svc/0', stoppedAt: new Date(T0 + 1000), stoppedReason: 'old deployment' },
        {
          taskArn: 'arn:t/demo/b',
          startedBy: 'ecs-svc/1',
          stoppedAt: new Date(T0 + 2000),
          stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
          containers: [{ name: 'web', reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)' }],
        },
      ],
    });
    const w = new RolloutWatcher(await clients.ecs(), fakeTiming(), undefined, ZERO);
    w.watch({ service: 'web', serviceArn: SERVICE_ARN, since });
    const out = await w.poll();
    expect(out.filter((e) => e.kind === 'task-stopped')).to.deep.equal([
      {
        kind: 'task-stopped',
        service: 'web',
        taskId: 'b',
        reason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s)',
        timestamp: new Date(T0 + 2000).toISOString(),
      },
    ]);
    await w.poll();
    expect(ecs.commandCalls(ListTasksCommand)).to.have.length(1);
  });

  it('skips polls with a growing backoff while ECS throttles', async () => {
    const { clients, ecs } = mockedClients();
    ecs.on(DescribeServicesCommand).rejectsOnce(throttled()).resolves({ services: [] });
    const timing = fakeTiming();
    const w = new RolloutWatcher(await clients.ecs(), timing, undefined, { minMs: 1000, maxMs: 2000 });
    w.watch({ service: 'web', serviceArn: SERVICE_ARN, since });
    expect(await w.poll()).to.deep.equal([]);
    expect(await w.poll()).to.deep.equal([]); // still backing off: no call
    expect(ecs.commandCalls(DescribeServicesCommand)).to.have.length(1);
    await timing.sleep(10_000);
    await w.poll();
    expect(ecs.commandCalls(DescribeServicesCommand)).to.have.length(2);
  });
});

describe('the rollout step (pure)', () => {
  const target = { service: 'web', serviceArn: SERVICE_ARN, since: new Date(T0) };
  const primary = { id: 'ecs-svc/1', desired: 2, running: 1, pending: 1, failed: 0, rolloutState: 'IN_PROGRESS' };

  it('reports counts only when they change, and completes when all desired tasks run', () => {
    const first = nextRollout(startTracking(target, 'demo'), { primary, events: [] }, new Date(T0));
    expect(first.events).to.deep.equal([{ kind: 'rollout', service: 'web', desired: 2, running: 1, pending: 1, failed: 0, rolloutState: 'IN_PROGRESS' }]);
    expect(first.tracked.outcome).to.equal(undefined);
    expect(nextRollout(first.tracked, { primary, events: [] }, new Date(T0)).events).to.deep.equal([]);
    const done = nextRollout(first.tracked, { primary: { ...primary, running: 2, pending: 0, rolloutState: 'COMPLETED' }, events: [] }, new Date(T0));
    expect(done.tracked.outcome).to.equal('completed');
    expect(done.tracked.deploymentId).to.equal('ecs-svc/1');
  });

  it('asks for the stopped tasks only when the failed count grows, and fails with the rollout', () => {
    const grown = nextRollout(startTracking(target, 'demo'), { primary: { ...primary, failed: 1 }, events: [] }, new Date(T0));
    expect(grown.listStopped).to.equal(true);
    expect(nextRollout(grown.tracked, { primary: { ...primary, failed: 1 }, events: [] }, new Date(T0)).listStopped).to.equal(false);
    expect(nextRollout(grown.tracked, { primary: { ...primary, failed: 1, rolloutState: 'FAILED' }, events: [] }, new Date(T0)).tracked.outcome).to.equal('failed');
  });

  it('shows new service events worth showing, oldest first, none from before the deployment', () => {
    const step = nextRollout(
      startTracking(target, 'demo'),
      {
        primary,
        events: [
          { id: 'e3', message: '(service web) is unhealthy in target-group', createdAt: new Date(T0 + 3000) },
          { id: 'e2', message: '(service web) has started 1 tasks', createdAt: new Date(T0 + 2000) },
          { id: 'e1', message: '(service web) failed to launch a task', createdAt: new Date(T0 + 1000) },
          { id: 'e0', message: '(service web) failed long ago', createdAt: new Date(T0 - 1000) },
        ],
      },
      new Date(T0),
    );
    expect(step.events.filter((e) => e.kind === 'service-event').map((e) => (e as { message: string }).message)).to.deep.equal([
      '(service web) failed to launch a task',
      '(service web) is unhealthy in target-group',
    ]);
  });
});
