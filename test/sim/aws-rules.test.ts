import { CreateChangeSetCommand, CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { expect } from 'chai';
import { simulatorPerTest } from './simulator-per-test.js';
import { DEFAULT_SUBNETS } from './support.js';

/**
 * The simulator refuses what AWS refuses (test/sim/README.md, "What AWS refuses"): stack names and
 * the 500-resource quota at the API, and per resource the ECS and ELB rules, as a failed resource
 * with the service's message.
 */
describe('simulator: what AWS refuses', function () {
  const fixture = simulatorPerTest();

  const body = (resources: Record<string, unknown>): string => JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources });
  /** Creates the stack, lets it run, and returns the first failure reason (or undefined) and the status. */
  const deploy = async (name: string, resources: Record<string, unknown>): Promise<{ status: string; reason?: string }> => {
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body(resources) }));
    fixture.run(60_000);
    const stack = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
    const events = (await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: name }))).StackEvents!.reverse();
    const failed = events.find((e) => e.ResourceStatus === 'CREATE_FAILED' && !/cancelled/.test(e.ResourceStatusReason ?? ''));
    return { status: stack.StackStatus!, reason: failed && `${failed.LogicalResourceId}: ${failed.ResourceStatusReason}` };
  };
  const rejection = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    throw new Error('expected the call to be refused');
  };

  const container = (extra: Record<string, unknown> = {}) => ({ Name: 'web', Image: 'nginx', Essential: true, ...extra });
  const taskDef = (props: Record<string, unknown>) => ({
    Td: { Type: 'AWS::ECS::TaskDefinition', Properties: { Family: 'app-web', Cpu: '256', Memory: '512', NetworkMode: 'awsvpc', RequiresCompatibilities: ['FARGATE'], ContainerDefinitions: [container()], ...props } },
  });

  it('refuses stack names CloudFormation refuses, on CreateStack and on a CREATE change set', async () => {
    for (const name of ['my_app', '2048game', `a${'b'.repeat(128)}`]) {
      expect(await rejection(fixture.aws.cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: body({ L: { Type: 'AWS::Logs::LogGroup' } }) })))).to.match(
        /^ValidationError: .*Member must satisfy regular expression pattern: \[a-zA-Z\]\[-a-zA-Z0-9\]\*/,
      );
      expect(
        await rejection(fixture.aws.cfn.send(new CreateChangeSetCommand({ StackName: name, ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: body({ L: { Type: 'AWS::Logs::LogGroup' } }) }))),
      ).to.match(/^ValidationError: .*'stackName'/);
    }
  });

  it('refuses a template of more than 500 resources', async () => {
    const resources = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`L${i}`, { Type: 'AWS::Logs::LogGroup' }]));
    expect(await rejection(fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'big', TemplateBody: JSON.stringify({ Resources: resources }) })))).to.match(
      /Number of resources, 501, is greater than maximum allowed, 500/,
    );
    delete resources.L500;
    const ok = await deploy('fits', resources);
    expect(ok.status).to.equal('CREATE_COMPLETE');
  });

  it('fails a task definition whose family or container name has a character ECS refuses', async () => {
    expect((await deploy('s1', taskDef({ Family: 'app-web.front' }))).reason).to.match(/^Td: .*Family 'app-web\.front' must be up to 255 letters/);
    expect((await deploy('s2', taskDef({ ContainerDefinitions: [container({ Name: 'web.front' })] }))).reason).to.match(/Container name 'web\.front' must be/);
  });

  it('fails a container health check outside interval 5-300, timeout 2-60, retries 1-10, start period 0-300', async () => {
    const cases: Array<[Record<string, number>, RegExp]> = [
      [{ Interval: 4 }, /interval must be between 5 and 300, got 4/],
      [{ Timeout: 61 }, /timeout must be between 2 and 60, got 61/],
      [{ Retries: 11 }, /retries must be between 1 and 10, got 11/],
      [{ StartPeriod: 301 }, /startPeriod must be between 0 and 300, got 301/],
    ];
    let i = 0;
    for (const [hc, message] of cases) {
      const r = await deploy(`hc${i++}`, taskDef({ ContainerDefinitions: [container({ HealthCheck: { Command: ['CMD', 'true'], ...hc } })] }));
      expect(r.status).to.equal('ROLLBACK_COMPLETE');
      expect(r.reason).to.match(message);
    }
    expect((await deploy('hcok', taskDef({ ContainerDefinitions: [container({ HealthCheck: { Command: ['CMD', 'true'], Interval: 5, Timeout: 60, Retries: 10, StartPeriod: 300 } })] }))).status).to.equal('CREATE_COMPLETE');
  });

  it('fails port-mapping and Service Connect names over 64 characters or with capitals, and memory reservations above the limit', async () => {
    const long = `${'a'.repeat(56)}-8080-tcp`;
    expect((await deploy('p1', taskDef({ ContainerDefinitions: [container({ PortMappings: [{ ContainerPort: 8080, Name: long }] })] }))).reason).to.match(/port mapping name '.*' must be up to 64/);
    expect((await deploy('p2', taskDef({ ContainerDefinitions: [container({ Memory: 256, MemoryReservation: 1024 })] }))).reason).to.match(/memoryReservation \(1024\) must be less than memory \(256\)/);
    expect((await deploy('p3', taskDef({ Memory: '512', ContainerDefinitions: [container({ MemoryReservation: 1024 })] }))).reason).to.match(/total amount of memory reserved .* task memory value/);
    const service = {
      C: { Type: 'AWS::ECS::Cluster' },
      ...taskDef({}),
      S: {
        Type: 'AWS::ECS::Service',
        Properties: { Cluster: { Ref: 'C' }, TaskDefinition: { Ref: 'Td' }, ServiceConnectConfiguration: { Enabled: true, Services: [{ PortName: 'Web-80-tcp', DiscoveryName: 'Web-80-tcp' }] } },
      },
    };
    expect((await deploy('p4', service)).reason).to.match(/^S: .*Service Connect portName 'Web-80-tcp' must be up to 64 lowercase/);
  });

  it('fails a capacity provider whose name, or the stack name it is generated from, starts with aws, ecs or fargate', async () => {
    const cp = { Cp: { Type: 'AWS::ECS::CapacityProvider', Properties: { AutoScalingGroupProvider: { AutoScalingGroupArn: 'asg' } } } };
    expect((await deploy('ecs-ml', cp)).reason).to.match(/The name cannot be prefixed with "aws", "ecs", or "fargate"/);
    expect((await deploy('Fargate-x', cp)).reason).to.match(/cannot be prefixed/);
    expect((await deploy('ml', { Cp: { ...cp.Cp, Properties: { ...cp.Cp.Properties, Name: 'aws-gpu' } } })).reason).to.match(/cannot be prefixed/);
    expect((await deploy('ml-ok', cp)).status).to.equal('CREATE_COMPLETE');
  });

  const [a, b] = DEFAULT_SUBNETS;
  const subnetB2 = 'subnet-0b1b2c3d5e5f6a7b9';

  it('fails a load balancer with two subnets in one zone, an ALB in one zone, and names over 32 characters', async () => {
    fixture.sim.state.subnets.push({ id: subnetB2, az: 'us-east-1b', azId: 'use1-az2', cidr: '172.31.200.0/24' });
    expect((await deploy('lb1', { Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: [a, b, subnetB2] } } })).reason).to.match(
      /A load balancer cannot be attached to multiple subnets in the same Availability Zone/,
    );
    expect((await deploy('lb2', { Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Subnets: [a] } } })).reason).to.match(
      /At least two subnets in two different Availability Zones must be specified/,
    );
    expect((await deploy('lb3', { Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'network', Subnets: [a] } } })).status).to.equal('CREATE_COMPLETE');
    expect((await deploy('lb4', { Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Name: 'x'.repeat(33), Subnets: [a, b] } } })).reason).to.match(/cannot be longer than 32 characters/);
    expect((await deploy('tg1', { Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Name: 'web-', Port: 80, Protocol: 'HTTP' } } })).reason).to.match(/Target group name 'web-'/);
  });

  it('fails a listener whose protocol the load balancer type does not take, and a second listener on a port', async () => {
    const lb = (type: string) => ({
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: type, Subnets: [a, b] } },
      Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: type === 'network' ? 'TCP' : 'HTTP', TargetType: 'ip' } },
    });
    const listener = (protocol: string, lbArn: unknown = { Ref: 'Lb' }) => ({
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: lbArn, Port: 80, Protocol: protocol, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }] },
    });
    expect((await deploy('l1', { ...lb('application'), L: listener('TCP') })).reason).to.match(/^L: .*Listener protocol 'TCP' must be one of 'HTTP, HTTPS'/);
    expect((await deploy('l2', { ...lb('network'), L: listener('HTTP') })).reason).to.match(/must be one of 'TCP, TLS, UDP, TCP_UDP'/);
    expect((await deploy('l3', { ...lb('application'), L: listener('HTTP') })).status).to.equal('CREATE_COMPLETE');
    const shared = [...fixture.sim.state.loadBalancers.values()].find((x) => x.type === 'application' && [...fixture.sim.state.listeners.values()].some((l) => l.loadBalancerArn === x.arn))!;
    const second = await deploy('l4', { Tg: lb('application').Tg, L: listener('HTTP', shared.arn) });
    expect(second.reason).to.match(/^L: .*A listener with the specified port already exists\..*DuplicateListener/);
  });

  it('fails a service whose capacity provider strategy is not associated with the cluster, or comes with a launch type', async () => {
    const service = (extra: Record<string, unknown>) => ({
      ...taskDef({}),
      C: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: 'spot' } },
      S: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: 'C' },
          TaskDefinition: { Ref: 'Td' },
          DesiredCount: 1,
          NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [a] } },
          CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
          ...extra,
        },
      },
    });
    const association = { Type: 'AWS::ECS::ClusterCapacityProviderAssociations', Properties: { Cluster: { Ref: 'C' }, CapacityProviders: ['FARGATE', 'FARGATE_SPOT'], DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }] } };
    expect((await deploy('s1', service({}))).reason).to.match(/^S: .*cannot contain a capacity provider that is not associated with the cluster/);
    expect((await deploy('s2', { ...service({ LaunchType: 'FARGATE' }), A: association })).reason).to.match(/^S: .*Specifying both a launchType and capacityProviderStrategy is not supported/);
    const ok = service({});
    (ok.S as { DependsOn?: string }).DependsOn = 'A';
    expect((await deploy('s3', { ...ok, A: association })).status).to.equal('CREATE_COMPLETE');
  });

  it('fails an HTTPS listener without a certificate, with a certificate ACM does not have or has not issued, and a redirect to itself', async () => {
    const cert = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    const pending = cert.replace('11111111', '22222222');
    fixture.sim.setScenario({ certificates: [{ arn: cert }, { arn: pending, status: 'PENDING_VALIDATION' }] });
    const lb = (type = 'application') => ({
      Lb: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: type, Subnets: [a, b] } },
      Tg: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Port: 80, Protocol: type === 'network' ? 'TCP' : 'HTTP', TargetType: 'ip' } },
    });
    const https = (extra: Record<string, unknown>, port = 443, protocol = 'HTTPS') => ({
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: port, Protocol: protocol, DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: 'Tg' } }], ...extra },
    });
    const redirect = (config: Record<string, unknown>, protocol = 'HTTP') => ({
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: { Ref: 'Lb' }, Port: 80, Protocol: protocol, DefaultActions: [{ Type: 'redirect', RedirectConfig: config }] },
    });
    expect((await deploy('h1', { ...lb(), L: https({}) })).reason).to.match(/^L: .*A certificate must be specified for HTTPS listeners.*CertificateNotFound/);
    expect((await deploy('h2', { ...lb(), L: https({ Certificates: [{ CertificateArn: cert.replace('1111', '9999') }] }) })).reason).to.match(/CertificateNotFound/);
    expect((await deploy('h3', { ...lb(), L: https({ Certificates: [{ CertificateArn: pending }] }) })).reason).to.match(/must have a status of ISSUED, but has PENDING_VALIDATION/);
    expect((await deploy('h4', { ...lb(), L: https({ Certificates: [{ CertificateArn: cert }], SslPolicy: 'ELBSecurityPolicy-Made-Up' }) })).reason).to.match(/SSLPolicyNotFound/);
    expect((await deploy('h5', { ...lb(), L: redirect({ StatusCode: 'HTTP_301' }) })).reason).to.match(/redirects to itself/);
    expect((await deploy('h6', { ...lb('network'), L: redirect({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }, 'TCP') })).reason).to.match(/Action type 'redirect' is not supported/);
    expect((await deploy('h7', { ...lb('network'), L: https({}, 443, 'TLS') })).reason).to.match(/A certificate must be specified for TLS listeners/);
    const ok = await deploy('h8', {
      ...lb(),
      L: https({ Certificates: [{ CertificateArn: cert }], SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09' }),
      R: redirect({ Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' }),
      Sni: { Type: 'AWS::ElasticLoadBalancingV2::ListenerCertificate', Properties: { ListenerArn: { Ref: 'L' }, Certificates: [{ CertificateArn: pending }] } },
    });
    expect(ok.reason).to.match(/^Sni: .*must have a status of ISSUED/);
  });

  it('fails the replacement of a service whose Service Connect names the old service still holds, and rolls back; without the names first, it goes through', async () => {
    const resources = (cluster: string, names: boolean) => ({
      C1: { Type: 'AWS::ECS::Cluster' },
      C2: { Type: 'AWS::ECS::Cluster' },
      Ns: { Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace', Properties: { Name: 'app.local', Vpc: 'vpc-0d3fa017e5c1a1000' } },
      ...taskDef({}),
      S: {
        Type: 'AWS::ECS::Service',
        Properties: {
          Cluster: { Ref: cluster },
          TaskDefinition: { Ref: 'Td' },
          ServiceConnectConfiguration: {
            Enabled: true,
            Namespace: { 'Fn::GetAtt': ['Ns', 'Arn'] },
            ...(names ? { Services: [{ PortName: 'web-80-tcp', DiscoveryName: 'web-80-tcp', ClientAliases: [{ DnsName: 'web', Port: 80 }] }] } : {}),
          },
        },
      },
    });
    expect((await deploy('sc', resources('C1', true))).status).to.equal('CREATE_COMPLETE');
    const update = async (r: Record<string, unknown>) => {
      await fixture.aws.cfn.send(new UpdateStackCommand({ StackName: 'sc', TemplateBody: body(r) }));
      fixture.run(60_000);
      const events = (await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: 'sc' }))).StackEvents!;
      const status = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'sc' }))).Stacks![0]!.StackStatus!;
      return { status, failed: events.find((e) => e.ResourceStatus === 'UPDATE_FAILED')?.ResourceStatusReason };
    };
    const active = () => [...fixture.sim.state.services.values()].filter((s) => s.status === 'ACTIVE');
    const first = active()[0]!.arn;

    const moved = await update(resources('C2', true));
    expect(moved.status).to.equal('UPDATE_ROLLBACK_COMPLETE');
    expect(moved.failed).to.match(/Invalid request provided: CreateService error: SC service is already used by arn:aws:servicediscovery:us-east-1:123456789012:namespace\/ns-/);
    expect(active().map((s) => s.arn)).to.deep.equal([first]);

    // in place, the names go; then the replacement takes them
    expect((await update(resources('C1', false))).status).to.equal('UPDATE_COMPLETE');
    expect((await update(resources('C2', true))).status).to.equal('UPDATE_COMPLETE');
    expect(active()).to.have.length(1);
    expect(active()[0]!.arn).to.not.equal(first);
    expect(active()[0]!.serviceConnect?.aliases).to.deep.equal(['web:80']);
  });
});
