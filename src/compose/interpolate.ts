/**
 * Pass 2, interpolation: `${VAR}` and friends in every string value (keys are left alone).
 *
 * Grammar, as compose-go's `template` package reads it:
 *   $$            a literal $
 *   $NAME         NAME = [_a-zA-Z][_a-zA-Z0-9]*
 *   ${NAME}
 *   ${NAME:-d}    d when NAME is unset or empty        ${NAME-d}  d when NAME is unset
 *   ${NAME:+r}    r when NAME is set and not empty     ${NAME+r}  r when NAME is set
 *   ${NAME:?msg}  error when NAME is unset or empty    ${NAME?msg} error when NAME is unset
 * Defaults, replacements and messages may contain further `$NAME` / `${...}` (nesting).
 * A `$` that starts none of these (`$(date)`, `$1`, `5$`, `$ x`) is kept as it is, as compose-go
 * keeps it; only a malformed `${...}` is an error. An unset variable without a default becomes
 * the empty string, with a warning.
 */
import { Tagged, type RawValue } from './parse.js';
import { entryPos, errorAt, type RawPath } from './positions.js';
import type { LoadWarning } from './model.js';

export type Lookup = (name: string) => string | undefined;

export class TemplateError extends Error {
  constructor(
    readonly kind: 'invalid' | 'required',
    message: string,
    readonly variable?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;

/** Substitute variables in one string. `onUnset` is told about each unset variable used bare. */
export function substitute(template: string, lookup: Lookup, onUnset: (name: string) => void = () => {}): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  const n = template.length;
  while (i < n) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let j = dollar + 2;
      while (j < n && NAME_CHAR.test(template[j]!)) j++;
      const name = template.slice(dollar + 1, j);
      const value = lookup(name);
      if (value === undefined) onUnset(name);
      out += value ?? '';
      i = j;
    } else if (next === '{') {
      const end = matchingBrace(template, dollar + 2);
      if (end < 0) throw invalid(template);
      out += braced(template.slice(dollar + 2, end), template, lookup, onUnset);
      i = end + 1;
    } else {
      // compose-go's pattern does not match here, so the dollar stays literal
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

function invalid(template: string): TemplateError {
  return new TemplateError('invalid', `invalid interpolation format "${template}"`);
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nested `${...}` and `$$`. */
function matchingBrace(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '$') {
      if (s[i + 1] === '$') i++;
      else if (s[i + 1] === '{') {
        depth++;
        i++;
      }
    } else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

function braced(body: string, whole: string, lookup: Lookup, onUnset: (name: string) => void): string {
  let j = 0;
  if (!NAME_START.test(body[0] ?? '')) throw invalid(whole);
  while (j < body.length && NAME_CHAR.test(body[j]!)) j++;
  const name = body.slice(0, j);
  const rest = body.slice(j);
  const value = lookup(name);
  if (rest === '') {
    if (value === undefined) onUnset(name);
    return value ?? '';
  }
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op) throw invalid(whole);
  const arg = rest.slice(op.length);
  const sub = (): string => substitute(arg, lookup, onUnset);
  switch (op) {
    case ':-':
      return value === undefined || value === '' ? sub() : value;
    case '-':
      return value === undefined ? sub() : value;
    case ':+':
      return value !== undefined && value !== '' ? sub() : '';
    case '+':
      return value !== undefined ? sub() : '';
    case ':?':
    case '?': {
      const missing = op === ':?' ? value === undefined || value === '' : value === undefined;
      if (!missing) return value!;
      const msg = sub();
      return raiseRequired(name, msg);
    }
  }
}

function raiseRequired(name: string, msg: string): never {
  throw new TemplateError('required', `required variable ${name} is missing a value${msg ? `: ${msg}` : ''}`, name, msg);
}

/** Interpolate every string of a raw tree in place. Errors name the file, line and path. */
export function interpolateTree(root: RawValue, lookup: Lookup, warnings: LoadWarning[], warned: Set<string>): RawValue {
  const walk = (node: RawValue, path: (string | number)[]): RawValue => {
    if (typeof node === 'string') return node;
    if (node instanceof Tagged) {
      node.value = walkValue(node, 'value', node.value, path);
      return node;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) node[i] = walkValue(node, i, node[i]!, path);
      return node;
    }
    if (node !== null && typeof node === 'object') {
      for (const key of Object.keys(node)) node[key] = walkValue(node, key, node[key]!, path);
    }
    return node;
  };
  const walkValue = (parent: object, key: string | number, value: RawValue, parentPath: (string | number)[]): RawValue => {
    const path = key === 'value' && parent instanceof Tagged ? parentPath : [...parentPath, key];
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      try {
        return substitute(value, lookup, (name) => {
          if (warned.has(name)) return;
          warned.add(name);
          const pos = entryPos(parent, key);
          warnings.push({ message: `The "${name}" variable is not set. Defaulting to a blank string.`, file: pos?.file, line: pos?.line, path: formatDotted(path) });
        });
      } catch (e) {
        if (e instanceof TemplateError) throw templateError(e, entryPos(parent, key), path, value);
        throw e;
      }
    }
    return walk(value, path);
  };
  return walk(root, []);
}

function formatDotted(path: RawPath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function templateError(e: TemplateError, pos: ReturnType<typeof entryPos>, path: RawPath, value: string) {
  const where = formatDotted(path);
  if (e.kind === 'required') {
    const detail = e.detail ? `: ${e.detail}` : '';
    return errorAt(pos, `required variable ${e.variable} is missing a value for ${where}${detail}.`, path, `Set ${e.variable} in the environment or in the .env file.`);
  }
  return errorAt(pos, `invalid interpolation format in ${where}: "${value}".`, path, 'Write $$ for a literal dollar sign.');
}
