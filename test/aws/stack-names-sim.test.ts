/**
 * Compose project names that are not valid stack names (`my_app`, `2048game`, both common folder
 * names) deploy to a derived stack name; `ls`, `ps`, `logs` and `down` find the project by its
 * name, and the project tag stays the compose name. Against the simulator, which refuses stack
 * names as CloudFormation does.
 */
import { expect } from 'chai';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { appTemplate } from '../sim/support.js';
import { down, up, type UpDeps } from '../../src/aws/deploy.js';
import { listProjects } from '../../src/aws/ls.js';
import { projectLogServices } from '../../src/aws/logs.js';
import { listProjectTasks } from '../../src/aws/ps.js';
import { stackName } from '../../src/convert/naming.js';
import type { Template } from '../../src/cloudformation/template.js';
import { UserError } from '../../src/errors.js';
import { simUpDeps } from './sim-support.js';

describe('stack names from compose project names, against the simulator', function () {
  const fixture = simulatorPerTest();
  let deps: UpDeps;
  const sink = (): void => undefined;

  beforeEach(() => {
    const body = appTemplate();
    deps = simUpDeps(fixture, () => ({ body, parameters: {}, template: JSON.parse(body) as Template }));
  });

  it('maps every valid compose project name to a valid stack name, and leaves valid ones alone', () => {
    expect(stackName('my_app')).to.equal('my-app');
    expect(stackName('2048game')).to.equal('p-2048game');
    expect(stackName('_x')).to.equal('p--x');
    expect(stackName('shop')).to.equal('shop');
    expect(stackName('a'.repeat(200))).to.have.length(128);
  });

  for (const project of ['my_app', '2048game']) {
    it(`${project}: up creates stack ${stackName(project)} tagged with the project; ls, ps, logs and down find it by the project name`, async () => {
      expect((await up({ project }, deps, sink)).kind).to.equal('succeeded');
      const cfn = await deps.clients.cloudFormation();
      const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName(project) }))).Stacks![0]!;
      expect(stack.Tags).to.deep.include({ Key: 'com.docker.compose.project', Value: project });

      expect((await listProjects(deps.clients)).map((r) => r.Name)).to.deep.equal([project]);
      expect((await listProjects(deps.clients, { name: project })).map((r) => r.Name)).to.deep.equal([project]);
      const ps = await listProjectTasks(deps.clients, { project, all: false });
      expect(ps.found).to.equal(true);
      expect(ps.rows.map((r) => r.Service)).to.deep.equal(['web', 'web']);
      expect(await projectLogServices(deps.clients, project, [])).to.not.equal(undefined);

      expect((await up({ project }, deps, sink)).kind).to.equal('no-changes');
      expect((await down({ project }, deps, sink)).kind).to.equal('deleted');
      expect((await listProjects(deps.clients)).map((r) => r.Name)).to.deep.equal([]);
    });
  }

  it('refuses to touch the stack of another project that maps to the same stack name', async () => {
    expect((await up({ project: 'my-app' }, deps, sink)).kind).to.equal('succeeded');
    const error = await up({ project: 'my_app' }, deps, sink).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UserError);
    expect((error as Error).message).to.equal(
      'Stack my-app exists in us-east-1 but does not belong to compose project my_app (it belongs to compose project my-app), so it is left alone.',
    );
    expect(fixture.sim.callsTo('CreateStack')).to.have.length(1);
    expect(fixture.sim.callsTo('CreateChangeSet')).to.have.length(0);
  });
});
