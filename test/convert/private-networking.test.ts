import { expect } from 'chai';
import { convertYaml, loadYaml, props, refusal } from './helpers.js';
import { taskSubnets } from '../../src/convert/subnets.js';
import { SECRETS_INIT_IMAGE } from '../../src/convert/init-image.js';
import { convertProject } from '../../src/convert/index.js';
import type { Environment, SubnetFact } from '../../src/convert/environment.js';
import { UserError } from '../../src/errors.js';
import { recordForLint } from '../support/cfn-lint.js';

const [pubA, pubB, natA, natB, isoA, isoB] = ['subnet-0a000000', 'subnet-0b000000', 'subnet-1a000000', 'subnet-1b000000', 'subnet-2a000000', 'subnet-2b000000'];
const facts: SubnetFact[] = [
  { id: pubA, zone: 'eu-west-1a', egress: 'internet-gateway' },
  { id: pubB, zone: 'eu-west-1b', egress: 'internet-gateway' },
  { id: natA, zone: 'eu-west-1a', egress: 'nat' },
  { id: natB, zone: 'eu-west-1b', egress: 'nat' },
  { id: isoA, zone: 'eu-west-1a', egress: 'none' },
  { id: isoB, zone: 'eu-west-1b', egress: 'none' },
];
/** What up hands the converter for these subnets and these task subnets. */
function env(subnets: SubnetFact[], tasks: string[]): Environment {
  const byZone: Record<string, string[]> = {};
  for (const id of tasks) (byZone[subnets.find((s) => s.id === id)!.zone] ??= []).push(id);
  return { vpcId: 'vpc-1', subnetIds: tasks, subnetsByZone: byZone, subnets };
}
const WEB = (top = '', svc = '') => `${top}
services:
  web:
    image: nginx
    ports: ["80:80"]
${svc}`;
const awsvpc = (t: ReturnType<typeof convertYaml>['template'], s = 'WebService') => props(t, s).NetworkConfiguration.AwsvpcConfiguration;

