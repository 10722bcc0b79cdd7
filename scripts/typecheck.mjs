// `npm run typecheck`: tsconfig.json (src, as built) and tsconfig.test.json (src, test, scripts)
// in one process. tsconfig.test.json extends tsconfig.json and holds every file of it, so when the
// options that decide types are the same, checking it checks src too; tsconfig.json then only
// needs its own program-level diagnostics (rootDir: src importing a file outside src, config
// errors), from source files already parsed. If the two configs ever differ in anything else,
// both are checked in full. Exit 1 with tsc's own messages on any error.
//
// `--result FILE` (used by scripts/test.mjs, which runs this beside mocha): print nothing, write
// {"errors": N, "text": "..."} to FILE instead (atomically) for the test summary to read.
import ts from 'typescript';
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const resultAt = process.argv.indexOf('--result');
const resultFile = resultAt >= 0 ? process.argv[resultAt + 1] : undefined;
let output = '';
const print = (text) => {
  if (resultFile) output += text;
  else process.stderr.write(text);
};

function parseConfig(name) {
  const file = path.join(root, name);
  const parsed = ts.getParsedCommandLineOfConfigFile(file, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      report([d]);
      finish(1, `typecheck: ${name} cannot be read\n`);
    },
  });
  if (!parsed) finish(1, `typecheck: ${name} cannot be read\n`);
  return parsed;
}

// one parse of each file for both programs
const parsedFiles = new Map();
function cachingHost(options) {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const key = `${fileName}\0${typeof languageVersion === 'object' ? JSON.stringify(languageVersion) : languageVersion}`;
    let sf = parsedFiles.get(key);
    if (!sf) {
      sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sf) parsedFiles.set(key, sf);
    }
    return sf;
  };
  return host;
}

function program(parsed) {
  return ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host: cachingHost(parsed.options),
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
}

/** Options that do not change how a file type-checks: where output goes and which files are in. */
const LAYOUT_ONLY = new Set(['rootDir', 'outDir', 'noEmit', 'configFilePath', 'declaration', 'sourceMap']);
function sameTypingOptions(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !LAYOUT_ONLY.has(k)));
  return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
function report(diagnostics) {
  if (diagnostics.length) print(resultFile ? ts.formatDiagnostics(diagnostics, formatHost) : ts.formatDiagnosticsWithColorAndContext(diagnostics, formatHost));
}

const started = Date.now();
const build = parseConfig('tsconfig.json');
const tests = parseConfig('tsconfig.test.json');
const testProgram = program(tests);
const diagnostics = [...ts.getPreEmitDiagnostics(testProgram)];

const covered = new Set(tests.fileNames.map((f) => path.resolve(f)));
const subset = build.fileNames.every((f) => covered.has(path.resolve(f)));
const buildProgram = program(build);
// getProgramDiagnostics (per file: rootDir, file resolution) is not in the public typings; without
// it, check in full
const programDiagnostics = typeof buildProgram.getProgramDiagnostics === 'function' ? buildProgram.getProgramDiagnostics.bind(buildProgram) : undefined;
if (programDiagnostics && subset && sameTypingOptions(build.options, tests.options)) {
  diagnostics.push(
    ...buildProgram.getConfigFileParsingDiagnostics(),
    ...buildProgram.getOptionsDiagnostics(),
    ...buildProgram.getGlobalDiagnostics(),
    ...buildProgram.getSourceFiles().flatMap((sf) => programDiagnostics(sf)),
  );
} else {
  diagnostics.push(...ts.getPreEmitDiagnostics(buildProgram));
}

report(ts.sortAndDeduplicateDiagnostics(diagnostics));
const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
const seconds = ((Date.now() - started) / 1000).toFixed(1);
finish(
  errors,
  errors
    ? `typecheck: ${errors} error(s) in tsconfig.json / tsconfig.test.json (${seconds} s)\n`
    : `typecheck: tsconfig.json and tsconfig.test.json clean (${build.fileNames.length} + ${tests.fileNames.length} files, ${seconds} s)\n`,
);

function finish(errors, line) {
  print(line);
  if (resultFile) {
    writeFileSync(`${resultFile}.tmp`, JSON.stringify({ errors, text: output }));
    renameSync(`${resultFile}.tmp`, resultFile);
  }
  process.exit(errors ? 1 : 0);
}
