/**
 * Pass 5, merge (several `-f` files, extends, include) and pass 6, uniqueness.
 *
 * The compose spec's merge rules: mappings merge key by key (an `x-` key is replaced whole);
 * scalars are replaced; sequences are
 * appended, then de-duplicated by a key (ports by host ip/published/target/protocol, volumes by
 * mount target, secrets and configs by target, env_file by path, simple string lists by value),
 * where a later entry replaces an earlier one in place. Exceptions sit in MERGE_RULES. Short forms
 * were already expanded (canonical.ts), so environment, labels, depends_on, networks ... are
 * mappings here and merge by key.
 *
 * Tags: an override value tagged `!reset` removes the key; one tagged `!override` replaces the
 * base value whole instead of merging into it.
 */
import { isMapping, Tagged, type RawMap, type RawValue } from './parse.js';
import { dict } from './dict.js';
import { entryPos, posOf, setEntryPos, setPos } from './positions.js';
import { findRule, forEachMatch, splitPattern, type PathRule, type Segment } from './path-rules.js';

export interface MergeRule extends PathRule {
  readonly merge: (base: RawValue, override: RawValue, path: Segment[]) => RawValue;
}

const replace = (_base: RawValue, override: RawValue): RawValue => override;

/** Logging options merge only when both sides use the same driver (or one names none). */
function mergeLogging(base: RawValue, override: RawValue, path: Segment[]): RawValue {
  if (isMapping(base) && isMapping(override) && base.driver !== undefined && override.driver !== undefined && base.driver !== override.driver) {
    return override;
  }
  return mergeDefault(base, override, path);
}

export const MERGE_RULES: readonly MergeRule[] = Object.freeze([
  Object.freeze({ path: 'services.*.command', merge: replace }),
  Object.freeze({ path: 'services.*.entrypoint', merge: replace }),
  Object.freeze({ path: 'services.*.healthcheck.test', merge: replace }),
  Object.freeze({ path: 'services.*.logging', merge: mergeLogging }),
  Object.freeze({ path: 'services.*.post_start.[].command', merge: replace }),
  Object.freeze({ path: 'services.*.pre_stop.[].command', merge: replace }),
]);
const MERGE_COMPILED = MERGE_RULES.map((r) => splitPattern(r.path));

/** Marker returned for a key that an override removed with `!reset`. */
const REMOVED = Symbol('removed');

export function mergeValues(base: RawValue, override: RawValue, path: Segment[]): RawValue {
  const merged = mergeOrRemove(base, override, path);
  return merged === REMOVED ? null : merged;
}

function mergeOrRemove(base: RawValue, override: RawValue, path: Segment[]): RawValue | typeof REMOVED {
  if (override instanceof Tagged) return override.tag === '!reset' ? REMOVED : override.value;
  if (base instanceof Tagged) base = base.tag === '!reset' ? null : base.value;
  if (base === null || base === undefined) return override;
  const rule = findRule(MERGE_RULES, MERGE_COMPILED, path);
  if (rule) return rule.merge(base, override, path);
  return mergeDefault(base, override, path);
}

function mergeDefault(base: RawValue, override: RawValue, path: Segment[]): RawValue {
  if (isMapping(base) && isMapping(override)) return mergeMaps(base, override, path);
  if (Array.isArray(base) && Array.isArray(override)) {
    const out: RawValue[] = [...base, ...override];
    setPos(out, posOf(base) ?? posOf(override)!);
    base.forEach((_, i) => setEntryPos(out, i, entryPos(base, i)));
    override.forEach((_, i) => setEntryPos(out, base.length + i, entryPos(override, i)));
    return out;
  }
  return override;
}

