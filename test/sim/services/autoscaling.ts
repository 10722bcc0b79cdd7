/** EC2 Auto Scaling (query protocol): the groups GPU capacity runs on (engine/ec2-capacity.ts). */
import { SimError } from '../errors.js';
import { list } from '../protocols/query-xml.js';
import { setDesired } from '../engine/ec2-capacity.js';
import type { Handler } from './types.js';

export const autoscaling: Record<string, Handler> = {
  DescribeAutoScalingGroups({ world, params }) {
    const names = list<string>(params.AutoScalingGroupNames);
    const groups = [...world.autoScalingGroups.values()].filter((g) => !names.length || names.includes(g.name));
    return {
      AutoScalingGroups: groups.map((g) => ({
        AutoScalingGroupName: g.name,
        AutoScalingGroupARN: g.arn,
        MinSize: g.minSize,
        MaxSize: g.maxSize,
        DesiredCapacity: g.desired,
        DefaultCooldown: 300,
        AvailabilityZones: world.azs,
        HealthCheckType: 'EC2',
        CreatedTime: new Date(world.now()),
        Instances: g.instances.map((i) => ({
          InstanceId: i.id,
          AvailabilityZone: world.azs[0],
          LifecycleState: i.state === 'InService' ? 'InService' : 'Terminating',
          HealthStatus: 'Healthy',
          ProtectedFromScaleIn: false,
        })),
        Tags: g.tags.map((t) => ({ Key: t.Key, Value: t.Value, ResourceId: g.name, ResourceType: 'auto-scaling-group', PropagateAtLaunch: true })),
      })),
    };
  },
  UpdateAutoScalingGroup({ world, params }) {
    const g = world.autoScalingGroups.get(String(params.AutoScalingGroupName));
    if (!g) throw new SimError('ValidationError', `AutoScalingGroup name not found - AutoScalingGroup ${params.AutoScalingGroupName} not found`);
    const min = params.MinSize === undefined ? g.minSize : Number(params.MinSize);
    const max = params.MaxSize === undefined ? g.maxSize : Number(params.MaxSize);
    const desired = params.DesiredCapacity === undefined ? g.desired : Number(params.DesiredCapacity);
    if (min > max || desired < min || desired > max) {
      throw new SimError('ValidationError', `Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
    }
    g.minSize = min;
    g.maxSize = max;
    setDesired(world, g, desired);
    return {};
  },
};
