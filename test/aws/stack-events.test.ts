import { expect } from 'chai';
import { DescribeStackEventsCommand } from '@aws-sdk/client-cloudformation';
import { pollNewEvents, stackActivity } from '../../src/aws/stack-events.js';
import { event, eventHistory, fakeTiming, mockedClients, missingStack, stackEvent, STACK, STACK_ID, throttled, ZERO } from './helpers.js';

async function drain<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('stack events poller', () => {
  it('never requests a second page once the first page crosses a seen event', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(DescribeStackEventsCommand, { StackName: STACK_ID, NextToken: undefined }).resolves({
      StackEvents: [event(3), event(2), event(1)],
      NextToken: 'page2',
    });
    cfn.on(DescribeStackEventsCommand, { StackName: STACK_ID, NextToken: 'page2' }).resolves({ StackEvents: [event(0)] });
    const seen = new Set(['e2']);
    const fresh = await pollNewEvents(await clients.cloudFormation(), { stackId: STACK_ID, stackName: STACK }, seen);
    expect(fresh.map((e) => e.id)).to.deep.equal(['e3']);
    expect(cfn.commandCalls(DescribeStackEventsCommand)).to.have.length(1);
  });

  it('follows NextToken while every event on the page is new, and stops at the operation start', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(DescribeStackEventsCommand, { StackName: STACK_ID, NextToken: undefined }).resolves({
      StackEvents: [event(12), event(11)],
      NextToken: 'p2',
    });
    cfn.on(DescribeStackEventsCommand, { StackName: STACK_ID, NextToken: 'p2' }).resolves({
      StackEvents: [event(10), event(5)],
      NextToken: 'p3',
    });
    cfn.on(DescribeStackEventsCommand, { StackName: STACK_ID, NextToken: 'p3' }).resolves({ StackEvents: [event(4)] });
    const since = new Date(Date.parse('2026-01-01T10:00:08Z'));
    const fresh = await pollNewEvents(await clients.cloudFormation(), { stackId: STACK_ID, stackName: STACK, since }, new Set());
    expect(fresh.map((e) => e.id)).to.deep.equal(['e10', 'e11', 'e12']);
    expect(cfn.commandCalls(DescribeStackEventsCommand)).to.have.length(2);
  });

  it('stops at the boundary event and skips events of another operation by client token', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(DescribeStackEventsCommand).resolves({
      StackEvents: [
        event(4, { ClientRequestToken: 'ours' }),
        event(3, { ClientRequestToken: 'theirs' }),
        event(2, { ClientRequestToken: 'ours' }),
        event(1),
      ],
    });
    const fresh = await pollNewEvents(
      await clients.cloudFormation(),
      { stackId: STACK_ID, stackName: STACK, boundaryEventId: 'e1', clientToken: 'ours' },
      new Set(),
    );
    expect(fresh.map((e) => e.id)).to.deep.equal(['e2', 'e4']);
  });

  it('yields new events oldest first each poll and polls once more after the stack settles', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(DescribeStackEventsCommand).callsFake(
      eventHistory([
        [stackEvent(1, 'CREATE_IN_PROGRESS'), event(2)],
        [event(3, { ResourceStatus: 'CREATE_COMPLETE' }), stackEvent(4, 'CREATE_COMPLETE')],
        [],
      ]),
    );
    const batches = await drain(
      stackActivity(await clients.cloudFormation(), {
        stackId: STACK_ID,
        stackName: STACK,
        signal: new AbortController().signal,
        timing: fakeTiming(),
        interval: ZERO,
      }),
    );
    expect(batches.map((b) => b.map((e) => e.id))).to.deep.equal([['e1', 'e2'], ['e3', 'e4'], []]);
    expect(batches[1]![1]!.isStack).to.equal(true);
    expect(cfn.commandCalls(DescribeStackEventsCommand)).to.have.length(3);
  });

  it('backs off exponentially on throttling without surfacing the error', async () => {
    const { clients, cfn } = mockedClients();
    const history = eventHistory([[stackEvent(1, 'CREATE_IN_PROGRESS')], [stackEvent(2, 'CREATE_COMPLETE')]]);
    cfn
      .on(DescribeStackEventsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .callsFake(history);
    const timing = fakeTiming();
    const batches = await drain(
      stackActivity(await clients.cloudFormation(), {
        stackId: STACK_ID,
        stackName: STACK,
        signal: new AbortController().signal,
        timing,
        interval: { minMs: 1000, maxMs: 2000 },
      }),
    );
    expect(batches.flat().map((e) => e.status)).to.deep.equal(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    const [a, b, c] = timing.sleeps;
    expect(a).to.be.greaterThan(2000);
    expect(b).to.be.greaterThan(a!);
    expect(c).to.be.greaterThan(b!);
    // back to the normal 1-2 s interval after a successful poll
    expect(timing.sleeps[3]).to.be.within(1000, 2000);
  });

  it('treats a stack that no longer exists as the end of the events', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(DescribeStackEventsCommand).rejects(missingStack());
    const batches = await drain(
      stackActivity(await clients.cloudFormation(), {
        stackId: STACK_ID,
        stackName: STACK,
        signal: new AbortController().signal,
        timing: fakeTiming(),
        interval: ZERO,
      }),
    );
    expect(batches).to.deep.equal([]);
  });

  it('stops when the signal aborts', async () => {
    const { clients, cfn } = mockedClients();
    cfn.on(DescribeStackEventsCommand).callsFake(eventHistory([[stackEvent(1, 'UPDATE_IN_PROGRESS')]]));
    const ac = new AbortController();
    let polls = 0;
    for await (const _ of stackActivity(await clients.cloudFormation(), {
      stackId: STACK_ID,
      stackName: STACK,
      signal: ac.signal,
      timing: fakeTiming(),
      interval: ZERO,
    })) {
      if (++polls === 3) ac.abort();
    }
    expect(polls).to.equal(3);
  });
});
