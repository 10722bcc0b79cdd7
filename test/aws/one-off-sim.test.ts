/**
 * `run`'s core against the simulator, on a project deployed by `up` from real converter output:
 * the task starts from the service's task definition on its network, the overrides reach it, its
 * lines are printed, its exit code is the result, an interrupt stops it, and a derived revision
 * carries -u / --entrypoint / -w and is deregistered once the task has started. A one-shot job
 * (no ECS service) runs from its own task definition, on the network its gate records.
 */
import { expect } from 'chai';
import { ManualClock, startSimulator, type Simulator } from '../sim/server.js';
import { up } from '../../src/aws/deploy.js';
import { runOneOff, STOP_REASON, type OneOffOptions } from '../../src/aws/one-off.js';
import { UserError } from '../../src/errors.js';
import type { AwsClients } from '../../src/aws/clients.js';
import { simClients, simTiming } from './sim-support.js';
import { composeConvert } from './compose-sim.js';

const PROJECT = `
services:
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    ports: ["80:80"]
  api:
    image: example/api:1
    command: ["serve"]
    environment: { MODE: prod }
  migrate:
    image: example/api:1
    command: ["migrate"]
    restart: "no"
`;

describe('run: a one-off task of a deployed service, against the simulator', function () {
  let sim: Simulator;
  let clock: ManualClock;
  let clients: AwsClients;
  let printed: string[];
  let said: string[];
  const options = (o: Partial<OneOffOptions> = {}): OneOffOptions => ({
    project: 'demo',
    service: 'api',
    environment: [],
    changes: {},
    detach: false,
    timing: simTiming(clock),
    signal: new AbortController().signal,
    say: (l) => void said.push(l),
    print: (l) => void printed.push(l),
    pollMs: 1000,
    ...o,
  });
  const runTasks = () => [...sim.state.tasks.values()].filter((t) => t.group === 'run:api');

  before(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    sim = await startSimulator({ clock });
    clients = simClients(sim.url);
    const deployed = await up({ project: 'demo' }, { clients, convert: composeConvert(PROJECT), timing: simTiming(clock), interval: { minMs: 1000, maxMs: 2000 } }, () => {});
    expect(deployed.kind).to.equal('succeeded');
  });
  after(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    printed = [];
    said = [];
    sim.setScenario({});
  });

  it('starts the service\'s task definition on its network with the command and environment overridden, prints its lines, returns its exit code', async () => {
    sim.setScenario({ oneShotTasks: [{ container: 'api', command: 'npm run migrate', exitCode: 3, lines: ['migrating', 'failed: no table'] }] });
    const from = sim.calls.length;
    const result = await runOneOff(clients, options({ command: ['npm', 'run', 'migrate'], environment: [{ name: 'DEBUG', value: '1' }] }));
    expect(result).to.deep.include({ kind: 'exited', exitCode: 3 });
    expect(printed).to.deep.equal(['migrating', 'failed: no table']);
    const [call] = sim.calls.slice(from).filter((c) => c.operation === 'RunTask');
    const service = [...sim.state.services.values()].find((s) => s.name.includes('Api') || s.logicalId === 'ApiService')!;
    expect(call!.params.taskDefinition).to.equal(service.taskDefinitionArn);
    expect(call!.params.launchType).to.equal('FARGATE');
    expect(call!.params.networkConfiguration).to.deep.equal({ awsvpcConfiguration: service.networkConfiguration && (service.networkConfiguration as { awsvpcConfiguration: unknown }).awsvpcConfiguration });
    expect(call!.params.overrides).to.deep.equal({ containerOverrides: [{ name: 'api', command: ['npm', 'run', 'migrate'], environment: [{ name: 'DEBUG', value: '1' }] }] });
    expect(runTasks().every((t) => t.lastStatus === 'STOPPED')).to.equal(true);
    expect(sim.calls.slice(from).some((c) => c.operation === 'RegisterTaskDefinition')).to.equal(false);
  });

  it('keeps the service\'s command when none is given, and exits 0 with it', async () => {
    const from = sim.calls.length;
    const result = await runOneOff(clients, options());
    expect(result).to.deep.include({ kind: 'exited', exitCode: 0 });
    expect(printed).to.deep.equal(['api started', 'api done']);
    expect(sim.calls.slice(from).find((c) => c.operation === 'RunTask')!.params.overrides).to.equal(undefined);
  });

  it('-u, --entrypoint and -w start the task from a derived <family>-run revision, deregistered once the task started', async () => {
    const from = sim.calls.length;
    const result = await runOneOff(clients, options({ changes: { user: '1000:1000', entrypoint: ['sh', '-c'], workdir: '/srv' }, command: ['id'] }));
    expect(result.kind).to.equal('exited');
    const registered = sim.calls.slice(from).find((c) => c.operation === 'RegisterTaskDefinition')!;
    expect(registered.params.family).to.equal('demo-api-run');
    const api = (registered.params.containerDefinitions as Array<Record<string, unknown>>).find((c) => c.name === 'api')!;
    expect(api).to.deep.include({ user: '1000:1000', entryPoint: ['sh', '-c'], workingDirectory: '/srv', command: ['serve'] });
    const run = sim.calls.slice(from).find((c) => c.operation === 'RunTask')!;
    expect(run.params.taskDefinition).to.match(/:task-definition\/demo-api-run:\d+$/);
    const ops = sim.calls.slice(from).map((c) => c.operation);
    expect(ops.indexOf('DeregisterTaskDefinition')).to.be.greaterThan(ops.indexOf('RunTask'));
    const derived = [...sim.state.taskDefinitions.values()].find((t) => t.family === 'demo-api-run')!;
    expect(derived.status).to.equal('INACTIVE');
    expect(derived.tags.some((t) => t.key.startsWith('aws:'))).to.equal(false);
    expect(derived.tags).to.deep.include({ key: 'com.docker.compose.project', value: 'demo' });
  });

  it('detached, returns the task id while the task runs on', async () => {
    const result = await runOneOff(clients, options({ detach: true }));
    expect(result.kind).to.equal('detached');
    const task = runTasks().find((t) => result.kind === 'detached' && t.id === result.taskId)!;
    expect(task.desiredStatus).to.equal('RUNNING');
    clock.advance(60_000);
    void sim.state;
  });

  it('an interrupt stops the task (StopTask) and leaves nothing running', async () => {
    sim.setScenario({ oneShotTasks: [{ container: 'api', runMs: 20_000, lines: ['working'] }] });
    const controller = new AbortController();
    const o = options({ signal: controller.signal, print: (l) => {
      printed.push(l);
      controller.abort();
    } });
    const result = await runOneOff(clients, o);
    expect(result.kind).to.equal('interrupted');
    const stop = sim.callsTo('StopTask').at(-1)!;
    expect(stop.params.reason).to.equal(STOP_REASON);
    clock.advance(5000);
    void sim.state;
    expect(runTasks().filter((t) => t.lastStatus !== 'STOPPED')).to.deep.equal([]);
    expect(said.at(-1)).to.match(/^Stopped task [0-9a-f]{32} of api\.$/);
  });

  it('a task that stops before its container runs is one sentence with the reason', async () => {
    sim.setScenario({ oneShotTasks: [{ container: 'api', pullError: 'CannotPullContainerError: pull image manifest has been retried 7 time(s): example/api:1: not found' }] });
    const err = await runOneOff(clients, options()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UserError);
    expect((err as Error).message).to.match(/^The task of api \([0-9a-f]{32}\) stopped before its container ran: CannotPullContainerError: .*not found; fix what it names/);
  });

  it('runs a one-shot job, which has no ECS service, from its deployed task definition on the network its gate records', async () => {
    sim.setScenario({ oneShotTasks: [{ container: 'migrate', command: 'migrate --check', exitCode: 2, lines: ['pending: 1'] }] });
    const from = sim.calls.length;
    const result = await runOneOff(clients, options({ service: 'migrate', command: ['migrate', '--check'] }));
    expect(result).to.deep.include({ kind: 'exited', exitCode: 2 });
    expect(printed).to.deep.equal(['pending: 1']);
    const run = sim.calls.slice(from).find((c) => c.operation === 'RunTask')!;
    expect(run.params.taskDefinition).to.match(/:task-definition\/demo-migrate:\d+$/);
    expect(run.params.group).to.equal('run:migrate');
    expect(run.params.overrides).to.deep.equal({ containerOverrides: [{ name: 'migrate', command: ['migrate', '--check'] }] });
    const network = (run.params.networkConfiguration as { awsvpcConfiguration: { subnets: string[]; securityGroups: string[] } }).awsvpcConfiguration;
    const api = [...sim.state.services.values()].find((s) => s.logicalId === 'ApiService' || s.name.includes('Api'))!;
    expect(network.subnets).to.deep.equal((api.networkConfiguration as { awsvpcConfiguration: { subnets: string[] } }).awsvpcConfiguration.subnets);
    expect(network.securityGroups).to.have.length.greaterThan(0);
    expect(sim.calls.slice(from).filter((c) => c.operation === 'RunTask')).to.have.length(1);
  });

  it('refuses an unknown service and a project that is not deployed, each in one sentence', async () => {
    const unknown = await runOneOff(clients, options({ service: 'nope' })).catch((e: unknown) => e);
    expect((unknown as Error).message).to.equal('no such service: nope; the deployed services are api, web.');
    const missing = await runOneOff(clients, options({ project: 'elsewhere' })).catch((e: unknown) => e);
    expect((missing as Error).message).to.equal('No stack named elsewhere in us-east-1: nothing is deployed for this project there; run `docker ecs compose up` first.');
  });

  it('refuses overrides over RunTask\'s 8192 characters before calling AWS', async () => {
    const from = sim.calls.length;
    const err = await runOneOff(clients, options({ environment: [{ name: 'BIG', value: 'x'.repeat(9000) }] })).catch((e: unknown) => e);
    expect((err as Error).message).to.match(/^The command and -e variables take \d+ characters; ECS RunTask allows 8192 in all/);
    expect(sim.calls.slice(from).some((c) => c.operation === 'RunTask')).to.equal(false);
  });
});
