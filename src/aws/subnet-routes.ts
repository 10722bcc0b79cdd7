/**
 * Where each subnet's 0.0.0.0/0 route goes, read at `up` with EC2 DescribeRouteTables over the
 * VPC's route tables: a subnet's own association, else the VPC's main route table ("a subnet
 * that is not explicitly associated with a route table is implicitly associated with the main
 * route table", VPC User Guide, route tables). An `igw-` target is an internet gateway (a public
 * subnet); a NAT gateway, a NAT instance (an instance or its interface), or a transit gateway is a
 * way out through someone else's address (`nat`); a blackhole route counts as none.
 */
import type { RouteTable } from '@aws-sdk/client-ec2';
import type { SubnetEgress } from '../convert/environment.js';
import type { AwsClients } from './clients.js';

function egressOf(table: RouteTable | undefined): SubnetEgress {
  const route = (table?.Routes ?? []).find((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.State !== 'blackhole');
  if (!route) return 'none';
  if (route.GatewayId?.startsWith('igw-')) return 'internet-gateway';
  if (route.NatGatewayId || route.InstanceId || route.NetworkInterfaceId || route.TransitGatewayId) return 'nat';
  return 'none';
}

export async function subnetEgress(clients: AwsClients, vpcId: string, subnetIds: readonly string[]): Promise<Record<string, SubnetEgress>> {
  const { DescribeRouteTablesCommand } = await import('@aws-sdk/client-ec2');
  const ec2 = await clients.ec2();
  const tables: RouteTable[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], NextToken: token }));
    tables.push(...(page.RouteTables ?? []));
    token = page.NextToken;
  } while (token);
  const main = tables.find((t) => t.Associations?.some((a) => a.Main));
  const out: Record<string, SubnetEgress> = {};
  for (const id of subnetIds) {
    const own = tables.find((t) => t.Associations?.some((a) => a.SubnetId === id));
    out[id] = egressOf(own ?? main);
  }
  return out;
}
