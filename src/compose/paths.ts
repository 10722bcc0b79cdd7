/**
 * Relative paths -> absolute, against the directory a file's paths are relative to (the
 * project directory; for a service extended from another file, that file's directory; for an
 * included project, its own project directory). Runs on the raw tree in canonical form, and is
 * idempotent (absolute paths are left alone), so running it again after a merge is harmless.
 * `~` at the start of a bind source is the user's home directory (HOME from the environment).
 */
import { posix } from 'node:path';
import { isMapping, Tagged, type RawMap, type RawValue } from './parse.js';

export interface PathContext {
  baseDir: string;
  home?: string;
}

/** A build context that is not a local path (git URL, remote tarball, ...). */
export function isRemoteContext(ctx: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(ctx) || ctx.startsWith('git@') || ctx.startsWith('github.com/');
}

export function absolutePath(p: string, ctx: PathContext): string {
  if (p === '~' || p.startsWith('~/')) return ctx.home ? posix.join(ctx.home, p.slice(1)) : p;
  // as compose-go: an absolute path is kept as written (`/etc/pihole/` keeps its slash)
  if (posix.isAbsolute(p)) return p;
  return posix.resolve(ctx.baseDir, p);
}

const inner = (v: RawValue | undefined): RawValue | undefined => (v instanceof Tagged ? v.value : v);

export function resolveServicePaths(service: RawValue, ctx: PathContext): void {
  const svc = inner(service);
  if (!isMapping(svc)) return;
  const build = inner(svc.build);
  if (isMapping(build) && typeof build.context === 'string' && !isRemoteContext(build.context)) build.context = absolutePath(build.context, ctx);
  else if (isMapping(build) && build.context === undefined) build.context = ctx.baseDir;
  for (const list of [inner(svc.env_file)]) {
    if (!Array.isArray(list)) continue;
    for (const e of list) {
      const entry = inner(e);
      if (isMapping(entry) && typeof entry.path === 'string') entry.path = absolutePath(entry.path, ctx);
    }
  }
  const labelFiles = inner(svc.label_file);
  if (Array.isArray(labelFiles)) labelFiles.forEach((f, i) => typeof f === 'string' && (labelFiles[i] = absolutePath(f, ctx)));
  const volumes = inner(svc.volumes);
  if (Array.isArray(volumes)) {
    for (const v of volumes) {
      const vol = inner(v);
      if (isMapping(vol) && vol.type === 'bind' && typeof vol.source === 'string') vol.source = absolutePath(vol.source, ctx);
    }
  }
  const develop = inner(svc.develop);
  const watch = isMapping(develop) ? inner(develop.watch) : undefined;
  if (Array.isArray(watch)) {
    for (const w of watch) {
      const rule = inner(w);
      if (isMapping(rule) && typeof rule.path === 'string') rule.path = absolutePath(rule.path, ctx);
    }
  }
}

export function resolveProjectPaths(root: RawMap, ctx: PathContext): void {
  const services = inner(root.services);
  if (isMapping(services)) for (const name of Object.keys(services)) resolveServicePaths(services[name]!, ctx);
  for (const kind of ['secrets', 'configs'] as const) {
    const group = inner(root[kind]);
    if (!isMapping(group)) continue;
    for (const key of Object.keys(group)) {
      const def = inner(group[key]);
      if (isMapping(def) && typeof def.file === 'string') def.file = absolutePath(def.file, ctx);
    }
  }
}
