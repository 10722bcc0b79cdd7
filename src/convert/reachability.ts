/**
 * Who can reach whom, read from a template alone: for a client service, a server service and a
 * port, is the server reachable by its short name (`db:5432`, a Service Connect client alias), only
 * by its Cloud Map name (`db.<project>.local:5432`, a DNS A record), or not at all (no security
 * group rule lets the client's traffic in). Pure and independent of how the template was built, so
 * it checks the converter's output (and any overlay) rather than repeating its reasoning.
 *
 * The rules, from the ECS and Cloud Map documentation:
 * - short name: the server's ServiceConnectConfiguration has a service whose client alias is
 *   `<name>:<port>`, whose PortName is a tcp port mapping of its task definition on that container
 *   port, and the client has Service Connect on in the same namespace ("Service Connect concepts";
 *   `ServiceConnectService.portName` must name a port mapping). Service Connect carries tcp only.
 * - FQDN: the server registers in a Cloud Map service with a DNS A record in a private DNS
 *   namespace; `<entry>.<namespace>` then resolves to the tasks' addresses, on any port.
 * - either way the server's security groups must let the client's in, on that protocol and port:
 *   a rule whose source is one of the client's groups (a shared network: `<Net>NetworkIngress`).
 *   An existing security group both services share (an external network) is assumed open between
 *   its members, as compose assumes of a network; its rules are not in the template.
 */
import type { Template, Value } from '../cloudformation/template.js';

export type Reach = 'short-name' | 'fqdn' | 'none';

export interface ReachQuery {
  from: string;
  to: string;
  port: number;
  protocol: 'tcp' | 'udp';
}

export interface ReachResult extends ReachQuery {
  reach: Reach;
  /** how the client addresses the server: `db:5432`, `db.shop.local:5432` (absent when unreachable) */
  address?: string;
  /** the Cloud Map name, whenever the server has one (`db.shop.local`) */
  fqdn?: string;
}

interface ServiceFacts {
  securityGroups: string[];
  connectNamespace?: string;
  /** `<alias>:<port>` for Service Connect services whose port name is a tcp mapping on that port */
  shortNames: Set<string>;
  fqdn?: string;
  /** container ports of the task definition, `5432/tcp` */
  portMappings: { port: number; protocol: string }[];
}

interface IngressRule {
  group: string;
  source: string;
  protocol: string;
  from: number;
  to: number;
}

type Props = Record<string, Value>;

const key = (v: Value | undefined): string => JSON.stringify(v ?? null);

/** The logical ID a `Ref` or `Fn::GetAtt` points at. */
function target(v: Value | undefined): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, Value>;
    if (typeof o.Ref === 'string') return o.Ref;
    const att = o['Fn::GetAtt'];
    if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  }
  return undefined;
}

function list(v: Value | undefined): Value[] {
  return Array.isArray(v) ? v : [];
}

function obj(v: Value | undefined): Props {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Props) : {};
}

function composeServiceOf(props: Props): string | undefined {
  for (const t of list(props.Tags)) {
    const tag = obj(t);
    if (tag.Key === 'com.docker.compose.service' && typeof tag.Value === 'string') return tag.Value;
  }
  return undefined;
}

function ingressRules(template: Template): IngressRule[] {
  const rules: IngressRule[] = [];
  const add = (group: string, rule: Props) => {
    if (rule.SourceSecurityGroupId === undefined) return; // CIDR rules (the load balancer's) admit no task by group
    const protocol = String(rule.IpProtocol ?? '-1').toLowerCase();
    const all = protocol === '-1' || rule.FromPort === undefined;
    rules.push({ group, source: key(rule.SourceSecurityGroupId), protocol, from: all ? 0 : Number(rule.FromPort), to: all ? 65535 : Number(rule.ToPort ?? rule.FromPort) });
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    const p = obj(r.Properties as Value);
    if (r.Type === 'AWS::EC2::SecurityGroupIngress') add(key(p.GroupId), p);
    if (r.Type === 'AWS::EC2::SecurityGroup') for (const rule of list(p.SecurityGroupIngress)) add(key({ Ref: id }), obj(rule));
  }
  return rules;
}

