import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonLines, startE2E, type E2E } from './helpers.js';

const PROJECT = {
  'compose.yaml': `name: orders
services:
  db:
    image: public.ecr.aws/docker/library/postgres:16
    environment: { POSTGRES_PASSWORD_FILE: /run/secrets/db_password }
    secrets: [db_password]
    volumes: ["db-data:/var/lib/postgresql/data"]
    healthcheck: { test: ["CMD-SHELL", "pg_isready"], interval: 5s, start_period: 20s }
  migrate:
    image: public.ecr.aws/docker/library/node:20-alpine
    command: ["node", "migrate.js"]
    secrets: [db_password]
    depends_on: { db: { condition: service_healthy } }
  api:
    image: public.ecr.aws/docker/library/node:20-alpine
    command: ["node", "server.js"]
    ports: ["8080:8080"]
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
volumes:
  db-data: {}
secrets:
  db_password: { file: ./db_password.txt }
`,
  'db_password.txt': 'e2e-orders-password',
};

describe('a migration job and a database through docker and the AWS simulator', function () {
  this.timeout(180_000);
  let e: E2E;
  afterEach(async () => e && (await e.stop()));

  it('runs the migration between the database and the API, shows its logs, and runs it again only when it changed', async () => {
    e = await startE2E({ project: PROJECT });
    const up = e.compose(['up', '--progress', 'json']);
    expect(up.code, up.stderr).to.equal(0);
    const events = jsonLines(up.stderr);
    const notices = events.filter((ev) => ev.kind === 'notice').map((ev) => ev.message);
    expect(notices.some((m) => /^Running one-shot job migrate \(task [0-9a-f]+\)\.$/.test(String(m)))).to.equal(true);
    expect(notices).to.include('One-shot job migrate completed (exit code 0).');
    expect(events.filter((ev) => ev.kind === 'log' && ev.service === 'migrate').map((ev) => ev.message)).to.deep.equal(['migrate started', 'migrate done']);
    const order = events.filter((ev) => ev.kind === 'resource' && ev.state === 'complete').map((ev) => String(ev.logicalId));
    const gate = order.find((id) => /^MigrateJob[0-9A-F]{8}$/.test(id))!;
    expect(order.indexOf('DbService')).to.be.below(order.indexOf(gate));
    expect(order.indexOf(gate)).to.be.below(order.indexOf('ApiService'));
    expect(events.at(-1)).to.include({ kind: 'finished', outcome: 'succeeded' });
    const runTasks = async () => (await e.sim.calls()).filter((c) => c.operation === 'RunTask').length;
    expect(await runTasks()).to.equal(1);
    // as docker compose ps: the job's exited task only with -a, under its service, named as service tasks are
    expect(e.compose(['ps', '--services']).stdout).to.equal('api\ndb\n');
    const ps = e.compose(['ps', '-a', '--format', '{{.Name}} {{.Service}} {{.State}} {{.ExitCode}}']);
    expect(ps.code, ps.stderr).to.equal(0);
    expect(ps.stdout.split('\n').filter((l) => l.includes(' migrate '))).to.satisfy((l: string[]) => l.length === 1 && /^[0-9a-f]{32} migrate exited 0$/.test(l[0]!));

    const again = e.compose(['up']);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stderr).to.match(/up to date/i);
    expect(await runTasks()).to.equal(1);

    // a new migration that fails: exit code and last lines, exit 1, the API is left as it was
    const file = join(e.projectDir, 'compose.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"migrate.js"', '"migrate.js", "--to", "0043"'));
    await e.sim.setScenario({ oneShotTasks: [{ container: 'migrate', exitCode: 2, lines: ['applying 0043_refunds', 'error: column "amount" does not exist'] }] });
    const failed = e.compose(['up']);
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.contain('One-shot job migrate exited with code 2');
    expect(failed.stderr).to.contain('error: column "amount" does not exist');
    expect(await runTasks()).to.equal(2);
    const stacks = (await e.sim.stacks()) as Array<{ name: string; status: string }>;
    expect(stacks.find((s) => s.name === 'orders')?.status).to.equal('UPDATE_ROLLBACK_COMPLETE');
  });
});
