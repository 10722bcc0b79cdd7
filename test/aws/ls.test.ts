import { expect } from 'chai';
import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { listProjects, parseLsFilter, projectStatus } from '../../src/aws/ls.js';
import { renderProjects } from '../../src/ui/ls.js';
import { UserError } from '../../src/errors.js';
import { mockedClients } from './helpers.js';

function stack(name: string, status: string, project: string | null = name, over: Partial<Stack> = {}): Stack {
  return {
    StackName: name,
    StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/1`,
    StackStatus: status as Stack['StackStatus'],
    CreationTime: new Date(Date.UTC(2026, 0, 1)),
    Tags: project === null ? [{ Key: 'owner', Value: 'ops' }] : [{ Key: 'com.docker.compose.project', Value: project }],
    ...over,
  };
}

describe('ls', () => {
  it('follows every DescribeStacks token and keeps only stacks tagged with a compose project', async () => {
    const m = mockedClients();
    const pages: Record<string, { Stacks: Stack[]; NextToken?: string }> = {
      '': { Stacks: [stack('shop', 'CREATE_COMPLETE'), stack('network', 'CREATE_COMPLETE', null)], NextToken: 'p2' },
      p2: { Stacks: [], NextToken: 'p3' }, // an empty page with more to come
      p3: { Stacks: [stack('blog', 'UPDATE_IN_PROGRESS')] },
    };
    m.cfn.on(DescribeStacksCommand).callsFake((input: { NextToken?: string }) => pages[input.NextToken ?? '']);
    const rows = await listProjects(m.clients);
    expect(m.cfn.commandCalls(DescribeStacksCommand).map((c) => c.args[0].input.NextToken)).to.deep.equal([undefined, 'p2', 'p3']);
    expect(rows.map((r) => [r.Name, r.Status])).to.deep.equal([
      ['blog', 'deploying'],
      ['shop', 'running'],
    ]);
  });

  it('names each CloudFormation state in compose words', () => {
    expect(projectStatus('CREATE_COMPLETE')).to.equal('running');
    expect(projectStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).to.equal('deploying');
    expect(projectStatus('UPDATE_ROLLBACK_IN_PROGRESS')).to.equal('rolling back');
    expect(projectStatus('UPDATE_ROLLBACK_COMPLETE')).to.equal('rolled back');
    expect(projectStatus('ROLLBACK_COMPLETE')).to.equal('failed');
    expect(projectStatus('CREATE_FAILED')).to.equal('failed');
    expect(projectStatus('DELETE_IN_PROGRESS')).to.equal('deleting');
    expect(projectStatus('DELETE_FAILED')).to.equal('delete failed');
    expect(projectStatus('REVIEW_IN_PROGRESS')).to.equal('not deployed');
  });

  it('matches --filter name=X as a substring of the project name', async () => {
    const m = mockedClients();
    m.cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('shop-prod', 'CREATE_COMPLETE'), stack('shop-dev', 'CREATE_COMPLETE'), stack('blog', 'CREATE_COMPLETE')] });
    const rows = await listProjects(m.clients, parseLsFilter(['name=shop']));
    expect(rows.map((r) => r.Name)).to.deep.equal(['shop-dev', 'shop-prod']);
  });

  it('refuses filters other than name', () => {
    expect(() => parseLsFilter(['status=running'])).to.throw(UserError, /only --filter name=VALUE/);
    expect(() => parseLsFilter(['name'])).to.throw(UserError);
  });

  it('skips stacks already deleted and keeps the failure reason', async () => {
    const m = mockedClients();
    m.cfn.on(DescribeStacksCommand).resolves({
      Stacks: [stack('gone', 'DELETE_COMPLETE'), stack('broken', 'ROLLBACK_COMPLETE', 'broken', { StackStatusReason: 'The following resource(s) failed to create: [WebService].' })],
    });
    const rows = await listProjects(m.clients);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ Name: 'broken', Status: 'failed', StatusReason: 'The following resource(s) failed to create: [WebService].' });
  });

  it('prints a NAME STATUS table, names only with -q, and a JSON array with --format json', async () => {
    const m = mockedClients();
    m.cfn.on(DescribeStacksCommand).resolves({ Stacks: [stack('shop', 'CREATE_COMPLETE'), stack('blog', 'DELETE_IN_PROGRESS')] });
    const rows = await listProjects(m.clients);
    expect(renderProjects(rows, 'table', false)).to.equal('NAME   STATUS\nblog   deleting\nshop   running\n');
    expect(renderProjects(rows, 'table', true)).to.equal('blog\nshop\n');
    const json = JSON.parse(renderProjects(rows, 'json', false)) as { Name: string; Status: string; StackStatus: string }[];
    expect(json.map((r) => [r.Name, r.Status, r.StackStatus])).to.deep.equal([
      ['blog', 'deleting', 'DELETE_IN_PROGRESS'],
      ['shop', 'running', 'CREATE_COMPLETE'],
    ]);
  });
});
