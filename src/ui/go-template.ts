/**
 * The part of Go's text/template that `docker ... --format` users type: `{{.Field}}`,
 * `{{json .Field}}` / `{{.Field | json}}`, `upper`, `lower`, `title`, and `table TEMPLATE`, whose
 * header row names the fields (`.Name` -> NAME, `.ID` -> ID) and whose `\t` cells are aligned.
 * Anything else is refused with one sentence rather than printed wrongly.
 */
import { UserError } from '../errors.js';

type Fn = (v: unknown) => string;

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  json: (v) => JSON.stringify(v ?? null),
  upper: (v) => text(v).toUpperCase(),
  lower: (v) => text(v).toLowerCase(),
  title: (v) => text(v).replace(/\b\w/g, (c) => c.toUpperCase()),
};

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return `[${v.map(text).join(' ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

interface Action {
  field: string;
  fns: Fn[];
}

function parseAction(src: string, template: string): Action {
  const parts = src.split('|').map((p) => p.trim());
  const fns: Fn[] = [];
  let field: string | undefined;
  for (const [i, part] of parts.entries()) {
    const words = part.split(/\s+/).filter(Boolean);
    for (const w of words.reverse()) {
      if (w.startsWith('.')) {
        if (field !== undefined || i > 0) throw bad(template, src);
        field = w.slice(1);
      } else if (FUNCTIONS[w]) fns.push(FUNCTIONS[w]!);
      else throw bad(template, src);
    }
  }
  if (field === undefined) throw bad(template, src);
  return { field, fns };
}

function bad(template: string, action: string): UserError {
  return new UserError(
    `--format "${template}": {{${action}}} is not supported; use fields as {{.Name}}, optionally with json, upper, lower or title ({{json .Publishers}}), or table / json.`,
  );
}

type Piece = string | Action;

function compile(template: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = template.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open < 0) {
      pieces.push(rest);
      break;
    }
    if (open > 0) pieces.push(rest.slice(0, open));
    const close = rest.indexOf('}}', open);
    if (close < 0) throw new UserError(`--format "${template}": a {{ has no closing }}.`);
    pieces.push(parseAction(rest.slice(open + 2, close).replace(/^-\s*|\s*-$/g, '').trim(), template));
    rest = rest.slice(close + 2);
  }
  return pieces;
}

function render(pieces: Piece[], row: Record<string, unknown>, knownFields: readonly string[], template: string): string {
  return pieces
    .map((p) => {
      if (typeof p === 'string') return p;
      if (!knownFields.includes(p.field)) {
        throw new UserError(`--format "${template}": there is no field .${p.field}; the fields are ${knownFields.map((f) => `.${f}`).join(', ')}.`);
      }
      let v: unknown = row[p.field];
      let out: string | undefined;
      for (const fn of p.fns.reverse()) {
        out = fn(out === undefined ? v : out);
        v = out;
      }
      return out ?? text(v);
    })
    .join('');
}

/** The header cell docker prints for a field: the name in capitals, words split at capitals. */
function headerOf(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

/** Renders rows through a Go-style template, one line each; `table ...` adds an aligned header row. */
export function renderTemplate(template: string, rows: readonly Record<string, unknown>[], knownFields: readonly string[]): string {
  const isTable = template.startsWith('table ');
  const body = isTable ? template.slice('table '.length) : template;
  const pieces = compile(body);
  const lines = rows.map((r) => render(pieces, r, knownFields, template));
  if (!isTable) return lines.map((l) => `${l}\n`).join('');
  const header = pieces.map((p) => (typeof p === 'string' ? p : headerOf(p.field))).join('');
  const cells = [header, ...lines].map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd()).map((l) => `${l}\n`).join('');
}
