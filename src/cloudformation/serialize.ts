/**
 * Deterministic template output.
 *
 * Ordering rule (one rule, everywhere): the template's top-level sections come in the order the
 * CloudFormation documentation lists them; every other mapping has its keys sorted by UTF-16 code
 * unit (plain `<`, never locale-aware, so the order is the same on every machine); sequences keep
 * their order, because in CloudFormation a list's order can mean something (container definitions,
 * listener actions). Lists whose order means nothing (security groups, DependsOn) are sorted by
 * the converter when it builds them, so they are stable too.
 *
 * YAML is written with the YAML 1.1 quoting rules: any string a 1.1 or 1.2 parser would read as
 * something else (`"yes"`, `"on"`, `"0755"`, `"2010-09-09"`, `"256"`) is quoted, so every YAML
 * parser, CloudFormation's included, reads back the same strings. Intrinsics are written in their
 * long forms (`Ref:`, `Fn::GetAtt:`); there are no tags and no anchors. YAML and JSON are two
 * renderings of the same canonical tree.
 */
import { stringify } from 'yaml';
import type { Template } from './template.js';
import { writeBlockYaml } from './block-yaml.js';

export type TemplateFormat = 'yaml' | 'json';

const SECTION_ORDER: readonly string[] = Object.freeze([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
]);

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A deep copy of `value` with every mapping's keys in sorted order; undefined entries dropped. */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/** The template as a canonical plain tree: sections in documented order, all else sorted. */
export function canonicalTemplate(t: Template): Record<string, unknown> {
  const src = t as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const known = SECTION_ORDER.filter((k) => src[k] !== undefined);
  const unknown = Object.keys(src)
    .filter((k) => !SECTION_ORDER.includes(k) && src[k] !== undefined)
    .sort(compareKeys);
  for (const key of [...known, ...unknown]) out[key] = canonicalize(src[key]);
  return out;
}

export function renderTemplate(t: Template, format: TemplateFormat): string {
  const tree = canonicalTemplate(t);
  if (format === 'json') return JSON.stringify(tree, null, 2) + '\n';
  // the same bytes as below, written directly when the tree holds nothing unusual (block-yaml.ts)
  const direct = writeBlockYaml(tree);
  if (direct !== undefined) return direct;
  return stringify(tree, {
    version: '1.1',
    lineWidth: 0,
    aliasDuplicateObjects: false,
  });
}
