/**
 * Dotted path patterns for the rule tables (canonical forms, merge exceptions, uniqueness keys).
 * `*` matches any one mapping key; `[]` matches any list index. Tables are frozen, ordered
 * arrays; a test checks that no two patterns of one table match the same path.
 */
import { Tagged, isMapping, type RawValue } from './parse.js';
import { entryPos, type Pos } from './positions.js';

export interface PathRule {
  readonly path: string;
}

export type Segment = string | number;

export function splitPattern(pattern: string): string[] {
  return pattern.split('.');
}

/** Does a concrete path (e.g. ['services','web','ports']) match a pattern? */
export function matchesPattern(pattern: readonly string[], path: readonly Segment[]): boolean {
  if (pattern.length !== path.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const s = path[i]!;
    if (p === '*') {
      if (typeof s !== 'string') return false;
    } else if (p === '[]') {
      if (typeof s !== 'number') return false;
    } else if (p !== s) return false;
  }
  return true;
}

/** First rule of `table` whose pattern matches `path`. */
export function findRule<R extends PathRule>(table: readonly R[], compiled: readonly (readonly string[])[], path: readonly Segment[]): R | undefined {
  for (let i = 0; i < table.length; i++) if (matchesPattern(compiled[i]!, path)) return table[i];
  return undefined;
}

/**
 * Calls `visit` for every existing value whose path matches `pattern`, in document order,
 * looking through `!reset` / `!override` wrappers. `visit` returns the replacement value.
 */
export function forEachMatch(
  root: RawValue,
  pattern: readonly string[],
  visit: (value: RawValue, pos: Pos | undefined, path: Segment[]) => RawValue,
): void {
  const go = (node: RawValue, depth: number, path: Segment[]): void => {
    const inner = node instanceof Tagged ? node.value : node;
    const seg = pattern[depth]!;
    const last = depth === pattern.length - 1;
    const step = (container: object, key: string | number): void => {
      const value = (container as Record<string | number, RawValue>)[key]!;
      const p = [...path, key];
      if (last) {
        const pos = entryPos(container, key);
        if (value instanceof Tagged) value.value = visit(value.value, pos, p);
        else (container as Record<string | number, RawValue>)[key] = visit(value, pos, p);
      } else go(value, depth + 1, p);
    };
    if (seg === '[]') {
      if (Array.isArray(inner)) for (let i = 0; i < inner.length; i++) step(inner, i);
    } else if (isMapping(inner)) {
      if (seg === '*') for (const k of Object.keys(inner)) step(inner, k);
      else if (Object.prototype.hasOwnProperty.call(inner, seg)) step(inner, seg);
    }
  };
  go(root, 0, []);
}
