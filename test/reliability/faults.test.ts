// Faults while up, down, ps, logs and ls talk to AWS, through the real docker CLI and the
// simulator: throttling bursts, 500s, dropped connections, a session that expires mid-watch, the
// stack deleted by someone else, Ctrl-C. Retried where that is safe, a clear last line where it
// is not; never a crash, never a deletion the user did not ask for; `up` run again converges.
import { expect } from 'chai';
import type { Scenario } from '../sim/scenario.js';
import { webAndWorkerCompose } from '../support/web-and-worker-project.js';
import { CRASH, lastLine, operations, stackNamed, startRig, writeProject, type Rig } from './harness.js';

// no name: line, each test names its own project with -p
const PROJECT = { 'compose.yaml': webAndWorkerCompose() };

describe('faults during up, down, ps, logs and ls', function () {
  this.timeout(60_000);
  let rig: Rig;
  let dir: string;

  before(async () => {
    rig = await startRig();
    dir = writeProject(rig, 'app', PROJECT);
  });
  after(async () => {
    await rig?.stop();
  });

  const compose = (project: string, args: string[], extra: { interruptWhen?: RegExp } = {}) =>
    rig.docker(['ecs', 'compose', '-p', project, ...args], { cwd: dir, ...extra });
  const scenario = (s: Scenario) => rig.sim.setScenario(s);

  /**
   * The calls since index `from` delete nothing: no stack, file system, secret or log group, and
   * no change set that was executed (an unexecuted one, e.g. "no changes", is only a proposal).
   */
  async function expectNoDeletion(from: number): Promise<void> {
    const calls = (await rig.sim.calls()).slice(from);
    const executed = new Set(calls.filter((c) => c.operation === 'ExecuteChangeSet').map((c) => String(c.params.ChangeSetName)));
    const deletions = calls.filter((c) => /^Delete/.test(c.operation) && !(c.operation === 'DeleteChangeSet' && !executed.has(String(c.params.ChangeSetName))));
    expect(deletions.map((c) => `${c.service}:${c.operation}`)).to.deep.equal([]);
  }

  async function upConverges(project: string): Promise<void> {
    await scenario({});
    const again = await compose(project, ['up', '--progress', 'plain']);
    expect(again.code, again.stderr).to.equal(0);
    expect((await stackNamed(rig, project))?.status).to.match(/^(CREATE|UPDATE)_COMPLETE$/);
  }

  it('throttling bursts, 500s and dropped connections on every command: retried, each command succeeds', async () => {
    const from = (await rig.sim.calls()).length;
    await scenario({
      throttle: [{ operation: '*', everyNth: 4 }],
      serverErrors: [{ operation: 'DescribeStackEvents', first: 2 }, { service: 'ecs', everyNth: 5, status: 503 }],
      dropConnections: [{ operation: 'DescribeStacks', first: 1 }, { operation: 'CreateStack', first: 1 }, { service: 'logs', first: 1 }, { operation: 'DeleteStack', first: 1 }],
    });
    const up = await compose('noisy', ['up', '--progress', 'plain']);
    expect(up.code, up.stderr).to.equal(0);
    expect(up.stderr).to.not.match(CRASH);
    expect((await stackNamed(rig, 'noisy'))?.status).to.equal('CREATE_COMPLETE');
    // CreateStack was retried after the dropped connection: the client token made it one stack
    expect((await rig.sim.stacks()).filter((s) => s.name === 'noisy')).to.have.length(1);
    await expectNoDeletion(from);

    const ps = await compose('noisy', ['ps']);
    expect(ps.code, ps.stderr).to.equal(0);
    expect(ps.stdout).to.match(/web/).and.match(/worker/).and.match(/running/);
    const logs = await compose('noisy', ['logs', '--tail', '2']);
    expect(logs.code, logs.stderr).to.equal(0);
    expect(logs.stdout).to.match(/^web[-\w]*\s+\|/m);
    const ls = await compose('noisy', ['ls']);
    expect(ls.code, ls.stderr).to.equal(0);
    expect(ls.stdout).to.match(/noisy/);
    for (const r of [ps, logs, ls]) expect(r.stderr).to.not.match(CRASH);
    await expectNoDeletion(from);

    const down = await compose('noisy', ['down', '--progress', 'plain']);
    expect(down.code, down.stderr).to.equal(0);
    expect((await rig.sim.stacks()).filter((s) => s.name === 'noisy' && s.status !== 'DELETE_COMPLETE')).to.deep.equal([]);
    const faults = (await rig.sim.calls()).slice(from).filter((c) => c.fault);
    expect(new Set(faults.map((c) => c.fault))).to.deep.equal(new Set(['throttle', 'server-error', 'drop']));
  });

  it('500s that outlast the retries: a clear last line, exit 1, nothing deleted; up again converges', async () => {
    const from = (await rig.sim.calls()).length;
    await scenario({ serverErrors: [{ operation: 'DescribeStackEvents' }] });
    const up = await compose('outage', ['up', '--progress', 'plain']);
    expect(up.code, up.stderr).to.equal(1);
    expect(up.stderr).to.not.match(CRASH);
    expect(lastLine(up.stderr)).to.match(/^AWS answered InternalFailure: .*\.$/);
    await expectNoDeletion(from);
    await upConverges('outage');
  });

  it('credentials that expire while up watches: "the session has expired", exit 1, nothing deleted; up again converges', async () => {
    const from = (await rig.sim.calls()).length;
    await scenario({ expiredCredentials: [{ operation: 'DescribeStackEvents', after: 2 }] });
    const up = await compose('expiring', ['up', '--progress', 'plain']);
    expect(up.code, up.stderr).to.equal(1);
    expect(up.stderr).to.not.match(CRASH);
    expect(lastLine(up.stderr)).to.equal('The AWS session has expired. Refresh the credentials and run the command again.');
    await expectNoDeletion(from);
    await upConverges('expiring');
    await expectNoDeletion(from);

    // the same on the other commands; only the asked-for down deletes
    const beforeOthers = (await rig.sim.calls()).length;
    for (const [args, fault] of [
      [['ps'], { service: 'ecs', after: 1 }],
      [['logs'], { service: 'logs', after: 0 }],
      [['ls'], { service: 'cloudformation', after: 0 }],
      [['down', '--progress', 'plain'], { operation: 'DescribeStackEvents', after: 1 }],
    ] as const) {
      await scenario({ expiredCredentials: [fault] });
      const r = await compose('expiring', [...args]);
      expect(r.code, `${args[0]}: ${r.stderr}`).to.equal(1);
      expect(r.stderr).to.not.match(CRASH);
      expect(lastLine(r.stderr), args[0]).to.equal('The AWS session has expired. Refresh the credentials and run the command again.');
    }
    expect((await operations(rig, beforeOthers)).filter((o) => /Delete/.test(o))).to.deep.equal(['cloudformation:DeleteStack']);
  });

  it('the stack deleted by someone else while up watches: a clear last line, exit 1, no delete of ours; up again converges', async () => {
    const from = (await rig.sim.calls()).length;
    await scenario({ externalDeletes: [{ stack: 'vanishing', afterMs: 8000 }] });
    const up = await compose('vanishing', ['up', '--progress', 'plain']);
    expect(up.code, up.stderr).to.equal(1);
    expect(up.stderr).to.not.match(CRASH);
    expect(lastLine(up.stderr)).to.match(/vanishing/).and.match(/delet/i);
    await expectNoDeletion(from);
    // ps and logs on the vanished stack say so in one sentence (nothing to show is not an error)
    for (const args of [['ps'], ['logs']]) {
      const r = await compose('vanishing', args);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
      expect(r.stderr).to.match(/^No (stack named vanishing|log group \/docker-compose\/vanishing) in us-east-1/);
    }
    await upConverges('vanishing');
  });

  it('Ctrl-C while up watches: exit 130, the deployment goes on, nothing deleted; up again converges', async () => {
    const from = (await rig.sim.calls()).length;
    await scenario({});
    const up = await compose('interrupted', ['up', '--progress', 'plain'], { interruptWhen: /Cluster\s+CREATE_IN_PROGRESS/ });
    expect(up.code, up.stderr).to.equal(130);
    expect(up.stderr).to.not.match(CRASH);
    expect(up.stderr).to.match(/goes on in AWS/);
    await expectNoDeletion(from);
    await upConverges('interrupted');
  });
});
