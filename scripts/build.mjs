// Builds the plugin into dist/: the compose-spec validator is precompiled (ajv standalone),
// then esbuild bundles the entry point and every oclif command with code splitting, so that a
// command loads only the code it uses (start-up time is the product: docker starts us often),
// and finally oclif writes its manifest so it never scans the commands at run time.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/main.ts', ...walk('src/commands')],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // the AWS SDK's CommonJS build loses its named exports when split into chunks; take its ESM build
  mainFields: ['module', 'main'],
  // oclif is bundled too: loading its ~200 CommonJS files (and semver, ejs, minimatch, ...) one by
  // one was the largest start-up cost. It still finds our commands on disk, through the manifest.
  // What oclif requires only to run TypeScript sources in development (typescript, ts-node, tsx,
  // Yarn PnP) stays outside: bundled, typescript alone is 9 MB to parse on every start.
  // Ink loads react-devtools-core only with DEV=true; it is not installed.
  external: ['react-devtools-core', 'typescript', 'ts-node', 'tsx', 'tsx/*', 'pnpapi'],
  // bundled CommonJS (the AWS SDK, ajv's standalone validator) may call require()
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  legalComments: 'none',
  jsx: 'automatic',
  // oclif's Node version check loads semver (and fails on __dirname in a bundle anyway); npm
  // checks package.json's engines at install time
  define: { 'process.env.OCLIF_DISABLE_ENGINE_WARNING': '"true"' },
  plugins: [lazyRequires('@oclif/core', ['tinyglobby', 'minimatch', 'clean-stack', 'wrap-ansi', 'indent-string', 'ejs']), oclifEdits()],
});

rmSync('oclif.manifest.json', { force: true });
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']);

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
 * Two build-time edits of oclif's start-up path (oclif is pinned exactly; the build fails if a
 * line is not found, so a new version is looked at again):
 * - it sorts the command list with localeCompare on every start, and the first localeCompare of
 *   a process builds ICU's collator (40-130 ms here, more than the rest of oclif's start); our
 *   command ids are lower-case ASCII words, ':' and '-', which sort the same by code unit;
 * - help runs every summary and description through ejs (a template compile each, cold); a
 *   text without `<%` renders to itself.
 */
function oclifEdits() {
  const OCLIF_EDITS = [
    { file: 'lib/config/plugin.js', from: '.sort((a, b) => a.id.localeCompare(b.id));', to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));' },
    { file: 'lib/help/util.js', from: 'return ejs_1.default.render(t, context);', to: "return typeof t === 'string' && !t.includes('<%') ? t : ejs_1.default.render(t, context);" },
  ];
  const byFile = new Map(OCLIF_EDITS.map((e) => [join(root, 'node_modules/@oclif/core', e.file), e]));
  return {
    name: 'oclif-edits',
    setup(b) {
      b.onLoad({ filter: /[\\/]@oclif[\\/]core[\\/]lib[\\/].*\.js$/ }, (args) => {
        const edit = byFile.get(args.path);
        if (!edit) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes(edit.from)) throw new Error(`${args.path}: "${edit.from}" is gone; check oclif's start-up again (scripts/build.mjs)`);
        return { contents: text.replace(edit.from, edit.to), loader: 'js' };
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
