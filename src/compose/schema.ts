/**
 * Pass 4, schema: each file, as written (before interpolation, so `${PORT}` is still a string),
 * is checked against the official compose-spec JSON schema. The validator is precompiled by
 * `scripts/gen-compose-validator.mjs`. Of ajv's errors we report the single most specific one,
 * at the YAML line of the offending key, worded "path must be ...", with a "did you mean" for an
 * unknown key close to an allowed one.
 */
import { UserError } from '../errors.js';
import { isMapping, Tagged, type RawValue } from './parse.js';
import { errorAt, formatPath, locate, type RawPath } from './positions.js';
import { closest } from './suggest.js';
// Precompiled at build time; a static import so that esbuild bundles it into the plugin.
import compiledValidator from './generated/validate-compose.cjs';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
interface Validator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
  schema: JsonSchema;
}
type JsonSchema = Record<string, unknown>;

function loadValidator(): Validator {
  return compiledValidator as Validator;
}

/** The document without merge tags (a `!reset` key is absent, `!override` is its value). */
function plain(node: RawValue): unknown {
  if (node instanceof Tagged) return node.tag === '!reset' ? undefined : plain(node.value);
  if (Array.isArray(node)) return node.map(plain);
  if (isMapping(node)) {
    // an ordinary object (the validator's deep-equal calls valueOf), with `__proto__` as an own
    // key so the schema sees it (assignment would set the prototype instead)
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const p = plain(v);
      if (p !== undefined) Object.defineProperty(out, k, { value: p, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return node;
}

export function validateSchema(root: RawValue, file: string): void {
  const validate = loadValidator();
  const data = plain(root);
  if (validate(data)) return;
  throw describe(validate.errors ?? [], root, data, validate.schema, file);
}

function toPath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const KEYWORD_RANK: Readonly<Record<string, number>> = Object.freeze({
  additionalProperties: 0,
  required: 1,
  enum: 2,
  const: 2,
  type: 3,
});

function describe(errors: AjvError[], root: RawValue, data: unknown, schema: JsonSchema, file: string): UserError {
  const concrete = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if');
  const pool = concrete.length > 0 ? concrete : errors;
  // the deepest instance path is the most specific cause; among equals prefer unknown keys
  pool.sort((a, b) => {
    const depth = toPath(b.instancePath).length - toPath(a.instancePath).length;
    if (depth !== 0) return depth;
    return (KEYWORD_RANK[a.keyword] ?? 9) - (KEYWORD_RANK[b.keyword] ?? 9);
  });
  const best = pool[0]!;
  const path = toPath(best.instancePath);
  const where = formatPath(path) || 'the top level';
  const value = valueAt(data, path);

  if (best.keyword === 'additionalProperties') {
    const key = String(best.params.additionalProperty);
    const full = [...path, key];
    const allowed = allowedKeysAt(schema, path, data);
    if (allowed.length === 0) {
      // a map of names (services, networks, ...): the key is a name the schema's pattern refuses
      return errorAt(locate(root, full) ?? { file, line: 1, column: 1 }, `"${key}" is not a valid name under ${where}: use only letters, digits, ".", "_" and "-".`, full);
    }
    const suggestion = closest(key, allowed);
    const msg = suggestion
      ? `${formatPath(full)} is not a valid compose key; did you mean "${suggestion}"?`
      : `${formatPath(full)} is not a valid compose key; remove it, or prefix it with x- to keep it as an extension.`;
    return errorAt(locate(root, full) ?? { file, line: 1, column: 1 }, msg, full);
  }
  if (best.keyword === 'required') {
    return errorAt(locate(root, path), `${where} is missing the required key "${String(best.params.missingProperty)}".`, path);
  }
  if (best.keyword === 'type') {
    const types = new Set<string>();
    for (const e of pool) if (e.instancePath === best.instancePath && e.keyword === 'type') for (const t of String(e.params.type).split(',')) types.add(t);
    return errorAt(locate(root, path), `${where} must be ${joinOr([...types].map(typeName))}, not ${kindOf(value)}.`, path);
  }
  if (best.keyword === 'enum') {
    const allowed = (best.params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
    return errorAt(locate(root, path), `${where} must be one of ${allowed.join(', ')}, not ${JSON.stringify(value)}.`, path);
  }
  if (best.keyword === 'uniqueItems') {
    return errorAt(locate(root, path), `${where} lists the same entry twice (items ${String(best.params.j)} and ${String(best.params.i)}); remove one.`, path);
  }
  if (best.keyword === 'pattern' || best.keyword === 'propertyNames') {
    return errorAt(locate(root, path), `${where} has an invalid name ${JSON.stringify(value)}.`, path);
  }
  return errorAt(locate(root, path), `${where} ${best.message ?? 'is invalid'}.`, path);
}

function valueAt(data: unknown, path: RawPath): unknown {
  let node = data;
  for (const k of path) node = (node as Record<string | number, unknown> | undefined)?.[k];
  return node;
}

const TYPE_NAMES: Readonly<Record<string, string>> = Object.freeze({
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'empty',
});

function typeName(t: string): string {
  return TYPE_NAMES[t] ?? t;
}

export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'number' ? 'the number' : 'the boolean'} ${String(v)}`;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'valid';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Keys the schema allows for the object found at `path` (union over matching branches). */
function allowedKeysAt(schema: JsonSchema, path: RawPath, data: unknown): string[] {
  const keys = new Set<string>();
  const resolveRef = (s: JsonSchema): JsonSchema => {
    let cur = s;
    for (let guard = 0; typeof cur.$ref === 'string' && guard < 20; guard++) {
      const ref = cur.$ref as string;
      const parts = ref.replace(/^[^#]*#\/?/, '').split('/').filter(Boolean);
      let target: unknown = schema;
      for (const p of parts) target = (target as Record<string, unknown>)[p.replace(/~1/g, '/').replace(/~0/g, '~')];
      cur = target as JsonSchema;
    }
    return cur;
  };
  const branches = (s: JsonSchema): JsonSchema[] => {
    const r = resolveRef(s);
    const out = [r];
    for (const k of ['oneOf', 'anyOf', 'allOf'] as const) {
      if (Array.isArray(r[k])) for (const b of r[k] as JsonSchema[]) out.push(...branches(b));
    }
    return out;
  };
  const walk = (s: JsonSchema, depth: number, node: unknown): void => {
    for (const b of branches(s)) {
      if (depth === path.length) {
        if (b.properties && b.additionalProperties === false) for (const k of Object.keys(b.properties as object)) keys.add(k);
        continue;
      }
      const seg = path[depth]!;
      const child = (node as Record<string | number, unknown> | undefined)?.[seg];
      if (typeof seg === 'number') {
        if (b.items && typeof b.items === 'object') walk(b.items as JsonSchema, depth + 1, child);
        continue;
      }
      const props = b.properties as Record<string, JsonSchema> | undefined;
      if (props?.[seg]) walk(props[seg], depth + 1, child);
      const patterns = b.patternProperties as Record<string, JsonSchema> | undefined;
      for (const [re, sub] of Object.entries(patterns ?? {})) if (new RegExp(re, 'u').test(seg)) walk(sub, depth + 1, child);
      if (b.additionalProperties && typeof b.additionalProperties === 'object') walk(b.additionalProperties as JsonSchema, depth + 1, child);
    }
  };
  walk(schema, 0, data);
  return [...keys].sort();
}
