/**
 * One subnet per availability zone, when `up` said which subnet is in which zone: a load balancer
 * takes at most one subnet per zone (CreateLoadBalancer, Subnets), as EFS takes one mount target
 * per zone. The first subnet (by id) of each zone, zones in order; undefined when the zones are
 * not known (convert offline), where the SubnetIds parameter is used as it is.
 */
import type { Environment } from './environment.js';

export function oneSubnetPerZone(environment: Environment): string[] | undefined {
  const zones = environment.subnetsByZone;
  if (!zones || Object.keys(zones).length === 0) return undefined;
  return Object.keys(zones)
    .sort()
    .flatMap((zone) => {
      const first = [...zones[zone]!].sort()[0];
      return first === undefined ? [] : [first];
    });
}
