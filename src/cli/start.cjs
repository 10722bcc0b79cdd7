'use strict';
// dist/cli/main.cjs, the file the sh launcher runs: starts the CLI bundle (core.cjs) from V8's
// code cache. Compiling the bundle's functions was the largest start-up cost after Node itself;
// Node 20 cannot cache ES modules (module.enableCompileCache is Node 22.1+), so the CLI is one
// CommonJS bundle compiled here through vm.Script with cachedData. A cache sits beside the
// bundle (or in the user's cache folder when that is read-only), named after the bundle's content
// hash, the Node version, the architecture and the command; V8 checks it again (its version, its
// flags, the source) and rejects it when it does not fit. A missing or rejected cache never fails
// the command: the bundle is compiled from source as usual, and a new cache is written once the
// command is done (scripts/build.mjs writes those of `--help` and `compose convert`).
// Kept small and free of dependencies: everything here runs on every start.
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { homedir } = require('node:os');
const { dirname, join } = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const BUNDLE_HASH = '__BUNDLE_HASH__';
// the words of the command ids (from the manifest, at build time)
const COMMAND_WORDS = new Set(__COMMAND_WORDS__);
const bundle = join(__dirname, 'core.cjs');

// One cache per command: a cache holds every function its run compiled, and V8 materialises all
// of them when it reads the cache, so `--help` reading the cache of `compose convert` paid for
// the loader and the converter it never runs. The command is guessed from argv's known command
// words (a wrong guess costs time, never behaviour); a command without its own cache yet starts
// from the build's cache of `compose convert` and writes its own when done.
const argv = process.argv.slice(2);
const words = argv.filter((a) => COMMAND_WORDS.has(a)).slice(0, 2);
const help = argv.some((a) => a === '--help' || a === '-h' || a === 'help');
const commandKey = `${help ? 'help' : 'run'}-${words.join('-') || 'root'}`;
const cacheName = (key) => `core-${BUNDLE_HASH}-${process.version}-${process.arch}-${key}.v8cache`;
// beside the bundle, or in the user's cache folder when the install is read-only (never a shared
// folder such as /tmp: V8 runs what a cache holds, so it must be as trusted as the bundle)
const userCache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'docker-ecs');
const ownCaches = [join(__dirname, cacheName(commandKey)), join(userCache, cacheName(commandKey))];
const fallbackCaches = [join(__dirname, cacheName('run-compose-convert')), join(userCache, cacheName('run-compose-convert'))];

function readFirst(files) {
  for (const file of files) {
    try {
      return readFileSync(file);
    } catch {
      // not there: the next place
    }
  }
  return undefined;
}
const ownCache = readFirst(ownCaches);
const cachedData = ownCache ?? readFirst(fallbackCaches);
// the bundle's import() calls (the AWS SDK and Ink, ES modules under dist/esm) come here: V8
// forgets a vm.Script's dynamic-import callback when the script is read from a code cache
const bundleUrl = pathToFileURL(bundle);
const importFromBundle = (specifier) => import(new URL(specifier, bundleUrl).href);

let script;
/** Compiles and runs the bundle (once): its exports are `main` and `command`. */
function loadCore() {
  const loaded = globalThis[Symbol.for('docker-ecs.core')];
  if (loaded) return loaded;
  // the build wraps the bundle in the CommonJS function header and checks that it is ASCII, so
  // it is read as latin1 (a copy, no UTF-8 decoding) and compiled as it is on disk
  script = new vm.Script(readFileSync(bundle, 'latin1'), { filename: bundle, cachedData });
  const core = { exports: {} };
  script.runInThisContext()(core.exports, createRequire(bundle), core, bundle, __dirname, importFromBundle);
  // the command files oclif loads through its manifest (dist/commands/**/*.cjs) take their class
  // from this instance of the bundle
  globalThis[Symbol.for('docker-ecs.core')] = core.exports;
  return core.exports;
}

function writeCache() {
  if (ownCache && !script.cachedDataRejected && !process.env.DOCKER_ECS_WRITE_CODE_CACHE) return;
  for (const file of ownCaches) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, file);
      return;
    } catch {
      // not writable: try the next place; with none, the bundle keeps compiling from source
    }
  }
}

/** Runs the CLI on this process's argv; the exit code is set when the command is done. */
function run() {
  loadCore()
    .main(argv)
    .then((code) => {
      process.exitCode = code;
      writeCache();
    });
}

module.exports = { loadCore, run };
if (require.main === module) run();
