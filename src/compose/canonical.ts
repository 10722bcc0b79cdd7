/**
 * Pass 3, canonical forms: every short syntax of one file becomes its long form, so that merge,
 * extends and the uniqueness rules only ever see one shape. Runs per file, after interpolation.
 * Typed conversion (durations, bytes, numbers) happens later, in `bind.ts`.
 */
import { isMapping, Tagged, type RawMap, type RawValue } from './parse.js';
import { dict } from './dict.js';
import { adopt, entryPos, errorAt, formatPath, setEntryPos, setPos, type Pos } from './positions.js';
import { forEachMatch, splitPattern, type PathRule, type Segment } from './path-rules.js';
import { exposedCount, MAX_PORTS_PER_SERVICE, normalizePort, tooManyPorts } from './normalize-ports.js';
import { normalizeVolume } from './normalize-volumes.js';
import { ShapeError } from './shape-error.js';

export interface CanonicalRule extends PathRule {
  readonly apply: (value: RawValue, at: RuleContext) => RawValue;
}

export interface RuleContext {
  readonly pos: Pos | undefined;
  readonly path: readonly Segment[];
}

function fail(at: RuleContext, message: string, sub: readonly Segment[] = [], pos = at.pos): never {
  const path = [...at.path, ...sub];
  throw errorAt(pos, `${formatPath(path)} ${message}.`, path);
}

/** Converts one value and turns a ShapeError into a located UserError. */
function guarded<T>(at: RuleContext, pos: Pos | undefined, sub: readonly Segment[], fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ShapeError) fail(at, e.message, [...sub, ...e.subPath], pos);
    throw e;
  }
}


function scalarText(v: RawValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** list (`KEY=VALUE`, `KEY`) or mapping -> mapping of string | null. */
function listOrDict(separator: '=' | ':', nullAs: null | '') {
  return (v: RawValue, at: RuleContext): RawValue => {
    if (v === null) return {};
    const out: RawMap = dict();
    setPos(out, at.pos ?? { file: '', line: 0, column: 0 });
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const text = scalarText(item);
        const pos = entryPos(v, i);
        if (text === undefined) fail(at, `must hold "KEY${separator}VALUE" strings`, [i], pos);
        const cut = text.indexOf(separator);
        const key = cut < 0 ? text : text.slice(0, cut);
        out[key] = cut < 0 ? nullAs : text.slice(cut + 1);
        setEntryPos(out, key, pos);
      });
      return out;
    }
    if (isMapping(v)) {
      for (const [k, val] of Object.entries(v)) {
        const pos = entryPos(v, k);
        if (val instanceof Tagged) out[k] = val;
        else if (val === null) out[k] = nullAs;
        else {
          const text = scalarText(val);
          if (text === undefined) fail(at, 'must be a string, a number or a boolean', [k], pos);
          out[k] = text;
        }
        setEntryPos(out, k, pos);
      }
      return out;
    }
    return fail(at, 'must be a list of "KEY=VALUE" strings or a mapping');
  };
}

function stringOrList(v: RawValue, at: RuleContext): RawValue {
  if (v === null) return [];
  if (Array.isArray(v)) {
    const out = v.map((item, i) => {
      const t = scalarText(item);
      if (t === undefined) fail(at, 'must hold strings', [i], entryPos(v, i));
      return t;
    });
    v.forEach((_, i) => setEntryPos(out, i, entryPos(v, i)));
    setPos(out, at.pos ?? entryPos(v, 0)!);
    return out;
  }
  const t = scalarText(v);
  if (t === undefined) fail(at, 'must be a string or a list of strings');
  return adopt([t], at.pos);
}

/** A list whose items are each turned into one or more new items, keeping each item's line. */
function eachItem(convert: (item: RawValue) => RawValue | RawValue[]) {
  return (v: RawValue, at: RuleContext): RawValue => {
    if (v === null) return [];
    if (!Array.isArray(v)) fail(at, 'must be a list');
    const out: RawValue[] = [];
    setPos(out, at.pos ?? { file: '', line: 0, column: 0 });
    v.forEach((item, i) => {
      const pos = entryPos(v, i);
      const converted = guarded(at, pos, [i], () => convert(item));
      for (const c of Array.isArray(converted) && !Array.isArray(item) ? converted : [converted]) {
        setEntryPos(out, out.length, pos);
        out.push(adopt(c, pos));
      }
    });
    return out;
  };
}

function mountRef(item: RawValue): RawValue {
  if (typeof item === 'string') return { source: item };
  if (isMapping(item)) return { ...item };
  throw new ShapeError('must be a name or a mapping with source and target');
}

