/** Shared builders for the aws/ tests: an event(n) factory, a fake clock and mocked clients. */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import type { DeployEvent } from '../../src/aws/events.js';
import type { Timing } from '../../src/aws/timing.js';
import { awsClientsOf, sdkClients } from './sdk-clients.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const T0 = Date.parse('2026-01-01T10:00:00.000Z');
export const STACK = 'demo';
export const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/11111111-2222';
export const SERVICE_ARN = 'arn:aws:ecs:eu-west-1:123456789012:service/demo/demo-WebService-abc';

/** A stack event n seconds after T0. */
export function event(n: number, over: Partial<StackEvent> = {}): StackEvent {
  return {
    EventId: `e${n}`,
    StackId: STACK_ID,
    StackName: STACK,
    LogicalResourceId: 'LogGroup',
    ResourceType: 'AWS::Logs::LogGroup',
    ResourceStatus: 'CREATE_IN_PROGRESS',
    Timestamp: new Date(T0 + n * 1000),
    ...over,
  };
}

/** A stack-level event n seconds after T0. */
export function stackEvent(n: number, status: string, over: Partial<StackEvent> = {}): StackEvent {
  return event(n, {
    LogicalResourceId: STACK,
    ResourceType: 'AWS::CloudFormation::Stack',
    PhysicalResourceId: STACK_ID,
    ResourceStatus: status as never,
    ...over,
  });
}

/** A clock that only moves when slept on; records every wait. */
export function fakeTiming(start = T0): Timing & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
}

export const ZERO = { minMs: 0, maxMs: 0 };

export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

export const missingStack = (): Error => awsError('ValidationError', `Stack with id ${STACK} does not exist`);
export const throttled = (): Error => awsError('Throttling', 'Rate exceeded');

export function mockedClients() {
  const region = 'eu-west-1';
  const cfg = { region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const instances = sdkClients(cfg);
  const mocks = {
    acm: mockClient(instances.acm),
    cfn: mockClient(instances.cfn),
    ec2: mockClient(instances.ec2),
    ecs: mockClient(instances.ecs),
    ecr: mockClient(instances.ecr),
    efs: mockClient(instances.efs),
    elbv2: mockClient(instances.elbv2),
    s3: mockClient(instances.s3),
    sm: mockClient(instances.sm),
    sts: mockClient(instances.sts),
    logs: mockClient(instances.logs),
    route53: mockClient(instances.route53),
    sd: mockClient(instances.sd),
    asg: mockClient(instances.asg),
  };
  const clients = awsClientsOf(region, instances);
  return { clients, ...mocks };
}

/**
 * DescribeStackEvents as CloudFormation answers it: the whole history so far, newest first.
 * Each call reveals the next stage; after the last stage the history stays as it is.
 */
export function eventHistory(stages: StackEvent[][], before: StackEvent[] = []): () => { StackEvents: StackEvent[] } {
  let revealed = [...before];
  let i = 0;
  return () => {
    if (i < stages.length) revealed = [...revealed, ...stages[i++]!];
    return { StackEvents: [...revealed].reverse() };
  };
}

/** Collects events and checks they arrive in order. */
export function collect(): { events: DeployEvent[]; sink: (e: DeployEvent) => void; kinds(): string[] } {
  const events: DeployEvent[] = [];
  return {
    events,
    sink: (e) => {
      events.push(e);
    },
    kinds: () => events.map((e) => e.kind),
  };
}
