/**
 * An ordered document for `config` output, and its two serialisations as docker compose writes
 * them: Go's `json.MarshalIndent(v, "", "  ")` and go.yaml.in/yaml/v3 with an indent of 2.
 *
 * Mappings are entry lists, not JS objects, so field order follows compose-go's structs and keys
 * that look like integers (a label `"80"`) are not hoisted to the front by the JS engine.
 */
export type ConfigNode = string | number | boolean | null | ConfigNode[] | ConfigMap;

export interface ConfigMap {
  readonly kind: 'map';
  readonly entries: Array<[string, ConfigNode]>;
  /** a Go map (sorted when written: bytewise in JSON, yaml.v3's natural order in YAML); else a struct in field order */
  readonly goMap?: boolean;
}

/** A Go struct: fields in declaration order; undefined fields are left out (omitempty). */
export function configStruct(entries: Array<[string, ConfigNode | undefined]> = []): ConfigMap {
  return { kind: 'map', entries: entries.filter((e): e is [string, ConfigNode] => e[1] !== undefined) };
}

/** A Go map: written with sorted keys. */
export function configGoMap(entries: Array<[string, ConfigNode]>): ConfigMap {
  return { kind: 'map', entries, goMap: true };
}

function jsonEntries(m: ConfigMap): Array<[string, ConfigNode]> {
  if (!m.goMap) return m.entries;
  return [...m.entries].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function yamlEntries(m: ConfigMap): Array<[string, ConfigNode]> {
  if (!m.goMap) return m.entries;
  return [...m.entries].sort(([a], [b]) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
}

export function isConfigMap(n: ConfigNode): n is ConfigMap {
  return typeof n === 'object' && n !== null && !Array.isArray(n);
}

// ---------------------------------------------------------------------------------------------
// JSON as Go's encoding/json writes it: HTML characters and U+2028/9 escaped, 2-space indent.

function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function toGoJson(n: ConfigNode, indent = ''): string {
  if (n === null) return 'null';
  if (typeof n === 'string') return goJsonString(n);
  if (typeof n === 'number' || typeof n === 'boolean') return String(n);
  const inner = `${indent}  `;
  if (Array.isArray(n)) {
    if (n.length === 0) return '[]';
    return `[\n${n.map((v) => `${inner}${toGoJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (n.entries.length === 0) return '{}';
  return `{\n${jsonEntries(n).map(([k, v]) => `${inner}${goJsonString(k)}: ${toGoJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

// ---------------------------------------------------------------------------------------------
// YAML as yaml.v3 writes it (block style, sequences indented under their key, no line folding).

/** Plain scalars YAML would read back as something other than this string. */
function resolvesToNonString(s: string): boolean {
  if (s === '' || s === '~' || /^(null|Null|NULL)$/.test(s)) return true;
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(s)) return true;
  // YAML 1.1 booleans, which yaml.v3 quotes for old readers
  if (/^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(s)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true;
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(s) || /^[-+]?0o?[0-7_]+$/.test(s) || /^[-+]?0b[01_]+$/.test(s)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true; // base 60
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s) || /^\.(nan|NaN|NAN)$/.test(s)) return true;
  if (s === '<<') return true;
  // timestamps (yaml.v3 reads 2006-1-2 and 2006-1-2T15:4:5... as times)
  if (/^\d{4}-\d{1,2}-\d{1,2}([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d*)?(Z|[-+]\d{1,2}(:\d{2})?)?)?$/.test(s)) return true;
  return false;
}

/** libyaml's analysis: may this string be written plain in block context? */
function plainAllowed(s: string): boolean {
  if (/^\s|\s$/.test(s)) return false;
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) && !(/^[-?:][^\s]/.test(s) && !/^[-?:]$/.test(s))) return false;
  if (s.includes(': ') || s.endsWith(':') || s.includes(' #')) return false;
  if (/^(---|\.\.\.)/.test(s)) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s) || s.includes('\t')) return false;
  return true;
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0').toUpperCase()}`;
    else if (c === 0xfeff || c === 0x85 || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0').toUpperCase()}`;
    else out += ch;
  }
  return `${out}"`;
}

function yamlScalar(s: string, indent: string): string {
  // eslint-disable-next-line no-control-regex
  const special = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(s);
  if (s.includes('\n') && !special && !/[ \t]\n|^\s/.test(s)) {
    const trailing = /\n+$/.exec(s)?.[0].length ?? 0;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const body = (trailing === 1 ? s.slice(0, -1) : trailing > 1 ? s.slice(0, -1) : s).split('\n');
    return `|${chomp}\n${body.map((l) => (l === '' ? '' : `${indent}${l}`)).join('\n')}`;
  }
  if (resolvesToNonString(s)) return doubleQuoted(s);
  if (!special && !s.includes('\n') && plainAllowed(s)) return s;
  if (!special && !s.includes('\n')) return `'${s.replaceAll("'", "''")}'`;
  return doubleQuoted(s);
}

function yamlKey(k: string): string {
  return yamlScalar(k, '').replace(/^\|.*/s, () => doubleQuoted(k));
}

function scalarText(n: Exclude<ConfigNode, ConfigNode[] | ConfigMap>, indent: string): string {
  if (n === null) return 'null';
  if (typeof n === 'string') return yamlScalar(n, indent);
  return String(n);
}

function isEmptyCollection(n: ConfigNode): boolean {
  return Array.isArray(n) ? n.length === 0 : isConfigMap(n) && n.entries.length === 0;
}

function yamlLines(n: ConfigNode, indent: string, out: string[]): void {
  if (Array.isArray(n)) {
    for (const item of n) {
      if (isConfigMap(item) && item.entries.length > 0) {
        const sub: string[] = [];
        yamlLines(item, `${indent}  `, sub);
        sub[0] = `${indent}- ${sub[0]!.slice(indent.length + 2)}`;
        out.push(...sub);
      } else if (Array.isArray(item) && item.length > 0) {
        const sub: string[] = [];
        yamlLines(item, `${indent}  `, sub);
        sub[0] = `${indent}- ${sub[0]!.slice(indent.length + 2)}`;
        out.push(...sub);
      } else {
        out.push(`${indent}- ${Array.isArray(item) ? '[]' : isConfigMap(item) ? '{}' : scalarText(item, `${indent}  `)}`);
      }
    }
    return;
  }
  if (!isConfigMap(n)) {
    out.push(`${indent}${scalarText(n, indent)}`);
    return;
  }
  for (const [k, v] of yamlEntries(n)) {
    const key = `${indent}${yamlKey(k)}:`;
    if (isEmptyCollection(v)) out.push(`${key} ${Array.isArray(v) ? '[]' : '{}'}`);
    else if (Array.isArray(v) || isConfigMap(v)) {
      out.push(key);
      yamlLines(v, `${indent}  `, out);
    } else out.push(`${key} ${scalarText(v, `${indent}  `)}`);
  }
}

export function toGoYaml(n: ConfigNode): string {
  const out: string[] = [];
  yamlLines(n, '', out);
  return `${out.join('\n')}\n`;
}

/**
 * yaml.v3's order for map keys: runs of digits compare as numbers and letters sort before
 * other characters, so `web2` comes before `web10`.
 */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  const isDigit = (c: string) => c >= '0' && c <= '9';
  const isLetter = (c: string) => /\p{L}/u.test(c);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]!);
      continue;
    }
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]! < br[i]!;
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = an * 10 + Number(ar[ai]);
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]! < br[i]!;
  }
  return ar.length < br.length;
}