function dependsOn(v: RawValue, at: RuleContext): RawValue {
  if (v === null) return {};
  const out: RawMap = dict();
  setPos(out, at.pos ?? { file: '', line: 0, column: 0 });
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      if (typeof item !== 'string') fail(at, 'must list service names', [i], entryPos(v, i));
      out[item] = adopt({ condition: 'service_started', required: true, restart: false }, entryPos(v, i));
      setEntryPos(out, item, entryPos(v, i));
    });
    return out;
  }
  if (!isMapping(v)) fail(at, 'must be a list of service names or a mapping');
  for (const [name, dep] of Object.entries(v)) {
    const d: RawMap = isMapping(dep) ? { ...dep } : {};
    if (d.required === undefined) d.required = true;
    if (d.restart === undefined) d.restart = false;
    if (d.condition === undefined) d.condition = 'service_started';
    out[name] = adopt(d, entryPos(v, name));
    setEntryPos(out, name, entryPos(v, name));
  }
  return out;
}

function namesToMap(v: RawValue, at: RuleContext): RawValue {
  if (v === null) return {};
  if (isMapping(v)) return v;
  if (!Array.isArray(v)) fail(at, 'must be a list of names or a mapping');
  const out: RawMap = dict();
  setPos(out, at.pos ?? { file: '', line: 0, column: 0 });
  v.forEach((item, i) => {
    if (typeof item !== 'string') fail(at, 'must list names', [i], entryPos(v, i));
    out[item] = null;
    setEntryPos(out, item, entryPos(v, i));
  });
  return out;
}

function envFiles(v: RawValue, at: RuleContext): RawValue {
  const list = typeof v === 'string' ? adopt([v], at.pos) : v;
  return eachItem((item): RawValue => {
    if (typeof item === 'string') return { path: item, required: true };
    if (isMapping(item)) {
      const required = item.required === undefined ? true : item.required === 'false' ? false : item.required === 'true' ? true : item.required;
      return { ...item, required } as RawMap;
    }
    throw new ShapeError('must be a path or a mapping with path and required');
  })(list, at);
}

/** `host:ip`, `host=ip` list or mapping -> mapping of host to a list of IPs. */
function extraHosts(v: RawValue, at: RuleContext): RawValue {
  if (v === null) return {};
  const out: RawMap = dict();
  setPos(out, at.pos ?? { file: '', line: 0, column: 0 });
  const add = (host: string, ip: string, pos: Pos | undefined): void => {
    const list = (out[host] as string[] | undefined) ?? adopt([] as string[], pos);
    list.push(ip);
    out[host] = list;
    setEntryPos(out, host, pos);
  };
  if (Array.isArray(v)) {
    v.forEach((item, i) => {
      const pos = entryPos(v, i);
      if (typeof item !== 'string') fail(at, 'must hold "HOST:IP" strings', [i], pos);
      const eq = item.indexOf('=');
      const cut = eq >= 0 ? eq : item.indexOf(':');
      if (cut <= 0) fail(at, `has an invalid entry "${item}"; use HOST:IP or HOST=IP`, [i], pos);
      let ip = item.slice(cut + 1);
      if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
      add(item.slice(0, cut), ip, pos);
    });
    return out;
  }
  if (!isMapping(v)) fail(at, 'must be a list of "HOST:IP" strings or a mapping');
  for (const [host, ips] of Object.entries(v)) {
    const pos = entryPos(v, host);
    for (const ip of Array.isArray(ips) ? ips : [ips]) {
      const t = scalarText(ip);
      if (t === undefined) fail(at, 'must map hostnames to IP addresses', [host], pos);
      add(host, t, pos);
    }
  }
  return out;
}

function ulimits(v: RawValue, at: RuleContext): RawValue {
  if (!isMapping(v)) return v;
  const out: RawMap = dict();
  setPos(out, at.pos ?? { file: '', line: 0, column: 0 });
  for (const [name, limit] of Object.entries(v)) {
    out[name] = isMapping(limit) ? limit : adopt({ soft: limit, hard: limit }, entryPos(v, name));
    setEntryPos(out, name, entryPos(v, name));
  }
  return out;
}

function device(item: RawValue): RawValue {
  if (isMapping(item)) return { ...item };
  if (typeof item !== 'string') throw new ShapeError('must be a "HOST:CONTAINER[:PERMISSIONS]" string or a mapping');
  const parts = item.split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) throw new ShapeError(`has an invalid device "${item}"; use HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]`);
  return { source: parts[0]!, target: parts[1] ?? parts[0]!, permissions: parts[2] ?? 'rwm' };
}

function healthTest(v: RawValue, at: RuleContext): RawValue {
  if (typeof v === 'string') return adopt(v === '' ? ['NONE'] : ['CMD-SHELL', v], at.pos);
  return v;
}

function gpus(v: RawValue, at: RuleContext): RawValue {
  if (v === 'all') return adopt([{ capabilities: ['gpu'], count: -1 }], at.pos);
  return v;
}

function legacyExternal(v: RawValue, at: RuleContext): RawValue {
  if (!isMapping(v)) return v === null ? adopt({}, at.pos) : v;
  const ext = v.external;
  if (isMapping(ext)) {
    const out: RawMap = { ...v, external: true };
    adopt(out, at.pos);
    if (typeof ext.name === 'string') out.name = ext.name;
    return out;
  }
  return v;
}

