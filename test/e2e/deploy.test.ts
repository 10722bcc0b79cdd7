import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOneCleanLine } from '../support/docker.js';
import { webAndWorkerCompose } from '../support/web-and-worker-project.js';
import { jsonLines, startE2E, type E2E } from './helpers.js';

const SMALL = { 'compose.yaml': webAndWorkerCompose('tiny') };

describe('up and down through docker and the AWS simulator', function () {
  this.timeout(120_000);
  let e: E2E;
  afterEach(async () => e && (await e.stop()));

  it('deploys the example shop, prints the endpoint, then updates, finds nothing to change, and goes down keeping the volume', async () => {
    e = await startE2E();
    const up = e.compose(['up']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout.trim()).to.match(/^http:\/\/\S+\.elb\.amazonaws\.com:80$/);
    expect(up.stderr).to.match(/CREATE_COMPLETE\s+stack/);

    const again = e.compose(['up']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.match(/up to date/i);

    // a real change: another replica count for the API
    const file = join(e.projectDir, 'compose.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('replicas: 2', 'replicas: 3'));
    const update = e.compose(['up', '--progress', 'json']);
    expect(update.code, update.stderr).to.equal(0);
    const events = jsonLines(update.stderr);
    expect(events[0]).to.include({ v: 1, kind: 'operation-started', operation: 'update' });
    expect(events.some((ev) => ev.kind === 'resource' && ev.logicalId === 'ApiService' && ev.state === 'complete')).to.equal(true);
    expect(events.at(-1)).to.include({ kind: 'finished', outcome: 'succeeded' });

    const down = e.compose(['down']);
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stderr).to.match(/Kept 1 EFS file system/);
    const calls = await e.sim.calls();
    expect(calls.filter((c) => c.operation === 'DeleteStack')).to.have.length(1);
    expect(calls.some((c) => c.operation === 'DeleteFileSystem')).to.equal(false);

    const gone = e.compose(['down', '-p', 'shop']);
    expect(gone.code).to.equal(0);
    expect(gone.stderr).to.match(/no stack|nothing to delete|does not exist/i);
  });

  it('shows a dry run plan and changes nothing', async () => {
    e = await startE2E({ project: SMALL });
    expect(e.compose(['up']).code).to.equal(0);
    const before = (await e.sim.calls()).length;
    const file = join(e.projectDir, 'compose.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('sleep", "infinity', 'sleep", "3600'));
    const dry = e.compose(['up', '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.match(/WorkerTaskDefinition/);
    expect(dry.stdout).to.match(/AWS::ECS::TaskDefinition/);
    const ops = (await e.sim.calls()).slice(before).map((c) => c.operation);
    expect(ops).to.include('CreateChangeSet');
    expect(ops).to.include('DeleteChangeSet');
    expect(ops.filter((op) => /^(ExecuteChangeSet|UpdateStack|CreateStack|DeleteStack)$/.test(op))).to.deep.equal([]);
    const stacks = (await e.sim.stacks()) as Array<{ name: string; status: string }>;
    expect(stacks.find((s) => s.name === 'tiny')?.status).to.equal('CREATE_COMPLETE');
  });

  it('fails with the root cause, exit 1, and leaves the stack for inspection', async () => {
    e = await startE2E({ project: SMALL, scenario: { failResources: [{ logicalId: 'LoadBalancer', reason: 'Simulated: subnets do not allow a load balancer' }] } });
    const up = e.compose(['up']);
    expect(up.code).to.equal(1);
    expect(up.stderr).to.contain('Simulated: subnets do not allow a load balancer');
    expect(up.stderr).to.contain('LoadBalancer');
    const calls = await e.sim.calls();
    expect(calls.some((c) => c.operation === 'DeleteStack')).to.equal(false);
  });

  it('names the stopped task reason when a container cannot be pulled', async () => {
    // slower than the default, so that the rollout is polled while tasks fail, as on AWS
    e = await startE2E({ project: SMALL, speed: 5, scenario: { taskCrashes: [{ service: 'worker', kind: 'pull' }], circuitBreakerThreshold: 2 } });
    const up = e.compose(['up', '--progress', 'plain']);
    expect(up.code).to.equal(1);
    expect(up.stderr).to.contain('CannotPullContainerError');
  });

  it('refuses bad input before any AWS call', async () => {
    e = await startE2E({ project: { 'compose.yaml': 'services:\n  web:\n    image: nginx\n    privileged: true\n' } });
    const up = e.compose(['up']);
    expect(up.code).to.equal(1);
    expect(isOneCleanLine(up.stderr)).to.equal(true);
    expect(up.stderr).to.contain('privileged is true');
    expect(await e.sim.calls()).to.deep.equal([]);
  });

  it('returns at once with -d, saying how to follow', async () => {
    e = await startE2E({ project: SMALL });
    const up = e.compose(['up', '-d']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr).to.match(/docker ecs compose ps|describe-stack-events/);
  });
});
