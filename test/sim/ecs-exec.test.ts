import { CreateStackCommand, DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTasksCommand, ExecuteCommandCommand, ListTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { simulatorPerTest } from './simulator-per-test.js';
import { appTemplate, DEFAULT_SUBNETS } from './support.js';

const EXEC_POLICY = {
  PolicyName: 'exec',
  PolicyDocument: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' }],
  },
};

/** appTemplate's web service with a task role (with or without the ssmmessages actions) and EnableExecuteCommand. */
function execTemplate(o: { exec: boolean; role: 'none' | 'without-ssm' | 'with-ssm' }): string {
  const base = JSON.parse(appTemplate({ desired: 1 })) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
  const extra: Record<string, unknown> = {};
  if (o.role !== 'none') {
    extra.WebTaskRole = {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: ['sts:AssumeRole'] }] },
        ...(o.role === 'with-ssm' ? { Policies: [EXEC_POLICY] } : {}),
      },
    };
    extra.WebTaskDefinition = { Type: 'AWS::ECS::TaskDefinition', Properties: { ...base.Resources.WebTaskDefinition!.Properties, TaskRoleArn: { 'Fn::GetAtt': ['WebTaskRole', 'Arn'] } } };
  }
  extra.WebService = { Type: 'AWS::ECS::Service', DependsOn: ['WebListener'], Properties: { ...base.Resources.WebService!.Properties, EnableExecuteCommand: o.exec } };
  return appTemplate({ desired: 1, extra });
}

describe('simulator: ECS Exec (ExecuteCommand) and the task fields it needs', function () {
  const fixture = simulatorPerTest({ maxAttempts: 1 });
  const run = (ms: number): void => fixture.run(ms, 500);
  const webTask = async () => {
    const arns = (await fixture.aws.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web' }))).taskArns!;
    return (await fixture.aws.ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: arns }))).tasks![0]!;
  };
  const exec = (task: string, extra: { container?: string; interactive?: boolean } = {}) =>
    fixture.aws.ecs.send(new ExecuteCommandCommand({ cluster: 'demo', task, container: extra.container ?? 'web', command: 'sh', interactive: extra.interactive ?? true }));
  const refusal = (p: Promise<unknown>) => p.then(() => ({ name: 'none', message: '' }), (e: Error) => ({ name: e.name, message: e.message }));

  it('opens a session in a running task of a service with ECS Exec and the ssmmessages permissions; the task shows the agent and the runtime id', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: execTemplate({ exec: true, role: 'with-ssm' }), Capabilities: ['CAPABILITY_IAM'] }));
    run(60_000);
    const svc = (await fixture.aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services![0]!;
    expect(svc.enableExecuteCommand).to.equal(true);
    const task = await webTask();
    expect(task.enableExecuteCommand).to.equal(true);
    const c = task.containers!.find((x) => x.name === 'web')!;
    expect(c.runtimeId).to.match(/^[0-9a-f]{32}-\d{10}$/);
    expect(c.managedAgents).to.deep.equal([{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING', lastStartedAt: c.managedAgents![0]!.lastStartedAt }]);
    const res = await exec(task.taskArn!);
    expect(res).to.deep.include({ clusterArn: task.clusterArn, taskArn: task.taskArn, containerName: 'web', containerArn: c.containerArn, interactive: true });
    expect(res.session!.sessionId).to.match(/^ecs-execute-command-[0-9a-f]{17}$/);
    expect(res.session!.streamUrl).to.equal(`wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/${res.session!.sessionId}?role=publish_subscribe&cell-number=AAEAAQ`);
    expect(res.session!.tokenValue!.length > 100).to.equal(true);
  });

  it('refuses as AWS does: exec not enabled, task not running, no such container, interactive false, task role without ssmmessages', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: execTemplate({ exec: false, role: 'none' }) }));
    run(60_000);
    const plain = await webTask();
    const notEnabled = await refusal(exec(plain.taskArn!));
    expect(notEnabled.name).to.equal('InvalidParameterException');
    expect(notEnabled.message).to.match(/^The execute command failed because execute command was not enabled when the task was run or the execute command agent isn.t running\./);
    expect((await refusal(exec(plain.taskArn!, { interactive: false }))).message).to.equal('Interactive is the only mode supported currently.');

    await fixture.restart();
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: execTemplate({ exec: true, role: 'without-ssm' }), Capabilities: ['CAPABILITY_IAM'] }));
    run(60_000);
    const task = await webTask();
    const unreachable = await refusal(exec(task.taskArn!));
    expect(unreachable).to.deep.equal({ name: 'TargetNotConnectedException', message: 'The execute command failed due to an internal error. Try again later.' });
    expect((await refusal(exec(task.taskArn!, { container: 'nope' }))).name).to.equal('InvalidParameterException');

    // a standalone task that has stopped
    const td = task.taskDefinitionArn!;
    const started = await fixture.aws.ecs.send(
      new RunTaskCommand({ cluster: 'demo', taskDefinition: td, launchType: 'FARGATE', enableExecuteCommand: true, networkConfiguration: { awsvpcConfiguration: { subnets: DEFAULT_SUBNETS.slice(0, 1) } } }),
    );
    run(30_000);
    const stopped = await refusal(exec(started.tasks![0]!.taskArn!));
    expect(stopped.name).to.equal('InvalidParameterException');
    expect(stopped.message).to.match(/execute command agent isn.t running/);
  });

  it('refuses a service with EnableExecuteCommand whose task definition has no task role, as CreateService does', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: execTemplate({ exec: true, role: 'none' }), OnFailure: 'DO_NOTHING' }));
    run(60_000);
    const events = (await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }))).StackEvents!;
    const failed = events.find((e) => e.LogicalResourceId === 'WebService' && e.ResourceStatus === 'CREATE_FAILED')!;
    expect(failed.ResourceStatusReason).to.match(/a valid taskRoleArn is not being used/);
  });
});
