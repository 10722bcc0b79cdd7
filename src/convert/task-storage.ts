/**
 * tmpfs -> task storage (seed: Volumes; compose `tmpfs:` and `volumes: [{ type: tmpfs }]`).
 *
 * Fargate has no tmpfs (LinuxParameters.Tmpfs is EC2-only), but a task volume without a host
 * path is a "bind mount" on the task's ephemeral storage: empty when the task starts, gone when
 * it stops, never EFS and never kept, which is what a compose tmpfs promises apart from living in
 * memory. It stays writable on a `read_only` service, since only the root file system is
 * read-only. (AWS: "Use bind mounts with Amazon ECS", "Amazon ECS task definition parameters for
 * Fargate": tmpfs is not valid on Fargate.)
 *
 * Fargate creates such a directory owned by root with mode 0755 (aws/containers-roadmap#938), so
 * a service running as another user could not write its /tmp. A small init container (the same
 * pinned BusyBox as the secrets one) gives each directory the tmpfs mode first (docker's
 * default 1777, or the `mode` option), and the service starts once it has exited 0.
 */
import path from 'node:path';
import type { ServiceConfig } from '../compose/model.js';
import type { Value } from '../cloudformation/template.js';
import { warning, type Diagnostic } from '../errors.js';
import { normalizeResourceName } from './naming.js';
import { SECRETS_INIT_IMAGE } from './secrets.js';
import { serviceImage } from './image-builds.js';
import type { DeliveredMount } from './task-files.js';

/** docker's tmpfs default: everyone may write, only the owner may delete (sticky) */
const DEFAULT_TMPFS_MODE = 0o1777;

export interface TmpfsMount {
  target: string;
  mode: number;
  /** a size was asked for; Fargate cannot bound it */
  sized: boolean;
}

/** `/run` or `/run:size=64m,mode=1770` (docker's --tmpfs form). */
function parseTmpfsEntry(entry: string): TmpfsMount {
  const colon = entry.indexOf(':');
  const target = path.posix.normalize(colon < 0 ? entry : entry.slice(0, colon)).replace(/(.)\/+$/, '$1');
  const options = colon < 0 ? [] : entry.slice(colon + 1).split(',');
  let mode = DEFAULT_TMPFS_MODE;
  let sized = false;
  for (const o of options) {
    const [k, v] = o.split('=') as [string, string | undefined];
    if (k === 'mode' && v !== undefined && /^[0-7]{3,4}$/.test(v)) mode = parseInt(v, 8);
    if (k === 'size') sized = true;
  }
  return { target, mode, sized };
}