function mergeMaps(base: RawMap, override: RawMap, path: Segment[]): RawMap {
  const out: RawMap = dict();
  const pos = posOf(base) ?? posOf(override);
  if (pos) setPos(out, pos);
  for (const key of Object.keys(base)) {
    out[key] = base[key]!;
    setEntryPos(out, key, entryPos(base, key));
  }
  for (const key of Object.keys(override)) {
    const value = override[key]!;
    // an x- extension is opaque: a later file replaces it whole (compose-go does the same)
    if (Object.prototype.hasOwnProperty.call(out, key) && !key.startsWith('x-')) {
      const merged = mergeOrRemove(out[key]!, value, [...path, key]);
      if (merged === REMOVED) {
        delete out[key];
        continue;
      }
      out[key] = merged;
    } else {
      if (value instanceof Tagged && value.tag === '!reset') continue;
      out[key] = value instanceof Tagged ? value.value : value;
    }
    setEntryPos(out, key, entryPos(override, key));
  }
  return out;
}

/** Drop what is left of `!reset` (nothing to reset: the key goes) and unwrap `!override`. */
export function stripTags(node: RawValue): RawValue {
  if (node instanceof Tagged) return node.tag === '!reset' ? null : stripTags(node.value);
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = stripTags(node[i]!);
  } else if (isMapping(node)) {
    for (const key of Object.keys(node)) {
      const v = node[key]!;
      if (v instanceof Tagged && v.tag === '!reset') delete node[key];
      else node[key] = stripTags(v);
    }
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Uniqueness

export interface UniqueRule extends PathRule {
  readonly key: (item: RawValue) => string;
}

const byValue = (item: RawValue): string => JSON.stringify(item);
const str = (v: RawValue): string => (v === undefined || v === null ? '' : String(v));
const field = (item: RawValue, k: string): RawValue => (isMapping(item) ? (item[k] ?? null) : null);

const unique = (path: string, key: UniqueRule['key']): UniqueRule => Object.freeze({ path, key });

export const UNIQUE_RULES: readonly UniqueRule[] = Object.freeze([
  unique('services.*.ports', (p) => `${str(field(p, 'host_ip')) || '0.0.0.0'}:${str(field(p, 'published'))}:${str(field(p, 'target'))}/${str(field(p, 'protocol')) || 'tcp'}`),
  unique('services.*.volumes', (v) => str(field(v, 'target'))),
  unique('services.*.secrets', (s) => str(field(s, 'target')) || `/run/secrets/${str(field(s, 'source'))}`),
  unique('services.*.configs', (c) => str(field(c, 'target')) || `/${str(field(c, 'source'))}`),
  unique('services.*.build.secrets', (s) => str(field(s, 'target')) || str(field(s, 'source'))),
  unique('services.*.env_file', (e) => str(field(e, 'path'))),
  unique('services.*.devices', (d) => str(field(d, 'target'))),
  ...[
    'expose', 'dns', 'dns_search', 'dns_opt', 'cap_add', 'cap_drop', 'security_opt', 'tmpfs', 'volumes_from',
    'external_links', 'links', 'group_add', 'device_cgroup_rules', 'profiles', 'label_file', 'extra_hosts.*',
    'build.tags', 'build.cache_from', 'build.cache_to', 'build.platforms', 'deploy.placement.constraints',
  ].map((k) => unique(`services.*.${k}`, byValue)),
]);
const UNIQUE_COMPILED = UNIQUE_RULES.map((r) => splitPattern(r.path));

/** A later entry with the same key replaces the earlier one in place. */
export function enforceUniqueness(root: RawValue): void {
  UNIQUE_RULES.forEach((r, i) => {
    forEachMatch(root, UNIQUE_COMPILED[i]!, (list) => {
      if (!Array.isArray(list) || list.length < 2) return list;
      const index = new Map<string, number>();
      const out: RawValue[] = [];
      const p = posOf(list);
      if (p) setPos(out, p);
      list.forEach((item, j) => {
        const k = r.key(item);
        const at = index.get(k);
        if (at === undefined) {
          index.set(k, out.length);
          setEntryPos(out, out.length, entryPos(list, j));
          out.push(item);
        } else {
          out[at] = item;
          setEntryPos(out, at, entryPos(list, j));
        }
      });
      return out;
    });
  });
}
