import { execAgentPolicy } from '../../src/convert/ecs-exec.js';
import { expect } from 'chai';
import { convertYaml, props } from './helpers.js';
import { UserError } from '../../src/errors.js';

describe('convert: IAM roles', () => {
  it('gives every service an execution role for ECS tasks with the ECR and execution managed policies, in the stack partition', () => {
    const role = props(convertYaml('services: { web: { image: nginx } }').template, 'WebTaskExecutionRole');
    expect(role.AssumeRolePolicyDocument.Statement).to.deep.equal([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: ['sts:AssumeRole'] }]);
    expect(role.ManagedPolicyArns).to.deep.equal([
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy' },
    ]);
    expect(role.Tags).to.deep.equal([
      { Key: 'com.docker.compose.project', Value: 'app' },
      { Key: 'com.docker.compose.service', Value: 'web' },
    ]);
    expect(role).not.to.have.property('Policies');
  });

  it('lets the execution role read x-aws-pull_credentials and passes them to the container', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dockerhub-AbCdEf';
    const { template } = convertYaml(`services: { foo: { image: private/app, x-aws-pull_credentials: "${arn}" } }`);
    expect(props(template, 'FooTaskExecutionRole').Policies).to.deep.equal([
      {
        PolicyName: 'fooGrantAccessToSecrets',
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [arn] }] },
      },
    ]);
    expect(props(template, 'FooTaskDefinition').ContainerDefinitions[0].RepositoryCredentials).to.deep.equal({ CredentialsParameter: arn });
  });

  it('creates a task role from x-aws-role and x-aws-policies and hands it to the task', () => {
    const { template } = convertYaml(`
services:
  web:
    image: nginx
    x-aws-policies: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"]
    x-aws-role:
      Version: "2012-10-17"
      Statement: [{ Effect: Allow, Action: ["sqs:SendMessage"], Resource: "*" }]
`);
    const role = props(template, 'WebTaskRole');
    expect(role.ManagedPolicyArns).to.deep.equal(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    expect(role.Policies).to.deep.equal([
      { PolicyName: 'WebPolicy', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: '*' }] } },
      execAgentPolicy(),
    ]);
    expect(props(template, 'WebTaskDefinition').TaskRoleArn).to.deep.equal({ 'Fn::GetAtt': ['WebTaskRole', 'Arn'] });
  });

  it('refuses x-aws-policies that are not a list of ARNs', () => {
    expect(() => convertYaml('services: { web: { image: nginx, x-aws-policies: { a: 1 } } }')).to.throw(UserError, /services\.web\.x-aws-policies must be a list of strings/);
  });
});
