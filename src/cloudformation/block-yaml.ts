/**
 * A direct writer of the canonical template tree as block YAML, byte for byte what
 * `yaml.stringify(tree, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false })` writes,
 * for the trees templates are made of: mappings, sequences, plain and simply quoted strings,
 * scripts as literal blocks, integers, booleans and null. It answers `undefined` for anything
 * else (a string that needs escapes, odd blank lines in a block, a fraction), and the caller then
 * asks the `yaml` package.
 *
 * Why: `yaml` builds a document of nodes and runs its generic stringifier over it, which was a
 * fifth of `docker ecs compose convert`'s run time. Whether a string may stay plain is decided
 * exactly as `yaml` decides it: the same indicator rule, and the YAML 1.1 schema's own tag tests
 * (so `"yes"`, `"0755"` and `"2010-09-09"` are quoted as before).
 */
import { Document } from 'yaml';

/** Thrown inside the writer when a value is not one it writes the same way as `yaml`. */
class NotSimple extends Error {}

const YAML_11 = new Document(null, { version: '1.1' }).schema;
// (the merge key `<<` has default 'key', and yaml leaves it plain in a value and as a key)
const NON_STRING_TAGS = [...YAML_11.tags, ...(YAML_11.compat ?? [])].filter(
  (tag) => tag.default === true && tag.tag !== 'tag:yaml.org,2002:str' && tag.test instanceof RegExp,
);
// yaml's plainString: indicator characters, ': ', ' #', leading or trailing space, a final ':'
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// yaml's stringifyString forces double quotes (with escapes) on these
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/** A key or a one-line string; `indent` is where a multi-line value's lines would start. */
function stringText(value: string, indent?: string): string {
  if (CONTROL.test(value) || DOCUMENT_MARKER.test(value)) throw new NotSimple();
  if (value.includes('\n')) {
    if (indent === undefined) throw new NotSimple();
    return literalBlock(value, indent);
  }
  const plain = !NOT_PLAIN.test(value) && !NON_STRING_TAGS.some((tag) => (tag.test as RegExp).test(value));
  if (plain) return value;
  // yaml quotes with single quotes when the string holds `"` and no `'`, else with double quotes;
  // JSON's form is its double-quoted form when nothing needs an escape
  if (value.includes('"') && !value.includes("'")) return `'${value}'`;
  const json = JSON.stringify(value);
  if (json.includes('\\')) throw new NotSimple();
  return json;
}

/**
 * yaml's literal block (`|-`, or `|` for one final newline) for a multi-line string that starts
 * with neither a space nor a newline and ends without trailing blanks: what a script looks like.
 */
function literalBlock(value: string, indent: string): string {
  if (/^[\n ]/.test(value) || /[\t ]\n/.test(value) || /[\t ]$/.test(value) || /\n\n$/.test(value)) throw new NotSimple();
  const clip = value.endsWith('\n');
  const body = clip ? value.slice(0, -1) : value;
  return `|${clip ? '' : '-'}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}`;
}

function scalarText(value: unknown, indent: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new NotSimple();
    return String(value);
  }
  if (typeof value === 'string') return stringText(value, indent);
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (isMapping(value) && Object.keys(value).length === 0) return '{}';
  throw new NotSimple();
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

const isBlock = (value: unknown): boolean =>
  (Array.isArray(value) && value.length > 0) || (isMapping(value) && Object.keys(value).length > 0);

/** Lines of a mapping at `indent`; the first line starts with `first` (a sequence's `- `) if given. */
function writeMapping(map: Record<string, unknown>, indent: string, out: string[], first?: string): void {
  let lead = first ?? indent;
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) throw new NotSimple();
    const k = stringText(key);
    if (isBlock(value)) {
      out.push(`${lead}${k}:`);
      writeBlock(value, `${indent}  `, out);
    } else {
      out.push(`${lead}${k}: ${scalarText(value, `${indent}  `)}`);
    }
    lead = indent;
  }
}

function writeSequence(items: readonly unknown[], indent: string, out: string[], first?: string): void {
  let lead = first ?? indent;
  for (const item of items) {
    if (item === undefined) throw new NotSimple();
    if (Array.isArray(item) && item.length > 0) writeSequence(item, `${indent}  `, out, `${lead}- `);
    else if (isMapping(item) && Object.keys(item).length > 0) writeMapping(item, `${indent}  `, out, `${lead}- `);
    else out.push(`${lead}- ${scalarText(item, `${indent}  `)}`);
    lead = indent;
  }
}

function writeBlock(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) writeSequence(value, indent, out);
  else writeMapping(value as Record<string, unknown>, indent, out);
}

/** The tree as `yaml` would write it, or undefined when it holds something only `yaml` writes. */
export function writeBlockYaml(tree: Record<string, unknown>): string | undefined {
  if (!isBlock(tree)) return undefined;
  const out: string[] = [];
  try {
    writeMapping(tree, '', out);
  } catch (e) {
    if (e instanceof NotSimple) return undefined;
    throw e;
  }
  return `${out.join('\n')}\n`;
}
