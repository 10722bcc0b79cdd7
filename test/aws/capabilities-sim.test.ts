/**
 * `up` asks for the least IAM capability the template needs: CAPABILITY_IAM, or
 * CAPABILITY_NAMED_IAM when an IAM resource has a custom name (here from an x-aws-cloudformation
 * overlay). The simulator refuses a named IAM resource without CAPABILITY_NAMED_IAM, as AWS does.
 */
import { expect } from 'chai';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import { capabilitiesFor } from '../../src/aws/change-set.js';
import { composeConvert } from './compose-sim.js';
import { simClients, simUpDeps } from './sim-support.js';

const PLAIN = `
services:
  web:
    image: nginx
`;
const NAMED = `${PLAIN}
x-aws-cloudformation:
  Resources:
    WebTaskExecutionRole:
      Properties:
        RoleName: demo-web-execution
`;

describe('up: IAM capabilities, against the simulator', function () {
  const fixture = simulatorPerTest();
  const deps = (yaml: string): UpDeps => simUpDeps(fixture, composeConvert(yaml));

  it('creates and updates with CAPABILITY_IAM when no IAM resource is named', async () => {
    expect((await up({ project: 'demo' }, deps(PLAIN), () => undefined)).kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('CreateStack')[0]!.params.Capabilities).to.deep.equal(['CAPABILITY_IAM']);
    expect((await up({ project: 'demo' }, deps(`${PLAIN}    environment: { A: "1" }\n`), () => undefined)).kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('CreateChangeSet')[0]!.params.Capabilities).to.deep.equal(['CAPABILITY_IAM']);
  });

  it('asks for CAPABILITY_NAMED_IAM when an overlay names a role, which the simulator requires', async () => {
    expect((await up({ project: 'demo' }, deps(NAMED), () => undefined)).kind).to.equal('succeeded');
    expect(fixture.sim.callsTo('CreateStack')[0]!.params.Capabilities).to.deep.equal(['CAPABILITY_NAMED_IAM']);
  });

  it('the simulator refuses a named role with CAPABILITY_IAM only, as CloudFormation does', async () => {
    const template = (await composeConvert(NAMED)({ accountId: '1', region: 'us-east-1', vpcId: fixture.sim.state.vpc.id, subnetIds: [], subnetsByZone: {}, retainedFileSystems: {} })).template;
    expect(capabilitiesFor(template)).to.deep.equal(['CAPABILITY_NAMED_IAM']);
    const { CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
    const cfn = await simClients(fixture.sim.url).cloudFormation();
    const e = await cfn
      .send(new CreateStackCommand({ StackName: 'x', TemplateBody: JSON.stringify(template), Parameters: [{ ParameterKey: 'VpcId', ParameterValue: 'vpc-1' }, { ParameterKey: 'SubnetIds', ParameterValue: 'subnet-1' }].filter((p) => p.ParameterKey in (template.Parameters ?? {})), Capabilities: ['CAPABILITY_IAM'] }))
      .catch((x: unknown) => x as Error);
    expect((e as Error).name).to.equal('InsufficientCapabilitiesException');
    expect((e as Error).message).to.equal('Requires capabilities : [CAPABILITY_NAMED_IAM]');
  });
});
