// `run` (and `exec`) through the real docker client and the AWS simulator in a child process:
// exit codes passed through, the container's lines printed, -d, the overrides RunTask receives,
// nothing left running after Ctrl-C, and the sentences for what cannot be done.
import { expect } from 'chai';
import { ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { runAsync } from '../reliability/harness.js';
import { isOneCleanLine } from '../support/docker.js';
import { startDeployed, type E2E } from './helpers.js';

const PROJECT = {
  'compose.yaml': `services:
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    ports: ["80:80"]
  api:
    image: example/api:1
    command: ["serve"]
`,
};

describe('run through docker and the AWS simulator', function () {
  this.timeout(180_000);
  let e: E2E;
  let ecs: ECSClient;
  /** the task `run -d` left running */
  let detached = '';
  before(async () => {
    e = await startDeployed({ project: PROJECT, up: ['--progress', 'plain', 'up'] });
    ecs = new ECSClient({ endpoint: e.sim.url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDE2E', secretAccessKey: 'e2e' } });
  });
  after(async () => {
    ecs?.destroy();
    if (e) await e.stop();
  });
  const runCalls = async () => (await e.sim.calls()).filter((c) => c.operation === 'RunTask');
  const runningOneOffs = async () => {
    const res = await ecs.send(new ListTasksCommand({ cluster: 'project', desiredStatus: 'RUNNING', startedBy: 'docker-ecs/run' }));
    return res.taskArns ?? [];
  };

  it('passes the container\'s exit code through, prints its lines, and hands RunTask the command and -e variables', async () => {
    await e.sim.setScenario({ oneShotTasks: [{ container: 'api', command: './migrate -e all', exitCode: 3, lines: ['migrating', 'boom'] }] });
    const before = (await runCalls()).length;
    const r = e.compose(['run', '-e', 'DEBUG=1', '-e', 'FROM_SHELL', '-e', 'NOT_SET', 'api', './migrate', '-e', 'all'], { FROM_SHELL: 'yes' });
    expect(r.code, r.stderr).to.equal(3);
    expect(r.stdout).to.equal('migrating\nboom\n');
    expect(r.stderr).to.match(/^Task [0-9a-f]{32} of api started; Ctrl-C stops it\.\n$/);
    const [call] = (await runCalls()).slice(before);
    expect(call!.params.overrides).to.deep.equal({
      containerOverrides: [{ name: 'api', command: ['./migrate', '-e', 'all'], environment: [{ name: 'DEBUG', value: '1' }, { name: 'FROM_SHELL', value: 'yes' }] }],
    });
    expect(call!.params.networkConfiguration.awsvpcConfiguration.subnets).to.have.length.greaterThan(0);
    expect(await runningOneOffs()).to.deep.equal([]);
  });

  it('exits 0 with the service\'s own command', async () => {
    await e.sim.setScenario({});
    const r = e.compose(['run', 'api']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('api started\napi done\n');
  });

  it('-d prints the task id and leaves the task running', async () => {
    await e.sim.setScenario({ oneShotTasks: [{ container: 'api', runMs: 600_000 }] });
    const r = e.compose(['run', '-d', 'api', 'sleep', '600']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^[0-9a-f]{32}\n$/);
    expect((await runningOneOffs()).map((a) => a.split('/').pop())).to.include(r.stdout.trim());
    detached = r.stdout.trim();
  });

  it('ps lists run tasks only with -a, as <project>-<service>-run-<12 hex> under their service, running or exited', () => {
    const plain = e.compose(['ps', '--format', '{{.Name}} {{.Service}} {{.State}}']);
    expect(plain.code, plain.stderr).to.equal(0);
    expect(plain.stdout.split('\n').filter(Boolean).every((l) => /^[0-9a-f]{32} (api|web) running$/.test(l)), plain.stdout).to.equal(true);
    const all = e.compose(['ps', '-a', '--format', '{{.Name}} {{.Service}} {{.State}} {{.ExitCode}}']);
    expect(all.code, all.stderr).to.equal(0);
    const runs = all.stdout.split('\n').filter((l) => l.includes('-run-'));
    // the -d task runs; the two attached runs above exited 3 and 0 (oldest first)
    expect(runs.map((l) => l.replace(/-run-[0-9a-f]{12} /, '-run-<id> '))).to.deep.equal(['project-api-run-<id> api running 0', 'project-api-run-<id> api exited 3', 'project-api-run-<id> api exited 0']);
    expect(runs[0]).to.equal(`project-api-run-${detached.slice(0, 12)} api running 0`);
    const quiet = e.compose(['ps', 'api', '-q', '--status', 'running']);
    expect(quiet.code, quiet.stderr).to.equal(0);
    expect(quiet.stdout.split('\n')).to.include(detached); // a status filter includes run tasks, as in compose
  });

  it('Ctrl-C stops the task, exit 130, nothing left running', async () => {
    await e.sim.setScenario({ oneShotTasks: [{ container: 'api', runMs: 600_000, lines: ['working'] }] });
    // the task left running by -d above is not ours to stop
    const others = await runningOneOffs();
    const r = await runAsync('docker', ['ecs', 'compose', 'run', 'api', 'work'], { cwd: e.projectDir, env: e.box.env, timeoutMs: 60_000, interruptWhen: /Ctrl-C stops it/ });
    expect(r.code, r.stderr).to.equal(130);
    expect(r.stderr).to.match(/Stopped task [0-9a-f]{32} of api\./);
    expect((await e.sim.calls()).some((c) => c.operation === 'StopTask' && /Stopped by docker ecs compose run/.test(String(c.params.reason)))).to.equal(true);
    expect(await runningOneOffs()).to.deep.equal(others);
  });

  it('an unknown service, a project that is not deployed, and a flag Fargate has no use for: one sentence each, exit 1', () => {
    const unknown = e.compose(['run', 'nope']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim()).to.equal('no such service: nope; the deployed services are api, web.');
    const missing = e.compose(['-p', 'elsewhere', 'run', 'api']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr.trim()).to.equal('No stack named elsewhere in us-east-1: nothing is deployed for this project there; run `docker ecs compose up` first.');
    const publish = e.compose(['run', '-p', '8080:80', 'web']);
    expect(publish.code).to.equal(1);
    expect(isOneCleanLine(publish.stderr), publish.stderr).to.equal(true);
    expect(publish.stderr).to.match(/^run --publish: a one-off task is not behind the service's load balancer/);
  });

  it('--help shows the usage, the arguments and every flag', () => {
    const r = e.compose(['run', '--help']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('compose run [OPTIONS] SERVICE [COMMAND...]');
    expect(r.stdout).to.match(/ARGUMENTS[\s\S]*SERVICE[\s\S]*COMMAND/);
    for (const flag of ['--detach', '--env', '--env-from-file', '--user', '--entrypoint', '--workdir', '--rm', '--no-deps', '--no-TTY', '--publish', '--service-ports', '--volume']) {
      expect(r.stdout, flag).to.contain(flag);
    }
    expect(r.stdout).to.not.match(/Not available/);
  });
});
