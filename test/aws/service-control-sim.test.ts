/**
 * stop, start, restart and scale against the local AWS simulator: real SDK clients, the
 * simulator's ECS runtime, simulated time moved by the waits.
 */
import { expect } from 'chai';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { appTemplate } from '../sim/support.js';
import { up } from '../../src/aws/deploy.js';
import { controlServices, parseScaleArgs, STOPPED_COUNT_TAG, type ControlAction } from '../../src/aws/service-control.js';
import type { AwsClients } from '../../src/aws/clients.js';
import type { Template } from '../../src/cloudformation/template.js';
import { simTiming, simUpDeps } from './sim-support.js';
import { loadError } from '../compose/helpers.js';

describe('stop, start, restart and scale, against the simulator', function () {
  const fixture = simulatorPerTest();
  let clients: AwsClients;
  let lines: string[];
  const control = (action: ControlAction, services: string[] = []) =>
    controlServices(clients, { project: 'demo', services, action, wait: true, timing: simTiming(fixture.clock), signal: new AbortController().signal, say: (l) => lines.push(l) });
  const web = async () => {
    const ecs = (await clients.ecs()) as ECSClient;
    const res = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: [fixture.sim.state.services.values().next().value!.arn], include: ['TAGS'] }));
    return res.services![0]!;
  };

  beforeEach(async () => {
    lines = [];
    const deps = simUpDeps(fixture, () => {
      const template = JSON.parse(appTemplate()) as Template;
      const svc = template.Resources.WebService!;
      svc.Properties = { ...svc.Properties, Tags: [{ Key: 'com.docker.compose.service', Value: 'web' }] };
      return { body: JSON.stringify(template), parameters: {}, template };
    });
    // the controls use the clients up deployed with
    clients = deps.clients;
    expect((await up({ project: 'demo' }, deps, () => undefined)).kind).to.equal('succeeded');
  });

  it('stop sets the desired count to 0, remembers 2 in a tag, and waits until no task runs; start brings back 2', async () => {
    const [stopped] = await control({ kind: 'stop' });
    expect(stopped).to.deep.include({ service: 'web', from: 2, to: 0 });
    let s = await web();
    expect([s.desiredCount, s.runningCount]).to.deep.equal([0, 0]);
    expect(s.tags).to.deep.include({ key: STOPPED_COUNT_TAG, value: '2' });
    expect(lines).to.include('Service web  Stopped (0/0)');
    await control({ kind: 'start' }, ['web']);
    s = await web();
    expect([s.desiredCount, s.runningCount]).to.deep.equal([2, 2]);
    expect(s.tags?.some((t) => t.key === STOPPED_COUNT_TAG)).to.equal(false);
  });

  it('start after scale and stop comes back to the scaled count', async () => {
    await control({ kind: 'scale', counts: parseScaleArgs(['web=3']) });
    expect((await web()).runningCount).to.equal(3);
    await control({ kind: 'stop' });
    await control({ kind: 'start' });
    expect((await web()).desiredCount).to.equal(3);
  });

  it('restart replaces every task through a new deployment', async () => {
    const before = [...fixture.sim.state.tasks.values()].filter((t) => t.desiredStatus === 'RUNNING').map((t) => t.arn);
    const [c] = await control({ kind: 'restart' });
    expect(c!.restarted).to.equal(true);
    const after = [...fixture.sim.state.tasks.values()].filter((t) => t.desiredStatus === 'RUNNING').map((t) => t.arn);
    expect(after).to.have.length(2);
    expect(after.some((a) => before.includes(a))).to.equal(false);
    expect(lines.at(-1)).to.equal('Service web  Restarted (2/2)');
  });

  it('names services the project does not run, and bad SERVICE=N arguments, in one sentence', async () => {
    const e = await control({ kind: 'stop' }, ['nope']).catch((x: Error) => x);
    expect((e as Error).message).to.equal('no such service: nope; the deployed services are web.');
    expect(loadError(() => parseScaleArgs(['web']))).to.equal('"web" is not SERVICE=REPLICAS (e.g. web=3); replicas is a whole number, 0 or more.');
    expect(loadError(() => parseScaleArgs([]))).to.match(/^scale needs SERVICE=REPLICAS/);
  });

  it('the simulator refuses what ECS refuses: a negative count, an unknown service', async () => {
    const ecs = (await clients.ecs()) as ECSClient;
    const arn = (await web()).serviceArn!;
    const neg = await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: arn, desiredCount: -1 })).catch((x: Error) => x);
    expect((neg as Error).name).to.equal('InvalidParameterException');
    const missing = await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'nope', desiredCount: 1 })).catch((x: Error) => x);
    expect((missing as Error).name).to.equal('ServiceNotFoundException');
  });
});
