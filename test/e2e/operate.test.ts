// stop, start, scale, restart and ps filters through docker and the AWS simulator, with
// docker compose's global flags typed before the subcommand.
import { expect } from 'chai';
import { startDeployed, type E2E } from './helpers.js';

describe('operating a deployed project through docker and the AWS simulator', function () {
  this.timeout(180_000);
  let e: E2E;
  before(async () => {
    e = await startDeployed({ up: ['--progress', 'plain', '--ansi', 'never', 'up'] });
  });
  after(async () => e && (await e.stop()));

  const running = (service: string): number =>
    e.compose(['ps', service, '--status', 'running', '--format', '{{.Service}}']).stdout.split('\n').filter((l) => l === service).length;

  it('stop api takes its tasks to 0 and start brings back its 2 replicas', () => {
    const stop = e.compose(['stop', 'api']);
    expect(stop.code, stop.stderr).to.equal(0);
    expect(stop.stderr).to.contain('Service api  Stopped (0/0)');
    expect(running('api')).to.equal(0);
    expect(running('web')).to.equal(1);
    const start = e.compose(['start']);
    expect(start.code, start.stderr).to.equal(0);
    expect(start.stderr).to.contain('Service api  Running (2/2)');
    expect(running('api')).to.equal(2);
  });

  it('scale web=2 runs a second web task, and ps --services lists the services with tasks', () => {
    const r = e.compose(['scale', 'web=2']);
    expect(r.code, r.stderr).to.equal(0);
    expect(running('web')).to.equal(2);
    expect(e.compose(['ps', '--services']).stdout).to.equal('api\ndb\nweb\n');
  });

  it('restart db replaces its task', () => {
    const before = e.compose(['ps', 'db', '-q']).stdout.trim();
    const r = e.compose(['restart', 'db']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.contain('Service db  Restarted (1/1)');
    const after = e.compose(['ps', 'db', '-q']).stdout.trim();
    expect(after).to.not.equal('').and.to.not.equal(before);
  });

  it('port web 80 prints the load balancer name and port; an unpublished port is one sentence', () => {
    const r = e.compose(['port', 'web', '80']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^\S+\.elb\.amazonaws\.com:80\n$/);
    const bad = e.compose(['port', 'web', '81']);
    expect(bad.code).to.equal(1);
    expect(bad.stderr.trim()).to.equal('service web publishes no port 81/tcp; it publishes 80/tcp.');
  });

  it('images lists the image of each running task', () => {
    const r = e.compose(['images', 'web']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^CONTAINER\s+REPOSITORY\s+TAG\s+IMAGE ID$/);
    expect(lines.slice(1).every((l) => /public\.ecr\.aws\/nginx\/nginx\s+1\.27/.test(l)), r.stdout).to.equal(true);
  });

  it('up --scale api=3 deploys three api tasks; up with a subset that would drop deployed services is refused', () => {
    const up = e.compose(['up', '--scale', 'api=3']);
    expect(up.code, up.stderr).to.equal(0);
    expect(running('api')).to.equal(3);
    const subset = e.compose(['up', 'db']);
    expect(subset.code).to.equal(1);
    expect(subset.stderr.trim()).to.equal('up db would remove api, web from the deployed stack, which holds the whole project; run `up` without service names, or `docker ecs compose stop api web` to stop them instead.');
  });

  it('a service the project does not run is one sentence, exit 1', () => {
    const r = e.compose(['stop', 'nope']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('no such service: nope; the deployed services are api, db, web.');
  });
});

describe('down -v through docker and the AWS simulator', function () {
  this.timeout(180_000);
  let e: E2E;
  before(async () => {
    e = await startDeployed();
  });
  after(async () => e && (await e.stop()));

  it('refuses -v without --yes when there is no terminal, before deleting anything', async () => {
    const r = e.compose(['down', '-v']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('down -v deletes the project\'s EFS file systems and their data; add --yes to confirm when there is no terminal to ask on.');
    expect((await e.sim.calls()).filter((c) => c.operation === 'DeleteStack')).to.have.length(0);
  });

  it('down -v --yes deletes the stack, then the EFS file system it kept, saying which', async () => {
    const r = e.compose(['down', '-v', '--yes', '--remove-orphans']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/These EFS file systems of project shop will be deleted with their data: fs-\w+ \(volume db-data\)\./);
    expect(r.stderr).to.match(/Volume db-data {2}Removed \(EFS file system fs-\w+\)/);
    const calls = await e.sim.calls();
    expect(calls.filter((c) => c.operation === 'DeleteFileSystem')).to.have.length(1);
  });
});
