/**
 * The compose loader: `load(options) -> Project`, reading files the way `docker compose` does.
 *
 * Pass order (after compose-go's loader; each pass is one file of this folder):
 *
 *   0. files.ts        env files (--env-file, else .env), then the compose files (-f, COMPOSE_FILE,
 *                      default names + override) and the project directory
 *      dotenv.ts       the interpolation environment: env files overlaid by the process env
 *   per compose file (document.ts, parseComposeFile):
 *   1. parse.ts        YAML -> raw tree with file:line positions, `!reset`/`!override` tags
 *   2.                 the top level must be a mapping
 *   3. schema.ts       compose-spec JSON schema, on the file as written (before interpolation)
 *   per project:
 *   4. project-name.ts -p, COMPOSE_PROJECT_NAME, the last `name:` of the files, the directory
 *                      base name; from here on it is COMPOSE_PROJECT_NAME for interpolation
 *   per compose file (document.ts, readDocument, then load.ts loadModel):
 *   5. interpolate.ts  ${VAR} in every string value
 *   6. canonical.ts    short syntax -> long syntax (ports, volumes, environment, depends_on, ...)
 *   7. extends.ts      services that extend others (same file, other file, chains; cycles refused)
 *   8. include.ts      included projects, each loaded by steps 1-10 with its own directory
 *   per project:
 *   9. merge.ts        the files merged in order (spec merge rules, !reset, !override), then
 *                      uniqueness (ports, volumes, secrets ... by key), then leftover tags dropped
 *  10. paths.ts        relative paths made absolute against the project directory
 *  11. bind.ts         raw tree -> typed model, with the real type checks (durations, sizes, ints);
 *                      resource names (<project>_<key>)
 *  12. graph.ts        depends_on cycles (all services)
 *  13. profiles.ts     --profile / COMPOSE_PROFILES; required dependencies on disabled services
 *  14.                 the implicit default network, when an enabled service uses it
 *  15. consistency.ts  references to undefined services, networks, volumes, secrets, configs
 *                      (enabled services, as compose-go)
 *  16. environment.ts  env_file contents + environment, valueless keys from the environment
 *      label-files.ts  label_file contents under labels
 *
 * Pure: files are read only through `options.reader`, the environment is `options.env`.
 */
import { posix } from 'node:path';
import { dict } from './dict.js';
import { UserError } from '../errors.js';
import { Binder, bindConfig, bindModel, bindNetwork, bindSecret, bindService, bindVolume } from './bind.js';
import { checkConsistency } from './consistency.js';
import { makeLookup, type ComposeFile, type LoadContext } from './context.js';
import { parseComposeFile, readDocument } from './document.js';
import { parseDotEnv } from './dotenv.js';
import { resolveEnvironment } from './environment.js';
import { displayName } from './display-name.js';
import { applyExtends } from './extends.js';
import { envFileDirectory, findComposeFiles } from './files.js';
import { checkDependencyCycles } from './graph.js';
import { interpolateTree } from './interpolate.js';
import { resolveLabelFiles } from './label-files.js';
import { applyInclude } from './include.js';
import { enforceUniqueness, mergeValues, stripTags } from './merge.js';
import type { LoadOptions, LoadWarning, Project, ServiceConfig } from './model.js';
import { isMapping, type RawMap } from './parse.js';
import { resolveProjectPaths } from './paths.js';
import { copyEntryPos, entryPos, setPos } from './positions.js';
import { applyProfiles } from './profiles.js';
import { projectName } from './project-name.js';
import { declaredSecretFiles, withoutSecretContent } from './secret-files.js';

export type { FileReader, LoadOptions, Project } from './model.js';

export function load(options: LoadOptions): Project {
  try {
    return loadProject(options);
  } catch (e) {
    if (!(e instanceof UserError) || !e.where?.file) throw e;
    // a failure in a file the project also declares as a secret is reported without its content
    const cwd = posix.resolve(options.cwd);
    let files: ComposeFile[];
    try {
      files = findComposeFiles({ cwd, files: options.files, composeFileEnv: options.env.COMPOSE_FILE, pathSeparator: options.env.COMPOSE_PATH_SEPARATOR, reader: options.reader, warnings: [] });
    } catch {
      throw e;
    }
    const first = files.find((f) => f.path !== '-');
    const projectDir = options.projectDirectory ? posix.resolve(cwd, options.projectDirectory) : first ? posix.dirname(first.path) : cwd;
    throw withoutSecretContent(e, declaredSecretFiles(files, projectDir, options.reader), cwd);
  }
}

