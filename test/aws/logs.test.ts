import { expect } from 'chai';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeLogGroupsCommand, FilterLogEventsCommand, StartLiveTailCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import type { LogEvent } from '../../src/aws/log-events.js';
import { projectLogServices, readLogs, POLL_OVERLAP_MS, type LogsOptions } from '../../src/aws/logs.js';
import { UserError } from '../../src/errors.js';
import { awsError, fakeTiming, missingStack, mockedClients, T0, throttled } from './helpers.js';

const GROUP = '/docker-compose/demo';
const GROUP_ARN = 'arn:aws:logs:eu-west-1:123456789012:log-group:/docker-compose/demo';

/** A stored log event `s` seconds after T0, ingested 100 ms later. */
function ev(service: string, s: number, message: string, task = 'task1'): FilteredLogEvent {
  return { logStreamName: `demo/${service}/${task}`, timestamp: T0 + s * 1000, ingestionTime: T0 + s * 1000 + 100, message, eventId: `${service}-${task}-${s}-${message}` };
}

/** FilterLogEvents over a fixed store, as AWS answers it: prefix and time filters, ascending, `pageSize` per page. */
function store(events: FilteredLogEvent[], pageSize = 1000) {
  return (input: { logStreamNamePrefix?: string; startTime?: number; endTime?: number; nextToken?: string }) => {
    const matching = events
      .filter((e) => e.logStreamName!.startsWith(input.logStreamNamePrefix ?? ''))
      .filter((e) => (input.startTime === undefined || e.timestamp! >= input.startTime) && (input.endTime === undefined || e.timestamp! <= input.endTime))
      .sort((a, b) => a.timestamp! - b.timestamp!);
    const start = Number(input.nextToken ?? 0);
    const next = start + pageSize;
    return { events: matching.slice(start, next), nextToken: next < matching.length ? String(next) : undefined };
  };
}

async function setup() {
  const m = mockedClients();
  const logs = mockClient(await m.clients.logs());
  return { ...m, logs };
}

function options(over: Partial<LogsOptions> = {}): LogsOptions {
  return { project: 'demo', services: [], follow: false, signal: new AbortController().signal, timing: fakeTiming(T0 + 3_600_000), ...over };
}

function collector() {
  const got: LogEvent[] = [];
  return { got, sink: (events: LogEvent[]) => void got.push(...events), messages: () => got.map((e) => e.message) };
}

const filterInputs = (logs: { commandCalls(c: unknown): unknown[] }) =>
  (logs.commandCalls(FilterLogEventsCommand) as { args: [{ input: { logStreamNamePrefix?: string; startTime?: number; endTime?: number; nextToken?: string } }] }[]).map((c) => c.args[0].input);

/** An event stream as the SDK hands Live Tail over: sessionStart, then the given items, then it stays open. */
async function* liveStream(items: Record<string, unknown>[], hold: Promise<void> = new Promise(() => {})): AsyncGenerator<Record<string, unknown>> {
  yield { sessionStart: { sessionId: 's1', logGroupIdentifiers: [GROUP_ARN] } };
  for (const i of items) yield i;
  await hold;
}
const update = (...events: FilteredLogEvent[]) => ({ sessionUpdate: { sessionMetadata: { sampled: false }, sessionResults: events.map(({ eventId: _id, ...rest }) => ({ ...rest, logGroupIdentifier: GROUP_ARN })) } });

