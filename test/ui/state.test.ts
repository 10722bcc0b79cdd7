import { expect } from 'chai';
import { completedCount, initialState, reduce } from '../../src/ui/state.js';
import { at, ev, failingCreate } from './helpers.js';

const res = (n: number, status: string, state: 'in-progress' | 'complete' | 'failed') =>
  ev(n, { kind: 'resource', logicalId: 'Web', resourceType: 'AWS::ECS::Service', status, state, service: 'web', timestamp: at(n) });

describe('progress state', () => {
  it('groups resources under their compose service and keeps project resources apart', () => {
    const s = failingCreate().reduce(reduce, initialState);
    expect(s.services.map((b) => [b.name, b.resources.map((r) => r.logicalId)])).to.deep.equal([['web', ['WebTaskDefinition', 'WebService']]]);
    expect(s.project.map((r) => r.logicalId)).to.deep.equal(['Cluster']);
    expect(s.services[0]!.rollout).to.deep.equal({ desired: 2, running: 1, pending: 1, failed: 0, rolloutState: 'IN_PROGRESS' });
    expect(completedCount(s)).to.equal(2);
  });

  it('does not restart the stopwatch on a repeated IN_PROGRESS and stops it on a terminal status', () => {
    const s = [res(1, 'CREATE_IN_PROGRESS', 'in-progress'), res(3, 'CREATE_IN_PROGRESS', 'in-progress'), res(9, 'CREATE_COMPLETE', 'complete')].reduce(
      reduce,
      initialState,
    );
    expect(s.services[0]!.resources[0]).to.deep.include({ startedAt: at(1), endedAt: at(9), state: 'complete' });
  });

  it('starts and stops at once a resource first seen in a terminal state, and keeps a past failure', () => {
    const s = [res(5, 'UPDATE_FAILED', 'failed'), res(6, 'UPDATE_IN_PROGRESS', 'in-progress'), res(8, 'UPDATE_COMPLETE', 'complete')].reduce(
      reduce,
      initialState,
    );
    const row = s.services[0]!.resources[0]!;
    expect(row).to.deep.include({ startedAt: at(6), endedAt: at(8), hadFailure: true, state: 'complete' });
  });

  it('keeps only the latest two stopped tasks and three service events', () => {
    const events = [1, 2, 3].flatMap((n) => [
      ev(n, { kind: 'task-stopped', service: 'web', taskId: `t${n}`, reason: 'exited' }),
      ev(n, { kind: 'service-event', service: 'web', message: `m${n}`, timestamp: at(n) }),
      ev(n, { kind: 'service-event', service: 'web', message: `n${n}`, timestamp: at(n) }),
    ]);
    const s = events.reduce(reduce, initialState);
    expect(s.services[0]!.stoppedTasks.map((t) => t.taskId)).to.deep.equal(['t2', 't3']);
    expect(s.services[0]!.serviceEvents).to.deep.equal(['n2', 'm3', 'n3']);
  });

  it('does not mutate the state it is given', () => {
    const before = failingCreate().slice(0, 5).reduce(reduce, initialState);
    const snapshot = JSON.stringify(before);
    reduce(before, res(30, 'CREATE_COMPLETE', 'complete'));
    expect(JSON.stringify(before)).to.equal(snapshot);
  });
});
