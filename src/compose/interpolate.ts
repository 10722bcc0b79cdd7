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
 * Any other `$` is an error (write `$$` for a literal dollar). An unset variable without a
 * default becomes the empty string, with a warning.
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

type Operator = (typeof OPERATORS)[number];
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;

/** An open `${NAME<op>...` whose argument is being read. */
interface Frame {
  name: string;
  op: Operator;
  value: string | undefined;
  /** whether the argument is used; an unused one is only scanned for its closing brace */
  take: boolean;
  out: string;
  /** nested `${` inside an unused argument */
  skipDepth: number;
}

/**
 * Substitute variables in one string. `onUnset` is told about each unset variable used bare.
 *
 * One left-to-right pass with an explicit stack of open `${...}`: linear in the length of the
 * string, and nesting as deep as the string allows (a recursive reader overflowed the call stack
 * at a few thousand levels). An argument that is not used is not interpolated, only matched.
 */
export function substitute(template: string, lookup: Lookup, onUnset: (name: string) => void = () => {}): string {
  if (!template.includes('$')) return template;
  const n = template.length;
  const open: Frame[] = [];
  let rootOut = '';
  const emit = (text: string): void => {
    const f = open[open.length - 1];
    if (f) f.out += text;
    else rootOut += text;
  };
  let i = 0;
  while (i < n) {
    const f = open[open.length - 1];
    if (f && !f.take) {
      const c = template[i];
      if (c === '$') {
        const next = template[i + 1];
        if (next === '{') f.skipDepth++;
        i += next === '$' || next === '{' ? 2 : 1;
      } else if (c === '}') {
        if (f.skipDepth > 0) f.skipDepth--;
        else emit(close(open));
        i++;
      } else i++;
      continue;
    }
    // collect literal text up to the next `$` (or the `}` that closes the open argument)
    let j = i;
    while (j < n && template[j] !== '$' && !(f && template[j] === '}')) j++;
    if (j > i) emit(template.slice(i, j));
    if (j >= n) break;
    if (template[j] === '}') {
      open.pop();
      emit(result(f!));
      i = j + 1;
      continue;
    }
    const next = template[j + 1];
    if (next === '$') {
      emit('$');
      i = j + 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let k = j + 2;
      while (k < n && NAME_CHAR.test(template[k]!)) k++;
      const name = template.slice(j + 1, k);
      const value = lookup(name);
      if (value === undefined) onUnset(name);
      emit(value ?? '');
      i = k;
    } else if (next === '{') {
      let k = j + 2;
      if (!NAME_START.test(template[k] ?? '')) throw invalid(template);
      while (k < n && NAME_CHAR.test(template[k]!)) k++;
      const name = template.slice(j + 2, k);
      const value = lookup(name);
      if (template[k] === '}') {
        if (value === undefined) onUnset(name);
        emit(value ?? '');
        i = k + 1;
        continue;
      }
      const op = OPERATORS.find((o) => template.startsWith(o, k));
      if (!op) throw invalid(template);
      open.push({ name, op, value, take: argumentUsed(op, value), out: '', skipDepth: 0 });
      i = k + op.length;
    } else {
      throw invalid(template);
    }
  }
  if (open.length > 0) throw invalid(template);
  return rootOut;
}

function argumentUsed(op: Operator, value: string | undefined): boolean {
  switch (op) {
    case ':-':
    case ':?':
      return value === undefined || value === '';
    case '-':
    case '?':
      return value === undefined;
    case ':+':
      return value !== undefined && value !== '';
    case '+':
      return value !== undefined;
  }
}

function close(open: Frame[]): string {
  return result(open.pop()!);
}

/** The value of a closed `${NAME<op>arg}`. */
function result(f: Frame): string {
  switch (f.op) {
    case ':-':
    case '-':
      return f.take ? f.out : f.value!;
    case ':+':
    case '+':
      return f.take ? f.out : '';
    case ':?':
    case '?':
      return f.take ? raiseRequired(f.name, f.out) : f.value!;
  }
}

function invalid(template: string): TemplateError {
  return new TemplateError('invalid', `invalid interpolation format "${quoteShort(template)}"`);
}

/** A value quoted in a message: long ones are cut, so an error stays one readable line. */
function quoteShort(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
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
  return errorAt(pos, `invalid interpolation format in ${where}: "${quoteShort(value)}".`, path, 'Write $$ for a literal dollar sign.');
}
