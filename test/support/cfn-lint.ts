/**
 * cfn-lint (AWS's CloudFormation linter) over templates a test file produced, at error level, in
 * one invocation (start-up is most of its cost). Skips with one printed line when cfn-lint is not
 * installed, so a clone elsewhere still passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Template } from '../../src/cloudformation/template.js';

let available: boolean | undefined;

export function cfnLintAvailable(): boolean {
  available ??= spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' }).status === 0;
  return available;
}

/** Lints every template; returns the error lines (empty when clean or when cfn-lint is missing). */
export function cfnLintErrors(templates: readonly { name: string; template: Template }[]): string[] {
  if (templates.length === 0) return [];
  if (!cfnLintAvailable()) {
    console.log('      (cfn-lint is not installed: templates not linted)');
    return [];
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'cfn-lint-'));
  try {
    const files = templates.map((t, i) => {
      const file = path.join(dir, `${String(i).padStart(3, '0')}-${t.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.json`);
      writeFileSync(file, JSON.stringify(t.template));
      return file;
    });
    const run = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return (run.stdout ?? '')
      .split('\n')
      .filter((line) => /:E\d{4}:/.test(line));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
