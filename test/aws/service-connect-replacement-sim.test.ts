/**
 * Replacing an ECS service that holds Service Connect names (service-connect-replacement.ts),
 * against the simulator, which fails such a replacement made in one update as AWS does: `up` frees
 * the names in a first update, then makes the change.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { DeployFailed, Interrupted } from '../../src/errors.js';
import { simUpDeps } from './sim-support.js';
import { composeConvert } from './compose-sim.js';

describe('replacing a service that holds Service Connect names, against the simulator', function () {
  const fixture = simulatorPerTest();
  let events: DeployEvent[];
  let onEvent: (e: DeployEvent) => void;
  let cluster: string;
  const files = { 'pw.txt': 'unused' };
  const yaml = () => `
${cluster}
services:
  web: { image: nginx, ports: ["80:80"], secrets: [pw] }
  worker: { image: example/worker }
secrets: { pw: { file: ./pw.txt } }
`;
  const deps = (signal?: AbortSignal): UpDeps => ({ ...simUpDeps(fixture, composeConvert(yaml, { files })), ...(signal ? { signal } : {}) });
  const secretParameter = (): string =>
    Object.keys(composeConvert(yaml, { files })({ vpcId: 'vpc-1', subnetIds: [], subnetsByZone: {}, region: 'us-east-1', accountId: '1', retainedFileSystems: {} } as never).template.Parameters ?? {}).find((p) => p.endsWith('SecretValue'))!;
  const upWith = (o: { dryRun?: boolean; signal?: AbortSignal } = {}) =>
    up({ project: 'demo', secretValues: { [secretParameter()]: 's3cret-value' }, ...(o.dryRun ? { dryRun: true } : {}) }, deps(o.signal), (e) => {
      events.push(e);
      onEvent(e);
    });

  const stack = () => fixture.sim.cloudformation.stacks.find((s) => s.name === 'demo' && s.status !== 'DELETE_COMPLETE')!;
  const scServices = (logicalId: string) => ((stack().template.Resources[logicalId]?.Properties as Record<string, { Services?: unknown[] }>).ServiceConnectConfiguration).Services;
  const webServices = () => [...fixture.sim.state.services.values()].filter((s) => s.logicalId === 'WebService');
  const started = () => events.filter((e) => e.kind === 'operation-started');
  const notices = () => events.flatMap((e) => (e.kind === 'notice' ? [e.message] : []));

  beforeEach(async () => {
    events = [];
    onEvent = () => undefined;
    cluster = '';
    expect((await upWith()).kind).to.equal('succeeded');
    const [own] = [...fixture.sim.state.clusters.values()];
    fixture.sim.state.clusters.set('arn:aws:ecs:us-east-1:123456789012:cluster/shared', { ...own!, name: 'shared', arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/shared' });
    cluster = 'x-aws-cluster: shared';
    events = [];
  });

  it('moves a service with Service Connect names to another cluster in two updates: the names are freed, then the new service takes them and the old one goes', async () => {
    const [old] = webServices();
    expect(old!.serviceConnect?.aliases).to.deep.equal(['web:80']);
    expect((await upWith()).kind).to.equal('succeeded');

    expect(started().map((e) => e.kind === 'operation-started' && e.operation)).to.deep.equal(['update', 'update']);
    expect(notices()[0]).to.match(/^This change replaces the ECS service of web, and a new service cannot take the Service Connect names web:80 while the old one holds them, so up will update the stack twice: .* usually a few minutes\.$/);
    expect(notices()).to.include('web gave up its Service Connect names; now the change itself.');
    expect(events.at(-1)).to.include({ kind: 'finished', outcome: 'succeeded' });

    // the final template has the names; the old service is gone, the new one in the other cluster holds them
    expect(scServices('WebService')).to.deep.equal([{ PortName: 'web-80-tcp', DiscoveryName: 'web-80-tcp', ClientAliases: [{ DnsName: 'web', Port: 80 }] }]);
    expect(old!.status).to.equal('INACTIVE');
    const active = webServices().filter((s) => s.status === 'ACTIVE');
    expect(active).to.have.length(1);
    expect(active[0]!.clusterArn).to.match(/cluster\/shared$/);
    expect(active[0]!.serviceConnect?.aliases).to.deep.equal(['web:80']);

    // the first update kept every parameter as the stack had it: the secret's value was neither sent nor read
    const [, release] = fixture.sim.callsTo('CreateChangeSet');
    expect(String(release!.params.ChangeSetName)).to.match(/-release-names$/);
    const parameters = release!.params.Parameters as Array<Record<string, unknown>>;
    expect(parameters.length).to.be.greaterThan(0);
    for (const p of parameters) expect(p).to.deep.equal({ ParameterKey: p.ParameterKey, UsePreviousValue: 'true' }); // as the query protocol sends it
    expect(JSON.stringify(release!.params)).not.to.include('s3cret-value');
  });

  it('says at --dry-run that it would take two updates, and changes nothing', async () => {
    const result = await upWith({ dryRun: true });
    expect(result.kind).to.equal('dry-run');
    expect(notices()[0]).to.match(/so up would update the stack twice: first web gives up its names .* then the change itself creates the new service with the names/);
    const plan = events.find((e) => e.kind === 'plan');
    expect(plan?.kind === 'plan' && plan.changes.find((c) => c.logicalId === 'WebService')).to.deep.include({ action: 'modify', replacement: 'yes' });
    expect(fixture.sim.callsTo('ExecuteChangeSet')).to.have.length(0);
    expect(scServices('WebService')).to.have.length(1);
  });

  it('when freeing the names fails, rolls back with the names kept, names the root cause, and makes no change', async () => {
    fixture.sim.setScenario({ failResources: [{ logicalId: 'WebService', operation: 'update', times: 1, reason: 'Simulated: the service could not be updated' }] });
    let failure: unknown;
    await upWith().catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(DeployFailed);
    expect((failure as Error).message).to.match(
      /^The first of the two updates of stack demo \(web giving up its Service Connect names\) failed \(UPDATE_ROLLBACK_COMPLETE\) and rolled back; the change was not made\..*Simulated: the service could not be updated/s,
    );
    expect(started()).to.have.length(1);
    expect(fixture.sim.callsTo('ExecuteChangeSet')).to.have.length(1);
    expect(scServices('WebService')).to.have.length(1);
    expect(webServices().filter((s) => s.status === 'ACTIVE')[0]!.clusterArn).to.match(/cluster\/demo$/);
  });

  it('when the change itself fails, rolls back to the names freed, says so, and the next up completes it', async () => {
    onEvent = (e) => {
      if (e.kind === 'notice' && /gave up its Service Connect names/.test(e.message)) {
        fixture.sim.setScenario({ failResources: [{ logicalId: 'WebService', operation: 'update', times: 1, reason: 'Simulated: the new service could not be created' }] });
      }
    };
    let failure: unknown;
    await upWith().catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(DeployFailed);
    expect((failure as Error).message).to.match(
      /^Update of stack demo failed \(UPDATE_ROLLBACK_COMPLETE\)\. It rolled back to the state after the first of the two updates: web runs without its Service Connect names, so the other services cannot reach it by name; fix the cause and run up again to complete the change\..*Simulated: the new service could not be created/s,
    );
    expect(stack().status).to.equal('UPDATE_ROLLBACK_COMPLETE');
    expect(scServices('WebService')).to.equal(undefined);
    expect(webServices().filter((s) => s.status === 'ACTIVE')).to.have.length(1);

    onEvent = () => undefined;
    events = [];
    expect((await upWith()).kind).to.equal('succeeded');
    expect(started()).to.have.length(1); // nothing left to free
    expect(scServices('WebService')).to.have.length(1);
    expect(webServices().filter((s) => s.status === 'ACTIVE')[0]!.clusterArn).to.match(/cluster\/shared$/);
  });

  it('stops watching on Ctrl-C during the first update, deletes nothing, and the next up completes the change', async () => {
    const interrupt = new AbortController();
    onEvent = (e) => {
      if (e.kind === 'operation-started') interrupt.abort();
    };
    let failure: unknown;
    await upWith({ signal: interrupt.signal }).catch((e: unknown) => (failure = e));
    expect(failure).to.be.instanceOf(Interrupted);
    expect((failure as Error).message).to.match(/^Stopped watching\. The first of the two updates of stack demo \(web giving up its Service Connect names\) goes on in AWS; nothing was cancelled or deleted\. Run up again to make the change itself\./);
    expect(fixture.sim.callsTo('ExecuteChangeSet')).to.have.length(1);
    expect(fixture.sim.callsTo('DeleteStack').length + fixture.sim.callsTo('CancelUpdateStack').length).to.equal(0);

    onEvent = () => undefined;
    events = [];
    expect((await upWith()).kind).to.equal('succeeded');
    expect(scServices('WebService')).to.have.length(1);
    expect(webServices().filter((s) => s.status === 'ACTIVE')[0]!.clusterArn).to.match(/cluster\/shared$/);
  });
});
