/** Cloud Map (JSON 1.1, target `Route53AutoNaming_v20170314`): the namespaces, for the leftover check at `up`. */
import { SimError } from '../errors.js';
import { date, page, type Handler } from './types.js';
import type { Namespace } from '../world.js';

const summary = (n: Namespace) => ({
  Id: n.id,
  Arn: n.arn,
  Name: n.name,
  Type: 'DNS_PRIVATE',
  Properties: { DnsProperties: { HostedZoneId: n.hostedZoneId } },
  CreateDate: date(n.createdAt),
});

export const servicediscovery: Record<string, Handler> = {
  ListNamespaces({ world, params }) {
    let found = [...world.namespaces.values()];
    for (const f of (params.Filters ?? []) as Array<{ Name: string; Values: string[]; Condition?: string }>) {
      const values = f.Values ?? [];
      if (f.Name === 'NAME') found = found.filter((n) => (f.Condition === 'BEGINS_WITH' ? values.some((v) => n.name.startsWith(v)) : values.includes(n.name)));
      else if (f.Name === 'TYPE') found = found.filter(() => values.includes('DNS_PRIVATE'));
      else throw new SimError('InvalidInput', `Filter name ${f.Name} is not simulated.`);
    }
    const { items, next } = page(found, params.NextToken, Number(params.MaxResults ?? 100));
    return { Namespaces: items.map(summary), NextToken: next };
  },
  GetNamespace({ world, params }) {
    const n = world.namespaces.get(String(params.Id));
    if (!n) throw new SimError('NamespaceNotFound', `Namespace ${params.Id} not found.`);
    return { Namespace: summary(n) };
  },
};
