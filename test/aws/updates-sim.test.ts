/**
 * How updates behave, against the simulator with real converter output: a stateful service rolls
 * stop-then-start, an autoscaled service keeps its count.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { scale } from '../sim/engine/ecs-runtime.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { simUpDeps } from './sim-support.js';
import { composeConvert } from './compose-sim.js';
import { UserError } from '../../src/errors.js';

describe('updates against the simulator', function () {
  const fixture = simulatorPerTest();
  let events: DeployEvent[];
  const sink = (e: DeployEvent): void => {
    events.push(e);
  };
  const deps = (yaml: () => string): UpDeps => simUpDeps(fixture, composeConvert(yaml));

  beforeEach(() => {
    events = [];
  });

  const at = (logicalId: string, status: string): number => {
    const e = events.find((x) => x.kind === 'resource' && x.logicalId === logicalId && x.status === status);
    if (!e || e.kind !== 'resource') throw new Error(`no ${status} event of ${logicalId}`);
    return Date.parse(e.timestamp);
  };
  const serviceOf = (logicalId: string) => [...fixture.sim.state.services.values()].find((s) => s.logicalId === logicalId && s.status === 'ACTIVE')!;
  const tasksOf = (service: string) => {
    const arn = serviceOf(`${service[0]!.toUpperCase()}${service.slice(1)}Service`).arn;
    return [...fixture.sim.state.tasks.values()].filter((t) => t.serviceArn === arn);
  };

  it('stops the old database task before its replacement starts', async () => {
    let image = 'postgres:16';
    const yaml = () => `
services:
  db: { image: "${image}", volumes: ["data:/var/lib/postgresql/data"] }
volumes: { data: {} }
`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const [first] = tasksOf('db');
    image = 'postgres:17';
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const second = tasksOf('db').find((t) => t.arn !== first!.arn)!;
    expect(first!.lastStatus).to.equal('STOPPED');
    expect(first!.stoppedAt).to.be.at.most(second.createdAt);
    expect(tasksOf('db').filter((t) => t.lastStatus === 'RUNNING')).to.have.length(1);
  });

  it('starts the new task first for a stateless service (100 / 200)', async () => {
    let image = 'nginx:1.27';
    const yaml = () => `services: { web: { image: "${image}" } }`;
    await up({ project: 'demo' }, deps(yaml), sink);
    const [first] = tasksOf('web');
    image = 'nginx:1.28';
    await up({ project: 'demo' }, deps(yaml), sink);
    const second = tasksOf('web').find((t) => t.arn !== first!.arn)!;
    expect(second.createdAt).to.be.below(first!.stoppingAt!);
  });

  it('restarts the running services when a Service Connect server is added, so they can resolve it', async () => {
    let extra = '';
    const yaml = () => `services:\n  web: { image: nginx, ports: ["80:80"] }\n  worker: { image: example/worker }\n${extra}`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const [firstWorker] = tasksOf('worker');
    extra = '  cache: { image: redis, expose: ["6379"] }\n';
    events = [];
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    expect(firstWorker!.lastStatus).to.equal('STOPPED');
    const cacheRunning = at('CacheService', 'CREATE_COMPLETE');
    const newWorker = tasksOf('worker').find((t) => t.lastStatus === 'RUNNING')!;
    expect(newWorker.createdAt).to.be.at.least(cacheRunning);
  });

  it('keeps the count autoscaling reached when the service is updated', async () => {
    let image = 'nginx:1.27';
    const yaml = () => `services: { web: { image: "${image}", deploy: { replicas: 2, x-aws-autoscaling: { max: 10, cpu: 60 } } } }`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const svc = () => serviceOf('WebService');
    expect(svc().desiredCount).to.equal(2);
    // autoscaling scales out under load
    scale(fixture.sim.state, svc(), 5, () => undefined);
    fixture.clock.advance(30_000);
    expect(tasksOf('web').filter((t) => t.lastStatus === 'RUNNING')).to.have.length(5);

    image = 'nginx:1.28';
    events = [];
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    expect(svc().desiredCount).to.equal(5);
    const rollouts = events.filter((e) => e.kind === 'rollout' && e.service === 'web');
    expect(rollouts.at(-1)).to.deep.include({ desired: 5, running: 5 });
  });
});

describe('updates up refuses, and secret changes, against the simulator', function () {
  const fixture = simulatorPerTest();
  let events: DeployEvent[];
  const sink = (e: DeployEvent): void => {
    events.push(e);
  };
  const deps = (yaml: () => string, files?: Record<string, string>): UpDeps => simUpDeps(fixture, composeConvert(yaml, files ? { files } : {}));
  const refusedWith = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (e) {
      expect(e).to.be.instanceOf(UserError);
      return (e as Error).message;
    }
    throw new Error('up was not refused');
  };

  beforeEach(() => {
    events = [];
  });

  it('refuses, at dry-run and at up, a volume option that would replace its file system, and changes nothing', async () => {
    let opts = '';
    const yaml = () => `
services:
  db: { image: postgres, volumes: ["data:/var/lib/postgresql/data"] }
volumes: { data: { ${opts} } }
`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const fs = [...fixture.sim.state.fileSystems.keys()];
    opts = 'driver_opts: { performance_mode: maxIO }';
    for (const dryRun of [true, false]) {
      const message = await refusedWith(up({ project: 'demo', dryRun }, deps(yaml), sink));
      expect(message).to.equal(
        'Volume data: changing driver_opts.performance_mode (unset -> maxIO) would replace its EFS file system with a new, empty one; the file system that holds your data would be kept but no service would mount it any more. Put the old value back, or copy the data to a volume with a new name first.',
      );
    }
    expect(fixture.sim.callsTo('ExecuteChangeSet')).to.have.length(0);
    expect(fixture.sim.cloudformation.changeSets.size === 0 || [...fixture.sim.cloudformation.changeSets.values()].every((c) => c.status === 'DELETED' || c.executionStatus !== 'AVAILABLE')).to.equal(true);
    expect([...fixture.sim.state.fileSystems.keys()]).to.deep.equal(fs);
    // a mutable option still goes through
    opts = 'driver_opts: { throughput_mode: elastic }';
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
  });

  it('refuses moving a mount target to another subnet of the same zone, which EFS would reject half-way', async () => {
    const [a, b] = fixture.sim.state.subnets;
    fixture.sim.state.subnets.push({ id: 'subnet-0aaaabbbbcccc0001', az: a!.az, azId: a!.azId, cidr: '172.31.48.0/20' });
    let subnets = `${a!.id}, ${b!.id}`;
    const yaml = () => `
x-aws-subnets: [${subnets}]
services:
  db: { image: postgres, volumes: ["data:/d"] }
volumes: { data: {} }
`;
    const environment = () => ({ subnets: subnets.split(', ') });
    expect((await up({ project: 'demo', environment: environment() }, deps(yaml), sink)).kind).to.equal('succeeded');
    subnets = `subnet-0aaaabbbbcccc0001, ${b!.id}`;
    const message = await refusedWith(up({ project: 'demo', dryRun: true, environment: environment() }, deps(yaml), sink));
    expect(message).to.equal(
      `Volume data: its mount target in ${a!.az} would move from ${a!.id} to subnet-0aaaabbbbcccc0001; EFS allows one mount target per zone and CloudFormation creates the new one before it removes the old one, so the update would fail and roll back. Your data is not touched. Keep ${a!.id} in x-aws-subnets for ${a!.az}, or run down (the file system is kept) and up again.`,
    );
    await refusedWith(up({ project: 'demo', environment: environment() }, deps(yaml), sink));
    expect(fixture.sim.callsTo('ExecuteChangeSet')).to.have.length(0);
  });

  it('rolls the services that read a secret when its value changes, and only then', async () => {
    const files = { 'pw.txt': 'unused' };
    let image = 'example/api:1';
    const yaml = () => `
services:
  api: { image: "${image}", secrets: [pw] }
  web: { image: nginx }
secrets: { pw: { file: ./pw.txt } }
`;
    const parameter = Object.keys(composeConvert(yaml, { files })({ vpcId: 'vpc-1', subnetIds: [], subnetsByZone: {}, region: 'us-east-1', accountId: '1', retainedFileSystems: {} } as never).template.Parameters ?? {}).find((p) => p.endsWith('SecretValue'))!;
    const upWith = (value: string) => up({ project: 'demo', secretValues: { [parameter]: value } }, deps(yaml, files), sink);
    const taskDef = (id: string) => fixture.sim.state.services.get([...fixture.sim.state.services.values()].find((s) => s.logicalId === id && s.status === 'ACTIVE')!.arn)!.taskDefinitionArn;

    expect((await upWith('s3cret-one')).kind).to.equal('succeeded');
    const [apiV1, webV1] = [taskDef('ApiService'), taskDef('WebService')];
    expect((await upWith('s3cret-one')).kind).to.equal('no-changes');

    events = [];
    expect((await upWith('s3cret-two')).kind).to.equal('succeeded');
    expect(taskDef('ApiService')).not.to.equal(apiV1);
    expect(taskDef('WebService')).to.equal(webV1);
    const order = events.filter((e) => e.kind === 'resource' && e.state === 'complete').map((e) => e.kind === 'resource' && e.logicalId);
    expect(order.indexOf('DemopwSecret')).to.be.below(order.indexOf('ApiService'));
    const revisions = fixture.sim.callsTo('CreateChangeSet').flatMap((c) => (c.params.Parameters as { ParameterKey: string; ParameterValue?: string }[]).filter((p) => p.ParameterKey.endsWith('SecretRevision')));
    for (const r of revisions) expect(r.ParameterValue ?? '').not.to.include('s3cret');

    image = 'example/api:2';
    expect((await upWith('s3cret-two')).kind).to.equal('succeeded');
    expect((await upWith('s3cret-two')).kind).to.equal('no-changes');
  });
});
