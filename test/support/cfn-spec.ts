/**
 * Checks a template against the CloudFormation resource specification (`@aws-cdk/aws-service-spec`):
 * resource types exist; property names exist; values have the declared type (string, number,
 * boolean, list, map, nested type, recursively; an intrinsic is accepted wherever a value is
 * expected); required properties are present; allowed values are respected; Ref targets are
 * resources, parameters or pseudo parameters; GetAtt targets exist and have the attribute;
 * `${X}` in Fn::Sub names something that exists; DependsOn targets exist.
 *
 * The spec database takes about a second to load, so it is loaded once, on first use.
 */
import { expect } from 'chai';
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { PropertyType, Resource as SpecResource, ResourceProperties } from '@aws-cdk/service-spec-types';
import { isIntrinsic, PSEUDO_PARAMETERS, type Template } from '../../src/cloudformation/template.js';
import { recordForLint } from './cfn-lint.js';

type SpecDb = ReturnType<typeof loadAwsServiceSpecSync>;
let cached: SpecDb | undefined;
function specDb(): SpecDb {
  cached ??= loadAwsServiceSpecSync();
  return cached;
}

const resourceCache = new Map<string, SpecResource | undefined>();
export function specResource(type: string): SpecResource | undefined {
  if (!resourceCache.has(type)) {
    const found = specDb().lookup('resource', 'cloudFormationType', 'equals', type);
    resourceCache.set(type, found.length === 1 ? found[0] : undefined);
  }
  return resourceCache.get(type);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function describe(t: PropertyType): string {
  switch (t.type) {
    case 'array':
      return `list of ${describe(t.element)}`;
    case 'map':
      return `map of ${describe(t.element)}`;
    case 'union':
      return t.types.map(describe).join(' | ');
    case 'ref':
      return specDb().get('typeDefinition', t.reference).name;
    default:
      return t.type;
  }
}

/** Problems of `value` against `type`; empty when it fits. */
function checkValue(value: unknown, type: PropertyType, path: string): string[] {
  if (isIntrinsic(value)) return [];
  switch (type.type) {
    case 'string':
    case 'date-time':
      if (typeof value !== 'string') return [`${path}: expected string, got ${JSON.stringify(value)}`];
      if (type.type === 'string' && type.allowedValues && type.allowedValues.length > 0 && !type.allowedValues.includes(value)) {
        return [`${path}: ${JSON.stringify(value)} is not one of ${type.allowedValues.join(', ')}`];
      }
      return [];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected number, got ${JSON.stringify(value)}`];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${path}: expected integer, got ${JSON.stringify(value)}`];
      if (type.allowedValues && type.allowedValues.length > 0 && !type.allowedValues.includes(value)) {
        return [`${path}: ${value} is not one of ${type.allowedValues.join(', ')}`];
      }
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected boolean, got ${JSON.stringify(value)}`];
    case 'json':
      return isObject(value) || Array.isArray(value) || typeof value === 'string' ? [] : [`${path}: expected JSON object, got ${JSON.stringify(value)}`];
    case 'null':
      return value === null ? [] : [`${path}: expected null`];
    case 'tag':
      if (!isObject(value) || typeof value.Key !== 'string' || !('Value' in value)) return [`${path}: expected a tag {Key, Value}`];
      return checkValue(value.Value, { type: 'string' }, `${path}.Value`);
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected ${describe(type)}, got ${JSON.stringify(value)}`];
      return value.flatMap((item, i) => checkValue(item, type.element, `${path}[${i}]`));
    case 'map':
      if (!isObject(value)) return [`${path}: expected ${describe(type)}`];
      return Object.entries(value).flatMap(([k, v]) => checkValue(v, type.element, `${path}.${k}`));
    case 'union': {
      const results = type.types.map((t) => checkValue(value, t, path));
      if (results.some((r) => r.length === 0)) return [];
      return [`${path}: expected ${describe(type)}, got ${JSON.stringify(value)} (${results.flat()[0]})`];
    }
    case 'ref': {
      const def = specDb().get('typeDefinition', type.reference);
      if (!isObject(value)) return [`${path}: expected ${def.name} object, got ${JSON.stringify(value)}`];
      return checkProperties(value, def.properties, path);
    }
    default:
      return [];
  }
}

function checkProperties(value: Record<string, unknown>, props: ResourceProperties, path: string): string[] {
  const problems: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    const prop = props[name];
    if (!prop) {
      problems.push(`${path}.${name}: no such property (known: ${Object.keys(props).sort().join(', ')})`);
      continue;
    }
    problems.push(...checkValue(v, prop.type, `${path}.${name}`));
  }
  for (const [name, prop] of Object.entries(props)) {
    if (prop.required && !(name in value)) problems.push(`${path}: required property ${name} is missing`);
  }
  return problems;
}

