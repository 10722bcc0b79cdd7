/**
 * Service `volumes:` entries, short and long, to the long form.
 *
 *   "/data"                  -> { type: volume, target: /data, volume: {} }  (anonymous volume)
 *   "db:/var/lib/db"         -> { type: volume, source: db, target: ..., volume: {} }
 *   "./src:/app:ro,z"        -> { type: bind, source: ./src, target: /app, read_only: true,
 *                                 bind: { create_host_path: true, selinux: z } }
 * A source starting with `.`, `/` or `~` is a host path (bind); anything else names a volume.
 * Options after the second colon: ro, rw, z, Z, nocopy, a bind propagation mode, a consistency.
 * Targets are cleaned as Go's path.Clean does (`/var/www/html/` -> `/var/www/html`), short or
 * long, as compose-go's normalisation does.
 */
import { posix } from 'node:path';
import { isMapping, type RawMap, type RawValue } from './parse.js';
import { ShapeError } from './shape-error.js';

const PROPAGATION = Object.freeze(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);
const CONSISTENCY = Object.freeze(['consistent', 'cached', 'delegated', 'default']);

/** Go's path.Clean for a non-empty target: no `.` or `..` segments, no doubled or trailing slash. */
export function cleanTarget(target: string): string {
  if (target === '') return target;
  const cleaned = posix.normalize(target);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}

export function normalizeVolume(entry: RawValue): RawMap {
  if (typeof entry === 'string') return parseShortVolume(entry);
  if (isMapping(entry)) return typeof entry.target === 'string' ? { ...entry, target: cleanTarget(entry.target) } : { ...entry };
  throw new ShapeError('must be a "SOURCE:TARGET[:MODE]" string or a mapping with type and target');
}

export function isHostPath(source: string): boolean {
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~') || /^[a-zA-Z]:[\\/]/.test(source);
}

export function parseShortVolume(spec: string): RawMap {
  const parts = spec.split(':');
  if (parts.some((p) => p === '') || parts.length > 3) {
    throw new ShapeError(`has an invalid volume "${spec}"; expected [SOURCE:]TARGET[:MODE]`);
  }
  if (parts.length === 1) return { type: 'volume', target: cleanTarget(parts[0]!), volume: {} };
  const [source, rawTarget, mode] = parts as [string, string, string | undefined];
  const target = cleanTarget(rawTarget);
  const out: RawMap = isHostPath(source)
    ? { type: 'bind', source, target, bind: { create_host_path: true } }
    : { type: 'volume', source, target, volume: {} };
  for (const opt of mode ? mode.split(',') : []) {
    if (opt === 'ro') out.read_only = true;
    else if (opt === 'rw') out.read_only = false;
    else if (opt === 'z' || opt === 'Z') out.bind = { ...((out.bind as RawMap) ?? {}), selinux: opt };
    else if (opt === 'nocopy') out.volume = { nocopy: true };
    else if (PROPAGATION.includes(opt)) out.bind = { ...((out.bind as RawMap) ?? {}), propagation: opt };
    else if (CONSISTENCY.includes(opt)) out.consistency = opt;
    else throw new ShapeError(`has an unknown volume option "${opt}" in "${spec}"; use ro, rw, z, Z, nocopy or a propagation mode`);
  }
  return out;
}
