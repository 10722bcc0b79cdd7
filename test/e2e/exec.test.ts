// `exec` through the real docker client and the AWS simulator: ExecuteCommand on the chosen task,
// then the session handed to a stand-in `session-manager-plugin` that records its arguments the
// way the AWS CLI passes them, its exit code returned; and the sentence when the plugin is missing.
// The session token is checked by shape and never printed, even by a failing assertion.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOneCleanLine } from '../support/docker.js';
import { installStandInSessionPlugin, startDeployed, type E2E } from './helpers.js';

const PROJECT = {
  'compose.yaml': `services:
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    ports: ["80:80"]
    deploy: { replicas: 2 }
`,
};


describe('exec through docker and the AWS simulator, with a stand-in session-manager-plugin', function () {
  this.timeout(180_000);
  let e: E2E;
  let bin: string;
  let record: string;
  let n = 0;
  before(async () => {
    e = await startDeployed({ project: PROJECT, up: ['--progress', 'plain', 'up'] });
    bin = installStandInSessionPlugin(e.box.dir);
  });
  after(async () => e && (await e.stop()));

  const exec = (args: string[], extra: Record<string, string> = {}) => {
    record = join(e.box.dir, `record-${n++}`);
    return e.compose(['exec', ...args], { PATH: `${bin}:${process.env.PATH ?? ''}`, RECORD_DIR: record, ...extra });
  };
  const recorded = (): string[] => {
    const argc = Number(readFileSync(join(record, 'argc'), 'utf8'));
    return Array.from({ length: argc }, (_, i) => readFileSync(join(record, `arg${i}`), 'utf8'));
  };
  const execCalls = async () => (await e.sim.calls()).filter((c) => c.operation === 'ExecuteCommand');

  it('hands the session to the plugin as the AWS CLI does and exits with its code', async () => {
    const r = exec(['web', 'ls', '-la', '/tmp dir'], { STANDIN_EXIT: '7' });
    expect(r.code, r.stderr).to.equal(7);
    const call = (await execCalls()).at(-1)!;
    expect(call.params).to.deep.include({ container: 'web', command: "ls -la '/tmp dir'", interactive: true });
    const args = recorded();
    expect(args).to.have.length(6);
    const session = JSON.parse(args[0]!) as Record<string, string>;
    expect(Object.keys(session).sort()).to.deep.equal(['sessionId', 'streamUrl', 'tokenValue']);
    expect(session.sessionId).to.match(/^ecs-execute-command-/);
    expect(session.streamUrl!.startsWith(`wss://ssmmessages.us-east-1.amazonaws.com/v1/data-channel/${session.sessionId}`)).to.equal(true);
    const token = session.tokenValue!;
    expect(typeof token === 'string' && token.length > 20, 'a session token').to.equal(true);
    expect(r.stdout.includes(token) || r.stderr.includes(token), 'the token is not printed').to.equal(false);
    expect(args.slice(1, 4)).to.deep.equal(['us-east-1', 'StartSession', '']);
    const taskId = String(call.params.task).split('/').pop()!;
    expect(JSON.parse(args[4]!)).to.deep.equal({ Target: JSON.parse(args[4]!).Target });
    expect(JSON.parse(args[4]!).Target).to.match(new RegExp(`^ecs:project_${taskId}_${taskId}-\\d{10}$`));
    expect(args[5]).to.equal(e.sim.url);
  });

  it('runs sh by default, and --index 2 opens the session in the second task as ps lists them', async () => {
    expect(exec(['web']).code).to.equal(0);
    expect((await execCalls()).at(-1)!.params.command).to.equal('sh');
    const first = String((await execCalls()).at(-1)!.params.task);
    expect(exec(['--index', '2', 'web']).code).to.equal(0);
    const second = String((await execCalls()).at(-1)!.params.task);
    expect(second).to.not.equal(first);
    expect(exec(['--task', second.split('/').pop()!, 'web', 'id']).code).to.equal(0);
    expect(String((await execCalls()).at(-1)!.params.task)).to.equal(second);
    const three = exec(['--index', '3', 'web']);
    expect(three.code).to.equal(1);
    expect(three.stderr.trim()).to.equal('service web has 2 running tasks; --index takes 1 to 2.');
  });

  it('says where to get the Session Manager plugin when it is not on PATH, before any AWS call', async () => {
    const before = (await execCalls()).length;
    record = join(e.box.dir, 'unused');
    const r = e.compose(['exec', 'web'], { PATH: (process.env.PATH ?? '').split(':').filter((d) => d && !existsSync(join(d, 'session-manager-plugin'))).join(':') });
    expect(r.code).to.equal(1);
    expect(isOneCleanLine(r.stderr), r.stderr).to.equal(true);
    expect(r.stderr.trim()).to.equal(
      "exec needs AWS's Session Manager plugin (session-manager-plugin), which is not on PATH; install it as https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html describes, then run exec again.",
    );
    expect((await execCalls()).length).to.equal(before);
  });

  it('an unknown service and a flag ECS Exec cannot honour: one sentence each', () => {
    const unknown = exec(['nope']);
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr.trim()).to.equal('no such service: nope; the deployed services are web.');
    const user = exec(['-u', 'app', 'web', 'id']);
    expect(user.code).to.equal(1);
    expect(user.stderr.trim()).to.match(/^exec --user: ECS Exec runs commands as the container's root user/);
  });

  it('--help shows the usage, the arguments and every flag', () => {
    const r = e.compose(['exec', '--help']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('compose exec [OPTIONS] SERVICE [COMMAND...]');
    for (const flag of ['--index', '--task', '--no-TTY', '--[no-]interactive', '--[no-]tty', '--detach', '--env', '--user', '--workdir', '--privileged']) expect(r.stdout, flag).to.contain(flag);
    expect(r.stdout).to.contain('session-manager-plugin');
  });
});
