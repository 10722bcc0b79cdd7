import { expect } from 'chai';
import { convertYaml, idsOfType, props, resource } from './helpers.js';
import { UserError } from '../../src/errors.js';
import type { Template } from '../../src/cloudformation/template.js';
import { cfnLintErrors } from '../support/cfn-lint.js';

const linted: { name: string; template: Template }[] = [];
/** Keeps the template for the cfn-lint pass after the tests of this file. */
function lint<T extends { template: Template }>(name: string, result: T): T {
  linted.push({ name, template: result.template });
  return result;
}

describe('convert: published ports and the load balancer', () => {
  after(function () {
    this.timeout(60_000);
    expect(cfnLintErrors(linted)).to.deep.equal([]);
  });

  it('creates an internet-facing ALB when every published port is HTTP (80, or 443 with a certificate: https.test.ts)', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80"] } }');
    expect(props(template, 'LoadBalancer')).to.deep.include({ Scheme: 'internet-facing', Type: 'application', Subnets: { Ref: 'SubnetIds' } });
    expect(template.Outputs!.LoadBalancerDNSName!.Value).to.deep.equal({ 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] });
  });

  it('treats x-aws-protocol http as HTTP on any port', () => {
    const { template } = convertYaml(`
services:
  web:
    image: nginx
    ports: [{ target: 8080, published: "8080", x-aws-protocol: http }]
`);
    expect(props(template, 'LoadBalancer').Type).to.equal('application');
    expect(props(template, 'WebTCP8080Listener').Protocol).to.equal('HTTP');
  });

  it('creates an NLB with cross-zone balancing as soon as one published port is not HTTP', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80"] }, db: { image: postgres, ports: ["5432:5432"] } }');
    const lb = props(template, 'LoadBalancer');
    expect(lb.Type).to.equal('network');
    expect(lb.LoadBalancerAttributes).to.deep.equal([{ Key: 'load_balancing.cross_zone.enabled', Value: 'true' }]);
    expect(props(template, 'DbTCP5432Listener').Protocol).to.equal('TCP');
  });

  it('creates no load balancer, target group or listener when nothing is published', () => {
    const { template } = convertYaml('services: { a: { image: nginx, expose: ["80"] }, b: { image: redis } }');
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).to.deep.equal([]);
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::TargetGroup')).to.deep.equal([]);
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')).to.deep.equal([]);
  });

  it('creates per port an ip target group and a forwarding listener, named as the old integration did', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80"] } }');
    expect(props(template, 'WebTCP80TargetGroup')).to.deep.include({ Port: 80, Protocol: 'HTTP', TargetType: 'ip', VpcId: { Ref: 'VpcId' } });
    expect(props(template, 'WebTCP80Listener')).to.deep.include({
      LoadBalancerArn: { Ref: 'LoadBalancer' },
      Port: 80,
      DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: { Ref: 'WebTCP80TargetGroup' } }] } }],
    });
    const service = resource(template, 'WebService');
    expect(service.DependsOn).to.deep.equal(['WebTCP80Listener']);
    expect(service.Properties!.LoadBalancers).to.deep.equal([{ ContainerName: 'web', ContainerPort: 80, TargetGroupArn: { Ref: 'WebTCP80TargetGroup' } }]);
  });

  it('opens published ports on the load balancer to anyone, and on the tasks only to the load balancer', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80"] } }');
    expect(props(template, 'LoadBalancerSecurityGroup').SecurityGroupIngress).to.deep.equal([
      { CidrIp: '0.0.0.0/0', Description: 'web:80/tcp from anywhere', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' },
    ]);
    expect(props(template, 'LoadBalancer').SecurityGroups).to.deep.equal([{ Ref: 'LoadBalancerSecurityGroup' }]);
    const taskRule = props(template, 'Default80Ingress');
    expect(taskRule).to.deep.include({ GroupId: { Ref: 'DefaultNetwork' }, SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' }, FromPort: 80, ToPort: 80 });
    expect(taskRule).not.to.have.property('CidrIp');
    for (const id of idsOfType(template, 'AWS::EC2::SecurityGroupIngress')) expect(props(template, id)).not.to.have.property('CidrIp');
  });

  it('publishes "80:8080" as a listener on 80 and a target group on container port 8080', () => {
    const { template } = lint('published:target', convertYaml('services: { app: { image: node, ports: ["80:8080"] } }'));
    expect(props(template, 'LoadBalancer').Type).to.equal('application');
    expect(props(template, 'AppTCP80Listener')).to.deep.include({ Port: 80, Protocol: 'HTTP' });
    expect(props(template, 'AppTCP80TargetGroup')).to.deep.include({ Port: 8080, Protocol: 'HTTP' });
    expect(props(template, 'AppService').LoadBalancers).to.deep.equal([{ ContainerName: 'app', ContainerPort: 8080, TargetGroupArn: { Ref: 'AppTCP80TargetGroup' } }]);
    expect(props(template, 'LoadBalancerSecurityGroup').SecurityGroupIngress).to.deep.equal([
      { CidrIp: '0.0.0.0/0', Description: 'app:80/tcp from anywhere', FromPort: 80, ToPort: 80, IpProtocol: 'tcp' },
    ]);
    expect(props(template, 'Default8080Ingress')).to.deep.include({ FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp', SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' } });
  });

  it('shares one task rule between two services publishing the same container port on different ports', () => {
    const { template } = lint('two on 8080', convertYaml('services: { a: { image: node, ports: ["8081:8080"] }, b: { image: node, ports: ["8082:8080"] } }'));
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')).to.deep.equal(['ATCP8081Listener', 'BTCP8082Listener']);
    expect(props(template, 'Default8080Ingress').Description).to.equal('a, b:8080/tcp on default network, from the load balancer');
  });

  it('refuses one published port for two container ports', () => {
    expect(() => convertYaml('services: { a: { image: node, ports: ["80:8080", "80:9090/udp"] } }')).to.throw(UserError, /Service a publishes port 80 for both container port 8080 and 9090/);
  });

  it('publishes a port given without a host port on the container port, as the old integration did', () => {
    const { template } = convertYaml('services: { app: { image: node, ports: ["3000"] } }');
    expect(props(template, 'AppTCP3000Listener')).to.deep.include({ Port: 3000, Protocol: 'TCP' });
  });

  it('publishes the same port for tcp and udp as one TCP_UDP listener and target group', () => {
    const { template } = lint('tcp_udp', convertYaml('services: { dns: { image: pihole, ports: ["53:53/tcp", "53:53/udp"] } }'));
    expect(props(template, 'LoadBalancer').Type).to.equal('network');
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')).to.deep.equal(['DnsTCPUDP53Listener']);
    expect(props(template, 'DnsTCPUDP53Listener')).to.deep.include({ Port: 53, Protocol: 'TCP_UDP' });
    expect(props(template, 'DnsTCPUDP53TargetGroup')).to.deep.include({ Port: 53, Protocol: 'TCP_UDP' });
    expect(props(template, 'LoadBalancerSecurityGroup').SecurityGroupIngress.map((r: { IpProtocol: string }) => r.IpProtocol)).to.deep.equal(['tcp', 'udp']);
    expect(props(template, 'Default53Ingress')).to.deep.include({ IpProtocol: 'tcp', FromPort: 53 });
    expect(props(template, 'Default53UDPIngress')).to.deep.include({ IpProtocol: 'udp', FromPort: 53 });
  });

  it('lets the tcp health check of a udp target group through the task security group, and says the container must answer it', () => {
    const { template, diagnostics } = lint('udp', convertYaml('services: { game: { image: srv, ports: ["27015:27015/udp"] } }'));
    expect(props(template, 'GameUDP27015TargetGroup')).to.deep.include({ Port: 27015, Protocol: 'UDP' });
    expect(props(template, 'GameUDP27015TargetGroup')).not.to.have.property('HealthCheckProtocol');
    expect(props(template, 'Default27015UDPIngress')).to.deep.include({ IpProtocol: 'udp', FromPort: 27015, SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' } });
    expect(props(template, 'Default27015Ingress')).to.deep.include({
      IpProtocol: 'tcp',
      FromPort: 27015,
      ToPort: 27015,
      SourceSecurityGroupId: { Ref: 'LoadBalancerSecurityGroup' },
      Description: 'game:27015/tcp on default network, from the load balancer (health checks of the udp target group)',
    });
    expect(diagnostics.map((d) => d.message)).to.include(
      "Service game publishes 27015/udp: the network load balancer checks the health of udp targets with tcp connections to container port 27015, so the container must also accept tcp on 27015, or its tasks never receive traffic (change the target group's health check with x-aws-cloudformation otherwise).",
    );
  });

  it('does not publish a port bound to a loopback address, and says other services still reach it', () => {
    const { template, diagnostics } = lint(
      'loopback',
      convertYaml('services: { db: { image: postgres, ports: ["127.0.0.1:5432:5432", "[::1]:6379:6379"] }, web: { image: nginx, ports: ["80:80"] } }'),
    );
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')).to.deep.equal(['WebTCP80Listener']);
    expect(props(template, 'LoadBalancer').Type).to.equal('application');
    expect(props(template, 'DbService')).not.to.have.property('LoadBalancers');
    expect(props(template, 'DbService').ServiceConnectConfiguration.Services.map((s: { PortName: string }) => s.PortName)).to.deep.equal(['db-5432-tcp', 'db-6379-tcp']);
    expect(diagnostics.map((d) => d.message)).to.deep.equal([
      'Service db binds port 5432/tcp to 127.0.0.1, which under docker compose is reachable from this host only: on ECS it is not published at all, and other services still reach it as db:5432.',
      'Service db binds port 6379/tcp to ::1, which under docker compose is reachable from this host only: on ECS it is not published at all, and other services still reach it as db:6379.',
    ]);
  });

  it('creates no load balancer when every published port is bound to loopback', () => {
    const { template } = convertYaml('services: { db: { image: postgres, ports: [{ target: 5432, published: "5432", host_ip: 127.0.0.1 }] } }');
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')).to.deep.equal([]);
  });

  it('publishes a port bound to 0.0.0.0 as any other', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["0.0.0.0:80:80"] } }');
    expect(idsOfType(template, 'AWS::ElasticLoadBalancingV2::Listener')).to.deep.equal(['WebTCP80Listener']);
  });

  it('refuses a port bound to one specific non-loopback address, with a sentence', () => {
    expect(() => convertYaml('services: { web: { image: nginx, ports: ["192.168.1.10:80:80"] } }')).to.throw(
      UserError,
      /^Service web publishes port 80 on the address 192.168.1.10 only; on ECS the load balancer listens on all of its addresses, so a port cannot be kept to one\.$/,
    );
  });

  it('refuses two services publishing the same port', () => {
    expect(() => convertYaml('services: { a: { image: nginx, ports: ["80:80"] }, b: { image: nginx, ports: ["80:80"] } }')).to.throw(UserError, /Services a and b both publish port 80/);
  });

  it('adds listeners to the load balancer x-aws-loadbalancer names, accepting traffic from its security group', () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shared/50dc6c495c0c9188';
    const { template } = convertYaml(`x-aws-loadbalancer: ${arn}\nservices: { web: { image: nginx, ports: ["80:80"] } }`, {
      environment: { loadBalancerSecurityGroupId: 'sg-0abc' },
    });
    expect(template.Resources).not.to.have.property('LoadBalancer');
    expect(template.Resources).not.to.have.property('LoadBalancerSecurityGroup');
    expect(props(template, 'WebTCP80Listener').LoadBalancerArn).to.equal(arn);
    expect(template.Parameters!.LoadBalancerSecurityGroupId).to.deep.include({ Type: 'AWS::EC2::SecurityGroup::Id', Default: 'sg-0abc' });
    expect(props(template, 'Default80Ingress').SourceSecurityGroupId).to.deep.equal({ Ref: 'LoadBalancerSecurityGroupId' });
  });

  it('refuses an x-aws-loadbalancer name, which cannot be resolved offline', () => {
    expect(() => convertYaml('x-aws-loadbalancer: shared\nservices: { web: { image: nginx, ports: ["80:80"] } }')).to.throw(UserError, /must be the ARN/);
  });
});
