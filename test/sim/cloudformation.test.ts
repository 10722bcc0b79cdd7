import {
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  ListStackResourcesCommand,
  ListStacksCommand,
  ValidateTemplateCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { DescribeFileSystemsCommand } from '@aws-sdk/client-efs';
import { DescribeLoadBalancersCommand, DescribeListenersCommand, DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { expect } from 'chai';
import { ManualClock, startSimulator } from './server.js';
import { simulatorPerTest } from './simulator-per-test.js';
import { NO_CHANGES_REASON } from './engine/stacks.js';
import { appTemplate, clients } from './support.js';

describe('simulator: CloudFormation', function () {
  const fixture = simulatorPerTest();

  const status = async (name: string): Promise<string> => (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!.StackStatus!;
  const allEvents = async (name: string): Promise<StackEvent[]> => {
    const out: StackEvent[] = [];
    let token: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: name, NextToken: token }));
      out.push(...page.StackEvents!);
      token = page.NextToken;
      if (!token) break;
    }
    return out.reverse(); // oldest first
  };

  it('creates a stack in dependency order, with IN_PROGRESS / COMPLETE events and outputs', async () => {
    const { StackId } = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate(), Tags: [{ Key: 'com.docker.compose.project', Value: 'demo' }] }));
    expect(StackId).to.match(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/demo\/[0-9a-f-]{36}$/);
    expect(await status('demo')).to.equal('CREATE_IN_PROGRESS');
    fixture.run(120_000);
    const stack = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!;
    expect(stack.StackStatus).to.equal('CREATE_COMPLETE');
    expect(stack.Tags).to.deep.equal([{ Key: 'com.docker.compose.project', Value: 'demo' }]);
    expect(stack.Outputs![0]!.OutputValue).to.match(/^http:\/\/demo-LoadBalancer-[A-Z0-9]+-\d+\.us-east-1\.elb\.amazonaws\.com:80$/);
    expect(stack.CreationTime).to.be.instanceOf(Date);

    const events = await allEvents('demo');
    expect(events[0]).to.include({ LogicalResourceId: 'demo', ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' });
    expect(events.at(-1)).to.include({ LogicalResourceId: 'demo', ResourceStatus: 'CREATE_COMPLETE' });
    const idx = (id: string, st: string): number => events.findIndex((e) => e.LogicalResourceId === id && e.ResourceStatus === st);
    for (const id of ['Cluster', 'LogGroup', 'LoadBalancer', 'WebListener', 'WebTaskDefinition', 'WebService', 'DbVolume']) {
      expect(idx(id, 'CREATE_IN_PROGRESS'), id).to.be.greaterThan(0);
      expect(idx(id, 'CREATE_COMPLETE'), id).to.be.greaterThan(idx(id, 'CREATE_IN_PROGRESS'));
    }
    expect(idx('WebListener', 'CREATE_IN_PROGRESS')).to.be.greaterThan(idx('LoadBalancer', 'CREATE_COMPLETE'));
    expect(idx('WebService', 'CREATE_IN_PROGRESS')).to.be.greaterThan(idx('WebListener', 'CREATE_COMPLETE'));
    expect(events.some((e) => e.ResourceStatusReason === 'Resource creation Initiated')).to.equal(true);
    // As AWS: the first IN_PROGRESS has an empty physical id and the resolved properties.
    const first = events[idx('LogGroup', 'CREATE_IN_PROGRESS')]!;
    expect(first.PhysicalResourceId).to.equal('');
    expect(JSON.parse(first.ResourceProperties!)).to.deep.equal({ LogGroupName: '/docker-compose/demo' });
    for (let i = 1; i < events.length; i++) expect(events[i]!.Timestamp!.getTime()).to.be.at.least(events[i - 1]!.Timestamp!.getTime());

    const resources = (await fixture.aws.cfn.send(new DescribeStackResourcesCommand({ StackName: 'demo' }))).StackResources!;
    expect(resources.map((r) => r.ResourceStatus)).to.satisfy((s: string[]) => s.every((x) => x === 'CREATE_COMPLETE'));
    const lb = (await fixture.aws.elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers![0]!;
    expect(lb.DNSName).to.equal(stack.Outputs![0]!.OutputValue!.slice(7, -3));
    expect(lb.State?.Code).to.equal('active');
    const listeners = (await fixture.aws.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!;
    expect(listeners[0]).to.include({ Port: 80, Protocol: 'HTTP' });
    const tgs = (await fixture.aws.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).TargetGroups!;
    expect(tgs[0]!.TargetGroupArn).to.equal(listeners[0]!.DefaultActions![0]!.TargetGroupArn);
    const summaries = (await fixture.aws.cfn.send(new ListStackResourcesCommand({ StackName: 'demo' }))).StackResourceSummaries!;
    expect(summaries.find((r) => r.LogicalResourceId === 'LoadBalancer')!.PhysicalResourceId).to.equal(lb.LoadBalancerArn);
    const tpl = await fixture.aws.cfn.send(new GetTemplateCommand({ StackName: 'demo' }));
    expect(JSON.parse(tpl.TemplateBody!).Resources.Cluster.Type).to.equal('AWS::ECS::Cluster');
  });

  it('says "Stack with id X does not exist" as a ValidationError', async () => {
    const err = await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'nope' })).catch((e: Error) => e);
    expect(err).to.include({ name: 'ValidationError', message: 'Stack with id nope does not exist' });
    expect((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).to.equal(400);
  });

  it('pages DescribeStackEvents newest first with NextToken', async () => {
    fixture.sim.setScenario({ eventsPageSize: 5 });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() }));
    fixture.run(120_000);
    const first = await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }));
    expect(first.StackEvents).to.have.length(5);
    expect(first.StackEvents![0]).to.include({ LogicalResourceId: 'demo', ResourceStatus: 'CREATE_COMPLETE' });
    expect(first.NextToken).to.be.a('string');
    const second = await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo', NextToken: first.NextToken }));
    expect(second.StackEvents![0]!.Timestamp!.getTime()).to.be.at.most(first.StackEvents![4]!.Timestamp!.getTime());
    expect(second.StackEvents![0]!.EventId).to.not.equal(first.StackEvents![4]!.EventId);
  });

  it('creates through a CREATE change set, updates through an UPDATE change set with Add / Modify / Remove', async () => {
    const { Id, StackId } = await fixture.aws.cfn.send(
      new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: appTemplate(), ClientToken: 'tok-1' }),
    );
    expect(Id).to.match(/:changeSet\/c1\//);
    expect(await status('demo')).to.equal('REVIEW_IN_PROGRESS');
    // The same ClientToken is idempotent.
    const again = await fixture.aws.cfn.send(new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: appTemplate(), ClientToken: 'tok-1' }));
    expect(again.Id).to.equal(Id);
    fixture.run(3000);
    const cs = await fixture.aws.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(cs).to.include({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', StackId });
    expect(cs.Changes!.every((c) => c.ResourceChange!.Action === 'Add')).to.equal(true);
    await fixture.aws.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: 'c1', StackName: 'demo' }));
    fixture.run(120_000);
    expect(await status('demo')).to.equal('CREATE_COMPLETE');

    // Update: new image (task definition replaced), a new log group, the EFS volume removed (retained).
    const next = appTemplate({ image: 'nginx:1.28', drop: ['DbVolume'], extra: { Extra: { Type: 'AWS::Logs::LogGroup' } } });
    const u = await fixture.aws.cfn.send(new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'c2', ChangeSetType: 'UPDATE', TemplateBody: next }));
    fixture.run(3000);
    const ucs = await fixture.aws.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: u.Id }));
    expect(ucs.Status).to.equal('CREATE_COMPLETE');
    const byId = Object.fromEntries(ucs.Changes!.map((c) => [c.ResourceChange!.LogicalResourceId, c.ResourceChange!]));
    expect(byId.WebTaskDefinition).to.include({ Action: 'Modify', Replacement: 'True' });
    expect(byId.WebTaskDefinition!.Details![0]!.Target).to.include({ Name: 'ContainerDefinitions', RequiresRecreation: 'Always' });
    expect(byId.WebService).to.include({ Action: 'Modify', Replacement: 'False' });
    expect(byId.WebService!.Details![0]).to.include({ Evaluation: 'Dynamic', ChangeSource: 'ResourceReference', CausingEntity: 'WebTaskDefinition' });
    expect(byId.Extra).to.include({ Action: 'Add' });
    expect(byId.DbVolume).to.include({ Action: 'Remove', PolicyAction: 'Retain' });

    await fixture.aws.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: u.Id }));
    expect(await status('demo')).to.equal('UPDATE_IN_PROGRESS');
    fixture.run(120_000);
    expect(await status('demo')).to.equal('UPDATE_COMPLETE');
    const events = await allEvents('demo');
    const statuses = events.filter((e) => e.LogicalResourceId === 'demo').map((e) => e.ResourceStatus);
    expect(statuses.slice(-3)).to.deep.equal(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    const td = events.filter((e) => e.LogicalResourceId === 'WebTaskDefinition' && e.ResourceStatus?.startsWith('UPDATE'));
    expect(td[0]!.ResourceStatusReason).to.equal('Requested update requires the creation of a new physical resource; hence creating one.');
    expect(td.at(-1)!.PhysicalResourceId).to.match(/task-definition\/demo-web:2$/);
    // The old task definition is deleted in cleanup, after the stack's UPDATE_COMPLETE_CLEANUP_IN_PROGRESS.
    const cleanup = events.findIndex((e) => (e.ResourceStatus as string) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const oldDelete = events.findIndex((e) => e.LogicalResourceId === 'WebTaskDefinition' && e.ResourceStatus === 'DELETE_COMPLETE');
    expect(oldDelete).to.be.greaterThan(cleanup);
    expect(events[oldDelete]!.PhysicalResourceId).to.match(/demo-web:1$/);
    expect(events.find((e) => e.LogicalResourceId === 'DbVolume' && e.ResourceStatus === 'DELETE_SKIPPED')).to.not.equal(undefined);
  });

  it('fails a change set with no changes with the exact AWS reason', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() }));
    fixture.run(120_000);
    const { Id } = await fixture.aws.cfn.send(new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'same', TemplateBody: appTemplate() }));
    const pending = await fixture.aws.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(pending.Status).to.equal('CREATE_PENDING');
    fixture.run(3000);
    const cs = await fixture.aws.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(cs).to.include({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE' });
    expect(cs.StatusReason).to.equal("The submitted information didn't contain changes. Submit different information to create a change set.");
    expect(cs.StatusReason).to.equal(NO_CHANGES_REASON);
    const exec = await fixture.aws.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id })).catch((e: Error) => e);
    expect(exec).to.have.property('name', 'InvalidChangeSetStatusException');
    await fixture.aws.cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id }));
    const gone = await fixture.aws.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id })).catch((e: Error) => e);
    expect(gone).to.have.property('name', 'ChangeSetNotFoundException');
  });

  it('deletes in reverse order; a Retain resource gives DELETE_SKIPPED and its EFS file system is kept', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate(), Tags: [{ Key: 'com.docker.compose.project', Value: 'demo' }] }));
    fixture.run(120_000);
    const stackId = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackId!;
    await fixture.aws.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    expect(await status('demo')).to.equal('DELETE_IN_PROGRESS');
    fixture.run(120_000);
    const err = await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' })).catch((e: Error) => e);
    expect(err).to.have.property('message', 'Stack with id demo does not exist');
    const byId = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: stackId }))).Stacks![0]!;
    expect(byId.StackStatus).to.equal('DELETE_COMPLETE');
    const events = await allEvents(stackId);
    expect(events.find((e) => e.LogicalResourceId === 'DbVolume' && e.ResourceStatus === 'DELETE_SKIPPED')).to.not.equal(undefined);
    const idx = (id: string): number => events.findIndex((e) => e.LogicalResourceId === id && e.ResourceStatus === 'DELETE_COMPLETE');
    expect(idx('WebService')).to.be.lessThan(idx('WebTaskDefinition'));
    expect(idx('WebListener')).to.be.lessThan(idx('LoadBalancer'));
    expect(idx('WebService')).to.be.lessThan(idx('Cluster'));
    const fs = (await fixture.aws.efs.send(new DescribeFileSystemsCommand({}))).FileSystems!;
    expect(fs).to.have.length(1);
    expect(fs[0]!.Tags).to.deep.include({ Key: 'com.docker.compose.project', Value: 'demo' });
    expect(fs[0]!.Tags).to.deep.include({ Key: 'aws:cloudformation:logical-id', Value: 'DbVolume' });
    const listed = (await fixture.aws.cfn.send(new ListStacksCommand({ StackStatusFilter: ['DELETE_COMPLETE'] }))).StackSummaries!;
    expect(listed.map((s) => s.StackName)).to.deep.equal(['demo']);
  });

  it('rolls a failed create back with the reason, cancelling siblings in progress', async () => {
    fixture.sim.setScenario({ failResources: [{ logicalId: 'DefaultNetwork', reason: 'Resource handler returned message: "The security group name is taken"' }] });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() }));
    fixture.run(120_000);
    const stack = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!;
    expect(stack.StackStatus).to.equal('ROLLBACK_COMPLETE');
    const events = await allEvents('demo');
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED' && e.LogicalResourceId === 'DefaultNetwork')!;
    expect(failed.ResourceStatusReason).to.equal('Resource handler returned message: "The security group name is taken"');
    const cancelled = events.filter((e) => e.ResourceStatusReason === 'Resource creation cancelled');
    expect(cancelled.map((e) => e.LogicalResourceId)).to.include('DbVolume');
    expect(events.indexOf(cancelled[0]!)).to.be.greaterThan(events.indexOf(failed));
    // Everything created is deleted again (DbVolume is retained); what never started has no events.
    expect(events.some((e) => e.LogicalResourceId === 'WebService')).to.equal(false);
    expect(events.filter((e) => e.LogicalResourceId === 'DbVolume').map((e) => e.ResourceStatus)).to.deep.equal(['CREATE_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_FAILED', 'DELETE_SKIPPED']);
    const rb = events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!;
    expect(rb.ResourceStatusReason).to.match(/^The following resource\(s\) failed to create: \[DefaultNetwork(, \w+)*\]\. Rollback requested by user\.$/);
    expect(events.at(-1)).to.include({ LogicalResourceId: 'demo', ResourceStatus: 'ROLLBACK_COMPLETE' });
    // An update of a ROLLBACK_COMPLETE stack is refused as AWS does.
    const err = await fixture.aws.cfn.send(new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'x', TemplateBody: appTemplate() })).catch((e: Error) => e);
    expect(err).to.have.property('message', `Stack:${stack.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`);
  });

  it('rolls a failed update back to the previous template (UPDATE_ROLLBACK_COMPLETE)', async () => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() }));
    fixture.run(120_000);
    fixture.sim.setScenario({ failResources: [{ logicalId: 'WebListener', operation: 'update', reason: 'Listener port 81 is in use' }] });
    const next = appTemplate().replace('"Port":80,"Protocol":"HTTP","DefaultActions"', '"Port":81,"Protocol":"HTTP","DefaultActions"');
    const { Id } = await fixture.aws.cfn.send(new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'c', TemplateBody: next }));
    fixture.run(3000);
    await fixture.aws.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    fixture.run(120_000);
    expect(await status('demo')).to.equal('UPDATE_ROLLBACK_COMPLETE');
    const events = await allEvents('demo');
    const stackStatuses = events.filter((e) => e.LogicalResourceId === 'demo').map((e) => e.ResourceStatus);
    expect(stackStatuses.slice(-4)).to.deep.equal(['UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE']);
    expect(events.find((e) => e.ResourceStatus === 'UPDATE_FAILED')!.ResourceStatusReason).to.equal('Listener port 81 is in use');
    expect(events.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason).to.equal('The following resource(s) failed to update: [WebListener]. ');
    const tpl = await fixture.aws.cfn.send(new GetTemplateCommand({ StackName: 'demo' }));
    expect(tpl.TemplateBody).to.include('"Port":80');
  });

  it('reads a TemplateURL from its own S3 and parses YAML with long and short intrinsics', async () => {
    await fixture.aws.s3.send(new CreateBucketCommand({ Bucket: 'cf-templates' }));
    const yaml = [
      'Parameters:',
      '  Project: { Type: String, Default: demo }',
      'Resources:',
      '  Logs:',
      '    Type: AWS::Logs::LogGroup',
      '    Properties:',
      '      LogGroupName:',
      '        Fn::Sub: /docker-compose/${Project}',
      '  Cluster:',
      '    Type: AWS::ECS::Cluster',
      '    DependsOn: Logs',
      '    Properties:',
      '      ClusterName: !Ref Project',
      'Outputs:',
      '  LogGroupArn:',
      '    Value:',
      '      Fn::GetAtt: [Logs, Arn]',
      '  ClusterName:',
      '    Value: !Ref Cluster',
      '# ' + 'x'.repeat(60_000),
    ].join('\n');
    await fixture.aws.s3.send(new PutObjectCommand({ Bucket: 'cf-templates', Key: 'demo/template.yaml', Body: yaml }));
    const tooBig = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: yaml })).catch((e: Error) => e);
    expect(tooBig).to.have.property('name', 'ValidationError');
    const v = await fixture.aws.cfn.send(new ValidateTemplateCommand({ TemplateURL: `${fixture.sim.url}/cf-templates/demo/template.yaml` }));
    expect(v.Parameters![0]).to.include({ ParameterKey: 'Project', DefaultValue: 'demo' });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateURL: `https://cf-templates.s3.amazonaws.com/demo/template.yaml` }));
    fixture.run(30_000);
    const stack = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!;
    expect(stack.StackStatus).to.equal('CREATE_COMPLETE');
    expect(Object.fromEntries(stack.Outputs!.map((o) => [o.OutputKey, o.OutputValue]))).to.deep.equal({
      LogGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/docker-compose/demo:*',
      ClusterName: 'demo',
    });
    expect(stack.Parameters).to.deep.equal([{ ParameterKey: 'Project', ParameterValue: 'demo' }]);
  });

  it('plays the same timeline however time is advanced (deterministic for a scenario)', async () => {
    const timeline = async (step: number): Promise<string> => {
      const c = new ManualClock(Date.UTC(2026, 0, 1, 12));
      const s = await startSimulator({ clock: c, scenario: { taskCrashes: [{ kind: 'exit', count: 1 }] } });
      try {
        const cfn = clients(s.url).cfn;
        await cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() }));
        for (let t = 0; t < 120_000; t += step) {
          c.advance(step);
          s.state;
        }
        const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }))).StackEvents!;
        const tasks = [...s.state.tasks.values()].map((t) => [t.id, t.lastStatus, t.stoppedAt]);
        return JSON.stringify([events.map((e) => [e.EventId, e.Timestamp, e.PhysicalResourceId]), tasks]);
      } finally {
        await s.stop();
      }
    };
    const once = await timeline(120_000);
    expect(await timeline(1000)).to.equal(once);
    expect(await timeline(137)).to.equal(once);
  });

  it('rejects bad templates up front as CloudFormation does', async () => {
    const unresolved = JSON.stringify({ Resources: { A: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { Ref: 'Missing' } } } } });
    const e1 = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: unresolved })).catch((e: Error) => e);
    expect(e1).to.have.property('message', 'Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template');
    const cyclic = JSON.stringify({ Resources: { A: { Type: 'X::Y::Z', DependsOn: 'B' }, B: { Type: 'X::Y::Z', DependsOn: 'A' } } });
    const e2 = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: cyclic })).catch((e: Error) => e);
    expect((e2 as Error).message).to.match(/^Circular dependency between resources: \[/);
    const iam = JSON.stringify({ Resources: { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } } } });
    const e3 = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: iam })).catch((e: Error) => e);
    expect(e3).to.include({ name: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_IAM]' });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: iam, Capabilities: ['CAPABILITY_IAM'] }));
    const dup = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: iam, Capabilities: ['CAPABILITY_IAM'] })).catch((e: Error) => e);
    expect(dup).to.include({ name: 'AlreadyExistsException', message: 'Stack [s] already exists' });
  });
});
