import { expect } from 'chai';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeFileSystemsCommand } from '@aws-sdk/client-efs';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { resolveEnvironment } from '../../src/aws/environment.js';
import { UserError } from '../../src/errors.js';
import { awsError, mockedClients } from './helpers.js';

function base() {
  const m = mockedClients();
  m.sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012' });
  // the default VPC's main route table: every subnet without its own table is public
  m.ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [{ RouteTableId: 'rtb-main', Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }] }] });
  return m;
}

describe('environment at up', () => {
  it('uses the default VPC and its default subnets, one per zone', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-default' }] });
    m.ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: 'subnet-b', AvailabilityZone: 'eu-west-1b', DefaultForAz: true },
        { SubnetId: 'subnet-a', AvailabilityZone: 'eu-west-1a', DefaultForAz: true },
        { SubnetId: 'subnet-private', AvailabilityZone: 'eu-west-1a', DefaultForAz: false },
      ],
    });
    const env = await resolveEnvironment(m.clients, { project: 'demo' });
    expect(env).to.deep.equal({ accountId: '123456789012', region: 'eu-west-1', vpcId: 'vpc-default', subnetIds: ['subnet-a', 'subnet-b'], subnetsByZone: { 'eu-west-1a': ['subnet-a'], 'eu-west-1b': ['subnet-b'] },
      subnets: [
        { id: 'subnet-b', zone: 'eu-west-1b', egress: 'internet-gateway' },
        { id: 'subnet-a', zone: 'eu-west-1a', egress: 'internet-gateway' },
      ],
      retainedFileSystems: {},
    });
    expect(m.ec2.commandCalls(DescribeVpcsCommand)[0]!.args[0].input).to.deep.equal({ Filters: [{ Name: 'is-default', Values: ['true'] }] });
  });

  it('says what to do when there is no default VPC', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
    const e = await resolveEnvironment(m.clients, { project: 'demo' }).catch((x) => x);
    expect(e).to.be.instanceOf(UserError);
    expect((e as UserError).display()).to.equal('The account has no default VPC in eu-west-1. Name one with "x-aws-vpc: vpc-..." at the top level of the compose file.');
  });

  it('takes x-aws-vpc and x-aws-subnets as given after checking they exist and belong together', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-9', VpcId: 'vpc-1' }, { SubnetId: 'subnet-8', VpcId: 'vpc-1' }] });
    const env = await resolveEnvironment(m.clients, { project: 'demo', vpc: 'vpc-1', subnets: ['subnet-9', 'subnet-8'] });
    expect(env).to.deep.include({ vpcId: 'vpc-1', subnetIds: ['subnet-9', 'subnet-8'] });

    m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-9', VpcId: 'vpc-other' }] });
    const e = await resolveEnvironment(m.clients, { project: 'demo', vpc: 'vpc-1', subnets: ['subnet-9'] }).catch((x) => x);
    expect((e as Error).message).to.equal('Subnet "subnet-9" is not in VPC "vpc-1".');
  });

  it('finds the file systems this project kept, by tags', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a', AvailabilityZone: 'a', DefaultForAz: true }] });
    const tags = (project: string, volume: string) => [
      { Key: 'com.docker.compose.project', Value: project },
      { Key: 'com.docker.compose.volume', Value: volume },
    ];
    m.efs
      .on(DescribeFileSystemsCommand, { Marker: undefined })
      .resolves({ FileSystems: [{ FileSystemId: 'fs-other', LifeCycleState: 'available', Tags: tags('other', 'db') } as never], NextMarker: 'm2' });
    m.efs
      .on(DescribeFileSystemsCommand, { Marker: 'm2' })
      .resolves({ FileSystems: [{ FileSystemId: 'fs-db', LifeCycleState: 'available', Tags: tags('demo', 'db') } as never] });
    m.cfn.on(ListStackResourcesCommand).rejects(awsError('ValidationError', 'Stack with id demo does not exist'));
    const env = await resolveEnvironment(m.clients, { project: 'demo', volumes: ['db', 'cache'] });
    expect(env.retainedFileSystems).to.deep.equal({ db: 'fs-db' });
  });

  it('does not count a file system the live stack still manages as retained', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a', AvailabilityZone: 'a', DefaultForAz: true }] });
    m.cfn.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [{ LogicalResourceId: 'DbFilesystem', PhysicalResourceId: 'fs-live', ResourceType: 'AWS::EFS::FileSystem', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date(0) }] });
    const tags = [
      { Key: 'com.docker.compose.project', Value: 'demo' },
      { Key: 'com.docker.compose.volume', Value: 'db' },
    ];
    m.efs.on(DescribeFileSystemsCommand).resolves({ FileSystems: [{ FileSystemId: 'fs-live', LifeCycleState: 'available', Tags: tags } as never] });
    const env = await resolveEnvironment(m.clients, { project: 'demo', volumes: ['db'] });
    expect(env.retainedFileSystems).to.deep.equal({});
  });

  it('fails early when an external cluster or secret does not exist', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a', AvailabilityZone: 'a', DefaultForAz: true }] });
    m.ecs.on(DescribeClustersCommand).resolves({ clusters: [], failures: [{ reason: 'MISSING' }] });
    const e1 = await resolveEnvironment(m.clients, { project: 'demo', cluster: 'prod' }).catch((x) => x);
    expect((e1 as Error).message).to.equal('x-aws-cluster names cluster "prod", which does not exist or is not active in eu-west-1.');

    m.sm.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException'));
    const e2 = await resolveEnvironment(m.clients, { project: 'demo', secrets: ['db-password'] }).catch((x) => x);
    expect(e2).to.be.instanceOf(UserError);
    expect((e2 as Error).message).to.equal('Secret "db-password" does not exist in Secrets Manager in eu-west-1.');
  });
});

