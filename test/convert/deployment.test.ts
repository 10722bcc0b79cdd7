import { expect } from 'chai';
import { convertYaml, props } from './helpers.js';

const deployment = (yaml: string) => props(convertYaml(yaml).template, 'DbService').DeploymentConfiguration;

describe('convert: stateful services, health grace and autoscaled counts', () => {
  it('rolls a one-replica service that writes a named volume 0 / 100: the old task stops before the new one starts', () => {
    const { template, diagnostics } = convertYaml(`
services:
  db: { image: postgres, volumes: ["data:/var/lib/postgresql/data"] }
volumes: { data: {} }
`);
    expect(props(template, 'DbService').DeploymentConfiguration).to.deep.include({ MaximumPercent: 100, MinimumHealthyPercent: 0 });
    expect(diagnostics.filter((d) => d.service === 'db')).to.deep.equal([]);
  });

  it('keeps 100 / 200 for a service that only reads a volume, or mounts none', () => {
    expect(deployment('services: { db: { image: postgres, volumes: ["data:/d:ro"] } }\nvolumes: { data: {} }')).to.deep.include({ MaximumPercent: 200, MinimumHealthyPercent: 100 });
    expect(deployment('services: { db: { image: postgres } }')).to.deep.include({ MaximumPercent: 200, MinimumHealthyPercent: 100 });
  });

  it('lets x-aws-min_percent / x-aws-max_percent override the stateful default', () => {
    const yaml = (ext: string) => `services: { db: { image: postgres, volumes: ["data:/d"], deploy: { update_config: { ${ext} } } } }\nvolumes: { data: {} }`;
    expect(deployment(yaml('x-aws-min_percent: 100, x-aws-max_percent: 200'))).to.deep.include({ MaximumPercent: 200, MinimumHealthyPercent: 100 });
    expect(deployment(yaml('x-aws-max_percent: 150'))).to.deep.include({ MaximumPercent: 150, MinimumHealthyPercent: 0 });
  });

  it('warns when several replicas write one volume', () => {
    const { template, diagnostics } = convertYaml(`
services:
  db: { image: postgres, volumes: ["data:/d"], deploy: { replicas: 3 } }
volumes: { data: {} }
`);
    expect(props(template, 'DbService').DeploymentConfiguration).to.deep.include({ MaximumPercent: 200, MinimumHealthyPercent: 100 });
    expect(diagnostics.map((d) => d.message)).to.include(
      'Service db runs 3 replicas that write to volume data: they share its files, and each update runs old and new tasks on them side by side.',
    );
  });

  it('gives a load-balanced service a 60 s health check grace period, longer when start_period is', () => {
    const grace = (hc: string) =>
      props(convertYaml(`services: { web: { image: nginx, ports: ["80:80"]${hc} } }`).template, 'WebService').HealthCheckGracePeriodSeconds;
    expect(grace('')).to.equal(60);
    expect(grace(', healthcheck: { test: ["CMD", "true"], start_period: 30s }')).to.equal(60);
    expect(grace(', healthcheck: { test: ["CMD", "true"], start_period: 2m }')).to.equal(120);
  });

  it('makes start_period the container health check StartPeriod and the grace period of a service without a load balancer', () => {
    const { template } = convertYaml('services: { db: { image: postgres, healthcheck: { test: ["CMD", "pg_isready"], start_period: 45s } } }');
    expect(props(template, 'DbService').HealthCheckGracePeriodSeconds).to.equal(45);
    const main = props(template, 'DbTaskDefinition').ContainerDefinitions.find((c: { Name: string }) => c.Name === 'db');
    expect(main.HealthCheck.StartPeriod).to.equal(45);
    expect(props(convertYaml('services: { db: { image: postgres } }').template, 'DbService')).not.to.have.property('HealthCheckGracePeriodSeconds');
    expect(props(convertYaml('services: { db: { image: postgres, healthcheck: { disable: true } } }').template, 'DbService')).not.to.have.property('HealthCheckGracePeriodSeconds');
  });

  it('leaves DesiredCount to autoscaling, so an update keeps the scaled count; replicas become MinCapacity', () => {
    const { template } = convertYaml('services: { web: { image: nginx, deploy: { replicas: 2, x-aws-autoscaling: { max: 10, cpu: 70 } } } }');
    expect(props(template, 'WebService')).not.to.have.property('DesiredCount');
    expect(props(template, 'WebScalableTarget')).to.deep.include({ MinCapacity: 2, MaxCapacity: 10 });
  });
});
