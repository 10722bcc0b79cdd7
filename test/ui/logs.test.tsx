import { expect } from 'chai';
import React from 'react';
import { render } from 'ink-testing-library';
import type { DeployEvent } from '../../src/aws/events.js';
import { renderJson } from '../../src/ui/json.js';
import { renderPlain } from '../../src/ui/plain.js';
import { renderQuiet } from '../../src/ui/quiet.js';
import { initialState, MAX_LOG_LINES, reduce } from '../../src/ui/state.js';
import { ProgressView, WIDTH } from '../../src/ui/tty/progress-view.js';
import { at, ev, resetSeq, T0 } from './helpers.js';

const stripAnsi = (s: string): string => s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
const log = (n: number, taskId: string, message: string): DeployEvent =>
  ev(n, { kind: 'log', service: 'web', taskId, message, timestamp: at(n) });

function running(): DeployEvent[] {
  resetSeq();
  return [
    ev(0, { kind: 'operation-started', stack: 'demo', operation: 'create', services: ['web'], expectedChanges: 2 }),
    ev(1, { kind: 'resource', logicalId: 'WebService', resourceType: 'AWS::ECS::Service', status: 'CREATE_IN_PROGRESS', state: 'in-progress', service: 'web', timestamp: at(1) }),
    ev(5, { kind: 'rollout', service: 'web', desired: 1, running: 1, pending: 0, failed: 0, rolloutState: 'IN_PROGRESS' }),
    log(6, 'aaaaaaaa1111', 'booting'),
    log(7, 'aaaaaaaa1111', 'reading config from /etc/app.toml'),
    log(8, 'aaaaaaaa1111', `a very long line ${'x'.repeat(200)}`),
    log(9, 'aaaaaaaa1111', 'listening\ton :80 \u001b[32mok\u001b[0m'),
  ];
}

function frame(events: DeployEvent[], nowSeconds = 10): string {
  const state = events.reduce(reduce, initialState);
  const r = render(<ProgressView state={state} now={new Date(T0 + nowSeconds * 1000)} />);
  const out = stripAnsi(r.lastFrame() ?? '');
  r.unmount();
  return out;
}

describe('log lines in the up view', () => {
  it('keeps the newest lines of the service\'s new tasks beneath it', () => {
    const state = running().reduce(reduce, initialState);
    const web = state.services.find((s) => s.name === 'web')!;
    expect(web.logs).to.have.length(MAX_LOG_LINES);
    expect(web.logs![0]).to.deep.equal({ taskId: 'aaaaaaaa1111', message: 'reading config from /etc/app.toml' });
  });

  it('draws them under the service within 80 columns, long lines cut, tabs and colours removed', () => {
    const out = frame(running());
    const lines = out.split('\n');
    expect(lines.every((l) => l.length <= WIDTH)).to.equal(true);
    expect(out).to.contain('     aaaaaaaa › reading config from /etc/app.toml');
    expect(lines.find((l) => l.includes('a very long line'))).to.have.length.at.most(WIDTH);
    expect(lines.find((l) => l.includes('a very long line'))).to.match(/…$/);
    expect(out).to.contain('aaaaaaaa › listening  on :80 ok');
    // beneath the service: after its rollout line
    expect(lines.findIndex((l) => l.includes('booting') || l.includes('reading config'))).to.be.greaterThan(lines.findIndex((l) => l.includes('tasks 1/1 running')));
  });

  it('moves a stopped task\'s lines into its stopped record with the reason, when AWS gave none', () => {
    const events = [
      ...running(),
      log(9, 'bbbbbbbb2222', 'another task'),
      ev(10, { kind: 'task-stopped', service: 'web', taskId: 'aaaaaaaa1111', reason: 'Essential container in task exited; web exited with code 2' }),
      log(11, 'aaaaaaaa1111', 'a late line of the stopped task'),
    ];
    const state = events.reduce(reduce, initialState);
    const web = state.services.find((s) => s.name === 'web')!;
    expect(web.stoppedTasks[0]!.lastLines).to.deep.equal([`a very long line ${'x'.repeat(200)}`, 'listening\ton :80 \u001b[32mok\u001b[0m']);
    expect(web.logs).to.deep.equal([{ taskId: 'bbbbbbbb2222', message: 'another task' }]);
    const out = frame(events, 12);
    expect(out).to.contain('task aaaaaaaa stopped: Essential container in task exited; web exited with');
    expect(out).to.contain('│ listening  on :80 ok');
    expect(out).not.to.contain('late line');
  });

  it('keeps the lines AWS read for a stopped task over the live ones', () => {
    const events = [...running(), ev(10, { kind: 'task-stopped', service: 'web', taskId: 'aaaaaaaa1111', reason: 'exited', lastLines: ['from GetLogEvents'] })];
    const web = events.reduce(reduce, initialState).services[0]!;
    expect(web.stoppedTasks[0]!.lastLines).to.deep.equal(['from GetLogEvents']);
  });

  it('plain and json progress show every line as an event; quiet shows none', () => {
    const e = log(6, 'aaaaaaaa1111', 'booting');
    expect(renderPlain(e)).to.equal('10:00:06 web aaaaaaaa | booting');
    expect(JSON.parse(renderJson(e))).to.deep.equal({ v: 1, seq: e.seq, at: at(6), kind: 'log', service: 'web', taskId: 'aaaaaaaa1111', message: 'booting', timestamp: at(6) });
    expect(renderQuiet(e)).to.equal(undefined);
  });
});
