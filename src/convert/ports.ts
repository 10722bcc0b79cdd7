/**
 * Which ports a service publishes through the load balancer and which it offers to other services.
 * Published ports must equal their container port (the load balancer listens on the same port the
 * container does, as under the old integration); a port published twice in the project, or on one
 * port number for both tcp and udp, cannot be one listener and is refused.
 */
import { UserError } from '../errors.js';
import type { ServiceConfig, ServicePort } from '../compose/model.js';
import { X_AWS_PROTOCOL } from './extensions.js';

export type PortProtocol = 'tcp' | 'udp';

export interface PublishedPort {
  service: string;
  port: number;
  protocol: PortProtocol;
  /** served as HTTP: container port 80 or 443, or x-aws-protocol http/https */
  http: boolean;
}

/** A port other services may connect to (published, or only listed under expose). */
export interface OfferedPort {
  port: number;
  protocol: PortProtocol;
}

function protocolOf(p: { protocol?: string }, service: string): PortProtocol {
  const proto = (p.protocol ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') {
    throw new UserError(`Service ${service} uses port protocol ${proto}; ECS ports are tcp or udp.`, { where: { path: `services.${service}.ports` } });
  }
  return proto;
}

function isHttp(p: ServicePort): boolean {
  const declared = p.extensions?.[X_AWS_PROTOCOL];
  if (typeof declared === 'string') return declared.toLowerCase() === 'http' || declared.toLowerCase() === 'https';
  return p.target === 80 || p.target === 443;
}

export function publishedPortsOf(service: ServiceConfig): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const p of service.ports ?? []) {
    const path = `services.${service.name}.ports`;
    // `ports: ["3000"]` publishes on a random host port under docker; behind the load balancer,
    // as with the old integration, it is published on the container port
    if (p.published === undefined || p.published === '') {
      out.push({ service: service.name, port: p.target, protocol: protocolOf(p, service.name), http: isHttp(p) });
      continue;
    }
    if (!/^\d+$/.test(p.published)) {
      throw new UserError(`Service ${service.name} publishes the port range ${p.published}; publish each port on its own line.`, { where: { path } });
    }
    const published = Number(p.published);
    // published 0 means "any host port" to docker; the load balancer then uses the container port
    if (published !== 0 && published !== p.target) {
      throw new UserError(
        `Service ${service.name} publishes container port ${p.target} as ${published}; on ECS the published port must equal the container port.`,
        { where: { path }, hint: `Write "${p.target}:${p.target}", or make the container listen on ${published}.` },
      );
    }
    out.push({ service: service.name, port: p.target, protocol: protocolOf(p, service.name), http: isHttp(p) });
  }
  const unique = new Map(out.map((p) => [`${p.port}/${p.protocol}`, p]));
  return [...unique.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** Parses an `expose` entry: "5432", "5432/tcp", "8000-8002/udp". */
function exposed(entry: string, service: string): OfferedPort[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(\w+))?$/.exec(entry.trim());
  if (!m) throw new UserError(`Service ${service} exposes ${JSON.stringify(entry)}, which is not a port.`, { where: { path: `services.${service}.expose` } });
  const from = Number(m[1]);
  const to = m[2] ? Number(m[2]) : from;
  const protocol = protocolOf({ protocol: m[3] }, service);
  const out: OfferedPort[] = [];
  for (let port = from; port <= to; port++) out.push({ port, protocol });
  return out;
}

/** Ports listed under ports (published or not) and expose, deduplicated and sorted. */
export function offeredPortsOf(service: ServiceConfig): OfferedPort[] {
  const all: OfferedPort[] = [
    ...(service.ports ?? []).map((p) => ({ port: p.target, protocol: protocolOf(p, service.name) })),
    ...(service.expose ?? []).flatMap((e) => exposed(e, service.name)),
  ];
  const unique = new Map(all.map((p) => [`${p.port}/${p.protocol}`, p]));
  return [...unique.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}

/** Refuses the same port published by two services, or for both tcp and udp: one listener per port. */
export function checkListenerPorts(ports: readonly PublishedPort[]): void {
  const byPort = new Map<number, PublishedPort>();
  for (const p of ports) {
    const seen = byPort.get(p.port);
    if (seen) {
      const who = seen.service === p.service ? `Service ${p.service} publishes port ${p.port} for both ${seen.protocol} and ${p.protocol}` : `Services ${seen.service} and ${p.service} both publish port ${p.port}`;
      throw new UserError(`${who}; the load balancer has one listener per port.`, {
        where: { path: `services.${p.service}.ports` },
        hint: 'Publish a different port, or keep one of them unpublished (other services still reach it by name).',
      });
    }
    byPort.set(p.port, p);
  }
}
