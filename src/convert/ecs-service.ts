/**
 * The ECS service: desired count, rolling-update limits with the deployment circuit breaker and
 * rollback on (design 4.5: a broken image fails in minutes instead of hanging the stack), Fargate,
 * awsvpc networking in the service's network security groups, Cloud Map registration, Service
 * Connect, load balancer targets. DependsOn its listeners (a target group must be attached to a
 * load balancer before a service uses it), the mount targets of its EFS volumes (a task cannot
 * mount a file system before), the capacity provider association for a GPU service, and on the
 * services it depends_on. A GPU service runs on the EC2 capacity provider instead of Fargate.
 */
import type { ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Value } from '../cloudformation/template.js';
import { factsOf, type ConvertContext } from './context.js';
import { serviceTags } from './tags.js';
import { autoscalingSettings } from './autoscaling.js';
import { desiredCount, deploymentLimits, healthCheckGracePeriod } from './deployment.js';
import { serviceConnectConfiguration } from './discovery.js';
import { fargateCapacity } from './capacity.js';
import { assignPublicIp } from './egress.js';
import type { Fragment } from './fragment.js';
import { gpuServiceCapacity } from './gpu-capacity.js';
import { serviceLoadBalancing } from './load-balancer.js';
import * as naming from './naming.js';
import { dependencyTarget } from './one-shot.js';
import { endpointsNonce, serversToWaitFor } from './service-connect-order.js';

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function convertEcsService(ctx: ConvertContext, service: ServiceConfig): Fragment {
  const limits = deploymentLimits(service);
  const lb = serviceLoadBalancing(ctx, service);
  const connect = serviceConnectConfiguration(ctx, service);
  const groups = (ctx.serviceNetworks.get(service.name) ?? []).map((n) => ctx.networks.get(n)!.securityGroup);
  // sorted by their JSON text, so the list never changes order between runs: literal ids (`"sg-…"`)
  // come before references (`{"Ref":…}`)
  const securityGroups = [...groups].sort((a, b) => byCodeUnit(JSON.stringify(a), JSON.stringify(b)));

  const gpu = ctx.gpuServices.has(service.name);
  // EC2 awsvpc tasks cannot have a public IP; the ECS agent pulls their images through the instance's
  // own network interface. Fargate tasks in public subnets without a NAT gateway need one to pull
  // images (egress.ts: only there, or as x-aws-public_ip says); the security groups, not the
  // address, keep the tasks closed to the internet.
  const awsvpc: Record<string, Value> = { SecurityGroups: securityGroups, Subnets: ctx.subnets, ...(gpu ? {} : { AssignPublicIp: assignPublicIp(ctx, service) }) };
  const properties: Record<string, Value> = {
    Cluster: ctx.cluster.arn,
    DeploymentController: { Type: 'ECS' },
    // `docker ecs compose exec` (ecs-exec.ts: the task role has what the agent needs)
    EnableExecuteCommand: true,
    DeploymentConfiguration: {
      MaximumPercent: limits.maximumPercent,
      MinimumHealthyPercent: limits.minimumHealthyPercent,
      DeploymentCircuitBreaker: { Enable: true, Rollback: true },
    },
    NetworkConfiguration: { AwsvpcConfiguration: awsvpc },
    PropagateTags: 'SERVICE',
    SchedulingStrategy: 'REPLICA',
    ServiceRegistries: [{ RegistryArn: getAtt(naming.serviceDiscoveryEntry(service.name), 'Arn') }],
    ...(connect.value !== undefined ? { ServiceConnectConfiguration: connect.value } : {}),
    TaskDefinition: ref(naming.taskDefinition(service.name)),
    Tags: serviceTags(ctx, service.name),
  };
  // With autoscaling the count is autoscaling's: CloudFormation resets a DesiredCount it is given
  // on every update of the service. Without it a new service starts with 1 task and registering the
  // scalable target raises it to MinCapacity (the replicas); an update keeps the running count.
  if (!autoscalingSettings(service)) properties.DesiredCount = desiredCount(service);
  if (lb.loadBalancers.length > 0) properties.LoadBalancers = lb.loadBalancers;
  const grace = healthCheckGracePeriod(service, lb.loadBalancers.length > 0);
  if (grace !== undefined) properties.HealthCheckGracePeriodSeconds = grace;

  const after: string[] = [...lb.listeners, ...factsOf(ctx, service).volumes.dependsOn];
  if (gpu) {
    const capacity = gpuServiceCapacity();
    properties.CapacityProviderStrategy = capacity.strategy;
    after.push(capacity.dependsOn);
  } else {
    // LaunchType FARGATE, or the x-aws-capacity strategy (Fargate Spot) and its cluster association
    const fargate = fargateCapacity(ctx, service);
    Object.assign(properties, fargate.properties);
    after.push(...fargate.dependsOn);
  }

  const dependsOnServices = Object.keys(service.depends_on ?? {}).filter((d) => d in ctx.project.services);
  // a one-shot job's dependents wait for its gate (it exited 0), the others for the ECS service;
  // every service waits for the Service Connect servers too (service-connect-order.ts)
  const dependsOn = [
    ...new Set([...after, ...dependsOnServices.map((d) => dependencyTarget(ctx, d)), ...serversToWaitFor(ctx, service.name).map(naming.ecsService)]),
  ].sort(byCodeUnit);
  const nonce = endpointsNonce(ctx, service.name);
  if (nonce !== undefined) properties.ForceNewDeployment = nonce;

  return {
    resources: {
      [naming.ecsService(service.name)]: {
        Type: 'AWS::ECS::Service',
        ...(dependsOn.length > 0 ? { DependsOn: dependsOn } : {}),
        Properties: properties,
      },
    },
    diagnostics: [...limits.diagnostics, ...connect.diagnostics],
  };
}
