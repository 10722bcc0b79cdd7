import { expect } from 'chai';
import { convertYaml, props, resource } from './helpers.js';
import { UserError } from '../../src/errors.js';

describe('convert: ECS service', () => {
  it('runs one Fargate task by default, with the circuit breaker rolling back failed deployments', () => {
    const p = props(convertYaml('services: { web: { image: nginx } }').template, 'WebService');
    expect(p).to.deep.include({
      Cluster: { 'Fn::GetAtt': ['Cluster', 'Arn'] },
      DesiredCount: 1,
      LaunchType: 'FARGATE',
      PlatformVersion: '1.4.0',
      PropagateTags: 'SERVICE',
      SchedulingStrategy: 'REPLICA',
      TaskDefinition: { Ref: 'WebTaskDefinition' },
      DeploymentController: { Type: 'ECS' },
    });
    expect(p.DeploymentConfiguration).to.deep.equal({ MaximumPercent: 200, MinimumHealthyPercent: 100, DeploymentCircuitBreaker: { Enable: true, Rollback: true } });
    expect(p.NetworkConfiguration.AwsvpcConfiguration).to.deep.include({ AssignPublicIp: 'ENABLED', Subnets: { Ref: 'SubnetIds' } });
    expect(p).not.to.have.property('ServiceName');
  });

  it('runs deploy.replicas tasks, or scale when replicas is not set', () => {
    expect(props(convertYaml('services: { web: { image: nginx, deploy: { replicas: 10 } } }').template, 'WebService').DesiredCount).to.equal(10);
    expect(props(convertYaml('services: { web: { image: nginx, scale: 3 } }').template, 'WebService').DesiredCount).to.equal(3);
  });

  it('derives the deployment percents from parallelism: 4 replicas, parallelism 2 -> 150 / 50', () => {
    const p = props(convertYaml('services: { web: { image: nginx, deploy: { replicas: 4, update_config: { parallelism: 2 } } } }').template, 'WebService');
    expect(p.DeploymentConfiguration).to.deep.include({ MaximumPercent: 150, MinimumHealthyPercent: 50 });
  });

  it('takes x-aws-min_percent and x-aws-max_percent as given', () => {
    const p = props(convertYaml('services: { web: { image: nginx, deploy: { update_config: { x-aws-min_percent: 25, x-aws-max_percent: 125 } } } }').template, 'WebService');
    expect(p.DeploymentConfiguration).to.deep.include({ MaximumPercent: 125, MinimumHealthyPercent: 25 });
  });

  it('refuses parallelism without replicas, or larger than replicas', () => {
    expect(() => convertYaml('services: { web: { image: nginx, deploy: { update_config: { parallelism: 2 } } } }')).to.throw(UserError, /Service web sets deploy.update_config.parallelism without deploy.replicas/);
    expect(() => convertYaml('services: { web: { image: nginx, deploy: { replicas: 1, update_config: { parallelism: 2 } } } }')).to.throw(UserError, /deploy.replicas \(1\) must be at least/);
  });

  it('waits for the services it depends on', () => {
    const { template } = convertYaml(`
services:
  web: { image: nginx, depends_on: [db, cache] }
  db: { image: postgres }
  cache: { image: redis }
`);
    expect(resource(template, 'WebService').DependsOn).to.deep.equal(['CacheService', 'DbService']);
    expect(resource(template, 'DbService')).not.to.have.property('DependsOn');
  });

  it('registers in Cloud Map', () => {
    const p = props(convertYaml('services: { web: { image: nginx } }').template, 'WebService');
    expect(p.ServiceRegistries).to.deep.equal([{ RegistryArn: { 'Fn::GetAtt': ['WebServiceDiscoveryEntry', 'Arn'] } }]);
  });
});
