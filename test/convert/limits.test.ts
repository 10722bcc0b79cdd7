/**
 * AWS limits refused at convert (so `up` refuses them too) with the numbers and the biggest
 * contributors: reproducers from issue #20 and review finding F12.
 */
import { expect } from 'chai';
import { limitProblems, MAX_RESOURCES } from '../../src/convert/limits.js';
import type { Template } from '../../src/cloudformation/template.js';
import { convertYaml, refusal } from './helpers.js';

const services = (n: number, extra = '') => `services:\n${Array.from({ length: n }, (_, i) => `  s${String(i).padStart(3, '0')}:\n    image: nginx\n${extra}`).join('')}`;

describe('convert: AWS limits', () => {
  it('refuses more than 500 resources, naming the count and the services that contribute most (150 services give 606)', () => {
    const e = refusal(services(150));
    expect(e.message).to.equal(
      'The template has 606 resources, more than the 500 CloudFormation allows in one stack; the most come from services s000 (4 resources), s001 (4 resources), s002 (4 resources) and 147 other services, then the project-level resources (6 resources). Split the project into several compose projects (each its own stack), or remove services or published ports.',
    );
  });

  it('accepts a project just under the resource limit', () => {
    const { template } = convertYaml(services(120));
    expect(Object.keys(template.Resources).length).to.be.at.most(MAX_RESOURCES);
  });

  it('names the service with the most resources first (published ports and autoscaling weigh more)', () => {
    const heavy = 'services:\n  big:\n    image: nginx\n    ports:\n' + Array.from({ length: 40 }, (_, i) => `      - "${9000 + i}:${9000 + i}"\n`).join('');
    const e = refusal(heavy + services(110).replace('services:\n', ''));
    expect(e.message).to.match(/^The template has \d+ resources, more than the 500 CloudFormation allows in one stack; the most come from services big \(\d+ resources\), s000 \(4 resources\)/);
  });

  it('refuses more than 50 listeners on the load balancer, naming the services that publish the most ports', () => {
    const yaml = 'services:\n' + [0, 1, 2].map((s) => `  s${s}:\n    image: nginx\n    ports:\n` + Array.from({ length: 20 }, (_, i) => `      - "${8000 + s * 20 + i}:${8000 + s * 20 + i}"\n`).join('')).join('');
    expect(refusal(yaml).message).to.equal(
      'The load balancer LoadBalancer gets 60 listeners, more than the 50 Elastic Load Balancing allows; each published port is one listener, and the most come from services s0 (20 listeners), s1 (20 listeners), s2 (20 listeners). Publish fewer ports (list the others under expose to keep them reachable inside the project).',
    );
  });

  it('refuses a logical ID over 255 characters (a 235-character service name), naming the service', () => {
    const name = 'a'.repeat(235);
    const e = refusal(`services:\n  ${name}:\n    image: nginx\n`);
    expect(e.message).to.match(/^Resources logical ID "Aaaa[a.]+" \(from service a+\.\.\.\) has 256 characters, more than 255; CloudFormation takes IDs of 1 to 255 letters and digits\. Shorten the service name\.$/);
  });

  it('refuses a template over 1,000,000 bytes, naming the largest service', () => {
    const env = Array.from({ length: 300 }, (_, i) => `      V${i}: "${'x'.repeat(4000)}"\n`).join('');
    const e = refusal(`services:\n  fat:\n    image: nginx\n    environment:\n${env}  thin:\n    image: nginx\n`);
    expect(e.message).to.match(/^The template is 1,2\d\d KB, more than the 1,000 KB CloudFormation accepts even through S3; the largest parts come from services fat \(1,2\d\d KB\), thin \(\d KB\), then the project-level resources/);
  });

  it('refuses an overlay that adds a non-alphanumeric logical ID, a port out of range or a StopTimeout over 120', () => {
    const e = refusal(`services:\n  web:\n    image: nginx\nx-aws-cloudformation:\n  Resources:\n    Bad-Id:\n      Type: AWS::SNS::Topic\n    WebTaskDefinition:\n      Properties:\n        ContainerDefinitions:\n          - Name: web\n            StopTimeout: 300\n            PortMappings: [{ContainerPort: 0}]\n`);
    expect(e.message).to.include('Resources logical ID "Bad-Id" is not alphanumeric; CloudFormation takes IDs of 1 to 255 letters and digits. Rename it in x-aws-cloudformation.');
    expect(e.message).to.include('Ports are whole numbers from 1 to 65535, and the template has web ContainerPort 0;');
    expect(e.message).to.include('ECS takes a StopTimeout of 0 to 120 seconds, and the template gives web (300);');
  });

  it('reports every exceeded limit of a template at once', () => {
    const t: Template = { AWSTemplateFormatVersion: '2010-09-09', Resources: {}, Parameters: {}, Outputs: {} };
    for (let i = 0; i < 501; i++) t.Resources[`WebThing${i}`] = { Type: 'AWS::SNS::Topic' };
    for (let i = 0; i < 201; i++) t.Parameters![`P${i}`] = { Type: 'String' };
    for (let i = 0; i < 201; i++) t.Outputs![`O${i}`] = { Value: 'x' };
    const problems = limitProblems(t, ['web']);
    expect(problems.map((p) => p.split(';')[0])).to.deep.equal([
      'The template has 501 resources, more than the 500 CloudFormation allows in one stack',
      'The template has 201 parameters, more than the 200 CloudFormation allows',
      'The template has 201 outputs, more than the 200 CloudFormation allows',
    ]);
    expect(problems[0]).to.include('the most come from service web (501 resources)');
  });

  it('refuses port 0 and port ranges too large to deploy, fast and before expanding them', () => {
    expect(refusal('services:\n  a:\n    image: nginx\n    ports: ["0:0"]\n').display()).to.equal('compose.yaml:4: services.a.ports[0] has the container port 0 in "0:0"; a container port is a whole number from 1 to 65535.');
    const started = process.hrtime.bigint();
    expect(refusal('services:\n  a:\n    image: nginx\n    ports: ["1-65535:1-65535"]\n').display()).to.match(/^compose\.yaml:4: services\.a\.ports\[0\] has the range "1-65535:1-65535" of 65,535 ports, which takes the service past 1,000 ports/);
    expect(refusal('services:\n  a:\n    image: nginx\n    expose: ["1-65535"]\n').display()).to.match(/^compose\.yaml:4: services\.a\.expose\[0\] has the range "1-65535" of 65,535 ports/);
    // many small ranges add up against the same per-service budget
    const many = Array.from({ length: 20 }, (_, i) => `      - "${10000 + i * 100}-${10000 + i * 100 + 99}"\n`).join('');
    expect(refusal(`services:\n  a:\n    image: nginx\n    ports:\n${many}`).display()).to.match(/^compose\.yaml:\d+: services\.a\.ports\[10\] has the range "11000-11099" of 100 ports, which takes the service past 1,000 ports/);
    expect(Number(process.hrtime.bigint() - started) / 1e6).to.be.below(5000);
  });

  it('refuses a negative stop_grace_period with its file and line', () => {
    expect(refusal('services:\n  a:\n    image: nginx\n    stop_grace_period: -1s\n').display()).to.equal(
      'compose.yaml:4: services.a.stop_grace_period must not be negative, not the string "-1s". Give the seconds the container may take to stop, such as 10s.',
    );
  });
});
