/**
 * Typed reads of `x-aws-*` values. The old integration used unchecked type assertions and
 * panicked on a wrong YAML type; here a wrong type is one UserError naming the key.
 */
import { UserError } from '../errors.js';
import path from 'node:path';
import type { Extensions, Project } from '../compose/model.js';

/** Where a top-level key is: its path, and the first compose file (relative, as service origins are). */
export function topLevelWhere(project: Pick<Project, 'composeFiles' | 'workingDir'>, key: string): { path: string; file?: string } {
  const first = project.composeFiles[0];
  return { path: key, ...(first ? { file: path.isAbsolute(first) ? path.relative(project.workingDir, first) || first : first } : {}) };
}

/** `services.web` + `x-aws-role` -> `services.web.x-aws-role`; top-level keys have an empty path. */
function keyPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

export function readString(ext: Extensions | undefined, key: string, path: string): string | undefined {
  const v = ext?.[key];
  if (v === undefined || v === null) return undefined;
  // names and ARNs never carry surrounding white space; up asks AWS about the same trimmed value
  if (typeof v !== 'string' || v.trim() === '') {
    throw new UserError(`${keyPath(path, key)} must be a non-empty string, got ${JSON.stringify(v)}.`, { where: { path: keyPath(path, key) } });
  }
  return v.trim();
}

export function readInteger(ext: Extensions | undefined, key: string, path: string): number | undefined {
  const v = ext?.[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new UserError(`${keyPath(path, key)} must be a whole number, got ${JSON.stringify(v)}.`, { where: { path: keyPath(path, key) } });
  }
  return n;
}

/** A list of strings; a single comma-separated string is accepted too (`subnet-a,subnet-b`). */
export function readStringList(ext: Extensions | undefined, key: string, path: string): string[] | undefined {
  const v = ext?.[key];
  if (v === undefined || v === null) return undefined;
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : v;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => typeof s === 'string' && s.trim() !== '')) {
    throw new UserError(`${keyPath(path, key)} must be a list of strings, got ${JSON.stringify(v)}.`, { where: { path: keyPath(path, key) } });
  }
  return (list as string[]).map((s) => s.trim());
}

export function readMapping(ext: Extensions | undefined, key: string, path: string): Record<string, unknown> | undefined {
  const v = ext?.[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw new UserError(`${keyPath(path, key)} must be a mapping, got ${JSON.stringify(v)}.`, { where: { path: keyPath(path, key) } });
  }
  return v as Record<string, unknown>;
}

/** The resource ID at the end of an ARN (`arn:aws:ec2:r:a:vpc/vpc-1` -> `vpc-1`); other strings unchanged. */
export function idFromArn(value: string): string {
  if (!value.startsWith('arn:')) return value;
  const slash = value.lastIndexOf('/');
  return slash >= 0 ? value.slice(slash + 1) : value.slice(value.lastIndexOf(':') + 1);
}
