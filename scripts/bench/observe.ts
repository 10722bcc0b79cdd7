/**
 * Benchmark rows for `ps` and `logs`:
 * - `logs -f` rendering rate: 100,000 synthetic lines pushed through a (mocked) Live Tail session
 *   as AWS sends them (updates of 500), through readLogs, the colour/prefix/timestamp renderer and
 *   a writer that counts lines into a null sink; every line must arrive. Target: 10,000 lines/s.
 * - Calls `ps` makes on a 50-service project with 2 tasks each (mocked AWS clients), for the
 *   stack's own cluster and for an `x-aws-cluster` one. Target: at most 5 DescribeServices calls.
 *
 *   node --import tsx scripts/bench/observe.ts
 */
import { performance } from 'node:perf_hooks';
import { CloudFormationClient, ListStackResourcesCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, FilterLogEventsCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import type { AwsClients } from '../../src/aws/clients.js';
import { LogRenderer } from '../../src/ui/logs.js';
import { readLogs } from '../../src/aws/logs.js';
import { listProjectTasks } from '../../src/aws/ps.js';
import { realTiming } from '../../src/aws/timing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const cfg = { region: 'eu-west-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };

function clientsWith(parts: Partial<{ cfn: CloudFormationClient; ecs: ECSClient; elbv2: ElasticLoadBalancingV2Client; logs: CloudWatchLogsClient }>): AwsClients {
  const missing = async (): Promise<never> => {
    throw new Error('not used by this benchmark');
  };
  return {
    region: cfg.region,
    cloudFormation: async () => parts.cfn!,
    ecs: async () => parts.ecs!,
    elbv2: async () => parts.elbv2!,
    logs: async () => parts.logs!,
    ec2: missing,
    ecr: missing,
    efs: missing,
    s3: missing,
    secretsManager: missing,
    sts: missing,
    acm: missing,
    route53: missing,
    serviceDiscovery: missing,
    autoScaling: missing,
  };
}

async function renderingRate(total: number, perUpdate: number): Promise<{ rate: number; lines: number }> {
  const logs = new CloudWatchLogsClient(cfg);
  const mock = mockClient(logs);
  const services = ['api', 'web', 'worker', 'scheduler', 'db'];
  const t0 = Date.now();
  async function* stream(): AsyncGenerator<Record<string, unknown>> {
    yield { sessionStart: { sessionId: 'bench' } };
    for (let sent = 0; sent < total; sent += perUpdate) {
      const sessionResults = [];
      for (let i = sent; i < Math.min(total, sent + perUpdate); i++) {
        const s = services[i % services.length]!;
        sessionResults.push({
          logStreamName: `bench/${s}/${(i % 3).toString(16).padStart(32, 'a')}`,
          timestamp: t0 + i,
          ingestionTime: t0 + i + 50,
          message: `GET /api/items/${i} 200 ${i % 97}ms user-agent="Mozilla/5.0" request-id=${i.toString(36)}`,
        });
      }
      yield { sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults } };
    }
    await new Promise(() => {});
  }
  mock.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: '/docker-compose/bench', logGroupArn: 'arn:aws:logs:eu-west-1:1:log-group:/docker-compose/bench' }] });
  mock.on(StartLiveTailCommand).callsFake(() => ({ responseStream: stream() }));
  mock.on(FilterLogEventsCommand).resolves({ events: [] });

  const renderer = new LogRenderer({ color: true, prefix: true, timestamps: true, services });
  const controller = new AbortController();
  let lines = 0;
  let bytes = 0;
  const start = performance.now();
  await readLogs(
    clientsWith({ logs }),
    { project: 'bench', services: [], follow: true, tail: 0, signal: controller.signal, timing: realTiming },
    (events) => {
      const text = renderer.render(events);
      bytes += text.length; // the null sink
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
      if (lines >= total) controller.abort();
    },
  );
  const seconds = (performance.now() - start) / 1000;
  if (bytes === 0) throw new Error('nothing rendered');
  return { rate: lines / seconds, lines };
}

