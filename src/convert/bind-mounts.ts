/**
 * Bind mounts -> what Fargate can do with them (seed: Volumes; design 4.9 "files from the project
 * folder reach the container"). The rule, in order (the first that applies wins):
 *
 * 1. `x-aws-mounts: { <target>: config | data | ignore }` on the service decides for that mount.
 * 2. A host path outside the project folder: `/etc/localtime` and `/etc/timezone` are dropped
 *    with a notice (tasks run in UTC; set TZ); the Docker socket and every other host path are
 *    refused, since no AWS machine has them.
 * 3. A file inside the project folder is a config: its content is delivered into the task at start.
 * 4. A folder that does not exist or is empty is a data folder: the service writes it (a
 *    database's data directory, uploads). It becomes an EFS volume of the project, kept on `down`,
 *    and starts empty on AWS.
 * 5. A folder with files that fit the budget (project-files.ts) is a config folder: delivered
 *    like a file; what the service writes there lasts as long as the task.
 * 6. A larger folder inside the service's own build context is left out with a notice: the image
 *    built from that context holds those files (the usual live-reload mount of source code).
 * 7. Any other larger folder is a data folder (EFS) with a notice that its files are not copied.
 */
import path from 'node:path';
import { dict, dictOf } from '../compose/dict.js';
import type { Project, ServiceConfig, ServiceVolume } from '../compose/model.js';
import { FILES_BUDGET_BYTES, type ProjectFiles } from './project-files.js';

export const X_AWS_MOUNTS = 'x-aws-mounts';

export type MountPlan =
  | { kind: 'refuse'; reason: string; hint?: string }
  | { kind: 'ignore'; notice: string }
  | { kind: 'data'; volume: string; notice?: string }
  | { kind: 'config'; source: string; isDir: boolean };

const TIME_ZONE_FILES = ['/etc/localtime', '/etc/timezone'];
const DOCKER_SOCKETS = ['/var/run/docker.sock', '/run/docker.sock'];

/** A host path as the user would write it: relative to the project directory when inside it. */
export function displayPath(source: string, project: Project): string {
  if (!path.isAbsolute(source) || !project.workingDir) return source;
  const relative = path.relative(project.workingDir, source);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? source : `./${relative.split(path.sep).join('/')}`;
}