function serviceFacts(template: Template): Map<string, ServiceFacts> {
  const resources = template.Resources;
  const out = new Map<string, ServiceFacts>();
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::ECS::Service') continue;
    const p = obj(r.Properties as Value);
    const name = composeServiceOf(p);
    if (name === undefined) continue;
    const taskDefinition = obj(resources[target(p.TaskDefinition) ?? '']?.Properties as Value);
    const portMappings = list(taskDefinition.ContainerDefinitions).flatMap((c) =>
      list(obj(c).PortMappings).map((m) => {
        const mapping = obj(m);
        return { name: mapping.Name, port: Number(mapping.ContainerPort), protocol: String(mapping.Protocol ?? 'tcp').toLowerCase() };
      }),
    );
    const connect = obj(p.ServiceConnectConfiguration);
    const shortNames = new Set<string>();
    const enabled = connect.Enabled === true;
    if (enabled) {
      for (const s of list(connect.Services)) {
        const service = obj(s);
        const mapping = portMappings.find((m) => m.name === service.PortName);
        if (!mapping || mapping.protocol !== 'tcp') continue;
        for (const a of list(service.ClientAliases)) {
          const alias = obj(a);
          // the proxy forwards to the mapping's container port: the alias must use that same port
          if (typeof alias.DnsName === 'string' && Number(alias.Port) === mapping.port) shortNames.add(`${alias.DnsName}:${mapping.port}`);
        }
      }
    }
    let fqdn: string | undefined;
    for (const reg of list(p.ServiceRegistries)) {
      const entry = obj(resources[target(obj(reg).RegistryArn) ?? '']?.Properties as Value);
      const records = list(obj(entry.DnsConfig).DnsRecords).map((d) => obj(d).Type);
      const namespace = obj(resources[target(entry.NamespaceId) ?? '']?.Properties as Value);
      if (records.includes('A') && typeof entry.Name === 'string' && typeof namespace.Name === 'string') fqdn = `${entry.Name}.${namespace.Name}`;
    }
    out.set(name, {
      securityGroups: list(obj(obj(p.NetworkConfiguration).AwsvpcConfiguration).SecurityGroups).map(key),
      ...(enabled ? { connectNamespace: key(connect.Namespace) } : {}),
      shortNames,
      ...(fqdn ? { fqdn } : {}),
      portMappings: portMappings.map(({ port, protocol }) => ({ port, protocol })),
    });
  }
  return out;
}

function admits(rules: readonly IngressRule[], client: ServiceFacts, server: ServiceFacts, port: number, protocol: string): boolean {
  // an existing group both belong to (a literal id, not a Ref): its rules are outside the template
  if (server.securityGroups.some((g) => !g.startsWith('{') && client.securityGroups.includes(g))) return true;
  return rules.some(
    (r) => server.securityGroups.includes(r.group) && client.securityGroups.includes(r.source) && (r.protocol === '-1' || r.protocol === protocol) && r.from <= port && port <= r.to,
  );
}

/**
 * Answers each query; without queries, every ordered pair of distinct services on every container
 * port of the server's task definition.
 */
export function reachability(template: Template, queries?: readonly ReachQuery[]): ReachResult[] {
  const facts = serviceFacts(template);
  const rules = ingressRules(template);
  const names = [...facts.keys()].sort();
  const asked: ReachQuery[] =
    queries !== undefined
      ? [...queries]
      : names.flatMap((from) =>
          names
            .filter((to) => to !== from)
            .flatMap((to) => facts.get(to)!.portMappings.map((m) => ({ from, to, port: m.port, protocol: m.protocol === 'udp' ? ('udp' as const) : ('tcp' as const) }))),
        );
  return asked.map((q) => {
    const client = facts.get(q.from);
    const server = facts.get(q.to);
    if (!client || !server) return { ...q, reach: 'none' as const };
    const fqdn = server.fqdn ? { fqdn: server.fqdn } : {};
    if (!admits(rules, client, server, q.port, q.protocol)) return { ...q, reach: 'none' as const, ...fqdn };
    const short = `${q.to}:${q.port}`;
    if (q.protocol === 'tcp' && client.connectNamespace !== undefined && client.connectNamespace === server.connectNamespace && server.shortNames.has(short)) {
      return { ...q, reach: 'short-name' as const, address: short, ...fqdn };
    }
    if (server.fqdn) return { ...q, reach: 'fqdn' as const, address: `${server.fqdn}:${q.port}`, ...fqdn };
    return { ...q, reach: 'none' as const };
  });
}

/** The short names (`db:5432`) the template gives a service, for a reference that names no port. */
export function shortNamesOf(template: Template, service: string): string[] {
  return [...(serviceFacts(template).get(service)?.shortNames ?? [])].sort();
}
