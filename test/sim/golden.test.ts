/**
 * Every template the converter's golden tests pin (test/golden/*.yaml) deploys and deletes in the
 * simulator: the simulator keeps up with what docker-ecs really sends.
 */
import { CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { ManualClock, startSimulator, type Simulator } from './server.js';
import { clients } from './support.js';

const dir = 'test/golden';
const goldens = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];

describe('simulator: the golden templates deploy', function () {
  let sim: Simulator;
  let clock: ManualClock;
  before(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    sim = await startSimulator({ clock });
  });
  after(async () => {
    await sim.stop();
  });
  const run = (ms: number): void => {
    for (let t = 0; t < ms; t += 1000) {
      clock.advance(1000);
      sim.state;
    }
  };

  for (const file of goldens) {
    it(file, async () => {
      const aws = clients(sim.url);
      const name = file.replace(/\.yaml$/, '').replace(/[^A-Za-z0-9-]/g, '-');
      const body = readFileSync(`${dir}/${file}`, 'utf8');
      const declared: Record<string, { Default?: unknown }> = (await import('yaml')).parse(body).Parameters ?? {};
      const values: Record<string, string> = { SubnetIds: sim.state.subnets.filter((s) => (s.vpcId ?? sim.state.vpc.id) === sim.state.vpc.id).map((s) => s.id).join(','), VpcId: sim.state.vpc.id };
      // What `up` would pass: the looked-up network, and some value for anything else without a default.
      const Parameters = Object.entries(declared)
        .filter(([k, p]) => k in values || p.Default === undefined)
        .map(([k]) => ({ ParameterKey: k, ParameterValue: values[k] ?? `sim-${k}` }));
      // the ACM certificates a template names (x-aws-certificate) exist and are issued, as `up` checked
      const certificates = [...new Set(body.match(/arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+/g) ?? [])];
      sim.setScenario({ certificates: certificates.map((arn) => ({ arn })) });
      await aws.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body, Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'], Parameters }));
      run(600_000);
      const stack = (await aws.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
      if (stack.StackStatus !== 'CREATE_COMPLETE') {
        const failed = (await aws.cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents!.filter((e) => e.ResourceStatus?.endsWith('FAILED'));
        expect.fail(`${stack.StackStatus}: ${failed.map((e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`).join('; ')}`);
      }
      await aws.cfn.send(new DeleteStackCommand({ StackName: name }));
      run(600_000);
      expect((await aws.cfn.send(new DescribeStacksCommand({ StackName: stack.StackId }))).Stacks![0]!.StackStatus).to.equal('DELETE_COMPLETE');
    });
  }
});