function inside(dir: string, p: string): boolean {
  const relative = path.relative(dir, p);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The bind-mount sources inside the project folder: what the shell reads for the converter. */
export function bindSourcesInProject(project: Project): string[] {
  const out = new Set<string>();
  for (const s of Object.values(project.services)) {
    for (const v of s.volumes ?? []) if (v.type === 'bind' && v.source && inside(project.workingDir, v.source)) out.add(v.source);
  }
  return [...out].sort();
}

/** The key of the project volume a data folder becomes: its path in the project, as a name. */
export function dataVolumeKey(source: string, project: Project): string {
  const rel = path.relative(project.workingDir, source).split(path.sep).join('/');
  const slug = rel.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'project';
  return `${slug}_data`;
}

function override(service: ServiceConfig, target: string): string | undefined {
  const map = service.extensions[X_AWS_MOUNTS];
  if (map === null || typeof map !== 'object' || Array.isArray(map)) return undefined;
  const v = (map as Record<string, unknown>)[target];
  return typeof v === 'string' ? v : undefined;
}

export function planBindMount(service: ServiceConfig, v: ServiceVolume, project: Project, files: ProjectFiles): MountPlan {
  const source = v.source ?? '';
  const shown = displayPath(source, project);
  const chosen = override(service, v.target);
  const inProject = inside(project.workingDir, source);
  if (chosen !== undefined && !['config', 'data', 'ignore'].includes(chosen)) {
    return { kind: 'refuse', reason: `${X_AWS_MOUNTS} for ${v.target} is ${JSON.stringify(chosen)}; use config, data or ignore` };
  }
  if (chosen === 'ignore') return { kind: 'ignore', notice: `the bind mount of ${shown} at ${v.target} is left out (${X_AWS_MOUNTS})` };
  if (!inProject) {
    if (chosen === 'data') return { kind: 'data', volume: dataVolumeKey(source, { ...project, workingDir: '/' }), notice: `${shown} at ${v.target} is the EFS volume ${dataVolumeKey(source, { ...project, workingDir: '/' })} on AWS, which starts empty` };
    if (TIME_ZONE_FILES.includes(source)) return { kind: 'ignore', notice: `the bind mount of ${source} is left out: Fargate tasks run in UTC; set the TZ environment variable for another time zone` };
    if (DOCKER_SOCKETS.includes(source)) {
      return { kind: 'refuse', reason: `bind-mounts the Docker socket ${source}; ECS tasks have no Docker engine to talk to`, hint: 'Remove the mount; a service that manages containers cannot run on Fargate.' };
    }
    return {
      kind: 'refuse',
      reason: `bind-mounts ${shown} at ${v.target}, a host path outside the project folder; no AWS machine has it`,
      hint: `Move the files into the project folder (they are then delivered into the task), or set ${X_AWS_MOUNTS}: { "${v.target}": data } to use an empty EFS volume instead.`,
    };
  }
  const facts = files[source] ?? { kind: 'missing' };
  const key = dataVolumeKey(source, project);
  if (chosen === 'data') return { kind: 'data', volume: key, notice: `${shown} at ${v.target} is the EFS volume ${key} on AWS, which starts empty` };
  if (chosen === 'config') {
    if (facts.kind === 'missing') return { kind: 'refuse', reason: `bind-mounts ${shown}, which does not exist, as a config (${X_AWS_MOUNTS})` };
    if (facts.kind === 'dir' && facts.tooLarge) return tooLarge(shown);
    return { kind: 'config', source, isDir: facts.kind === 'dir' };
  }
  if (facts.kind === 'file') return { kind: 'config', source, isDir: false };
  if (facts.kind === 'missing' || (!facts.tooLarge && facts.entries.length === 0)) {
    return { kind: 'data', volume: key, notice: `${shown} at ${v.target} is a data folder: on AWS it is the EFS volume ${key}, kept on down, which starts empty` };
  }
  if (!facts.tooLarge) return { kind: 'config', source, isDir: true };
  const context = service.build?.context;
  if (context && inside(context, source)) {
    return { kind: 'ignore', notice: `the bind mount of ${shown} at ${v.target} is left out: it is inside the build context, so the image built from it holds those files` };
  }
  return { kind: 'data', volume: key, notice: `${shown} at ${v.target} is too large to deliver (over ${FILES_BUDGET_BYTES / 1024} KiB): on AWS it is the EFS volume ${key}, which starts empty; its files here are not copied` };
}

function tooLarge(shown: string): MountPlan {
  return {
    kind: 'refuse',
    reason: `bind-mounts ${shown}, more than the ${FILES_BUDGET_BYTES / 1024} KiB of files a task can carry`,
    hint: 'Copy the files into the image, or put them on a volume.',
  };
}

/**
 * The project with every data-folder bind mount turned into a named volume of the project (EFS,
 * volumes.ts), and the notices of rules 2-7. Pure: returns a new project, the input is untouched.
 */
export function withDataFolders(project: Project, files: ProjectFiles): { project: Project; notices: { service: string; message: string }[] } {
  const notices: { service: string; message: string }[] = [];
  const volumes = dictOf(Object.entries(project.volumes));
  const services = dict<ServiceConfig>();
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name]!;
    let changed = false;
    const mounts = (service.volumes ?? []).map((v) => {
      if (v.type !== 'bind' || !v.source) return v;
      const plan = planBindMount(service, v, project, files);
      if (plan.kind === 'ignore') notices.push({ service: name, message: plan.notice });
      if (plan.kind !== 'data') return v;
      if (plan.notice) notices.push({ service: name, message: plan.notice });
      if (!Object.hasOwn(volumes, plan.volume)) volumes[plan.volume] = { name: `${project.name}_${plan.volume}`, extensions: {} };
      changed = true;
      const { bind: _bind, source: _source, ...rest } = v;
      return { ...rest, type: 'volume' as const, source: plan.volume };
    });
    services[name] = changed ? { ...service, volumes: mounts } : service;
  }
  return { project: { ...project, services, volumes }, notices };
}