// a parsed mapping already carries its positions: walking it again cost a second per 100,000 keys
const mapOrEmpty = (v: RawValue, at: RuleContext): RawValue => (v === null ? adopt({}, at.pos) : v);

const rule = (path: string, apply: CanonicalRule['apply']): CanonicalRule => Object.freeze({ path, apply });

/** Ordered: a rule for a parent runs before the rules for its children. */
export const CANONICAL: readonly CanonicalRule[] = Object.freeze([
  rule('services', mapOrEmpty),
  rule('services.*', mapOrEmpty),
  rule('networks.*', legacyExternal),
  rule('volumes.*', legacyExternal),
  rule('secrets.*', legacyExternal),
  rule('configs.*', legacyExternal),
  rule('networks.*.labels', listOrDict('=', '')),
  rule('volumes.*.labels', listOrDict('=', '')),
  rule('secrets.*.labels', listOrDict('=', '')),
  rule('configs.*.labels', listOrDict('=', '')),
  rule('services.*.build', (v, at) => (typeof v === 'string' ? adopt({ context: v }, at.pos) : v)),
  rule('services.*.build.args', listOrDict('=', null)),
  rule('services.*.build.labels', listOrDict('=', '')),
  rule('services.*.build.additional_contexts', listOrDict('=', '')),
  rule('services.*.build.extra_hosts', extraHosts),
  rule('services.*.build.secrets', eachItem(mountRef)),
  rule('services.*.build.ulimits', ulimits),
  rule('services.*.build.no_cache_filter', stringOrList),
  rule('services.*.build.ssh', (v, at) => (isMapping(v) ? adopt(Object.entries(v).map(([k, val]) => (val === null ? k : `${k}=${String(val)}`)), at.pos) : v)),
  rule('services.*.extends', (v, at) => (typeof v === 'string' ? adopt({ service: v }, at.pos) : v)),
  rule('services.*.environment', listOrDict('=', null)),
  rule('services.*.labels', listOrDict('=', '')),
  rule('services.*.annotations', listOrDict('=', '')),
  rule('services.*.sysctls', listOrDict('=', '')),
  rule('services.*.deploy.labels', listOrDict('=', '')),
  rule('services.*.env_file', envFiles),
  rule('services.*.label_file', stringOrList),
  rule('services.*.depends_on', dependsOn),
  rule('services.*.networks', namesToMap),
  rule('services.*.models', namesToMap),
  rule('services.*.ports', (v, at) => {
    let left = MAX_PORTS_PER_SERVICE;
    return eachItem((item) => {
      const entries = normalizePort(item, left);
      left -= entries.length;
      return entries;
    })(v, at);
  }),
  rule('services.*.expose', (v, at) => {
    let left = MAX_PORTS_PER_SERVICE;
    return eachItem((item) => {
      const t = scalarText(item);
      if (t === undefined || !/^\d+(-\d+)?(\/\w+)?$/.test(t)) throw new ShapeError(`has an invalid port ${JSON.stringify(item)}; use a port number or a range`);
      const count = exposedCount(t);
      if (count > left) throw tooManyPorts(t, count);
      left -= count;
      return t;
    })(v, at);
  }),
  rule('services.*.volumes', eachItem(normalizeVolume)),
  rule('services.*.secrets', eachItem(mountRef)),
  rule('services.*.configs', eachItem(mountRef)),
  rule('services.*.ulimits', ulimits),
  rule('services.*.extra_hosts', extraHosts),
  rule('services.*.dns', stringOrList),
  rule('services.*.dns_search', stringOrList),
  rule('services.*.tmpfs', stringOrList),
  rule('services.*.devices', eachItem(device)),
  rule('services.*.gpus', gpus),
  rule('services.*.healthcheck.test', healthTest),
  rule('services.*.deploy.resources.reservations.devices.[].options', listOrDict('=', '')),
  rule('services.*.gpus.[].options', listOrDict('=', '')),
  rule('services.*.volumes.[].volume.labels', listOrDict('=', '')),
  rule('services.*.post_start.[].environment', listOrDict('=', null)),
  rule('services.*.pre_stop.[].environment', listOrDict('=', null)),
  rule('services.*.develop.watch.[].exec.environment', listOrDict('=', null)),
  rule('services.*.develop.watch.[].ignore', stringOrList),
  rule('services.*.develop.watch.[].include', stringOrList),
]);

const COMPILED = CANONICAL.map((r) => splitPattern(r.path));

export function canonicalize(root: RawValue): RawValue {
  CANONICAL.forEach((r, i) => {
    forEachMatch(root, COMPILED[i]!, (value, pos, path) => (value instanceof Tagged ? value : r.apply(value, { pos, path })));
  });
  return root;
}
