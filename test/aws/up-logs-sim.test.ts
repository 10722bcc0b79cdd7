/**
 * The up view's log lines end to end against the local AWS simulator: real SDK clients, the
 * simulator's ECS runtime writing awslogs lines, simulated time moved by the watcher's sleeps.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { appTemplate } from '../sim/support.js';
import { up, type ConvertedTemplate, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { ownedByWeb, simUpDeps } from './sim-support.js';
import type { Template } from '../../src/cloudformation/template.js';
import { DeployFailed } from '../../src/errors.js';

describe('log lines in the up view, against the simulator', function () {
  const fixture = simulatorPerTest();
  let events: DeployEvent[];
  let deps: UpDeps;
  const sink = (e: DeployEvent): void => {
    events.push(e);
  };

  beforeEach(() => {
    events = [];
    deps = simUpDeps(fixture, () => ownedByWeb(appTemplate()));
  });

  it('emits the new tasks\' lines through the same event stream, within the FilterLogEvents rate', async () => {
    fixture.sim.setScenario({ logIntervalMs: 500 });
    expect((await up({ project: 'demo' }, deps, sink)).kind).to.equal('succeeded');
    const logs = events.filter((e) => e.kind === 'log');
    expect(logs.length).to.be.greaterThan(0);
    expect(logs.every((e) => e.kind === 'log' && e.service === 'web' && /^[0-9a-f]+$/.test(e.taskId))).to.equal(true);
    expect(logs.map((e) => e.kind === 'log' && e.message)).to.include('web listening on port 80');
    // no line twice
    const keys = logs.map((e) => e.kind === 'log' && `${e.taskId}/${e.timestamp}/${e.message}`);
    expect(new Set(keys).size).to.equal(keys.length);
    // calls per simulated second stay far below the account's 5/s
    const filters = fixture.sim.callsTo('FilterLogEvents');
    expect(filters.every((c) => c.params.logGroupName === '/docker-compose/demo' && c.params.logStreamNamePrefix === 'demo/web/')).to.equal(true);
    const span = (filters.at(-1)!.time - filters[0]!.time) / 1000;
    expect(filters.length / Math.max(1, span)).to.be.at.most(2);
  });

  it('keeps a crashing task\'s last lines and stop reason in its event and in the failure summary', async () => {
    fixture.sim.setScenario({ circuitBreakerThreshold: 1, taskCrashes: [{ kind: 'exit', exitCode: 3, runMs: 200, lastLines: ['reading config', 'FATAL: DATABASE_URL is not set'] }] });
    const error = await up({ project: 'demo' }, deps, sink).catch((e) => e);
    expect(error).to.be.instanceOf(DeployFailed);
    const stopped = events.find((e) => e.kind === 'task-stopped');
    expect(stopped?.kind === 'task-stopped' && stopped.lastLines).to.include('FATAL: DATABASE_URL is not set');
    expect((error as Error).message).to.contain('FATAL: DATABASE_URL is not set');
    expect((error as Error).message).to.match(/exited with code 3|exit/i);
    const fin = events.find((e) => e.kind === 'finished');
    expect(fin?.kind === 'finished' && fin.rootCause?.lastLines).to.include('FATAL: DATABASE_URL is not set');
  });
});
