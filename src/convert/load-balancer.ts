/**
 * Published ports: one load balancer for the project (an ALB iff every published port is HTTP,
 * else an NLB, as before), or the existing one `x-aws-loadbalancer` names; per port a target
 * group (type ip) and a listener, named `<Svc><PROTO><port>TargetGroup` / `...Listener`.
 *
 * Unlike the old integration (design 4.6), tasks do not open their ports to 0.0.0.0/0: the load
 * balancer has its own security group that accepts the published ports from anywhere, and each
 * published port is opened on the service's network security groups to that group only. Network
 * Load Balancers take security groups too (since 2023), so the same rule works for both types.
 */
import type { ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Resource, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './context.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import type { PublishedPort } from './ports.js';

function listenerProtocol(ctx: ConvertContext, port: PublishedPort): string {
  // an ALB listener on 443 would need a certificate; like before it is plain HTTP, and an overlay
  // adds Certificates + Protocol HTTPS on <Svc>TCP443Listener
  return ctx.loadBalancer?.type === 'application' ? 'HTTP' : port.protocol.toUpperCase();
}

/** The project-level load balancer and its security group (nothing when no port is published). */
export function convertLoadBalancer(ctx: ConvertContext): Fragment {
  const lb = ctx.loadBalancer;
  if (!lb || lb.external) return {};
  const ports = [...ctx.published.values()].flat().sort((a, b) => a.port - b.port);
  const lbProperties: Record<string, Value> = {
    Scheme: 'internet-facing',
    Type: lb.type,
    Subnets: ctx.loadBalancerSubnets,
    SecurityGroups: [ref(naming.LOAD_BALANCER_SECURITY_GROUP)],
    Tags: [projectTag(ctx)],
  };
  if (lb.type === 'network') {
    lbProperties.LoadBalancerAttributes = [{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }];
  }
  return {
    // `up` prints the published endpoints from this output, with no extra AWS call
    outputs: {
      [naming.LOAD_BALANCER_DNS_OUTPUT]: { Description: 'DNS name of the load balancer serving the published ports', Value: getAtt(naming.LOAD_BALANCER, 'DNSName') },
    },
    resources: {
      [naming.LOAD_BALANCER]: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: lbProperties },
      [naming.LOAD_BALANCER_SECURITY_GROUP]: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          GroupDescription: `${ctx.project.name} load balancer: published ports`,
          VpcId: ctx.vpc,
          SecurityGroupIngress: ports.map((p) => ({
            CidrIp: '0.0.0.0/0',
            Description: `${p.service}:${p.port}/${p.protocol} from anywhere`,
            FromPort: p.port,
            ToPort: p.port,
            IpProtocol: p.protocol,
          })),
          Tags: [projectTag(ctx)],
        },
      },
    },
  };
}

/** Target groups, listeners and task ingress rules for one service's published ports. */
export function convertServicePorts(ctx: ConvertContext, service: ServiceConfig): Fragment {
  const lb = ctx.loadBalancer;
  const ports = ctx.published.get(service.name) ?? [];
  if (!lb || ports.length === 0) return {};
  const resources: Record<string, Resource> = {};
  for (const p of ports) {
    const protocol = listenerProtocol(ctx, p);
    const group = naming.targetGroup(service.name, p.protocol, p.port);
    const targetGroup: Record<string, Value> = {
      Port: p.port,
      Protocol: protocol,
      TargetType: 'ip',
      VpcId: ctx.vpc,
      Tags: [projectTag(ctx)],
    };
    // the ALB default (200 only) marks apps that answer / with a redirect as unhealthy (old issue #667)
    if (protocol === 'HTTP') targetGroup.Matcher = { HttpCode: '200-399' };
    resources[group] = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: targetGroup };
    resources[naming.listener(service.name, p.protocol, p.port)] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: ref(group) }] } }],
        LoadBalancerArn: lb.arn,
        Port: p.port,
        Protocol: protocol,
        // no Tags: cfn-lint's schema (E3002) and CloudFormation before 2026 reject them on listeners
      },
    };
    for (const network of ctx.serviceNetworks.get(service.name) ?? []) {
      const info = ctx.networks.get(network)!;
      resources[naming.portIngress(network, p.port)] = {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: {
          Description: `${service.name}:${p.port}/${p.protocol} on ${network} network, from the load balancer`,
          GroupId: info.securityGroup,
          SourceSecurityGroupId: lb.securityGroup,
          FromPort: p.port,
          ToPort: p.port,
          IpProtocol: p.protocol,
        },
      };
    }
  }
  return { resources };
}

/** What the ECS service needs: its LoadBalancers entries and the listeners it must wait for. */
export function serviceLoadBalancing(ctx: ConvertContext, service: ServiceConfig): { loadBalancers: Value[]; listeners: string[] } {
  if (!ctx.loadBalancer) return { loadBalancers: [], listeners: [] };
  const ports = ctx.published.get(service.name) ?? [];
  return {
    loadBalancers: ports.map((p) => ({
      ContainerName: naming.containerName(service.name),
      ContainerPort: p.port,
      TargetGroupArn: ref(naming.targetGroup(service.name, p.protocol, p.port)),
    })),
    listeners: ports.map((p) => naming.listener(service.name, p.protocol, p.port)),
  };
}
