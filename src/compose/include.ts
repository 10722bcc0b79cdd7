/**
 * Pass, include: each `include` entry is loaded as its own project (its own project directory,
 * its own env files, its own relative paths; `path`, `env_file` and `project_directory` are
 * relative to the including project's directory) and its services, networks, volumes, secrets,
 * configs and models are added to the including file. A resource defined both here and in an
 * included project is an error unless both definitions are identical; a file that includes
 * itself, directly or not, is an error that prints the chain.
 */
import { posix } from 'node:path';
import { dict } from './dict.js';
import type { ComposeFile, LoadContext } from './context.js';
import { makeLookup } from './context.js';
import { parseDotEnv } from './dotenv.js';
import { displayName } from './display-name.js';
import { isMapping, Tagged, type RawMap, type RawValue } from './parse.js';
import { cloneRaw, entryPos, errorAt, setEntryPos, setPos, type Pos } from './positions.js';

const RESOURCE_KINDS = Object.freeze(['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const);

/** `dir`: the including project's directory, which relative include paths are read against (as compose-go). */
export function applyInclude(doc: RawMap, file: ComposeFile, dir: string, ctx: LoadContext): void {
  const include = doc.include;
  delete doc.include;
  if (!Array.isArray(include)) return;
  include.forEach((entry, index) => {
    const at = entryPos(include, index);
    const path = ['include', index];
    const spec = typeof entry === 'string' ? { path: entry } : isMapping(entry) ? entry : {};
    const listOf = (v: RawValue | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    const files = listOf(spec.path).map((p) => posix.resolve(dir, p));
    for (const f of files) {
      const problem = ctx.reader.problem?.(f);
      if (problem) throw errorAt(at, `include[${index}] refers to ${displayName(f, ctx.cwd)}, which ${problem}.`, path, 'Point the include at the compose file.');
      if (!ctx.reader.exists(f)) throw errorAt(at, `include[${index}] refers to ${displayName(f, ctx.cwd)}, which does not exist.`, path, 'Fix the include path.');
      const chain = [...ctx.includeChain, file.path];
      const loop = chain.indexOf(f);
      if (loop >= 0) {
        const names = [...chain.slice(loop), f].map((p) => displayName(p, ctx.cwd));
        throw errorAt(at, `include cycle: ${names.join(' -> ')}.`, path, 'Remove one of these includes.');
      }
    }
    const projectDir = typeof spec.project_directory === 'string' ? posix.resolve(dir, spec.project_directory) : posix.dirname(files[0]!);
    const envFiles = spec.env_file !== undefined ? listOf(spec.env_file).map((p) => posix.resolve(dir, p)) : [posix.join(projectDir, '.env')].filter((p) => ctx.reader.exists(p));
    const fromFiles: Record<string, string> = dict();
    for (const envFile of envFiles) {
      const problem = ctx.reader.problem?.(envFile);
      if (problem) throw errorAt(at, `include[${index}] names the env file ${displayName(envFile, ctx.cwd)}, which ${problem}.`, path, 'Point include.env_file at the env file.');
      if (!ctx.reader.exists(envFile)) throw errorAt(at, `include[${index}] names the env file ${displayName(envFile, ctx.cwd)}, which does not exist.`, path, 'Create it or fix include.env_file.');
      Object.assign(fromFiles, parseDotEnv(ctx.reader.readFile(envFile), displayName(envFile, ctx.cwd), makeLookup({ ...fromFiles, ...ctx.env })));
    }
    // the including project's variables win over the included project's env files
    const env = { ...fromFiles, ...ctx.env };
    const key = JSON.stringify([files, projectDir, Object.entries(env)]);
    let model = ctx.included.get(key);
    if (model === undefined) {
      const sub: LoadContext = { ...ctx, env, lookup: makeLookup(env), includeChain: [...ctx.includeChain, file.path], parsed: new Map(), documents: new Map() };
      model = ctx.loadModel(files.map((p) => ({ path: p, display: displayName(p, ctx.cwd) })), projectDir, sub);
      ctx.included.set(key, model);
    }
    // the later passes change the imported values in place: each include gets its own copy
    importResources(doc, cloneRaw(model), files[0]!, ctx, at);
  });
}

function importResources(doc: RawMap, imported: RawMap, from: string, ctx: LoadContext, includePos: Pos | undefined): void {
  for (const kind of RESOURCE_KINDS) {
    const theirs = imported[kind];
    if (!isMapping(theirs)) continue;
    let ours = doc[kind] instanceof Tagged ? (doc[kind] as Tagged).value : doc[kind];
    if (!isMapping(ours)) {
      ours = dict();
      if (includePos) setPos(ours, includePos);
      doc[kind] = ours;
      setEntryPos(doc, kind, includePos);
    }
    for (const name of Object.keys(theirs)) {
      if (Object.prototype.hasOwnProperty.call(ours, name)) {
        if (JSON.stringify(ours[name]) === JSON.stringify(theirs[name])) continue;
        const singular = kind.slice(0, -1);
        throw errorAt(entryPos(ours, name) ?? includePos, `${kind}.${name} conflicts with the ${singular} of the same name imported from ${displayName(from, ctx.cwd)}.`, [kind, name], 'Rename one of them.');
      }
      ours[name] = theirs[name]!;
      setEntryPos(ours, name, entryPos(theirs, name));
    }
  }
}
