import { expect } from 'chai';
import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStackResourceCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeServicesCommand, DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DeleteObjectCommand, HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeployFailed, Interrupted, UserError } from '../../src/errors.js';
import { down, up, type ConvertedTemplate, type UpDeps } from '../../src/aws/deploy.js';
import type { ResolvedEnvironment } from '../../src/aws/environment.js';
import type { Template } from '../../src/cloudformation/template.js';
import {
  awsError,
  collect,
  event,
  eventHistory,
  fakeTiming,
  missingStack,
  mockedClients,
  SERVICE_ARN,
  STACK,
  STACK_ID,
  stackEvent,
  ZERO,
} from './helpers.js';

const TOKEN = 'docker-ecs-id1';
const CS_ARN = 'arn:aws:cloudformation:eu-west-1:123456789012:changeSet/docker-ecs-id1/abc';
const LB_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/demo/123';

const template = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' }, DbPasswordSecretValue: { Type: 'String', NoEcho: true } },
  Resources: {
    Cluster: { Type: 'AWS::ECS::Cluster' },
    LoadBalancer: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
    WebTCP80Listener: {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { Port: 80, Protocol: 'HTTP', LoadBalancerArn: { Ref: 'LoadBalancer' } },
    },
    WebTaskDefinition: { Type: 'AWS::ECS::TaskDefinition' },
    WebService: {
      Type: 'AWS::ECS::Service',
      Properties: {
        Tags: [
          { Key: 'com.docker.compose.project', Value: STACK },
          { Key: 'com.docker.compose.service', Value: 'web' },
        ],
      },
    },
  },
} as unknown as Template;

const environment: ResolvedEnvironment = {
  accountId: '123456789012',
  region: 'eu-west-1',
  vpcId: 'vpc-1',
  subnetIds: ['subnet-a', 'subnet-b'],
  subnetsByZone: { 'eu-west-1a': ['subnet-a'], 'eu-west-1b': ['subnet-b'] },
  retainedFileSystems: {},
};

function converted(body = JSON.stringify(template)): ConvertedTemplate {
  return { body, parameters: { VpcId: 'vpc-1' }, template };
}

function setup(over: Partial<UpDeps> = {}) {
  const m = mockedClients();
  const seen: ResolvedEnvironment[] = [];
  const deps: UpDeps = {
    clients: m.clients,
    convert: (env) => {
      seen.push(env);
      return converted();
    },
    resolveEnvironment: async () => environment,
    timing: fakeTiming(),
    interval: ZERO,
    busyInterval: ZERO,
    newId: () => 'id1',
    ...over,
  };
  m.cfn.on(DescribeStackResourceCommand, { LogicalResourceId: 'LoadBalancer' }).resolves({
    StackResourceDetail: { PhysicalResourceId: LB_ARN } as never,
  });
  m.elbv2.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: LB_ARN, DNSName: 'demo-123.eu-west-1.elb.amazonaws.com' }] });
  m.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceArn: SERVICE_ARN,
        serviceName: 'demo-WebService-abc',
        deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', desiredCount: 1, runningCount: 1, pendingCount: 0, failedTasks: 0, rolloutState: 'COMPLETED' }],
      },
    ],
  });
  return { ...m, deps, seen };
}

