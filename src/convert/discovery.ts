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
 *    (`ports`, published or not, and `expose`). A port the file never mentions is reachable as
 *    `db.<project>.local:<port>` (mechanism 1), not as `db:<port>`; udp likewise. Every service joins
 *    the namespace as a client, so every service can use the aliases of the others. Service Connect
 *    registers its own Cloud Map services in the same namespace; their discovery names
 *    (`db-5432-tcp`) differ from the DNS entries' (`db`) so the two never collide (AWS Copilot
 *    combines the two the same way).
 */
import { warning, type Diagnostic } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { projectTag, serviceTags } from './context.js';
import { type Fragment } from './fragment.js';
import * as naming from './naming.js';
import { offeredPortsOf } from './ports.js';

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

/** The ECS service's ServiceConnectConfiguration, plus a warning when the name cannot be an alias. */
export function serviceConnectConfiguration(ctx: ConvertContext, service: ServiceConfig): { value: Value; diagnostics: Diagnostic[] } {
  const tcpPorts = offeredPortsOf(service).filter((p) => p.protocol === 'tcp');
  const base = { Enabled: true, Namespace: getAtt(naming.CLOUD_MAP, 'Arn') };
  if (tcpPorts.length === 0) return { value: base, diagnostics: [] };
  if (!naming.isServiceConnectDnsName(service.name)) {
    return {
      value: base,
      diagnostics: [
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
    diagnostics: [],
  };
}
