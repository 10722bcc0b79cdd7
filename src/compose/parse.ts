/**
 * Pass 1, parse: YAML text -> raw tree (plain objects, arrays, scalars) with positions.
 *
 * Follows go-yaml v3 as docker compose uses it: YAML 1.2 core scalars (`yes` stays a string),
 * except that an integer written with a leading zero (`0440`) is octal; `<<` merge keys are
 * applied; aliases are expanded; duplicate keys are an error. The compose tags `!reset` and
 * `!override` become `Tagged` markers that the merge pass consumes.
 */
import { Alias, isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { dict } from './dict.js';
import { UserError } from '../errors.js';
import type { LoadWarning } from './model.js';
import { entryPos, setEntryPos, setPos, type Pos } from './positions.js';

export type RawValue = string | number | boolean | null | RawValue[] | RawMap | Tagged;
export interface RawMap {
  [key: string]: RawValue;
}

/** A value carrying a compose merge tag. */
export class Tagged {
  constructor(
    readonly tag: '!reset' | '!override',
    public value: RawValue,
  ) {}
}

export function isMapping(v: unknown): v is RawMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tagged);
}

const OCTAL = /^[-+]?0[0-7]+$/;

/** `warnings` receives one entry per YAML tag the loader does not know (the tag is dropped, the value kept). */
export function parseYaml(text: string, file: string, warnings: LoadWarning[] = []): RawValue {
  const lineCounter = new LineCounter();
  // uniqueKeys off: the library compares each key with every earlier one (40,000 keys took 16 s);
  // the walker checks duplicates with its own map instead.
  // resolveKnownTags off: `!!timestamp`, `!!binary`, `!!set`, `!!omap` would become Date, Uint8Array, Set
  // and Map values whose text depends on the time zone or is not JSON; they stay strings, lists, maps.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, merge: false, prettyErrors: true, strict: true, resolveKnownTags: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const linePos = e.linePos?.[0];
    if (e.code === 'MULTIPLE_DOCS') {
      throw new UserError('the file holds more than one YAML document (a line of --- starts this one); a compose file is a single document.', {
        where: { file, line: linePos?.line },
        hint: 'Remove the ---, or split the documents into files and pass each with -f.',
      });
    }
    const what = e.message.split(' at line ')[0]!.split('\n')[0]!.replace(/\.$/, '');
    throw new UserError(`invalid YAML: ${lowerFirst(what)}.`, {
      where: { file, line: linePos?.line },
      hint: 'Fix the YAML syntax at that line.',
    });
  }
  if (!doc.contents) return null;
  return new Walker(doc, file, lineCounter, warnings).value(doc.contents as Node, 0);
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Nodes one document may expand to (aliases included): guards against "billion laughs". */
const MAX_NODES = 1_000_000;
/**
 * Characters of scalar text one document may expand to through its aliases (the YAML spec's
 * advice on alias bombs: bound the output, not only the node count). Twice the largest file
 * the loader reads: 100,000 aliases to a 4,000-character anchor made a 400 MB template.
 */
export const MAX_EXPANDED_CHARS = 20 * 1024 * 1024;

class Walker {
  private nodes = 0;
  private chars = 0;
  /** anchors seen so far in document order (yaml's Alias.resolve rescans the whole document) */
  private readonly anchors = new Map<string, Node>();

  constructor(
    private readonly doc: Document,
    private readonly file: string,
    private readonly lines: LineCounter,
    private readonly warnings: LoadWarning[],
  ) {}

