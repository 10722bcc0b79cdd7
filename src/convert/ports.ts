/**
 * Which ports a service publishes through the load balancer and which it offers to other services,
 * as `docker compose` means them on a laptop:
 *
 * - `"80:8080"` publishes container port 8080 on port 80: a listener on 80, a target group on 8080;
 * - `"3000"` (no host port) publishes on the container port, as the old integration did;
 * - a port bound to a loopback address (`"127.0.0.1:5432:5432"`, `"[::1]:5432:5432"`) is for this
 *   host only: it is not published on ECS at all (other services still reach it by name);
 * - a port bound to any other one address cannot be kept to that address behind a load balancer
 *   and is refused;
 * - the same published port for tcp and udp is one NLB `TCP_UDP` listener and target group.
 *
 * A published port used by two services, or by one service for two container ports, cannot be
 * one listener and is refused.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { ServiceConfig, ServicePort } from '../compose/model.js';
import { X_AWS_PROTOCOL } from './extensions.js';
import { byCodeUnit } from './code-unit-order.js';

export type PortProtocol = 'tcp' | 'udp';
/** what one listener and target group carry: `tcp_udp` when the same port is published for both */
export type ListenerPortProtocol = PortProtocol | 'tcp_udp';

export interface PublishedPort {
  service: string;
  /** the load balancer's listener port */
  port: number;
  /** the container port the target group forwards to */
  target: number;
  protocol: ListenerPortProtocol;
  /** served as HTTP: port 80 or 443 (published or container), or x-aws-protocol http/https */
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

function isHttp(p: ServicePort, published: number): boolean {
  const declared = p.extensions?.[X_AWS_PROTOCOL];
  if (typeof declared === 'string') return declared.toLowerCase() === 'http' || declared.toLowerCase() === 'https';
  return [80, 443].includes(p.target) || [80, 443].includes(published);
}

/** `127.0.0.0/8` and `::1` (also written in full or as `::ffff:127.x.y.z`). */
export function isLoopbackAddress(address: string): boolean {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a)) return true;
  if (/^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a)) return true;
  return /^(0{0,4}:){1,7}0{0,3}1$/.test(a) || a === '::1';
}

/** The addresses that mean "every address of the host", as with no host_ip at all. */
function isAnyAddress(address: string): boolean {
  const a = address.trim().replace(/^\[|\]$/g, '');
  return a === '' || a === '0.0.0.0' || /^[0:]+$/.test(a);
}

/** The published ports of a service, and a notice for each port kept private by a loopback address. */
export function publishedPortsOf(service: ServiceConfig): { ports: PublishedPort[]; diagnostics: Diagnostic[] } {
  const path = `services.${service.name}.ports`;
  const diagnostics: Diagnostic[] = [];
  // one entry per published port; tcp and udp on one port merge into tcp_udp
  const byPort = new Map<number, PublishedPort>();
  for (const p of service.ports ?? []) {
    const protocol = protocolOf(p, service.name);
    if (p.host_ip !== undefined && !isAnyAddress(p.host_ip)) {
      if (isLoopbackAddress(p.host_ip)) {
        diagnostics.push(
          warning(
            `Service ${service.name} binds port ${p.published || p.target}/${protocol} to ${p.host_ip}, which under docker compose is reachable from this host only: on ECS it is not published at all, and other services still reach it as ${service.name}:${p.target}.`,
            service.name,
            'ports',
          ),
        );
        continue;
      }
      throw new UserError(
        `Service ${service.name} publishes port ${p.published || p.target} on the address ${p.host_ip} only; on ECS the load balancer listens on all of its addresses, so a port cannot be kept to one.`,
        { where: { path }, hint: `Remove ${p.host_ip} to publish the port on the load balancer, or bind it to 127.0.0.1 to keep it private (other services still reach it by name).` },
      );
    }
    let published = p.target;
    if (p.published !== undefined && p.published !== '') {
      if (!/^\d+$/.test(p.published)) {
        throw new UserError(`Service ${service.name} publishes the port range ${p.published}; publish each port on its own line.`, { where: { path } });
      }
      // published 0 means "any host port" to docker; the load balancer then uses the container port
      if (Number(p.published) !== 0) published = Number(p.published);
    }
    const entry: PublishedPort = { service: service.name, port: published, target: p.target, protocol, http: protocol === 'tcp' && isHttp(p, published) };
    const seen = byPort.get(published);
    if (!seen) {
      byPort.set(published, entry);
      continue;
    }
    if (seen.target !== entry.target) {
      throw new UserError(
        `Service ${service.name} publishes port ${published} for both container port ${seen.target} and ${entry.target}; the load balancer has one listener per port.`,
        { where: { path }, hint: 'Publish each container port on a port of its own.' },
      );
    }
    if (seen.protocol !== entry.protocol) {
      byPort.set(published, { ...seen, protocol: 'tcp_udp', http: false });
    }
  }
  const ports = [...byPort.values()].sort((a, b) => a.port - b.port);
  return { ports, diagnostics };
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

function uniqueSorted(all: readonly OfferedPort[]): OfferedPort[] {
  const unique = new Map(all.map((p) => [`${p.port}/${p.protocol}`, p]));
  return [...unique.values()].sort((a, b) => a.port - b.port || byCodeUnit(a.protocol, b.protocol));
}

/** Ports the compose file lists under ports (published or not, loopback too) and expose, deduplicated and sorted. */
export function declaredPortsOf(service: ServiceConfig): OfferedPort[] {
  return uniqueSorted([
    ...(service.ports ?? []).map((p) => ({ port: p.target, protocol: protocolOf(p, service.name) })),
    ...(service.expose ?? []).flatMap((e) => exposed(e, service.name)),
  ]);
}

/** Declared ports plus the ports the service's image declares (EXPOSE, read at `up`), deduplicated and sorted. */
export function offeredPortsOf(service: ServiceConfig, imagePorts: readonly OfferedPort[] = []): OfferedPort[] {
  return uniqueSorted([...declaredPortsOf(service), ...imagePorts]);
}

/** Refuses the same port published by two services: one listener per port. */
export function checkListenerPorts(ports: readonly PublishedPort[]): void {
  const byPort = new Map<number, PublishedPort>();
  for (const p of [...ports].sort((a, b) => a.port - b.port || (a.service < b.service ? -1 : 1))) {
    const seen = byPort.get(p.port);
    if (seen) {
      throw new UserError(`Services ${seen.service} and ${p.service} both publish port ${p.port}; the load balancer has one listener per port.`, {
        where: { path: `services.${p.service}.ports` },
        hint: 'Publish a different port, or keep one of them unpublished (other services still reach it by name).',
      });
    }
    byPort.set(p.port, p);
  }
}
