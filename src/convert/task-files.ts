/**
 * Files from the project folder and compose `configs` -> files in the task (design 4.9).
 *
 * Carrier: the task definition itself. Each file travels base64-encoded in an environment
 * variable of the BusyBox init container (task-storage.ts), which writes it into a task volume on
 * the task's ephemeral storage before the service starts; no S3 bucket, SSM parameter or derived
 * image, and `convert` needs nothing but the contents the shell handed in. The limit is the one a
 * task definition has: 64 KiB (Amazon ECS service quotas), hence the per-service budget of
 * project-files.ts. Configs are not secrets: they are visible in the template, as in compose.
 *
 * A task volume is a directory, so a single file lands in a volume mounted at the file's folder.
 * That folder of the image would then be hidden, so a "seed" init container, run from the
 * service's own image as root, first copies the folder's content from the image into the volume
 * (it needs `sh` and `cp` in the image); a mounted folder replaces the image's folder, as with
 * docker, and needs no seed.
 */
import path from 'node:path';
import type { Project, ServiceConfig } from '../compose/model.js';
import { UserError } from '../errors.js';
import { bindSourcesInProject, planBindMount, type MountPlan } from './bind-mounts.js';
import { FILES_BUDGET_BYTES, type ProjectFiles } from './project-files.js';

export interface DeliveredFile {
  /** path inside the mount, `/`-separated */
  rel: string;
  content: string;
  size: number;
  mode: number;
  owner?: string;
}

export interface DeliveredMount {
  /** where the service sees the volume */
  mountPath: string;
  /** copy this folder of the image into the volume first (a single file was mounted into it) */
  seed: boolean;
  readOnly: boolean;
  files: DeliveredFile[];
}

const DEFAULT_CONFIG_MODE = 0o444;

function serviceWhere(service: ServiceConfig, key: string) {
  const o = service.origin.entries?.[key] ?? service.origin;
  return { file: o.file, line: o.line, path: `services.${service.name}.${key}` };
}

function ownerOf(uid: string | undefined, gid: string | undefined): string | undefined {
  if (uid === undefined && gid === undefined) return undefined;
  return `${uid ?? '0'}:${gid ?? uid ?? '0'}`;
}

interface Wanted {
  target: string;
  isDir: boolean;
  files: DeliveredFile[];
  readOnly: boolean;
}

/** Every file a service gets from the project folder or from `configs`, grouped by mount. */
export function deliveredMounts(service: ServiceConfig, project: Project, files: ProjectFiles): DeliveredMount[] {
  const wanted: Wanted[] = [];
  for (const v of service.volumes ?? []) {
    if (v.type !== 'bind' || !v.source) continue;
    const plan: MountPlan = planBindMount(service, v, project, files);
    if (plan.kind !== 'config') continue;
    const facts = files[plan.source]!;
    if (facts.kind === 'file') {
      wanted.push({ target: v.target, isDir: false, readOnly: v.read_only ?? false, files: [{ rel: path.posix.basename(v.target), content: facts.content, size: facts.size, mode: facts.mode }] });
    } else if (facts.kind === 'dir') {
      wanted.push({ target: v.target, isDir: true, readOnly: v.read_only ?? false, files: facts.entries.map((e) => ({ rel: e.path, content: e.content, size: e.size, mode: e.mode })) });
    }
  }
  for (const ref of service.configs ?? []) {
    const config = project.configs[ref.source];
    if (!config) continue;
    const target = ref.target === undefined ? `/${ref.source}` : ref.target.startsWith('/') ? ref.target : `/${ref.target}`;
    let content: Buffer;
    if (config.content !== undefined) content = Buffer.from(config.content, 'utf8');
    else if (config.environment !== undefined) {
      const value = project.environment[config.environment];
      if (value === undefined) {
        throw new UserError(`Config ${ref.source} takes its content from the environment variable ${config.environment}, which is not set.`, {
          where: { path: `configs.${ref.source}.environment` },
          hint: `Set ${config.environment} in the shell or in the .env file.`,
        });
      }
      content = Buffer.from(value, 'utf8');
    } else if (config.file !== undefined) {
      const facts = files[config.file];
      if (!facts || facts.kind !== 'file') {
        throw new UserError(`Config ${ref.source}: its file ${config.file} ${facts?.kind === 'dir' ? 'is a folder' : 'does not exist'}.`, { where: { path: `configs.${ref.source}.file` }, hint: 'Point file: at a regular file.' });
      }
      content = Buffer.from(facts.content, 'base64');
    } else {
      throw new UserError(`Service ${service.name}: configs ${ref.source} is external; ECS has no config store to read it from.`, {
        where: serviceWhere(service, 'configs'),
        hint: 'Give the config a file:, content: or environment:.',
      });
    }
    const owner = ownerOf(ref.uid, ref.gid);
    wanted.push({
      target: path.posix.normalize(target),
      isDir: false,
      readOnly: true,
      files: [{ rel: path.posix.basename(target), content: content.toString('base64'), size: content.length, mode: ref.mode ?? DEFAULT_CONFIG_MODE, ...(owner ? { owner } : {}) }],
    });
  }
  if (wanted.length === 0) return [];

  const total = wanted.reduce((n, w) => n + w.files.reduce((m, f) => m + f.size, 0), 0);
  if (total > FILES_BUDGET_BYTES) {
    throw new UserError(
      `Service ${service.name}: the files it gets from the project folder and configs take ${Math.ceil(total / 1024)} KiB, more than the ${FILES_BUDGET_BYTES / 1024} KiB a task definition can carry.`,
      { where: serviceWhere(service, 'volumes'), hint: 'Copy the larger files into the image, or put them on a volume.' },
    );
  }

  // folders first (a file inside a mounted folder joins it), then files by their folder
  const mounts = new Map<string, DeliveredMount>();
  const sorted = [...wanted].sort((a, b) => Number(b.isDir) - Number(a.isDir) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  for (const w of sorted) {
    const dir = w.isDir ? w.target : path.posix.dirname(w.target);
    const holder = [...mounts.values()].find((m) => !m.seed && (dir === m.mountPath || dir.startsWith(`${m.mountPath}/`)));
    if (holder && !w.isDir) {
      const prefix = path.posix.relative(holder.mountPath, dir);
      for (const f of w.files) holder.files.push({ ...f, rel: prefix ? `${prefix}/${f.rel}` : f.rel });
      holder.readOnly = holder.readOnly && w.readOnly;
      continue;
    }
    if (dir === '/') {
      throw new UserError(`Service ${service.name}: a file mounted at ${w.target} would need a volume at /; mount it into a folder.`, { where: serviceWhere(service, w.isDir ? 'volumes' : 'configs') });
    }
    const existing = mounts.get(dir);
    if (existing) {
      existing.files.push(...w.files);
      existing.readOnly = existing.readOnly && w.readOnly;
      continue;
    }
    mounts.set(dir, { mountPath: dir, seed: !w.isDir, readOnly: w.readOnly, files: [...w.files] });
  }
  return [...mounts.values()]
    .map((m) => ({ ...m, files: [...m.files].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)) }))
    .sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
}

/** Every path the shell reads for the converter: bind sources in the project folder, config files. */
export function projectFilePaths(project: Project): string[] {
  const configs = Object.values(project.configs).flatMap((c) => (c.file !== undefined && !c.external ? [c.file] : []));
  return [...new Set([...bindSourcesInProject(project), ...configs])].sort();
}
