/**
 * Which subnets the tasks and the load balancer get, from what `up` looked up (each subnet's zone
 * and where its 0.0.0.0/0 route goes, from its route table or the VPC's main one).
 *
 * - Tasks: with `x-aws-subnets` naming both public subnets (a route to an internet gateway) and
 *   private ones, the private ones (the usual layout: load balancer public, tasks private);
 *   otherwise all of them. Without `x-aws-subnets`, one subnet per zone, private ones first.
 * - The load balancer takes at most one subnet per zone (CreateLoadBalancer, Subnets), as EFS takes
 *   one mount target per zone: an internet-facing one the public subnets (one in a private subnet
 *   is created by AWS but unreachable from the internet, so we refuse it), an internal one the
 *   private subnets (or all subnets, when the private ones do not cover the zones it needs: an
 *   internal load balancer has private addresses only, wherever it is). An Application Load
 *   Balancer needs two zones, a Network Load Balancer one.
 * - Without the lookups (`convert` offline) the SubnetIds parameter is used as it is.
 */
import { UserError } from '../errors.js';
import type { Environment, SubnetFact } from './environment.js';
import { X_AWS_LOADBALANCER_SCHEME, X_AWS_SUBNETS } from './extensions.js';

export type { SubnetEgress, SubnetFact } from './environment.js';
export type LoadBalancerScheme = 'internet-facing' | 'internal';

const isPublic = (s: SubnetFact): boolean => s.egress === 'internet-gateway';
const EGRESS_RANK: Record<SubnetFact['egress'], number> = { 'internet-gateway': 0, nat: 1, none: 2 };

function byId(a: SubnetFact, b: SubnetFact): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The first subnet of each zone (by `rank`, then id), zones in order. */
function perZone(subnets: readonly SubnetFact[], rank: (s: SubnetFact) => number = () => 0): SubnetFact[] {
  const zones = new Map<string, SubnetFact>();
  for (const s of [...subnets].sort((a, b) => rank(a) - rank(b) || byId(a, b))) if (!zones.has(s.zone)) zones.set(s.zone, s);
  return [...zones.keys()].sort().map((z) => zones.get(z)!);
}

/**
 * The task subnets among the subnets `up` found (`listed`: they are x-aws-subnets, kept in their
 * order; else the VPC's subnets, of which one per zone is kept).
 */
export function taskSubnets(subnets: readonly SubnetFact[], listed: boolean): string[] {
  const privates = subnets.filter((s) => !isPublic(s));
  // as listed, in the file's order
  if (listed) return (privates.length > 0 && privates.length < subnets.length ? privates : subnets).map((s) => s.id);
  // a private subnet with a NAT route before one without
  return perZone(privates.length > 0 ? privates : subnets, (s) => EGRESS_RANK[s.egress]).map((s) => s.id);
}

/**
 * One subnet per availability zone, when `up` said which subnet is in which zone (the task subnets'
 * zones, used when the routes are not known); undefined offline.
 */
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

/** The load balancer's subnets, or undefined offline (the SubnetIds parameter is used then). */
export function loadBalancerSubnetIds(environment: Environment, scheme: LoadBalancerScheme, type: 'application' | 'network'): string[] | undefined {
  const need = type === 'application' ? 2 : 1;
  const kind = type === 'application' ? 'an Application Load Balancer, which needs subnets in at least two availability zones' : 'a Network Load Balancer, which needs a subnet';
  const facts = environment.subnets;
  if (!facts || facts.length === 0) {
    const chosen = oneSubnetPerZone(environment);
    if (chosen && chosen.length < need) {
      const zone = Object.keys(environment.subnetsByZone ?? {}).sort()[0];
      throw new UserError(`The load balancer for the published ports is ${kind}, but the subnets are all in ${zone}.`, {
        where: { path: X_AWS_SUBNETS },
        hint: 'List a subnet of a second zone in x-aws-subnets.',
      });
    }
    return chosen;
  }
  if (scheme === 'internal') {
    const privates = perZone(facts.filter((s) => !isPublic(s)));
    const chosen = privates.length >= need ? privates : perZone(facts);
    if (chosen.length < need) {
      throw new UserError(`The internal load balancer for the published ports is ${kind}, but the subnets are all in ${chosen[0]?.zone ?? 'one zone'}.`, {
        where: { path: X_AWS_SUBNETS },
        hint: 'List a subnet of a second zone in x-aws-subnets.',
      });
    }
    return chosen.map((s) => s.id);
  }
  const publics = perZone(facts.filter(isPublic));
  if (publics.length < need) {
    const have = publics.length === 0 ? 'none of the subnets has one' : `only ${publics.map((s) => `${s.id} (${s.zone})`).join(', ')} ${publics.length === 1 ? 'has' : 'have'} one`;
    throw new UserError(
      `The internet-facing load balancer for the published ports is ${kind} with a route to an internet gateway (public subnets), but ${have}; in other subnets it would be created but unreachable from the internet.`,
      { where: { path: X_AWS_SUBNETS }, hint: `List public subnets in ${X_AWS_SUBNETS} (beside the private ones for the tasks), or set ${X_AWS_LOADBALANCER_SCHEME}: internal.` },
    );
  }
  return publics.map((s) => s.id);
}
