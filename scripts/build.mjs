// Builds the plugin into dist/: the compose-spec validator is precompiled (ajv standalone),
// then esbuild bundles the entry point and every oclif command with code splitting, so that a
// command loads only the code it uses (start-up time is the product: docker starts us often),
// and finally oclif writes its manifest so it never scans the commands at run time.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
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
  // oclif finds its plugins and commands on disk at run time; it stays a package.
  // Ink loads react-devtools-core only with DEV=true; it is not installed.
  external: ['@oclif/core', 'react-devtools-core'],
  // bundled CommonJS (the AWS SDK, ajv's standalone validator) may call require()
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
  legalComments: 'none',
  jsx: 'automatic',
});

rmSync('oclif.manifest.json', { force: true });
run(process.execPath, ['node_modules/oclif/bin/run.js', 'manifest']);

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
