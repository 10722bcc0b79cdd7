/**
 * The import rule between the folders of src/ (README, Development). Each folder may import only
 * the folders listed for it; `errors.ts` (the error classes and warnings) imports nothing and every
 * folder may import it. `ui/` may import from `aws/` only types, and values only from
 * `aws/events.ts` (the event union it renders). No module may take part in an import cycle
 * (type-only imports excepted: they vanish when compiled).
 *
 *   errors          -> (nothing)
 *   compose         -> errors
 *   cloudformation  -> errors
 *   convert         -> errors, compose, cloudformation
 *   docker          -> errors
 *   aws             -> errors, convert, cloudformation
 *   ui              -> errors, aws (types; values from aws/events.ts only)
 *   cli             -> errors, compose, convert, cloudformation, aws, docker, ui
 *   commands        -> every folder
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './golden/corpus.js';

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  compose: ['errors'],
  cloudformation: ['errors'],
  convert: ['errors', 'compose', 'cloudformation'],
  docker: ['errors'],
  aws: ['errors', 'convert', 'cloudformation'],
  ui: ['errors', 'aws'],
  cli: ['errors', 'compose', 'convert', 'cloudformation', 'aws', 'docker', 'ui'],
  commands: ['errors', 'compose', 'convert', 'cloudformation', 'aws', 'docker', 'ui', 'cli'],
};
/** the one module of aws/ whose values ui/ may import */
const UI_VALUES_FROM_AWS = 'src/aws/events.ts';

const SRC = path.join(REPO_ROOT, 'src');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
      return /\.tsx?$/.test(e.name) ? [p] : [];
    })
    .sort();
}

const rel = (file: string): string => path.relative(REPO_ROOT, file).split(path.sep).join('/');

/** `src/aws/deploy.ts` -> `aws`; a module directly in src/ (`src/errors.ts`) is its own folder. */
function folderOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length === 1 ? parts[0]!.replace(/\.tsx?$/, '') : parts[0]!;
}

function resolveImport(from: string, spec: string): string {
  const target = path.resolve(path.dirname(from), spec);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx'), target]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // try the next spelling
    }
  }
  return target;
}

/** Static imports and re-exports (`import type` and all-`type` specifier lists are type-only) and dynamic imports. */
function edgesOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8');
  const out: Edge[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+'([^']+)'/gm)) {
    const spec = m[4]!;
    if (!spec.startsWith('.')) continue;
    const names = /\{([^}]*)\}/.exec(m[3]!)?.[1];
    const allTypes = names !== undefined && /^\s*\{/.test(m[3]!) && names.split(',').filter((n) => n.trim()).every((n) => /^\s*type\s/.test(n));
    out.push({ from: file, to: resolveImport(file, spec), typeOnly: !!m[2] || allTypes });
  }
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) {
    if (m[1]!.startsWith('.')) out.push({ from: file, to: resolveImport(file, m[1]!), typeOnly: false });
  }
  return out;
}

const files = sources(SRC);
const edges = files.flatMap(edgesOf);

describe('the import rule between the folders of src/', () => {
  it('names every folder of src/ in the rule', () => {
    expect([...new Set(files.map(folderOf))].filter((f) => !(f in ALLOWED))).to.deep.equal([]);
  });

  it('lets each folder import only the folders the rule allows it', () => {
    const problems: string[] = [];
    for (const e of edges) {
      const a = folderOf(e.from);
      const b = folderOf(e.to);
      if (a === b) continue;
      if (!(ALLOWED[a] ?? []).includes(b)) problems.push(`${rel(e.from)} imports ${rel(e.to)} (${a} may import: ${(ALLOWED[a] ?? []).join(', ') || 'nothing'})`);
      else if (a === 'ui' && b === 'aws' && !e.typeOnly && rel(e.to) !== UI_VALUES_FROM_AWS) {
        problems.push(`${rel(e.from)} imports values from ${rel(e.to)} (ui may import only types from aws/, and values from ${UI_VALUES_FROM_AWS})`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('keeps the rule itself free of cycles between folders', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      if (done.has(f)) return;
      if (visiting.has(f)) {
        cycles.push([...trail.slice(trail.indexOf(f)), f].join(' -> '));
        return;
      }
      visiting.add(f);
      for (const g of ALLOWED[f] ?? []) visit(g, [...trail, f]);
      visiting.delete(f);
      done.add(f);
    };
    for (const f of Object.keys(ALLOWED)) visit(f, []);
    expect(cycles).to.deep.equal([]);
  });

  it('has no import cycle between modules', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'closed'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]): void => {
      const s = state.get(f);
      if (s === 'closed') return;
      if (s === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of next.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, 'closed');
    };
    for (const f of files) visit(f, []);
    expect(cycles).to.deep.equal([]);
  });

  it('finds the imports it checks (the scan is not vacuous)', () => {
    expect(edges.some((e) => folderOf(e.from) === 'convert' && folderOf(e.to) === 'errors')).to.equal(true);
    expect(edges.some((e) => folderOf(e.from) === 'ui' && rel(e.to) === UI_VALUES_FROM_AWS)).to.equal(true);
  });
});
