// Builds the plugin into dist/: the compose-spec validator is precompiled (ajv standalone),
// then esbuild bundles the entry point and every oclif command with code splitting, so that a
// command loads only the code it uses (start-up time is the product: docker starts us often),
// and finally oclif writes its manifest so it never scans the commands at run time.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

function run(cmd, args) {
  // the oclif dev CLI would otherwise ask the registry for a newer version of itself
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, OCLIF_SKIP_NEW_VERSION_CHECK: 'true' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
  );
}

if (existsSync('scripts/gen-compose-validator.mjs')) run(process.execPath, ['scripts/gen-compose-validator.mjs']);

syncPluginMetadata();

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // What oclif requires only to run TypeScript sources in development (typescript, ts-node, tsx,
  // Yarn PnP) stays outside: bundled, typescript alone is 9 MB to parse on every start.
  // Ink loads react-devtools-core only with DEV=true; it is not installed.
  external: ['react-devtools-core', 'typescript', 'ts-node', 'tsx', 'tsx/*', 'pnpapi'],
  logLevel: 'warning',
  legalComments: 'none',
  jsx: 'automatic',
  // oclif's Node version check loads semver (and fails on __dirname in a bundle anyway); npm
  // checks package.json's engines at install time
  define: { 'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"true"' },
};

rmSync('dist', { recursive: true, force: true });

