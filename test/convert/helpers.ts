import { UserError } from '../../src/errors.js';
/**
 * Shared builders for the converter tests: load a small inline compose file through the real
 * loader (in-memory files), convert it, and check the template against the resource spec, so every
 * template a test produces is validated.
 */
import path from 'node:path';
import { load } from '../../src/compose/load.js';
import type { FileReader, Project } from '../../src/compose/model.js';
import { convertProject, type ConvertOptions, type Diagnostic } from '../../src/convert/index.js';
import type { Resource, Template } from '../../src/cloudformation/template.js';
import { expectValidTemplate } from '../support/cfn-spec.js';

export const PROJECT_DIR = '/project';

export function memoryReader(files: Record<string, string>): FileReader {
  const abs = (p: string) => path.posix.resolve(PROJECT_DIR, p);
  const byPath = new Map(Object.entries(files).map(([p, text]) => [abs(p), text]));
  return {
    readFile(p: string): string {
      const text = byPath.get(abs(p));
      if (text === undefined) throw new Error(`test reader: no file ${p}`);
      return text;
    },
    exists: (p: string) => byPath.has(abs(p)),
    realpath: (p: string) => abs(p),
  };
}

export interface ConvertYamlOptions extends ConvertOptions {
  /** more files beside compose.yaml (env files, overrides) */
  files?: Record<string, string>;
  projectName?: string;
}

export function loadYaml(yaml: string, options: ConvertYamlOptions = {}): Project {
  return load({
    cwd: PROJECT_DIR,
    env: {},
    projectName: options.projectName ?? 'app',
    reader: memoryReader({ 'compose.yaml': yaml, ...options.files }),
  });
}

/** compose YAML in, validated template out. */
export function convertYaml(yaml: string, options: ConvertYamlOptions = {}): { template: Template; diagnostics: Diagnostic[]; project: Project } {
  const project = loadYaml(yaml, options);
  const { template, diagnostics } = convertProject(project, { environment: options.environment });
  expectValidTemplate(template);
  return { template, diagnostics, project };
}

export function resource(t: Template, id: string): Resource {
  const r = t.Resources[id];
  if (!r) throw new Error(`no resource ${id}; have ${Object.keys(t.Resources).sort().join(', ')}`);
  return r;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function props(t: Template, id: string): any {
  return resource(t, id).Properties ?? {};
}

export function idsOfType(t: Template, type: string): string[] {
  return Object.keys(t.Resources)
    .filter((id) => t.Resources[id]!.Type === type)
    .sort();
}

/** The service's own container (not its secrets init container). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function container(t: Template, service: string): any {
  const id = `${service.charAt(0).toUpperCase()}${service.slice(1).replace(/[^a-zA-Z0-9]/g, '')}TaskDefinition`;
  return props(t, id).ContainerDefinitions.find((c: { Name: string }) => c.Name === service);
}

/** The UserError converting this compose file raises; fails the test when there is none. */
export function refusal(yaml: string, files: Record<string, string> = {}): UserError {
  try {
    convertYaml(yaml, { files });
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}
