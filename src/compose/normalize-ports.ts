/**
 * `ports:` entries, short and long, to the long form (one entry per container port).
 *
 *   80                      -> { target: 80 }
 *   "8080:80"               -> { target: 80, published: "8080" }
 *   "127.0.0.1:8080:80/udp" -> { host_ip: "127.0.0.1", published: "8080", target: 80, protocol: "udp" }
 *   "[::1]:8080:80"         -> IPv6 host address in brackets
 *   "127.0.0.1::80"         -> host address, any host port
 *   "8000-8001:80-81"       -> two entries, 8000->80 and 8001->81
 *   "8000-8010:80"          -> one entry, published "8000-8010" (docker picks one)
 * Short forms get `mode: "ingress"` and `protocol: "tcp"` unless given, as in compose-go.
 */
import { isMapping, type RawMap, type RawValue } from './parse.js';
import { dict } from './dict.js';
import { ShapeError } from './shape-error.js';

/**
 * The most ports one service may list (under `ports`, and again under `expose`). An ECS task
 * definition holds at most 64 KiB, about a thousand port mappings, and a load balancer at most
 * 50 listeners; a range such as `1-65535:1-65535` is refused here, before it is expanded into
 * 65,535 entries (it took two minutes and 2 GB to build 131,070 resources).
 */
export const MAX_PORTS_PER_SERVICE = 1000;

/** `limit`: how many entries this one may expand to (what is left of the service's budget). */
export function normalizePort(entry: RawValue, limit = MAX_PORTS_PER_SERVICE): RawMap[] {
  if (typeof entry === 'number') return [{ target: checkContainerPort(checkPort(entry, entry), entry), mode: 'ingress', protocol: 'tcp' }];
  if (typeof entry === 'string') return parseShortPort(entry, limit);
  if (isMapping(entry)) return [longPort(entry)];
  throw new ShapeError('must be a port number, a "HOST:CONTAINER" string or a mapping');
}

function longPort(entry: RawMap): RawMap {
  const out: RawMap = dict();
  for (const [k, v] of Object.entries(entry)) out[k] = v;
  if (entry.target === undefined || entry.target === null) throw new ShapeError('needs a target (the container port)');
  out.target = checkContainerPort(checkPort(toPortNumber(entry.target, 'target'), entry.target), entry.target);
  if (entry.published !== undefined && entry.published !== null) {
    const published = String(entry.published);
    if (!/^\d+(-\d+)?$/.test(published)) throw new ShapeError(`has an invalid published port "${published}"; use a number or a range such as 8000-8010`, ['published']);
    out.published = published;
  } else delete out.published;
  out.protocol = entry.protocol === undefined || entry.protocol === null ? 'tcp' : String(entry.protocol).toLowerCase();
  return out;
}

function toPortNumber(v: RawValue, key: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? parseInt(v, 10) : NaN;
  if (!Number.isInteger(n)) throw new ShapeError(`${key} must be a port number, got ${JSON.stringify(v)}`, [key]);
  return n;
}

function checkPort(n: number, original: RawValue): number {
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ShapeError(`has an invalid port ${JSON.stringify(original)}; ports are whole numbers from 0 to 65535`);
  return n;
}

/** Port 0 is "any port" for a published port, but no container listens on it (ECS takes 1-65535). */
function checkContainerPort(n: number, original: RawValue): number {
  if (n === 0) throw new ShapeError(`has the container port 0 in ${JSON.stringify(original)}; a container port is a whole number from 1 to 65535`);
  return n;
}

interface Range {
  start: number;
  end: number;
}

function parseRange(text: string, original: string): Range {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new ShapeError(`has an invalid port "${original}"; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`);
  const start = checkPort(parseInt(m[1]!, 10), original);
  const end = m[2] === undefined ? start : checkPort(parseInt(m[2], 10), original);
  if (end < start) throw new ShapeError(`has an invalid port range "${text}": the end is below the start`);
  return { start, end };
}

export function parseShortPort(spec: string, limit = MAX_PORTS_PER_SERVICE): RawMap[] {
  let rest = spec.trim();
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    protocol = rest.slice(slash + 1).toLowerCase();
    rest = rest.slice(0, slash);
    if (protocol === '') throw new ShapeError(`has an empty protocol in "${spec}"`);
  }
  let hostIp = '';
  let hostPart = '';
  let containerPart: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') throw new ShapeError(`has an invalid IPv6 address in "${spec}"; write it as [ADDRESS]:HOST_PORT:CONTAINER_PORT`);
    hostIp = rest.slice(1, close);
    const parts = rest.slice(close + 2).split(':');
    if (parts.length !== 2) throw new ShapeError(`has an invalid port "${spec}"; expected [ADDRESS]:HOST_PORT:CONTAINER_PORT`);
    [hostPart, containerPart] = parts as [string, string];
  } else {
    const parts = rest.split(':');
    if (parts.length === 1) containerPart = parts[0]!;
    else if (parts.length === 2) [hostPart, containerPart] = parts as [string, string];
    else {
      containerPart = parts.pop()!;
      hostPart = parts.pop()!;
      hostIp = parts.join(':');
    }
  }
  const container = parseRange(containerPart, spec);
  checkContainerPort(container.start, spec);
  const host = hostPart === '' ? undefined : parseRange(hostPart, spec);
  const count = container.end - container.start + 1;
  const base = (): RawMap => {
    const p: RawMap = dict();
    if (hostIp) p.host_ip = hostIp;
    return p;
  };
  if (count === 1) {
    const p = base();
    p.target = container.start;
    if (host) p.published = host.start === host.end ? String(host.start) : `${host.start}-${host.end}`;
    p.protocol = protocol;
    p.mode = 'ingress';
    return [p];
  }
  if (host && host.end - host.start + 1 !== count) {
    throw new ShapeError(`has host range ${hostPart} and container range ${containerPart} of different sizes in "${spec}"`);
  }
  if (count > limit) throw tooManyPorts(spec, count);
  const out: RawMap[] = [];
  for (let i = 0; i < count; i++) {
    const p = base();
    p.target = container.start + i;
    if (host) p.published = String(host.start + i);
    p.protocol = protocol;
    p.mode = 'ingress';
    out.push(p);
  }
  return out;
}

export function tooManyPorts(spec: string, count: number): ShapeError {
  return new ShapeError(
    `has the range "${spec}" of ${grouped(count)} ports, which takes the service past ${grouped(MAX_PORTS_PER_SERVICE)} ports; an ECS task definition holds at most 64 KiB (about ${grouped(MAX_PORTS_PER_SERVICE)} port mappings) and a load balancer at most 50 listeners, so list only the ports the service serves`,
  );
}

/** How many ports an `expose` entry ("5432", "8000-8002/udp") stands for. */
export function exposedCount(text: string): number {
  const m = /^(\d+)(?:-(\d+))?/.exec(text);
  if (!m) return 1;
  return m[2] === undefined ? 1 : Math.max(1, parseInt(m[2], 10) - parseInt(m[1]!, 10) + 1);
}

/** 65535 -> "65,535", the same on every machine (toLocaleString depends on the ICU data). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