describe('environment request of a compose project', () => {
  it('reads the x-aws keys and the external networks, secrets and volumes', async () => {
    const { environmentRequestOf } = await import('../../src/convert/environment-request.js');
    const project = {
      name: 'demo',
      extensions: {
        'x-aws-vpc': 'arn:aws:ec2:eu-west-1:1:vpc/vpc-1',
        'x-aws-subnets': ['subnet-a', 'subnet-b'],
        'x-aws-cluster': 'prod',
        'x-aws-loadbalancer': 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1',
      },
      networks: {
        front: { name: 'sg-123', external: true },
        back: { name: 'demo_back', extensions: { 'x-aws-securitygroup': 'sg-456' } },
        default: { name: 'demo_default' },
      },
      secrets: { token: { name: 'arn:aws:secretsmanager:eu-west-1:1:secret:token', external: true, extensions: {} }, local: { name: 'demo_local', file: '/x', extensions: {} } },
      volumes: { data: { name: 'demo_data', extensions: {} }, shared: { name: 'fs-999', external: true, extensions: {} } },
    } as unknown as import('../../src/compose/model.js').Project;
    expect(environmentRequestOf(project)).to.deep.equal({
      project: 'demo',
      vpc: 'vpc-1',
      subnets: ['subnet-a', 'subnet-b'],
      cluster: 'prod',
      loadBalancer: 'arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/x/1',
      securityGroups: ['sg-456', 'sg-123'],
      secrets: ['arn:aws:secretsmanager:eu-west-1:1:secret:token'],
      fileSystems: ['fs-999'],
      volumes: ['data'],
    });
  });

  it('reads each subnet\'s route (its own table, else the main one) and puts the tasks in the private subnets of a public and private list', async () => {
    const m = base();
    m.ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1' }] });
    const zoned = (id: string, zone: string) => ({ SubnetId: id, VpcId: 'vpc-1', AvailabilityZone: zone });
    m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [zoned('subnet-pa', 'a'), zoned('subnet-pb', 'b'), zoned('subnet-na', 'a'), zoned('subnet-nb', 'b'), zoned('subnet-x', 'a')] });
    m.ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        { Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local' }] },
        { Associations: [{ SubnetId: 'subnet-pa' }, { SubnetId: 'subnet-pb' }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' }] },
        { Associations: [{ SubnetId: 'subnet-na' }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1' }] },
        { Associations: [{ SubnetId: 'subnet-nb' }], Routes: [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-2', State: 'blackhole' }] },
      ],
    });
    const env = await resolveEnvironment(m.clients, { project: 'demo', vpc: 'vpc-1', subnets: ['subnet-pa', 'subnet-pb', 'subnet-na', 'subnet-nb', 'subnet-x'] });
    expect(env.subnets!.map((s) => [s.id, s.egress])).to.deep.equal([
      ['subnet-pa', 'internet-gateway'],
      ['subnet-pb', 'internet-gateway'],
      ['subnet-na', 'nat'],
      ['subnet-nb', 'none'],
      ['subnet-x', 'none'],
    ]);
    expect(env.subnetIds).to.deep.equal(['subnet-na', 'subnet-nb', 'subnet-x']);
    expect(m.ec2.commandCalls(DescribeRouteTablesCommand)[0]!.args[0].input).to.deep.include({ Filters: [{ Name: 'vpc-id', Values: ['vpc-1'] }] });
  });
});
