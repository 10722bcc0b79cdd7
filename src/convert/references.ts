/**
 * Where one service names another in its configuration: `db:5432`, `http://api:8080/health`,
 * `postgres://shop@db:5432/shop`, `redis://cache` (the scheme's default port), or an environment
 * value that is just the name (`DATABASE_HOST: db`, port unknown). Conservative on purpose: only
 * host names that compose itself resolves on the project network count (service names, network
 * aliases, container names, link aliases), in environment values, command, entrypoint and
 * healthcheck test; a bare name only as the whole value of an environment variable whose key says
 * it holds a host (`DB_HOST: db`, not `POSTGRES_USER: gitea`).
 */
import type { Project, ServiceConfig } from '../compose/model.js';

export interface ServiceReference {
  /** the service whose configuration holds the reference */
  from: string;
  /** the service the host name resolves to under docker compose */
  to: string;
  /** the host name as written (the service name, or an alias of it) */
  host: string;
  /** absent for a bare host name (the client's own default port) */
  port?: number;
  /** where it was found: `environment DATABASE_URL`, `command`, ... */
  where: string;
}

/** Default ports of URL schemes clients commonly use; a URL without a port connects there. */
const SCHEME_PORTS: Readonly<Record<string, number>> = Object.freeze({
  http: 80,
  ws: 80,
  https: 443,
  wss: 443,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  mongodb: 27017,
  amqp: 5672,
  nats: 4222,
});

/** Host name -> service, for every name compose resolves on the project's networks. */
export function hostNames(project: Project): Map<string, string> {
  const names = new Map<string, string>();
  const services = Object.keys(project.services).sort();
  // aliases first, so a service name always wins over another service's alias
  for (const name of services) {
    const s = project.services[name]!;
    for (const attachment of Object.values(s.networks ?? {})) for (const alias of attachment?.aliases ?? []) names.set(alias, name);
    if (s.container_name) names.set(s.container_name, name);
  }
  for (const name of services) {
    for (const link of project.services[name]!.links ?? []) {
      const [target, alias] = link.split(':');
      if (target && alias && target in project.services) names.set(alias, target);
    }
  }
  for (const name of services) names.set(name, name);
  return names;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HOST_CHAR = 'A-Za-z0-9_.\\-';

function referencesIn(text: string, names: ReadonlyMap<string, string>, from: string, where: string, bareHost: boolean): ServiceReference[] {
  const out: ServiceReference[] = [];
  for (const [host, to] of names) {
    if (to === from) continue;
    if (bareHost && text.trim() === host) {
      out.push({ from, to, host, where });
      continue;
    }
    const h = escapeRegExp(host);
    // host:port, not inside a longer host name and not followed by more digits
    const withPort = new RegExp(`(?<![${HOST_CHAR}])${h}:(\\d{1,5})(?![\\d])`, 'g');
    for (const m of text.matchAll(withPort)) {
      const port = Number(m[1]);
      if (port > 0 && port <= 65535) out.push({ from, to, host, port, where });
    }
    // scheme://[user[:password]@]host followed by /, ?, # or the end: the scheme's default port
    const url = new RegExp(`([a-z][a-z0-9+.-]*)://(?:[^@/\\s]*@)?${h}(?=[/?#]|$|\\s)`, 'gi');
    for (const m of text.matchAll(url)) {
      const port = SCHEME_PORTS[m[1]!.toLowerCase()];
      if (port !== undefined) out.push({ from, to, host, port, where });
    }
  }
  return out;
}

/** Environment keys whose value is a host name (`DB_HOST`, `REDIS_SERVER`, `API_ADDR`): only there is a bare name a reference. */
const HOST_KEY = /HOST|SERVER|ADDR|ENDPOINT/i;

function referencesOf(service: ServiceConfig, names: ReadonlyMap<string, string>): ServiceReference[] {
  const out: ServiceReference[] = [];
  for (const key of Object.keys(service.environment ?? {}).sort()) {
    const value = service.environment![key];
    if (typeof value === 'string') out.push(...referencesIn(value, names, service.name, `environment ${key}`, HOST_KEY.test(key)));
  }
  for (const [field, args] of [
    ['command', service.command],
    ['entrypoint', service.entrypoint],
    ['healthcheck test', service.healthcheck?.test],
  ] as const) {
    for (const arg of args ?? []) out.push(...referencesIn(arg, names, service.name, field, false));
  }
  return out;
}

/** Every reference from one service to another, deduplicated, in a stable order. */
export function serviceReferences(project: Project): ServiceReference[] {
  const names = hostNames(project);
  const seen = new Map<string, ServiceReference>();
  for (const name of Object.keys(project.services).sort()) {
    for (const r of referencesOf(project.services[name]!, names)) {
      const key = `${r.from}>${r.host}:${r.port ?? ''}`;
      if (!seen.has(key)) seen.set(key, r);
    }
  }
  return [...seen.values()];
}
