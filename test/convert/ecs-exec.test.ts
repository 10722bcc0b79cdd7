import { expect } from 'chai';
import { EXEC_AGENT_ACTIONS } from '../../src/convert/ecs-exec.js';
import { convertYaml, props } from './helpers.js';

describe('convert: ECS Exec on every service', () => {
  const { template } = convertYaml(`
services:
  web: { image: nginx }
  worker: { image: example/worker, x-aws-policies: ["arn:aws:iam::aws:policy/AmazonSQSFullAccess"] }
`);

  it('deploys each ECS service with EnableExecuteCommand', () => {
    expect(props(template, 'WebService').EnableExecuteCommand).to.equal(true);
    expect(props(template, 'WorkerService').EnableExecuteCommand).to.equal(true);
  });

  it('gives a service without a role of its own the project\'s ExecTaskRole, which allows only the agent\'s four ssmmessages channel actions', () => {
    expect(props(template, 'WebTaskDefinition').TaskRoleArn).to.deep.equal({ 'Fn::GetAtt': ['ExecTaskRole', 'Arn'] });
    const role = props(template, 'ExecTaskRole');
    expect(role.Policies).to.deep.equal([{ PolicyName: 'EcsExecChannels', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [...EXEC_AGENT_ACTIONS], Resource: '*' }] } }]);
    expect(EXEC_AGENT_ACTIONS).to.deep.equal(['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']);
    expect(role).to.not.have.property('ManagedPolicyArns');
  });

  it('adds the agent\'s channel actions to a service\'s own task role', () => {
    expect(props(template, 'WorkerTaskDefinition').TaskRoleArn).to.deep.equal({ 'Fn::GetAtt': ['WorkerTaskRole', 'Arn'] });
    const names = (props(template, 'WorkerTaskRole').Policies as Array<{ PolicyName: string }>).map((p) => p.PolicyName);
    expect(names).to.deep.equal(['EcsExecChannels']);
  });

  it('makes no ExecTaskRole when every service has a role of its own', () => {
    const own = convertYaml('services: { web: { image: nginx, x-aws-policies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] } }').template;
    expect(own.Resources).to.not.have.property('ExecTaskRole');
  });
});
