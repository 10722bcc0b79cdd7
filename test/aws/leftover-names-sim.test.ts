/**
 * Names a new stack needs that leftovers already hold (a Cloud Map namespace or private hosted zone
 * `<project>.local` in the VPC, the log group `/docker-compose/<project>`, an ACTIVE cluster
 * `<project>`): `up` and `up --dry-run` name each with the command that removes it and stop before
 * any stack change; the simulator, like AWS, fails the create when the check is skipped.
 */
import { expect } from 'chai';
import { CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import type { Template } from '../../src/cloudformation/template.js';
import { UserError } from '../../src/errors.js';
import { composeConvert } from './compose-sim.js';
import { simUpDeps } from './sim-support.js';

const COMPOSE = `
services:
  web:
    image: nginx
    ports: ["80:80"]
  api:
    image: example/api
    expose: ["8080"]
`;

describe('up: names held by leftovers, against the simulator', function () {
  const fixture = simulatorPerTest();
  let deps: UpDeps;
  const sink = (): void => undefined;

  beforeEach(() => {
    deps = simUpDeps(fixture, composeConvert(COMPOSE, { projectName: 'shop' }));
  });

  const refusal = async (dryRun = false): Promise<UserError> => {
    const e = await up({ project: 'shop', ...(dryRun ? { dryRun } : {}) }, deps, sink).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(UserError);
    return e as UserError;
  };

  it('names every leftover with the command that removes it, and creates nothing', async () => {
    fixture.sim.setScenario({ leftovers: { namespaces: [{ name: 'shop.local' }], logGroups: ['/docker-compose/shop'], clusters: ['shop'] } });
    const nsId = [...fixture.sim.state.namespaces.values()][0]!.id;
    const e = await refusal();
    const lines = e.message.split('\n');
    expect(lines[0]).to.equal(
      'Stack shop cannot be created in us-east-1: 3 resources left from an earlier deployment hold names it needs. Remove them, then run up again:',
    );
    expect(lines.slice(1)).to.deep.equal([
      `  Cloud Map namespace shop.local: aws servicediscovery delete-namespace --id ${nsId} --region us-east-1 (after deleting its services: aws servicediscovery list-services --filters Name=NAMESPACE_ID,Values=${nsId},Condition=EQ --region us-east-1)`,
      '  CloudWatch log group /docker-compose/shop: aws logs delete-log-group --log-group-name /docker-compose/shop --region us-east-1',
      '  ECS cluster shop: aws ecs delete-cluster --cluster shop --region us-east-1 (after deleting its services and stopping its tasks)',
    ]);
    expect(e.options.multiline).to.equal(true);
    expect(fixture.sim.callsTo('CreateStack')).to.have.length(0);
    expect(fixture.sim.callsTo('CreateChangeSet')).to.have.length(0);
    expect(fixture.sim.callsTo('ListHostedZonesByVPC')[0]!.params).to.deep.equal({ vpcid: fixture.sim.state.vpc.id, vpcregion: 'us-east-1' });
  });

  it('refuses the same way on --dry-run, before any plan', async () => {
    fixture.sim.setScenario({ leftovers: { logGroups: ['/docker-compose/shop'] } });
    const e = await refusal(true);
    expect(e.message).to.match(/^Stack shop cannot be created in us-east-1: a resource left from an earlier deployment holds a name it needs\. Remove it, then run up again:\n  CloudWatch log group \/docker-compose\/shop: aws logs delete-log-group/);
    expect(fixture.sim.callsTo('CreateStack')).to.have.length(0);
  });

  it('names a private hosted zone of the namespace name that Cloud Map does not own', async () => {
    fixture.sim.setScenario({ leftovers: { hostedZones: [{ name: 'shop.local' }] } });
    const zone = [...fixture.sim.state.hostedZones.values()][0]!.id;
    const e = await refusal();
    expect(e.message.split('\n')[1]).to.equal(
      `  Route 53 private hosted zone shop.local: aws route53 delete-hosted-zone --id ${zone} (after deleting its records), or aws route53 disassociate-vpc-from-hosted-zone --hosted-zone-id ${zone} --vpc VPCRegion=us-east-1,VPCId=${fixture.sim.state.vpc.id}`,
    );
  });

  it('lets through what AWS accepts: a namespace of the name in another VPC, a log group with a longer name, an INACTIVE cluster', async () => {
    fixture.sim.setScenario({ leftovers: { namespaces: [{ name: 'shop.local', vpcId: 'vpc-0123456789abcdef0' }], logGroups: ['/docker-compose/shop-old'], clusters: ['shop'] } });
    for (const c of fixture.sim.state.clusters.values()) c.status = 'INACTIVE';
    expect((await up({ project: 'shop' }, deps, sink)).kind).to.equal('succeeded');
  });

  it('after the clean-up the same up succeeds', async () => {
    fixture.sim.setScenario({ leftovers: { logGroups: ['/docker-compose/shop'] } });
    await refusal();
    fixture.sim.state.logGroups.delete('/docker-compose/shop');
    expect((await up({ project: 'shop' }, deps, sink)).kind).to.equal('succeeded');
  });

  describe('the simulator fails the create as AWS does when the check is skipped', () => {
    const leftovers = [
      { what: 'the namespace', scenario: { namespaces: [{ name: 'shop.local' }] }, logicalId: 'CloudMap', reason: /has already been associated with the hosted zone .* with the same domain name.*ConflictingDomainExists/ },
      { what: 'the log group', scenario: { logGroups: ['/docker-compose/shop'] }, logicalId: 'LogGroup', reason: /already exists/ },
      { what: 'the cluster', scenario: { clusters: ['shop'] }, logicalId: 'Cluster', reason: /Resource of type 'AWS::ECS::Cluster' with identifier 'shop' already exists/ },
    ];
    for (const l of leftovers) {
      it(`${l.what}: ${l.logicalId} fails and the stack rolls back`, async () => {
        fixture.sim.setScenario({ leftovers: l.scenario });
        const env = { accountId: '123456789012', region: 'us-east-1', vpcId: fixture.sim.state.vpc.id, subnetIds: fixture.sim.state.subnets.map((s) => s.id), subnetsByZone: {}, retainedFileSystems: {} };
        const template: Template = (await deps.convert(env)).template;
        const cfn = await deps.clients.cloudFormation();
        await cfn.send(
          new CreateStackCommand({
            StackName: 'shop',
            TemplateBody: renderTemplate(template, 'json'),
            Parameters: [
              { ParameterKey: 'VpcId', ParameterValue: env.vpcId },
              { ParameterKey: 'SubnetIds', ParameterValue: env.subnetIds.join(',') },
            ].filter((p) => p.ParameterKey in (template.Parameters ?? {})),
            Capabilities: ['CAPABILITY_IAM'],
          }),
        );
        for (let i = 0; i < 120; i++) fixture.clock.advance(1000);
        const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'shop' }))).Stacks![0]!;
        expect(stack.StackStatus).to.equal('ROLLBACK_COMPLETE');
        const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: stack.StackId! }))).StackEvents ?? [];
        const failed = events.find((e) => e.LogicalResourceId === l.logicalId && e.ResourceStatus === 'CREATE_FAILED');
        expect(failed?.ResourceStatusReason).to.match(l.reason);
      });
    }
  });
});
