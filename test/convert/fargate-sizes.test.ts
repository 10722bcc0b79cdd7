import { expect } from 'chai';
import { convertYaml, props } from './helpers.js';
import { selectFargateSize } from '../../src/convert/fargate-sizes.js';
import { UserError } from '../../src/errors.js';

const GiB = 1024 ** 3;

describe('convert: Fargate task size', () => {
  it('is 0.25 vCPU / 512 MiB without resources', () => {
    expect(selectFargateSize(undefined, undefined, 'web')).to.deep.equal({ cpu: 256, memory: 512 });
  });

  it('counts cpus in vCPUs (1024 units each) and picks the smallest size that holds both', () => {
    expect(selectFargateSize(0.5, 2 * GiB, 'web')).to.deep.equal({ cpu: 512, memory: 2048 });
    expect(selectFargateSize(4, 8 * GiB, 'web')).to.deep.equal({ cpu: 4096, memory: 8192 });
    expect(selectFargateSize(0.25, 8 * GiB, 'web')).to.deep.equal({ cpu: 1024, memory: 8192 });
    expect(selectFargateSize(undefined, 1.5 * GiB, 'web')).to.deep.equal({ cpu: 256, memory: 2048 });
  });

  it('reaches the 8 and 16 vCPU sizes, up to 120 GiB', () => {
    expect(selectFargateSize(6, 17 * GiB, 'web')).to.deep.equal({ cpu: 8192, memory: 20480 });
    expect(selectFargateSize(16, 120 * GiB, 'web')).to.deep.equal({ cpu: 16384, memory: 122880 });
    expect(selectFargateSize(undefined, 100 * GiB, 'web')).to.deep.equal({ cpu: 16384, memory: 106496 });
  });

  it('refuses more than the largest size, naming the service', () => {
    expect(() => selectFargateSize(32, undefined, 'web')).to.throw(UserError, /Service web asks for 32 vCPU/);
    expect(() => selectFargateSize(undefined, 121 * GiB, 'web')).to.throw(UserError, /more than the largest Fargate task/);
  });

  it('reads deploy.resources.limits, falling back to reservations', () => {
    const limits = props(convertYaml('services: { web: { image: nginx, deploy: { resources: { limits: { cpus: "2", memory: 5G } } } } }').template, 'WebTaskDefinition');
    expect([limits.Cpu, limits.Memory]).to.deep.equal(['2048', '5120']);
    const reservations = props(convertYaml('services: { web: { image: nginx, deploy: { resources: { reservations: { cpus: "1" } } } } }').template, 'WebTaskDefinition');
    expect([reservations.Cpu, reservations.Memory]).to.deep.equal(['1024', '2048']);
  });
});
