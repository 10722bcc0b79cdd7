/**
 * Production settings (issue 19) deployed through up against the simulator, with the real
 * converter's templates: Fargate Spot capacity provider strategies (services and one-shot jobs).
 */
import { expect } from 'chai';
import { ManualClock, startSimulator, type Simulator } from '../sim/server.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import { simClients, simTiming } from './sim-support.js';
import { composeConvert } from './compose-sim.js';

describe('production settings against the simulator', function () {
  let sim: Simulator;
  let clock: ManualClock;
  const sink = (): void => undefined;
  const deps = (yaml: string): UpDeps => ({
    clients: simClients(sim.url),
    convert: composeConvert(yaml),
    timing: simTiming(clock),
    interval: { minMs: 1000, maxMs: 2000 },
    busyInterval: { minMs: 5000, maxMs: 5000 },
  });

  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    sim = await startSimulator({ clock });
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('deploys Fargate Spot services and a Spot one-shot job on a cluster with FARGATE and FARGATE_SPOT', async () => {
    const yaml = `
services:
  migrate:
    image: example/api:1
    restart: "no"
    x-aws-capacity: spot
  api:
    image: example/api:1
    x-aws-capacity: { spot: 3, on-demand: 1, base: 1 }
    depends_on: { migrate: { condition: service_completed_successfully } }
  web:
    image: nginx
`;
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    const cluster = [...sim.state.clusters.values()][0]!;
    expect(cluster.capacityProviders).to.deep.equal(['FARGATE', 'FARGATE_SPOT']);
    const services = [...sim.state.services.values()];
    const api = services.find((s) => s.name.includes('Api'))!;
    expect(api.capacityProviderStrategy).to.deep.equal([
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
      { capacityProvider: 'FARGATE_SPOT', weight: 3 },
    ]);
    expect(api.launchType).to.equal(undefined);
    expect(services.find((s) => s.name.includes('Web'))!.launchType).to.equal('FARGATE');
    const [run] = sim.callsTo('RunTask');
    expect(run!.params.capacityProviderStrategy).to.deep.equal([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(run!.params).not.to.have.property('launchType');
    expect(run!.error).to.equal(undefined);
  });
});
