import { expect } from 'chai';
import { convertYaml, idsOfType, props, refusal } from './helpers.js';

function withScaling(scaling: string, extra = ''): string {
  return `${extra}
services:
  web:
    image: nginx
    deploy:
      replicas: 2
      x-aws-autoscaling: ${scaling}
`;
}


describe('convert: autoscaling', () => {
  it('scales the desired count between min and max, tracking average CPU', () => {
    const { template, diagnostics } = convertYaml(withScaling('{ min: 1, max: 10, cpu: 75 }'));
    expect(diagnostics).to.deep.equal([]);
    expect(props(template, 'WebScalableTarget')).to.deep.equal({
      MinCapacity: 1,
      MaxCapacity: 10,
      ResourceId: { 'Fn::Join': ['/', ['service', { Ref: 'Cluster' }, { 'Fn::GetAtt': ['WebService', 'Name'] }]] },
      ScalableDimension: 'ecs:service:DesiredCount',
      ServiceNamespace: 'ecs',
    });
    expect(props(template, 'WebScalingPolicy')).to.deep.equal({
      PolicyName: 'WebScalingPolicy',
      PolicyType: 'TargetTrackingScaling',
      ScalingTargetId: { Ref: 'WebScalableTarget' },
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 75,
        ScaleInCooldown: 60,
        ScaleOutCooldown: 60,
      },
    });
  });

  it('tracks memory instead, and defaults min to the replicas', () => {
    const { template } = convertYaml(withScaling('{ max: 6, memory: 80 }'));
    expect(props(template, 'WebScalableTarget')).to.deep.include({ MinCapacity: 2, MaxCapacity: 6 });
    expect(props(template, 'WebScalingPolicy').TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType).to.equal('ECSServiceAverageMemoryUtilization');
  });

  it('uses the service-linked role of Application Auto Scaling, so no role is created', () => {
    const { template } = convertYaml(withScaling('{ min: 1, max: 3, cpu: 50 }'));
    expect(props(template, 'WebScalableTarget')).not.to.have.property('RoleARN');
    // the task roles only: the service's execution role and the project's ECS Exec role
    expect(idsOfType(template, 'AWS::IAM::Role')).to.deep.equal(['ExecTaskRole', 'WebTaskExecutionRole']);
  });

  it('names an existing cluster by the name in x-aws-cluster, given as a name or an ARN', () => {
    const { template } = convertYaml(withScaling('{ min: 1, max: 3, cpu: 50 }', 'x-aws-cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/shared'));
    expect(props(template, 'WebScalableTarget').ResourceId['Fn::Join'][1][1]).to.equal('shared');
  });

  it('refuses wrong shapes with the service and key', () => {
    expect(refusal(withScaling('{ min: 1, cpu: 50 }')).message).to.equal('Service web: deploy.x-aws-autoscaling.max is required: the most tasks autoscaling may run.');
    expect(refusal(withScaling('{ max: 3 }')).message).to.equal('Service web: deploy.x-aws-autoscaling.cpu or memory is required: the target utilisation in percent.');
    expect(refusal(withScaling('{ max: 3, cpu: 50, memory: 50 }')).message).to.equal('Service web: deploy.x-aws-autoscaling.memory and cpu are both set; autoscaling tracks one of them.');
    expect(refusal(withScaling('{ max: 3, cpu: 150 }')).message).to.equal('Service web: deploy.x-aws-autoscaling.cpu must be a percentage between 1 and 100, got 150.');
    expect(refusal(withScaling('{ min: 5, max: 3, cpu: 50 }')).message).to.equal('Service web: deploy.x-aws-autoscaling.min (5) must not be more than max (3).');
    expect(refusal(withScaling('{ max: lots, cpu: 50 }')).message).to.equal('Service web: deploy.x-aws-autoscaling.max must be a whole number, got "lots".');
    const mem = refusal(withScaling('{ max: 3, mem: 50 }'));
    expect(mem.message).to.equal('Service web: deploy.x-aws-autoscaling.mem is not a setting of autoscaling.');
    expect(mem.options.hint).to.match(/memory, not mem/);
    expect(mem.where?.path).to.equal('services.web.deploy.x-aws-autoscaling.mem');
    expect(refusal(withScaling('75')).message).to.match(/^Service web: deploy.x-aws-autoscaling must be a mapping/);
  });

  it('creates nothing without x-aws-autoscaling', () => {
    const { template } = convertYaml('services: { web: { image: nginx } }');
    expect(idsOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget')).to.deep.equal([]);
  });
});
