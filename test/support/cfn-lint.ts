/**
 * Every template a test produces also goes through AWS's linter, `cfn-lint`, at error level.
 *
 * cfn-lint is a Python program that needs about 3.5 s to start, so templates are not linted one
 * by one: `recordForLint` collects them (deduplicated by content, remembering which tests made
 * each one), and the root `afterAll` hook lints them all in one call and fails the run with every
 * error, each attributed to the tests that produced the template. Where cfn-lint is not on PATH
 * (a fresh clone elsewhere) the hook prints one line and passes.
 *
 * Loaded for every mocha run by `.mocharc.json` (`require`), so it cannot be forgotten. Templates
 * arrive here from `expectValidTemplate` (every converter test and golden), and from the simulator
 * (every template the plugin sent to it, in-process or in a child process).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Context } from 'mocha';

interface Collected {
  body: string;
  origins: Set<string>;
}

const collected = new Map<string, Collected>();
let currentTest = '(outside any test)';

/** A template to lint at the end of the run; `origin` defaults to the running test's title. */
export function recordForLint(template: unknown, origin: string = currentTest): void {
  const body = typeof template === 'string' ? normalise(template) : JSON.stringify(template, null, 2);
  if (body === undefined) return;
  const entry = collected.get(body) ?? { body, origins: new Set<string>() };
  entry.origins.add(origin);
  collected.set(body, entry);
}

/** JSON bodies are re-indented so that line numbers mean something; YAML is kept as sent. */
function normalise(text: string): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text.trim() === '' ? undefined : text;
  }
}

export function currentTestTitle(): string {
  return currentTest;
}

export function collectedTemplateCount(): number {
  return collected.size;
}

export interface LintMatch {
  rule: string;
  level: string;
  message: string;
  /** `Resources/X/Properties/Y`, or the line when cfn-lint gives no path */
  where: string;
}

export type LintOutcome = { kind: 'unavailable' } | { kind: 'linted'; matches: LintMatch[][] };

interface CfnLintJsonMatch {
  Level: string;
  Message: string;
  Filename: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number }; Path?: Array<string | number> | null };
}

/** Lints the bodies in one cfn-lint call; the matches of each body, in order, errors only. */
export function lintBodies(bodies: readonly string[]): LintOutcome {
  if (bodies.length === 0) return { kind: 'linted', matches: [] };
  const dir = mkdtempSync(path.join(tmpdir(), 'cfn-lint-'));
  try {
    const files = bodies.map((body, i) => {
      const file = path.join(dir, `t${String(i).padStart(5, '0')}.${body.trimStart().startsWith('{') ? 'json' : 'yaml'}`);
      writeFileSync(file, body);
      return file;
    });
    // stdio for the file list would be nicer, but cfn-lint reads one template from stdin only
    const run = spawnSync('cfn-lint', ['--format', 'json', '--regions', 'us-east-1', '--', ...files], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'unavailable' };
    if (run.error) throw run.error;
    let parsed: CfnLintJsonMatch[];
    try {
      parsed = JSON.parse(run.stdout || '[]') as CfnLintJsonMatch[];
    } catch {
      throw new Error(`cfn-lint exited ${run.status} without JSON output:\n${run.stderr}${run.stdout}`);
    }
    const byFile = new Map(files.map((f, i) => [f, i]));
    const matches: LintMatch[][] = bodies.map(() => []);
    for (const m of parsed) {
      if (m.Level !== 'Error') continue;
      const i = byFile.get(m.Filename) ?? byFile.get(path.resolve(m.Filename));
      if (i === undefined) throw new Error(`cfn-lint reported a file it was not given: ${m.Filename}`);
      const where = m.Location.Path && m.Location.Path.length > 0 ? m.Location.Path.join('/') : `line ${m.Location.Start.LineNumber}`;
      matches[i]!.push({ rule: m.Rule.Id, level: m.Level, message: m.Message, where });
    }
    return { kind: 'linted', matches };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The failure text for the collected templates, or undefined when every one is clean. */
export function lintCollected(): string | undefined {
  const entries = [...collected.values()];
  const outcome = lintBodies(entries.map((e) => e.body));
  if (outcome.kind === 'unavailable') {
    console.log(`cfn-lint is not on PATH: the ${entries.length} templates the tests produced were not linted.`);
    return undefined;
  }
  const failing = entries.map((e, i) => ({ e, m: outcome.matches[i]! })).filter((x) => x.m.length > 0);
  if (failing.length === 0) {
    if (entries.length > 0) console.log(`cfn-lint: the ${entries.length} templates the tests produced have no error.`);
    return undefined;
  }
  const lines = [`cfn-lint found errors in ${failing.length} of the ${entries.length} templates the tests produced:`];
  for (const { e, m } of failing) {
    const origins = [...e.origins].sort();
    lines.push(`- template of: ${origins.slice(0, 3).join(' | ')}${origins.length > 3 ? ` (and ${origins.length - 3} more)` : ''}`);
    for (const x of m) lines.push(`    ${x.rule} ${x.where}: ${x.message}`);
  }
  return lines.join('\n');
}

export const mochaHooks = {
  beforeEach(this: Context): void {
    currentTest = this.currentTest?.fullTitle() ?? currentTest;
  },
  afterAll(this: Context): void {
    this.timeout(600_000);
    const failure = lintCollected();
    if (failure) throw new Error(failure);
  },
};

/** True when cfn-lint is on PATH. */
export function cfnLintAvailable(): boolean {
  return spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Lints these templates now, in one call (for tests that want the verdict inside themselves); the
 * error lines as `<name>: <rule> <path>: <message>`, empty when clean or when cfn-lint is missing.
 */
export function cfnLintErrors(templates: readonly { name: string; template: unknown }[]): string[] {
  const outcome = lintBodies(templates.map((t) => JSON.stringify(t.template, null, 2)));
  if (outcome.kind === 'unavailable') {
    console.log('      (cfn-lint is not installed: templates not linted)');
    return [];
  }
  return templates.flatMap((t, i) => outcome.matches[i]!.map((m) => `${t.name}: ${m.rule} ${m.where}: ${m.message}`));
}
