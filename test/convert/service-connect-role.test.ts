// Which services run the Service Connect agent: servers others may call, and the clients of some
// server; a lone service, or services none of which offers a short name, run without it. What is
// reachable by short name does not change (reachability.ts over the template).
import { expect } from 'chai';
import { reachability } from '../../src/convert/reachability.js';
import { convertYaml, idsOfType, props } from './helpers.js';

const connectOf = (yaml: string) => {
  const { template } = convertYaml(yaml);
  const out: Record<string, unknown> = {};
  for (const id of idsOfType(template, 'AWS::ECS::Service')) out[id] = props(template, id).ServiceConnectConfiguration;
  return { template, out };
};

describe('Service Connect only where a short name can be used', () => {
  it('a lone service, even with a port, runs without the agent: nothing else could call it by name', () => {
    const { out } = connectOf('services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n');
    expect(out).to.deep.equal({ WebService: undefined });
  });

  it('services none of which offers a port run without it', () => {
    const { out } = connectOf('services:\n  a:\n    image: worker\n  b:\n    image: worker\n');
    expect(out).to.deep.equal({ AService: undefined, BService: undefined });
  });

  it('a server gets its aliases and every other service is its client, so db:5432 still works', () => {
    const { template, out } = connectOf('services:\n  api:\n    image: api\n  db:\n    image: postgres\n    expose: ["5432"]\n  worker:\n    image: worker\n');
    expect(out.ApiService).to.deep.include({ Enabled: true }).and.not.have.property('Services');
    expect(out.WorkerService).to.deep.include({ Enabled: true }).and.not.have.property('Services');
    expect((out.DbService as { Services: Array<{ ClientAliases: unknown[] }> }).Services[0]!.ClientAliases).to.deep.equal([{ DnsName: 'db', Port: 5432 }]);
    const reach = reachability(template, [
      { from: 'api', to: 'db', port: 5432, protocol: 'tcp' },
      { from: 'worker', to: 'db', port: 5432, protocol: 'tcp' },
    ]);
    expect(reach.map((r) => r.reach)).to.deep.equal(['short-name', 'short-name']);
  });

  it('a one-shot job is no Service Connect peer: a service with only a job beside it runs without the agent', () => {
    const { out } = connectOf('services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n  migrate:\n    image: app\n    restart: "no"\n');
    expect(out).to.deep.equal({ WebService: undefined });
  });
});