describe('logs history', () => {
  it('reads the whole project with one stream prefix and follows every token, empty pages included', async () => {
    const { clients, logs } = await setup();
    const events = [ev('web', 1, 'a'), ev('api', 2, 'b'), ev('web', 3, 'c')];
    let call = 0;
    logs.on(FilterLogEventsCommand).callsFake((input) => {
      call++;
      if (call === 1) return { events: [events[0]], nextToken: 't1' };
      if (call === 2) return { events: [], nextToken: 't2' };
      return { events: events.slice(1) };
    });
    const c = collector();
    await readLogs(clients, options(), c.sink);
    expect(filterInputs(logs).map((i) => [i.logStreamNamePrefix, i.nextToken])).to.deep.equal([
      ['demo/', undefined],
      ['demo/', 't1'],
      ['demo/', 't2'],
    ]);
    expect(c.messages()).to.deep.equal(['a', 'b', 'c']);
    expect(c.got.map((e) => e.service)).to.deep.equal(['web', 'api', 'web']);
  });

  it('prints the lines of a service\'s init containers (secrets, volume storage) under the compose service', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).callsFake(store([ev('Webfront_Secrets_InitContainer', 1, 'wrote /run/secrets'), ev('web-front', 2, 'listening'), ev('Db_Storage_InitContainer', 3, 'chown done')]));
    const c = collector();
    await readLogs(clients, options({ known: ['db', 'web.front'] }), c.sink);
    expect(c.got.map((e) => `${e.service} ${e.message}`)).to.deep.equal(['web.front wrote /run/secrets', 'web.front listening', 'db chown done']);
  });

  it('reads each named service through its own stream prefix and merges them by time', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).callsFake(store([ev('web', 1, 'w1'), ev('api', 2, 'a2'), ev('web', 3, 'w3'), ev('api', 4, 'a4'), ev('db', 5, 'd5')], 1));
    const c = collector();
    await readLogs(clients, options({ services: ['web', 'api'] }), c.sink);
    expect(new Set(filterInputs(logs).map((i) => i.logStreamNamePrefix))).to.deep.equal(new Set(['demo/api/', 'demo/web/']));
    expect(c.messages()).to.deep.equal(['w1', 'a2', 'w3', 'a4']);
  });

  it('passes --since as the start time', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).callsFake(store([ev('web', 1, 'old'), ev('web', 100, 'new')]));
    const c = collector();
    await readLogs(clients, options({ since: T0 + 50_000 }), c.sink);
    expect(filterInputs(logs)[0]!.startTime).to.equal(T0 + 50_000);
    expect(c.messages()).to.deep.equal(['new']);
  });

  it('keeps under 5 requests a second across pages, by the injected clock', async () => {
    const { clients, logs } = await setup();
    const timing = fakeTiming(T0 + 3_600_000);
    const at: number[] = [];
    const answer = store(Array.from({ length: 12 }, (_, i) => ev('web', i, `m${i}`)), 1);
    logs.on(FilterLogEventsCommand).callsFake((input) => {
      at.push(timing.now().getTime());
      return answer(input);
    });
    await readLogs(clients, options({ timing }), collector().sink);
    expect(at).to.have.length(12);
    for (let i = 5; i < at.length; i++) expect(at[i]! - at[i - 5]!).to.be.at.least(1000);
  });

  it('notes a missing log group instead of failing', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).rejects(awsError('ResourceNotFoundException', 'The specified log group does not exist.'));
    const result = await readLogs(clients, options(), collector().sink);
    expect(result.missingGroup).to.equal(true);
  });
});

