/**
 * What the watcher reads from the template it deploys: which compose service each resource
 * belongs to (for grouping rows and naming root causes), the listeners behind the published
 * endpoints, and the plan of a stack that does not exist yet.
 */
import type { Template, Value } from '../cloudformation/template.js';
import type { PlannedChange } from './events.js';

import { OWNER_METADATA, TAG_SERVICE } from '../convert/naming.js';
import { byCodeUnit } from '../convert/code-unit-order.js';

export interface ResourceOwners {
  /** compose services in display order (sorted) */
  services: string[];
  serviceOf(logicalId: string): string | undefined;
}

function tagValue(props: Record<string, Value> | undefined, key: string): string | undefined {
  const tags = props?.Tags;
  if (Array.isArray(tags)) {
    for (const t of tags) {
      if (t && typeof t === 'object' && !Array.isArray(t) && (t as Record<string, Value>).Key === key) {
        const v = (t as Record<string, Value>).Value;
        return typeof v === 'string' ? v : undefined;
      }
    }
  } else if (tags && typeof tags === 'object' && key in tags) {
    const v = (tags as Record<string, Value>)[key];
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/**
 * The converter writes the owner of every resource it makes for a service into the resource's
 * `Metadata` (convert/naming.ts `OWNER_METADATA`). A template deployed before that carries only
 * the service tag on the resources that take tags; those are read too. Nothing is guessed from
 * logical ids: a resource with neither belongs to the project.
 */
export function resourceOwners(template: Pick<Template, 'Resources'> | undefined): ResourceOwners {
  const byId = new Map<string, string>();
  for (const [id, r] of Object.entries(template?.Resources ?? {})) {
    const owner = r.Metadata?.[OWNER_METADATA];
    const service = typeof owner === 'string' ? owner : tagValue(r.Properties, TAG_SERVICE);
    if (service) byId.set(id, service);
  }
  return { services: [...new Set(byId.values())].sort(), serviceOf: (logicalId) => byId.get(logicalId) };
}

export interface ListenerFact {
  port: number;
  protocol: string;
  /** the template's load balancer, or an external one by ARN */
  loadBalancer: { logicalId: string } | { arn: string };
}

/** The listeners of the template, resolving `Ref`s to parameters with the values deployed. */
export function listenersOf(template: Pick<Template, 'Resources'>, parameters: Record<string, string>): ListenerFact[] {
  const out: ListenerFact[] = [];
  for (const r of Object.values(template.Resources ?? {})) {
    if (r.Type !== 'AWS::ElasticLoadBalancingV2::Listener') continue;
    const p = r.Properties ?? {};
    const port = Number(p.Port);
    if (!Number.isFinite(port)) continue;
    const protocol = typeof p.Protocol === 'string' ? p.Protocol : 'TCP';
    const lb = p.LoadBalancerArn;
    let loadBalancer: ListenerFact['loadBalancer'] | undefined;
    if (typeof lb === 'string') loadBalancer = { arn: lb };
    else if (lb && typeof lb === 'object' && 'Ref' in lb && typeof lb.Ref === 'string') {
      const ref = lb.Ref;
      if (parameters[ref]) loadBalancer = { arn: parameters[ref] };
      else if (template.Resources[ref]) loadBalancer = { logicalId: ref };
    }
    if (loadBalancer) out.push({ port, protocol, loadBalancer });
  }
  return out.sort((a, b) => a.port - b.port);
}

/** Outputs whose value is a resource's DNSName: output key -> logical ID of the load balancer. */
export function dnsOutputs(template: Pick<Template, 'Outputs'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, o] of Object.entries(template.Outputs ?? {})) {
    const v = o.Value as unknown;
    if (v && typeof v === 'object' && 'Fn::GetAtt' in v) {
      const att = (v as { 'Fn::GetAtt': unknown })['Fn::GetAtt'];
      if (Array.isArray(att) && att[1] === 'DNSName' && typeof att[0] === 'string') out.set(key, att[0]);
    }
  }
  return out;
}

/** `http://dns:port` for HTTP, `https://dns:port` for HTTPS, `dns:port` otherwise. */
export function endpointUrl(dns: string, port: number, protocol: string): string {
  const p = protocol.toUpperCase();
  if (p === 'HTTP') return `http://${dns}:${port}`;
  if (p === 'HTTPS') return `https://${dns}:${port}`;
  return `${dns}:${port}`;
}

/** The plan of a stack that does not exist: every resource is added. */
export function planFromTemplate(template: Pick<Template, 'Resources'>): PlannedChange[] {
  return Object.entries(template.Resources ?? {})
    .map(([logicalId, r]) => ({ action: 'add' as const, logicalId, resourceType: r.Type }))
    .sort((a, b) => byCodeUnit(a.logicalId, b.logicalId));
}
