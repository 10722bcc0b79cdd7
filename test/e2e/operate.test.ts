// stop, start, scale, restart and ps filters through docker and the AWS simulator, with
// docker compose's global flags typed before the subcommand.
import { expect } from 'chai';
import { startE2E, type E2E } from './helpers.js';

describe('operating a deployed project through docker and the AWS simulator', function () {
  this.timeout(180_000);
  let e: E2E;
  before(async () => {
    e = await startE2E();
    const up = e.compose(['--progress', 'plain', '--ansi', 'never', 'up']);
    if (up.code !== 0) throw new Error(up.stderr);
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

  it('a service the project does not run is one sentence, exit 1', () => {
    const r = e.compose(['stop', 'nope']);
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.equal('no such service: nope; the deployed services are api, db, web.');
  });
});