describe('convert: private networking', () => {
  it('puts the tasks in the private subnets when x-aws-subnets lists public and private ones, else all of them', () => {
    expect(taskSubnets(facts.slice(0, 4), true)).to.deep.equal([natA, natB]);
    expect(taskSubnets(facts.slice(0, 2), true)).to.deep.equal([pubA, pubB]);
    expect(taskSubnets(facts.slice(2), true)).to.deep.equal([natA, natB, isoA, isoB]);
    // found in the VPC: one per zone, private first, a NAT route before none
    expect(taskSubnets(facts, false)).to.deep.equal([natA, natB]);
    expect(taskSubnets(facts.slice(0, 2), false)).to.deep.equal([pubA, pubB]);
  });

  it('gives an internet-facing load balancer the public subnets and private tasks no public IP', () => {
    const { template } = convertYaml(WEB(), { environment: env(facts.slice(0, 4), [natA, natB]) });
    expect(props(template, 'LoadBalancer')).to.deep.include({ Scheme: 'internet-facing', Subnets: [pubA, pubB] });
    expect(awsvpc(template).AssignPublicIp).to.equal('DISABLED');
    // the parameter holds the task subnets only, and says so
    expect(template.Parameters!.SubnetIds!.Description).to.equal('Subnets for the tasks (x-aws-subnets, or looked up by up)');
    expect(convertYaml(WEB()).template.Parameters!.SubnetIds!.Description).to.match(/^Subnets for the tasks and the load balancer, in at least two availability zones/);
  });

  it('gives an internal load balancer the private subnets, and the public ones when there are no private ones', () => {
    const internal = WEB('x-aws-loadbalancer_scheme: internal');
    const { template } = convertYaml(internal, { environment: env(facts.slice(0, 4), [natA, natB]) });
    expect(props(template, 'LoadBalancer')).to.deep.include({ Scheme: 'internal', Subnets: [natA, natB] });
    expect(props(template, 'LoadBalancerSecurityGroup').SecurityGroupIngress[0].Description).to.equal('web:80/tcp from anywhere that reaches the VPC');
    expect(props(convertYaml(internal, { environment: env(facts.slice(0, 2), [pubA, pubB]) }).template, 'LoadBalancer').Subnets).to.deep.equal([pubA, pubB]);
  });

  it('gives tasks in public subnets a public IP, and lets x-aws-public_ip decide', () => {
    const publicEnv = env(facts.slice(0, 2), [pubA, pubB]);
    expect(awsvpc(convertYaml(WEB(), { environment: publicEnv }).template).AssignPublicIp).to.equal('ENABLED');
    expect(awsvpc(convertYaml(WEB('', '    x-aws-public_ip: false'), { environment: publicEnv }).template).AssignPublicIp).to.equal('DISABLED');
    expect(awsvpc(convertYaml(WEB('', '    x-aws-public_ip: true'), { environment: env(facts.slice(0, 4), [natA, natB]) }).template).AssignPublicIp).to.equal('ENABLED');
    // offline: a public IP, as the default VPC's public subnets need
    expect(awsvpc(convertYaml(WEB()).template).AssignPublicIp).to.equal('ENABLED');
  });

  it('refuses an internet-facing load balancer without public subnets in two zones, and bad values, with a sentence', () => {
    const project = loadYaml(WEB());
    const attempt = (environment: Environment): string => {
      try {
        recordForLint(convertProject(project, { environment }).template);
      } catch (e) {
        if (e instanceof UserError) return e.message;
        throw e;
      }
      throw new Error('expected a refusal');
    };
    expect(attempt(env(facts.slice(2, 4), [natA, natB]))).to.equal(
      'The internet-facing load balancer for the published ports is an Application Load Balancer, which needs subnets in at least two availability zones with a route to an internet gateway (public subnets), but none of the subnets has one; in other subnets it would be created but unreachable from the internet.',
    );
    expect(attempt(env([facts[0]!, facts[2]!, facts[3]!], [natA, natB]))).to.contain(`but only ${pubA} (eu-west-1a) has one`);
    expect(refusal(WEB('x-aws-loadbalancer_scheme: private')).message).to.equal('x-aws-loadbalancer_scheme must be internet-facing or internal, got "private".');
    expect(refusal(WEB('', '    x-aws-public_ip: maybe')).message).to.equal('Service web: x-aws-public_ip must be true or false, got "maybe".');
    expect(refusal(WEB('x-aws-loadbalancer_scheme: internal\nx-aws-loadbalancer: arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared/0123456789abcdef')).message).to.match(
      /^x-aws-loadbalancer_scheme sets the scheme of the load balancer the stack creates, but x-aws-loadbalancer names an existing one/,
    );
  });

  it('warns that tasks without internet egress cannot pull public images or the init container, saying what they need', () => {
    const yaml = `
services:
  web:
    image: nginx
    secrets: [token]
  api:
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1
secrets:
  token: { file: ./token.txt }
`;
    const { diagnostics } = convertYaml(yaml, { environment: env(facts.slice(4), [isoA, isoB]), files: { 'token.txt': 's3cr3t' } });
    const web = diagnostics.filter((d) => d.service === 'web' && d.key === 'image').map((d) => d.message);
    expect(web).to.have.length(1);
    expect(web[0]).to.equal(
      `Service web runs in subnets without a route to the internet (${isoA}: no NAT gateway or internet gateway route; ${isoB}: no NAT gateway or internet gateway route), so its tasks cannot pull nginx, ${SECRETS_INIT_IMAGE} (its init container): add a NAT gateway route (0.0.0.0/0) to those subnets, or keep the images in private ECR (an ECR pull-through cache copies public ones) with VPC endpoints for ECR (api and dkr), S3 and CloudWatch Logs, and name the init container's copy with x-aws-init_image (ECR Public has no VPC endpoint).`,
    );
    // a private ECR image comes through the VPC endpoints: no warning
    expect(diagnostics.filter((d) => d.service === 'api' && d.key === 'image')).to.deep.equal([]);
    // a NAT route is a way out
    expect(convertYaml(yaml, { environment: env(facts.slice(2, 4), [natA, natB]), files: { 'token.txt': 's3cr3t' } }).diagnostics.filter((d) => d.key === 'image')).to.deep.equal([]);
  });

  it('runs the init containers from x-aws-init_image', () => {
    const image = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/busybox:1.36.1';
    const { template } = convertYaml(`x-aws-init_image: ${image}\nservices: { web: { image: nginx, secrets: [token] } }\nsecrets: { token: { file: ./token.txt } }`, { files: { 'token.txt': 'x' } });
    const images = props(template, 'WebTaskDefinition').ContainerDefinitions.map((c: { Image: string }) => c.Image);
    expect(images).to.include(image);
    expect(images).not.to.include(SECRETS_INIT_IMAGE);
  });
});