async function psCalls(services: number, tasksPerService: number, ownCluster: boolean): Promise<Record<string, number>> {
  const cfn = new CloudFormationClient(cfg);
  const ecs = new ECSClient(cfg);
  const elbv2 = new ElasticLoadBalancingV2Client(cfg);
  const cfnMock = mockClient(cfn);
  const ecsMock = mockClient(ecs);
  const elbMock = mockClient(elbv2);
  const cluster = ownCluster ? 'bench' : 'shared';
  const acct = 'arn:aws:ecs:eu-west-1:123456789012';
  const names = Array.from({ length: services }, (_, i) => `svc${i}`);
  const svcArn = (s: string) => `${acct}:service/${cluster}/bench-${s}`;
  const tg = (s: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${s}/1`;
  const lb = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/bench/1';
  const td = (s: string) => `${acct}:task-definition/bench-${s}:1`;
  const resources: StackResourceSummary[] = [];
  const now = new Date();
  if (ownCluster) resources.push({ LogicalResourceId: 'Cluster', PhysicalResourceId: cluster, ResourceType: 'AWS::ECS::Cluster', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: now });
  for (const s of names) {
    resources.push({ LogicalResourceId: `${s}Service`, PhysicalResourceId: svcArn(s), ResourceType: 'AWS::ECS::Service', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: now });
    resources.push({ LogicalResourceId: `${s}TCP80TargetGroup`, PhysicalResourceId: tg(s), ResourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: now });
    resources.push({ LogicalResourceId: `${s}TaskDefinition`, PhysicalResourceId: td(s), ResourceType: 'AWS::ECS::TaskDefinition', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: now });
  }
  const tasks = names.flatMap((s) => Array.from({ length: tasksPerService }, (_, i) => ({ arn: `${acct}:task/${cluster}/${s}t${i}`, group: `service:bench-${s}`, family: `bench-${s}` })));
  cfnMock.on(ListStackResourcesCommand).callsFake((input: { NextToken?: string }) => {
    const start = Number(input.NextToken ?? 0);
    return { StackResourceSummaries: resources.slice(start, start + 100), NextToken: start + 100 < resources.length ? String(start + 100) : undefined };
  });
  ecsMock.on(DescribeServicesCommand).callsFake((input: { services?: string[] }) => {
    if (input.services!.length > 10) throw new Error('DescribeServices takes at most 10 services');
    return {
      services: input.services!.map((arn) => {
        const s = names.find((n) => svcArn(n) === arn)!;
        return { serviceArn: arn, serviceName: `bench-${s}`, status: 'ACTIVE', taskDefinition: td(s), tags: [{ key: 'com.docker.compose.service', value: s }], loadBalancers: [{ targetGroupArn: tg(s), containerPort: 8000 }] };
      }),
    };
  });
  ecsMock.on(ListTasksCommand).callsFake((input: { serviceName?: string; family?: string; nextToken?: string }) => {
    const matching = tasks.filter((t) => (!input.serviceName || t.group === `service:${input.serviceName}`) && (!input.family || t.family === input.family));
    const start = Number(input.nextToken ?? 0);
    return { taskArns: matching.slice(start, start + 100).map((t) => t.arn), nextToken: start + 100 < matching.length ? String(start + 100) : undefined };
  });
  ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks?: string[] }) => {
    if (input.tasks!.length > 100) throw new Error('DescribeTasks takes at most 100 tasks');
    return {
      tasks: input.tasks!.map((arn) => {
        const t = tasks.find((x) => x.arn === arn)!;
        return { taskArn: arn, group: t.group, taskDefinitionArn: `${acct}:task-definition/${t.family}:1`, lastStatus: 'RUNNING', desiredStatus: 'RUNNING' };
      }),
    };
  });
  elbMock.on(DescribeTargetGroupsCommand).callsFake((input: { TargetGroupArns?: string[] }) => ({
    TargetGroups: input.TargetGroupArns!.map((a) => ({ TargetGroupArn: a, Port: 8000, Protocol: 'TCP', LoadBalancerArns: [lb] })),
  }));
  elbMock.on(DescribeLoadBalancersCommand).resolves({ LoadBalancers: [{ LoadBalancerArn: lb, DNSName: 'bench.elb.amazonaws.com' }] });
  elbMock.on(DescribeListenersCommand).resolves({ Listeners: names.map((s, i) => ({ Port: 8000 + i, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg(s) }] })) });

  const result = await listProjectTasks(clientsWith({ cfn, ecs, elbv2 }), { project: 'bench', all: false });
  if (result.rows.length !== services * tasksPerService) throw new Error(`ps found ${result.rows.length} tasks, expected ${services * tasksPerService}`);
  const counts: Record<string, number> = {
    ListStackResources: cfnMock.commandCalls(ListStackResourcesCommand).length,
    DescribeServices: ecsMock.commandCalls(DescribeServicesCommand).length,
    ListTasks: ecsMock.commandCalls(ListTasksCommand).length,
    DescribeTasks: ecsMock.commandCalls(DescribeTasksCommand).length,
    ELB: elbMock.calls().length,
  };
  counts.total = cfnMock.calls().length + ecsMock.calls().length + elbMock.calls().length;
  return counts;
}

const N = 100_000;
await renderingRate(10_000, 500); // warm-up
const rates: number[] = [];
for (let i = 0; i < 3; i++) {
  const r = await renderingRate(N, 500);
  if (r.lines !== N) throw new Error(`lost lines: ${r.lines} of ${N}`);
  rates.push(r.rate);
}
const rate = rates.sort((a, b) => a - b)[1]!;
const ok = (good: boolean) => (good ? 'ok' : 'OVER TARGET');
console.log(
  `${'logs -f rendering (Live Tail -> renderer -> null)'.padEnd(52)} ${Math.round(rate).toLocaleString('en-US').padStart(9)} lines/s   (target >= 10,000, ${ok(rate >= 10_000)})   ${N.toLocaleString('en-US')} lines, none lost, median of 3`,
);
for (const own of [true, false]) {
  const c = await psCalls(50, 2, own);
  const label = `ps calls, 50 services x 2 tasks (${own ? 'own cluster' : 'x-aws-cluster'})`;
  console.log(
    `${label.padEnd(52)} ${String(c.DescribeServices).padStart(9)} DescribeServices   (target <= 5, ${ok(c.DescribeServices! <= 5)})   DescribeTasks ${c.DescribeTasks}, ListTasks ${c.ListTasks}, ListStackResources ${c.ListStackResources}, ELB ${c.ELB}, total ${c.total}`,
  );
}
