/**
 * CloudFormation templates: parsing (JSON, or YAML with long-form `Ref:` / `Fn::GetAtt:` and the
 * short `!Ref` / `!GetAtt` / `!Sub` tags), dependencies, conditions and intrinsic functions.
 */
import { parse as parseYaml } from 'yaml';
import { validation } from '../errors.js';

export interface ResourceDef {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Condition?: string;
  Metadata?: unknown;
}

export interface Template {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Parameters?: Record<string, { Type?: string; Default?: unknown; Description?: string; NoEcho?: boolean }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources: Record<string, ResourceDef>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: { Name: unknown }; Condition?: string }>;
}

const SHORT_FNS = ['Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'And', 'Equals', 'If', 'Not', 'Or'];

function yamlTags(): unknown[] {
  const tags: unknown[] = [
    { tag: '!Ref', resolve: (v: string) => ({ Ref: v }) },
    { tag: '!Condition', resolve: (v: string) => ({ Condition: v }) },
    { tag: '!GetAtt', resolve: (v: string) => ({ 'Fn::GetAtt': v.split('.') }) },
    { tag: '!GetAtt', collection: 'seq', resolve: (v: { toJSON(): unknown }) => ({ 'Fn::GetAtt': v.toJSON() }) },
  ];
  for (const fn of SHORT_FNS) {
    tags.push({ tag: `!${fn}`, resolve: (v: string) => ({ [`Fn::${fn}`]: v }) });
    tags.push({ tag: `!${fn}`, collection: 'seq', resolve: (v: { toJSON(): unknown }) => ({ [`Fn::${fn}`]: v.toJSON() }) });
    tags.push({ tag: `!${fn}`, collection: 'map', resolve: (v: { toJSON(): unknown }) => ({ [`Fn::${fn}`]: v.toJSON() }) });
  }
  return tags;
}

export function parseTemplate(body: string): Template {
  let doc: unknown;
  const trimmed = body.trimStart();
  try {
    if (trimmed.startsWith('{')) doc = JSON.parse(body);
    else doc = parseYaml(body, { customTags: yamlTags() as never, uniqueKeys: false });
  } catch (e) {
    throw validation(`Template format error: ${trimmed.startsWith('{') ? 'JSON' : 'YAML'} not well-formed. (${(e as Error).message.split('\n')[0]})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw validation('Template format error: unsupported structure.');
  const t = doc as Template;
  if (!t.Resources || typeof t.Resources !== 'object' || Object.keys(t.Resources).length === 0) {
    throw validation('Template format error: At least one Resources member must be defined.');
  }
  for (const [id, r] of Object.entries(t.Resources)) {
    if (!r || typeof r !== 'object' || typeof r.Type !== 'string') {
      throw validation(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
    if (!/^[A-Za-z0-9]+$/.test(id)) throw validation(`Template format error: Resource name ${id} is non alphanumeric.`);
  }
  return t;
}

/** Logical ids referenced by Ref / Fn::GetAtt / Fn::Sub `${X}` / `${X.Attr}` anywhere in `v`. */
export function references(v: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(v)) {
    for (const x of v) references(x, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref' && typeof x === 'string') out.add(x);
      else if (k === 'Fn::GetAtt') {
        const target = Array.isArray(x) ? x[0] : typeof x === 'string' ? x.split('.')[0] : undefined;
        if (typeof target === 'string') out.add(target);
        if (Array.isArray(x)) references(x.slice(1), out);
      } else if (k === 'Fn::Sub') {
        const [str, vars] = Array.isArray(x) ? [x[0], x[1]] : [x, undefined];
        const local = new Set(Object.keys((vars as object) ?? {}));
        if (typeof str === 'string') {
          for (const m of str.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const name = m[1]!.split('.')[0]!.trim();
            if (!local.has(name)) out.add(name);
          }
        }
        if (vars) references(vars, out);
      } else references(x, out);
    }
  }
  return out;
}

/** Each Ref (`{ id }`) and Fn::GetAtt / `${X.Attr}` (`{ id, attr }`) in `v`. */
export function referenceSites(v: unknown, out: Array<{ id: string; attr?: string }> = []): Array<{ id: string; attr?: string }> {
  if (Array.isArray(v)) {
    for (const x of v) referenceSites(x, out);
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'Ref' && typeof x === 'string') out.push({ id: x });
      else if (k === 'Fn::GetAtt') {
        const [id, ...attr] = Array.isArray(x) ? x.map(String) : String(x).split('.');
        if (id) out.push({ id, attr: attr.join('.') });
      } else if (k === 'Fn::Sub') {
        const [str, vars] = Array.isArray(x) ? [x[0], x[1]] : [x, undefined];
        const local = new Set(Object.keys((vars as object) ?? {}));
        if (typeof str === 'string') {
          for (const m of str.matchAll(/\$\{([^!}][^}]*)\}/g)) {
            const [id, ...attr] = m[1]!.trim().split('.');
            if (id && !local.has(id)) out.push(attr.length ? { id, attr: attr.join('.') } : { id });
          }
        }
        if (vars) referenceSites(vars, out);
      } else referenceSites(x, out);
    }
  }
  return out;
}

/** Direct dependencies of each resource on other resources of the template. */
export function dependencyGraph(t: Template, active: Set<string>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  const params = new Set(Object.keys(t.Parameters ?? {}));
  for (const id of active) {
    const r = t.Resources[id]!;
    const deps = new Set<string>();
    const refs = references(r.Properties ?? {});
    const dependsOn = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
    for (const d of dependsOn) {
      if (!t.Resources[d]) throw validation(`Template format error: Unresolved resource dependencies [${d}] in the Resources block of the template`);
      refs.add(d);
    }
    const unresolved: string[] = [];
    for (const ref of refs) {
      if (ref.startsWith('AWS::')) continue;
      if (params.has(ref)) continue;
      if (t.Resources[ref]) {
        if (active.has(ref)) deps.add(ref);
        continue;
      }
      unresolved.push(ref);
    }
    if (unresolved.length) {
      throw validation(`Template format error: Unresolved resource dependencies [${unresolved.join(', ')}] in the Resources block of the template`);
    }
    graph.set(id, deps);
  }
  // Cycle check (iterative DFS over a bounded graph).
  const state = new Map<string, number>();
  const visit = (start: string): void => {
    const stack: Array<[string, string[]]> = [[start, [...(graph.get(start) ?? [])]]];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const next = top[1].pop();
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      const s = state.get(next);
      if (s === 1) {
        const cycle = stack.map((f) => f[0]);
        const from = cycle.indexOf(next);
        throw validation(`Circular dependency between resources: [${cycle.slice(from).join(', ')}]`);
      }
      if (s === undefined) {
        state.set(next, 1);
        stack.push([next, [...(graph.get(next) ?? [])]]);
      }
    }
  };
  for (const id of graph.keys()) if (!state.has(id)) visit(id);
  return graph;
}

/** Topological order (creation order); ties in template order. */
export function topoOrder(graph: Map<string, Set<string>>): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  for (let guard = 0; guard < graph.size + 1 && order.length < graph.size; guard++) {
    for (const [id, deps] of graph) {
      if (done.has(id)) continue;
      if ([...deps].every((d) => done.has(d))) {
        done.add(id);
        order.push(id);
      }
    }
  }
  return order;
}

export const NO_VALUE = Symbol('AWS::NoValue');

export interface EvalContext {
  params: Record<string, unknown>;
  pseudo: Record<string, unknown>;
  conditions: Record<string, boolean>;
  mappings: Template['Mappings'];
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attr: string): unknown;
  azs: string[];
}

export function evaluateConditions(t: Template, ctx: Omit<EvalContext, 'conditions'>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const defs = t.Conditions ?? {};
  const full: EvalContext = { ...ctx, conditions: out };
  const resolveCond = (name: string, depth: number): boolean => {
    if (name in out) return out[name]!;
    if (!(name in defs)) throw validation(`Template format error: Unresolved condition dependency ${name} in Fn::If`);
    if (depth > 50) throw validation('Template format error: circular condition');
    out[name] = Boolean(evaluate(defs[name], { ...full, conditions: new Proxy(out, { get: (_t, p: string) => resolveCond(p, depth + 1), has: () => true }) }));
    return out[name]!;
  };
  for (const name of Object.keys(defs)) resolveCond(name, 0);
  return out;
}

/** Evaluate intrinsic functions; `{Ref: AWS::NoValue}` entries are dropped. */
export function evaluate(v: unknown, ctx: EvalContext): unknown {
  const r = ev(v, ctx, 0);
  return r === NO_VALUE ? undefined : r;
}

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(str).join(',');
  return JSON.stringify(v);
}

function ev(v: unknown, ctx: EvalContext, depth: number): unknown {
  if (depth > 100) throw validation('Template error: too deeply nested');
  if (Array.isArray(v)) return v.map((x) => ev(x, ctx, depth + 1)).filter((x) => x !== NO_VALUE);
  if (!v || typeof v !== 'object') return v;
  const entries = Object.entries(v);
  if (entries.length === 1) {
    const [k, arg] = entries[0]!;
    switch (k) {
      case 'Ref': {
        const name = String(arg);
        if (name === 'AWS::NoValue') return NO_VALUE;
        if (name in ctx.pseudo) return ctx.pseudo[name];
        if (name in ctx.params) return ctx.params[name];
        return ctx.ref(name);
      }
      case 'Fn::GetAtt': {
        const [id, ...rest] = Array.isArray(arg) ? (arg as unknown[]).map((x) => str(ev(x, ctx, depth + 1))) : String(arg).split('.');
        return ctx.getAtt(id!, rest.join('.'));
      }
      case 'Fn::Sub': {
        const [tmpl, vars] = Array.isArray(arg) ? [arg[0], arg[1] as Record<string, unknown>] : [arg, {}];
        const local: Record<string, unknown> = {};
        for (const [name, x] of Object.entries(vars ?? {})) local[name] = ev(x, ctx, depth + 1);
        return String(tmpl).replace(/\$\{([^}]*)\}/g, (whole, expr: string) => {
          if (expr.startsWith('!')) return '${' + expr.slice(1) + '}';
          const name = expr.trim();
          if (name in local) return str(local[name]);
          if (name in ctx.pseudo) return str(ctx.pseudo[name]);
          if (name in ctx.params) return str(ctx.params[name]);
          const dot = name.indexOf('.');
          if (dot > 0) return str(ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)));
          return str(ctx.ref(name));
        });
      }
      case 'Fn::Join': {
        const [sep, items] = arg as [string, unknown];
        const list = ev(items, ctx, depth + 1);
        return (Array.isArray(list) ? list : [list]).map(str).join(String(sep));
      }
      case 'Fn::Select': {
        const [index, items] = arg as [unknown, unknown];
        const list = ev(items, ctx, depth + 1) as unknown[];
        return list[Number(ev(index, ctx, depth + 1))];
      }
      case 'Fn::Split': {
        const [sep, s] = arg as [string, unknown];
        return str(ev(s, ctx, depth + 1)).split(sep);
      }
      case 'Fn::Base64':
        return Buffer.from(str(ev(arg, ctx, depth + 1))).toString('base64');
      case 'Fn::GetAZs':
        return ctx.azs;
      case 'Fn::FindInMap': {
        const [m, k1, k2] = (arg as unknown[]).map((x) => str(ev(x, ctx, depth + 1)));
        const val = ctx.mappings?.[m!]?.[k1!]?.[k2!];
        if (val === undefined) throw validation(`Template error: Unable to get mapping for ${m}::${k1}::${k2}`);
        return val;
      }
      case 'Fn::If': {
        const [cond, a, b] = arg as [string, unknown, unknown];
        return ctx.conditions[cond] ? ev(a, ctx, depth + 1) : ev(b, ctx, depth + 1);
      }
      case 'Fn::Equals': {
        const [a, b] = arg as [unknown, unknown];
        return str(ev(a, ctx, depth + 1)) === str(ev(b, ctx, depth + 1));
      }
      case 'Fn::Not':
        return !ev((arg as unknown[])[0], ctx, depth + 1);
      case 'Fn::And':
        return (arg as unknown[]).every((x) => ev(x, ctx, depth + 1));
      case 'Fn::Or':
        return (arg as unknown[]).some((x) => ev(x, ctx, depth + 1));
      case 'Condition':
        if (typeof arg === 'string') return ctx.conditions[arg];
        break;
      case 'Fn::ImportValue':
        throw validation(`No export named ${str(ev(arg, ctx, depth + 1))} found`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of entries) {
    const r = ev(x, ctx, depth + 1);
    if (r !== NO_VALUE) out[k] = r;
  }
  return out;
}
