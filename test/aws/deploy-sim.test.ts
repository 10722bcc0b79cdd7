/**
 * `up` and `down` end to end against the local AWS simulator (test/sim): real SDK clients over
 * HTTP, the simulator's CloudFormation engine and ECS runtime, simulated time moved by the
 * watcher's own sleeps, so a two-minute deployment runs in well under a second.
 */
import { expect } from 'chai';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { appTemplate } from '../sim/support.js';
import { down, up, type ConvertedTemplate, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { ownedByWeb, simUpDeps } from './sim-support.js';
import type { Template } from '../../src/cloudformation/template.js';
import { DeployFailed } from '../../src/errors.js';

describe('up and down against the simulator', function () {
  const fixture = simulatorPerTest();
  let events: DeployEvent[];
  let deps: UpDeps;
  const sink = (e: DeployEvent): void => {
    events.push(e);
  };
  let body = appTemplate();

  beforeEach(() => {
    events = [];
    body = appTemplate();
    deps = simUpDeps(fixture, () => ownedByWeb(body));
  });

  const finished = () => events.filter((e) => e.kind === 'finished').at(-1);

  it('creates, finds nothing to change, updates, dry-runs and removes an application', async () => {
    const created = await up({ project: 'demo' }, deps, sink);
    expect(created.kind).to.equal('succeeded');
    expect(created.kind === 'succeeded' && created.endpoints[0]).to.match(/^http:\/\/demo-LoadBalancer-[A-Z0-9]+-\d+\.us-east-1\.elb\.amazonaws\.com:80$/);
    expect(events.some((e) => e.kind === 'rollout' && e.service === 'web' && e.running === 2)).to.equal(true);
    const webRows = events.filter((e) => e.kind === 'resource' && e.service === 'web').map((e) => e.kind === 'resource' && e.logicalId);
    expect(webRows).to.include.members(['WebService', 'WebTaskDefinition', 'WebTargetGroup', 'WebListener']);

    events = [];
    expect((await up({ project: 'demo' }, deps, sink)).kind).to.equal('no-changes');
    expect(finished()).to.deep.include({ message: 'The application is up to date.' });

    body = appTemplate({ image: 'nginx:1.28' });
    events = [];
    const plan = await up({ project: 'demo', dryRun: true }, deps, sink);
    expect(plan.kind === 'dry-run' && plan.plan).to.deep.include({
      action: 'modify',
      logicalId: 'WebTaskDefinition',
      resourceType: 'AWS::ECS::TaskDefinition',
      replacement: 'yes',
    });
    expect(fixture.sim.callsTo('DeleteChangeSet')).to.have.length.greaterThan(0);
    expect(fixture.sim.callsTo('ExecuteChangeSet')).to.have.length(0);

    events = [];
    const updated = await up({ project: 'demo' }, deps, sink);
    expect(updated.kind).to.equal('succeeded');
    // only this operation's events: nothing from the create shows up again
    expect(events.some((e) => e.kind === 'resource' && e.status.startsWith('CREATE'))).to.equal(false);
    expect(events.filter((e) => e.kind === 'stack').at(-1)).to.deep.include({ status: 'UPDATE_COMPLETE' });

    events = [];
    const removed = await down({ project: 'demo' }, deps, sink);
    expect(removed.kind === 'deleted' && removed.retained.map((r) => r.logicalId)).to.deep.equal(['DbVolume']);
    expect(finished()?.kind === 'finished' && finished()!.message).to.match(/^Stack demo is deleted\. Kept 1 EFS file system with your data: fs-/);
    expect((await down({ project: 'demo' }, deps, sink)).kind).to.equal('not-found');
  });

  it('fails with the root cause and the stopped-task reason when the tasks crash, and leaves the stack', async () => {
    fixture.sim.setScenario({ taskCrashes: [{ kind: 'pull' }] });
    const error = await up({ project: 'demo' }, deps, sink).catch((e) => e);
    expect(error).to.be.instanceOf(DeployFailed);
    const cause = (error as DeployFailed).rootCause ?? '';
    expect(cause).to.match(/^WebService of service "web" \(AWS::ECS::Service\) failed: /);
    expect(cause).to.match(/Last stopped task: CannotPullContainerError/);
    expect(fixture.sim.callsTo('DeleteStack')).to.have.length(0);
  });

  it('keeps watching through throttling of DescribeStackEvents', async () => {
    fixture.sim.setScenario({ throttle: [{ service: 'cloudformation', operation: 'DescribeStackEvents', everyNth: 2 }] });
    const result = await up({ project: 'demo' }, deps, sink);
    expect(result.kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('DescribeStackEvents').some((c) => c.fault === 'throttle')).to.equal(true);
  });

  it('replaces a stack left in ROLLBACK_COMPLETE by a failed first create', async () => {
    fixture.sim.setScenario({ stacks: [{ name: 'demo', status: 'ROLLBACK_COMPLETE', tags: { 'com.docker.compose.project': 'demo' } }] });
    expect((await up({ project: 'demo' }, deps, sink)).kind).to.equal('succeeded');
    expect(events[0]).to.deep.include({ kind: 'notice', level: 'warning' });
    expect(events[0]?.kind === 'notice' && events[0].message).to.match(/ROLLBACK_COMPLETE by a failed first deployment/);
    expect(fixture.sim.callsTo('DeleteStack')).to.have.length(1);
  });

  it('waits for a stack busy in another operation, then updates it', async () => {
    fixture.sim.setScenario({ stacks: [{ name: 'demo', status: 'UPDATE_IN_PROGRESS', finishAfterMs: 20_000, tags: { 'com.docker.compose.project': 'demo' } }] });
    const result = await up({ project: 'demo' }, deps, sink);
    expect(result).to.deep.include({ kind: 'succeeded', operation: 'update' });
    expect(events[0]).to.deep.include({ kind: 'notice', message: 'Stack demo is busy (UPDATE_IN_PROGRESS); waiting for that operation to finish.' });
    const cfn = await deps.clients.cloudFormation();
    expect((await cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('UPDATE_COMPLETE');
  });

  it('reads each poll only up to the first event it has seen', async () => {
    fixture.sim.setScenario({ eventsPageSize: 3 });
    await up({ project: 'demo' }, deps, sink);
    const polls = fixture.sim.callsTo('DescribeStackEvents');
    const firstPages = polls.filter((c) => !c.params.NextToken).length;
    const laterPages = polls.length - firstPages;
    // a stack of ~10 resources makes ~25 events: the whole history would be 9 pages per poll
    expect(laterPages).to.be.lessThan(firstPages);
  });
});
