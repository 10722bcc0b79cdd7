import { expect } from 'chai';
import { GetTemplateSummaryCommand, ListStackResourcesCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand, type Service, type Task } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { listProjectTasks, statusText, DESCRIBE_SERVICES_BATCH, DESCRIBE_TASKS_BATCH, type TaskRow } from '../../src/aws/ps.js';
import { renderPs } from '../../src/ui/ps.js';
import { missingStack, mockedClients } from './helpers.js';

const ACCOUNT = 'arn:aws:ecs:eu-west-1:123456789012';
const TG = (s: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${s}/1`;
const LB = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/demo/1';

interface World {
  cluster: string;
  ownCluster: boolean;
  services: string[];
  /** one-shot jobs: a task definition in the stack, no ECS service */
  jobs?: string[];
  /** tasks per compose service */
  tasks: Task[];
  published?: Record<string, number>;
}

const serviceArn = (w: World, s: string) => `${ACCOUNT}:service/${w.cluster}/demo-${s}`;

function task(service: string, n: number, over: Partial<Task> = {}): Task {
  const id = `${service}${String(n).padStart(6, '0')}`;
  return {
    taskArn: `${ACCOUNT}:task/demo/${id}`,
    group: `service:demo-${service}`,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    taskDefinitionArn: `${ACCOUNT}:task-definition/demo-${service}:1`,
    containers: [{ name: service, lastStatus: 'RUNNING' }],
    startedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, n)),
    ...over,
  };
}

/** A stack and cluster answered the way AWS does, with pages and batch limits enforced. */
function install(w: World, pageSize = 100) {
  const m = mockedClients();
  const resources: StackResourceSummary[] = [];
  if (w.ownCluster) resources.push({ LogicalResourceId: 'Cluster', PhysicalResourceId: w.cluster, ResourceType: 'AWS::ECS::Cluster', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() });
  for (const s of w.services) {
    resources.push({ LogicalResourceId: `${s}Service`, PhysicalResourceId: serviceArn(w, s), ResourceType: 'AWS::ECS::Service', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() });
    resources.push({ LogicalResourceId: `${s}TaskDefinition`, PhysicalResourceId: `${ACCOUNT}:task-definition/demo-${s}:1`, ResourceType: 'AWS::ECS::TaskDefinition', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() });
  }
  for (const j of w.jobs ?? []) {
    resources.push({ LogicalResourceId: `${j}TaskDefinition`, PhysicalResourceId: `${ACCOUNT}:task-definition/demo-${j}:1`, ResourceType: 'AWS::ECS::TaskDefinition', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() });
  }
  m.cfn.on(ListStackResourcesCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    const next = start + pageSize;
    return { StackResourceSummaries: resources.slice(start, next), NextToken: next < resources.length ? String(next) : undefined };
  });
  m.ecs.on(DescribeServicesCommand).callsFake((input: { cluster?: string; services?: string[]; include?: string[] }) => {
    expect(input.services!.length).to.be.at.most(10);
    expect(input.cluster).to.equal(w.cluster);
    return {
      services: input.services!.map((arn): Service => {
        const s = w.services.find((x) => serviceArn(w, x) === arn)!;
        const port = w.published?.[s];
        return {
          serviceArn: arn,
          serviceName: `demo-${s}`,
          status: 'ACTIVE',
          taskDefinition: `${ACCOUNT}:task-definition/demo-${s}:1`,
          tags: input.include?.includes('TAGS') ? [{ key: 'com.docker.compose.service', value: s }] : undefined,
          loadBalancers: port ? [{ targetGroupArn: TG(s), containerName: s, containerPort: port }] : [],
        };
      }),
    };
  });
  m.ecs.on(ListTasksCommand).callsFake((input: { cluster?: string; serviceName?: string; family?: string; desiredStatus?: string; nextToken?: string; maxResults?: number }) => {
    if (input.serviceName && input.family) throw Object.assign(new Error('cannot specify serviceName with other arguments'), { name: 'InvalidParameterException' });
    const matching = w.tasks.filter(
      (t) =>
        (t.desiredStatus ?? 'RUNNING') === (input.desiredStatus ?? 'RUNNING') &&
        (!input.serviceName || t.group === `service:${input.serviceName}`) &&
        (!input.family || /task-definition\/(.+):\d+$/.exec(t.taskDefinitionArn!)?.[1] === input.family),
    );
    const start = Number(input.nextToken ?? 0);
    const size = Math.min(input.maxResults ?? 100, 100);
    return { taskArns: matching.slice(start, start + size).map((t) => t.taskArn!), nextToken: start + size < matching.length ? String(start + size) : undefined };
  });
  m.ecs.on(DescribeTasksCommand).callsFake((input: { tasks?: string[] }) => {
    expect(input.tasks!.length).to.be.at.most(100);
    return { tasks: input.tasks!.map((arn) => w.tasks.find((t) => t.taskArn === arn)!) };
  });
  m.elbv2.on(DescribeTargetGroupsCommand).callsFake((input: { TargetGroupArns?: string[] }) => ({
    TargetGroups: input.TargetGroupArns!.map((arn) => ({ TargetGroupArn: arn, Port: 8080, Protocol: 'HTTP', LoadBalancerArns: [LB] })),
  }));
  m.elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: LB, DNSName: 'demo-123.eu-west-1.elb.amazonaws.com' }] });
  m.elbv2.on(DescribeListenersCommand).callsFake(() => ({
    Listeners: Object.entries(w.published ?? {}).map(([s, port]) => ({
      Port: port,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: TG(s) }] } }],
    })),
  }));
  return m;
}

const calls = (mock: { commandCalls(c: unknown): unknown[] }, c: unknown) => mock.commandCalls(c) as { args: [{ input: Record<string, unknown> }] }[];

describe('ps', () => {
  it('reads every page of the stack resources and describes services at most 10 per call', async () => {
    const services = Array.from({ length: 23 }, (_, i) => `svc${String(i).padStart(2, '0')}`);
    const w: World = { cluster: 'demo', ownCluster: true, services, tasks: services.map((s) => task(s, 1)) };
    const m = install(w, 7);
    const result = await listProjectTasks(m.clients, { project: 'demo', all: false });
    expect(calls(m.cfn, ListStackResourcesCommand).length).to.be.greaterThan(5);
    const describe = calls(m.ecs, DescribeServicesCommand);
    expect(describe).to.have.length(3);
    expect(describe.flatMap((c) => c.args[0].input.services as string[])).to.have.members(services.map((s) => serviceArn(w, s)));
    expect(DESCRIBE_SERVICES_BATCH).to.equal(10);
    expect(result.rows.map((r) => r.Service)).to.deep.equal(services);
  });

  it('follows every ListTasks token and describes tasks at most 100 per call', async () => {
    const tasks = Array.from({ length: 250 }, (_, i) => task('web', i));
    const w: World = { cluster: 'demo', ownCluster: true, services: ['web'], tasks };
    const m = install(w);
    const result = await listProjectTasks(m.clients, { project: 'demo', all: false });
    expect(calls(m.ecs, ListTasksCommand)).to.have.length(3);
    const described = calls(m.ecs, DescribeTasksCommand);
    expect(described.map((c) => (c.args[0].input.tasks as string[]).length)).to.deep.equal([100, 100, 50]);
    expect(DESCRIBE_TASKS_BATCH).to.equal(100);
    expect(result.rows).to.have.length(250);
  });

  it('lists the tasks of the stack\'s own cluster in one listing, not one per service', async () => {
    const w: World = { cluster: 'demo', ownCluster: true, services: ['api', 'web', 'worker'], tasks: [task('api', 1), task('web', 2), task('worker', 3)] };
    const m = install(w);
    await listProjectTasks(m.clients, { project: 'demo', all: false });
    const listed = calls(m.ecs, ListTasksCommand);
    expect(listed).to.have.length(1);
    expect(listed[0]!.args[0].input).to.include({ cluster: 'demo', desiredStatus: 'RUNNING' });
    expect(listed[0]!.args[0].input.serviceName).to.equal(undefined);
  });

  it('with x-aws-cluster finds the existing cluster in the service ARNs and lists tasks per task definition family', async () => {
    const other = task('stranger', 9, { group: 'service:someone-else' });
    const w: World = { cluster: 'shared', ownCluster: false, services: ['api', 'web'], tasks: [task('api', 1), task('web', 2), other] };
    const m = install(w);
    const result = await listProjectTasks(m.clients, { project: 'demo', all: false });
    const listed = calls(m.ecs, ListTasksCommand).map((c) => c.args[0].input);
    expect(listed.map((i) => i.family)).to.deep.equal(['demo-api', 'demo-web']);
    expect(listed.every((i) => i.cluster === 'shared' && i.serviceName === undefined)).to.equal(true);
    expect(result.rows.map((r) => r.Service)).to.deep.equal(['api', 'web']);
    expect(m.cfn.commandCalls(GetTemplateSummaryCommand)).to.have.length(0);
  });

  it('falls back to the template metadata for the cluster when service ARNs are in the old short form', async () => {
    const m = mockedClients();
    m.cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: [{ LogicalResourceId: 'WebService', PhysicalResourceId: `${ACCOUNT}:service/demo-web`, ResourceType: 'AWS::ECS::Service', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() }],
    });
    m.cfn.on(GetTemplateSummaryCommand).resolves({ Metadata: JSON.stringify({ Cluster: 'legacy-cluster' }) });
    m.ecs.on(DescribeServicesCommand).resolves({ services: [] });
    m.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    m.ecs.on(DescribeTasksCommand).resolves({ tasks: [] });
    await listProjectTasks(m.clients, { project: 'demo', all: false });
    expect(calls(m.ecs, DescribeServicesCommand)[0]!.args[0].input.cluster).to.equal('legacy-cluster');
  });

  it('shows stopped tasks with their exit code and stop reason only with -a', async () => {
    const stopped = task('web', 2, {
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
      containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 137 }],
    });
    const w: World = { cluster: 'demo', ownCluster: true, services: ['web'], tasks: [task('web', 1), stopped] };
    const running = await listProjectTasks(install(w).clients, { project: 'demo', all: false });
    expect(running.rows.map((r) => r.State)).to.deep.equal(['running']);
    const m = install(w);
    const all = await listProjectTasks(m.clients, { project: 'demo', all: true });
    expect(calls(m.ecs, ListTasksCommand).map((c) => c.args[0].input.desiredStatus)).to.deep.equal(['RUNNING', 'STOPPED']);
    expect(all.rows.map((r) => r.Status)).to.deep.equal(['running', 'stopped (exit 137): Essential container in task exited']);
    expect(all.rows[1]).to.include({ ExitCode: 137, StopCode: 'EssentialContainerExited' });
  });

  it('reads the task health and calls provisioning tasks pending', async () => {
    const w: World = {
      cluster: 'demo',
      ownCluster: true,
      services: ['api', 'db', 'web'],
      tasks: [task('api', 1, { healthStatus: 'HEALTHY' }), task('db', 2, { healthStatus: 'UNHEALTHY' }), task('web', 3, { lastStatus: 'PROVISIONING' })],
    };
    const result = await listProjectTasks(install(w).clients, { project: 'demo', all: false });
    expect(result.rows.map((r) => r.Status)).to.deep.equal(['running (healthy)', 'running (unhealthy)', 'pending']);
  });

  it('shows published ports as <lb-dns>:<listener port>-><container port>/tcp on live tasks', async () => {
    const w: World = { cluster: 'demo', ownCluster: true, services: ['web', 'worker'], tasks: [task('web', 1), task('worker', 2)], published: { web: 80 } };
    const m = install(w);
    const result = await listProjectTasks(m.clients, { project: 'demo', all: false });
    expect(result.rows.map((r) => r.Ports)).to.deep.equal(['demo-123.eu-west-1.elb.amazonaws.com:80->80/tcp', '']);
    expect(result.rows[0]!.Publishers).to.deep.equal([{ URL: 'demo-123.eu-west-1.elb.amazonaws.com:80', TargetPort: 80, PublishedPort: 80, Protocol: 'tcp' }]);
    expect(calls(m.elbv2, DescribeListenersCommand)).to.have.length(1);
  });

  it('says the stack is missing instead of failing', async () => {
    const m = mockedClients();
    m.cfn.on(ListStackResourcesCommand).rejects(missingStack());
    const result = await listProjectTasks(m.clients, { project: 'demo', all: false });
    expect(result).to.deep.equal({ found: false, rows: [] });
    expect(m.ecs.calls()).to.have.length(0);
  });

  const RUN_ID = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
  const JOB_ID = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
  const oneOffTasks = (): Task[] => [
    task('web', 1),
    task('web', 2, { taskArn: `${ACCOUNT}:task/demo/${RUN_ID}`, group: 'run:web', startedBy: 'docker-ecs/run' }),
    task('web', 3, {
      taskArn: `${ACCOUNT}:task/demo/0123456789abcdef0123456789abcdef`,
      group: 'run:web',
      startedBy: 'docker-ecs/run',
      taskDefinitionArn: `${ACCOUNT}:task-definition/demo-web-run:4`, // run -u: the derived family
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      containers: [{ name: 'web', lastStatus: 'STOPPED', exitCode: 3 }],
    }),
    task('migrate', 4, {
      taskArn: `${ACCOUNT}:task/demo/${JOB_ID}`,
      group: 'job:migrate',
      startedBy: 'docker-ecs/migrate',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      containers: [{ name: 'migrate', lastStatus: 'STOPPED', exitCode: 0 }],
    }),
  ];

  it('lists run tasks only with -a, named <project>-<service>-run-<12 hex>, and up\'s job tasks as service tasks', async () => {
    const w: World = { cluster: 'demo', ownCluster: true, services: ['web'], jobs: ['migrate'], tasks: oneOffTasks() };
    const plain = await listProjectTasks(install(w).clients, { project: 'demo', all: false });
    expect(renderPs(plain.rows, 'table').split('\n')).to.deep.equal(['NAME        SERVICE   STATUS    PORTS', 'web000001   web       running', '']);
    const all = await listProjectTasks(install(w).clients, { project: 'demo', all: true });
    expect(renderPs(all.rows, 'table').split('\n')).to.deep.equal([
      'NAME                               SERVICE   STATUS             PORTS',
      `${JOB_ID}   migrate   stopped (exit 0)`,
      'web000001                          web       running',
      'demo-web-run-a1b2c3d4e5f6          web       running',
      'demo-web-run-0123456789ab          web       stopped (exit 3)',
      '',
    ]);
    expect(renderPs(all.rows, 'table', true)).to.equal(`${JOB_ID}\nweb000001\n${RUN_ID}\n0123456789abcdef0123456789abcdef\n`);
    expect(renderPs(all.rows, 'table', false, true)).to.equal('migrate\nweb\n');
    expect(renderPs(all.rows, '{{.Name}} {{.Service}} {{.State}} {{.ExitCode}}')).to.equal(
      `${JOB_ID} migrate exited 0\nweb000001 web running 0\ndemo-web-run-a1b2c3d4e5f6 web running 0\ndemo-web-run-0123456789ab web exited 3\n`,
    );
    expect(JSON.parse(renderPs(all.rows, 'json').split('\n')[2]!)).to.include({ Name: 'demo-web-run-a1b2c3d4e5f6', Service: 'web', State: 'running', ID: `${ACCOUNT}:task/demo/${RUN_ID}` });
  });

  it('shows a running job task in plain ps, as docker compose shows a running service container', async () => {
    const running = task('migrate', 4, { taskArn: `${ACCOUNT}:task/demo/${JOB_ID}`, group: 'job:migrate' });
    const w: World = { cluster: 'demo', ownCluster: true, services: ['web'], jobs: ['migrate'], tasks: [running] };
    const result = await listProjectTasks(install(w).clients, { project: 'demo', all: false });
    expect(result.rows.map((r) => [r.Name, r.Service, r.Status])).to.deep.equal([[JOB_ID, 'migrate', 'running']]);
  });

  it('names a run task of web.front by its compose name, from the ECS family demo-web-front', async () => {
    const w: World = {
      cluster: 'demo',
      ownCluster: true,
      services: ['web-front'],
      tasks: [task('web-front', 1, { taskArn: `${ACCOUNT}:task/demo/${RUN_ID}`, group: 'run:web.front', containers: [{ name: 'web-front', lastStatus: 'RUNNING' }] })],
    };
    const result = await listProjectTasks(install(w).clients, { project: 'demo', all: true });
    expect(result.rows.map((r) => [r.Name, r.Service])).to.deep.equal([['demo-web.front-run-a1b2c3d4e5f6', 'web.front']]);
  });

  it('with x-aws-cluster lists the job and run families too, and never another project\'s tasks', async () => {
    // project demo-web's service `run` has the family demo-web-run, the one demo's `run -u web` derives
    const strangers = [
      task('web', 7, { taskArn: `${ACCOUNT}:task/shared/7777777777777777777777777777777a`, group: 'run:run', taskDefinitionArn: `${ACCOUNT}:task-definition/demo-web-run:1` }),
      task('web', 8, { taskArn: `${ACCOUNT}:task/shared/8888888888888888888888888888888a`, group: 'run:web', taskDefinitionArn: `${ACCOUNT}:task-definition/shop-web:1` }),
      task('web', 9, { taskArn: `${ACCOUNT}:task/shared/9999999999999999999999999999999a`, group: 'service:shop-web', taskDefinitionArn: `${ACCOUNT}:task-definition/demo-web:1` }),
    ];
    const w: World = { cluster: 'shared', ownCluster: false, services: ['web'], jobs: ['migrate'], tasks: [...oneOffTasks(), ...strangers] };
    const m = install(w);
    const result = await listProjectTasks(m.clients, { project: 'demo', all: true });
    const listed = calls(m.ecs, ListTasksCommand).map((c) => `${c.args[0].input.family} ${c.args[0].input.desiredStatus}`);
    expect(listed).to.deep.equal(['demo-migrate RUNNING', 'demo-migrate-run RUNNING', 'demo-web RUNNING', 'demo-web-run RUNNING', 'demo-migrate STOPPED', 'demo-migrate-run STOPPED', 'demo-web STOPPED', 'demo-web-run STOPPED']);
    expect(result.rows.map((r) => r.Name)).to.deep.equal([JOB_ID, 'web000001', 'demo-web-run-a1b2c3d4e5f6', 'demo-web-run-0123456789ab']);
    const plain = install(w);
    await listProjectTasks(plain.clients, { project: 'demo', all: false });
    expect(calls(plain.ecs, ListTasksCommand).map((c) => c.args[0].input.family)).to.deep.equal(['demo-migrate', 'demo-web']);
  });

  it('ignores tasks in the cluster that belong to no service of the project', async () => {
    const w: World = { cluster: 'demo', ownCluster: true, services: ['web'], tasks: [task('web', 1), task('oneoff', 2, { group: 'family:demo-oneoff' })] };
    const result = await listProjectTasks(install(w).clients, { project: 'demo', all: false });
    expect(result.rows.map((r) => r.Service)).to.deep.equal(['web']);
  });
});

describe('ps output', () => {
  const row = (over: Partial<TaskRow>): TaskRow => ({
    ID: `${ACCOUNT}:task/demo/abc`,
    Name: 'abc',
    Project: 'demo',
    Service: 'web',
    State: 'running',
    LastStatus: 'RUNNING',
    DesiredStatus: 'RUNNING',
    Health: 'UNKNOWN',
    Status: 'running',
    Ports: '',
    Publishers: [],
    TaskDefinition: 'demo-web:1',
    ...over,
  });

  it('prints NAME SERVICE STATUS PORTS as docker compose ps does', () => {
    const out = renderPs([row({ Ports: 'lb:80->80/tcp' }), row({ Name: 'def', Service: 'db', Status: 'pending' })], 'table');
    expect(out.split('\n')).to.deep.equal(['NAME   SERVICE   STATUS    PORTS', 'abc    web       running   lb:80->80/tcp', 'def    db        pending', '']);
  });

  it('prints one JSON object per line with --format json', () => {
    const lines = renderPs([row({}), row({ Name: 'def' })], 'json').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as TaskRow).Name)).to.deep.equal(['abc', 'def']);
  });

  it('writes a stop reason after the state and exit code', () => {
    expect(statusText({ State: 'stopped', Health: 'UNKNOWN', StoppedReason: 'Task failed ELB health checks' })).to.equal('stopped: Task failed ELB health checks');
    expect(statusText({ State: 'stopping', Health: 'HEALTHY', ExitCode: 0 })).to.equal('stopping (exit 0)');
  });
});
