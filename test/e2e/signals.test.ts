// Stopping without a terminal: a CI job, a script or a process supervisor sends SIGINT or SIGTERM
// to `docker` itself, whose output is a pipe. docker then does not pass the signal on; it closes
// the plugin socket (DOCKER_CLI_PLUGIN_SOCKET), and the plugin must stop as on Ctrl-C: exit 130,
// nothing deleted in AWS, and (up, down) the sentence that says how to follow the operation.
import { expect } from 'chai';
import { CRASH, spawnWatched, stackNamed, startRig, writeProject, type Rig, type Watched } from '../reliability/harness.js';

const PROJECT = {
  'compose.yaml': `services:
  web:
    image: public.ecr.aws/nginx/nginx:1.27
    ports: ["80:80"]
`,
};

/** `docker ARGS` with stdout and stderr to pipes; once the output matches `when`, `signal` to the docker process only. */
async function stopDocker(rig: Rig, cwd: string, args: string[], when: RegExp, signal: NodeJS.Signals): Promise<Watched> {
  let sent = false;
  const r = await spawnWatched('docker', args, { cwd, env: rig.box.env, timeoutMs: 45_000 }, (output, child) => {
    if (sent || !when.test(output)) return;
    sent = true;
    child.kill(signal);
  });
  if (r.timedOut) throw new Error(`docker ${args.join(' ')} did not stop after ${signal}${sent ? '' : ' (never sent)'}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

describe('signals to docker itself, output to a pipe (the plugin socket)', function () {
  this.timeout(120_000);
  let rig: Rig;
  let dir: string;
  const compose = (project: string, args: string[], when: RegExp, signal: NodeJS.Signals) =>
    stopDocker(rig, dir, ['ecs', 'compose', '-p', project, ...args], when, signal);

  before(async () => {
    rig = await startRig();
    dir = writeProject(rig, 'app', PROJECT);
  });
  after(async () => {
    await rig?.stop();
  });

  async function deletions(from: number): Promise<string[]> {
    return (await rig.sim.calls())
      .slice(from)
      .filter((c) => /^Delete/.test(c.operation) && c.operation !== 'DeleteChangeSet')
      .map((c) => `${c.operation} ${String(c.params.StackName ?? '')}`.trim());
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`up: ${signal} stops watching, exit 130, says how to follow, deletes nothing; the stack completes in AWS`, async () => {
      const project = `up-${signal.toLowerCase()}`;
      const from = (await rig.sim.calls()).length;
      const r = await compose(project, ['up', '--progress', 'plain'], /Cluster\s+CREATE_IN_PROGRESS/, signal);
      expect(r.code, r.stderr).to.equal(130);
      expect(r.stderr).to.not.match(CRASH);
      expect(r.stderr).to.match(/goes on in AWS; nothing was cancelled or deleted/);
      expect(r.stderr).to.match(new RegExp(`Follow it with "docker ecs compose -p ${project} ps"`));
      expect(await deletions(from)).to.deep.equal([]);
      // the deployment went on without us
      const deadline = Date.now() + 30_000;
      while ((await stackNamed(rig, project))?.status === 'CREATE_IN_PROGRESS' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      expect((await stackNamed(rig, project))?.status).to.equal('CREATE_COMPLETE');
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`logs -f: ${signal} stops following with exit 130`, async () => {
      const project = `up-${signal.toLowerCase()}`;
      const from = (await rig.sim.calls()).length;
      const r = await compose(project, ['logs', '-f', '--no-color'], /\|/, signal);
      expect(r.code, r.stderr).to.equal(130);
      expect(r.stderr).to.not.match(CRASH);
      expect(await deletions(from)).to.deep.equal([]);
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`down: ${signal} stops watching the deletion, exit 130, says how to follow; only its own DeleteStack`, async () => {
      const project = `up-${signal.toLowerCase()}`;
      const from = (await rig.sim.calls()).length;
      const r = await compose(project, ['down', '--progress', 'plain'], /DELETE_IN_PROGRESS/, signal);
      expect(r.code, r.stderr).to.equal(130);
      expect(r.stderr).to.not.match(CRASH);
      expect(r.stderr).to.match(/deletion of stack .* goes on in AWS/);
      expect(r.stderr).to.match(/Follow it with "/);
      const deleted = await deletions(from);
      expect(deleted).to.have.length(1);
      expect(deleted[0]).to.match(new RegExp(`^DeleteStack (arn:aws:cloudformation:[^:]+:\\d+:stack/)?${project}(/|$)`));
    });
  }
});
