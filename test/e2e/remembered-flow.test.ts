// The flow users of the retired Docker ECS integration remember, typed exactly as they typed it,
// with the integration installed (its folder first on PATH) and the local AWS simulator.
import { expect } from 'chai';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, type RunResult } from '../support/docker.js';
import { webAndWorkerCompose } from '../support/web-and-worker-project.js';
import { startE2E, type E2E } from './helpers.js';

describe('the remembered flow: docker context create ecs, context use, compose up/ps/logs/down', function () {
  this.timeout(180_000);
  let e: E2E;
  let docker: (args: string[]) => RunResult;

  before(async () => {
    // no ECS context yet: the tests create one as the users did
    e = await startE2E({ project: { 'compose.yaml': webAndWorkerCompose('remembered') }, context: false });
    // a stand-in for the real Docker Compose, where docker installs it for one user
    const plugins = join(e.box.configDir, 'cli-plugins');
    mkdirSync(plugins, { recursive: true });
    writeFileSync(
      join(plugins, 'docker-compose'),
      '#!/bin/sh\nif [ "$1" = docker-cli-plugin-metadata ]; then echo \'{"SchemaVersion":"0.1.0","Vendor":"Stand-in"}\'; exit 0; fi\necho "STAND-IN COMPOSE argv=[$*]"\nexit 3\n',
    );
    chmodSync(join(plugins, 'docker-compose'), 0o755);
    const installed = e.box.docker(['ecs', 'integration', 'install']);
    if (installed.code !== 0) throw new Error(installed.stderr);
    const binDir = join(e.box.configDir, 'ecs-integration', 'bin');
    // what the printed PATH line does in the user's shell
    docker = (args) => run('docker', args, { env: { ...e.box.env, PATH: `${binDir}:${e.box.env.PATH}` }, cwd: e.projectDir, timeout: 120_000 });
  });
  after(async () => e && (await e.stop()));

  it('on the default context, docker compose still reaches the real compose plugin', () => {
    const r = docker(['compose', 'up', '-d']);
    expect(r.code).to.equal(3);
    expect(r.stdout.trim()).to.equal('STAND-IN COMPOSE argv=[compose up -d]');
  });

  it('docker context create ecs X --from-env, then docker context use X', () => {
    const created = docker(['context', 'create', 'ecs', 'myecs', '--from-env']);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout.trim()).to.equal('myecs');
    const used = docker(['context', 'use', 'myecs']);
    expect(used.code, used.stderr).to.equal(0);
    expect(docker(['context', 'show']).stdout.trim()).to.equal('myecs');
  });

  it('docker compose up deploys to the simulator and prints the endpoint', async () => {
    const up = docker(['compose', 'up']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stdout.trim()).to.match(/^http:\/\/\S+\.elb\.amazonaws\.com:80$/);
    expect(up.stderr).to.match(/CREATE_COMPLETE\s+stack/);
    const calls = await e.sim.calls();
    expect(calls.filter((c) => c.operation === 'CreateStack')).to.have.length(1);
  });

  it('docker compose ps lists the tasks of both services', () => {
    const ps = docker(['compose', 'ps']);
    expect(ps.code, ps.stderr).to.equal(0);
    expect(ps.stdout).to.match(/\bweb\b/);
    expect(ps.stdout).to.match(/\bworker\b/);
    expect(ps.stdout).to.match(/RUNNING/i);
  });

  it('docker compose logs shows the services\' lines', async () => {
    // the simulated containers write a line now and then; give them a moment
    let logs: RunResult | undefined;
    for (let i = 0; i < 10; i++) {
      logs = docker(['compose', 'logs']);
      if (logs.code === 0 && /\bweb\b.*\|/.test(logs.stdout)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(logs!.code, logs!.stderr).to.equal(0);
    expect(logs!.stdout).to.match(/^web\S*\s+\| /m);
  });

  it('docker compose down deletes the stack', async () => {
    const down = docker(['compose', 'down']);
    expect(down.code, down.stderr).to.equal(0);
    expect(down.stderr).to.match(/deleted/i);
    const calls = await e.sim.calls();
    expect(calls.filter((c) => c.operation === 'DeleteStack')).to.have.length(1);
    const stacks = await e.sim.stacks();
    expect(stacks.filter((s) => s.name === 'remembered' && s.status !== 'DELETE_COMPLETE')).to.have.length(0);
  });
});
