import { expect } from 'chai';
import React from 'react';
import { render } from 'ink-testing-library';
import { ProgressView, WIDTH } from '../../src/ui/tty/progress-view.js';
import { initialState, reduce, type ProgressState } from '../../src/ui/state.js';
import { ev, failingCreate, T0 } from './helpers.js';

const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');

function frame(state: ProgressState, nowSeconds: number, rows?: number): string {
  const r = render(<ProgressView state={state} now={new Date(T0 + nowSeconds * 1000)} {...(rows ? { rows } : {})} />);
  const out = stripAnsi(r.lastFrame() ?? '');
  r.unmount();
  return out;
}

// failingCreate() but its last event, at 30s: the rows of the WebService still in progress, which
// stay whole whether or not the finished rows around them are folded
const WEB_SERVICE_IN_PROGRESS = [
  '   ⠋ WebService                  ECS::Service        create in progress     19s',
  '     tasks 1/2 running, 1 pending, 0 failed · rollout in progress',
  '     task 6b1d6e32 stopped: Essential container in task exited; web exited with',
  '     code 1',
  '       │ connecting to db:5432',
  '       │ Error: connect ECONNREFUSED 10.0.0.5:5432',
  '       │ process exited with code 1',
];

describe('Ink progress view', () => {
  it('shows one block per compose service with its resources, rollout counts and stopped tasks, then the project resources', () => {
    const state = failingCreate().slice(0, -1).reduce(reduce, initialState);
    expect(frame(state, 30)).to.equal(
      [
        '⠋ Creating demo                 create in progress                  2/4    30s',
        ' web',
        '   ✔ WebTaskDefinition           ECS::TaskDefinition create complete         2s',
        ...WEB_SERVICE_IN_PROGRESS,
        ' project',
        '   ✔ Cluster                     ECS::Cluster        create complete         5s',
      ].join('\n'),
    );
  });

  it('marks a failed resource and shows the first sentence of its reason beneath it', () => {
    const state = failingCreate().reduce(reduce, initialState);
    const out = frame(state, 40);
    expect(out).to.include('   ✘ WebService                  ECS::Service        create failed          14s');
    expect(out).to.include('     ECS Deployment Circuit Breaker was triggered.\n');
    expect(out).not.to.include('Request ID');
  });

  it('fits 80 columns, truncating long logical IDs and types', () => {
    const state = [
      ev(0, { kind: 'operation-started', stack: 'a-very-long-project-name-that-goes-on-and-on', operation: 'update', services: [] }),
      ev(1, {
        kind: 'resource',
        logicalId: 'AVeryLongServiceNameTCP8080TargetGroupWithMore',
        resourceType: 'AWS::ApplicationAutoScaling::ScalableTarget',
        status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
        state: 'in-progress',
        timestamp: '',
      }),
      ev(2, { kind: 'notice', level: 'warning', message: 'x'.repeat(200) }),
    ].reduce(reduce, initialState);
    const out = frame(state, 4000);
    for (const line of out.split('\n')) expect(line.length, line).to.be.at.most(WIDTH);
    expect(out).to.include('1h06m');
  });

  it('folds finished rows into one line per block when the view would not fit the terminal', () => {
    const state = failingCreate().slice(0, -1).reduce(reduce, initialState);
    const out = frame(state, 30, 10);
    expect(out).to.equal(
      [
        '⠋ Creating demo                 create in progress                  2/4    30s',
        ' web',
        '   ✔ 1 resource done',
        ...WEB_SERVICE_IN_PROGRESS,
        ' project',
        '   ✔ 1 resource done',
      ].join('\n'),
    );
    expect(frame(state, 30, 40)).to.include('WebTaskDefinition');
  });

  it('says how to follow the deployment after an interrupt', () => {
    const state = [
      ...failingCreate().slice(0, 4),
      ev(9, {
        kind: 'finished',
        outcome: 'interrupted',
        stack: 'demo',
        message: 'Stopped watching. The create of stack demo goes on in AWS; nothing was cancelled or deleted.',
        follow: ['docker ecs compose -p demo ps'],
      }),
    ].reduce(reduce, initialState);
    const out = frame(state, 9);
    expect(out).to.include('Stopped watching. The create of stack demo goes on in AWS');
    expect(out).to.include('  docker ecs compose -p demo ps');
  });
});
