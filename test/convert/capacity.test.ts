import { expect } from 'chai';
import { convertYaml, props, resource, refusal } from './helpers.js';

const svc = (capacity: string): string => `
services:
  web:
    image: nginx
    x-aws-capacity: ${capacity}
  worker:
    image: busybox
`;

describe('convert: Fargate Spot (x-aws-capacity)', () => {
  it('runs a spot service on FARGATE_SPOT, without LaunchType, after the cluster association of FARGATE and FARGATE_SPOT', () => {
    const { template } = convertYaml(svc('spot'));
    const web = resource(template, 'WebService');
    expect(web.Properties).not.to.have.property('LaunchType');
    expect(web.Properties).to.deep.include({ CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }], PlatformVersion: '1.4.0' });
    expect(web.DependsOn).to.include('ClusterCapacityProviderAssociations');
    expect(props(template, 'ClusterCapacityProviderAssociations')).to.deep.equal({
      Cluster: { Ref: 'Cluster' },
      CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
    });
    // the default stays on-demand Fargate
    expect(props(template, 'WorkerService')).to.deep.include({ LaunchType: 'FARGATE' });
  });

  it('splits tasks by weight with an on-demand base', () => {
    const { template } = convertYaml(svc('{ spot: 3, on-demand: 1, base: 2 }'));
    expect(props(template, 'WebService').CapacityProviderStrategy).to.deep.equal([
      { CapacityProvider: 'FARGATE', Weight: 1, Base: 2 },
      { CapacityProvider: 'FARGATE_SPOT', Weight: 3 },
    ]);
  });

  it('keeps on-demand (and an all-on-demand mapping) as LaunchType FARGATE, with no association', () => {
    for (const v of ['on-demand', '{ on-demand: 2 }']) {
      const { template } = convertYaml(svc(v));
      expect(props(template, 'WebService')).to.deep.include({ LaunchType: 'FARGATE' });
      expect(template.Resources).not.to.have.property('ClusterCapacityProviderAssociations');
    }
  });

  it('refuses a bad value with a sentence naming the service and the key', () => {
    expect(refusal(svc('cheap')).message).to.match(/^Service web: x-aws-capacity must be spot, on-demand, or a mapping \{spot: N, on-demand: M, base: B\} of whole numbers, got "cheap"\./);
    expect(refusal(svc('{ spot: -1 }')).message).to.contain('Service web: x-aws-capacity.spot must be a whole number from 0 to 1000, got -1.');
    expect(refusal(svc('{ spot: 0, on-demand: 0 }')).message).to.contain('Service web: x-aws-capacity needs spot or on-demand above 0');
    expect(refusal(svc('{ spots: 1 }')).message).to.contain('x-aws-capacity has spots, but takes only spot, on-demand and base.');
  });

  it('names the file and line of the key', () => {
    const e = refusal(svc('cheap'));
    expect(e.where?.file).to.match(/compose\.yaml$/);
    expect(e.where?.line).to.equal(5);
  });

  it('refuses x-aws-capacity on a GPU service, which keeps its EC2 capacity provider', () => {
    const yaml = `
services:
  trainer:
    image: example/trainer:1
    x-aws-capacity: spot
    deploy:
      resources:
        reservations:
          devices: [{ capabilities: [gpu], count: 1 }]
`;
    expect(refusal(yaml).message).to.contain('Service trainer reserves GPUs, which run on the project\'s EC2 capacity provider, so it cannot take x-aws-capacity');
  });

  it('adds FARGATE_SPOT to the GPU capacity provider association when both are used', () => {
    const yaml = `
services:
  trainer:
    image: example/trainer:1
    deploy:
      resources:
        reservations:
          devices: [{ capabilities: [gpu], count: 1 }]
  web:
    image: nginx
    x-aws-capacity: spot
`;
    const { template } = convertYaml(yaml);
    expect(props(template, 'ClusterCapacityProviderAssociations').CapacityProviders).to.deep.equal(['FARGATE', 'FARGATE_SPOT', { Ref: 'CapacityProvider' }]);
    expect(props(template, 'TrainerService').CapacityProviderStrategy).to.deep.equal([{ CapacityProvider: { Ref: 'CapacityProvider' }, Weight: 1, Base: 0 }]);
  });

  it('runs a one-shot job with its strategy (RunTask settings in the gate metadata)', () => {
    const yaml = `
services:
  migrate:
    image: busybox
    restart: "no"
    x-aws-capacity: spot
  web:
    image: nginx
    depends_on: { migrate: { condition: service_completed_successfully } }
`;
    const { template } = convertYaml(yaml);
    const gate = Object.values(template.Resources).find((r) => r.Type === 'AWS::CloudFormation::WaitCondition')!;
    const run = Object.values(gate.Metadata!)[0] as Record<string, unknown>;
    expect(run.capacityProviderStrategy).to.deep.equal([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }]);
    expect(run).not.to.have.property('launchType');
    expect(gate.DependsOn).to.include('ClusterCapacityProviderAssociations');
  });

  it('with x-aws-cluster, adds no association to the existing cluster and says FARGATE_SPOT must be associated', () => {
    const { template, diagnostics } = convertYaml(`x-aws-cluster: shared\n${svc('spot')}`);
    expect(template.Resources).not.to.have.property('ClusterCapacityProviderAssociations');
    expect(resource(template, 'WebService').DependsOn ?? []).not.to.include('ClusterCapacityProviderAssociations');
    expect(diagnostics.map((d) => d.message).join('\n')).to.contain('FARGATE_SPOT must already be associated with it');
  });
});
