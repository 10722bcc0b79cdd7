/**
 * Published ports: one load balancer for the project (an ALB iff every published port is HTTP,
 * else an NLB, as before), or the existing one `x-aws-loadbalancer` names; per published port a
 * listener on that port and a target group (type ip) on the container port, named
 * `<Svc><PROTO><published>Listener` / `...TargetGroup` (PROTO `TCP`, `UDP`, or `TCPUDP` for a port
 * published for both, which is one NLB `TCP_UDP` listener and target group).
 *
 * Unlike the old integration (design 4.6), tasks do not open their ports to 0.0.0.0/0: the load
 * balancer has its own security group that accepts the published ports from anywhere, and each
 * container port behind a listener is opened on the service's network security groups to that
 * group only. Network Load Balancers take security groups too (since 2023), so the same rule works
 * for both types. A UDP target group's health check is TCP on the traffic port (the ELB default
 * for UDP: "Health checks for Network Load Balancer target groups"), so a UDP port is opened for
 * TCP from the load balancer too, or its targets would never become healthy.
 */
import type { ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Resource, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import { warning, type Diagnostic } from '../errors.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import { publishedPortsOf, type PortProtocol, type PublishedPort } from './ports.js';
import { HTTP_PORT, servedPorts, TLS_POLICY, type ServedPort } from './https.js';

/** How the load balancer serves the service's published ports (https.ts: HTTPS, TLS, the redirect on 80). */
function served(ctx: ConvertContext, service: string): ServedPort[] {
  const lb = ctx.loadBalancer;
  return lb ? servedPorts(lb.type, ctx.https, ctx.published.get(service) ?? []) : [];
}

/** The protocol part of the listener's and target group's logical IDs: `tcp`, `udp`, `tcpudp`. */
function idProtocol(port: PublishedPort): string {
  return port.protocol === 'tcp_udp' ? 'tcpudp' : port.protocol;
}

/** The IP protocols a published port carries from clients. */
function trafficProtocols(port: PublishedPort): PortProtocol[] {
  return port.protocol === 'tcp_udp' ? ['tcp', 'udp'] : [port.protocol];
}

/** The project-level load balancer and its security group (nothing when no port is published). */
export function convertLoadBalancer(ctx: ConvertContext): Fragment {
  const lb = ctx.loadBalancer;
  if (!lb || lb.external) return {};
  // the ports clients connect to: the listener ports, and 80 where it redirects to HTTPS
  const ports = ctx.services
    .flatMap((s) => served(ctx, s.name))
    .flatMap((sp) => [
      ...(sp.redirect ? [{ ...sp.published, port: HTTP_PORT }] : []),
      ...(sp.redirectOnly ? [] : [{ ...sp.published, port: sp.listenerPort }]),
    ])
    .sort((a, b) => a.port - b.port);
  const lbProperties: Record<string, Value> = {
    Scheme: lb.scheme,
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
          SecurityGroupIngress: ports.flatMap((p) =>
            trafficProtocols(p).map((protocol) => ({
              CidrIp: '0.0.0.0/0',
              // internal: anywhere that reaches the VPC (the load balancer has private addresses only)
              Description: `${p.service}:${p.port}/${protocol} from anywhere${lb.scheme === 'internal' ? ' that reaches the VPC' : ''}`,
              FromPort: p.port,
              ToPort: p.port,
              IpProtocol: protocol,
            })),
          ),
          Tags: [projectTag(ctx)],
        },
      },
    },
  };
}

/**
 * The rules that let the load balancer reach the container ports behind its listeners, on each
 * network security group of the services behind them. Project level: two services on one network
 * with the same container port share one rule.
 */
export function convertLoadBalancerIngress(ctx: ConvertContext): Fragment {
  const lb = ctx.loadBalancer;
  if (!lb) return {};
  const rules = new Map<string, { network: string; port: number; protocol: PortProtocol; services: Set<string>; healthCheck: boolean }>();
  for (const service of ctx.services) {
    for (const p of ctx.published.get(service.name) ?? []) {
      // udp targets are health-checked over tcp on the same port
      const protocols: { protocol: PortProtocol; healthCheck: boolean }[] =
        p.protocol === 'udp' ? [{ protocol: 'udp', healthCheck: false }, { protocol: 'tcp', healthCheck: true }] : trafficProtocols(p).map((protocol) => ({ protocol, healthCheck: false }));
      for (const network of ctx.serviceNetworks.get(service.name) ?? []) {
        for (const { protocol, healthCheck } of protocols) {
          const id = naming.portIngress(network, p.target, protocol);
          const rule = rules.get(id) ?? { network, port: p.target, protocol, services: new Set<string>(), healthCheck: true };
          rule.services.add(service.name);
          // a port that carries tcp traffic for any service is described as traffic, not as a health check
          rule.healthCheck &&= healthCheck;
          rules.set(id, rule);
        }
      }
    }
  }
  const resources: Record<string, Resource> = {};
  for (const [id, rule] of [...rules.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const who = [...rule.services].sort().join(', ');
    resources[id] = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        Description: `${who}:${rule.port}/${rule.protocol} on ${rule.network} network, from the load balancer${rule.healthCheck ? ' (health checks of the udp target group)' : ''}`,
        GroupId: ctx.networks.get(rule.network)!.securityGroup,
        SourceSecurityGroupId: lb.securityGroup,
        FromPort: rule.port,
        ToPort: rule.port,
        IpProtocol: rule.protocol,
      },
    };
  }
  return { resources };
}

