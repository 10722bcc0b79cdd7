/**
 * `up` checks the load balancer part of the plan before any change, against the simulator: an
 * existing load balancer (x-aws-loadbalancer) of the wrong type for the ports, a port someone
 * else's listener holds, and subnets for the stack's own load balancer (one per zone, two zones
 * for an ALB). The template is the real converter's, given what `up` looked up.
 */
import { expect } from 'chai';
import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { simulatorPerTest } from '../sim/simulator-per-test.js';
import { clients, DEFAULT_SUBNETS } from '../sim/support.js';
import { up, type UpDeps } from '../../src/aws/deploy.js';
import type { ResolvedEnvironment } from '../../src/aws/environment.js';
import { environmentRequestOf } from '../../src/convert/environment-request.js';
import { convertProject } from '../../src/convert/index.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import { UserError } from '../../src/errors.js';
import { loadYaml } from '../convert/helpers.js';
import { expectValidTemplate } from '../support/cfn-spec.js';
import { simUpDeps } from './sim-support.js';

describe('up: load balancer checks, against the simulator', function () {
  const fixture = simulatorPerTest();
  const sink = (): void => undefined;

  function deps(yaml: string, project = 'app'): { deps: UpDeps; input: Parameters<typeof up>[0] } {
    const compose = loadYaml(yaml, { projectName: project });
    const { project: _name, ...environment } = environmentRequestOf(compose);
    const convert = (env: ResolvedEnvironment) => {
      const { template } = convertProject(compose, {
        environment: {
          vpcId: env.vpcId,
          subnetIds: env.subnetIds,
          subnetsByZone: env.subnetsByZone,
          region: env.region,
          existingFileSystems: env.retainedFileSystems,
          ...(env.loadBalancerSecurityGroupId ? { loadBalancerSecurityGroupId: env.loadBalancerSecurityGroupId } : {}),
        },
      });
      expectValidTemplate(template);
      return { body: renderTemplate(template, 'json'), parameters: {}, template };
    };
    return {
      deps: simUpDeps(fixture, convert),
      input: { project, environment },
    };
  }

  /** A load balancer made outside the project (another team's stack), with a listener on 80. */
  async function sharedLoadBalancer(type: 'application' | 'network', securityGroups = true): Promise<string> {
    const aws = clients(fixture.sim.url);
    const protocol = type === 'application' ? 'HTTP' : 'TCP';
    await aws.cfn.send(
      new CreateStackCommand({
        StackName: `shared-${type}`,
        TemplateBody: JSON.stringify({
          Resources: {
            Sg: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'shared' } },
            Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: type, Subnets: DEFAULT_SUBNETS.slice(0, 2), ...(securityGroups ? { SecurityGroups: [{ Ref: 'Sg' }] } : {}) } },
            Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: protocol, TargetType: 'ip' } },
            L: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: 80, Protocol: protocol, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }] } },
          },
        }),
      }),
    );
    fixture.run(60_000);
    return [...fixture.sim.state.loadBalancers.values()].find((l) => l.type === type)!.arn;
  }

  const refusal = async (p: Promise<unknown>): Promise<string> => {
    const e = await p.then(() => undefined, (x: unknown) => x);
    expect(e, 'expected up to refuse').to.be.instanceOf(UserError);
    return (e as Error).message;
  };

  it('refuses a TCP port on an existing Application Load Balancer and a port its listener already holds, before any change', async () => {
    const arn = await sharedLoadBalancer('application');
    const { deps: d, input } = deps(`x-aws-loadbalancer: "${arn}"\nservices:\n  web: { image: nginx, ports: ["80:80"] }\n  db: { image: postgres, ports: ["5432:5432"] }\n`);
    const message = await refusal(up(input, d, sink));
    expect(message).to.match(/^x-aws-loadbalancer shared-a\S* is an Application Load Balancer, but service db publishes port 5432 as TCP, which needs a Network Load Balancer\./);
    expect(message).to.match(/already has a HTTP listener on port 80, which service web publishes; AWS allows one listener per port\./);
    expect(fixture.sim.callsTo('CreateStack').map((c) => c.params.StackName)).to.deep.equal(['shared-application']);
    expect(fixture.sim.callsTo('CreateChangeSet')).to.have.length(0);
  });

  it('adds listeners on free ports of an existing load balancer, and finds its own listeners no conflict on the next up', async () => {
    const arn = await sharedLoadBalancer('application');
    const { deps: d, input } = deps(`x-aws-loadbalancer: "${arn}"\nservices:\n  web: { image: nginx, ports: [{ target: 8080, published: "8080", x-aws-protocol: http }] }\n`);
    expect((await up(input, d, sink)).kind).to.equal('succeeded');
    expect([...fixture.sim.state.listeners.values()].filter((l) => l.loadBalancerArn === arn).map((l) => l.port).sort()).to.deep.equal([80, 8080]);
    expect((await up(input, d, sink)).kind).to.equal('no-changes');
  });

  it('refuses an existing Network Load Balancer without a security group', async () => {
    const arn = await sharedLoadBalancer('network', false);
    const { deps: d, input } = deps(`x-aws-loadbalancer: "${arn}"\nservices:\n  db: { image: postgres, ports: ["5432:5432"] }\n`);
    expect(await refusal(up(input, d, sink))).to.match(/has no security group, so the tasks cannot admit its traffic/);
  });

  it('gives its own load balancer one subnet per zone of x-aws-subnets, and refuses an ALB in one zone', async () => {
    const [a, b] = DEFAULT_SUBNETS;
    const a2 = 'subnet-0a1b2c3d4e5f6a7b9';
    fixture.sim.state.subnets.push({ id: a2, az: 'us-east-1a', azId: 'use1-az1', cidr: '172.31.200.0/24' });
    const ok = deps(`x-aws-subnets: [${a}, ${a2}, ${b}]\nservices:\n  web: { image: nginx, ports: ["80:80"] }\n`);
    expect((await up(ok.input, ok.deps, sink)).kind).to.equal('succeeded');
    const lb = [...fixture.sim.state.loadBalancers.values()][0]!;
    expect(lb.subnets).to.deep.equal([a < a2 ? a : a2, b]);

    const one = deps(`x-aws-subnets: [${a}, ${a2}]\nservices:\n  web: { image: nginx, ports: ["80:80"] }\n`, 'single');
    expect(await refusal(up(one.input, one.deps, sink))).to.equal(
      'The load balancer for the published ports is an Application Load Balancer, which needs subnets in at least two availability zones, but the subnets are all in us-east-1a.',
    );
  });
});
