/**
 * "Every optional field optional" (issue #20): for every key the compose-spec schema allows on a
 * service and on the top-level networks, volumes, secrets and configs, a minimal value built from
 * the schema itself (a mapping holds only its required keys, a list one minimal item) is loaded
 * and converted. The answer is a template or one sentence (UserError), never a crash such as
 * `gpus: [{count: 1}]` gave ("Cannot read properties of undefined").
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { stringify } from 'yaml';
import { UserError } from '../../src/errors.js';
import { convertProject } from '../../src/convert/index.js';
import { loadProject, repoRoot } from './helpers.js';
import { recordForLint } from '../support/cfn-lint.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  enum?: unknown[];
  patternProperties?: Record<string, Schema>;
};

const root = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'docker-compose', 'schema', 'compose-spec.json'), 'utf8')) as Schema & { definitions: Record<string, Schema> };

function deref(s: Schema): Schema {
  let cur = s;
  for (let i = 0; cur.$ref && i < 20; i++) cur = root.definitions[cur.$ref.replace('#/definitions/', '')]!;
  return cur;
}

/** Every shape a value of `s` may take, each minimal (objects with only their required keys). */
function minimalValues(s: Schema, depth = 0): unknown[] {
  const d = deref(s);
  if (depth > 6) return [];
  if (d.enum) return [d.enum[0]];
  const alternatives = d.oneOf ?? d.anyOf;
  if (alternatives) return alternatives.flatMap((a) => minimalValues(a, depth + 1));
  const types = Array.isArray(d.type) ? d.type : d.type ? [d.type] : d.properties ? ['object'] : [];
  const out: unknown[] = [];
  for (const t of types) {
    if (t === 'object') {
      const obj: Record<string, unknown> = {};
      for (const k of d.required ?? []) obj[k] = minimalValues(d.properties?.[k] ?? {}, depth + 1)[0] ?? 'x';
      out.push(obj);
      // and one level of each optional key, so nested optional fields are left out too
      if (depth < 3) {
        for (const [k, ps] of Object.entries(d.properties ?? {})) {
          if (d.required?.includes(k)) continue;
          for (const v of minimalValues(ps, depth + 2).slice(0, 3)) out.push({ ...obj, [k]: v });
        }
      }
    } else if (t === 'array') {
      out.push([], ...(d.items ? minimalValues(d.items, depth + 1).slice(0, 2).map((v) => [v]) : []));
    } else if (t === 'string') out.push('x');
    else if (t === 'integer' || t === 'number') out.push(1);
    else if (t === 'boolean') out.push(true);
    else if (t === 'null') out.push(null);
  }
  return out;
}

/** The promise for one file: a template, or one sentence. */
function outcome(yaml: string): 'template' | 'refused' {
  try {
    recordForLint(convertProject(loadProject({ 'compose.yaml': yaml, x: 'x\n' }, { projectName: 'p' })).template);
    return 'template';
  } catch (e) {
    if (e instanceof UserError) return 'refused';
    throw new Error(`crashed on:\n${yaml}\n${(e as Error).stack}`);
  }
}

describe('compose-spec schema: every optional field optional', () => {
  const service = deref(root.definitions.service!);

  it('loads and converts a minimal value of every service key, or refuses it with a sentence', () => {
    const counts = { template: 0, refused: 0 };
    for (const [key, s] of Object.entries(service.properties ?? {}).sort()) {
      for (const value of minimalValues(s)) {
        const svc: Record<string, unknown> = { image: 'nginx' };
        svc[key] = value;
        counts[outcome(stringify({ services: { web: svc }, secrets: { x: { file: './x' } }, configs: { x: { file: './x' } } }))]++;
      }
    }
    expect(counts.template).to.be.greaterThan(100);
  });

  it('loads and converts a minimal value of every key of a top-level network, volume, secret and config', () => {
    for (const kind of ['network', 'volume', 'secret', 'config'] as const) {
      const def = deref(root.definitions[kind]!);
      for (const [key, s] of Object.entries(def.properties ?? {}).sort()) {
        for (const value of minimalValues(s)) {
          const entry: Record<string, unknown> = kind === 'secret' || kind === 'config' ? { file: './x' } : {};
          entry[key] = value;
          outcome(stringify({ services: { web: { image: 'nginx', [`${kind}s`]: ['x'] } }, [`${kind}s`]: { x: entry } }));
        }
      }
    }
  });
});
