/**
 * Service discovery: how services find each other by name, as under `docker compose`.
 *
 * Two mechanisms, both managed by AWS, no helper image anywhere:
 *
 * 1. Cloud Map DNS (as the old integration): a private DNS namespace `<project>.local` and one
 *    A-record entry per service, so `db.<project>.local` resolves to the tasks' IPs, on every port
 *    and protocol.
 *
 * 2. ECS Service Connect for the short name `db`. Compose apps connect to `db:5432`, not to
 *    `db.myapp.local`. The old integration made short names work with an init container from
 *    Docker Hub that appended `search <project>.local` to /etc/resolv.conf. We do not do that:
 *    - Fargate (awsvpc) ignores `dnsSearchDomains`, and the search list comes from the VPC's DHCP
 *      options, shared by everything in the VPC, so a template cannot set it;
 *    - naming the namespace after the VPC search domain (`<region>.compute.internal`) would shadow
 *      EC2's own host names for the whole VPC; a one-label namespace per service (`db`) would
 *      shadow real top-level domains (`app`, `dev`) for the whole VPC;
 *    - an init container rewriting resolv.conf needs an image pulled from the internet (and
 *      internet egress from every task) and relies on Fargate sharing that file between containers.
 *    Service Connect is ECS's own answer: each task gets `/etc/hosts` entries for the client
 *    aliases of the namespace and a proxy ECS injects and manages, so `db:5432` works from any
 *    container image, with any resolver.
 *
 *    The limit, stated plainly: Service Connect aliases exist for the tcp ports a service declares
 *    (`ports`, published or not, and `expose`) and, at `up`, the ports its image declares
 *    (`EXPOSE`, read from the registry, or from the local engine for a built image). Any other
 *    port is reachable as `db.<project>.local:<port>` (mechanism 1), not as `db:<port>`; udp
 *    likewise. `reachabilityDiagnostics` finds the
 *    references a service makes to another (`db:5432` in its environment or command) that the
 *    template leaves without a short name, and says so, naming both services and the port. Every service joins
 *    the namespace as a client, so every service can use the aliases of the others. Service Connect
 *    registers its own Cloud Map services in the same namespace; their discovery names
 *    (`db-5432-tcp`) differ from the DNS entries' (`db`) so the two never collide (AWS Copilot
 *    combines the two the same way).
 */
