import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { startDeployed, type E2E } from './helpers.js';

describe('ps, logs and ls through docker and the AWS simulator', function () {
  this.timeout(120_000);
  let e: E2E;
  before(async () => {
    e = await startDeployed();
  });
  after(async () => e && (await e.stop()));

  it('ps lists the running tasks of every service with their published ports', () => {
    const r = e.compose(['ps']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).to.match(/^NAME\s+SERVICE\s+STATUS\s+PORTS$/);
    const rows = lines.slice(1);
    expect(rows.filter((l) => /\bapi\b/.test(l))).to.have.length(2); // replicas: 2
    expect(rows.find((l) => /\bweb\b/.test(l))).to.match(/running.*\.elb\.amazonaws\.com:80->80\/tcp/);
    expect(rows.find((l) => /\bdb\b/.test(l))).to.match(/running/);
  });

  it('ps --format json gives one object per task, and -p works without a compose file', () => {
    const r = e.box.docker(['ecs', 'compose', '-p', 'shop', 'ps', '--format', 'json'], { cwd: e.box.dir });
    expect(r.code, r.stderr).to.equal(0);
    const tasks = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(tasks).to.have.length(4);
    expect(new Set(tasks.map((t) => t.Service ?? t.service))).to.deep.equal(new Set(['api', 'db', 'web']));
  });

  it('ls shows the project as running, and filters by name', () => {
    const r = e.compose(['ls']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^shop\s+running$/m);
    expect(e.compose(['ls', '-q']).stdout.trim()).to.equal('shop');
    expect(e.compose(['ls', '--filter', 'name=nothing', '-q']).stdout.trim()).to.equal('');
  });

  it('logs prints each service\'s lines with a prefix, and --tail per service', () => {
    const r = e.compose(['logs', '--tail', '2', '--no-color']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    for (const svc of ['api', 'db', 'web']) {
      const mine = lines.filter((l) => l.startsWith(`${svc}-`));
      expect(mine.length, svc).to.be.within(1, 2 * (svc === 'api' ? 2 : 1));
      expect(mine[0]).to.match(new RegExp(`^${svc}-[0-9a-f]{8}\\s+\\| `));
    }
    const web = e.compose(['logs', 'web', '--no-log-prefix']);
    expect(web.code).to.equal(0);
    expect(web.stdout).to.not.match(/\|/);
  });

  it('logs -f streams and ends with exit 130 on Ctrl-C', async () => {
    const child = spawn('docker', ['ecs', 'compose', 'logs', '-f', '--no-color'], { cwd: e.projectDir, env: e.box.env, detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`no lines streamed: ${out}`)), 30_000);
      const check = setInterval(() => {
        if (out.split('\n').filter(Boolean).length >= 3) {
          clearInterval(check);
          clearTimeout(deadline);
          resolve();
        }
      }, 100);
    });
    // a terminal sends Ctrl-C to the whole foreground process group
    process.kill(-child.pid!, 'SIGINT');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).to.equal(130);
  });
});