const T = { ClientRequestToken: TOKEN };
const WEB_SERVICE = { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', PhysicalResourceId: SERVICE_ARN, ...T };
const CIRCUIT_BREAKER = 'Resource handler returned message: "ECS Deployment Circuit Breaker was triggered"';
const createStages = [
  [stackEvent(1, 'CREATE_IN_PROGRESS', T), event(2, { LogicalResourceId: 'Cluster', ResourceType: 'AWS::ECS::Cluster', ...T })],
  [
    event(3, { LogicalResourceId: 'Cluster', ResourceType: 'AWS::ECS::Cluster', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: 'demo', ...T }),
    event(4, { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', ...T }),
    event(5, { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', PhysicalResourceId: SERVICE_ARN, ...T }),
  ],
  [
    event(6, { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: SERVICE_ARN, ...T }),
    stackEvent(7, 'CREATE_COMPLETE', T),
  ],
];

/** A stack of ours, as DescribeStacks describes it. */
function ours(status: string, stackId: string = STACK_ID): never {
  return { StackId: stackId, StackName: STACK, StackStatus: status, Tags: [{ Key: 'com.docker.compose.project', Value: STACK }] } as never;
}

/** Every call the mocks saw, by command name. */
function commandNames(...mocks: { calls(): { args: unknown[] }[] }[]): string[] {
  return mocks.flatMap((m) => m.calls().map((c) => (c.args[0] as object).constructor.name));
}

describe('up', () => {
  it('creates a new stack with CAPABILITY_IAM (no IAM resource is named) and the project tag, watches it and returns the endpoints', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    const c = collect();
    const result = await up({ project: STACK }, s.deps, c.sink);

    expect(result).to.deep.equal({ kind: 'succeeded', operation: 'create', endpoints: ['http://demo-123.eu-west-1.elb.amazonaws.com:80'] });
    const create = s.cfn.commandCalls(CreateStackCommand)[0]!.args[0].input;
    expect(create).to.deep.include({ StackName: STACK, ClientRequestToken: TOKEN, TemplateBody: JSON.stringify(template) });
    expect(create.Capabilities).to.deep.equal(['CAPABILITY_IAM']);
    expect(create.Tags).to.deep.equal([{ Key: 'com.docker.compose.project', Value: STACK }]);
    expect(s.seen).to.deep.equal([environment]);

    const resources = c.events.filter((e) => e.kind === 'resource');
    expect(resources.map((e) => e.kind === 'resource' && `${e.logicalId} ${e.status} ${e.service ?? '-'}`)).to.deep.equal([
      'Cluster CREATE_IN_PROGRESS -',
      'Cluster CREATE_COMPLETE -',
      'WebService CREATE_IN_PROGRESS web',
      'WebService CREATE_IN_PROGRESS web',
      'WebService CREATE_COMPLETE web',
    ]);
    expect(c.events.find((e) => e.kind === 'rollout')).to.deep.include({ service: 'web', desired: 1, running: 1, pending: 0 });
    expect(c.events.map((e) => e.seq)).to.deep.equal(c.events.map((_, i) => i + 1));
    expect(c.events.at(-1)).to.deep.include({ kind: 'finished', outcome: 'succeeded' });
    expect(c.events.find((e) => e.kind === 'operation-started')).to.deep.include({ operation: 'create', services: ['web'], expectedChanges: 5 });
  });

  it('reads the endpoints from the load balancer DNS output when the template has one, without asking ELB', async () => {
    const withOutput = { ...template, Outputs: { LoadBalancerDNSName: { Value: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] } } } } as unknown as Template;
    const s = setup({ convert: () => ({ body: JSON.stringify(withOutput), parameters: {}, template: withOutput }) });
    s.cfn.on(DescribeStacksCommand, { StackName: STACK }).rejects(missingStack());
    s.cfn.on(DescribeStacksCommand, { StackName: STACK_ID }).resolves({
      Stacks: [{ ...(ours('CREATE_COMPLETE') as object), Outputs: [{ OutputKey: 'LoadBalancerDNSName', OutputValue: 'out.elb.amazonaws.com' }] } as never],
    });
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    const result = await up({ project: STACK }, s.deps, collect().sink);
    expect(result).to.deep.include({ endpoints: ['http://out.elb.amazonaws.com:80'] });
    expect(s.elbv2.calls()).to.have.length(0);
  });

  it('updates an existing stack through a change set and follows only the events after it', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).resolves({ Stacks: [ours('CREATE_COMPLETE', STACK_ID)] });
    s.cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ARN, StackId: STACK_ID });
    s.cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      CreationTime: new Date(Date.parse('2026-01-01T10:00:09Z')),
      Changes: [{ ResourceChange: { Action: 'Modify', LogicalResourceId: 'WebTaskDefinition', ResourceType: 'AWS::ECS::TaskDefinition', Replacement: 'True' } }],
    });
    s.cfn.on(ExecuteChangeSetCommand).resolves({});
    const old = [stackEvent(1, 'CREATE_IN_PROGRESS'), stackEvent(8, 'CREATE_COMPLETE')];
    s.cfn.on(DescribeStackEventsCommand).callsFake(
      eventHistory(
        [
          [], // the boundary read before executing
          [stackEvent(10, 'UPDATE_IN_PROGRESS', T), event(11, { LogicalResourceId: 'WebTaskDefinition', ResourceType: 'AWS::ECS::TaskDefinition', ResourceStatus: 'UPDATE_COMPLETE', ...T })],
          [stackEvent(12, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', T), stackEvent(13, 'UPDATE_COMPLETE', T)],
        ],
        old,
      ),
    );
    const c = collect();
    const result = await up({ project: STACK }, s.deps, c.sink);
    expect(result).to.deep.include({ kind: 'succeeded', operation: 'update' });
    expect(s.cfn.commandCalls(ExecuteChangeSetCommand)[0]!.args[0].input).to.deep.equal({ ChangeSetName: CS_ARN, ClientRequestToken: TOKEN });
    expect(s.cfn.commandCalls(CreateStackCommand)).to.have.length(0);
    const stackStatuses = c.events.flatMap((e) => (e.kind === 'stack' ? [e.status] : []));
    expect(stackStatuses).to.deep.equal(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(c.events.find((e) => e.kind === 'operation-started')).to.deep.include({ operation: 'update', expectedChanges: 1 });
  });

  it('says the application is up to date when the change set has no changes, and exits without executing', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).resolves({ Stacks: [ours('UPDATE_COMPLETE', STACK_ID)] });
    s.cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ARN });
    s.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: "The submitted information didn't contain changes. Submit different information to create a change set." });
    const c = collect();
    const result = await up({ project: STACK }, s.deps, c.sink);
    expect(result).to.deep.equal({ kind: 'no-changes', endpoints: ['http://demo-123.eu-west-1.elb.amazonaws.com:80'] });
    expect(c.events.at(-1)).to.deep.include({ kind: 'finished', outcome: 'no-changes', message: 'The application is up to date.' });
    expect(s.cfn.commandCalls(ExecuteChangeSetCommand)).to.have.length(0);
    expect(s.cfn.commandCalls(DeleteChangeSetCommand)).to.have.length(1);
  });

  it('replaces a stack left in ROLLBACK_COMPLETE by a failed first create, after a notice', async () => {
    const s = setup();
    s.cfn
      .on(DescribeStacksCommand, { StackName: STACK })
      .resolves({ Stacks: [ours('ROLLBACK_COMPLETE', 'arn:old')] });
    s.cfn
      .on(DescribeStacksCommand, { StackName: 'arn:old' })
      .resolvesOnce({ Stacks: [ours('DELETE_IN_PROGRESS', 'arn:old')] })
      .resolves({ Stacks: [ours('DELETE_COMPLETE', 'arn:old')] });
    s.cfn.on(DeleteStackCommand).resolves({});
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    const c = collect();
    const result = await up({ project: STACK }, s.deps, c.sink);
    expect(result.kind).to.equal('succeeded');
    expect(s.cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input.StackName).to.equal('arn:old');
    expect(s.cfn.commandCalls(CreateStackCommand)).to.have.length(1);
    const notice = c.events.find((e) => e.kind === 'notice');
    expect(notice).to.deep.include({ level: 'warning' });
    expect(notice?.kind === 'notice' && notice.message).to.match(/ROLLBACK_COMPLETE.*deleting it and creating it again/);
  });

  it('waits with a message while the stack is busy in another operation', async () => {
    const s = setup();
    s.cfn
      .on(DescribeStacksCommand)
      .resolvesOnce({ Stacks: [ours('UPDATE_IN_PROGRESS', STACK_ID)] })
      .resolvesOnce({ Stacks: [ours('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', STACK_ID)] })
      .resolves({ Stacks: [ours('UPDATE_COMPLETE', STACK_ID)] });
    s.cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ARN });
    s.cfn.on(DescribeChangeSetCommand).resolves({ Status: 'FAILED', StatusReason: 'No updates are to be performed.' });
    const c = collect();
    const result = await up({ project: STACK }, s.deps, c.sink);
    expect(result.kind).to.equal('no-changes');
    const notices = c.events.filter((e) => e.kind === 'notice');
    expect(notices).to.have.length(1);
    expect(notices[0]).to.deep.include({ message: `Stack ${STACK} is busy (UPDATE_IN_PROGRESS); waiting for that operation to finish.` });
    expect(s.cfn.commandCalls(CreateChangeSetCommand)).to.have.length(1);
  });

  it('sends a template over 51,200 bytes through our S3 bucket and removes the object afterwards', async () => {
    const big = JSON.stringify({ ...template, Description: 'x'.repeat(52_000) });
    const s = setup({ convert: () => converted(big) });
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    s.s3.on(HeadBucketCommand).resolves({});
    s.s3.on(PutObjectCommand).resolves({});
    s.s3.on(DeleteObjectCommand).resolves({});
    await up({ project: STACK }, s.deps, collect().sink);
    const create = s.cfn.commandCalls(CreateStackCommand)[0]!.args[0].input;
    expect(create.TemplateBody).to.equal(undefined);
    expect(create.TemplateURL).to.equal('https://docker-ecs-templates-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com/demo/id1.json');
    expect(s.s3.commandCalls(PutObjectCommand)[0]!.args[0].input).to.deep.include({
      Bucket: 'docker-ecs-templates-123456789012-eu-west-1',
      Key: 'demo/id1.json',
      Body: big,
    });
    expect(s.s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).to.deep.include({ Key: 'demo/id1.json' });
  });

  it('names the first real failure as the root cause, with the stopped-task reason, and leaves the stack', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    const svc = { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', PhysicalResourceId: SERVICE_ARN, ...T };
    s.cfn.on(DescribeStackEventsCommand).callsFake(
      eventHistory([
        [stackEvent(1, 'CREATE_IN_PROGRESS', T), event(2, svc)],
        [
          event(3, { ...svc, ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Resource handler returned message: "ECS Deployment Circuit Breaker was triggered"' }),
          event(4, { LogicalResourceId: 'LoadBalancer', ResourceType: 'AWS::ElasticLoadBalancingV2::LoadBalancer', ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: 'Resource creation cancelled', ...T }),
          stackEvent(5, 'ROLLBACK_IN_PROGRESS', { ...T, ResourceStatusReason: 'The following resource(s) failed to create: [WebService, LoadBalancer].' }),
        ],
        [stackEvent(6, 'ROLLBACK_COMPLETE', T)],
      ]),
    );
    s.ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', desiredCount: 1, runningCount: 0, pendingCount: 0, failedTasks: 1 }] }],
    });
    s.ecs.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:eu-west-1:123456789012:task/demo/t1'] });
    s.ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: 'arn:aws:ecs:eu-west-1:123456789012:task/demo/t1',
          startedBy: 'ecs-svc/1',
          stoppedAt: new Date(Date.parse('2026-01-01T10:00:03Z')),
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'web', exitCode: 1 }],
        },
      ],
    });
    s.logs
      .on(GetLogEventsCommand, { logGroupName: '/docker-compose/demo', logStreamName: 'demo/web/t1' })
      .resolves({ events: [{ message: 'listening on :80' }, { message: 'Error: connect ECONNREFUSED 10.0.0.5:5432\n' }] });
    const c = collect();
    let error: unknown;
    await up({ project: STACK }, s.deps, c.sink).catch((e) => (error = e));
    expect(error).to.be.instanceOf(DeployFailed);
    expect((error as Error).message).to.match(/\nLast lines of the stopped task:\n  listening on :80\n  Error: connect ECONNREFUSED 10\.0\.0\.5:5432$/);
    expect(c.events.find((e) => e.kind === 'task-stopped')).to.deep.include({ lastLines: ['listening on :80', 'Error: connect ECONNREFUSED 10.0.0.5:5432'] });
    expect((error as DeployFailed).rootCause).to.equal(
      'WebService of service "web" (AWS::ECS::Service) failed: Resource handler returned message: "ECS Deployment Circuit Breaker was triggered". Last stopped task: Essential container in task exited; web exited with code 1.',
    );
    const finished = c.events.at(-1);
    expect(finished).to.deep.include({ kind: 'finished', outcome: 'failed' });
    expect(finished?.kind === 'finished' && finished.rootCause?.logicalId).to.equal('WebService');
    expect(c.events.find((e) => e.kind === 'task-stopped')).to.deep.include({ service: 'web', taskId: 't1' });
    expect(s.cfn.commandCalls(DeleteStackCommand)).to.have.length(0);
  });

  it('keeps the root cause it found when a later ECS lookup fails because the rollback deleted the cluster', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(
      eventHistory([
        [stackEvent(1, 'CREATE_IN_PROGRESS', T), event(2, WEB_SERVICE)],
        [
          event(3, { ...WEB_SERVICE, ResourceStatus: 'CREATE_FAILED', ResourceStatusReason: CIRCUIT_BREAKER }),
          stackEvent(4, 'ROLLBACK_IN_PROGRESS', { ...T, ResourceStatusReason: 'The following resource(s) failed to create: [WebService].' }),
        ],
        [event(5, { LogicalResourceId: 'Cluster', ResourceType: 'AWS::ECS::Cluster', ResourceStatus: 'DELETE_COMPLETE', ...T }), stackEvent(6, 'ROLLBACK_COMPLETE', T)],
      ]),
    );
    s.ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({
        services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', desiredCount: 1, runningCount: 0, pendingCount: 1, failedTasks: 0 }] }],
      })
      .rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    s.ecs.on(ListTasksCommand).rejects(awsError('ClusterNotFoundException', 'Cluster not found.'));
    const c = collect();
    const error = await up({ project: STACK }, s.deps, c.sink).catch((e) => e);
    expect(error).to.be.instanceOf(DeployFailed);
    expect((error as Error).message).to.match(/^Creation of stack demo failed \(ROLLBACK_COMPLETE\)\. WebService of service "web" \(AWS::ECS::Service\) failed: Resource handler returned message: "ECS Deployment Circuit Breaker was triggered"\./);
    expect((error as Error).message).to.not.contain('ClusterNotFound');
    expect(c.events.at(-1)).to.deep.include({ kind: 'finished', outcome: 'failed' });
    expect(s.ecs.commandCalls(ListTasksCommand)).to.have.length(1);
  });

  it('still fails with the lookup error when ECS fails before anything explains the stack', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    s.ecs.on(DescribeServicesCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform ecs:DescribeServices'));
    const error = await up({ project: STACK }, s.deps, collect().sink).catch((e) => e);
    expect(error).to.not.be.instanceOf(DeployFailed);
    expect((error as Error).message).to.contain('ecs:DescribeServices');
  });

  it('fails when ECS rolls the service back after CloudFormation reported success', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    s.ecs
      .on(DescribeServicesCommand)
      .resolvesOnce({
        services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', desiredCount: 1, runningCount: 0, pendingCount: 1, failedTasks: 0, rolloutState: 'IN_PROGRESS' }] }],
      })
      .resolves({
        services: [{ serviceArn: SERVICE_ARN, serviceName: 'demo-WebService-abc', deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', desiredCount: 1, runningCount: 0, pendingCount: 0, failedTasks: 0, rolloutState: 'FAILED' }] }],
      });
    const c = collect();
    const error = await up({ project: STACK }, s.deps, c.sink).catch((e) => e);
    expect(error).to.be.instanceOf(DeployFailed);
    expect((error as Error).message).to.match(/^The stack demo was deployed, but the rollout of "web" failed\./);
    expect(c.events.at(-1)).to.deep.include({ kind: 'finished', outcome: 'failed' });
  });

  it('on interrupt stops watching, says how to follow, and never deletes or cancels anything', async () => {
    const ac = new AbortController();
    const s = setup({ signal: ac.signal });
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    const c = collect();
    const sink = (e: Parameters<typeof c.sink>[0]): void => {
      c.sink(e);
      if (e.kind === 'resource') ac.abort();
    };
    let error: unknown;
    await up({ project: STACK }, s.deps, sink).catch((e) => (error = e));
    expect(error).to.be.instanceOf(Interrupted);
    const finished = c.events.at(-1);
    expect(finished).to.deep.include({ kind: 'finished', outcome: 'interrupted' });
    expect(finished?.kind === 'finished' && finished.message).to.match(/goes on in AWS/);
    expect(finished?.kind === 'finished' && finished.follow?.[0]).to.equal('docker ecs compose -p demo ps');
    const names = commandNames(s.cfn, s.ecs, s.s3, s.elbv2);
    expect(names.filter((n) => /^(Delete|Cancel|Rollback|Stop)/.test(n))).to.deep.equal([]);
    expect(s.cfn.commandCalls(CancelUpdateStackCommand)).to.have.length(0);
  });

  it('dry run: creates the change set, emits the plan and deletes the change set without executing', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).resolves({ Stacks: [ours('UPDATE_COMPLETE', STACK_ID)] });
    s.cfn.on(CreateChangeSetCommand).resolves({ Id: CS_ARN });
    s.cfn.on(DescribeChangeSetCommand).resolves({
      Status: 'CREATE_COMPLETE',
      ExecutionStatus: 'AVAILABLE',
      Changes: [{ ResourceChange: { Action: 'Add', LogicalResourceId: 'DbService', ResourceType: 'AWS::ECS::Service' } }],
    });
    const c = collect();
    const result = await up({ project: STACK, dryRun: true }, s.deps, c.sink);
    expect(result).to.deep.equal({ kind: 'dry-run', plan: [{ action: 'add', logicalId: 'DbService', resourceType: 'AWS::ECS::Service' }] });
    expect(s.cfn.commandCalls(DeleteChangeSetCommand).map((x) => x.args[0].input.ChangeSetName)).to.deep.equal([CS_ARN]);
    expect(s.cfn.commandCalls(ExecuteChangeSetCommand)).to.have.length(0);
    expect(c.kinds()).to.deep.equal(['plan', 'finished']);
  });

  it('dry run of a stack that does not exist plans every resource as added and calls nothing that changes AWS', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    const result = await up({ project: STACK, dryRun: true }, s.deps, collect().sink);
    expect(result.kind === 'dry-run' && result.plan.map((p) => `${p.action} ${p.logicalId}`)).to.deep.equal([
      'add Cluster',
      'add LoadBalancer',
      'add WebService',
      // by code unit, not locale: 'C' sorts before 'a'
      'add WebTCP80Listener',
      'add WebTaskDefinition',
    ]);
    expect(commandNames(s.cfn)).to.deep.equal(['DescribeStacksCommand']);
  });

  it('detached: returns once the operation started, with how to follow it', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    const c = collect();
    const result = await up({ project: STACK, detach: true }, s.deps, c.sink);
    expect(result.kind).to.equal('detached');
    expect(result.kind === 'detached' && result.follow[1]).to.equal('aws cloudformation describe-stack-events --stack-name demo --region eu-west-1');
    expect(s.cfn.commandCalls(DescribeStackEventsCommand)).to.have.length(0);
  });

  it('passes secret values as parameters without emitting them', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    s.cfn.on(CreateStackCommand).resolves({ StackId: STACK_ID });
    s.cfn.on(DescribeStackEventsCommand).callsFake(eventHistory(createStages));
    const c = collect();
    await up({ project: STACK, secretValues: { DbPasswordSecretValue: 's3cr3t-value', Undeclared: 'x' } }, s.deps, c.sink);
    expect(s.cfn.commandCalls(CreateStackCommand)[0]!.args[0].input.Parameters).to.deep.equal([
      { ParameterKey: 'DbPasswordSecretValue', ParameterValue: 's3cr3t-value' },
      { ParameterKey: 'VpcId', ParameterValue: 'vpc-1' },
    ]);
    expect(JSON.stringify(c.events)).not.to.include('s3cr3t-value');
  });

  it('refuses a stack stuck in UPDATE_ROLLBACK_FAILED with a way out', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).resolves({ Stacks: [ours('UPDATE_ROLLBACK_FAILED', STACK_ID)] });
    const error = await up({ project: STACK }, s.deps, collect().sink).catch((e) => e);
    expect(error).to.be.instanceOf(UserError);
    expect((error as UserError).display()).to.match(/continue-update-rollback/);
  });
});

