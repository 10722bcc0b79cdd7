import { expect } from 'chai';
import { FilterLogEventsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Deployment } from '@aws-sdk/client-ecs';
import { RolloutWatcher } from '../../src/aws/rollout.js';
import { CALLS_PER_ROUND, LIVE_LINES, UpLogWatcher } from '../../src/aws/up-logs.js';
import type { FollowedDeployment } from '../../src/aws/rollout.js';
import { awsError, fakeTiming, mockedClients, SERVICE_ARN, T0, throttled, ZERO } from './helpers.js';

const since = new Date(T0);
const dep = (service: string, running: number, over: Partial<FollowedDeployment> = {}): FollowedDeployment => ({
  service,
  cluster: 'demo',
  deploymentId: `ecs-svc/${service}`,
  since,
  running,
  ...over,
});
const line = (service: string, task: string, n: number, message = `line ${n}`) => ({
  logStreamName: `demo/${service}/${task}`,
  timestamp: T0 + n * 1000,
  message,
  eventId: `${service}-${task}-${n}`,
});

function watcher(m: ReturnType<typeof mockedClients>, timing = fakeTiming()): UpLogWatcher {
  return new UpLogWatcher({ ecs: m.clients.ecs, logs: m.clients.logs, project: 'demo', timing, interval: ZERO });
}