import { warning, type Diagnostic } from '../errors.js';
import type { Project, ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Template, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { imagePortsLookup, imagePortsOf, MAX_IMAGE_PORTS } from './context.js';
import { projectTag, serviceTags } from './tags.js';
import { type Fragment } from './fragment.js';
import type { Environment } from './environment.js';
import * as naming from './naming.js';
import { declaredPortsOf } from './ports.js';
import { reachability, shortNamesOf } from './reachability.js';
import { serviceReferences, type ServiceReference } from './references.js';
import { oneShotJobs } from './one-shot.js';

export function convertNamespace(ctx: ConvertContext): Fragment {
  return {
    resources: {
      [naming.CLOUD_MAP]: {
        Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace',
        Properties: {
          Description: `Service Map for Docker Compose project ${ctx.project.name}`,
          Name: naming.namespaceName(ctx.project.name),
          Vpc: ctx.vpc,
          Tags: [projectTag(ctx)],
        },
      },
    },
  };
}

export function convertDiscoveryEntry(ctx: ConvertContext, service: ServiceConfig): Fragment {
  return {
    resources: {
      [naming.serviceDiscoveryEntry(service.name)]: {
        Type: 'AWS::ServiceDiscovery::Service',
        Properties: {
          Description: `${JSON.stringify(service.name)} service discovery entry in Cloud Map`,
          Name: service.name,
          NamespaceId: ref(naming.CLOUD_MAP),
          DnsConfig: { DnsRecords: [{ TTL: 60, Type: 'A' }], RoutingPolicy: 'MULTIVALUE' },
          HealthCheckCustomConfig: { FailureThreshold: 1 },
          Tags: serviceTags(ctx, service.name),
        },
      },
    },
  };
}

/**
 * What Service Connect a service's tasks need. Service Connect only links ECS services of one
 * namespace (a one-shot job's task has none), and every task with it runs the Service Connect
 * agent beside the app, in the task's CPU and memory. So:
 * - server (client aliases): the service offers a short name and another ECS service could use it;
 * - client (Enabled, no aliases): another ECS service offers a short name this one may call; a
 *   service's code may call any service it shares the project with, as on a compose network, so
 *   every service is a client of every server;
 * - none: no other ECS service, or no short name anywhere (a lone service, workers that only
 *   talk to outside systems): the agent would resolve nothing.
 * Reachability (reachability.ts) is the same either way: a short name needs a server and a client.
 */
export function serviceConnectRole(ctx: ConvertContext, service: ServiceConfig): 'server' | 'client' | 'none' {
  const jobs = oneShotJobs(ctx.project);
  const others = ctx.services.filter((s) => s.name !== service.name && !jobs.has(s.name));
  const offersName = (s: ServiceConfig): boolean => naming.isServiceConnectDnsName(s.name) && (ctx.offered.get(s.name) ?? []).some((p) => p.protocol === 'tcp');
  if (others.length === 0) return 'none';
  if (offersName(service)) return 'server';
  return others.some(offersName) ? 'client' : 'none';
}

/** The ECS service's ServiceConnectConfiguration (undefined when it needs none), plus a warning when the name cannot be an alias. */
export function serviceConnectConfiguration(ctx: ConvertContext, service: ServiceConfig): { value: Value | undefined; diagnostics: Diagnostic[] } {
  const tcpPorts = (ctx.offered.get(service.name) ?? []).filter((p) => p.protocol === 'tcp');
  const base = { Enabled: true, Namespace: getAtt(naming.CLOUD_MAP, 'Arn') };
  const role = serviceConnectRole(ctx, service);
  if (role === 'none' && (tcpPorts.length === 0 || naming.isServiceConnectDnsName(service.name) || ctx.services.length < 2)) return { value: undefined, diagnostics: [] };
  const imagePorts = imagePortsOf(ctx.environment, service);
  const capped: Diagnostic[] =
    imagePorts.length > MAX_IMAGE_PORTS
      ? [warning(`Service ${service.name}'s image declares ${imagePorts.length} ports; only the first ${MAX_IMAGE_PORTS} (up to ${imagePorts[MAX_IMAGE_PORTS - 1]!.port}) get a short name: list any other port it serves under expose.`, service.name, 'expose')]
      : [];
  if (tcpPorts.length === 0) return { value: base, diagnostics: capped };
  if (!naming.isServiceConnectDnsName(service.name)) {
    return {
      value: role === 'none' ? undefined : base,
      diagnostics: [
        ...capped,
        warning(
          `Service ${service.name} cannot be reached by its short name on ECS (Service Connect names are lower-case letters, digits, '.', '_' and '-'); other services reach it as ${service.name.toLowerCase()}.${naming.namespaceName(ctx.project.name)}.`,
          service.name,
        ),
      ],
    };
  }
  return {
    value: {
      ...base,
      Services: tcpPorts.map((p) => {
        const name = naming.portMappingName(service.name, p.port, p.protocol);
        return { PortName: name, DiscoveryName: name, ClientAliases: [{ DnsName: service.name, Port: p.port }] };
      }),
    },
    diagnostics: capped,
  };
}

/**
 * Why a server has no short name on a port (or on any port, when `port` is absent), ending so that
 * `, <what still works>` completes the sentence.
 */
function undeclaredPortReason(project: Project, environment: Environment, server: string, port?: number): string {
  const service = project.services[server]!;
  const what = port === undefined ? 'no port' : `no port ${port}`;
  const lookup = imagePortsLookup(environment, service);
  if (environment.imagePorts === undefined) {
    return `${server} declares ${what} (ports or expose) and convert does not read images, so unless ${server}'s image declares ${port === undefined ? 'one' : 'it'} (EXPOSE, read at up)`;
  }
  if (lookup && 'error' in lookup) return `${server} declares ${what} (ports or expose) and its image could not be read (${lookup.error}), so`;
  return `neither ${server}'s ports and expose nor its image declare ${port === undefined ? 'a port' : `port ${port}`}, so`;
}

/**
 * A warning for every reference from one service to another that the template does not let work
 * by the name written (short name on that port), naming both services, the port and what works.
 * Read off the final template with `reachability`, so an overlay that adds aliases is honoured.
 */
export function reachabilityDiagnostics(project: Project, environment: Environment, template: Template): Diagnostic[] {
  const refs = serviceReferences(project);
  const withPort = refs.filter((r): r is ServiceReference & { port: number } => r.port !== undefined);
  const results = reachability(
    template,
    withPort.map((r) => ({ from: r.from, to: r.to, port: r.port, protocol: 'tcp' as const })),
  );
  const out: Diagnostic[] = [];
  withPort.forEach((r, i) => {
    const result = results[i]!;
    const written = `${r.host}:${r.port}`;
    const lead = `Service ${r.from} connects to ${written} (${r.where})`;
    if (result.reach === 'none') {
      out.push(warning(`${lead}, but ${r.from} and ${r.to} share no network, so ${r.from} cannot reach ${r.to} on ECS, as under docker compose.`, r.from, 'networks'));
      return;
    }
    if (r.host !== r.to) {
      const works = result.reach === 'short-name' ? `${r.to}:${r.port} or ${result.fqdn}:${r.port}` : `${result.fqdn}:${r.port}`;
      out.push(warning(`${lead}, but ${r.host} is an alias of ${r.to} and ECS has no aliases; write ${works} instead.`, r.from, 'networks'));
      return;
    }
    if (result.reach === 'short-name') return;
    const fqdn = `${result.fqdn}:${r.port}`;
    if (!naming.isServiceConnectDnsName(r.to)) {
      out.push(warning(`${lead}, but ${r.to} cannot have a short name on ECS (Service Connect names are lower-case); only ${fqdn} reaches it.`, r.from));
      return;
    }
    const declared = declaredPortsOf(project.services[r.to]!).some((p) => p.port === r.port && p.protocol === 'tcp');
    const reason = declared ? `${r.to}'s port ${r.port} has no Service Connect alias in the template, so` : undeclaredPortReason(project, environment, r.to, r.port);
    out.push(warning(`${lead}, but ${reason} only ${fqdn} reaches it; add "${r.port}" to the expose list of ${r.to}.`, r.from, 'expose'));
  });
  // a bare host name: fine when the server has any short name (the client's port is a guess either way)
  for (const r of refs.filter((x) => x.port === undefined)) {
    if (!naming.isServiceConnectDnsName(r.to) || shortNamesOf(template, r.to).length > 0) continue;
    out.push(
      warning(
        `Service ${r.from} names ${r.host} in ${r.where}, but ${undeclaredPortReason(project, environment, r.to)} ${r.to} has no short name on ECS and only ${r.to}.${naming.namespaceName(project.name)} reaches it; add the port ${r.to} listens on to its expose list.`,
        r.from,
        'expose',
      ),
    );
  }
  return out;
}
