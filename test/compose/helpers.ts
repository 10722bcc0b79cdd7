/**
 * Shared builders for the loader tests: an in-memory file reader and `loadProject`, which loads
 * a set of inline files as docker compose would from `/project`.
 */
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { UserError } from '../../src/errors.js';
import { load } from '../../src/compose/load.js';
import type { FileReader, LoadOptions, Project } from '../../src/compose/model.js';

export const repoRoot = posix.resolve(posix.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Files by absolute path (relative keys are placed under /project). */
export function memoryReader(files: Record<string, string>, stdin?: string): FileReader & { reads: string[] } {
  const abs: Record<string, string> = {};
  for (const [p, text] of Object.entries(files)) abs[posix.resolve('/project', p)] = text;
  const reads: string[] = [];
  return {
    reads,
    readFile(path: string): string {
      const text = abs[path];
      if (text === undefined) throw new Error(`test reader: no file ${path}`);
      reads.push(path);
      return text;
    },
    exists(path: string): boolean {
      return Object.prototype.hasOwnProperty.call(abs, path);
    },
    ...(stdin !== undefined ? { readStdin: () => stdin } : {}),
  };
}

export type TestLoadOptions = Partial<Omit<LoadOptions, 'reader'>> & { stdin?: string };

/** Load inline files from /project (cwd) with an otherwise empty environment. */
export function loadProject(files: Record<string, string>, options: TestLoadOptions = {}): Project {
  const { stdin, ...rest } = options;
  return load({ cwd: '/project', env: {}, reader: memoryReader(files, stdin), ...rest });
}

/** Load a single compose.yaml. */
export function loadCompose(yaml: string, options: TestLoadOptions = {}): Project {
  return loadProject({ 'compose.yaml': yaml }, options);
}

/** The one-line message the CLI would print for the UserError `fn` throws. */
export function loadError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.display();
    throw e;
  }
  expect.fail('expected the load to fail with a UserError');
}

/** Strip leading indentation so inline YAML can be indented with the test code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.match(/^ */)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
