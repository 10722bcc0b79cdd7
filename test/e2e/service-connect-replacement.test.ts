import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { webAndWorkerCompose } from '../support/web-and-worker-project.js';
import { jsonLines, startE2E, type E2E } from './helpers.js';

const PROJECT = { 'compose.yaml': webAndWorkerCompose('tiny') };

// a cluster that exists already, made by another stack
const SHARED_CLUSTER = JSON.stringify({ Resources: { Shared: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'shared' } } } });

describe('moving a project whose service has Service Connect names to another cluster, through docker and the AWS simulator', function () {
  this.timeout(180_000);
  let e: E2E;
  afterEach(async () => e && (await e.stop()));

  it('says at --dry-run that it takes two updates, then makes them: the names are freed, the new services take them, the old ones go', async () => {
    e = await startE2E({ project: PROJECT, scenario: { stacks: [{ name: 'infra', status: 'CREATE_COMPLETE', template: SHARED_CLUSTER }] } });
    const first = e.compose(['up']);
    expect(first.code, first.stderr).to.equal(0);
    const file = join(e.projectDir, 'compose.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('name: tiny\n', 'name: tiny\nx-aws-cluster: shared\n'));

    const dry = e.compose(['up', '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stderr).to.match(/a new service cannot take the Service Connect names web:80 while the old one holds them, so up would update the stack twice/);
    expect(dry.stdout).to.match(/WebService/);
    expect((await e.sim.calls()).filter((c) => c.operation === 'ExecuteChangeSet')).to.have.length(0);

    const moved = e.compose(['up', '--progress', 'json']);
    expect(moved.code, moved.stderr).to.equal(0);
    const events = jsonLines(moved.stderr);
    expect(events.filter((ev) => ev.kind === 'operation-started').map((ev) => ev.operation)).to.deep.equal(['update', 'update']);
    const notices = events.filter((ev) => ev.kind === 'notice').map((ev) => String(ev.message));
    expect(notices.some((n) => /so up will update the stack twice/.test(n))).to.equal(true);
    expect(notices).to.include('web gave up its Service Connect names; now the change itself.');
    // both updates' events: the old service rolled in place first, then the new one was created and the old deleted
    const web = events.filter((ev) => ev.kind === 'resource' && ev.logicalId === 'WebService').map((ev) => `${String(ev.status)} ${String(ev.reason ?? '')}`.trim());
    const firstComplete = web.indexOf('UPDATE_COMPLETE');
    expect(firstComplete).to.be.greaterThan(-1);
    expect(web.slice(firstComplete + 1).some((s) => /requires the creation of a new physical resource/.test(s))).to.equal(true);
    expect(web.at(-1)).to.equal('DELETE_COMPLETE');
    expect(events.at(-1)).to.include({ kind: 'finished', outcome: 'succeeded' });

    const stacks = (await e.sim.stacks()) as Array<{ name: string; status: string; resources: Array<{ logicalId: string; physicalId?: string }> }>;
    const tiny = stacks.find((s) => s.name === 'tiny')!;
    expect(tiny.status).to.equal('UPDATE_COMPLETE');
    expect(tiny.resources.find((r) => r.logicalId === 'WebService')?.physicalId).to.match(/:service\/shared\//);
    const again = e.compose(['up']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.match(/up to date/i);
  });
});
