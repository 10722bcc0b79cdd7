/**
 * What each mapping module returns, and the assembler that puts fragments together.
 * Modules never touch a shared template: each returns its own resources, and `assemble` merges
 * them, refusing a logical ID produced twice (a naming collision would otherwise silently drop a
 * resource).
 */
import { UserError, type Diagnostic } from '../errors.js';
import { OWNER_METADATA } from './naming.js';
import { TEMPLATE_FORMAT_VERSION, type Output, type Parameter, type Resource, type Template, type Value } from '../cloudformation/template.js';

export interface Fragment {
  /** keyed by logical IDs built in naming.ts */
  resources?: Record<string, Resource>;
  parameters?: Record<string, Parameter>;
  outputs?: Record<string, Output>;
  metadata?: Record<string, Value>;
  diagnostics?: Diagnostic[];
}

function mergeUnique<T>(into: Record<string, T>, from: Record<string, T> | undefined, what: string): void {
  if (!from) return;
  for (const [key, value] of Object.entries(from)) {
    if (key in into) {
      throw new UserError(`Two parts of the project both produce the ${what} ${key}; rename one of the services, networks or volumes involved.`);
    }
    into[key] = value;
  }
}

/** The fragment with every resource marked as made for `service` (resource Metadata, read by aws/template-facts.ts). */
export function ownedBy(service: string, fragment: Fragment): Fragment {
  if (!fragment.resources) return fragment;
  const resources = Object.fromEntries(
    Object.entries(fragment.resources).map(([id, r]) => [id, { ...r, Metadata: { ...r.Metadata, [OWNER_METADATA]: service } }]),
  );
  return { ...fragment, resources };
}

export function assemble(fragments: readonly Fragment[]): { template: Template; diagnostics: Diagnostic[] } {
  const resources: Record<string, Resource> = {};
  const parameters: Record<string, Parameter> = {};
  const outputs: Record<string, Output> = {};
  const metadata: Record<string, Value> = {};
  const diagnostics: Diagnostic[] = [];
  for (const f of fragments) {
    mergeUnique(resources, f.resources, 'resource');
    mergeUnique(parameters, f.parameters, 'parameter');
    mergeUnique(outputs, f.outputs, 'output');
    mergeUnique(metadata, f.metadata, 'metadata key');
    diagnostics.push(...(f.diagnostics ?? []));
  }
  const template: Template = { AWSTemplateFormatVersion: TEMPLATE_FORMAT_VERSION, Resources: resources };
  if (Object.keys(parameters).length > 0) template.Parameters = parameters;
  if (Object.keys(outputs).length > 0) template.Outputs = outputs;
  if (Object.keys(metadata).length > 0) template.Metadata = metadata;
  return { template, diagnostics };
}
