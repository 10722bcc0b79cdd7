import { expect } from 'chai';
import { convertYaml, idsOfType, props, resource } from './helpers.js';
import { UserError } from '../../src/errors.js';

describe('convert: published ports and the load balancer', () => {
  it('creates an internet-facing ALB when every published port is 80 or 443', () => {
    const { template } = convertYaml('services: { web: { image: nginx, ports: ["80:80", "443:443"] } }');
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

  it('refuses a published port that differs from the container port, naming the service', () => {
    expect(() => convertYaml('services: { admin: { image: dpage/pgadmin4, ports: ["5050:80"] } }')).to.throw(
      UserError,
      /Service admin publishes container port 80 as 5050; on ECS the published port must equal the container port/,
    );
  });

  it('publishes a port given without a host port on the container port, as the old integration did', () => {
    const { template } = convertYaml('services: { app: { image: node, ports: ["3000"] } }');
    expect(props(template, 'AppTCP3000Listener')).to.deep.include({ Port: 3000, Protocol: 'TCP' });
  });

  it('refuses the same port published for tcp and udp: a listener serves one port once', () => {
    expect(() => convertYaml('services: { dns: { image: pihole, ports: ["53:53/tcp", "53:53/udp"] } }')).to.throw(UserError, /Service dns publishes port 53 for both tcp and udp/);
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