// 1. What stays an ES module, loaded on first use with import() (or require() of an ES module,
// Node >= 20.19): Ink's live view (Ink needs top-level await, which CommonJS cannot hold) and the
// AWS SDK clients, with code splitting so that the clients share one copy of the SDK's core.
const sdkPackages = [...new Set(walk('src').flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/(?:from |import\()'(@aws-sdk\/[a-z0-9-]+)'/g)].map((m) => m[1])))].sort();
const esmName = (pkg) => pkg.replace(/^@/, '').replace(/\//g, '-');
await build({
  ...common,
  entryPoints: { 'live-view': 'src/ui/tty/live-view.tsx', ...Object.fromEntries(sdkPackages.map((p) => [esmName(p), p])) },
  outdir: 'dist/esm',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  format: 'esm',
  // the AWS SDK's CommonJS build loses its named exports when split into chunks; take its ESM build
  mainFields: ['module', 'main'],
  // bundled CommonJS may call require()
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
});

// 2. Everything else is one CommonJS bundle, dist/cli/core.cjs, which dist/cli/main.cjs
// (src/cli/start.cjs) compiles through V8's code cache. Modules reached only through import() or
// require() stay lazy inside it (esbuild wraps them), so a command still runs only the code it
// uses. oclif is bundled too: loading its ~200 CommonJS files (and semver, ejs, minimatch, ...)
// one by one was the largest start-up cost. It still finds our commands on disk, through the
// manifest: each dist/commands/**/*.cjs hands it the class from this bundle.
const commandFiles = walk('src/commands');
const commandKey = (f) => relative('src/commands', f).replace(/\.tsx?$/, '').split(sep).join('/');
const coreEntry = `export { main } from './src/cli/main.ts';
const commands = {
${commandFiles.map((f) => `  ${JSON.stringify(commandKey(f))}: () => require(${JSON.stringify(`./${f.split(sep).join('/')}`)}),`).join('\n')}
};
export function command(key) {
  return commands[key]();
}
`;
const core = await build({
  ...common,
  stdin: { contents: coreEntry, resolveDir: root, sourcefile: 'core-entry.ts', loader: 'ts' },
  outfile: 'dist/cli/core.cjs',
  format: 'cjs',
  mainFields: ['module', 'main'],
  define: { ...common.define, 'import.meta.url': '__dockerEcsModuleUrl' },
  banner: { js: "const __dockerEcsModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  plugins: [
    esmOutside(sdkPackages, esmName),
    // node:child_process (shell detection on Windows), node:readline (flags read from stdin) and
    // node:perf_hooks (OCLIF_PERFORMANCE) are Node modules outside its start-up snapshot
    lazyRequires('@oclif/core', ['tinyglobby', 'minimatch', 'clean-stack', 'wrap-ansi', 'indent-string', 'ejs', 'node:child_process', 'node:readline', 'node:perf_hooks']),
    oclifEdits(),
  ],
});
// V8 drops vm.Script's importModuleDynamically when the script comes from a code cache (Node 20),
// so every import() of the bundle calls a function of src/cli/start.cjs instead, whose own
// import() resolves the specifier from the bundle's folder. The text "import()" in a message stays.
const coreText = readFileSync('dist/cli/core.cjs', 'utf8');
const dynamicImport = /(?<![\w$.])import\((?!\))/g;
const imports = coreText.match(dynamicImport)?.length ?? 0;
if (!imports) throw new Error('no import() left in dist/cli/core.cjs: check the dynamic-import rewrite in scripts/build.mjs');
// Wrapped here in the CommonJS function header, so that start.cjs compiles the file as it is
// (no 2 MB string concatenation on every start), and read there as latin1 (a copy; UTF-8
// decoding made a two-byte string of it): so it must be ASCII. esbuild escapes strings but
// leaves a few characters in regular expressions (µ in duration units, CSI in ansis) and
// comments; \uXXXX means the same there.
// (per UTF-16 unit: a surrogate pair escaped unit by unit is the same character, in a /u
// expression too)
const escaped = coreText
  .replace(dynamicImport, '__dockerEcsImport(')
  .replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const wrapped = `(function (exports, require, module, __filename, __dirname, __dockerEcsImport) {${escaped}\n})`;
writeFileSync('dist/cli/core.cjs', wrapped);
const bundleHash = createHash('sha256').update(readFileSync('dist/cli/core.cjs')).digest('hex').slice(0, 16);
const commandWords = [...new Set(commandFiles.flatMap((f) => commandKey(f).split('/')))].sort();
writeFileSync(
  'dist/cli/main.cjs',
  readFileSync('src/cli/start.cjs', 'utf8').replace("'__BUNDLE_HASH__'", `'${bundleHash}'`).replace('__COMMAND_WORDS__', JSON.stringify(commandWords)),
);
// for whoever runs the CLI file directly (`node dist/cli/main.js`, as before)
writeFileSync('dist/cli/main.js', "import { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./main.cjs').run();\n");
for (const f of commandFiles) {
  const key = commandKey(f);
  const out = join('dist/commands', `${key}.cjs`);
  mkdirSync(dirname(out), { recursive: true });
  const toMain = relative(dirname(out), 'dist/cli/main.cjs').split(sep).join('/');
  writeFileSync(out, `'use strict';\n// the class lives in the CLI bundle (scripts/build.mjs)\nmodule.exports = require(${JSON.stringify(toMain)}).loadCore().command(${JSON.stringify(key)});\n`);
}
if (core.metafile && Object.keys(core.metafile.inputs).some((f) => f.includes('node_modules/ink/'))) throw new Error('Ink ended up in the CommonJS bundle: it must load through import() of dist/esm/live-view.mjs');

rmSync('oclif.manifest.json', { force: true });
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']);

// The first code caches (src/cli/start.cjs): of `--help`, and of `compose convert` on the example
// (oclif's start, the loader, the converter and the YAML writer), which commands without a cache
// of their own start from. Run without Node flags from the environment, as docker starts us;
// later starts with another Node write their own.
for (const args of [['--help'], ['compose', '-f', 'examples/shop/compose.yaml', 'convert']]) {
  const env = { ...process.env, DOCKER_ECS_WRITE_CODE_CACHE: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  delete env.NODE_OPTIONS;
  const r = spawnSync(process.execPath, ['--', 'dist/cli/main.cjs', ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * The core bundle's imports of the AWS SDK and of Ink's live view point at their ES modules in
 * dist/esm (relative to dist/cli/core.cjs): a static import becomes require() of the ES module,
 * a dynamic one import() through Node's loader (src/cli/start.cjs).
 */
function esmOutside(sdkPackages, esmName) {
  return {
    name: 'esm-outside',
    setup(b) {
      b.onResolve({ filter: /^@aws-sdk\// }, (args) => {
        if (!sdkPackages.includes(args.path)) return undefined;
        if (args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
        return { path: `../esm/${esmName(args.path)}.mjs`, external: true };
      });
      b.onResolve({ filter: /^\.\/tty\/live-view\.js$/ }, () => ({ path: '../esm/live-view.mjs', external: true }));
    },
  };
}

/**
 * oclif requires these at the top of its modules but calls them only on some paths (command
 * discovery without a manifest, plugin patterns, error and help rendering). An esbuild plugin
 * hands oclif a proxy that requires the real module on first use, so a start that never uses one
 * never runs its initialisation. Whether a module is a function and an `__esModule` is read here,
 * at build time, so the proxy answers `__importDefault` and calls the way the module itself would.
 */
function lazyRequires(importerPackage, names) {
  const importerDir = join(root, 'node_modules', importerPackage);
  const requireFromImporter = createRequire(join(importerDir, 'package.json'));
  const shapes = new Map(names.map((n) => {
    const m = requireFromImporter(n);
    return [n, { callable: typeof m === 'function', esModule: Boolean(m && m.__esModule) }];
  }));
  return {
    name: 'lazy-requires',
    setup(b) {
      const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => {
        if (args.kind !== 'require-call' || !args.importer.includes(`/node_modules/${importerPackage}/`)) return undefined;
        return { path: args.path, namespace: 'lazy-require', pluginData: { resolveDir: args.resolveDir } };
      });
      b.onLoad({ filter: /.*/, namespace: 'lazy-require' }, (args) => {
        const { callable, esModule } = shapes.get(args.path);
        const contents = `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy(${callable ? '() => undefined' : '{}'}, {
  get: (_, k) => (k === '__esModule' ? ${esModule} : load()[k]),
  has: (_, k) => k in load(),
  apply: (_, self, a) => Reflect.apply(load(), self, a),
  construct: (_, a) => Reflect.construct(load(), a),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, k) => {
    const d = Object.getOwnPropertyDescriptor(load(), k);
    return d && { ...d, configurable: true };
  },
});
`;
        return { contents, loader: 'js', resolveDir: args.pluginData.resolveDir };
      });
    },
  };
}

/**
 * Three build-time edits of oclif's start-up path (oclif is pinned exactly; the build fails if a
 * line is not found, so a new version is looked at again):
 * - it sorts the command list with localeCompare on every start, and the first localeCompare of
 *   a process builds ICU's collator (40-130 ms here, more than the rest of oclif's start); our
 *   command ids are lower-case ASCII words, ':' and '-', which sort the same by code unit;
 * - help runs every summary and description through ejs (a template compile each, cold); a
 *   text without `<%` renders to itself;
 * - to learn whether it runs on WSL, oclif loads wsl-utils, which loads node:child_process (and
 *   with it net and dgram) for its PowerShell helpers before it answers with is-wsl's answer;
 *   oclif asks is-wsl itself.
 */
function oclifEdits() {
  const OCLIF_EDITS = [
    { file: 'lib/config/plugin.js', from: '.sort((a, b) => a.id.localeCompare(b.id));', to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));' },
    { file: 'lib/help/util.js', from: 'return ejs_1.default.render(t, context);', to: "return typeof t === 'string' && !t.includes('<%') ? t : ejs_1.default.render(t, context);" },
    { file: 'lib/util/os.js', from: "return (await import('wsl-utils')).isWsl ? 'wsl'", to: "return (await import('is-wsl')).default ? 'wsl'" },
  ];
  // real paths: esbuild resolves through a symlinked node_modules
  const byFile = new Map(OCLIF_EDITS.map((e) => [realpathSync(join(root, 'node_modules/@oclif/core', e.file)), e]));
  const applied = new Set();
  return {
    name: 'oclif-edits',
    setup(b) {
      b.onLoad({ filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/ }, (args) => {
        const edit = byFile.get(realpathSync(args.path));
        if (!edit) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(edit.from)) throw new Error(`${args.path}: "${edit.from}" is gone; check oclif's start-up again (scripts/build.mjs)`);
        applied.add(edit);
        return { contents: text.replace(edit.from, edit.to), loader: 'js' };
      });
      b.onEnd((result) => {
        if (result.errors.length) return;
        const missed = OCLIF_EDITS.filter((e) => !applied.has(e));
        if (missed.length) throw new Error(`oclif edits not applied: ${missed.map((e) => e.file).join(', ')} (scripts/build.mjs)`);
      });
    },
  };
}

/** Keeps the version in the plugin metadata (answered by the sh launcher) equal to package.json's. */
function syncPluginMetadata() {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  const metaFile = 'plugin-metadata/metadata.json';
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  if (meta.Version !== pkg.version) {
    meta.Version = pkg.version;
    writeFileSync(metaFile, JSON.stringify(meta, null, 2) + '\n');
  }
  const line = JSON.stringify(meta);
  const launcher = 'plugin-metadata/docker-ecs';
  const text = readFileSync(launcher, 'utf8');
  const next = text.replace(/^(\s*printf '%s\\n' ')(\{.*\})(')$/m, (_, a, _b, c) => `${a}${line}${c}`);
  if (next !== text) writeFileSync(launcher, next);
}
