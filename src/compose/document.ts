/**
 * One compose file, read in two steps, each cached per absolute path:
 * - `parseComposeFile`: parse -> top level must be a mapping -> schema (the file as written);
 * - `readDocument`: then interpolation -> canonical forms.
 * The split lets `load()` find the project name (which interpolation may use as
 * COMPOSE_PROJECT_NAME) from the parsed files before anything is interpolated.
 */
import { UserError } from '../errors.js';
import { canonicalize } from './canonical.js';
import type { ComposeFile, LoadContext } from './context.js';
import { interpolateTree } from './interpolate.js';
import type { FileReader, LoadWarning } from './model.js';
import { isMapping, parseYaml, type RawMap } from './parse.js';
import { entryPos } from './positions.js';
import { kindOf, validateSchema } from './schema.js';

export function parseComposeFile(file: ComposeFile, reader: FileReader, cache: Map<string, RawMap>, warnings: LoadWarning[]): RawMap {
  const cached = cache.get(file.path);
  if (cached) return cached;
  let text: string;
  if (file.path === '-') {
    if (!reader.readStdin) throw new UserError('reading a compose file from stdin (-f -) is not available here.');
    text = reader.readStdin();
  } else {
    if (!reader.exists(file.path)) {
      // a directory is there but does not "exist" as a file: say what it is
      const problem = reader.problem?.(file.path);
      if (problem) throw new UserError(`the compose file ${file.display} ${problem}.`, { hint: 'Check the -f / COMPOSE_FILE path.' });
      throw new UserError(`compose file ${file.display} not found.`, { hint: 'Check the -f / COMPOSE_FILE path.' });
    }
    text = reader.readFile(file.path);
  }
  const parsed = parseYaml(text, file.display, warnings);
  if (parsed === null) {
    throw new UserError('the compose file is empty.', { where: { file: file.display, line: 1 }, hint: 'Add a `services:` section, or leave the file out.' });
  }
  if (!isMapping(parsed)) {
    throw new UserError(`the top level must be a mapping of compose keys (services, networks, volumes, ...), not ${kindOf(parsed)}.`, {
      where: { file: file.display, line: 1 },
      hint: 'Start the file with `services:`.',
    });
  }
  validateSchema(parsed, file.display);
  cache.set(file.path, parsed);
  return parsed;
}

export function readDocument(file: ComposeFile, ctx: LoadContext): RawMap {
  const cached = ctx.documents.get(file.path);
  if (cached) return cached;
  const doc = parseComposeFile(file, ctx.reader, ctx.parsed, ctx.warnings);
  interpolateTree(doc, ctx.lookup, ctx.warnings, ctx.warned);
  canonicalize(doc);
  if (doc.version !== undefined) {
    ctx.warnings.push({ message: 'the attribute `version` is obsolete, it will be ignored; remove it to avoid confusion.', file: file.display, line: entryPos(doc, 'version')?.line ?? 1, path: 'version' });
    delete doc.version;
  }
  ctx.documents.set(file.path, doc);
  return doc;
}
