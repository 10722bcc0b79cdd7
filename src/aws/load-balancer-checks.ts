/**
 * At `up`, before any change: would the load balancer part of the template work on AWS?
 *
 * - An existing load balancer (`x-aws-loadbalancer`) must be of the type the published ports need
 *   (HTTP listeners on an Application Load Balancer, TCP/UDP on a Network Load Balancer), have no
 *   listener of someone else on a published port (AWS: DuplicateListener), and have a security
 *   group the tasks can admit.
 * (A load balancer the stack creates takes one subnet per zone, two zones for an ALB: the
 * converter chooses and checks them when `up` tells it the zones, src/convert/context.ts.)
 *
 * Rules from CreateListener, CreateLoadBalancer (Subnets) and the NLB security group pages of the
 * Elastic Load Balancing documentation; the simulator applies the same ones (test/sim/README.md).
 */
import { UserError } from '../errors.js';
import type { Template } from '../cloudformation/template.js';

export interface ExistingListener {
  arn: string;
  port: number;
  protocol: string;
}

export interface ExistingLoadBalancer {
  arn: string;
  name: string;
  type: string;
  securityGroups: string[];
  listeners: ExistingListener[];
}

/** Listener protocols each load balancer type takes (CreateListener). */
const PROTOCOLS: Record<string, readonly string[]> = { application: ['HTTP', 'HTTPS'], network: ['TCP', 'TLS', 'UDP', 'TCP_UDP'] };
const TYPE_NAME: Record<string, string> = { application: 'an Application Load Balancer', network: 'a Network Load Balancer' };

type Props = Record<string, unknown>;

function refTarget(v: unknown): string | undefined {
  return v && typeof v === 'object' && typeof (v as { Ref?: unknown }).Ref === 'string' ? (v as { Ref: string }).Ref : undefined;
}

/** target group logical id -> the compose service whose ECS service it feeds */
function serviceOfTargetGroup(template: Template): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::ECS::Service') continue;
    const p = (r.Properties ?? {}) as Props;
    const tags = (p.Tags ?? []) as Array<{ Key: string; Value: unknown }>;
    const service = String(tags.find((t) => t.Key === 'com.docker.compose.service')?.Value ?? '');
    for (const lb of (p.LoadBalancers ?? []) as Props[]) {
      const tg = refTarget(lb.TargetGroupArn);
      if (tg) out.set(tg, service);
    }
  }
  return out;
}

interface TemplateListener {
  logicalId: string;
  port: number;
  protocol: string;
  service: string;
  loadBalancerArn: unknown;
}

function templateListeners(template: Template): TemplateListener[] {
  const services = serviceOfTargetGroup(template);
  const out: TemplateListener[] = [];
  for (const [logicalId, r] of Object.entries(template.Resources).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (r.Type !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
    const p = (r.Properties ?? {}) as Props;
    const action = ((p.DefaultActions ?? []) as Props[])[0] ?? {};
    const tg = refTarget(action.TargetGroupArn) ?? refTarget((((action.ForwardConfig as Props | undefined)?.TargetGroups ?? []) as Props[])[0]?.TargetGroupArn);
    out.push({ logicalId, port: Number(p.Port), protocol: String(p.Protocol), service: (tg && services.get(tg)) || logicalId, loadBalancerArn: p.LoadBalancerArn });
  }
  return out;
}

/**
 * Refuses, with one sentence each (all at once), what AWS would refuse on the existing load
 * balancer: a listener protocol its type does not take, a port someone else's listener holds, no
 * security group. `owned` are the physical ids the project's stack already manages (its own
 * listeners are no conflict on an update).
 */
export function checkExistingLoadBalancer(template: Template, lb: ExistingLoadBalancer, owned: ReadonlySet<string>): void {
  const problems: string[] = [];
  const mine = templateListeners(template).filter((l) => l.loadBalancerArn === lb.arn);
  if (mine.length === 0) return;
  const allowed = PROTOCOLS[lb.type] ?? [];
  const kind = TYPE_NAME[lb.type] ?? `a ${lb.type} load balancer`;
  for (const l of mine) {
    if (!allowed.includes(l.protocol)) {
      const needs = l.protocol === 'HTTP' || l.protocol === 'HTTPS' ? TYPE_NAME.application : TYPE_NAME.network;
      problems.push(`x-aws-loadbalancer ${lb.name} is ${kind}, but service ${l.service} publishes port ${l.port} as ${l.protocol}, which needs ${needs}.`);
    }
    const taken = lb.listeners.find((x) => x.port === l.port && !owned.has(x.arn));
    if (taken) {
      problems.push(`x-aws-loadbalancer ${lb.name} already has a ${taken.protocol} listener on port ${l.port}, which service ${l.service} publishes; AWS allows one listener per port.`);
    }
  }
  if (lb.securityGroups.length === 0) {
    problems.push(`x-aws-loadbalancer ${lb.name} has no security group, so the tasks cannot admit its traffic (a Network Load Balancer created without one can never get one).`);
  }
  if (problems.length === 0) return;
  throw new UserError(problems.join(' '), {
    hint: 'Publish those ports on another load balancer (or remove x-aws-loadbalancer so the stack creates one), or free the ports on it.',
  });
}

/** The checks on the template `up` is about to deploy, given what it looked up. */
export function checkLoadBalancerPlan(template: Template, env: { existingLoadBalancer?: { loadBalancer: ExistingLoadBalancer; owned: ReadonlySet<string> } }): void {
  if (env.existingLoadBalancer) checkExistingLoadBalancer(template, env.existingLoadBalancer.loadBalancer, env.existingLoadBalancer.owned);
}