/** Every Ref / GetAtt / Sub reference inside `v`, with its path. */
function collectReferences(v: unknown, path: string, out: { kind: 'Ref' | 'GetAtt' | 'Sub'; target: string; attr?: string; path: string }[]): void {
  if (Array.isArray(v)) {
    v.forEach((item, i) => collectReferences(item, `${path}[${i}]`, out));
    return;
  }
  if (!isObject(v)) return;
  if (typeof v.Ref === 'string' && Object.keys(v).length === 1) out.push({ kind: 'Ref', target: v.Ref, path });
  const getAtt = v['Fn::GetAtt'];
  if (Object.keys(v).length === 1 && getAtt !== undefined) {
    const [target, attr] = Array.isArray(getAtt) ? getAtt : String(getAtt).split(/\.(.*)/s);
    if (typeof target === 'string' && typeof attr === 'string') out.push({ kind: 'GetAtt', target, attr, path });
  }
  const subValue = v['Fn::Sub'];
  if (Object.keys(v).length === 1 && subValue !== undefined) {
    const [text, vars] = Array.isArray(subValue) ? subValue : [subValue, {}];
    if (typeof text === 'string') {
      for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = m[1]!;
        if (isObject(vars) && name in vars) continue;
        const [target, attr] = name.split(/\.(.*)/s);
        out.push(attr ? { kind: 'GetAtt', target: target!, attr, path } : { kind: 'Sub', target: name, path });
      }
    }
  }
  for (const [k, child] of Object.entries(v)) collectReferences(child, `${path}.${k}`, out);
}

export function validateTemplate(template: Template): string[] {
  const problems: string[] = [];
  const t = template as unknown as Record<string, unknown>;
  if (t.AWSTemplateFormatVersion !== '2010-09-09') problems.push('AWSTemplateFormatVersion must be 2010-09-09');
  const resources = isObject(t.Resources) ? t.Resources : {};
  if (!isObject(t.Resources)) problems.push('Resources must be a mapping');
  const parameters = isObject(t.Parameters) ? t.Parameters : {};

  for (const id of Object.keys(resources).sort()) {
    const r = resources[id];
    const path = `Resources.${id}`;
    if (!/^[A-Za-z0-9]+$/.test(id)) problems.push(`${path}: logical ID must be alphanumeric`);
    if (!isObject(r) || typeof r.Type !== 'string') {
      problems.push(`${path}: missing Type`);
      continue;
    }
    const spec = specResource(r.Type);
    if (!spec) {
      problems.push(`${path}: unknown resource type ${r.Type}`);
      continue;
    }
    const props = r.Properties === undefined ? {} : r.Properties;
    if (!isObject(props)) problems.push(`${path}.Properties: must be a mapping`);
    else problems.push(...checkProperties(props, spec.properties, `${path}.Properties`));
    const deps = r.DependsOn === undefined ? [] : Array.isArray(r.DependsOn) ? r.DependsOn : [r.DependsOn];
    for (const d of deps) {
      if (typeof d !== 'string' || !(d in resources)) problems.push(`${path}.DependsOn: ${JSON.stringify(d)} is not a resource`);
    }
  }

  const refs: Parameters<typeof collectReferences>[2] = [];
  collectReferences(t.Resources, 'Resources', refs);
  collectReferences(t.Outputs, 'Outputs', refs);
  for (const r of refs) {
    if (r.kind === 'Ref' || r.kind === 'Sub') {
      if (!(r.target in resources) && !(r.target in parameters) && !PSEUDO_PARAMETERS.includes(r.target)) {
        problems.push(`${r.path}: ${r.kind} target ${r.target} is not a resource, parameter or pseudo parameter`);
      }
      continue;
    }
    const target = resources[r.target];
    if (!isObject(target) || typeof target.Type !== 'string') {
      problems.push(`${r.path}: GetAtt target ${r.target} is not a resource`);
      continue;
    }
    const spec = specResource(target.Type);
    if (spec && !(r.attr! in spec.attributes)) {
      problems.push(`${r.path}: ${target.Type} has no attribute ${r.attr} (known: ${Object.keys(spec.attributes).sort().join(', ')})`);
    }
  }
  return problems;
}

/** chai helper: fails with the full list of problems; the template is also linted by cfn-lint at the end of the run. */
export function expectValidTemplate(template: Template): void {
  recordForLint(template);
  const problems = validateTemplate(template);
  expect(problems, `template does not match the CloudFormation resource specification:\n  ${problems.join('\n  ')}`).to.deep.equal([]);
}
