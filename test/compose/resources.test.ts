import { expect } from 'chai';
import { parseBytes } from '../../src/compose/units.js';
import { loadCompose, loadError } from './helpers.js';

const deploy = (body: string, env: Record<string, string> = {}) => loadCompose(`services:\n  web:\n    image: a\n    deploy:\n${body}`, { env }).services.web!.deploy!;

describe('deploy and resources', () => {
  it('reads memory with b, k, m, g units in any case, with optional i and b, as binary multiples', () => {
    expect(['512', '1b', '1k', '1kb', '1KiB', '512m', '512MB', '2g', '2GiB', '1.5g'].map((s) => parseBytes(s))).to.deep.equal([
      512, 1, 1024, 1024, 1024, 512 * 1024 ** 2, 512 * 1024 ** 2, 2 * 1024 ** 3, 2 * 1024 ** 3, 1.5 * 1024 ** 3,
    ]);
    expect(['1x', 'm', '1 gbb', '5i'].map((s) => parseBytes(s))).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('reads cpus as a string or a number and memory in bytes', () => {
    expect(deploy('      resources:\n        limits:\n          cpus: "0.5"\n          memory: 512M\n        reservations:\n          cpus: 0.25\n          memory: 256m\n').resources).to.deep.equal({
      limits: { cpus: 0.5, memory: 512 * 1024 ** 2 },
      reservations: { cpus: 0.25, memory: 256 * 1024 ** 2 },
    });
  });

  it('reads GPU device reservations and generic resources', () => {
    const r = deploy('      resources:\n        reservations:\n          devices:\n            - capabilities: [gpu]\n              count: all\n              driver: nvidia\n          generic_resources:\n            - discrete_resource_spec:\n                kind: gpu\n                value: 2\n').resources!.reservations!;
    expect(r.devices).to.deep.equal([{ capabilities: ['gpu'], count: -1, driver: 'nvidia' }]);
    expect(r.generic_resources).to.deep.equal([{ discrete_resource_spec: { kind: 'gpu', value: 2 } }]);
  });

  it('reads replicas, placement and update_config, with x- keys under extensions', () => {
    const d = deploy('      replicas: "3"\n      placement:\n        constraints: [node.role==worker]\n      update_config:\n        parallelism: 2\n        order: start-first\n      x-aws-autoscaling:\n        min: 1\n        max: 10\n        cpu: 75\n');
    expect(d).to.deep.equal({
      replicas: 3,
      placement: { constraints: ['node.role==worker'] },
      update_config: { parallelism: 2, order: 'start-first' },
      extensions: { 'x-aws-autoscaling': { min: 1, max: 10, cpu: 75 } },
    });
  });

  it('keeps x- keys of deploy children such as update_config and resources', () => {
    const d = deploy('      update_config:\n        x-aws-min_percent: 50\n        x-aws-max_percent: 150\n      resources:\n        limits:\n          memory: 1g\n          x-note: l\n');
    expect(d.update_config).to.deep.equal({ extensions: { 'x-aws-min_percent': 50, 'x-aws-max_percent': 150 } });
    expect(d.resources!.limits).to.deep.equal({ memory: 1024 ** 3, extensions: { 'x-note': 'l' } });
  });

  it('reads the service-level cpus, mem_limit and shm_size', () => {
    const web = loadCompose('services:\n  web:\n    image: a\n    cpus: 1.5\n    mem_limit: 1gb\n    shm_size: 64m\n').services.web!;
    expect([web.cpus, web.mem_limit, web.shm_size]).to.deep.equal([1.5, 1024 ** 3, 64 * 1024 ** 2]);
  });

  it('refuses memory and cpus that are not sizes or numbers after interpolation', () => {
    expect(loadError(() => deploy('      resources:\n        limits:\n          memory: ${MEM}\n', { MEM: 'lots' }))).to.equal(
      'compose.yaml:7: services.web.deploy.resources.limits.memory must be a size in bytes such as 512m or 2g, not the string "lots".',
    );
    expect(loadError(() => deploy('      resources:\n        limits:\n          cpus: half\n'))).to.equal(
      'compose.yaml:7: services.web.deploy.resources.limits.cpus must be a number of CPUs such as 0.5, not the string "half".',
    );
  });
});
