/**
 * The golden corpus: every compose file under ../shared/corpus (beside the repository, so CI can
 * clone the repo anywhere with shared/ next to it), and the repository's own examples/<name> as
 * `example-<name>`, converted with no environment, rendered as YAML. Shared by the golden test
 * and scripts/regen-golden.ts.
 *
 * Per corpus directory `<name>`:
 * - `<name>.yaml`: the template, when the project converts;
 * - `<name>.diagnostics.txt`: the warnings, one per line, when the project converts;
 * - `<name>.error.txt`: the refusal (and hint), when it does not; every problem, one a line, when
 *   there are several.
 *
 * A clone without ../shared beside it still runs the examples; the tests that need the corpus
 * say in one line that they skip and why (`corpusSkipped`).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../src/errors.js';
import { load } from '../../src/compose/load.js';
import { nodeFileReader } from '../../src/compose/node-reader.js';
import { renderTemplate } from '../../src/cloudformation/serialize.js';
import { convertProject } from '../../src/convert/index.js';
import { readProjectFiles } from '../../src/cli/read-project-files.js';
import type { Template } from '../../src/cloudformation/template.js';
import { recordForLint } from '../support/cfn-lint.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden');
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** Whether ../shared/corpus is beside the repository (it is on our machines, not on a fresh clone elsewhere). */
export const CORPUS_PRESENT = existsSync(CORPUS_DIR);

/**
 * Registers, in the calling suite, the one pending test that says why the corpus tests did not
 * run: mocha's spec reporter prints it as one line and the summary counts it as skipped.
 */
export function corpusSkipped(what: string): void {
  it.skip(`${what}: skipped, because ${CORPUS_DIR} is not beside this clone (put shared/ next to the repository to run them)`);
}

const GOLDEN_SUFFIXES = ['.yaml', '.diagnostics.txt', '.error.txt'] as const;

/** Every golden file in test/golden (file names), sorted. */
export function goldenFiles(): string[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => GOLDEN_SUFFIXES.some((s) => f.endsWith(s)))
    .sort();
}

/** The corpus entry a golden file belongs to: its name without the suffix. */
export function goldenEntryName(file: string): string {
  const suffix = GOLDEN_SUFFIXES.find((s) => file.endsWith(s));
  return suffix ? file.slice(0, -suffix.length) : file;
}

/** Whether a golden file belongs to one of the repository's own examples (compared on any clone). */
export function isExampleGolden(file: string): boolean {
  return goldenEntryName(file).startsWith('example-');
}

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export interface CorpusEntry {
  name: string;
  dir: string;
  file: string;
}

function exampleEntries(): CorpusEntry[] {
  if (!existsSync(EXAMPLES_DIR)) return [];
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const dir = path.join(EXAMPLES_DIR, d.name);
      const file = COMPOSE_NAMES.find((n) => existsSync(path.join(dir, n)));
      return file ? [{ name: `example-${d.name}`, dir, file: path.join(dir, file) }] : [];
    });
}

/** The examples, then every corpus directory holding a compose file (one level under each collection), sorted by name. */
export function corpusEntries(): CorpusEntry[] {
  const out: CorpusEntry[] = exampleEntries();
  if (!existsSync(CORPUS_DIR)) return out.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const collection of readdirSync(CORPUS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const base = path.join(CORPUS_DIR, collection.name);
    for (const d of readdirSync(base, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const dir = path.join(base, d.name);
      const file = COMPOSE_NAMES.find((n) => existsSync(path.join(dir, n)));
      if (file) out.push({ name: d.name, dir, file: path.join(dir, file) });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export type CorpusResult =
  | { kind: 'template'; template: Template; yaml: string; diagnostics: string }
  | { kind: 'refused'; error: string };

export function convertCorpusEntry(entry: CorpusEntry): CorpusResult {
  const project = load({ cwd: entry.dir, env: {}, files: [entry.file], reader: nodeFileReader });
  try {
    const { template, diagnostics } = convertProject(project, { files: readProjectFiles(project) });
    recordForLint(template);
    return {
      kind: 'template',
      template,
      yaml: renderTemplate(template, 'yaml'),
      diagnostics: diagnostics.map((d) => `${d.message}\n`).join(''),
    };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { kind: 'refused', error: `${e.message}${e.options.hint ? `\n${e.options.hint}` : ''}\n` };
  }
}