/** Target groups and listeners for one service's published ports, and its port notices. */
export function convertServicePorts(ctx: ConvertContext, service: ServiceConfig): Fragment {
  const diagnostics: Diagnostic[] = [...publishedPortsOf(service).diagnostics];
  const lb = ctx.loadBalancer;
  if (!lb || (ctx.published.get(service.name) ?? []).length === 0) return { diagnostics };
  const resources: Record<string, Resource> = {};
  for (const sp of served(ctx, service.name)) {
    const p = sp.published;
    if (sp.redirect) {
      // port 80 with a certificate: every request is sent to HTTPS (301), keeping host, path and query
      resources[naming.listener(service.name, idProtocol(p), HTTP_PORT)] = {
        Type: 'AWS::ElasticLoadBalancingV2::Listener',
        Properties: {
          DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: String(sp.listenerPort), Host: '#{host}', Path: '/#{path}', Query: '#{query}', StatusCode: 'HTTP_301' } }],
          LoadBalancerArn: lb.arn,
          Port: HTTP_PORT,
          Protocol: 'HTTP',
        },
      };
      if (sp.redirectOnly) continue;
    }
    const group = naming.targetGroup(service.name, idProtocol(p), p.port);
    const targetGroup: Record<string, Value> = {
      Port: p.target,
      Protocol: sp.targetProtocol,
      TargetType: 'ip',
      VpcId: ctx.vpc,
      Tags: [projectTag(ctx)],
    };
    // the ALB default (200 only) marks apps that answer / with a redirect as unhealthy (old issue #667)
    if (sp.targetProtocol === 'HTTP' || sp.targetProtocol === 'HTTPS') targetGroup.Matcher = { HttpCode: '200-399' };
    resources[group] = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: targetGroup };
    const listenerId = naming.listener(service.name, idProtocol(p), sp.listenerPort);
    const [defaultCertificate, ...sni] = sp.certificates ?? [];
    resources[listenerId] = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: ref(group) }] } }],
        LoadBalancerArn: lb.arn,
        Port: sp.listenerPort,
        Protocol: sp.protocol,
        ...(defaultCertificate ? { Certificates: [{ CertificateArn: defaultCertificate }], SslPolicy: TLS_POLICY } : {}),
        // no Tags: cfn-lint's schema (E3002) and CloudFormation before 2026 reject them on listeners
      },
    };
    if (sni.length > 0) {
      // the other certificates, chosen by SNI (a listener's Certificates takes only the default one)
      resources[naming.listenerCertificates(listenerId)] = {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerCertificate',
        Properties: { ListenerArn: ref(listenerId), Certificates: sni.map((c) => ({ CertificateArn: c })) },
      };
    }
    if (p.protocol === 'udp') {
      diagnostics.push(
        warning(
          `Service ${service.name} publishes ${p.port}/udp: the network load balancer checks the health of udp targets with tcp connections to container port ${p.target}, so the container must also accept tcp on ${p.target}, or its tasks never receive traffic (change the target group's health check with x-aws-cloudformation otherwise).`,
          service.name,
          'ports',
        ),
      );
    }
  }
  return { resources, diagnostics };
}

/** What the ECS service needs: its LoadBalancers entries and the listeners it must wait for. */
export function serviceLoadBalancing(ctx: ConvertContext, service: ServiceConfig): { loadBalancers: Value[]; listeners: string[] } {
  if (!ctx.loadBalancer) return { loadBalancers: [], listeners: [] };
  const targets = served(ctx, service.name).filter((sp) => !sp.redirectOnly);
  return {
    loadBalancers: targets.map(({ published: p }) => ({
      ContainerName: naming.containerName(service.name),
      ContainerPort: p.target,
      TargetGroupArn: ref(naming.targetGroup(service.name, idProtocol(p), p.port)),
    })),
    listeners: targets.map((sp) => naming.listener(service.name, idProtocol(sp.published), sp.listenerPort)),
  };
}