  pos(node: Node | null | undefined): Pos {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col };
  }

  value(node: Node | null | undefined, depth: number): RawValue {
    if (depth > 200) throw new UserError('YAML nesting is too deep (more than 200 levels, or an alias refers to itself).', { where: { file: this.file, line: this.pos(node).line } });
    if (node === null || node === undefined) return null;
    if (++this.nodes > MAX_NODES) {
      throw new UserError(`the YAML expands to more than ${MAX_NODES} values through its aliases.`, { where: { file: this.file, line: this.pos(node).line }, hint: 'Use fewer nested aliases.' });
    }
    if (isAlias(node)) {
      const target = this.anchors.get((node as Alias).source) ?? (node as Alias).resolve(this.doc);
      if (!target) throw new UserError(`unknown YAML alias *${(node as Alias).source}.`, { where: { file: this.file, line: this.pos(node).line } });
      return this.value(target as Node, depth + 1);
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.anchors.set(anchor, node);
    let out: RawValue;
    if (isMap(node)) out = this.map(node.items as { key: unknown; value: unknown }[], node, depth);
    else if (isSeq(node)) {
      const arr: RawValue[] = [];
      setPos(arr, this.pos(node));
      node.items.forEach((item, i) => {
        arr.push(this.value(item as Node, depth + 1));
        setEntryPos(arr, i, this.pos(item as Node));
      });
      out = arr;
    } else if (isScalar(node)) {
      out = this.scalar(node);
      if (typeof out === 'string' && (this.chars += out.length) > MAX_EXPANDED_CHARS) {
        throw new UserError(`the YAML expands to more than ${MAX_EXPANDED_CHARS / 1024 / 1024} MiB of text through its aliases.`, { where: { file: this.file, line: this.pos(node).line }, hint: 'Use fewer aliases of long values.' });
      }
    }
    else out = null;
    const tag = (node as { tag?: string }).tag;
    if (tag === '!reset' || tag === '!override') return new Tagged(tag, out);
    if (tag && !tag.startsWith('tag:yaml.org,2002:')) {
      this.warnings.push({ message: `the YAML tag ${tag} means nothing to compose and is ignored; the value is kept as written.`, file: this.file, line: this.pos(node).line });
    }
    return out;
  }

  scalar(node: Scalar): RawValue {
    const v = node.value;
    if (node.type === 'PLAIN' && !node.tag && typeof node.source === 'string' && OCTAL.test(node.source)) return parseInt(node.source, 8);
    if (v === null || v === undefined) return null;
    // .inf, .nan and 1e999 are numbers JSON cannot hold: keep them as written
    if (typeof v === 'number' && !Number.isFinite(v)) return typeof node.source === 'string' ? node.source : String(v);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'bigint') return Number(v);
    return String(v);
  }

  map(items: { key: unknown; value: unknown }[], node: Node, depth: number): RawMap {
    const out: RawMap = dict();
    setPos(out, this.pos(node));
    const merged: { key: string; value: RawValue; pos: Pos }[] = [];
    for (const pair of items) {
      const keyNode = pair.key as Node | null;
      const keyPos = this.pos(keyNode);
      if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN') {
        this.mergeKey(pair.value as Node, depth, merged);
        continue;
      }
      let key: string;
      if (isScalar(keyNode)) key = keyNode.value === null ? '' : String(keyNode.value);
      else if (isAlias(keyNode)) {
        const k = this.value(keyNode, depth + 1);
        if (k !== null && typeof k === 'object') throw new UserError('a mapping key must be a plain value, not a list or mapping.', { where: { file: this.file, line: keyPos.line } });
        key = String(k);
      } else throw new UserError('a mapping key must be a plain value, not a list or mapping.', { where: { file: this.file, line: keyPos.line } });
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        const first = entryPos(out, key)?.line;
        throw new UserError('invalid YAML: map keys must be unique.', {
          where: { file: this.file, line: keyPos.line },
          hint: `${JSON.stringify(key.length > 60 ? `${key.slice(0, 57)}...` : key)} is also${first !== undefined ? ` on line ${first}` : ' given earlier'}: remove one of them.`,
        });
      }
      out[key] = this.value(pair.value as Node, depth + 1);
      setEntryPos(out, key, keyPos);
    }
    // `<<` entries never override keys written in the mapping itself; the first source wins.
    for (const m of merged) {
      if (Object.prototype.hasOwnProperty.call(out, m.key)) continue;
      out[m.key] = m.value;
      setEntryPos(out, m.key, m.pos);
    }
    return out;
  }

  private mergeKey(valueNode: Node, depth: number, into: { key: string; value: RawValue; pos: Pos }[]): void {
    const sources = isSeq(valueNode) ? (valueNode.items as Node[]) : [valueNode];
    const seen = new Set(into.map((m) => m.key));
    for (const src of sources) {
      const v = this.value(src, depth + 1);
      if (!isMapping(v)) {
        throw new UserError('the YAML merge key << must refer to a mapping or a list of mappings.', { where: { file: this.file, line: this.pos(src).line } });
      }
      for (const [k, val] of Object.entries(v)) {
        if (seen.has(k)) continue;
        seen.add(k);
        into.push({ key: k, value: val, pos: entryPos(v, k) ?? this.pos(src) });
      }
    }
  }
}