describe('log lines of the new tasks while up watches', () => {
  it('lists the new tasks by the deployment ID, reads their service prefix from the deployment start, and emits the newest lines', async () => {
    const m = mockedClients();
    m.ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:eu-west-1:1:task/demo/newtask1'] });
    m.logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({
        events: [
          line('web', 'oldtask0', 1, 'from the task of the previous deployment'),
          line('web', 'newtask1', 2),
          line('web', 'newtask1', 3),
          line('web', 'newtask1', 4),
          line('web', 'newtask1', 5, 'listening on :80\n'),
        ],
      })
      .resolves({ events: [line('web', 'newtask1', 5, 'listening on :80\n'), line('web', 'newtask1', 6, 'GET / 200')] });
    const w = watcher(m);
    const first = await w.poll([dep('web', 1)]);
    expect(first).to.deep.equal([
      { kind: 'log', service: 'web', taskId: 'newtask1', message: 'line 3', timestamp: new Date(T0 + 3000).toISOString() },
      { kind: 'log', service: 'web', taskId: 'newtask1', message: 'line 4', timestamp: new Date(T0 + 4000).toISOString() },
      { kind: 'log', service: 'web', taskId: 'newtask1', message: 'listening on :80', timestamp: new Date(T0 + 5000).toISOString() },
    ]);
    expect(first).to.have.length(LIVE_LINES);
    expect(m.ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).to.deep.equal({ cluster: 'demo', startedBy: 'ecs-svc/web' });
    expect(m.logs.commandCalls(FilterLogEventsCommand)[0]!.args[0].input).to.deep.equal({
      logGroupName: '/docker-compose/demo',
      logStreamNamePrefix: 'demo/web/',
      startTime: T0,
    });
    // the next read starts at the newest line seen; that line is not shown twice
    const second = await w.poll([dep('web', 1)]);
    expect(second.map((e) => (e as { message: string }).message)).to.deep.equal(['GET / 200']);
    expect(m.logs.commandCalls(FilterLogEventsCommand)[1]!.args[0].input.startTime).to.equal(T0 + 5000);
    // the running count did not move: no second ListTasks
    expect(m.ecs.commandCalls(ListTasksCommand)).to.have.length(1);
    expect(w.seenLines('web', 'newtask1')).to.deep.equal(['line 2', 'line 3', 'line 4', 'listening on :80', 'GET / 200']);
  });

  it('makes no call before a service has running tasks, and lists again when the running count changes', async () => {
    const m = mockedClients();
    m.ecs.on(ListTasksCommand).resolvesOnce({ taskArns: ['arn:t/demo/a'] }).resolves({ taskArns: ['arn:t/demo/a', 'arn:t/demo/b'] });
    m.logs.on(FilterLogEventsCommand).resolves({ events: [line('web', 'b', 1, 'from b')] });
    const w = watcher(m);
    expect(await w.poll([dep('web', 0)])).to.deep.equal([]);
    expect(m.ecs.calls()).to.have.length(0);
    expect(m.logs.calls()).to.have.length(0);
    expect(await w.poll([dep('web', 1)])).to.deep.equal([]); // b is not known yet: its line is not ours
    expect(await w.poll([dep('web', 2)])).to.have.length(1);
    expect(m.ecs.commandCalls(ListTasksCommand)).to.have.length(2);
  });

  it(`reads at most ${CALLS_PER_ROUND} services per round, taking them in turn, and pages at most 3 times`, async () => {
    const m = mockedClients();
    m.ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:t/demo/t'] });
    m.logs.on(FilterLogEventsCommand).resolves({ events: [], nextToken: 'more' });
    const w = watcher(m);
    const deps = [dep('a', 1), dep('b', 1), dep('c', 1)];
    await w.poll(deps);
    await w.poll(deps);
    const prefixes = m.logs.commandCalls(FilterLogEventsCommand).map((c) => c.args[0].input.logStreamNamePrefix);
    expect(prefixes).to.deep.equal(['demo/a/', 'demo/a/', 'demo/a/', 'demo/b/', 'demo/b/', 'demo/b/', 'demo/c/', 'demo/c/', 'demo/c/', 'demo/a/', 'demo/a/', 'demo/a/']);
  });

  it('spaces its FilterLogEvents calls (at most 4 per second) and backs off on throttling without an error', async () => {
    const m = mockedClients();
    const timing = fakeTiming();
    m.ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:t/demo/t'] });
    m.logs.on(FilterLogEventsCommand).rejectsOnce(throttled()).resolves({ events: [line('web', 't', 1)] });
    const w = watcher(m, timing);
    expect(await w.poll([dep('web', 1)])).to.deep.equal([]);
    expect(await w.poll([dep('web', 1)])).to.deep.equal([]); // still backing off
    expect(m.logs.calls()).to.have.length(1);
    await timing.sleep(60_000);
    const calls = m.logs.calls().length;
    expect(await w.poll([dep('web', 1), dep('api', 1)])).to.have.length(2);
    expect(m.logs.calls().length - calls).to.equal(2);
    // the second call of the round waited for its slot
    expect(timing.sleeps.at(-1)).to.equal(250);
  });

  it('waits quietly for a log group that does not exist yet, and gives up with one warning on access denied', async () => {
    const m = mockedClients();
    m.ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:t/demo/t'] });
    m.logs.on(FilterLogEventsCommand).rejectsOnce(awsError('ResourceNotFoundException')).rejects(awsError('AccessDeniedException', 'User is not authorized'));
    const w = watcher(m);
    expect(await w.poll([dep('web', 1)])).to.deep.equal([]);
    const denied = await w.poll([dep('web', 1)]);
    expect(denied).to.have.length(1);
    expect(denied[0]).to.deep.include({ kind: 'notice', level: 'warning' });
    expect((denied[0] as { message: string }).message).to.match(/access denied.*still being watched/);
    expect(await w.poll([dep('web', 1)])).to.deep.equal([]);
    expect(m.logs.calls()).to.have.length(2);
  });

  it('gives a stopped task the lines read while it ran when its stream cannot be read any more', async () => {
    const m = mockedClients();
    const deployment: Deployment = { id: 'ecs-svc/1', status: 'PRIMARY', desiredCount: 1, runningCount: 1, pendingCount: 0, failedTasks: 0, rolloutState: 'IN_PROGRESS' };
    m.ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [deployment] }] })
      .resolves({ services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [{ ...deployment, runningCount: 0, failedTasks: 1 }] }] });
    m.ecs.on(ListTasksCommand, { startedBy: 'ecs-svc/1' }).resolves({ taskArns: ['arn:t/demo/crash1'] });
    m.ecs.on(ListTasksCommand, { desiredStatus: 'STOPPED' }).resolves({ taskArns: ['arn:t/demo/crash1'] });
    m.ecs.on(DescribeTasksCommand).resolves({
      tasks: [{ taskArn: 'arn:t/demo/crash1', startedBy: 'ecs-svc/1', stoppedAt: new Date(T0 + 9000), stoppedReason: 'Essential container in task exited', containers: [{ name: 'web', exitCode: 1 }] }],
    });
    m.logs.on(FilterLogEventsCommand).resolves({ events: [line('web', 'crash1', 1, 'starting'), line('web', 'crash1', 2, 'panic: no DATABASE_URL')] });
    m.logs.on(GetLogEventsCommand).rejects(awsError('ResourceNotFoundException'));
    const logs = watcher(m);
    const rollout = new RolloutWatcher(await m.clients.ecs(), fakeTiming(), undefined, ZERO, {
      client: m.clients.logs,
      group: '/docker-compose/demo',
      streamPrefix: 'demo',
      seenLines: (s, t) => logs.seenLines(s, t),
    });
    rollout.watch({ service: 'web', serviceArn: SERVICE_ARN, since });
    await rollout.poll();
    expect(rollout.deployments()).to.deep.equal([{ service: 'web', cluster: 'demo', deploymentId: 'ecs-svc/1', since, running: 1 }]);
    expect((await logs.poll(rollout.deployments())).map((e) => (e as { message: string }).message)).to.deep.equal(['starting', 'panic: no DATABASE_URL']);
    const stopped = await rollout.poll();
    expect(stopped.find((e) => e.kind === 'task-stopped')).to.deep.include({ taskId: 'crash1', lastLines: ['starting', 'panic: no DATABASE_URL'] });
  });
});
