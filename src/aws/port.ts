/**
 * `port SERVICE PRIVATE_PORT`: where a container port of a service is published, as
 * `docker compose port` answers (`HOST:PORT`): here the load balancer's DNS name and listener
 * port. Read from the same rows as `ps`.
 */
import { UserError } from '../errors.js';
import type { TaskRow } from './ps.js';

export function publishedPort(rows: readonly TaskRow[], o: { service: string; port: number; protocol: string; index?: number }): string {
  const tasks = rows.filter((r) => r.Service === o.service && r.State === 'running');
  if (tasks.length === 0) throw new UserError(`service ${o.service} has no running task; \`docker ecs compose ps -a ${o.service}\` shows why.`);
  const task = o.index !== undefined ? tasks[o.index - 1] : tasks[0];
  if (!task) throw new UserError(`service ${o.service} has ${tasks.length} running task${tasks.length === 1 ? '' : 's'}; --index takes 1 to ${tasks.length}.`);
  const hit = task.Publishers.find((p) => p.TargetPort === o.port && p.Protocol === o.protocol);
  if (!hit) {
    const known = [...new Set(task.Publishers.map((p) => `${p.TargetPort}/${p.Protocol}`))];
    throw new UserError(`service ${o.service} publishes no port ${o.port}/${o.protocol}${known.length ? `; it publishes ${known.join(', ')}` : '; it publishes no port'}.`);
  }
  // URL is already `<dns>:<listener port>`
  return hit.URL;
}
