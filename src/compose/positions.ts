/**
 * Where each value of a raw compose tree came from.
 *
 * The raw tree is plain JSON-like data (objects, arrays, scalars). Positions live beside it in a
 * WeakMap keyed by each object or array: the line of every key (objects) or item (arrays). Every
 * pass that builds a new container copies the positions of the entries it carries over, so after
 * include, extends and merge an error still names the file and line a value was written on.
 */
import { dictOf } from './dict.js';
import { UserError } from '../errors.js';

export interface Pos {
  file: string;
  line: number;
  column: number;
}

export type RawPath = readonly (string | number)[];

interface ContainerInfo {
  /** the container's own position (its first key or item) */
  pos: Pos;
  /** per key (objects) or index (arrays): the position of that entry */
  entries: Map<string | number, Pos>;
}

const INFO = new WeakMap<object, ContainerInfo>();

export function setPos(container: object, pos: Pos): void {
  const info = INFO.get(container);
  if (info) info.pos = pos;
  else INFO.set(container, { pos, entries: new Map() });
}

export function posOf(container: unknown): Pos | undefined {
  return isContainer(container) ? INFO.get(container)?.pos : undefined;
}

export function setEntryPos(container: object, key: string | number, pos: Pos | undefined): void {
  if (!pos) return;
  let info = INFO.get(container);
  if (!info) {
    info = { pos, entries: new Map() };
    INFO.set(container, info);
  }
  info.entries.set(key, pos);
}

export function entryPos(container: unknown, key: string | number): Pos | undefined {
  if (!isContainer(container)) return undefined;
  const info = INFO.get(container);
  return info?.entries.get(key) ?? info?.pos;
}

/** Copy the position of `from[fromKey]` onto `to[toKey]`. */
export function copyEntryPos(from: unknown, fromKey: string | number, to: object, toKey: string | number): void {
  setEntryPos(to, toKey, entryPos(from, fromKey));
}

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

/** The most precise known position of the value at `path` under `root`. */
export function locate(root: unknown, path: RawPath): Pos | undefined {
  let best: Pos | undefined = posOf(root);
  let node: unknown = root;
  for (const key of path) {
    if (!isContainer(node)) break;
    best = entryPos(node, key) ?? best;
    node = (node as Record<string | number, unknown>)[key];
  }
  return best;
}

/** `services.web.ports[0]` */
export function formatPath(path: RawPath): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else out += out ? `.${k}` : k;
  }
  return out;
}

/** A UserError pointing at a position; the message should not repeat the file name. */
export function errorAt(pos: Pos | undefined, message: string, path?: RawPath, hint?: string): UserError {
  return new UserError(message, {
    where: { file: pos?.file, line: pos?.line, path: path ? formatPath(path) : undefined },
    hint,
  });
}

/** Give `value` and every container inside it that has no position yet the position `pos`. */
export function adopt<T>(value: T, pos: Pos | undefined): T {
  if (!pos || !isContainer(value)) return value;
  let info = INFO.get(value);
  if (!info) {
    info = { pos, entries: new Map() };
    INFO.set(value, info);
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as object);
  for (const [k, v] of entries) {
    if (!info.entries.has(k)) info.entries.set(k, pos);
    adopt(v, info.entries.get(k));
  }
  return value;
}

/** A deep copy of a raw tree that keeps every position (merge tags are copied too). */
export function cloneRaw<T>(value: T): T {
  if (!isContainer(value)) return value;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto !== null && proto !== Object.prototype && !Array.isArray(value)) {
    // a merge tag: same class, cloned payload
    const copy = Object.create(Object.getPrototypeOf(value) as object) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) copy[k] = cloneRaw(v);
    return copy as T;
  }
  const info = INFO.get(value);
  const out = (Array.isArray(value) ? value.map((v) => cloneRaw(v)) : dictOf(Object.entries(value).map(([k, v]) => [k, cloneRaw(v)] as const))) as T;
  if (info) INFO.set(out as object, { pos: info.pos, entries: new Map(info.entries) });
  return out;
}
