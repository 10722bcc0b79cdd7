/** EC2 (EC2 query dialect): the default VPC, its subnets, security groups, availability zones. */
import { SimError } from '../errors.js';
import { list } from '../protocols/query-xml.js';
import { page, type Handler } from './types.js';

type Filters = Array<{ Name: string; Value: string[] }>;

function matches(filters: Filters, get: (name: string) => string | string[] | undefined): boolean {
  return filters.every((f) => {
    const v = get(f.Name);
    if (v === undefined) return false;
    const have = Array.isArray(v) ? v : [v];
    return list<string>(f.Value).some((want) => have.some((h) => globMatch(want, h)));
  });
}

function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
  return re.test(value);
}

function tagFilter(tags: Array<{ Key: string; Value: string }>, name: string): string | string[] | undefined {
  if (name.startsWith('tag:')) return tags.find((t) => t.Key === name.slice(4))?.Value;
  if (name === 'tag-key') return tags.map((t) => t.Key);
  return undefined;
}

export const ec2: Record<string, Handler> = {
  DescribeVpcs({ world, params }) {
    const ids = list<string>(params.VpcId);
    for (const id of ids) if (!world.vpcs.some((v) => v.id === id)) throw new SimError('InvalidVpcID.NotFound', `The vpc ID '${id}' does not exist`);
    const tags = [] as Array<{ Key: string; Value: string }>;
    const vpcs = world.vpcs.filter(
      (vpc) =>
        (!ids.length || ids.includes(vpc.id)) &&
        matches(list(params.Filter), (n) =>
          n === 'isDefault' || n === 'is-default' ? String(vpc.isDefault) : n === 'vpc-id' ? vpc.id : n === 'cidr' || n === 'cidr-block' ? vpc.cidr : n === 'state' ? 'available' : tagFilter(tags, n),
        ),
    );
    return {
      Vpcs: vpcs.map((vpc) => ({
        VpcId: vpc.id,
        CidrBlock: vpc.cidr,
        State: 'available',
        IsDefault: vpc.isDefault,
        DhcpOptionsId: 'dopt-0a1b2c3d',
        InstanceTenancy: 'default',
        OwnerId: world.account,
        CidrBlockAssociationSet: [{ AssociationId: 'vpc-cidr-assoc-0a1b2c3d', CidrBlock: vpc.cidr, CidrBlockState: { State: 'associated' } }],
        Tags: [],
      })),
    };
  },
  /** Route tables (filters vpc-id, route-table-id, association.subnet-id, association.main), paged by NextToken. */
  DescribeRouteTables({ world, params }) {
    const ids = list<string>(params.RouteTableId);
    for (const id of ids) if (!world.routeTables.some((t) => t.id === id)) throw new SimError('InvalidRouteTableID.NotFound', `The routeTable ID '${id}' does not exist`);
    const tables = world.routeTables.filter(
      (t) =>
        (!ids.length || ids.includes(t.id)) &&
        matches(list(params.Filter), (n) =>
          n === 'vpc-id' ? t.vpcId : n === 'route-table-id' ? t.id : n === 'association.subnet-id' ? t.subnets : n === 'association.main' ? String(t.main) : undefined,
        ),
    );
    const { items, next } = page(tables, params.NextToken, Number(params.MaxResults ?? 100));
    return {
      RouteTables: items.map((t) => ({
        RouteTableId: t.id,
        VpcId: t.vpcId,
        OwnerId: world.account,
        Associations: [
          ...(t.main ? [{ Main: true, RouteTableAssociationId: `rtbassoc-0${t.id.slice(5)}`, RouteTableId: t.id, AssociationState: { State: 'associated' } }] : []),
          ...t.subnets.map((s, i) => ({ Main: false, RouteTableAssociationId: `rtbassoc-${i}${t.id.slice(5)}`, RouteTableId: t.id, SubnetId: s, AssociationState: { State: 'associated' } })),
        ],
        Routes: t.routes.map((r) => ({ ...r, Origin: r.GatewayId === 'local' ? 'CreateRouteTable' : 'CreateRoute', State: 'active' })),
        Tags: [],
        PropagatingVgws: [],
      })),
      NextToken: next,
    };
  },
  DescribeSubnets({ world, params }) {
    const ids = list<string>(params.SubnetId);
    for (const id of ids) if (!world.subnets.some((s) => s.id === id)) throw new SimError('InvalidSubnetID.NotFound', `The subnet ID '${id}' does not exist`);
    const subnets = world.subnets.filter(
      (s) =>
        (!ids.length || ids.includes(s.id)) &&
        matches(list(params.Filter), (n) =>
          n === 'vpc-id' ? (s.vpcId ?? world.vpc.id) : n === 'default-for-az' || n === 'defaultForAz' ? String(s.defaultForAz ?? true) : n === 'availability-zone' || n === 'availabilityZone' ? s.az : n === 'subnet-id' ? s.id : n === 'map-public-ip-on-launch' ? String(s.defaultForAz ?? true) : undefined,
        ),
    );
    return {
      Subnets: subnets.map((s) => ({
        SubnetId: s.id,
        VpcId: s.vpcId ?? world.vpc.id,
        AvailabilityZone: s.az,
        AvailabilityZoneId: s.azId,
        CidrBlock: s.cidr,
        AvailableIpAddressCount: 4091,
        DefaultForAz: s.defaultForAz ?? true,
        MapPublicIpOnLaunch: s.defaultForAz ?? true,
        State: 'available',
        OwnerId: world.account,
        SubnetArn: world.arn('ec2', `subnet/${s.id}`),
        Tags: [],
      })),
    };
  },
  DescribeSecurityGroups({ world, params }) {
    const ids = list<string>(params.GroupId);
    const names = list<string>(params.GroupName);
    for (const id of ids) if (!world.securityGroups.has(id)) throw new SimError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    const groups = [...world.securityGroups.values()].filter(
      (g) =>
        (!ids.length || ids.includes(g.id)) &&
        (!names.length || names.includes(g.name)) &&
        matches(list(params.Filter), (n) => (n === 'vpc-id' ? g.vpcId : n === 'group-name' ? g.name : n === 'group-id' ? g.id : n === 'description' ? g.description : tagFilter(g.tags, n))),
    );
    return {
      SecurityGroups: groups.map((g) => ({
        GroupId: g.id,
        GroupName: g.name,
        Description: g.description,
        VpcId: g.vpcId,
        OwnerId: world.account,
        SecurityGroupArn: world.arn('ec2', `security-group/${g.id}`),
        IpPermissions: g.ingress.map((r) => ({
          IpProtocol: String(r.IpProtocol ?? 'tcp'),
          FromPort: r.FromPort === undefined ? undefined : Number(r.FromPort),
          ToPort: r.ToPort === undefined ? undefined : Number(r.ToPort),
          IpRanges: r.CidrIp ? [{ CidrIp: String(r.CidrIp), Description: r.Description as string | undefined }] : [],
          UserIdGroupPairs: r.SourceSecurityGroupId ? [{ GroupId: String(r.SourceSecurityGroupId), UserId: world.account }] : [],
        })),
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        Tags: g.tags,
      })),
    };
  },
  DescribeAvailabilityZones({ world, params }) {
    const names = list<string>(params.ZoneName);
    return {
      AvailabilityZones: world.azs
        .map((az, i) => ({ ZoneName: az, ZoneId: world.subnets[i]!.azId, State: 'available', RegionName: world.region, ZoneType: 'availability-zone', OptInStatus: 'opt-in-not-required', GroupName: world.region, NetworkBorderGroup: world.region, Messages: [] }))
        .filter((z) => (!names.length || names.includes(z.ZoneName)) && matches(list(params.Filter), (n) => (n === 'zone-name' ? z.ZoneName : n === 'state' ? z.State : n === 'region-name' ? z.RegionName : n === 'zone-type' ? z.ZoneType : undefined))),
    };
  },
};