/** Every tmpfs of a service, by target (a target given twice is one mount), sorted. */
export function tmpfsMounts(service: ServiceConfig): TmpfsMount[] {
  const byTarget = new Map<string, TmpfsMount>();
  for (const entry of service.tmpfs ?? []) {
    const m = parseTmpfsEntry(entry);
    byTarget.set(m.target, m);
  }
  for (const v of service.volumes ?? []) {
    if (v.type !== 'tmpfs') continue;
    byTarget.set(v.target, { target: v.target, mode: v.tmpfs?.mode ?? DEFAULT_TMPFS_MODE, sized: v.tmpfs?.size !== undefined });
  }
  return [...byTarget.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
}

export const tmpfsTaskVolume = (index: number): string => `tmpfs_${index}`;
export const filesTaskVolume = (index: number): string => `files_${index}`;
export const storageInitContainer = (service: string): string => `${normalizeResourceName(service)}_Storage_InitContainer`;
export const seedInitContainer = (service: string): string => `${normalizeResourceName(service)}_Seed_InitContainer`;

/** A path for the init scripts: single-quoted, a quote inside written as '\'' */
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** What a service's tmpfs mounts add to its task definition. */
export interface ServiceTaskStorage {
  volumes: Value[];
  mountPoints: Value[];
  /** the seed container (when a file is mounted into a folder of the image), then the writer */
  initContainers: Record<string, Value>[];
  dependsOn?: Value;
  diagnostics: Diagnostic[];
}

const INIT_MOUNT_ROOT = '/mnt/storage';
const FILES_MOUNT_ROOT = '/mnt/files';
const SEED_MOUNT_ROOT = '/mnt/seed';

export function serviceTaskStorage(service: ServiceConfig, logConfiguration: Value, delivered: readonly DeliveredMount[] = []): ServiceTaskStorage {
  const mounts = tmpfsMounts(service);
  const out: ServiceTaskStorage = { volumes: [], mountPoints: [], initContainers: [], diagnostics: [] };
  if (mounts.length === 0 && delivered.length === 0) return out;
  const lines = ['set -eu'];
  const initMounts: Value[] = [];
  mounts.forEach((m, i) => {
    const name = tmpfsTaskVolume(i);
    out.volumes.push({ Name: name });
    out.mountPoints.push({ ContainerPath: m.target, SourceVolume: name, ReadOnly: false });
    initMounts.push({ ContainerPath: `${INIT_MOUNT_ROOT}/${i}`, SourceVolume: name, ReadOnly: false });
    lines.push(`chmod ${m.mode.toString(8).padStart(4, '0')} ${INIT_MOUNT_ROOT}/${i}`);
  });
  const sized = mounts.filter((m) => m.sized).map((m) => m.target);
  if (sized.length > 0) {
    out.diagnostics.push(
      warning(`Service ${service.name}: tmpfs size of ${sized.join(', ')} is not enforced: on Fargate the path is on the task's ephemeral storage (20 GiB shared by the task), emptied when the task stops.`, service.name, 'tmpfs'),
    );
  }

  // files: the writer decodes each from its variable (names only in the script, never content)
  const environment: Value[] = [];
  const seedLines = ['set -eu'];
  const seedMounts: Value[] = [];
  delivered.forEach((m, i) => {
    const name = filesTaskVolume(i);
    const root = `${FILES_MOUNT_ROOT}/${i}`;
    out.volumes.push({ Name: name });
    out.mountPoints.push({ ContainerPath: m.mountPath, SourceVolume: name, ReadOnly: m.readOnly });
    initMounts.push({ ContainerPath: root, SourceVolume: name, ReadOnly: false });
    if (m.seed) {
      seedMounts.push({ ContainerPath: `${SEED_MOUNT_ROOT}/${i}`, SourceVolume: name, ReadOnly: false });
      seedLines.push(`if [ -d ${quote(m.mountPath)} ]; then cp -a ${quote(`${m.mountPath}/.`)} ${SEED_MOUNT_ROOT}/${i}/; fi`);
    }
    const dirs = [...new Set(m.files.map((f) => path.posix.dirname(f.rel)).filter((d) => d !== '.'))].sort();
    if (dirs.length > 0) lines.push(`mkdir -p ${dirs.map((d) => quote(`${root}/${d}`)).join(' ')}`);
    m.files.forEach((f, j) => {
      const variable = `FILE_${i}_${j}`;
      const file = quote(`${root}/${f.rel}`);
      environment.push({ Name: variable, Value: f.content });
      lines.push(`printf '%s' "$${variable}" | base64 -d > ${file}`);
      if (f.owner) lines.push(`chown ${f.owner} ${file}`);
      lines.push(`chmod ${f.mode.toString(8).padStart(4, '0')} ${file}`);
    });
  });

  const writer = storageInitContainer(service.name);
  if (seedMounts.length > 0) {
    out.initContainers.push({
      Name: seedInitContainer(service.name),
      Image: serviceImage(service),
      Essential: false,
      User: '0',
      EntryPoint: ['sh', '-c'],
      Command: [seedLines.join('\n')],
      MountPoints: seedMounts,
      LogConfiguration: logConfiguration,
    });
  }
  out.initContainers.push({
    Name: writer,
    Image: SECRETS_INIT_IMAGE,
    Essential: false,
    Command: ['sh', '-c', lines.join('\n')],
    ...(environment.length > 0 ? { Environment: environment } : {}),
    MountPoints: initMounts,
    LogConfiguration: logConfiguration,
    ...(seedMounts.length > 0 ? { DependsOn: [{ ContainerName: seedInitContainer(service.name), Condition: 'SUCCESS' }] } : {}),
  });
  out.dependsOn = { ContainerName: writer, Condition: 'SUCCESS' };
  return out;
}
