import { expect } from 'chai';
import { plainRenderer, renderPlain } from '../../src/ui/plain.js';
import { renderJson } from '../../src/ui/json.js';
import { renderQuiet } from '../../src/ui/quiet.js';
import { formatPlan } from '../../src/ui/plan.js';
import { at, ev, failingCreate } from './helpers.js';

describe('plain renderer', () => {
  it('prints one timestamped line per change', () => {
    const lines = failingCreate().map(renderPlain).filter((l) => l !== undefined);
    expect(lines).to.deep.equal([
      '10:00:00 Creating stack demo (4 resources)',
      '10:00:01 demo                           CREATE_IN_PROGRESS     stack',
      '10:00:02 Cluster                        CREATE_IN_PROGRESS     AWS::ECS::Cluster',
      '10:00:07 Cluster                        CREATE_COMPLETE        AWS::ECS::Cluster',
      '10:00:08 WebTaskDefinition              CREATE_IN_PROGRESS     AWS::ECS::TaskDefinition  [web]',
      '10:00:10 WebTaskDefinition              CREATE_COMPLETE        AWS::ECS::TaskDefinition  [web]',
      '10:00:11 WebService                     CREATE_IN_PROGRESS     AWS::ECS::Service  [web]',
      '10:00:14 web: 1/2 running, 1 pending, 0 failed (rollout in progress)',
      [
        '10:00:20 web: task 6b1d6e32aa stopped: Essential container in task exited; web exited with code 1',
        '    | listening on :80',
        '    | connecting to db:5432',
        '    | Error: connect ECONNREFUSED 10.0.0.5:5432',
        '    | process exited with code 1',
      ].join('\n'),
      '10:00:25 WebService                     CREATE_FAILED          AWS::ECS::Service  [web]  ECS Deployment Circuit Breaker was triggered. (Service: Ecs, Status Code: 400, Request ID: 1)',
    ]);
  });

  it('leaves the failure summary to the error handler and prints how to follow after a detach', () => {
    expect(renderPlain(ev(1, { kind: 'finished', outcome: 'failed', stack: 'demo', message: 'Creation failed.' }))).to.equal(undefined);
    expect(
      renderPlain(ev(2, { kind: 'finished', outcome: 'detached', stack: 'demo', message: 'The create of stack demo goes on in AWS.', follow: ['a', 'b'] })),
    ).to.equal('10:00:02 The create of stack demo goes on in AWS.\n  a\n  b');
  });
});

describe('json renderer', () => {
  it('writes one versioned JSON object per event', () => {
    const e = failingCreate()[7]!;
    expect(renderJson(e)).to.equal(
      '{"v":1,"seq":8,"at":"2026-01-01T10:00:14.000Z","kind":"rollout","service":"web","desired":2,"running":1,"pending":1,"failed":0,"rolloutState":"IN_PROGRESS"}',
    );
    for (const line of failingCreate().map(renderJson)) expect(JSON.parse(line)).to.have.property('kind');
  });
});

describe('quiet renderer', () => {
  it('prints warnings, and the final sentence of down', () => {
    expect(failingCreate().map(renderQuiet).filter((l) => l !== undefined)).to.deep.equal([]);
    expect(renderQuiet(ev(1, { kind: 'notice', level: 'warning', message: 'Replacing the stack.' }))).to.equal('Warning: Replacing the stack.');
    expect(renderQuiet(ev(2, { kind: 'finished', outcome: 'succeeded', operation: 'delete', stack: 'demo', message: 'Stack demo is deleted. Kept 1 EFS file system with your data: fs-1.' }))).to.equal(
      'Stack demo is deleted. Kept 1 EFS file system with your data: fs-1.',
    );
    expect(renderQuiet(ev(3, { kind: 'finished', outcome: 'succeeded', operation: 'create', stack: 'demo', message: 'Stack demo is CREATE_COMPLETE.' }))).to.equal(undefined);
  });
});

describe('dry-run plan text', () => {
  it('lists adds, modifications with their replacement, and removals per logical ID with the type', () => {
    expect(
      formatPlan('demo', [
        { action: 'remove', logicalId: 'OldQueue', resourceType: 'AWS::SQS::Queue' },
        { action: 'modify', logicalId: 'WebTaskDefinition', resourceType: 'AWS::ECS::TaskDefinition', replacement: 'yes' },
        { action: 'add', logicalId: 'DbService', resourceType: 'AWS::ECS::Service' },
        { action: 'modify', logicalId: 'WebService', resourceType: 'AWS::ECS::Service', replacement: 'conditional' },
      ]),
    ).to.equal(
      [
        'Stack demo: 1 to add, 2 to modify, 1 to remove',
        '+ add    DbService          AWS::ECS::Service',
        '~ modify WebService         AWS::ECS::Service         replacement: conditional',
        '~ modify WebTaskDefinition  AWS::ECS::TaskDefinition  replacement: yes',
        '- remove OldQueue           AWS::SQS::Queue',
        '',
      ].join('\n'),
    );
    expect(formatPlan('demo', [])).to.equal('Stack demo: no changes.\n');
  });
});

describe('plain renderer: the end', () => {
  it('says how long a successful operation took', () => {
    expect(renderPlain(ev(3, { kind: 'finished', outcome: 'succeeded', stack: 'demo', message: 'Stack demo is CREATE_COMPLETE.', elapsedMs: 133_000 }))).to.equal(
      '10:00:03 Stack demo is CREATE_COMPLETE. (2m13s)',
    );
  });

  it('widens its columns for a long logical id or status, so the columns after it stay aligned', () => {
    const render = plainRenderer();
    const long = 'VeryLongServiceNameForTheBackendTCP8080TargetGroup';
    const res = (n: number, logicalId: string, status: string) =>
      ev(n, { kind: 'resource', logicalId, resourceType: 'AWS::ElasticLoadBalancingV2::TargetGroup', status, state: 'in-progress', timestamp: at(n) });
    const lines = [
      render(res(1, 'Cluster', 'CREATE_IN_PROGRESS')),
      render(res(2, long, 'CREATE_IN_PROGRESS')),
      render(res(3, 'Cluster', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS')),
      render(res(4, long, 'CREATE_COMPLETE')),
    ] as string[];
    // every line after the long id puts the status and the type where that line put them
    const statusAt = lines[1]!.indexOf('CREATE_IN_PROGRESS');
    expect(statusAt).to.equal(`10:00:02 ${long} `.length);
    expect(lines[2]!.indexOf('UPDATE_ROLLBACK')).to.equal(statusAt);
    expect(lines[3]!.indexOf('CREATE_COMPLETE')).to.equal(statusAt);
    expect(lines[3]!.indexOf('AWS::')).to.equal(lines[2]!.indexOf('AWS::'));
    expect(lines[3]!.indexOf('AWS::')).to.be.greaterThan(statusAt + 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS'.length);
    // each renderer has its own widths
    expect(plainRenderer()(res(5, 'Cluster', 'CREATE_COMPLETE'))).to.equal(renderPlain(res(5, 'Cluster', 'CREATE_COMPLETE')));
  });
});
