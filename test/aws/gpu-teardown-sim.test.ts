/**
 * `down` of a project with GPU services (an EC2 Auto Scaling group behind an ECS capacity
 * provider), against the simulator: CloudFormation's own delete fails at the cluster because the
 * terminated instances are still registered (as on AWS); `down` scales the stack's group to 0 and
 * waits for the instances to leave first, and succeeds.
 */
import { expect } from 'chai';
import { DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { down, up, type UpDeps } from '../../src/aws/deploy.js';
import type { DeployEvent } from '../../src/aws/events.js';
import { DEREGISTER_LAG_MS, TERMINATE_MS } from '../sim/engine/ec2-capacity.js';
import { composeConvert } from './compose-sim.js';
import { simUpDeps } from './sim-support.js';

const COMPOSE = `
services:
  web:
    image: nginx
    ports: ["80:80"]
  trainer:
    image: example/trainer
    deploy:
      resources:
        reservations:
          devices: [{ capabilities: [gpu], count: 1 }]
`;

describe('down of a project with GPU services, against the simulator', function () {
  const fixture = simulatorPerTest();
  let deps: UpDeps;
  const events: DeployEvent[] = [];
  const sink = (e: DeployEvent): void => void events.push(e);

  beforeEach(async () => {
    events.length = 0;
    deps = simUpDeps(fixture, composeConvert(COMPOSE, { projectName: 'ml' }));
    expect((await up({ project: 'ml' }, deps, () => undefined)).kind).to.equal('succeeded');
    const groups = [...fixture.sim.state.autoScalingGroups.values()];
    expect(groups).to.have.length(1);
    expect(groups[0]!.instances).to.have.length(1);
    expect([...fixture.sim.state.clusters.values()].find((c) => c.name === 'ml')!.containerInstances).to.have.length(1);
  });

  it('without emptying the group first, the stack delete fails at the cluster, as on AWS', async () => {
    const cfn = await deps.clients.cloudFormation();
    await cfn.send(new DeleteStackCommand({ StackName: 'ml' }));
    for (let i = 0; i < 600; i++) fixture.clock.advance(1000);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'ml' }))).Stacks![0]!;
    expect(stack.StackStatus).to.equal('DELETE_FAILED');
    const failed = ((await cfn.send(new DescribeStackEventsCommand({ StackName: 'ml' }))).StackEvents ?? []).find((e) => e.ResourceStatus === 'DELETE_FAILED' && e.LogicalResourceId === 'Cluster');
    expect(failed?.ResourceStatusReason).to.include('The Cluster cannot be deleted while Container Instances are active or draining.');
  });

  it('down scales only the stack\'s Auto Scaling group to 0, waits for its instances to leave, then deletes the stack', async () => {
    // a group of someone else's in the same account is never touched
    fixture.sim.state.autoScalingGroups.set('other', { name: 'other', arn: 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:x:autoScalingGroupName/other', minSize: 1, maxSize: 2, desired: 1, instances: [], tags: [] });
    const group = [...fixture.sim.state.autoScalingGroups.keys()].find((n) => n !== 'other')!;
    expect((await down({ project: 'ml' }, deps, sink)).kind).to.equal('deleted');
    const updates = fixture.sim.callsTo('UpdateAutoScalingGroup');
    expect(updates.map((c) => c.params)).to.deep.equal([{ AutoScalingGroupName: group, MinSize: '0', MaxSize: '0', DesiredCapacity: '0' }]);
    expect(fixture.sim.state.autoScalingGroups.get('other')!.desired).to.equal(1);
    // the stack was deleted only once the container instance had left the cluster
    const deleteAt = fixture.sim.callsTo('DeleteStack')[0]!.time;
    expect(deleteAt - updates[0]!.time).to.be.at.least(TERMINATE_MS + DEREGISTER_LAG_MS);
    expect(events.some((e) => e.kind === 'notice' && /Scaling the GPU instances of stack ml to 0 first/.test(e.message))).to.equal(true);
    expect(fixture.sim.state.autoScalingGroups.has(group)).to.equal(false);
  });

  it('a project without GPU services goes down without any Auto Scaling call', async () => {
    const plain = { ...deps, convert: composeConvert('services:\n  web:\n    image: nginx\n', { projectName: 'plain' }) };
    expect((await up({ project: 'plain' }, plain, () => undefined)).kind).to.equal('succeeded');
    expect((await down({ project: 'plain' }, plain, sink)).kind).to.equal('deleted');
    expect(fixture.sim.calls.filter((c) => c.service === 'autoscaling')).to.deep.equal([]);
  });
});
