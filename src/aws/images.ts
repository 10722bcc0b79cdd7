/**
 * `images`: the images the project's tasks run, as `docker compose images` lists them (one row
 * per task and container): CONTAINER (task id, or task id/container for sidecars), REPOSITORY,
 * TAG, IMAGE ID (the digest ECS resolved, when it reports one). Calls: those of `ps`, then
 * DescribeTaskDefinition once per task definition.
 */
import type { AwsClients } from './clients.js';
import { listProjectTasks } from './ps.js';
import { containerName } from '../convert/naming.js';

export interface ImageRow {
  Container: string;
  Service: string;
  Repository: string;
  Tag: string;
  ImageID: string;
}

/** `registry/repo:tag@sha256:...` -> repository, tag, digest (docker's split: the tag follows the last `:` after the last `/`). */
export function splitImage(image: string): { repository: string; tag: string; digest: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : '';
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return { repository: hasTag ? name.slice(0, colon) : name, tag: hasTag ? name.slice(colon + 1) : at >= 0 ? '' : 'latest', digest };
}

export async function listProjectImages(clients: AwsClients, project: string, services: readonly string[]): Promise<{ found: boolean; rows: ImageRow[] }> {
  const ps = await listProjectTasks(clients, { project, all: false });
  const tasks = ps.rows.filter((r) => services.length === 0 || services.includes(r.Service));
  const { DescribeTaskDefinitionCommand } = await import('@aws-sdk/client-ecs');
  const ecs = await clients.ecs();
  const definitions = new Map<string, Array<{ name: string; image: string; essential: boolean }>>();
  for (const td of [...new Set(tasks.map((t) => t.TaskDefinition))].sort()) {
    const res = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: td }));
    definitions.set(td, (res.taskDefinition?.containerDefinitions ?? []).map((c) => ({ name: c.name ?? '', image: c.image ?? '', essential: c.essential !== false })));
  }
  const rows: ImageRow[] = [];
  for (const t of tasks) {
    const containers = definitions.get(t.TaskDefinition) ?? [];
    for (const c of containers) {
      const { repository, tag, digest } = splitImage(c.image);
      // the service's own container is named after the service; others (init, sidecars) show their name
      const container = c.name === containerName(t.Service) || containers.length === 1 ? t.Name : `${t.Name}/${c.name}`;
      rows.push({ Container: container, Service: t.Service, Repository: repository, Tag: tag, ImageID: digest });
    }
  }
  return { found: ps.found, rows };
}
