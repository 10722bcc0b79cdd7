/**
 * depends_on conditions and one-shot jobs through up, against the simulator with real converter
 * output: the job runs between its dependency and its dependents, its logs show, its exit code
 * decides, and it runs again only when its definition changed.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { DeployFailed } from '../../src/errors.js';
import { simUpDeps } from './sim-support.js';
import { composeConvert } from './compose-sim.js';

const shop = (command = 'migrate') => `
services:
  db:
    image: postgres
    volumes: ["data:/var/lib/postgresql/data"]
    healthcheck: { test: ["CMD", "pg_isready"], interval: 5s }
  migrate:
    image: example/api:1
    command: ["${command}"]
    depends_on: { db: { condition: service_healthy } }
  api:
    image: example/api:1
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
volumes: { data: {} }
`;

describe('one-shot jobs and depends_on against the simulator', function () {
  const fixture = simulatorPerTest();
  let events: DeployEvent[];
  const sink = (e: DeployEvent): void => {
    events.push(e);
  };
  const deps = (yaml: () => string): UpDeps => simUpDeps(fixture, composeConvert(yaml));
  const at = (logicalId: string, status: string): number => {
    const e = events.find((x) => x.kind === 'resource' && x.logicalId === logicalId && x.status === status);
    if (!e || e.kind !== 'resource') throw new Error(`no ${status} event of ${logicalId}`);
    return Date.parse(e.timestamp);
  };
  const jobTasks = () => [...fixture.sim.state.tasks.values()].filter((t) => t.group === 'job:migrate');

  beforeEach(() => {
    events = [];
  });

  it('starts the database, then runs the migration once it is healthy, then starts api once the migration exited 0', async () => {
    let command = 'migrate';
    const yaml = () => shop(command);
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('RunTask')).to.have.length(1);
    const [task] = jobTasks();
    expect(task!.lastStatus).to.equal('STOPPED');
    expect(task!.containers.find((c) => c.name === 'migrate')!.exitCode).to.equal(0);
    // healthy-gated: the job and api wait for the database's deployment (healthy tasks)
    expect(task!.createdAt).to.be.at.least(at('DbService', 'CREATE_COMPLETE'));
    expect(at('ApiService', 'CREATE_IN_PROGRESS')).to.be.at.least(task!.stoppedAt!);
    expect(fixture.sim.state.services.size).to.equal(2); // db and api: no ECS service for the job
    const logs = events.filter((e) => e.kind === 'log' && e.service === 'migrate').map((e) => e.kind === 'log' && e.message);
    expect(logs).to.deep.equal(['migrate started', 'migrate done']);
    expect(events.filter((e) => e.kind === 'notice').map((e) => e.kind === 'notice' && e.message)).to.include('One-shot job migrate completed (exit code 0).');

    events = [];
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('no-changes');
    expect(fixture.sim.callsTo('RunTask')).to.have.length(1);

    command = 'migrate-v2';
    expect((await up({ project: 'demo' }, deps(yaml), sink)).kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('RunTask')).to.have.length(2);
  });

  it('stops with the exit code and the last lines when the job fails, and its dependents are not started', async () => {
    fixture.sim.setScenario({ oneShotTasks: [{ container: 'migrate', exitCode: 3, lines: ['applying 0042_orders', 'ERROR: relation "orders" already exists'] }] });
    let error: unknown;
    try {
      await up({ project: 'demo' }, deps(() => shop()), sink);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeployFailed);
    expect((error as Error).message).to.equal(
      'Creation of stack demo failed (ROLLBACK_COMPLETE): One-shot job migrate exited with code 3. The stack rolled back. Last lines:\n  applying 0042_orders\n  ERROR: relation "orders" already exists',
    );
    const finished = events.find((e) => e.kind === 'finished');
    expect(finished).to.deep.include({ outcome: 'failed' });
    expect(finished!.kind === 'finished' && finished!.rootCause).to.deep.include({ service: 'migrate', reason: 'One-shot job migrate exited with code 3' });
    expect(events.some((e) => e.kind === 'resource' && e.logicalId === 'ApiService' && e.status === 'CREATE_IN_PROGRESS')).to.equal(false);
    expect(events.find((e) => e.kind === 'task-stopped' && e.service === 'migrate')).to.deep.include({ reason: 'exited with code 3' });
  });

  it('with -d, stays until the deployment that runs a job is done', async () => {
    const result = await up({ project: 'demo', detach: true }, deps(() => shop()), sink);
    expect(result.kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('RunTask')).to.have.length(1);
  });
});
