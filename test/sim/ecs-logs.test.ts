import { CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListServicesCommand, ListTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { simulatorPerTest } from './simulator-per-test.js';
import { appTemplate, DEFAULT_SUBNETS, until } from './support.js';

describe('simulator: ECS services, tasks and logs', function () {
  const fixture = simulatorPerTest();

  const run = (ms: number): void => fixture.run(ms, 500);

  it('brings service tasks up over time, reaches a steady state, and writes log lines per task', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 2 }) }));
    run(26_000); // the load balancer and listener are done; the service has just started its tasks
    const svc0 = (await fixture.aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services![0]!;
    expect(svc0.deployments![0]).to.include({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 2 });
    expect(svc0.runningCount).to.equal(0);
    expect(svc0.pendingCount).to.equal(2);
    const pendingArns = (await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web' }))).taskArns!;
    expect(pendingArns).to.have.length(2);
    const early = (await fixture.aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: pendingArns }))).tasks!;
    expect(early.map((t) => t.lastStatus)).to.satisfy((s: string[]) => s.every((x) => x === 'PROVISIONING' || x === 'PENDING'));

    run(60_000);
    const stack = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!;
    expect(stack.StackStatus).to.equal('CREATE_COMPLETE');
    const svc = (await fixture.aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services![0]!;
    expect(svc).to.include({ runningCount: 2, pendingCount: 0, desiredCount: 2, status: 'ACTIVE' });
    expect(svc.deployments![0]!.rolloutState).to.equal('COMPLETED');
    expect(svc.events![0]!.message).to.equal('(service web) has reached a steady state.');
    expect(svc.events!.at(-1)!.message).to.match(/^\(service web\) has started 2 tasks: \(task [0-9a-f]{32}\) \(task [0-9a-f]{32}\)\.$/);

    const clusters = (await fixture.aws.ecs.send(new DescribeClustersCommand({ clusters: ['demo', 'other'] })));
    expect(clusters.clusters![0]).to.include({ clusterName: 'demo', runningTasksCount: 2, activeServicesCount: 1 });
    expect(clusters.failures![0]!.reason).to.equal('MISSING');
    expect((await fixture.aws.ecs.send(new ListServicesCommand({ cluster: 'demo' }))).serviceArns).to.deep.equal([svc.serviceArn]);

    const tasks = (await fixture.aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: pendingArns }))).tasks!;
    for (const t of tasks) {
      expect(t).to.include({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', group: 'service:web', launchType: 'FARGATE' });
      expect(t.taskDefinitionArn).to.match(/task-definition\/demo-web:1$/);
      expect(t.startedAt).to.be.instanceOf(Date);
      expect(t.containers![0]).to.include({ name: 'web', image: 'nginx:1.27', lastStatus: 'RUNNING' });
    }
    const td = (await fixture.aws.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'demo-web' }))).taskDefinition!;
    expect(td.containerDefinitions![0]!.logConfiguration).to.deep.equal({
      logDriver: 'awslogs',
      options: { 'awslogs-group': '/docker-compose/demo', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'demo' },
    });

    // Log streams <prefix>/<container>/<taskId>, lines interleaved across streams.
    const taskId = tasks[0]!.taskArn!.split('/').pop();
    const streams = (await fixture.aws.logs.send(new DescribeLogStreamsCommand({ logGroupName: '/docker-compose/demo' }))).logStreams!;
    expect(streams.map((s) => s.logStreamName)).to.include(`demo/web/${taskId}`);
    const all = await fixture.aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/docker-compose/demo', logStreamNamePrefix: 'demo/web/', interleaved: true }));
    expect(all.events!.length).to.be.greaterThan(4);
    expect(new Set(all.events!.map((e) => e.logStreamName)).size).to.equal(2);
    for (let i = 1; i < all.events!.length; i++) expect(all.events![i]!.timestamp).to.be.at.least(all.events![i - 1]!.timestamp!);
    const paged = await fixture.aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/docker-compose/demo', limit: 3 }));
    expect(paged.events).to.have.length(3);
    const rest = await fixture.aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/docker-compose/demo', nextToken: paged.nextToken }));
    expect(rest.events![0]!.eventId).to.equal(all.events![3]!.eventId);
    const late = await fixture.aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/docker-compose/demo', startTime: all.events!.at(-1)!.timestamp }));
    expect(late.events!.length).to.be.lessThan(all.events!.length);
    const one = await fixture.aws.logs.send(new GetLogEventsCommand({ logGroupName: '/docker-compose/demo', logStreamName: `demo/web/${taskId}`, startFromHead: true }));
    expect(one.events![0]!.message).to.equal('web listening on port 80');
    const missing = await fixture.aws.logs.send(new FilterLogEventsCommand({ logGroupName: '/nope' })).catch((e: Error) => e);
    expect(missing).to.include({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  });

  it('CannotPullContainerError: tasks stop with TaskFailedToStart until the circuit breaker fails the service and the stack rolls back', async () => {
    fixture.sim.setScenario({ taskCrashes: [{ service: 'web', kind: 'pull' }] });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 1, image: 'nginx:nope' }) }));
    run(35_000);
    const stopped = (await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web', desiredStatus: 'STOPPED' }))).taskArns!;
    expect(stopped.length).to.be.greaterThan(0);
    const t = (await fixture.aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped }))).tasks![0]!;
    expect(t).to.include({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'TaskFailedToStart', group: 'service:web' });
    expect(t.stoppedReason).to.equal(
      'CannotPullContainerError: pull image manifest has been retried 7 time(s): failed to resolve ref docker.io/library/nginx:nope: docker.io/library/nginx:nope: not found',
    );
    expect(t.containers![0]!.reason).to.equal(t.stoppedReason);
    expect(t.stoppedAt).to.be.instanceOf(Date);

    run(120_000);
    const events = (await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }))).StackEvents!;
    const failed = events.find((e) => e.LogicalResourceId === 'WebService' && e.ResourceStatus === 'CREATE_FAILED')!;
    expect(failed.ResourceStatusReason).to.match(
      /^Resource handler returned message: "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'\." \(RequestToken: [0-9a-f-]+, HandlerErrorCode: GeneralServiceException\)$/,
    );
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('ROLLBACK_COMPLETE');
    const gone = await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', desiredStatus: 'STOPPED' })).catch((e: Error) => e);
    expect(gone).to.have.property('name', 'ClusterNotFoundException'); // the cluster went with the rollback
    const svc = [...fixture.sim.state.services.values()][0]!;
    expect(svc.deployments[0]!.rolloutState).to.equal('FAILED');
    expect(svc.deployments[0]!.failedTasks).to.equal(3);
    expect(svc.events.some((e) => e.message.includes('deployment failed: tasks failed to start.'))).to.equal(true);
  });

  it('an essential container that exits with code 1 stops its task (EssentialContainerExited) after its last lines', async () => {
    fixture.sim.setScenario({ taskCrashes: [{ service: 'web', kind: 'exit', count: 1, lastLines: ['fatal: database unreachable'] }] });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 1 }) }));
    run(120_000);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('CREATE_COMPLETE');
    const stopped = (await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', desiredStatus: 'STOPPED' }))).taskArns!;
    expect(stopped).to.have.length(1);
    const t = (await fixture.aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped }))).tasks![0]!;
    expect(t).to.include({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' });
    expect(t.containers![0]).to.include({ exitCode: 1, lastStatus: 'STOPPED' });
    const id = t.taskArn!.split('/').pop();
    const lines = await fixture.aws.logs.send(new GetLogEventsCommand({ logGroupName: '/docker-compose/demo', logStreamName: `demo/web/${id}` }));
    expect(lines.events!.at(-1)!.message).to.equal('fatal: database unreachable');
    expect((await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo' }))).taskArns).to.have.length(1); // the replacement runs
  });

  it('ListTasks filters by startedBy and by family, and refuses startedBy or serviceName with other filters as ECS does', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 1 }) }));
    run(90_000);
    const [service] = (await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web' }))).taskArns!;
    const td = (await fixture.aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: [service!] }))).tasks![0]!.taskDefinitionArn!;
    const started = await fixture.aws.ecs.send(
      new RunTaskCommand({ cluster: 'demo', taskDefinition: td, launchType: 'FARGATE', startedBy: 'docker-ecs/run', group: 'run:web', networkConfiguration: { awsvpcConfiguration: { subnets: DEFAULT_SUBNETS.slice(0, 1) } } }),
    );
    const oneOff = started.tasks![0]!.taskArn!;
    expect((await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', startedBy: 'docker-ecs/run' }))).taskArns).to.deep.equal([oneOff]);
    expect((await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', startedBy: 'docker-ecs/run', desiredStatus: 'STOPPED' }))).taskArns).to.deep.equal([]);
    expect((await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', family: 'demo-web' }))).taskArns).to.have.members([service, oneOff]);
    expect((await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', family: 'demo-other' }))).taskArns).to.deep.equal([]);
    const refused = (input: Record<string, string>) => fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', ...input })).then(() => undefined, (e: Error) => `${e.name}: ${e.message}`);
    expect(await refused({ startedBy: 'docker-ecs/run', family: 'demo-web' })).to.equal('InvalidParameterException: cannot specify startedBy with other arguments');
    expect(await refused({ startedBy: 'docker-ecs/run', serviceName: 'web' })).to.equal('InvalidParameterException: cannot specify startedBy with other arguments');
    expect(await refused({ serviceName: 'web', family: 'demo-web' })).to.equal('InvalidParameterException: cannot specify serviceName with other arguments');
  });

  it('serves Live Tail as an event stream', async () => {
    // Live Tail pushes on wall time: a scaled clock, not the manual one
    await fixture.restart({ speed: 20, liveTailIntervalMs: 100 });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 1 }) }));
    await until(
      () => fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' })),
      (d) => d.Stacks![0]!.StackStatus === 'CREATE_COMPLETE',
      { timeoutMs: 15_000, everyMs: 100 },
    );
    const group = fixture.sim.state.logGroups.get('/docker-compose/demo')!;
    const abort = new AbortController();
    const res = await fixture.aws.logs.send(new StartLiveTailCommand({ logGroupIdentifiers: [group.arn.replace(/:\*$/, '')], logStreamNamePrefixes: ['demo/web/'] }), { abortSignal: abort.signal });
    const seen: string[] = [];
    let started = false;
    const deadline = Date.now() + 8000;
    for await (const ev of res.responseStream!) {
      if (ev.sessionStart) started = true;
      for (const r of ev.sessionUpdate?.sessionResults ?? []) seen.push(r.message!);
      if (seen.length >= 2 || Date.now() > deadline) break;
    }
    abort.abort();
    expect(started).to.equal(true);
    expect(seen.length).to.be.at.least(2);
    expect(fixture.sim.callsTo('StartLiveTail', 'logs')).to.have.length(1);
  });
});