function loadProject(options: LoadOptions): Project {
  const { reader } = options;
  const cwd = posix.resolve(options.cwd);
  const warnings: LoadWarning[] = [];
  const processEnv: Record<string, string> = dict();
  for (const key of Object.keys(options.env).sort()) {
    const v = options.env[key];
    if (v !== undefined) processEnv[key] = v;
  }

  // 0. env files, then the interpolation environment
  const envDir = envFileDirectory(cwd, options.projectDirectory, options.files);
  const envFiles = options.envFiles && options.envFiles.length > 0
    ? options.envFiles.map((f) => posix.resolve(cwd, f))
    : [posix.join(envDir, '.env')].filter((f) => reader.exists(f));
  const fromFiles: Record<string, string> = dict();
  for (const file of envFiles) {
    const problem = reader.exists(file) ? undefined : reader.problem?.(file);
    if (problem) throw new UserError(`env file ${displayName(file, cwd)} ${problem}.`, { hint: 'Check the --env-file path.' });
    if (!reader.exists(file)) throw new UserError(`env file ${displayName(file, cwd)} not found.`, { hint: 'Check the --env-file path.' });
    Object.assign(fromFiles, parseDotEnv(reader.readFile(file), displayName(file, cwd), makeLookup({ ...fromFiles, ...processEnv })));
  }
  const env: Record<string, string> = { ...fromFiles, ...processEnv };

  // 0. compose files and project directory
  const files = findComposeFiles({ cwd, searchDir: options.projectDirectory ? posix.resolve(cwd, options.projectDirectory) : undefined, files: options.files, composeFileEnv: env.COMPOSE_FILE, pathSeparator: env.COMPOSE_PATH_SEPARATOR, reader, warnings });
  const firstFile = files.find((f) => f.path !== '-');
  const projectDir = options.projectDirectory ? posix.resolve(cwd, options.projectDirectory) : firstFile ? posix.dirname(firstFile.path) : cwd;

  // 1-4. parse and check each file, then the project name (COMPOSE_PROJECT_NAME while interpolating)
  const parsed = new Map<string, RawMap>();
  let topLevel: { value: string; file?: string; line?: number } | undefined;
  for (const file of files) {
    const doc = parseComposeFile(file, reader, parsed, warnings);
    if (typeof doc.name !== 'string' || doc.name === '') continue;
    const holder: RawMap = { name: doc.name };
    copyEntryPos(doc, 'name', holder, 'name');
    interpolateTree(holder, makeLookup(env), [], new Set());
    const pos = entryPos(doc, 'name');
    if (holder.name) topLevel = { value: String(holder.name), file: pos?.file, line: pos?.line };
  }
  const name = projectName({ flag: options.projectName, env: env.COMPOSE_PROJECT_NAME, topLevel, projectDir, warnings });
  env.COMPOSE_PROJECT_NAME = name;

  const ctx: LoadContext = {
    reader,
    cwd,
    env,
    lookup: makeLookup(env),
    home: env.HOME,
    warnings,
    warned: new Set(),
    includeChain: [],
    parsed,
    documents: new Map(),
    included: new Map(),
    loadModel,
  };

  // 5-10
  const raw = loadModel(files, projectDir, ctx);
  delete raw.name;

  // 11. bind
  const b = new Binder(raw);
  const group = (key: string): RawMap => (isMapping(raw[key]) ? (raw[key] as RawMap) : {});
  const all: Record<string, ServiceConfig> = dict();
  const services = group('services');
  for (const svc of Object.keys(services).sort()) all[svc] = bindService(b, svc, services[svc]!);
  const sortedBind = <T>(key: string, fn: (k: string, v: RawMap[string]) => T): Record<string, T> => {
    const src = group(key);
    const out: Record<string, T> = dict();
    for (const k of Object.keys(src).sort()) out[k] = fn(k, src[k]!);
    return out;
  };
  const networks = sortedBind('networks', (k, v) => bindNetwork(b, k, v, name));
  const volumes = sortedBind('volumes', (k, v) => bindVolume(b, k, v, name));
  const secrets = sortedBind('secrets', (k, v) => bindSecret(b, k, v, name));
  const configs = sortedBind('configs', (k, v) => bindConfig(b, k, v, name));
  const models = sortedBind('models', (k, v) => bindModel(b, k, v));

  // 12. depends_on cycles, over every service
  checkDependencyCycles(all);

  // 13. profiles
  const active = (options.profiles && options.profiles.length > 0 ? options.profiles : (env.COMPOSE_PROFILES ?? '').split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const { enabled, disabled } = applyProfiles(all, active);

  // 14. implicit default network (declared when an enabled service uses it)
  let usesDefault = false;
  for (const svc of Object.values(all)) {
    if (svc.network_mode === undefined && (svc.networks === undefined || Object.keys(svc.networks).length === 0)) svc.networks = { default: null };
    if (enabled[svc.name] && svc.networks && 'default' in svc.networks) usesDefault = true;
  }
  if (usesDefault && !networks.default) {
    networks.default = { name: `${name}_default`, extensions: {} };
    const sorted = Object.fromEntries(Object.entries(networks).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const k of Object.keys(networks)) delete networks[k];
    Object.assign(networks, sorted);
  }

  // 15-16. as compose-go, only enabled services must be consistent and get their environment read
  checkConsistency(b, enabled, Object.keys(all), { networks, volumes, secrets, configs });
  for (const svc of Object.values(enabled)) {
    resolveEnvironment(svc, raw, ctx);
    resolveLabelFiles(svc, raw, ctx);
  }

  const extensions: Record<string, unknown> = dict();
  for (const k of Object.keys(raw).sort()) if (k.startsWith('x-')) extensions[k] = raw[k];

  return {
    name,
    workingDir: projectDir,
    composeFiles: files.map((f) => f.path),
    services: enabled,
    disabledServices: disabled,
    networks,
    volumes,
    secrets,
    configs,
    models,
    profiles: [...new Set(active)].sort(),
    environment: env,
    extensions,
    warnings,
  };
}

/** Passes 5-10 for one set of files sharing a project directory (the project, or an include). */
function loadModel(files: readonly ComposeFile[], workingDir: string, ctx: LoadContext): RawMap {
  let merged: RawMap | undefined;
  for (const file of files) {
    const doc = readDocument(file, ctx);
    applyExtends(doc, file, workingDir, ctx);
    applyInclude(doc, file, workingDir, ctx);
    merged = merged === undefined ? doc : (mergeValues(merged, doc, []) as RawMap);
  }
  if (merged === undefined) {
    merged = dict();
    setPos(merged, { file: files[0]?.display ?? '', line: 1, column: 1 });
  }
  enforceUniqueness(merged);
  stripTags(merged);
  resolveProjectPaths(merged, { baseDir: workingDir, home: ctx.home });
  return merged;
}
