/**
 * How updates behave, against the simulator with real converter output: a stateful service rolls
 * stop-then-start, an autoscaled service keeps its count.
 */
import { expect } from 'chai';
import { ManualClock, startSimulator, type Simulator } from '../sim/server.js';
import { scale } from '../sim/engine/ecs-runtime.js';
import { up, type DeployDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { simClients, simTiming } from './sim-support.js';
import { composeConvert } from './compose-sim.js';

describe('updates against the simulator', function () {
  let sim: Simulator;
  let clock: ManualClock;
  let events: DeployEvent[];
  const sink = (e: DeployEvent): void => {
    events.push(e);
  };
  const deps = (yaml: () => string): DeployDeps => ({
    clients: simClients(sim.url),
    convert: composeConvert(yaml),
    timing: simTiming(clock),
    interval: { minMs: 1000, maxMs: 2000 },
    busyInterval: { minMs: 5000, maxMs: 5000 },
  });

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    sim = await startSimulator({ clock });
    events = [];
  });
  afterEach(async () => {
    await sim.stop();
  });

  const serviceOf = (logicalId: string) => [...sim.state.services.values()].find((s) => s.logicalId === logicalId && s.status === 'ACTIVE')!;
  const tasksOf = (service: string) => {
    const arn = serviceOf(`${service[0]!.toUpperCase()}${service.slice(1)}Service`).arn;
    return [...sim.state.tasks.values()].filter((t) => t.serviceArn === arn);
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

  it('keeps the count autoscaling reached when the service is updated', async () => {
    let image = 'nginx:1.27';
    const yaml = () => `services: { web: { image: "${image}", deploy: { replicas: 2, x-aws-autoscaling: { max: 10, cpu: 60 } } } }`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const svc = () => serviceOf('WebService');
    expect(svc().desiredCount).to.equal(2);
    // autoscaling scales out under load
    scale(sim.state, svc(), 5, () => undefined);
    clock.advance(30_000);
    expect(tasksOf('web').filter((t) => t.lastStatus === 'RUNNING')).to.have.length(5);

    image = 'nginx:1.28';
    events = [];
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    expect(svc().desiredCount).to.equal(5);
    const rollouts = events.filter((e) => e.kind === 'rollout' && e.service === 'web');
    expect(rollouts.at(-1)).to.deep.include({ desired: 5, running: 5 });
  });
});