describe('logs --tail', () => {
  const now = T0 + 3_600_000; // the fake clock

  it('returns the last N lines of each service, reading back in growing windows only as far as needed', async () => {
    const { clients, logs } = await setup();
    const events = [
      ev('web', 10, 'web-old'),
      ev('web', 3000, 'web-1'), // 600 s before now: second window
      ev('web', 3580, 'web-2'), // 20 s before now: first window
      ev('web', 3590, 'web-3'),
      ev('api', 100, 'api-old'),
      ev('api', 3200, 'api-1'),
      ev('api', 3300, 'api-2'),
    ];
    logs.on(FilterLogEventsCommand).callsFake(store(events));
    const c = collector();
    await readLogs(clients, options({ tail: 2, known: ['api', 'web'] }), c.sink);
    expect(c.messages()).to.deep.equal(['api-1', 'api-2', 'web-2', 'web-3']);
    const web = filterInputs(logs).filter((i) => i.logStreamNamePrefix === 'demo/web/');
    // 1 minute was enough for web
    expect(web.map((i) => [i.startTime, i.endTime])).to.deep.equal([[now - 60_000, undefined]]);
    const api = filterInputs(logs).filter((i) => i.logStreamNamePrefix === 'demo/api/');
    // windows touch but never overlap, and stop once two lines are found
    expect(api.map((i) => [i.startTime, i.endTime])).to.deep.equal([
      [now - 60_000, undefined],
      [now - 300_000, now - 60_001],
      [now - 1_800_000, now - 300_001],
    ]);
  });

  it('stops at --since and when the whole history has fewer lines than asked', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).callsFake(store([ev('web', 10, 'a'), ev('web', 20, 'b')]));
    const c = collector();
    await readLogs(clients, options({ tail: 5, known: ['web'], since: T0 }), c.sink);
    expect(c.messages()).to.deep.equal(['a', 'b']);
    const last = filterInputs(logs).at(-1)!;
    expect(last.startTime).to.equal(T0);
  });

  it('does not repeat lines when an endpoint ignores the window bounds', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).resolves({ events: [ev('web', 3590, 'only'), ev('web', 10, 'older')] });
    const c = collector();
    await readLogs(clients, options({ tail: 3, known: ['web'] }), c.sink);
    expect(c.messages()).to.deep.equal(['older', 'only']);
  });

  it('prints nothing of the history with --tail 0', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).callsFake(store([ev('web', 10, 'a')]));
    const c = collector();
    await readLogs(clients, options({ tail: 0, known: ['web'] }), c.sink);
    expect(c.got).to.have.length(0);
    expect(filterInputs(logs)).to.have.length(0);
  });
});