describe('down', () => {
  it('says so and succeeds when the project has no stack', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    const c = collect();
    expect(await down({ project: STACK }, s.deps, c.sink)).to.deep.equal({ kind: 'not-found' });
    expect(c.events.at(-1)).to.deep.include({ kind: 'finished', outcome: 'no-changes' });
    expect(s.cfn.commandCalls(DeleteStackCommand)).to.have.length(0);
  });

  it('deletes the stack, watches it go and reports the EFS file systems it kept', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).resolves({ Stacks: [ours('UPDATE_COMPLETE', STACK_ID)] });
    s.cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify(template) });
    s.cfn.on(DeleteStackCommand).resolves({});
    s.cfn.on(DescribeStackEventsCommand).callsFake(
      eventHistory(
        [
          [],
          [stackEvent(10, 'DELETE_IN_PROGRESS', T), event(11, { LogicalResourceId: 'WebService', ResourceType: 'AWS::ECS::Service', ResourceStatus: 'DELETE_COMPLETE', ...T })],
          [
            event(12, { LogicalResourceId: 'DataFilesystem', ResourceType: 'AWS::EFS::FileSystem', ResourceStatus: 'DELETE_SKIPPED', PhysicalResourceId: 'fs-123', ...T }),
            stackEvent(13, 'DELETE_COMPLETE', T),
          ],
        ],
        [stackEvent(1, 'UPDATE_COMPLETE')],
      ),
    );
    const c = collect();
    const result = await down({ project: STACK }, s.deps, c.sink);
    expect(result).to.deep.equal({ kind: 'deleted', retained: [{ logicalId: 'DataFilesystem', resourceType: 'AWS::EFS::FileSystem', physicalId: 'fs-123' }] });
    expect(s.cfn.commandCalls(DeleteStackCommand)[0]!.args[0].input).to.deep.equal({ StackName: STACK_ID, ClientRequestToken: TOKEN });
    const finished = c.events.at(-1);
    expect(finished?.kind === 'finished' && finished.message).to.equal('Stack demo is deleted. Kept 1 EFS file system with your data: fs-123.');
    expect(c.events.find((e) => e.kind === 'resource' && e.logicalId === 'WebService')).to.deep.include({ service: 'web' });
  });
});

