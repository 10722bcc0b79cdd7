/**
 * Pass, extends: a service with `extends: { service, file? }` starts from the (recursively
 * resolved) base service and is merged over it with the file-merge rules. As in compose-go,
 * `extends.file` is relative to the project directory for the project's own files, and to the
 * base file's directory inside a base file; a base from another file has its relative paths
 * resolved against that file's directory first. A cycle is an error that prints the chain.
 */
import { posix } from 'node:path';
import { dict } from './dict.js';
import type { ComposeFile, LoadContext } from './context.js';
import { displayName } from './display-name.js';
import { readDocument } from './document.js';
import { mergeValues } from './merge.js';
import { isMapping, Tagged, type RawMap, type RawValue } from './parse.js';
import { resolveServicePaths } from './paths.js';
import { cloneRaw, entryPos, errorAt, locate, posOf, setEntryPos, setPos } from './positions.js';

interface Frame {
  file: ComposeFile;
  service: string;
}

/** `relativeTo`: the directory `extends.file` paths of this document are relative to. */
export function applyExtends(doc: RawMap, file: ComposeFile, relativeTo: string, ctx: LoadContext): void {
  const services = doc.services;
  if (!isMapping(services)) return;
  const done = new Map<string, RawValue>();
  for (const name of Object.keys(services).sort()) {
    services[name] = resolve(doc, file, relativeTo, name, [], ctx, done);
  }
}

function frameKey(f: Frame): string {
  return `${f.file.path}#${f.service}`;
}

function resolve(doc: RawMap, file: ComposeFile, relativeTo: string, name: string, stack: Frame[], ctx: LoadContext, done: Map<string, RawValue>): RawValue {
  const key = `${file.path}#${name}`;
  const cached = done.get(key);
  if (cached !== undefined) return cached;
  const services = doc.services as RawMap;
  const raw = services[name]!;
  const svc = raw instanceof Tagged ? raw.value : raw;
  if (!isMapping(svc) || svc.extends === undefined || svc.extends === null) return raw;

  const here: Frame = { file, service: name };
  const extPath = ['services', name, 'extends'];
  const extPos = locate(doc, extPath);
  if (stack.some((f) => frameKey(f) === key)) {
    const chain = [...stack, here].slice(stack.findIndex((f) => frameKey(f) === key));
    const names = chain.map((f) => (f.file.path === file.path ? f.service : `${f.service} (${f.file.display})`));
    throw errorAt(extPos, `services.${name} extends itself through a cycle: ${names.join(' -> ')}.`, extPath, 'Remove one of these extends.');
  }
  const ext = svc.extends as RawMap;
  const baseName = String(ext.service);
  let baseFile = file;
  let baseDoc = doc;
  if (typeof ext.file === 'string') {
    const abs = posix.resolve(relativeTo, ext.file);
    const problem = ctx.reader.problem?.(abs);
    if (problem) throw errorAt(entryPos(ext, 'file') ?? extPos, `services.${name} extends a service from ${ext.file}, which ${problem}.`, [...extPath, 'file'], 'Point extends.file at the compose file.');
    if (!ctx.reader.exists(abs)) {
      throw errorAt(entryPos(ext, 'file') ?? extPos, `services.${name} extends a service from ${ext.file}, which does not exist.`, [...extPath, 'file'], 'Fix the path in extends.file.');
    }
    baseFile = { path: abs, display: displayName(abs, ctx.cwd) };
    baseDoc = readDocument(baseFile, ctx);
  }
  const baseServices = baseDoc.services;
  if (!isMapping(baseServices) || !Object.prototype.hasOwnProperty.call(baseServices, baseName)) {
    const where = baseFile === file ? 'this file' : baseFile.display;
    throw errorAt(entryPos(ext, 'service') ?? extPos, `services.${name} extends service "${baseName}", which is not defined in ${where}.`, [...extPath, 'service'], 'Fix the name in extends.service.');
  }
  const baseRelativeTo = baseFile === file ? relativeTo : posix.dirname(baseFile.path);
  let base = resolve(baseDoc, baseFile, baseRelativeTo, baseName, [...stack, here], ctx, baseFile === file ? done : new Map());
  if (base instanceof Tagged) base = base.value;
  base = cloneRaw(base);
  if (isMapping(base)) delete base.extends;
  if (baseFile !== file) resolveServicePaths(base, { baseDir: posix.dirname(baseFile.path), home: ctx.home });
  const own: RawMap = dict();
  const svcPos = posOf(svc);
  if (svcPos) setPos(own, svcPos);
  for (const k of Object.keys(svc)) {
    if (k === 'extends') continue;
    own[k] = svc[k]!;
    setEntryPos(own, k, entryPos(svc, k));
  }
  const merged = mergeValues(base, own, ['services', name]) as RawMap;
  merged.extends = { service: baseName, ...(baseFile !== file ? { file: baseFile.path } : {}) };
  const result = raw instanceof Tagged ? new Tagged(raw.tag, merged) : merged;
  done.set(key, result);
  return result;
}
