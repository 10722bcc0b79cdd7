/**
 * Service Connect and start order. A task resolves the Service Connect names (`db:5432`) that
 * exist when it starts, and only those: "existing tasks can't resolve and connect to the new
 * endpoint" (ECS developer guide, Service Connect deployment; its advice for CloudFormation is
 * DependsOn from each client service to the servers it uses). Under `docker compose` every
 * container reaches every other by name whatever the start order. So:
 *
 * - every ECS service waits for the services that offer Service Connect endpoints (those with
 *   tcp `ports` or `expose`), unless that would make a cycle with `depends_on` or with an earlier
 *   edge. Services behind the load balancer are visited first (a front end waits for its back
 *   ends, not the other way round), then the others, each group in name order, so the result is
 *   deterministic;
 * - when the set of other services' endpoints changes (a server is added, removed or changes a
 *   port), the service rolls out new tasks (ForceNewDeploymentNonce, a digest of that set), so
 *   running clients learn the new names.
 */
import { sha256Hex } from './digest.js';
import type { Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { oneShotJobs } from './one-shot.js';
import { offeredPortsOf } from './ports.js';

interface Order {
  /** service -> the servers it waits for */
  waits: Map<string, string[]>;
  /** service -> its endpoints, `name:port` */
  endpoints: Map<string, string[]>;
}

const cache = new WeakMap<ConvertContext, Order>();

function reaches(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === to) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of graph.get(n) ?? []) stack.push(m);
  }
  return false;
}

function order(ctx: ConvertContext): Order {
  const known = cache.get(ctx);
  if (known) return known;
  const jobs = oneShotJobs(ctx.project);
  const names = ctx.services.map((s) => s.name).sort();
  const graph = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const s of ctx.services) {
    for (const d of Object.keys(s.depends_on ?? {})) if (graph.has(d)) graph.get(s.name)!.add(d);
  }
  const endpoints = new Map<string, string[]>();
  for (const s of ctx.services) {
    if (jobs.has(s.name)) continue;
    const tcp = offeredPortsOf(s).filter((p) => p.protocol === 'tcp');
    if (tcp.length > 0) endpoints.set(s.name, tcp.map((p) => `${s.name}:${p.port}`));
  }
  const servers = [...endpoints.keys()].sort();
  const waits = new Map<string, string[]>();
  const fronts = names.filter((n) => (ctx.published.get(n)?.length ?? 0) > 0);
  for (const s of [...fronts, ...names.filter((n) => !fronts.includes(n))]) {
    if (jobs.has(s)) continue;
    const list: string[] = [];
    for (const t of servers) {
      if (t === s) continue;
      if (graph.get(s)!.has(t)) {
        list.push(t);
        continue;
      }
      if (reaches(graph, t, s)) continue; // t already waits for s: the other way round would be a cycle
      graph.get(s)!.add(t);
      list.push(t);
    }
    waits.set(s, list);
  }
  const out = { waits, endpoints };
  cache.set(ctx, out);
  return out;
}

/** The Service Connect servers this service's ECS service waits for. */
export function serversToWaitFor(ctx: ConvertContext, service: string): string[] {
  return order(ctx).waits.get(service) ?? [];
}

/** ForceNewDeployment with a digest of the other services' endpoints; undefined when there are none. */
export function endpointsNonce(ctx: ConvertContext, service: string): Value | undefined {
  const others = [...order(ctx).endpoints.entries()]
    .filter(([name]) => name !== service)
    .flatMap(([, list]) => list)
    .sort();
  if (others.length === 0) return undefined;
  const digest = sha256Hex(others.join('\n')).slice(0, 16);
  return { EnableForceNewDeployment: true, ForceNewDeploymentNonce: `endpoints-${digest}` };
}
