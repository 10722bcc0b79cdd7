import { expect } from 'chai';
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
} from '@aws-sdk/client-cloudformation';
import { prepareChangeSet, type ChangeSetInput } from '../../src/aws/change-set.js';
import { fakeTiming, mockedClients, STACK, STACK_ID, throttled, ZERO } from './helpers.js';

const ARN = 'arn:aws:cloudformation:eu-west-1:123456789012:changeSet/docker-ecs-1/abc';
const input: ChangeSetInput = {
  stackName: STACK,
  changeSetName: 'docker-ecs-1',
  changeSetType: 'UPDATE',
  template: { body: '{}' },
  parameters: { VpcId: 'vpc-1', Subnets: 'subnet-1,subnet-2' },
  tags: { 'com.docker.compose.project': STACK },
  clientToken: 'token-1',
  capabilities: ['CAPABILITY_IAM'],
};

describe('prepareChangeSet', () => {
  it('waits for the change set, reads every page of changes and keeps it for execution', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(CreateChangeSetCommand).resolves({ Id: ARN, StackId: STACK_ID });
    cfn
      .on(DescribeChangeSetCommand, { ChangeSetName: ARN, NextToken: undefined })
      .resolvesOnce({ Status: 'CREATE_PENDING' })
      .rejectsOnce(throttled())
      .resolves({
        Status: 'CREATE_COMPLETE',
        ExecutionStatus: 'AVAILABLE',
        StackId: STACK_ID,
        NextToken: 'p2',
        Changes: [
          { ResourceChange: { Action: 'Add', LogicalResourceId: 'LogGroup', ResourceType: 'AWS::Logs::LogGroup' } },
          {
            ResourceChange: {
              Action: 'Modify',
              LogicalResourceId: 'WebTaskDefinition',
              ResourceType: 'AWS::ECS::TaskDefinition',
              Replacement: 'True',
            },
          },
        ],
      });
    cfn.on(DescribeChangeSetCommand, { ChangeSetName: ARN, NextToken: 'p2' }).resolves({
      Changes: [
        { ResourceChange: { Action: 'Modify', LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', Replacement: 'Conditional' } },
        { ResourceChange: { Action: 'Remove', LogicalResourceId: 'Old', ResourceType: 'AWS::SNS::Topic' } },
      ],
    });
    const result = await prepareChangeSet(await clients.cloudFormation(), input, { timing: fakeTiming(), interval: ZERO });
    expect(result).to.deep.include({ kind: 'ready', arn: ARN, stackId: STACK_ID });
    expect(result.kind === 'ready' && result.plan).to.deep.equal([
      { action: 'add', logicalId: 'LogGroup', resourceType: 'AWS::Logs::LogGroup' },
      { action: 'modify', logicalId: 'WebTaskDefinition', resourceType: 'AWS::ECS::TaskDefinition', replacement: 'yes' },
      { action: 'modify', logicalId: 'WebService', resourceType: 'AWS::ECS::Service', replacement: 'conditional' },
      { action: 'remove', logicalId: 'Old', resourceType: 'AWS::SNS::Topic' },
    ]);
    expect(cfn.commandCalls(DeleteChangeSetCommand)).to.have.length(0);
    const create = cfn.commandCalls(CreateChangeSetCommand)[0]!.args[0].input;
    expect(create.ClientToken).to.equal('token-1');
    expect(create.Capabilities).to.deep.equal(['CAPABILITY_IAM']);
    expect(create.Parameters).to.deep.equal([
      { ParameterKey: 'Subnets', ParameterValue: 'subnet-1,subnet-2' },
      { ParameterKey: 'VpcId', ParameterValue: 'vpc-1' },
    ]);
  });

  it('recognises "no changes" from the FAILED status and its reason, and deletes the change set', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(CreateChangeSetCommand).resolves({ Id: ARN });
    cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'FAILED',
      StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set.",
      Changes: [],
    });
    const result = await prepareChangeSet(await clients.cloudFormation(), input, { timing: fakeTiming(), interval: ZERO });
    expect(result).to.deep.equal({ kind: 'no-changes' });
    expect(cfn.commandCalls(DeleteChangeSetCommand).map((c) => c.args[0].input.ChangeSetName)).to.deep.equal([ARN]);
  });

  it('treats an empty change list that CloudFormation can execute as ready (outputs-only change)', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(CreateChangeSetCommand).resolves({ Id: ARN });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', Changes: [] });
    const result = await prepareChangeSet(await clients.cloudFormation(), input, { timing: fakeTiming(), interval: ZERO });
    expect(result.kind).to.equal('ready');
  });

  it('reports another failure with its reason and deletes the change set', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(CreateChangeSetCommand).resolves({ Id: ARN });
    cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'Template format error: Unresolved resource dependencies [Foo]' });
    const result = await prepareChangeSet(await clients.cloudFormation(), input, { timing: fakeTiming(), interval: ZERO });
    expect(result).to.deep.equal({ kind: 'failed', reason: 'Template format error: Unresolved resource dependencies [Foo]' });
    expect(cfn.commandCalls(DeleteChangeSetCommand)).to.have.length(1);
  });
});
