import { expect } from 'chai';
import { convertYaml, idsOfType, props, refusal, resource } from './helpers.js';

const SHOP = `
services:
  db:
    image: postgres
    volumes: ["data:/var/lib/postgresql/data"]
    healthcheck: { test: ["CMD", "pg_isready"], interval: 5s }
  migrate:
    image: example/api:1
    command: ["migrate"]
    depends_on: { db: { condition: service_healthy } }
  api:
    image: example/api:1
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
volumes: { data: {} }
`;

describe('convert: one-shot jobs and depends_on conditions', () => {
  it('makes a service awaited with service_completed_successfully a job: a task definition and a gate, no ECS service', () => {
    const { template } = convertYaml(SHOP);
    expect(template.Resources).not.to.have.property('MigrateService');
    expect(template.Resources).not.to.have.property('MigrateServiceDiscoveryEntry');
    expect(resource(template, 'MigrateTaskDefinition').Type).to.equal('AWS::ECS::TaskDefinition');
    const [gate] = idsOfType(template, 'AWS::CloudFormation::WaitCondition');
    expect(gate).to.match(/^MigrateJob[0-9A-F]{8}$/);
    expect(resource(template, gate!).DependsOn).to.deep.equal(['DbService', 'MigrateTaskDefinition']);
    expect(props(template, gate!)).to.deep.equal({ Handle: { Ref: `${gate}Handle` }, Timeout: '3600', Count: 1 });
    expect(resource(template, gate!).Metadata!['docker-ecs/one-shot']).to.deep.include({
      service: 'migrate',
      container: 'migrate',
      taskDefinition: { Ref: 'MigrateTaskDefinition' },
      cluster: { Ref: 'Cluster' },
      launchType: 'FARGATE',
      subnets: { Ref: 'SubnetIds' },
      securityGroups: [{ Ref: 'DefaultNetwork' }],
    });
    expect(resource(template, `${gate}Handle`).Type).to.equal('AWS::CloudFormation::WaitConditionHandle');
  });

  it('has the dependents wait for the job to succeed and for a healthy dependency to be deployed', () => {
    const { template } = convertYaml(SHOP);
    const [gate] = idsOfType(template, 'AWS::CloudFormation::WaitCondition');
    expect(resource(template, 'ApiService').DependsOn).to.deep.equal(['DbService', gate]);
  });

  it('names the gate after the job definition: a new definition, a new gate (the job runs again), the same one otherwise', () => {
    const gateOf = (yaml: string) => idsOfType(convertYaml(yaml).template, 'AWS::CloudFormation::WaitCondition')[0];
    expect(gateOf(SHOP)).to.equal(gateOf(SHOP));
    expect(gateOf(SHOP.replace('command: ["migrate"]', 'command: ["migrate", "--all"]'))).not.to.equal(gateOf(SHOP));
    expect(gateOf(SHOP.replace('image: postgres', 'image: postgres:17'))).to.equal(gateOf(SHOP));
  });

  it('runs restart "no" without dependents as a job, with a notice; keeps it a service when something depends on it', () => {
    const { template, diagnostics } = convertYaml('services: { seed: { image: busybox, restart: "no" }, web: { image: nginx } }');
    expect(template.Resources).not.to.have.property('SeedService');
    expect(idsOfType(template, 'AWS::CloudFormation::WaitCondition')).to.have.length(1);
    expect(diagnostics.map((d) => d.message)).to.include(
      'Service seed (restart: "no", nothing depends on it) runs as a one-shot job: up runs it once with each new definition and waits for it to exit; for a long-running service, set restart: always.',
    );
    const kept = convertYaml('services: { seed: { image: busybox, restart: "no" }, web: { image: nginx, depends_on: [seed] } }');
    expect(kept.template.Resources).to.have.property('SeedService');
    expect(kept.diagnostics.map((d) => d.message)).to.include(
      'Service seed: restart no is ignored because other services depend on it running: ECS replaces every stopped task of a service.',
    );
  });

  it('warns that service_healthy without a compose healthcheck waits only until the dependency runs', () => {
    const { diagnostics } = convertYaml('services: { db: { image: postgres }, web: { image: nginx, depends_on: { db: { condition: service_healthy } } } }');
    expect(diagnostics.map((d) => d.message)).to.include(
      "Service web waits for db to be healthy, but db has no healthcheck in the compose file and ECS does not run an image's HEALTHCHECK, so web waits only until db is running.",
    );
  });

  it('refuses a job that publishes ports', () => {
    expect(refusal('services: { seed: { image: busybox, restart: "no", ports: ["80:80"] } }').message).to.equal(
      'Service seed is a one-shot job (it runs once and exits), so it cannot publish ports behind the load balancer; remove its ports.',
    );
  });
});
