import { expect } from 'chai';
import { convertYaml, props, resource } from './helpers.js';

const APP = (extra = '') => `
services:
  web: { image: nginx, ports: ["80:80"] }
  api: { image: example/api, expose: ["8080"] }
  db: { image: postgres, expose: ["5432"] }
  worker: { image: example/worker }
${extra}`;

describe('convert: Service Connect start order and endpoint changes', () => {
  it('has every service wait for the Service Connect servers, front ends for back ends, without cycles', () => {
    const { template } = convertYaml(APP());
    expect(resource(template, 'WebService').DependsOn).to.include.members(['ApiService', 'DbService']);
    expect(resource(template, 'WorkerService').DependsOn).to.include.members(['ApiService', 'DbService', 'WebService']);
    expect(resource(template, 'ApiService').DependsOn).to.deep.equal(['DbService']);
    expect(resource(template, 'DbService')).not.to.have.property('DependsOn');
  });

  it('keeps an explicit depends_on and never adds the opposite edge', () => {
    const { template } = convertYaml(`
services:
  db: { image: postgres, expose: ["5432"], depends_on: [api] }
  api: { image: example/api, expose: ["8080"] }
`);
    expect(resource(template, 'DbService').DependsOn).to.deep.equal(['ApiService']);
    expect(resource(template, 'ApiService')).not.to.have.property('DependsOn');
  });

  it("rolls a service's tasks when the other services' endpoints change, and only then", () => {
    const nonce = (yaml: string, svc: string) => props(convertYaml(yaml).template, svc).ForceNewDeployment;
    expect(nonce(APP(), 'WorkerService')).to.deep.include({ EnableForceNewDeployment: true });
    expect(nonce(APP(), 'WorkerService')).to.deep.equal(nonce(APP(), 'WorkerService'));
    const added = APP('  cache: { image: redis, expose: ["6379"] }');
    expect(nonce(added, 'WorkerService')).not.to.deep.equal(nonce(APP(), 'WorkerService'));
    expect(nonce(APP().replace('"5432"', '"5433"'), 'ApiService')).not.to.deep.equal(nonce(APP(), 'ApiService'));
    expect(props(convertYaml('services: { web: { image: nginx, ports: ["80:80"] } }').template, 'WebService')).not.to.have.property('ForceNewDeployment');
  });
});
