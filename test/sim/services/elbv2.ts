/** Elastic Load Balancing v2 (query protocol): load balancers with DNS names, target groups, listeners. */
import { SimError } from '../errors.js';
import { list } from '../protocols/query-xml.js';
import { date, page, type Handler } from './types.js';

export const elbv2: Record<string, Handler> = {
  DescribeLoadBalancers({ world, params }) {
    const arns = list<string>(params.LoadBalancerArns);
    const names = list<string>(params.Names);
    const lbs = [...world.loadBalancers.values()].filter((lb) => (!arns.length || arns.includes(lb.arn)) && (!names.length || names.includes(lb.name)));
    if ((arns.length || names.length) && lbs.length < arns.length + names.length) throw new SimError('LoadBalancerNotFound', 'One or more load balancers not found');
    const { items, next } = page(lbs, params.Marker, Number(params.PageSize ?? 400));
    return {
      LoadBalancers: items.map((lb) => ({
        LoadBalancerArn: lb.arn,
        DNSName: lb.dnsName,
        CanonicalHostedZoneId: lb.type === 'network' ? 'Z26RNL4JYFTOTI' : 'Z35SXDOTRQ7X7K',
        CreatedTime: date(lb.createdAt),
        LoadBalancerName: lb.name,
        Scheme: lb.scheme,
        VpcId: world.vpc.id,
        State: { Code: lb.state },
        Type: lb.type,
        AvailabilityZones: lb.subnets.map((s) => ({ SubnetId: s, ZoneName: world.subnets.find((x) => x.id === s)?.az ?? world.azs[0] })),
        SecurityGroups: lb.type === 'application' ? lb.securityGroups : undefined,
        IpAddressType: 'ipv4',
      })),
      NextMarker: next,
    };
  },
  DescribeTargetGroups({ world, params }) {
    const arns = list<string>(params.TargetGroupArns);
    const names = list<string>(params.Names);
    if (params.LoadBalancerArn && !world.loadBalancers.has(params.LoadBalancerArn)) throw new SimError('LoadBalancerNotFound', 'One or more load balancers not found');
    const tgs = [...world.targetGroups.values()].filter(
      (t) => (!arns.length || arns.includes(t.arn)) && (!names.length || names.includes(t.name)) && (!params.LoadBalancerArn || t.loadBalancerArns.includes(params.LoadBalancerArn)),
    );
    if ((arns.length || names.length) && tgs.length < arns.length + names.length) throw new SimError('TargetGroupNotFound', 'One or more target groups not found');
    return {
      TargetGroups: tgs.map((t) => ({
        TargetGroupArn: t.arn,
        TargetGroupName: t.name,
        Protocol: t.protocol,
        Port: t.port,
        VpcId: world.vpc.id,
        HealthCheckProtocol: t.protocol === 'TCP' ? 'TCP' : 'HTTP',
        HealthCheckPort: 'traffic-port',
        HealthCheckEnabled: true,
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 5,
        UnhealthyThresholdCount: 2,
        HealthCheckPath: t.protocol === 'TCP' ? undefined : (t.healthCheckPath ?? '/'),
        LoadBalancerArns: t.loadBalancerArns,
        TargetType: t.targetType,
        IpAddressType: 'ipv4',
      })),
    };
  },
  DescribeListeners({ world, params }) {
    const arns = list<string>(params.ListenerArns);
    if (params.LoadBalancerArn && !world.loadBalancers.has(params.LoadBalancerArn)) throw new SimError('LoadBalancerNotFound', 'One or more load balancers not found');
    const ls = [...world.listeners.values()].filter((l) => (!arns.length || arns.includes(l.arn)) && (!params.LoadBalancerArn || l.loadBalancerArn === params.LoadBalancerArn));
    if (arns.length && ls.length < arns.length) throw new SimError('ListenerNotFound', 'One or more listeners not found');
    return {
      Listeners: ls.map((l) => ({
        ListenerArn: l.arn,
        LoadBalancerArn: l.loadBalancerArn,
        Port: l.port,
        Protocol: l.protocol,
        DefaultActions: l.redirect
          ? [{ Type: 'redirect', RedirectConfig: l.redirect }]
          : l.targetGroupArn
            ? [{ Type: 'forward', TargetGroupArn: l.targetGroupArn, ForwardConfig: { TargetGroups: [{ TargetGroupArn: l.targetGroupArn, Weight: 1 }] } }]
            : [],
        // the default certificate only: the SNI ones are DescribeListenerCertificates'
        Certificates: l.certificates?.length ? [{ CertificateArn: l.certificates[0] }] : undefined,
        SslPolicy: l.sslPolicy,
      })),
    };
  },
  DescribeTargetHealth({ world, params }) {
    const tg = world.targetGroups.get(params.TargetGroupArn);
    if (!tg) throw new SimError('TargetGroupNotFound', 'One or more target groups not found');
    const tasks = [...world.services.values()]
      .filter((s) => s.loadBalancers.some((lb) => lb.targetGroupArn === tg.arn))
      .flatMap((s) => [...world.tasks.values()].filter((t) => t.serviceArn === s.arn && t.desiredStatus === 'RUNNING' && t.lastStatus === 'RUNNING'));
    return {
      TargetHealthDescriptions: tasks.map((t) => ({
        Target: { Id: t.privateIp, Port: tg.port, AvailabilityZone: t.availabilityZone },
        HealthCheckPort: String(tg.port),
        TargetHealth: { State: 'healthy' },
      })),
    };
  },
};