describe('a stack of the same name that is not ours', () => {
  it('is neither updated nor deleted', async () => {
    const s = setup();
    s.cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackId: STACK_ID, StackName: STACK, StackStatus: 'CREATE_COMPLETE', Tags: [] } as never] });
    const e1 = await up({ project: STACK }, s.deps, collect().sink).catch((x) => x);
    const e2 = await down({ project: STACK }, s.deps, collect().sink).catch((x) => x);
    for (const e of [e1, e2]) {
      expect(e).to.be.instanceOf(UserError);
      expect((e as Error).message).to.equal(
        'Stack demo exists in eu-west-1 but does not belong to compose project demo (it has no com.docker.compose.project=demo tag), so it is left alone.',
      );
    }
    expect(commandNames(s.cfn)).to.deep.equal(['DescribeStacksCommand', 'DescribeStacksCommand']);
  });
});

describe('AWS errors a user can fix', () => {
  it('become one sentence that says what to do', async () => {
    const { awsError } = await import('./helpers.js');
    const s = setup();
    s.cfn.on(DescribeStacksCommand).rejects(awsError('ExpiredToken', 'The security token included in the request is expired'));
    const e = await up({ project: STACK }, s.deps, collect().sink).catch((x) => x);
    expect(e).to.be.instanceOf(UserError);
    expect((e as UserError).display()).to.equal('The AWS session has expired. Refresh the credentials and run the command again.');

    s.cfn.on(DescribeStacksCommand).rejects(awsError('AccessDenied', 'User: arn:aws:iam::1:user/x is not authorized to perform: cloudformation:DescribeStacks'));
    const d = await down({ project: STACK }, s.deps, collect().sink).catch((x) => x);
    expect((d as UserError).message).to.equal('AWS denied a call: User: arn:aws:iam::1:user/x is not authorized to perform: cloudformation:DescribeStacks.');
  });

  it('shows the converter warnings as notices before anything starts', async () => {
    const s = setup({ convert: () => ({ ...converted(), warnings: ['services.web.privileged is ignored on Fargate.'] }) });
    s.cfn.on(DescribeStacksCommand).rejects(missingStack());
    const c = collect();
    await up({ project: STACK, dryRun: true }, s.deps, c.sink);
    expect(c.events[0]).to.deep.include({ kind: 'notice', level: 'warning', message: 'services.web.privileged is ignored on Fargate.' });
  });
});