describe('logs services', () => {
  it('knows the project\'s services from its task definitions and refuses an unknown one', async () => {
    const m = mockedClients();
    m.cfn.on(ListStackResourcesCommand).resolves({
      StackResourceSummaries: ['web', 'api'].map((s) => ({
        LogicalResourceId: `${s}TaskDefinition`,
        PhysicalResourceId: `arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-${s}:4`,
        ResourceType: 'AWS::ECS::TaskDefinition',
        ResourceStatus: 'CREATE_COMPLETE',
        LastUpdatedTimestamp: new Date(),
      })),
    });
    expect(await projectLogServices(m.clients, 'demo', ['web'])).to.deep.equal(['api', 'web']);
    let error: unknown;
    try {
      await projectLogServices(m.clients, 'demo', ['wbe']);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(UserError);
    expect((error as Error).message).to.equal('no such service: wbe; project demo has api, web.');
  });

  it('reads logs of a project whose stack is gone without checking names', async () => {
    const m = mockedClients();
    m.cfn.on(ListStackResourcesCommand).rejects(missingStack());
    expect(await projectLogServices(m.clients, 'demo', ['web'])).to.equal(undefined);
  });
});

describe('logs -f', () => {
  it('opens Live Tail on the log group ARN before reading history, then prints live lines once', async () => {
    const { clients, logs } = await setup();
    const timing = fakeTiming(T0 + 3_600_000);
    const order: string[] = [];
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, arn: `${GROUP_ARN}:*` }] });
    // a line ingested just after the session opened: in the history and in the first update
    const overlap = { ...ev('web', 3600, 'both'), ingestionTime: T0 + 3_600_000 };
    logs.on(StartLiveTailCommand).callsFake(() => {
      order.push('live');
      return { responseStream: liveStream([update(overlap, ev('web', 3601, 'live-1')), update(ev('api', 3602, 'live-2'))]) };
    });
    logs.on(FilterLogEventsCommand).callsFake((input) => {
      order.push('history');
      return store([ev('web', 3000, 'history-1'), overlap])(input);
    });
    const controller = new AbortController();
    const c = collector();
    await readLogs(clients, options({ follow: true, timing, signal: controller.signal }), (events) => {
      c.sink(events);
      if (c.got.some((e) => e.message === 'live-2')) controller.abort();
    });
    expect(order).to.deep.equal(['live', 'history']);
    const request = logs.commandCalls(StartLiveTailCommand)[0]!.args[0].input;
    expect(request).to.deep.equal({ logGroupIdentifiers: [GROUP_ARN], logStreamNamePrefixes: ['demo/'] });
    expect(c.messages()).to.deep.equal(['history-1', 'both', 'live-1', 'live-2']);
  });

  it('tails only the named services\' stream prefixes', async () => {
    const { clients, logs } = await setup();
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, logGroupArn: GROUP_ARN }] });
    logs.on(StartLiveTailCommand).callsFake(() => ({ responseStream: liveStream([update(ev('web', 3601, 'w'), ev('db', 3601, 'd'), ev('api', 3602, 'a'))]) }));
    logs.on(FilterLogEventsCommand).callsFake(store([]));
    const controller = new AbortController();
    const c = collector();
    await readLogs(clients, options({ follow: true, services: ['web', 'api'], signal: controller.signal }), (events) => {
      c.sink(events);
      controller.abort();
    });
    expect(logs.commandCalls(StartLiveTailCommand)[0]!.args[0].input.logStreamNamePrefixes).to.deep.equal(['demo/api/', 'demo/web/']);
    expect(c.messages()).to.deep.equal(['w', 'a']);
  });

  it('returns normally when Ctrl-C aborts a quiet session', async () => {
    const { clients, logs } = await setup();
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, logGroupArn: GROUP_ARN }] });
    logs.on(StartLiveTailCommand).callsFake(() => ({ responseStream: liveStream([]) }));
    logs.on(FilterLogEventsCommand).callsFake(store([]));
    const controller = new AbortController();
    const done = readLogs(clients, options({ follow: true, signal: controller.signal }), () => {});
    setImmediate(() => controller.abort());
    const result = await done;
    expect(result.missingGroup).to.equal(false);
  });

  it('falls back to polling FilterLogEvents when Live Tail is denied, overlapping and skipping seen event IDs', async () => {
    const { clients, logs } = await setup();
    const timing = fakeTiming(T0 + 3_600_000);
    const notices: string[] = [];
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, logGroupArn: GROUP_ARN }] });
    logs.on(StartLiveTailCommand).rejects(awsError('AccessDeniedException', 'not authorized to perform: logs:StartLiveTail'));
    const stored = [ev('web', 3590, 'h1')];
    const answer = store(stored);
    let polls = 0;
    logs.on(FilterLogEventsCommand).callsFake((input) => {
      if (input.startTime !== undefined) {
        polls++;
        if (polls === 1) stored.push(ev('web', 3595, 'p1'));
        if (polls === 2) stored.push(ev('api', 3594, 'late'), ev('web', 3599, 'p2'));
      }
      return answer(input);
    });
    const controller = new AbortController();
    const c = collector();
    await readLogs(clients, options({ follow: true, timing, signal: controller.signal, notice: (n) => notices.push(n) }), (events) => {
      c.sink(events);
      if (c.got.some((e) => e.message === 'p2')) controller.abort();
    });
    expect(notices[0]).to.match(/^Live Tail is unavailable \(AccessDeniedException: not authorized/);
    expect(c.messages()).to.deep.equal(['h1', 'p1', 'late', 'p2']);
    const polled = filterInputs(logs).filter((i) => i.startTime !== undefined);
    expect(polled[0]!.startTime).to.equal(T0 + 3_590_000 - POLL_OVERLAP_MS);
    expect(polled[1]!.startTime).to.equal(T0 + 3_595_000 - POLL_OVERLAP_MS);
    expect(polled.every((i) => i.logStreamNamePrefix === 'demo/')).to.equal(true);
    // every wait between polls is at least 2 s: one project never takes more than its share
    expect(timing.sleeps.filter((ms) => ms >= 2000).length).to.be.at.least(2);
  });

  it('backs off when polling is throttled, then carries on', async () => {
    const { clients, logs } = await setup();
    const timing = fakeTiming(T0 + 3_600_000);
    let calls = 0;
    logs.on(FilterLogEventsCommand).callsFake(() => {
      calls++;
      if (calls === 2) throw throttled();
      return { events: calls === 3 ? [ev('web', 3601, 'after')] : [] };
    });
    const controller = new AbortController();
    const c = collector();
    await readLogs(clients, options({ follow: true, liveTail: false, timing, signal: controller.signal }), (events) => {
      c.sink(events);
      controller.abort();
    });
    expect(c.messages()).to.deep.equal(['after']);
    const pollSleeps = timing.sleeps.filter((ms) => ms >= 2000);
    expect(pollSleeps[1]!).to.be.greaterThan(pollSleeps[0]!);
  });

  it('reconnects when the three-hour session ends and prints the lines of the gap once', async () => {
    const { clients, logs } = await setup();
    const timing = fakeTiming(T0 + 3_600_000);
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, logGroupArn: GROUP_ARN }] });
    let sessions = 0;
    logs.on(StartLiveTailCommand).callsFake(() => {
      sessions++;
      if (sessions === 1) return { responseStream: liveStream([update(ev('web', 3601, 'first')), { SessionTimeoutException: { message: 'timed out' } }]) };
      return { responseStream: liveStream([update(ev('web', 3605, 'second'))]) };
    });
    let history = true;
    logs.on(FilterLogEventsCommand).callsFake((input) => {
      if (history) {
        history = false;
        return { events: [] };
      }
      return store([ev('web', 3601, 'first'), ev('web', 3603, 'gap')])(input);
    });
    const controller = new AbortController();
    const c = collector();
    await readLogs(clients, options({ follow: true, timing, signal: controller.signal }), (events) => {
      c.sink(events);
      if (c.got.some((e) => e.message === 'second')) controller.abort();
    });
    expect(sessions).to.equal(2);
    expect(c.messages()).to.deep.equal(['first', 'gap', 'second']);
  });

  it('switches to polling when the live stream fails, without repeating what it printed', async () => {
    const { clients, logs } = await setup();
    const timing = fakeTiming(T0 + 3_600_000);
    const notices: string[] = [];
    logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [{ logGroupName: GROUP, logGroupArn: GROUP_ARN }] });
    logs.on(StartLiveTailCommand).callsFake(() => ({
      responseStream: liveStream([update(ev('web', 3601, 'live')), { SessionStreamingException: { message: 'boom' } }]),
    }));
    let history = true;
    logs.on(FilterLogEventsCommand).callsFake((input) => {
      if (history) {
        history = false;
        return { events: [] };
      }
      return store([ev('web', 3601, 'live'), ev('web', 3602, 'polled')])(input);
    });
    const controller = new AbortController();
    const c = collector();
    await readLogs(clients, options({ follow: true, timing, signal: controller.signal, notice: (n) => notices.push(n) }), (events) => {
      c.sink(events);
      if (c.got.some((e) => e.message === 'polled')) controller.abort();
    });
    expect(notices).to.deep.equal(['Live Tail stopped (SessionStreamingException: boom); polling for new lines instead.']);
    expect(c.messages()).to.deep.equal(['live', 'polled']);
  });
});

describe('logs --until', () => {
  it('passes --until as the end time of the history, and drops later lines an endpoint returns anyway', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).resolves({ events: [ev('web', 1, 'old'), ev('web', 100, 'new')] });
    const c = collector();
    await readLogs(clients, options({ until: T0 + 50_000 }), c.sink);
    expect(filterInputs(logs)[0]!.endTime).to.equal(T0 + 50_000);
    expect(c.messages()).to.deep.equal(['old']);
  });

  it('reads the last lines before --until with --tail', async () => {
    const { clients, logs } = await setup();
    logs.on(FilterLogEventsCommand).callsFake(store([ev('web', 10, 'a'), ev('web', 20, 'b'), ev('web', 30, 'c')]));
    const c = collector();
    await readLogs(clients, options({ tail: 1, known: ['web'], until: T0 + 25_000 }), c.sink);
    expect(c.messages()).to.deep.equal(['b']);
    expect(filterInputs(logs)[0]!.endTime).to.equal(T0 + 25_000);
  });
});
